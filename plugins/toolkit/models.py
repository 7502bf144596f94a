"""The CSE risk-assessment toolkit: definition, rules that always apply, vulnerability factors, warning signs,
levels, referral pathway, the words to use, and a plain-English guide for foster carers."""

from __future__ import annotations

from typing import Literal

from pydantic import Field, model_validator

from plugins.core.records import PageLink, Part, Sourced
from plugins.core.types import MarkdownText, PlainText, Ref, Slug, Text
from plugins.organisation.models import Contact
from plugins.policies.models import Cited
from plugins.references.models import Reference


class Sign(Part):
    """One vulnerability factor or warning sign."""

    id: Slug
    text: PlainText
    significant: bool = Field(default=False, description="A significant indicator: refer on it alone, now.")


class SignGroup(Cited):
    id: Slug
    name: PlainText
    kind: Literal["vulnerability", "warning-sign"]
    description: Text
    signs: list[Sign] = Field(min_length=1)


class Rule(Cited):
    """A rule that always applies, whatever the checklist shows: the under-13 rule, consent never lowers a level."""

    id: Slug
    title: PlainText
    text: Text


class RiskLevel(Cited):
    id: Slug
    level: int = Field(ge=1, description="1 is the lowest level; levels run 1, 2, 3 ... without gaps.")
    name: PlainText
    description: Text
    response: list[Text] = Field(min_length=1, description="What happens at this level, in order; the first is the referral.")


class PathwayStep(Cited):
    id: Slug
    title: PlainText
    description: Text
    contacts: list[Ref[Contact]] = Field(default_factory=list)


class Wording(Part):
    """A phrase that blames the child, and what to say instead."""

    avoid: PlainText
    say: PlainText


class Language(Cited):
    """How to write and speak about a child who is being exploited."""

    intro: Text
    wording: list[Wording] = Field(min_length=1)


class CarerSection(Cited):
    heading: PlainText
    body: MarkdownText = Field(description="Plain English for foster carers: a small Markdown subset (lists, emphasis).")


class CarerGuide(Part):
    """The warning signs in plain English for foster carers, on their own page (/foster-carers/<page>/)."""

    title: PlainText
    summary: Text = Field(description="The first thing a carer reads: what to do if they are worried.")
    contacts: list[Ref[Contact]] = Field(min_length=1, description="The numbers to ring, in order.")
    sections: list[CarerSection] = Field(min_length=1)
    related: list[PageLink] = Field(default_factory=list, description="Other pages for carers, such as what to do "
                                                                      "when a child is missing.")


class Toolkit(Sourced):
    """A risk-assessment toolkit: definition, rules, vulnerability factors, warning signs, levels, pathway."""

    title: PlainText
    definition: Text
    definition_source: Ref[Reference]
    definition_note: Text | None = None
    rules: list[Rule] = Field(default_factory=list, description="Rules that always apply, shown before the signs.")
    groups: list[SignGroup] = Field(min_length=1)
    levels: list[RiskLevel] = Field(min_length=1)
    pathway: list[PathwayStep] = Field(min_length=1, description="The referral pathway, in order.")
    language: Language | None = None
    carers: CarerGuide | None = Field(default=None, description="The plain-English guide for foster carers.")
    contacts: list[Ref[Contact]] = Field(default_factory=list)
    emergency_contact: Ref[Contact] = Field(description="The number to ring when a child is in immediate danger.")
    refer_contacts: list[Ref[Contact]] = Field(
        default_factory=list, description="The numbers to refer to, shown when a significant sign is ticked.")

    @model_validator(mode="after")
    def _levels_complete(self) -> "Toolkit":
        numbers = [level.level for level in self.levels]
        if numbers != list(range(1, len(numbers) + 1)):
            raise ValueError(f"levels must run 1, 2, 3 ... in order without gaps; found {numbers}")
        for field, items in (("groups", self.groups), ("levels", self.levels), ("pathway", self.pathway),
                             ("rules", self.rules)):
            ids = [item.id for item in items]
            if len(ids) != len(set(ids)):
                raise ValueError(f"{field}: ids must be unique")
        signs = [sign.id for group in self.groups for sign in group.signs]
        if len(signs) != len(set(signs)):
            raise ValueError("groups: sign ids must be unique across the toolkit")
        return self
