"""Editions: the same data built for its readers. `KB_EDITION=internal` (the default) builds every page;
`kb build --edition public -d DIR` builds the carers' public edition, fit for the open web or a leaflet
rack: only unrestricted content written for foster carers.

The public edition holds:

- the foster carers' start page, as its home page, and every page under foster-carers/
  (the carers' version of each policy);
- the pages of every record tagged for foster carers (`Audienced`), using the
  version made for them where there is one; a record whose page is a section's
  index (a guidance section such as the CSE toolkit) brings the whole section;
- the glossary, and the organisation page with the numbers to ring.

Everything else is left out, and nothing points at it: records classified
above unrestricted are left out of the knowledge before any page is made (with
every record that names one, so no title of theirs leaks through a reference);
pages not chosen are not built, not in the navigation, the search index or the
sitemap; a link to one is reduced to its text; no export is written.

Every page's footer states its build's classification (internal) or that it is
the public edition.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Iterable
from urllib.parse import unquote

from plugins.core.fields import references
from plugins.core.knowledge import Knowledge
from plugins.core.pages import get_relative_url
from plugins.core.records import CLASSIFICATIONS, Audienced

PUBLIC = "public"
PUBLIC_AUDIENCE = "foster-carers"
PUBLIC_HOME = f"{PUBLIC_AUDIENCE}/index.md"
"""The foster carers' start page: the public edition's home page."""
MOVED = {PUBLIC_AUDIENCE: ""}
"""Where links to the carers' start page point in the public edition: its home page."""
PUBLIC_PAGES = ("glossary/index.md", "organisation.md")
"""Hand-written pages fit for anyone: what the abbreviations mean, and the numbers to ring."""
PUBLIC_ASSETS = "assets/"
OWNER = "Kent County Council children's services"


def footer(edition: str, classification: str) -> str:
    """The line every page ends with: who publishes it and how it is classified."""
    if edition == PUBLIC:
        return f"{OWNER}: information for foster carers and supported lodgings providers. Public edition: unrestricted."
    marking = classification.upper() if classification != "unrestricted" else "unrestricted"  # OFFICIAL-SENSITIVE
    return f"{OWNER}. Classification: {marking}. Internal knowledge base."


# --- what the public edition leaves out -------------------------------------------------


def leave_out_above(kb: Knowledge, ceiling: str) -> int:
    """Remove every record classified above `ceiling`, and every record that refers to a removed one
    (repeatedly, until none does). Returns how many records were removed."""
    limit = CLASSIFICATIONS.index(ceiling)
    removed: set[tuple[str, str]] = set()
    for records in kb.records.values():
        for record_id, record in list(records.items()):
            if CLASSIFICATIONS.index(kb.classification_of(record)) > limit:
                removed.add((type(record).__name__, record_id))
                del records[record_id]
    changed = bool(removed)
    while changed:
        changed = False
        for records in kb.records.values():
            for record_id, record in list(records.items()):
                if any((target, ref.id) in removed for _, target, ref in references(record)):
                    removed.add((type(record).__name__, record_id))
                    del records[record_id]
                    changed = True
    return len(removed)


def public_pages(kb: Knowledge, pages: Iterable[str]) -> frozenset[str]:
    """The pages (docs paths) of the public edition, out of all the site's pages."""
    pages = set(pages)
    chosen = {p for p in pages if p.startswith(f"{PUBLIC_AUDIENCE}/") or p in PUBLIC_PAGES}
    sections = set()
    for _, record, record_pages in kb.published():
        if isinstance(record, Audienced) and PUBLIC_AUDIENCE in {a.id for a in record.audiences}:
            own = [p for p in record_pages if p.startswith(f"{PUBLIC_AUDIENCE}/")] or record_pages
            chosen.update(own)
            sections.update(p.removesuffix("index.md") for p in own if p.endswith("/index.md"))
    chosen.update(p for p in pages if any(p.startswith(section) for section in sections))
    return frozenset((chosen & pages) | {"index.md"})


def public_nav(nav: list, pages: frozenset[str]) -> list:
    """mkdocs.yml's navigation with only the public edition's pages (the home first)."""
    kept = []
    for item in nav:
        title, target = next(iter(item.items())) if isinstance(item, dict) else (None, item)
        if isinstance(target, list):
            inner = public_nav(target, pages)
            if inner:
                kept.append({title: inner})
        elif target == "index.md" or (target in pages and target != PUBLIC_HOME):
            kept.append({title: target} if title else target)
    return kept


def is_public_asset(path: str, pages: frozenset[str]) -> bool:
    """An image or document in docs/ belongs in the public edition if it is a theme asset or sits
    beside a public page."""
    folder = posixpath.dirname(path)
    return path.startswith(PUBLIC_ASSETS) or any(posixpath.dirname(page) == folder for page in pages)


# --- links to what was left out ----------------------------------------------------------

_ANCHOR = re.compile(r"<a\b(?P<before>[^>]*?)\shref=\"(?P<href>[^\"]*)\"(?P<after>[^>]*)>(?P<body>.*?)</a>", re.S)
_EXTERNAL = re.compile(r"^(?:[a-z][a-z0-9+.-]*:|//|#)", re.I)


def keep_links_inside(html: str, page_url: str, kept: frozenset[str], moved: dict[str, str]) -> str:
    """Reduce every link to something this edition does not publish to its text; point links to a
    page that moved (the carers' start page, now the home page) at its new place.

    `kept`: the site-root-relative URLs of what is published ('', 'glossary/', 'assets/kb.css').
    """
    base = page_url if page_url.endswith("/") or not page_url else posixpath.dirname(page_url) + "/"

    def rewrite(match: re.Match) -> str:
        href = match.group("href")
        if _EXTERNAL.match(href):
            return match.group()
        path, hash_, fragment = href.partition("#")
        target = _normal(posixpath.join(base, unquote(path)) if path else page_url)
        if target in moved:
            new = get_relative_url(moved[target] or ".", page_url or ".") + (hash_ + fragment if fragment else "")
            return f'<a{match.group("before")} href="{new}"{match.group("after")}>{match.group("body")}</a>'
        if target in kept:
            return match.group()
        return match.group("body")

    return _ANCHOR.sub(rewrite, html)


def site_urls(urls: Iterable[str]) -> frozenset[str]:
    return frozenset(_normal(url) for url in urls)


def _normal(url: str) -> str:
    path = posixpath.normpath(url) if url else ""
    path = "" if path == "." else path
    return path.removesuffix("/index.html").removesuffix("index.html").strip("/")
