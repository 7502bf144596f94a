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

    role: Ref[Role]
    level: Literal["mandatory", "recommended", "interim-alternative"]
    note: Text | None = None

    @property
    def level_label(self) -> str:
        return LEVELS[self.level]


class Session(Part):
    id: Slug
    date: date_type
    start: Time | None = None
    end: Time | None = None
    location: PlainText
    capacity: int = Field(ge=1)
    places_taken: int = Field(ge=0)

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

    title: PlainText
    providers: list[Ref[Service]] = Field(min_length=1, description="Who runs it; several when it is run jointly.")
    format: Literal["classroom", "workshop", "e-learning", "briefing"]
    length: PlainText
    description: Text
    requirements: list[Requirement] = Field(default_factory=list)
    alternative_to: Ref["Course"] | None = Field(
        default=None, description="For an interim alternative: the course it stands in for.")
    sessions: list[Session] = Field(default_factory=list)

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

    description: Text
    roles: list[Ref[Role]] = Field(min_length=1)
    count: int = Field(ge=1)
    qualifier: Literal["exactly", "over", "about"] = "exactly"
