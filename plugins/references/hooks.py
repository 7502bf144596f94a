"""The references feature's hook implementations. What the feature does: the package docstring (__init__.py)."""

from __future__ import annotations

from collections import Counter

from markupsafe import Markup

from plugins.core.hookspecs import hookimpl
from plugins.core.knowledge import Collection, Knowledge
from plugins.core.pages import Macro, PageContext
from plugins.core.records import Sourced
from plugins.core.render import render
from plugins.references.models import Reference


@hookimpl
def register_collections(register):
    register(Collection("references", Reference, "reference",
                        description="Documents the facts in data/ are taken from.",
                        page=lambda ref: f"about.md#ref-{ref.id}"))


@hookimpl
def register_macros(kb: Knowledge, register):
    def references_list(page: PageContext) -> Markup:
        """Every document cited, with how many records cite it."""
        cited = Counter(ref.id for record in kb.having(Sourced) for ref in set(record.cites))
        references = sorted(kb.all(Reference), key=lambda r: (r.published.start if r.published else kb.today, r.id))
        return render("references/references.html", page, kb, references=references, cited=cited)

    register(Macro("references_list", references_list, kb.files_of(Reference)))
