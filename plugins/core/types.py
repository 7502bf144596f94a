"""Field types shared by every model: identifiers, plain text, partial dates, references between records."""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Annotated, Any, Generic, TypeVar

from pydantic import AfterValidator, BeforeValidator, Field, GetCoreSchemaHandler, GetJsonSchemaHandler, StringConstraints
from pydantic_core import PydanticCustomError, core_schema

SLUG_PATTERN = r"^[a-z0-9]+(-[a-z0-9]+)*$"

Slug = Annotated[str, StringConstraints(pattern=SLUG_PATTERN, max_length=80)]
"""An identifier: lower-case letters, digits and single hyphens; it becomes part of a URL."""


def _plain(value: str) -> str:
    if "<" in value or ">" in value:
        raise PydanticCustomError(
            "plain_text", "must be plain text: '<' and '>' are not allowed in titles and names"
        )
    if "\n" in value:
        raise PydanticCustomError("plain_text", "must be a single line")
    return value


def _whole_number_as_text(value: Any) -> Any:
    """`period: 2015` means the text '2015' (not a float: `version: 1.10` would lose its 0)."""
    return str(value) if isinstance(value, int) and not isinstance(value, bool) else value


PlainText = Annotated[str, BeforeValidator(_whole_number_as_text), StringConstraints(strip_whitespace=True, min_length=1),
                      AfterValidator(_plain)]
"""A one-line name or title. Shown in page titles, so angle brackets are refused."""

Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
"""Free text. Always escaped on output; blank lines separate paragraphs."""


@dataclass(frozen=True, order=True)
class PartialDate:
    """A date known to the day, the month or only the year ("2014-11-19", "2014-11", "2014")."""

    year: int
    month: int = 0
    day: int = 0

    _PATTERN = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")
    _MONTHS = ["", *calendar.month_name[1:]]

    @classmethod
    def parse(cls, value: Any) -> "PartialDate":
        if isinstance(value, PartialDate):
            return value
        if isinstance(value, date):
            return cls(value.year, value.month, value.day)
        text = str(value).strip()
        match = cls._PATTERN.match(text)
        if not match:
            raise PydanticCustomError(
                "partial_date", "'{value}' is not a date: write YYYY-MM-DD, YYYY-MM or YYYY", {"value": text}
            )
        year, month, day = (int(part) if part else 0 for part in match.groups())
        try:
            if (match.group(2) and month < 1) or (match.group(3) and day < 1):
                raise ValueError("month and day count from 1")
            date(year, month or 1, day or 1)
        except ValueError:
            raise PydanticCustomError(
                "partial_date", "'{value}' is not a real date", {"value": text}
            ) from None
        return cls(year, month, day)

    @property
    def precision(self) -> str:
        return "day" if self.day else "month" if self.month else "year"

    @property
    def start(self) -> date:
        """The first day the value could mean (for sorting and comparisons)."""
        return date(self.year, self.month or 1, self.day or 1)

    def long(self) -> str:
        """'31 July 2012', 'November 2014' or '2014'."""
        if self.day:
            return f"{self.day} {self._MONTHS[self.month]} {self.year}"
        if self.month:
            return f"{self._MONTHS[self.month]} {self.year}"
        return str(self.year)

    def __str__(self) -> str:
        return "-".join(
            [f"{self.year:04d}"] + [f"{part:02d}" for part in (self.month, self.day) if part]
        )

    @classmethod
    def __get_pydantic_core_schema__(cls, source: Any, handler: GetCoreSchemaHandler) -> core_schema.CoreSchema:
        return core_schema.no_info_plain_validator_function(
            cls.parse, serialization=core_schema.to_string_ser_schema()
        )

    @classmethod
    def __get_pydantic_json_schema__(cls, schema: Any, handler: GetJsonSchemaHandler) -> dict[str, Any]:
        return {"anyOf": [{"type": "string", "pattern": r"^\d{4}(-\d{2}(-\d{2})?)?$"},
                          {"type": "integer", "minimum": 1000, "maximum": 9999}],
                "description": "YYYY-MM-DD, or YYYY-MM / YYYY when only the month or year is known"}


R = TypeVar("R")

REFERS_TO = "x-kb-refers-to"
"""In a model's JSON Schema: the model a reference field's ids belong to."""


@dataclass(frozen=True)
class To:
    """The target of a `Ref`: a model class, or its name when the model lives in a package the
    declaring module must not import (the core's traits name 'Role', 'Audience', 'Reference')."""

    target: Any

    @property
    def name(self) -> str:
        return self.target if isinstance(self.target, str) else self.target.__name__

    def __get_pydantic_json_schema__(self, schema: Any, handler: GetJsonSchemaHandler) -> dict[str, Any]:
        """Names the collection referred to, so `kb schema` can offer its ids (plugins/core/schema.py)."""
        json_schema = handler(schema)
        json_schema[REFERS_TO] = self.name
        return json_schema


class Ref(Generic[R]):
    """A field holding the id of a record in another collection: `theme: Ref[Theme]`.

    In YAML it is the id. Once the data is checked every reference resolves, and
    `ref.record` is the record it names (typed by the model it points at); `str(ref)`
    and `ref.id` are the id.
    """

    __slots__ = ("id", "_record")

    def __init__(self, record_id: str) -> None:
        self.id = record_id
        self._record: R | None = None

    if not TYPE_CHECKING:
        def __class_getitem__(cls, target: Any) -> Any:
            return Annotated[cls, To(target)]

    @property
    def record(self) -> R:
        if self._record is None:
            raise LookupError(f"reference '{self.id}' has not been resolved: load the data with load_knowledge()")
        return self._record

    def resolve(self, record: R) -> None:
        self._record = record

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Ref) and other.id == self.id

    def __hash__(self) -> int:
        return hash(self.id)

    def __str__(self) -> str:
        return self.id

    def __repr__(self) -> str:
        return f"Ref({self.id!r})"

    @classmethod
    def __get_pydantic_core_schema__(cls, source: Any, handler: GetCoreSchemaHandler) -> core_schema.CoreSchema:
        return core_schema.no_info_after_validator_function(
            lambda value: value if isinstance(value, Ref) else cls(value),
            core_schema.str_schema(pattern=SLUG_PATTERN),
            serialization=core_schema.plain_serializer_function_ser_schema(lambda ref: ref.id),
        )


@dataclass(frozen=True)
class PageRef:
    """Marks a field as naming a page of the site by its path under docs/ (checked when the site is built)."""


@dataclass(frozen=True)
class Recorded:
    """Marks a date on which something was recorded (an update, a review). The site is 'as at'
    the latest such date unless KB_AS_AT says otherwise."""


Number = Annotated[float, Field(allow_inf_nan=False)]
"""A figure: .nan and .inf are refused."""

MarkdownText = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
"""Text in the small Markdown subset (paragraphs, lists, emphasis, links), rendered then sanitised."""
