"""Sources of recommendations (inspections, the diagnostic ...) and the committee reports."""

from __future__ import annotations

from datetime import date
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
    """When something happened, from a start to an optional end."""

    start: PartialDate = Field(description="The first day, or month or year when that is all that is known.")
    end: PartialDate | None = Field(default=None, description="The last day, if it lasted longer than one.")

    @model_validator(mode="after")
    def _in_order(self) -> "Period":
        if self.end is not None and self.end.start < self.start.start:
            raise ValueError(f"ends ({self.end}) before it starts ({self.start})")
        return self


class Source(Sourced):
    """Something that produced recommendations for the Development Plan."""

    title: PlainText = Field(description="The source's full title.")
    short_title: PlainText = Field(description="A short name for tables and charts.")
    kind: Literal["ofsted-inspection", "ofsted-thematic-inspection", "independent-diagnostic",
                  "peer-review", "self-identified"] = Field(description="What sort of source it is.")
    framework: PlainText | None = Field(default=None, description="The inspection framework or criteria used.")
    carried_out: Period | None = Field(default=None, description="When the fieldwork happened.")
    published: PartialDate | None = Field(default=None, description="When the report was published.")
    judgement: Judgement | None = Field(default=None, description="Ofsted's overall judgement, where there is one.")
    carried_out_by: Text | None = Field(default=None, description="Who carried it out.")
    summary: Text = Field(description="What it was and what it concluded, in a few sentences.")
    scope: list[Text] = Field(default_factory=list, description="What was looked at.")
    findings: list[Text] = Field(default_factory=list, description="What it found, one finding each.")
    report: Ref[Reference] | None = Field(default=None, description="The published report, if any.")
    outcome: Text | None = Field(default=None, description="What happened as a result.")
    in_development_plan: Literal["yes", "no", "not-recorded"] = Field(
        default="yes", description="Whether its outstanding recommendations are in the Development Plan: yes, no, "
                                   "or not-recorded when no source says.")
    undated: bool = Field(default=False, description="True when no source dates it (e.g. learning from Kent's own "
                                                     "quality assurance); it is then shown as not dated.")

    @model_validator(mode="after")
    def _dated(self) -> "Source":
        if self.carried_out is None and self.published is None and not self.undated:
            raise ValueError("needs a date: give `carried_out` or `published`, or `undated: true` when no source dates it")
        if self.undated and (self.carried_out or self.published):
            raise ValueError("`undated: true` but a date is given")
        if self.carried_out and self.published and self.published.start < self.carried_out.start.start:
            raise ValueError(f"published ({self.published}) before it was carried out ({self.carried_out.start})")
        return self

    @property
    def date(self) -> PartialDate | None:
        """The date it is placed at on a timeline: publication, else the start of fieldwork; None if undated."""
        return self.published or (self.carried_out.start if self.carried_out else None)

    @property
    def sort_date(self) -> date:
        """For ordering: undated sources after every dated one."""
        return self.date.start if self.date else date.max

    @property
    def kind_label(self) -> str:
        return KIND_LABELS[self.kind]

    @property
    def judgement_label(self) -> str | None:
        return JUDGEMENT_LABELS[self.judgement] if self.judgement else None


class CommitteeReport(Sourced):
    """A progress report to the council's committee: the dates 'changes since' are measured between."""

    title: PlainText = Field(description="The report's title.")
    committee: PlainText = Field(description="The committee it went to.")
    date: Annotated[PartialDate, Recorded()] = Field(description="The meeting's date, as precisely as known.")
    sequence: int | None = Field(default=None, description="Its number in the series of regular reports.")
    summary: Text = Field(description="What the report says, in a few sentences.")
    content_seen: bool = Field(
        default=True, description="False when the report's own text is not in the sources: the plan's state at "
                                  "its date is then shown as not recorded, never guessed.")
    presented_by: list[PlainText] = Field(default_factory=list,
                                          description="Who the report is from, as the report names them.")
    author: PlainText | None = Field(default=None, description="The report's author, as a role.")
    contact_officer: PlainText | None = Field(default=None, description="The lead officer, as the report names them.")
    recommendation: Text | None = Field(default=None, description="What members are asked to do.")
    conclusion: Text | None = Field(default=None, description="The report's own conclusion.")
    appendices: list[PlainText] = Field(default_factory=list, description="The appendices the report lists.")
