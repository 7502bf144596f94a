"""A document facts are taken from."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from plugins.core.records import Record
from plugins.core.types import PartialDate, PlainText, Text


class Reference(Record):
    """A document facts are taken from: a report, statutory guidance, a briefing."""

    title: PlainText = Field(description="The document's title, as published.")
    publisher: PlainText = Field(description="Who published it, e.g. Ofsted, Kent County Council, DfE.")
    published: PartialDate | None = Field(default=None, description="When it was published, as precisely as known.")
    kind: Literal["committee-report", "inspection-report", "statutory-guidance", "guidance",
                  "toolkit", "briefing", "research", "web-page", "legislation"] = Field(
        description="What sort of document it is.")
    reference_number: PlainText | None = Field(default=None, description="The publisher's reference, e.g. Ofsted's.")
    location: PlainText | None = Field(
        default=None, description="Where a reader can find it (a web address or document store path), shown as text.")
    note: Text | None = Field(default=None, description="Anything a reader should know about it.")
