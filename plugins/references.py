"""Where the facts come from: the documents cited, and which records are illustrative."""

from __future__ import annotations

from collections import Counter

from markupsafe import Markup
from pydantic import BaseModel

from plugins.hookspecs import hookimpl
from plugins.knowledge import Collection, Knowledge
from plugins.models import Reference, Sourced
from plugins.pages import Macro, PageContext
from plugins.render import render


@hookimpl
def register_collections(register):
    register(Collection("references", Reference, "reference",
                        description="Documents the facts in data/ are taken from."))


def display_name(record) -> str:
    """What a reader calls a record: its title, name or term."""
    for attribute in ("title", "name", "term"):
        value = getattr(record, attribute, None)
        if value:
            return value
    return record.id


def illustrative_parts(kb: Knowledge) -> list[tuple[str, str, str, str]]:
    """Parts of records marked illustrative (an update, a level, a session ...):
    (record, kind of record, part, what was assumed)."""
    found = []

    def walk(record, value, where: str) -> None:
        if isinstance(value, BaseModel):
            note = getattr(value, "illustrative", None)
            if note and value is not record:
                found.append((display_name(record), where, _part_name(value), note))
            for name in type(value).model_fields:
                walk(record, getattr(value, name), where)
        elif isinstance(value, (list, tuple)):
            for item in value:
                walk(record, item, where)

    for collection in kb.collections.values():
        for record in kb.all(collection.name):
            walk(record, record, collection.label)
    return found


def _part_name(part) -> str:
    for attribute in ("name", "title", "term", "date", "id"):
        value = getattr(part, attribute, None)
        if value:
            return str(value.long() if hasattr(value, "long") else value)
    return type(part).__name__


def sourced_records(kb: Knowledge) -> list[tuple[str, Sourced]]:
    """Every record that states facts, with its collection's label."""
    return [(collection.label, record)
            for name, collection in kb.collections.items()
            for record in kb.all(name) if isinstance(record, Sourced)]


@hookimpl
def register_macros(kb: Knowledge, register):
    def references_list(page: PageContext) -> Markup:
        """Every document cited, with how many records cite it."""
        cited = Counter(ref for _, record in sourced_records(kb) for ref in set(record.cites))
        references = sorted(kb.all("references"), key=lambda r: (r.published.start if r.published else kb.today, r.id))
        return render("references.html", page, kb, references=references, cited=cited)

    def illustrative_records(page: PageContext) -> Markup:
        """Every record marked illustrative, with what was assumed, and the totals."""
        records = sourced_records(kb)
        marked = [(label, record, display_name(record)) for label, record in records if record.illustrative]
        return render("illustrative.html", page, kb, marked=marked, total=len(records), parts=illustrative_parts(kb))

    files = tuple(kb.files["references"])
    register(Macro("references_list", references_list, files))
    register(Macro("illustrative_records", illustrative_records))
