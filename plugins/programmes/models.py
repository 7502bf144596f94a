"""Programmes of change and their milestones."""

from __future__ import annotations

from typing import Literal

from pydantic import Field, model_validator

from plugins.core.records import Part, Sourced
from plugins.core.types import PartialDate, PlainText, Ref, Text
from plugins.organisation.models import Service
from plugins.plan.models import Action

STATES = {"done": "Done", "in-progress": "In progress", "planned": "Planned"}


class Milestone(Part):
    date: PartialDate
    title: PlainText
    state: Literal["done", "in-progress", "planned"]
    note: Text | None = None
    illustrative: Text | None = None


class Programme(Sourced):
    """A programme of change: what it is, its partner, its milestones and the plan actions it carries."""

    name: PlainText
    partner: Ref[Service] | None = None
    description: Text
    model: list[Text] = Field(default_factory=list, description="What the programme's model or approach is.")
    milestones: list[Milestone] = Field(min_length=1)
    actions: list[Ref[Action]] = Field(default_factory=list)
    order: int = 100

    @model_validator(mode="after")
    def _milestones_in_order(self) -> "Programme":
        starts = [m.date.start for m in self.milestones]
        if starts != sorted(starts):
            raise ValueError("milestones must be in date order")
        return self
