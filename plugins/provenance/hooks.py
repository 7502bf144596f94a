"""The provenance feature's hook implementations. What the feature does: the package docstring (__init__.py)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from markupsafe import Markup
from pydantic import BaseModel

from plugins.core.hookspecs import hookimpl
from plugins.core.knowledge import Knowledge
from plugins.core.pages import Macro, PageContext, PageHtml
from plugins.core.provenance import MARKED, Basis
from plugins.core.records import Part, Sourced
from plugins.core.render import render

@hookimpl
def page_inputs(path: str, kb: Knowledge) -> None:
    """The legend follows from the page's HTML (a mark in it) and where the About page is (from the path)."""
    return None


@hookimpl(tryfirst=True)  # first, so boxes other plugins put at the top (owner and review) stay above it
def prepare_page_html(page: PageHtml, kb: Knowledge) -> None:
    """A page that shows a marked figure says what the mark means, once, at the top."""
    if MARKED in page.html:
        legend = _legend(kb, page.context.url("about.md", "what-illustrative-means"))
        head, h1, rest = page.html.partition("</h1>")   # below the page's own heading, where it has one
        page.html = head + h1 + legend + rest if h1 else legend + page.html


@lru_cache(maxsize=64)
def _legend(kb: Knowledge, about: str) -> str:
    """The legend, for a page from which the About page's explanation is at `about`: the same few texts on
    thousands of pages, each made once."""
    return str(render("provenance/legend.html", None, kb, about=about))


@dataclass(frozen=True)
class Tally:
    """How many of a kind there are, and how many rest on illustrative data."""

    kind: str
    total: int
    illustrative: int


def _part_kind(part: BaseModel) -> str:
    """'ProgressUpdate' -> 'progress updates', unless the part's class names its plural."""
    if getattr(type(part), "plural", None):
        return type(part).plural
    words = re.sub(r"(?<!^)(?=[A-Z])", " ", type(part).__name__).lower()
    return words + ("es" if words.endswith("s") else "s")


@lru_cache(maxsize=4)
def tallies(kb: Knowledge) -> tuple[list[Tally], list[Tally]]:
    """Records that state facts, by kind; and their parts, by kind, each resting on its record and itself.
    Counted once a build: the home page's claim and the provenance page both show them."""
    records: list[Tally] = []
    parts: dict[str, list[int]] = {}
    for collection in kb.collections.values():
        if not issubclass(collection.model, Sourced):
            continue
        items = list(kb.records[collection.name].values())
        if not items:
            continue
        records.append(Tally(collection.label, len(items), sum(1 for r in items if Basis.marks(r))))
        for record, found in _parts_of(kb, collection.name):
            marked = Basis.marks(record)
            for part in found:
                counts = parts.setdefault(_part_kind(part), [0, 0])
                counts[0] += 1
                counts[1] += marked or Basis.marks(part)
    return records, [Tally(kind, total, marked) for kind, (total, marked) in sorted(parts.items())]


def illustrative_parts(kb: Knowledge) -> list[tuple[str, str, str, str]]:
    """Parts of records that say what they assumed (an update, a level, a session ...):
    (record, kind of record, part, what was assumed)."""
    return [(kb.title(record), collection.label, _part_name(part), part.illustrative)
            for collection in kb.collections.values() for record, found in _parts_of(kb, collection.name)
            for part in found if getattr(part, "illustrative", None)]


@lru_cache(maxsize=64)
def _parts_of(kb: Knowledge, collection: str) -> list[tuple[BaseModel, list[Part]]]:
    """Each record of a collection with its parts (`_parts`), found once a build: both lists above count them."""
    return [(record, _parts(record)) for record in kb.records[collection].values()]


def _part_name(part: BaseModel) -> str:
    for attribute in ("name", "title", "term", "date", "id"):
        value = getattr(part, attribute, None)
        if value:
            return str(value.long() if hasattr(value, "long") else value)
    return _part_kind(part)


def _parts(value) -> list[Part]:
    found = []
    for name in type(value).model_fields:
        field = getattr(value, name)
        for item in field if isinstance(field, (list, tuple)) else [field]:
            if isinstance(item, Part):
                found.append(item)
                found += _parts(item)
    return found


@hookimpl
def register_macros(kb: Knowledge, register):
    def provenance_summary(page: PageContext) -> Markup:
        """What rests on illustrative data: records and their parts, by kind, and what each assumed."""
        records, parts = tallies(kb)
        marked = [(kb.collection(r).label, r, kb.title(r)) for r in kb.having(Sourced) if r.illustrative]
        return render("provenance/summary.html", page, kb, records=records, parts=parts, marked=marked,
                      marked_parts=illustrative_parts(kb))

    def provenance_pages(page: PageContext) -> Markup:
        """The pages of the site that show something resting on illustrative data."""
        return render("provenance/pages.html", page, kb, pages=page.pages_resting_on_illustrative())

    def provenance_claim(page: PageContext) -> Markup:
        """One honest sentence for the home page: how much is sourced, how much illustrative."""
        records, _ = tallies(kb)
        return render("provenance/claim.html", page, kb, total=sum(t.total for t in records),
                      illustrative=sum(t.illustrative for t in records))

    files = tuple(f for c in kb.collections.values() if issubclass(c.model, Sourced) for f in kb.files[c.name])
    register(Macro("provenance_summary", provenance_summary, files))
    register(Macro("provenance_pages", provenance_pages, files))
    register(Macro("provenance_claim", provenance_claim, files))
