"""Review governance: every owned page shows its owner and review dates; overdue pages say so.

Works on any record that has the `Reviewed` fields and a collection that knows
its pages (`pages_of`). Gives the editors' dashboard at /editors/reviews/, a
notice in the build log for reviews due soon, and `kb reviews` for a scheduled
reminder job.
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache

from plugins.hookspecs import hookimpl
from plugins.knowledge import Knowledge
from plugins.models import Guidance, Record, Reviewed
from plugins.pages import GeneratedPage, PageHtml, site_path
from plugins.references import display_name
from plugins.render import render

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
    def review(self) -> Reviewed:
        return self.record  # type: ignore[return-value]


def review_state(record: Reviewed, as_at: date, within: int = DUE_SOON_DAYS) -> str:
    if record.review_due < as_at:
        return "overdue"
    if record.review_due <= as_at + timedelta(days=within):
        return "due-soon"
    return "current"


def review_items(kb: Knowledge, as_at: date, within: int = DUE_SOON_DAYS) -> list[ReviewItem]:
    """Every owned record that is published on a page, with its review state as at a date."""
    owners = {r.id: r.name for r in kb.all("roles")}
    items = [ReviewItem(record, display_name(record), tuple(pages), owners[record.owner],
                        review_state(record, as_at, within))
             for _, record, pages in kb.published() if isinstance(record, Reviewed)]
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
def prepare_page_html(page: PageHtml, kb: Knowledge) -> None:
    """Put the owner, review dates and, when past its review date, a warning at the top of the page."""
    item = item_for(kb, page.path)
    if item is not None:
        # A guidance section's record appears nowhere else, so its illustrative note goes with its dates.
        page.html = str(render("review_box.html", None, kb, item=item, as_at=kb.as_at,
                               section_note=isinstance(item.record, Guidance))) + page.html


@hookimpl
def register_pages(kb: Knowledge, register):
    items = review_items(kb, kb.as_at)
    for item in items:
        due = item.review.review_due.isoformat()
        if item.state == "overdue":
            log.info(f"kb: review overdue: {item.title} (owner: {item.owner}) was due {due}")
        elif item.state == "due-soon":
            log.info(f"kb: review due within {DUE_SOON_DAYS} days: {item.title} (owner: {item.owner}) on {due}")
    drafts = [p for p in kb.all("policies") if p.status == "draft"] if "policies" in kb.collections else []
    files = sorted({f for c in kb.collections.values() if c.pages_of for f in kb.files[c.name]})
    register(GeneratedPage(
        path=DASHBOARD, title="Reviews due", template="reviews.html",
        context={"items": items, "as_at": kb.as_at, "within": DUE_SOON_DAYS, "drafts": drafts,
                 "owners": {r.id: r.name for r in kb.all("roles")}},
        data_files=tuple(files), description="Pages past their review date or due for review soon, by owner."))


def _as_at(text: str) -> date:
    if text == "today":
        return date.today()
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a date (YYYY-MM-DD) or 'today'") from None


def run(args: argparse.Namespace) -> int:
    from plugins.cli import load

    kb = load(args)
    as_at = args.as_at or kb.as_at
    items = [i for i in review_items(kb, as_at, args.within) if i.state != "current"]
    if args.json:
        json.dump({"as_at": as_at.isoformat(), "within_days": args.within, "reviews": [
            {"owner": i.owner, "owner_role": i.review.owner, "title": i.title, "state": i.state,
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


@hookimpl
def register_commands(commands):
    p = commands.add_parser("reviews", help="list pages past their review date or due for review soon, by owner")
    p.add_argument("--within", type=int, default=DUE_SOON_DAYS, metavar="DAYS",
                   help=f"count reviews due within this many days as due soon (default {DUE_SOON_DAYS})")
    p.add_argument("--json", action="store_true", help="print JSON for a scheduled reminder job")
    p.add_argument("--as-at", type=_as_at, help="YYYY-MM-DD or 'today' (default: the site's as-at date)")
    p.add_argument("--data", help="data folder (default: data/ beside mkdocs.yml)")
    p.set_defaults(run=run)
