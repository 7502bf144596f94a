"""Policies and procedures: one record per version, with steps, sections, definitions and contacts."""

from __future__ import annotations

from datetime import date as date_type

from pydantic import Field, model_validator

from plugins.core.records import Audienced, Classification, Owned, PageLink, Part, Sourced, Versioned
from plugins.core.types import MarkdownText, PlainText, Ref, Slug, Text
from plugins.organisation.models import Audience, Contact, Role
from plugins.references.models import Reference


class PolicyStep(Part):
    """One thing someone must do, in order: who, what, by when."""

    who: Ref[Role]
    when: PlainText = Field(description="By when, in plain words: 'Straight away', 'Within 72 hours'.")
    do: Text = Field(description="What to do, in plain English: carers read this.")
    contacts: list[Ref[Contact]] = Field(default_factory=list, description="Numbers to ring for this step.")
    audiences: list[Ref[Audience]] = Field(min_length=1, description="Which versions of the policy show this step.")


class PolicySection(Part):
    heading: PlainText
    body: MarkdownText
    audiences: list[Ref[Audience]] = Field(min_length=1)


class Definition(Part):
    term: PlainText
    meaning: Text
    plain: Text | None = Field(default=None, description="The same meaning in plain English, for carers.")
    cites: list[Ref[Reference]] = Field(default_factory=list)


class Amendment(Part):
    version: PlainText
    date: date_type
    change: Text


class Policy(Sourced, Owned, Audienced, Versioned):
    """A versioned policy or procedure. Each version is a record; `policy` names the policy all its versions share."""

    policy: Slug = Field(description="The policy's own id, shared by all its versions; its page is /policies/<policy>/.")
    title: PlainText
    classification: Classification = Field(description="unrestricted, official or official-sensitive.")
    summary: Text
    carer_summary: Text | None = Field(default=None, description="Plain-English summary for the foster-carer version.")
    carer_page: Slug | None = Field(default=None, description="If set, a foster-carer version at /foster-carers/<carer_page>/.")
    steps: list[PolicyStep] = Field(default_factory=list)
    sections: list[PolicySection] = Field(default_factory=list)
    definitions: list[Definition] = Field(default_factory=list)
    contacts: list[Ref[Contact]] = Field(default_factory=list)
    related: list[PageLink] = Field(default_factory=list, description="Toolkit sections, courses and other pages.")
    amendments: list[Amendment] = Field(min_length=1, description="Version, date and what changed, newest last.")

    @model_validator(mode="after")
    def _consistent(self) -> "Policy":
        if self.approved and self.approved > self.last_reviewed:
            raise ValueError(f"last_reviewed {self.last_reviewed} is before it was approved ({self.approved})")
        if self.amendments[-1].version != self.version:
            raise ValueError(f"the last amendment is version {self.amendments[-1].version}, "
                             f"but the policy is version {self.version}")
        if self.carer_page and "foster-carers" not in {a.id for a in self.audiences}:
            raise ValueError("a foster-carer version (`carer_page`) needs 'foster-carers' in `audiences`")
        return self
