"""A document facts are taken from."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from plugins.core.records import Record
from plugins.core.types import PartialDate, PlainText, Text


class Reference(Record):
    """A document facts are taken from: a report, statutory guidance, a briefing."""

    title: PlainText
    publisher: PlainText
    published: PartialDate | None = Field(default=None, description="When it was published, as precisely as known.")
    kind: Literal["committee-report", "inspection-report", "statutory-guidance", "guidance",
                  "toolkit", "briefing", "research", "web-page", "legislation"]
    reference_number: PlainText | None = Field(default=None, description="The publisher's reference, e.g. Ofsted's.")
    location: PlainText | None = Field(
        default=None, description="Where a reader can find it (a web address or document store path), shown as text.")
    note: Text | None = None
