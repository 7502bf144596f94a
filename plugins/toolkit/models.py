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

    id: Slug = Field(description="Unique across the toolkit; the checklist and its counts use it.")
    text: PlainText = Field(description="The sign, as a practitioner would notice it.")
    significant: bool = Field(default=False, description="A significant indicator: refer on it alone, now.")


class SignGroup(Cited):
    id: Slug = Field(description="Unique within the toolkit; the group's page is /cse-toolkit/signs/<id>/.")
    name: PlainText = Field(description="The group's name, as readers see it.")
    kind: Literal["vulnerability", "warning-sign"] = Field(description="vulnerability (a factor that makes a child more vulnerable) or warning-sign.")
    description: Text = Field(description="What the group covers, in a sentence or two.")
    signs: list[Sign] = Field(description="The factors or signs in this group.", min_length=1)


class Rule(Cited):
    """A rule that always applies, whatever the checklist shows: the under-13 rule, consent never lowers a level."""

    id: Slug = Field(description="Unique within the toolkit.")
    title: PlainText = Field(description="The rule in a few words, shown as its heading.")
    text: Text = Field(description="The rule in full, stated without conditions.")


class RiskLevel(Cited):
    id: Slug = Field(description="Unique within the toolkit.")
    level: int = Field(ge=1, description="1 is the lowest level; levels run 1, 2, 3 ... without gaps.")
    name: PlainText = Field(description="The level's name, e.g. 'Category 2: at risk of significant harm'.")
    description: Text = Field(description="Which children the level describes.")
    response: list[Text] = Field(min_length=1, description="What happens at this level, in order; the first is the referral.")


class PathwayStep(Cited):
    id: Slug = Field(description="Unique within the toolkit.")
    title: PlainText = Field(description="The step in a few words, shown in the diagram.")
    description: Text = Field(description="What to do at this step, in full.")
    contacts: list[Ref[Contact]] = Field(description="Numbers to ring at this step (data/contacts.yml).", default_factory=list)


class Wording(Part):
    """A phrase that blames the child, and what to say instead."""

    avoid: PlainText = Field(description="A phrase that blames the child, not to be used.")
    say: PlainText = Field(description="What to say instead.")


class Language(Cited):
    """How to write and speak about a child who is being exploited."""

    intro: Text = Field(description="Why words matter, in a sentence or two.")
    wording: list[Wording] = Field(description="Phrases to avoid and what to say instead.", min_length=1)


class CarerSection(Cited):
    heading: PlainText = Field(description="The section's heading.")
    body: MarkdownText = Field(description="Plain English for foster carers: a small Markdown subset (lists, emphasis).")


class CarerGuide(Part):
    """The warning signs in plain English for foster carers, on their own page (/foster-carers/<page>/)."""

    title: PlainText = Field(description="The guide's title, as carers see it.")
    summary: Text = Field(description="The first thing a carer reads: what to do if they are worried.")
    contacts: list[Ref[Contact]] = Field(min_length=1, description="The numbers to ring, in order.")
    sections: list[CarerSection] = Field(description="The guide's sections, in order.", min_length=1)
    related: list[PageLink] = Field(default_factory=list, description="Other pages for carers, such as what to do "
                                                                      "when a child is missing.")


class Toolkit(Sourced):
    """A risk-assessment toolkit: definition, rules, vulnerability factors, warning signs, levels, pathway."""

    title: PlainText = Field(description="The toolkit's name, as readers see it.")
    definition: Text = Field(description="The definition of child sexual exploitation in force, quoted.")
    definition_source: Ref[Reference] = Field(description="The document the definition is quoted from (data/references.yml).")
    definition_note: Text | None = Field(default=None, description="A note on the definition, e.g. when it was replaced.")
    rules: list[Rule] = Field(default_factory=list, description="Rules that always apply, shown before the signs.")
    groups: list[SignGroup] = Field(description="Vulnerability factors and warning signs, in groups.", min_length=1)
    levels: list[RiskLevel] = Field(description="The levels of risk, lowest first, and what happens at each.", min_length=1)
    pathway: list[PathwayStep] = Field(min_length=1, description="The referral pathway, in order.")
    language: Language | None = Field(default=None, description="The words to use and the victim-blaming ones to avoid.")
    carers: CarerGuide | None = Field(default=None, description="The plain-English guide for foster carers.")
    contacts: list[Ref[Contact]] = Field(description="The numbers listed on the toolkit's pages (data/contacts.yml).", default_factory=list)
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
