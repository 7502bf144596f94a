"""The base of every record, and the traits records declare instead of features guessing field names.

A trait is a mixin model: `class Policy(Sourced, Owned, Audienced, Versioned)`.
Cross-cutting features ask the knowledge base for records with a trait
(`kb.having(Owned)`) and so work for any new collection without edits:

- `Sourced`: states facts; cites documents or says what is illustrative (provenance, About).
- `Owned`: an owner role answers for it, with review dates (review boxes, the reviews dashboard).
- `Audienced`: tagged with the audiences it is for (audience hubs).
- `Versioned`: one record per version, one of them current (policy versions).

Every record may also carry a `classification`; where it does not, its collection's default applies.
"""

from __future__ import annotations

import functools
from datetime import date
from typing import Annotated, ClassVar, Literal

from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, model_validator

from plugins.core.classifications import CLASSIFICATIONS
from plugins.core.types import PageRef, PartialDate, PlainText, Recorded, Ref, Slug, Text

# CLASSIFICATIONS (plugins/core/classifications.py), lowest first: a build publishes records classified at or
# below its own classification.

Classification = Literal["unrestricted", "official", "official-sensitive"]


class Origin(BaseModel):
    """Where a record was read from: the file relative to the project and its first line."""

    file: str
    line: int


class Part(BaseModel):
    """A part of a record (an update, a step, a session): plain fields, nothing unknown."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    plural: ClassVar[str | None] = None
    """What several parts of this kind are called where they are counted ('progress updates');
    None: the class name, split into words, with an s."""


class Record(BaseModel):
    """Fields every record has."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: Slug = Field(description="Unique within its collection; becomes part of URLs.")
    classification: Classification | None = Field(
        default=None,
        description="Who may see it: unrestricted, official or official-sensitive. Defaults to its "
                    "collection's classification; a build leaves out anything above its own.")
    _origin: Origin | None = PrivateAttr(default=None)
    _digest: str = PrivateAttr(default="")
    """A digest of the text the record was read from (of its whole file where the file was read whole): what
    a page made from the record is made from (plugins/core/inputs.py)."""

    @property
    def origin(self) -> Origin:
        assert self._origin is not None, "record was not loaded from a file"
        return self._origin


class Sourced(Record):
    """A record that states facts: it cites where they come from, or says what is illustrative."""

    cites: list[Ref["Reference"]] = Field(
        default_factory=list, description="Ids of the documents (data/references.yml) the facts come from.")
    illustrative: Text | None = Field(
        default=None,
        description="Set when any part of the record is not in a source: say what was assumed. "
                    "Shown wherever the record, or anything computed from it, appears.")

    @model_validator(mode="after")
    def _cites_or_is_illustrative(self) -> "Sourced":
        if not self.cites and not self.illustrative:
            raise ValueError(
                "states facts without a source: add `cites:` or mark it `illustrative:` saying what was assumed")
        return self


class Owned(BaseModel):
    """Trait: an owner role answers for its accuracy, and it is reviewed by a date."""

    owner: Ref["Role"] = Field(description="The role that owns it and answers for its accuracy (data/roles.yml).")
    last_reviewed: Annotated[date, Recorded()] = Field(description="When it was last reviewed (YYYY-MM-DD).")
    review_due: date = Field(description="When it must next be reviewed (YYYY-MM-DD).")

    @model_validator(mode="after")
    def _review_after_last(self) -> "Owned":
        if self.review_due <= self.last_reviewed:
            raise ValueError(f"review_due {self.review_due} must be after last_reviewed {self.last_reviewed}")
        return self


class Audienced(BaseModel):
    """Trait: tagged with the audiences it is for; it appears on their hubs."""

    audiences: list[Ref["Audience"]] = Field(min_length=1, description="Who it is for (data/audiences.yml).")


VersionStatus = Literal["draft", "approved", "superseded"]


class Versioned(BaseModel):
    """Trait: one record per version; only the approved version is current."""

    version: PlainText = Field(description="The version number, in quotes: \"1.0\".")
    status: VersionStatus = Field(description="draft, approved (the current version) or superseded.")
    approved: date | None = Field(default=None, description="When this version was approved (YYYY-MM-DD).")

    @model_validator(mode="after")
    def _approval(self) -> "Versioned":
        if self.status != "draft" and self.approved is None:
            raise ValueError(f"a {self.status} version needs its `approved` date")
        return self

    @property
    def current(self) -> bool:
        return self.status == "approved"


class PageLink(Part):
    """A link to a page of the site; the build fails if the page does not exist."""

    page: Annotated[str, PageRef(), Field(pattern=r"^[a-z0-9][a-z0-9/_-]*\.md$",
                                          description="Path under docs/ (or of a generated page), "
                                                      "e.g. glossary/index.md")]
    label: PlainText = Field(description="The link's text, as readers see it.")


def display_name(record: BaseModel) -> str:
    """What a reader calls a record when its collection does not say: its title, name or term."""
    for attribute in _names_of(type(record)):
        value = getattr(record, attribute, None)
        if value:
            return str(value)
    return str(getattr(record, "id", type(record).__name__))


@functools.cache
def _names_of(model: type) -> tuple[str, ...]:
    """Which of title, name and term a model has, as a field or a property: asking a model for an attribute it
    does not have is slow (pydantic looks for it among its private attributes first), and titles are asked for
    on every row of the longest pages."""
    return tuple(name for name in ("title", "name", "term")
                 if name in getattr(model, "model_fields", {}) or name in dir(model))


__all__ = ["CLASSIFICATIONS", "Audienced", "Classification", "Origin", "Owned", "PageLink", "Part", "PartialDate",
           "Record", "Sourced", "Versioned", "display_name"]
