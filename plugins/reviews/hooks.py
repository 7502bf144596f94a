"""The reviews feature's hook implementations. What the feature does: the package docstring (__init__.py)."""

from __future__ import annotations

import argparse
import json
import logging
import sys
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache

from plugins.core.command import Command
from plugins.core.hookspecs import hookimpl
from plugins.core.knowledge import Knowledge
from plugins.core.pages import GeneratedPage, PageHtml, site_path
from plugins.core.records import Owned, Record, Sourced, Versioned
from plugins.core.render import render
from plugins.core.settings import SettingsError, parse_as_at

log = logging.getLogger("mkdocs.plugins.kb")

DUE_SOON_DAYS = 30
DASHBOARD = "editors/reviews.md"


@dataclass(frozen=True)
class ReviewItem:
    record: Record
    title: str
    pages: tuple[str, ...]
    owner: str
    state: str
    """'overdue', 'due-soon' or 'current'."""

    @property
    def review(self) -> Owned:
        return self.record  # type: ignore[return-value]


def review_state(record: Owned, as_at: date, within: int = DUE_SOON_DAYS) -> str:
    if record.review_due < as_at:
        return "overdue"
    if record.review_due <= as_at + timedelta(days=within):
        return "due-soon"
    return "current"


def review_items(kb: Knowledge, as_at: date, within: int = DUE_SOON_DAYS) -> list[ReviewItem]:
    """Every owned record that is published on a page, with its review state as at a date."""
    items = [ReviewItem(record, kb.title(record), tuple(pages), kb.title(record.owner.record),
                        review_state(record, as_at, within))
             for _, record, pages in kb.published() if isinstance(record, Owned)]
    return sorted(items, key=lambda i: (i.owner, i.review.review_due, i.title))


@lru_cache(maxsize=4)
def _items_by_page(kb: Knowledge) -> dict[str, ReviewItem]:
    return {page: item for item in review_items(kb, kb.as_at) for page in item.pages}


def item_for(kb: Knowledge, path: str) -> ReviewItem | None:
    """The owned record a page belongs to: its own, or the section's whose index page owns the folder."""
    items = _items_by_page(kb)
    if path in items:
        return items[path]
    folder = path.rpartition("/")[0]
    while folder:
        if f"{folder}/index.md" in items:
            return items[f"{folder}/index.md"]
        folder = folder.rpartition("/")[0]
    return None


@hookimpl
def page_inputs(path: str, kb: Knowledge) -> ReviewItem | None:
    """The review box shows the owned record the page belongs to (the date as at is the build's)."""
    return item_for(kb, path)


@hookimpl
def prepare_page_html(page: PageHtml, kb: Knowledge) -> None:
    """Put the owner, review dates and, when past its review date, a warning at the top of the page."""
    item = item_for(kb, page.path)
    if item is not None:
        # A record shown on a page made for it carries its own notice there; a record that owns a whole
        # section (its page is the section's index) appears nowhere else, so its note goes with its dates.
        section_note = isinstance(item.record, Sourced) and all(p.endswith("/index.md") for p in item.pages)
        page.html = str(render("reviews/review_box.html", None, kb, item=item, as_at=kb.as_at,
                               section_note=section_note)) + page.html


@hookimpl
def register_pages(kb: Knowledge, register):
    items = review_items(kb, kb.as_at)
    for item in items:
        due = item.review.review_due.isoformat()
        if item.state == "overdue":
            log.info(f"kb: review overdue: {item.title} (owner: {item.owner}) was due {due}")
        elif item.state == "due-soon":
            log.info(f"kb: review due within {DUE_SOON_DAYS} days: {item.title} (owner: {item.owner}) on {due}")
    drafts = [r for r in kb.having(Versioned) if r.status == "draft" and isinstance(r, Owned)]
    files = sorted({f for c in kb.collections.values() if issubclass(c.model, Owned) for f in kb.files[c.name]})
    register(GeneratedPage(
        path=DASHBOARD, title="Reviews due", template="reviews/reviews.html",
        context={"items": items, "as_at": kb.as_at, "within": DUE_SOON_DAYS, "drafts": drafts},
        data_files=tuple(files), description="Pages past their review date or due for review soon, by owner."))


def _as_at(text: str) -> date:
    try:
        return parse_as_at(text, date.today(), "--as-at") or date.today()
    except SettingsError as error:
        raise argparse.ArgumentTypeError(str(error)) from None


def run(kb: Knowledge | None, args: argparse.Namespace) -> int:
    assert kb is not None
    as_at = args.as_at or kb.as_at
    items = [i for i in review_items(kb, as_at, args.within) if i.state != "current"]
    if args.json:
        json.dump({"as_at": as_at.isoformat(), "within_days": args.within, "reviews": [
            {"owner": i.owner, "owner_role": i.review.owner.id, "title": i.title, "state": i.state,
             "review_due": i.review.review_due.isoformat(), "last_reviewed": i.review.last_reviewed.isoformat(),
             "pages": [site_path(p) for p in i.pages],
             "file": i.record.origin.file, "line": i.record.origin.line} for i in items]}, sys.stdout, indent=2)
        print()
        return 0
    print(f"Reviews as at {as_at.isoformat()}: {len(items)} overdue or due within {args.within} days")
    owner = None
    for item in items:
        if item.owner != owner:
            owner = item.owner
            print(f"\n{owner}")
        label = "OVERDUE " if item.state == "overdue" else "DUE SOON"
        print(f"  {label}  {item.review.review_due.isoformat()}  {item.title}  "
              f"({item.record.origin.file}:{item.record.origin.line})")
    return 0


def arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--within", type=int, default=DUE_SOON_DAYS, metavar="DAYS",
                        help=f"count reviews due within this many days as due soon (default {DUE_SOON_DAYS})")
    parser.add_argument("--json", action="store_true", help="print JSON for a scheduled reminder job")
    parser.add_argument("--as-at", type=_as_at, help="YYYY-MM-DD or 'today' (default: the site's as-at date)")
    parser.add_argument("--data", help="data folder (default: data/ beside mkdocs.yml)")


@hookimpl
def register_commands(register):
    register(Command("reviews", "list pages past their review date or due for review soon, by owner", run, arguments))
