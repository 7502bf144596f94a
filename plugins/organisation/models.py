"""The organisation: services, areas and districts, audiences, roles and public contact numbers."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field

from plugins.core.records import PageLink, Sourced
from plugins.core.types import PlainText, Ref, Text


class Service(Sourced):
    """A service that leads or takes part in the work: a KCC division, team or a partner."""

    name: PlainText
    abbreviation: PlainText | None = None
    kind: Literal["council", "kcc-division", "kcc-team", "partnership", "partner"]
    description: Text


class Area(Sourced):
    """One of the four Kent areas and the districts in it."""

    name: PlainText
    districts: list[PlainText] = Field(min_length=1)
    note: Text | None = None


class Audience(Sourced):
    """A group of readers the site serves."""

    name: PlainText
    description: Text
    needs: list[Text] = Field(min_length=1, description="What this audience comes to the site for.")
    start_here: list[PageLink] = Field(min_length=1, description="The pages this audience starts from.")


class Role(Sourced):
    """A job or part people play; owners and training requirements name roles, never people."""

    name: PlainText
    audience: Ref[Audience] | None = Field(
        default=None, description="The audience whose hub lists this role; none for partners' roles (the police).")
    service: Ref[Service] | None = None
    description: Text


class Contact(Sourced):
    """A public service telephone number."""

    name: PlainText
    number: Annotated[str, Field(pattern=r"^[0-9][0-9 ]{1,15}[0-9]$")]
    hours: PlainText
    use_for: Text
    order: int = Field(default=100, description="Lower numbers are listed first.")

    @property
    def tel(self) -> str:
        """The number as a `tel:` URI."""
        return "tel:" + self.number.replace(" ", "")
