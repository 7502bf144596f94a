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
    id: Slug
    name: PlainText
    value: Number | None = Field(default=None, description="Leave out when the source does not give it: "
                                                           "the page then says it is not known.")
    qualifier: Literal["exactly", "over", "about"] = Field(
        default="exactly", description="'over' when the source gives a lower bound ('over 1000').")
    unit: Literal["number", "percent", "rate-per-10000"] = "number"
    period: PlainText
    source: Text
    caveat: Text
    illustrative: Text | None = None


class Jsna(Sourced, Audienced):
    """A chapter of the Joint Strategic Needs Assessment, summarised."""

    title: PlainText
    produced_by: Ref[Service]
    produced: PartialDate
    purpose: Text
    covers: list[Text] = Field(min_length=1)
    findings: list[Text] = Field(min_length=1)
    data: list[DataItem] = Field(default_factory=list)
    recommendations: list[Text] = Field(default_factory=list)
    informs: list[Text] = Field(default_factory=list, description="The commissioning and safeguarding priorities it informs.")
    actions: list[Ref[Action]] = Field(default_factory=list, description="Development Plan actions it drives.")


def figure(item: DataItem) -> str:
    """A figure as the source states it: 'over 1,000', '12%', 'not known'."""
    if item.value is None:
        return "not known"
    number = f"{int(item.value):,}" if item.value == int(item.value) else f"{item.value:g}"
    prefix = "" if item.qualifier == "exactly" else f"{item.qualifier} "
    return f"{prefix}{number}{UNITS[item.unit]}"
