"""The personal-data allow-list: reviewed exceptions to the guard, one exact text in one file each."""

from __future__ import annotations

from datetime import date

from pydantic import Field

from plugins.core.records import Record
from plugins.core.types import PlainText, Ref, Text
from plugins.organisation.models import Role


class AllowedText(Record):
    """Text the personal-data guard stops that a reviewer has judged not to be personal data.

    It clears exactly this text in exactly this file, nothing else: the guard is
    never switched off. An entry whose text no longer appears there is refused,
    so the list cannot outlive what it was reviewed for.
    """

    text: PlainText = Field(description="The exact text the guard stopped, as it appears (e.g. a public "
                                        "number or an organisation's address).")
    file: str = Field(pattern=r"^(data|docs)/[A-Za-z0-9][A-Za-z0-9_./-]*\.(yml|yaml|md)$",
                      description="Where it appears: the data file or page, e.g. docs/about.md.")
    reviewed_by: Ref[Role] = Field(description="The role of the person who reviewed it (data/roles.yml).")
    reviewed: date = Field(description="When it was reviewed (YYYY-MM-DD).")
    reason: Text = Field(description="Why it is not personal data: whose it is and why it may be published.")
