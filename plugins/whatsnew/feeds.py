"""Atom feeds (RFC 4287) of What's new: one for the whole site and one per audience.

Deterministic: ids are `urn:uuid`s made from each entry's key, and every date is
the data's or a commit's, never the build's, so the same data and history give
the same feeds byte for byte. Links are relative to the feed, which sits in
/whats-new/ beside the page (directory URLs, as mkdocs.yml builds the site). An
entry resting on illustrative records says so: its title starts "Illustrative:"
and its summary says what was assumed.
"""

from __future__ import annotations

import re
import uuid
import xml.etree.ElementTree as ET
from datetime import datetime, time, timezone
from functools import lru_cache
from pathlib import Path

from plugins.core.knowledge import Knowledge
from plugins.core.pages import get_relative_url, site_path
from plugins.organisation.models import Audience
from plugins.whatsnew.changes import Entry, WhatsNew

ATOM = "http://www.w3.org/2005/Atom"
FOLDER = "whats-new"
PAGE = f"{FOLDER}/index.md"
MAX_LINKS = 8
FEED_SIZE = 200
"""The newest changes a feed holds (readers keep what they have already fetched); the page lists every one."""


def feed_path(audience: Audience | None) -> str:
    return f"{FOLDER}/{audience.id if audience else 'all'}.xml"


def feed_title(site: str, audience: Audience | None) -> str:
    return f"{site}: what's new" + (f" for {audience.name[:1].lower()}{audience.name[1:]}" if audience else "")


@lru_cache(maxsize=4)
def site_name(kb: Knowledge) -> str:
    """The site's name from mkdocs.yml (read as text: the file may hold tags a safe YAML loader refuses)."""
    config = kb.root / "mkdocs.yml"
    found = re.search(r"^site_name:\s*(.+?)\s*$", config.read_text(encoding="utf-8"), flags=re.M) \
        if config.is_file() else None
    return found.group(1).strip("'\"") if found else "Knowledge base"


def _href(page: str | None, entry: Entry) -> str:
    """A link relative to the feed (which sits beside the What's new page)."""
    if page is None:
        return f"./#change-{entry.key}"
    path, _, anchor = page.partition("#")
    return get_relative_url(site_path(path).lstrip("/"), f"{FOLDER}/") + (f"#{anchor}" if anchor else "")


def _stamp(value: datetime) -> str:
    return value.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def atom(kb: Knowledge, news: WhatsNew, audience: Audience | None) -> str:
    site = site_name(kb)
    entries = news.for_audience(audience.id if audience else None)
    names = {a.id: a.name for a in news.audiences}
    ET.register_namespace("", ATOM)
    feed = ET.Element(f"{{{ATOM}}}feed")
    _text(feed, "title", feed_title(site, audience))
    _text(feed, "subtitle", "Changes to the knowledge base, newest first: what changed, where, when, and who changed "
                            "it, as a role.")
    _text(feed, "id", f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, f'{site}/{feed_path(audience)}')}")
    newest = entries[0].when if entries else datetime.combine(news.recent_until, time(), timezone.utc)
    _text(feed, "updated", _stamp(newest))
    ET.SubElement(feed, f"{{{ATOM}}}link", rel="self", type="application/atom+xml",
                  href=Path(feed_path(audience)).name)
    ET.SubElement(feed, f"{{{ATOM}}}link", rel="alternate", type="text/html", href="./")
    author = ET.SubElement(feed, f"{{{ATOM}}}author")
    _text(author, "name", site)
    for entry in entries[:FEED_SIZE]:
        item = ET.SubElement(feed, f"{{{ATOM}}}entry")
        _text(item, "title", ("Illustrative: " if entry.illustrative else "") + headline(entry))
        main = entry.main_link(audience.id if audience else None)
        ET.SubElement(item, f"{{{ATOM}}}link", rel="alternate", type="text/html",
                      href=_href(main.page if main else None, entry))
        _text(item, "id", f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, f'{site}/{entry.key}')}")
        _text(item, "updated", _stamp(entry.when))
        who = ET.SubElement(item, f"{{{ATOM}}}author")
        _text(who, "name", entry.role)
        _text(item, "summary", summary(entry))
        for audience_id in sorted(entry.audiences):
            ET.SubElement(item, f"{{{ATOM}}}category", term=audience_id, label=names.get(audience_id, audience_id))
    ET.indent(feed)
    return '<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(feed, encoding="unicode") + "\n"


def headline(entry: Entry) -> str:
    """An entry's title in a feed: what changed and how (a commit's subject already says both)."""
    if entry.from_history:
        return entry.title
    text = f"{entry.title}: {entry.summary}"
    return text if len(text) <= 120 else text[:120].rsplit(" ", 1)[0].rstrip(",;:.") + " …"


def summary(entry: Entry) -> str:
    """The entry in plain text: what changed, on which pages, and what was assumed if it is illustrative."""
    parts = [entry.summary] if entry.summary != entry.title else []
    titles = list(dict.fromkeys(link.title for link in entry.links))
    if entry.from_history and titles:
        more = f" and {len(titles) - MAX_LINKS} more" if len(titles) > MAX_LINKS else ""
        parts.append(f"Changed: {'; '.join(titles[:MAX_LINKS])}{more}.")
    parts.append(f"Changed by: {entry.role}.")
    if entry.illustrative:
        parts.append("Illustrative: " + " ".join(entry.basis.assumptions))
    return " ".join(parts)


def _text(parent: ET.Element, tag: str, value: str) -> ET.Element:
    element = ET.SubElement(parent, f"{{{ATOM}}}{tag}")
    element.text = value
    return element
