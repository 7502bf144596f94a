"""An abbreviation and what it stands for."""

from __future__ import annotations

from typing import Annotated

from pydantic import Field

from plugins.core.records import Sourced
from plugins.core.types import PlainText, Ref, Text


class GlossaryEntry(Sourced):
    """An abbreviation and what it stands for; explained wherever it appears."""

    term: Annotated[str, Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9&'\-]*[A-Za-z0-9]$",
                               description="The abbreviation as it is written in text, e.g. CSE or EH&PS.")]
    stands_for: PlainText = Field(description="What the abbreviation stands for, written out.")
    definition: Text = Field(description="What it means, in plain words.")
    plural: bool = Field(default=True, description="Also explain the plural ('IROs').")
    see_also: list[Ref["GlossaryEntry"]] = Field(default_factory=list, description="Ids of related glossary terms.")
