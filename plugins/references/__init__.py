"""Where the facts come from: the documents cited, and which records are illustrative."""

from __future__ import annotations

from collections import Counter

from markupsafe import Markup

from plugins.core.fields import parts
from plugins.core.hookspecs import hookimpl
from plugins.core.knowledge import Collection, Knowledge
from plugins.core.pages import Macro, PageContext
from plugins.core.records import Sourced, display_name
from plugins.core.render import render
from plugins.references.models import Reference


@hookimpl
def register_collections(register):
    register(Collection("references", Reference, "reference",
                        description="Documents the facts in data/ are taken from.",
                        page=lambda ref: f"about.md#ref-{ref.id}"))


def illustrative_parts(kb: Knowledge) -> list[tuple[str, str, str, str]]:
    """Parts of records marked illustrative (an update, a level, a session ...):
    (record, kind of record, part, what was assumed)."""
    found = []
    for collection in kb.collections.values():
        for record in kb.records[collection.name].values():
            for path, part in parts(record):
                note = getattr(part, "illustrative", None)
                if note and path:
                    found.append((kb.title(record), collection.label, _part_name(part), note))
    return found


def _part_name(part) -> str:
    for attribute in ("name", "title", "term", "date", "id"):
        value = getattr(part, attribute, None)
        if value:
            return str(value.long() if hasattr(value, "long") else value)
    return display_name(part)


@hookimpl
def register_macros(kb: Knowledge, register):
    def references_list(page: PageContext) -> Markup:
        """Every document cited, with how many records cite it."""
        cited = Counter(ref.id for record in kb.having(Sourced) for ref in set(record.cites))
        references = sorted(kb.all(Reference), key=lambda r: (r.published.start if r.published else kb.today, r.id))
        return render("references/references.html", page, kb, references=references, cited=cited)

    def illustrative_records(page: PageContext) -> Markup:
        """Every record marked illustrative, with what was assumed, and the totals."""
        records = list(kb.having(Sourced))
        marked = [(kb.collection(record).label, record, kb.title(record)) for record in records if record.illustrative]
        return render("references/illustrative.html", page, kb, marked=marked, total=len(records),
                      parts=illustrative_parts(kb))

    register(Macro("references_list", references_list, kb.files_of(Reference)))
    register(Macro("illustrative_records", illustrative_records))
