"""An owned section of guidance."""

from __future__ import annotations

from pydantic import Field

from plugins.core.records import Audienced, Owned, Sourced
from plugins.core.types import PlainText, Slug, Text


class Guidance(Sourced, Owned, Audienced):
    """An owned section of guidance (the CSE toolkit, training ...): who it is for and when it is reviewed.

    Its owner and review dates are shown on every page of the section (/<section>/...).
    """

    section: Slug = Field(description="The section's URL, e.g. cse-toolkit for /cse-toolkit/.")
    title: PlainText = Field(description="The section's name, as readers see it.")
    summary: Text = Field(description="What the section covers, in a few sentences.")
    carer_page: Slug | None = Field(
        default=None, description="A plain-English version for foster carers, made by the section's feature, "
                                  "at /foster-carers/<carer_page>/; it belongs to the section (owner, reviews, hubs).")

    @property
    def carer_page_path(self) -> str | None:
        return f"foster-carers/{self.carer_page}/index.md" if self.carer_page else None
