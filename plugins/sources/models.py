"""Sources of recommendations (inspections, the diagnostic ...) and the committee reports."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, model_validator

from plugins.core.records import Part, Sourced
from plugins.core.types import PartialDate, PlainText, Recorded, Ref, Text
from plugins.references.models import Reference

Judgement = Literal["outstanding", "good", "adequate", "requires-improvement", "inadequate"]

KIND_LABELS = {
    "ofsted-inspection": "Ofsted inspection",
    "ofsted-thematic-inspection": "Ofsted thematic inspection",
    "independent-diagnostic": "Independent diagnostic",
    "peer-review": "Peer review",
    "self-identified": "Self-identified area for development",
}

JUDGEMENT_LABELS = {
    "outstanding": "Outstanding",
    "good": "Good",
    "adequate": "Adequate",
    "requires-improvement": "Requires improvement",
    "inadequate": "Inadequate",
}


class Period(Part):
    start: PartialDate
    end: PartialDate | None = None

    @model_validator(mode="after")
    def _in_order(self) -> "Period":
        if self.end is not None and self.end.start < self.start.start:
            raise ValueError(f"ends ({self.end}) before it starts ({self.start})")
        return self


class Source(Sourced):
    """Something that produced recommendations for the Development Plan."""

    title: PlainText
    short_title: PlainText
    kind: Literal["ofsted-inspection", "ofsted-thematic-inspection", "independent-diagnostic",
                  "peer-review", "self-identified"]
    framework: PlainText | None = Field(default=None, description="The inspection framework or criteria used.")
    carried_out: Period | None = Field(default=None, description="When the fieldwork happened.")
    published: PartialDate | None = Field(default=None, description="When the report was published.")
    judgement: Judgement | None = None
    carried_out_by: Text | None = None
    summary: Text
    scope: list[Text] = Field(default_factory=list, description="What was looked at.")
    findings: list[Text] = Field(default_factory=list)
    report: Ref[Reference] | None = Field(default=None, description="The published report, if any.")
    outcome: Text | None = None
    in_development_plan: bool = Field(
        default=True, description="Whether its outstanding recommendations are in the Development Plan.")

    @model_validator(mode="after")
    def _dated(self) -> "Source":
        if self.carried_out is None and self.published is None:
            raise ValueError("needs a date: give `carried_out` or `published`")
        if self.carried_out and self.published and self.published.start < self.carried_out.start.start:
            raise ValueError(f"published ({self.published}) before it was carried out ({self.carried_out.start})")
        return self

    @property
    def date(self) -> PartialDate:
        """The date it is placed at on a timeline: publication, else the start of fieldwork."""
        return self.published or self.carried_out.start  # type: ignore[union-attr]

    @property
    def kind_label(self) -> str:
        return KIND_LABELS[self.kind]

    @property
    def judgement_label(self) -> str | None:
        return JUDGEMENT_LABELS[self.judgement] if self.judgement else None


class CommitteeReport(Sourced):
    """A progress report to the council's committee: the dates 'changes since' are measured between."""

    title: PlainText
    committee: PlainText
    date: Annotated[PartialDate, Recorded()]
    sequence: int | None = Field(default=None, description="Its number in the series of regular reports.")
    summary: Text
