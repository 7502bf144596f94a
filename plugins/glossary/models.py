"""An abbreviation and what it stands for, or a term and what it means."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, model_validator

from plugins.core.records import Sourced
from plugins.core.types import PlainText, Ref, Text


class GlossaryEntry(Sourced):
    """An abbreviation (SCS) or a term (placement plan), explained wherever it appears on the site."""

    term: Annotated[str, Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9&'() \-]*[A-Za-z0-9)]$",
                               description="As it is written in running text: 'CSE', 'placement plan'.")]
    kind: Literal["abbreviation", "term"] = Field(
        default="abbreviation", description="An abbreviation matches exactly; a term matches whether or not its "
                                            "first letter is a capital (at the start of a sentence).")
    stands_for: PlainText | None = Field(default=None, description="What an abbreviation stands for.")
    meaning: PlainText | None = Field(default=None, description="A term's meaning in a few words, for the tooltip.")
    definition: Text = Field(description="What it means, in plain words.")
    plural: bool = Field(default=True, description="Also explain the plural ('IROs', 'placement plans').")
    see_also: list[Ref["GlossaryEntry"]] = Field(default_factory=list, description="Ids of related glossary terms.")

    @model_validator(mode="after")
    def _explained(self) -> "GlossaryEntry":
        if self.kind == "abbreviation" and not self.stands_for:
            raise ValueError("an abbreviation needs `stands_for`")
        if self.kind == "term" and not self.meaning:
            raise ValueError("a term needs `meaning`: what it means in a few words")
        return self

    @property
    def tooltip(self) -> str:
        """The short explanation shown as a tooltip and read out by screen readers."""
        return str(self.stands_for or self.meaning)
