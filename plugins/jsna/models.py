"""A chapter of the Joint Strategic Needs Assessment, summarised."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from plugins.core.records import Audienced, Part, Sourced
from plugins.core.types import Number, PartialDate, PlainText, Ref, Slug, Text
from plugins.organisation.models import Service
from plugins.plan.models import Action

UNITS = {"number": "", "percent": "%", "rate-per-10000": " per 10,000"}


class DataItem(Part):
    """A figure from the chapter, with its source and caveat."""

    id: Slug = Field(description="Unique within the chapter; becomes the figure's anchor.")
    name: PlainText = Field(description="What is counted, e.g. 'Children referred for CSE'.")
    value: Number | None = Field(default=None, description="Leave out when the source does not give it: "
                                                           "the page then says it is not known.")
    qualifier: Literal["exactly", "over", "about"] = Field(
        default="exactly", description="'over' when the source gives a lower bound ('over 1000').")
    unit: Literal["number", "percent", "rate-per-10000"] = Field(
        default="number", description="number, percent or rate-per-10000.")
    period: PlainText = Field(description="The period the figure covers, e.g. '2013-14'.")
    source: Text = Field(description="Where the figure comes from, as the chapter says.")
    caveat: Text = Field(description="What a reader must bear in mind about it (coverage, recording).")
    illustrative: Text | None = Field(default=None, description="Set when this figure is not from a source: "
                                                                "say what was assumed.")


class Jsna(Sourced, Audienced):
    """A chapter of the Joint Strategic Needs Assessment, summarised."""

    title: PlainText = Field(description="The chapter's title.")
    produced_by: Ref[Service] = Field(description="The service that produced it.")
    produced: PartialDate = Field(description="When it was produced, as precisely as known.")
    purpose: Text = Field(description="What the chapter is for.")
    covers: list[Text] = Field(min_length=1, description="What it looks at, one item each.")
    findings: list[Text] = Field(min_length=1, description="What it found, one finding each.")
    data: list[DataItem] = Field(default_factory=list, description="Its figures, each with source and caveat.")
    recommendations: list[Text] = Field(default_factory=list, description="What it recommends, one each.")
    informs: list[Text] = Field(default_factory=list, description="The commissioning and safeguarding priorities it informs.")
    actions: list[Ref[Action]] = Field(default_factory=list, description="Development Plan actions it drives.")


def figure(item: DataItem) -> str:
    """A figure as the source states it: 'over 1,000', '12%', 'not known'."""
    if item.value is None:
        return "not known"
    number = f"{int(item.value):,}" if item.value == int(item.value) else f"{item.value:g}"
    prefix = "" if item.qualifier == "exactly" else f"{item.qualifier} "
    return f"{prefix}{number}{UNITS[item.unit]}"
