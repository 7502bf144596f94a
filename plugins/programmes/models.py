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
    """A dated step of a programme."""

    date: PartialDate = Field(description="When, as precisely as known: YYYY-MM-DD, YYYY-MM or YYYY.")
    title: PlainText = Field(description="What happens, in a few words.")
    state: Literal["done", "in-progress", "planned"] = Field(description="done, in-progress or planned.")
    note: Text | None = Field(default=None, description="Anything a reader should know about it.")
    illustrative: Text | None = Field(default=None, description="Set when this milestone is not from a source: "
                                                                "say what was assumed.")


class Programme(Sourced):
    """A programme of change: what it is, its partner, its milestones and the plan actions it carries."""

    name: PlainText = Field(description="The programme's name.")
    partner: Ref[Service] | None = Field(default=None, description="The partner organisation it is run with, if any.")
    description: Text = Field(description="What the programme is and why it is run.")
    model: list[Text] = Field(default_factory=list, description="What the programme's model or approach is.")
    milestones: list[Milestone] = Field(min_length=1, description="Its milestones, oldest first.")
    actions: list[Ref[Action]] = Field(default_factory=list, description="Development Plan actions it carries.")
    order: int = Field(default=100, description="Lower numbers are listed first.")

    @model_validator(mode="after")
    def _milestones_in_order(self) -> "Programme":
        starts = [m.date.start for m in self.milestones]
        if starts != sorted(starts):
            raise ValueError("milestones must be in date order")
        return self
