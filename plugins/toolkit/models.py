"""The CSE risk-assessment toolkit: definition, vulnerability factors, warning signs, levels, referral pathway."""

from __future__ import annotations

from typing import Literal

from pydantic import Field, model_validator

from plugins.core.records import Part, Sourced
from plugins.core.types import PlainText, Ref, Slug, Text
from plugins.organisation.models import Contact
from plugins.references.models import Reference


class Sign(Part):
    """One vulnerability factor or warning sign."""

    id: Slug
    text: PlainText
    significant: bool = Field(default=False, description="A significant indicator: act on it on its own.")


class SignGroup(Part):
    id: Slug
    name: PlainText
    kind: Literal["vulnerability", "warning-sign"]
    description: Text
    signs: list[Sign] = Field(min_length=1)
    cites: list[Ref[Reference]] = Field(default_factory=list)
    illustrative: Text | None = None


class RiskLevel(Part):
    id: Slug
    level: int = Field(ge=1, description="1 is the lowest level; levels run 1, 2, 3 ... without gaps.")
    name: PlainText
    description: Text
    response: list[Text] = Field(min_length=1, description="What the practitioner does at this level, in order.")
    cites: list[Ref[Reference]] = Field(default_factory=list)
    illustrative: Text | None = None


class PathwayStep(Part):
    id: Slug
    title: PlainText
    description: Text
    contacts: list[Ref[Contact]] = Field(default_factory=list)
    cites: list[Ref[Reference]] = Field(default_factory=list)
    illustrative: Text | None = None


class Toolkit(Sourced):
    """A risk-assessment toolkit: definition, vulnerability factors, warning signs, levels, referral pathway."""

    title: PlainText
    definition: Text
    definition_source: Ref[Reference]
    definition_note: Text | None = None
    groups: list[SignGroup] = Field(min_length=1)
    levels: list[RiskLevel] = Field(min_length=1)
    pathway: list[PathwayStep] = Field(min_length=1, description="The referral pathway, in order.")
    contacts: list[Ref[Contact]] = Field(default_factory=list)
    emergency_contact: Ref[Contact] = Field(description="The number to ring when a child is in immediate danger.")

    @model_validator(mode="after")
    def _levels_complete(self) -> "Toolkit":
        numbers = [level.level for level in self.levels]
        if numbers != list(range(1, len(numbers) + 1)):
            raise ValueError(f"levels must run 1, 2, 3 ... in order without gaps; found {numbers}")
        for field, items in (("groups", self.groups), ("levels", self.levels), ("pathway", self.pathway)):
            ids = [item.id for item in items]
            if len(ids) != len(set(ids)):
                raise ValueError(f"{field}: ids must be unique")
        signs = [sign.id for group in self.groups for sign in group.signs]
        if len(signs) != len(set(signs)):
            raise ValueError("groups: sign ids must be unique across the toolkit")
        return self
