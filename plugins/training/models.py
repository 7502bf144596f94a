"""Training: courses, who must do them, their sessions, and the demand capacity is measured against."""

from __future__ import annotations

from datetime import date as date_type
from typing import Annotated, Literal

from pydantic import Field, model_validator

from plugins.core.records import Audienced, Part, Sourced
from plugins.core.types import PlainText, Ref, Slug, Text
from plugins.organisation.models import Role, Service

LEVELS = {"mandatory": "Mandatory", "recommended": "Recommended", "interim-alternative": "Interim alternative"}
Time = Annotated[str, Field(pattern=r"^([01]\d|2[0-3]):[0-5]\d$")]


class Requirement(Part):
    """Who must (or should) do a course."""

    role: Ref[Role] = Field(description="The role the requirement is for.")
    level: Literal["mandatory", "recommended", "interim-alternative"] = Field(
        description="mandatory, recommended, or interim-alternative (stands in for another course for now).")
    note: Text | None = Field(default=None, description="Anything the role should know, e.g. by when.")

    @property
    def level_label(self) -> str:
        return LEVELS[self.level]


class Session(Part):
    """One date a course runs on, with its places."""

    id: Slug = Field(description="Unique within the course; identifies the event in calendars.")
    date: date_type = Field(description="The day it runs (YYYY-MM-DD).")
    start: Time | None = Field(default=None, description="Start time, HH:MM (give start and end, or neither).")
    end: Time | None = Field(default=None, description="End time, HH:MM.")
    location: PlainText = Field(description="Where it runs, or 'Online'.")
    capacity: int = Field(ge=1, description="How many places it has.")
    places_taken: int = Field(ge=0, description="How many places are booked.")

    @model_validator(mode="after")
    def _places(self) -> "Session":
        if self.places_taken > self.capacity:
            raise ValueError(f"places_taken {self.places_taken} is more than the capacity {self.capacity}")
        if (self.start is None) != (self.end is None):
            raise ValueError("give both start and end times, or neither")
        if self.start and self.end and self.end <= self.start:
            raise ValueError(f"ends at {self.end}, before it starts at {self.start}")
        return self


class Course(Sourced, Audienced):
    """A training course: who provides it, how, for whom, and its sessions."""

    title: PlainText = Field(description="The course's name.")
    providers: list[Ref[Service]] = Field(min_length=1, description="Who runs it; several when it is run jointly.")
    format: Literal["classroom", "workshop", "e-learning", "briefing"] = Field(
        description="classroom, workshop, e-learning or briefing.")
    length: PlainText = Field(description="How long it takes, e.g. 'One day' or '90 minutes'.")
    description: Text = Field(description="What it covers and who it is for.")
    requirements: list[Requirement] = Field(default_factory=list, description="Which roles must or should do it.")
    alternative_to: Ref["Course"] | None = Field(
        default=None, description="For an interim alternative: the course it stands in for.")
    sessions: list[Session] = Field(default_factory=list, description="The dates it runs on.")

    @model_validator(mode="after")
    def _consistent(self) -> "Course":
        roles = [r.role.id for r in self.requirements]
        if len(roles) != len(set(roles)):
            raise ValueError("requirements: each role once")
        sessions = [s.id for s in self.sessions]
        if len(sessions) != len(set(sessions)):
            raise ValueError("sessions: each session id once (it identifies the event in calendars)")
        if any(r.level == "interim-alternative" for r in self.requirements) and not self.alternative_to:
            raise ValueError("an interim alternative must say which course it stands in for (`alternative_to`)")
        return self


class Demand(Sourced):
    """How many people must do the mandatory training: the figure capacity is measured against."""

    description: Text = Field(description="Who the figure counts, as the source says.")
    roles: list[Ref[Role]] = Field(min_length=1, description="The roles it counts.")
    count: int = Field(ge=1, description="How many people.")
    qualifier: Literal["exactly", "over", "about"] = Field(
        default="exactly", description="'over' when the source gives a lower bound, 'about' for an estimate.")
