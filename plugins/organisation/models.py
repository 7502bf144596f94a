"""The organisation: services, areas and districts, audiences, roles and public contact numbers."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field

from plugins.core.records import PageLink, Sourced
from plugins.core.types import PlainText, Ref, Text


class Service(Sourced):
    """A service that leads or takes part in the work: a KCC division, team or a partner."""

    name: PlainText = Field(description="The service's full name.")
    abbreviation: PlainText | None = Field(default=None, description="What it is usually called, e.g. SCS.")
    kind: Literal["council", "kcc-division", "kcc-team", "partnership", "partner"] = Field(
        description="council, kcc-division, kcc-team, partnership or partner.")
    description: Text = Field(description="What it does, in a sentence or two.")


class Area(Sourced):
    """One of the four Kent areas and the districts in it."""

    name: PlainText = Field(description="The area's name, e.g. West Kent.")
    districts: list[PlainText] = Field(min_length=1, description="The districts in the area; each in one area only.")
    note: Text | None = Field(default=None, description="Anything a reader should know about it.")


class Audience(Sourced):
    """A group of readers the site serves."""

    name: PlainText = Field(description="Who they are, as the hub's heading says it.")
    description: Text = Field(description="Who is in the group.")
    needs: list[Text] = Field(min_length=1, description="What this audience comes to the site for.")
    start_here: list[PageLink] = Field(min_length=1, description="The pages this audience starts from.")


class Role(Sourced):
    """A job or part people play; owners and training requirements name roles, never people."""

    name: PlainText = Field(description="The role's name, e.g. Social worker.")
    audience: Ref[Audience] | None = Field(
        default=None, description="The audience whose hub lists this role; none for partners' roles (the police).")
    service: Ref[Service] | None = Field(default=None, description="The service the role sits in, if one.")
    description: Text = Field(description="What the role does, in a sentence or two.")


class Contact(Sourced):
    """A public service telephone number."""

    name: PlainText = Field(description="Who answers, e.g. Out of Hours Service.")
    number: Annotated[str, Field(pattern=r"^[0-9][0-9 ]{1,15}[0-9]$",
                                 description="A public service number, digits and spaces, in quotes: \"03000 41 11 11\".")]
    hours: PlainText = Field(description="When it is answered, e.g. '24 hours' or 'Monday to Friday, 9am to 5pm'.")
    use_for: Text = Field(description="When to ring it.")
    order: int = Field(default=100, description="Lower numbers are listed first.")

    @property
    def tel(self) -> str:
        """The number as a `tel:` URI."""
        return "tel:" + self.number.replace(" ", "")
