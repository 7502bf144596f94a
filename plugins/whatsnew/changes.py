"""Every dated change, newest first: the data's own amendments and the history of the content in git.

An entry says which pages changed, when, what changed in one line, and who
changed it as a role. It knows what it rests on (an amendment computed from an
illustrative record is marked) and which audiences it concerns: those of the
records it is about, and of the pages it changed (a page under an audience's
hub, or under a start page an audience's record names, is theirs).

Dates are the data's own and the commits', never the build's: the same data and
history give the same page and feeds. Pages changed in the 30 days up to the
site's as-at date (or the latest commit, when that is later and no as-at date is
set) are "Updated".
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone
from functools import cached_property, lru_cache
from pathlib import Path

from plugins.core.knowledge import Knowledge
from plugins.core.pages import Amendment
from plugins.core.provenance import SOURCED, Basis
from plugins.core.records import Audienced, Record
from plugins.core.render import long_date
from plugins.core.types import PartialDate
from plugins.organisation.models import Audience, Role
from plugins.whatsnew.history import Commit, read_history

RECENT_DAYS = 30
DOCS = "docs"
"""The hand-written pages' folder (mkdocs.yml `docs_dir`)."""
DEFAULT_ROLE = "An editor"
SUMMARY_LENGTH = 200
_PERSONAL = re.compile(r"\S@\S|(?:\d[ -]?){9,}\d")
"""An e-mail address, or ten digits or more (a telephone number), in a commit subject."""


@dataclass(frozen=True)
class Link:
    page: str | None
    """The docs path (optionally with '#anchor') of the page that changed; None when it has no page."""
    title: str


@dataclass(frozen=True)
class Entry:
    key: str
    """Stable across builds: the id in the feeds and the anchor on the page."""
    day: date
    shown: str
    """The date as readers see it: '21 April 2015', or 'December 2014' when only the month is known."""
    when: datetime
    title: str
    summary: str
    role: str
    links: tuple[Link, ...]
    basis: Basis
    audiences: frozenset[str]
    from_history: bool

    @property
    def illustrative(self) -> bool:
        return self.basis.illustrative

    @property
    def month(self) -> str:
        return f"{self.day:%Y-%m}"

    def main_link(self, audience: str | None = None) -> Link | None:
        """The page to send a reader to: for an audience, the version made for it (its hub's folder) if any."""
        linked = [link for link in self.links if link.page]
        own = [link for link in linked if audience and link.page.startswith(f"{audience}/")]
        return (own or linked or [None])[0]


@dataclass(frozen=True)
class WhatsNew:
    entries: list[Entry]
    """Newest first."""
    recent_until: date
    updated: dict[str, Entry]
    """Pages (docs paths) changed in the RECENT_DAYS up to `recent_until`, with their newest change."""
    audiences: list[Audience]
    data_files: tuple[str, ...]
    """The data files the amendments come from, for the pages' 'built from' notes and edit links."""

    @cached_property
    def hubs(self) -> dict[str, Audience]:
        """Each audience by the docs path of its hub page."""
        return {f"{audience.id}/index.md": audience for audience in self.audiences}

    def for_audience(self, audience: str | None) -> list[Entry]:
        return [e for e in self.entries if audience is None or audience in e.audiences]

    def months(self) -> list[tuple[str, str, list[Entry]]]:
        """(yyyy-mm, 'April 2015', entries), newest month first."""
        found: dict[str, list[Entry]] = {}
        for entry in self.entries:
            found.setdefault(entry.month, []).append(entry)
        return [(month, long_date(PartialDate.parse(month)), entries) for month, entries in found.items()]


@lru_cache(maxsize=4)
def whats_new(kb: Knowledge) -> WhatsNew:
    """Everything that changed, as at the site's date: computed once per build."""
    audiences_of = page_audiences(kb)
    amendments: list[Amendment] = []
    kb.plugins.hook.register_amendments(kb=kb, register=amendments.append)
    data_entries = [_from_amendment(kb, a, audiences_of) for a in amendments if _day(a.date) <= kb.as_at]
    history = read_history(kb.settings, *_folders(kb))
    newest_commit = max((c.when.date() for c in history), default=None)
    recent_until = kb.settings.as_at or max(filter(None, [kb.as_at, newest_commit]))
    history_entries = [entry for commit in history if commit.when.date() <= recent_until
                       if (entry := _from_commit(kb, commit, audiences_of)) is not None]
    entries = sorted(data_entries + history_entries, key=lambda e: (e.when, e.key), reverse=True)
    updated: dict[str, Entry] = {}
    for entry in entries:
        if recent_until - timedelta(days=RECENT_DAYS) < entry.day <= recent_until:
            for link in entry.links:
                if link.page:
                    updated.setdefault(link.page.partition("#")[0], entry)
    amended = {kb.collection(item).name: None for a in amendments for item in a.rests_on
               if isinstance(item, Record) and kb.has(type(item))}
    files = tuple(file for name in amended for file in kb.files[name])
    return WhatsNew(entries, recent_until, updated, kb.all(Audience), files)


def _folders(kb: Knowledge) -> tuple[str, str]:
    try:
        data = kb.settings.data_dir.resolve().relative_to(kb.root.resolve()).as_posix()
    except ValueError:
        data = "data"
    return data, DOCS


def _day(value: date | PartialDate) -> date:
    return value.start if isinstance(value, PartialDate) else value


def _one_line(text: str) -> str:
    text = " ".join(str(text).split())
    if len(text) <= SUMMARY_LENGTH:
        return text
    return text[:SUMMARY_LENGTH].rsplit(" ", 1)[0].rstrip(",;:.") + " …"


def _key(*parts: object) -> str:
    return hashlib.sha256("\x1f".join(map(str, parts)).encode("utf-8")).hexdigest()[:16]


# --- audiences ------------------------------------------------------------------------------------------------------


def page_audiences(kb: Knowledge):
    """A function giving the audiences a page concerns: its hub's, those whose start pages (or whose records'
    section pages) it sits under, and those of the records shown on it."""
    direct: dict[str, set[str]] = {}
    ids = {audience.id for audience in kb.all(Audience)}
    for audience in kb.all(Audience):
        for link in audience.start_here:
            direct.setdefault(link.page, set()).add(audience.id)
    for _, record, pages in kb.published():
        if isinstance(record, Audienced):
            for page in pages:
                direct.setdefault(page, set()).update(a.id for a in record.audiences)

    def audiences_of(page: str) -> set[str]:
        path = page.partition("#")[0]
        found = set(direct.get(path, ()))
        if path.split("/")[0] in ids:
            found.add(path.split("/")[0])
        folder = path.rpartition("/")[0]
        while folder:
            found |= direct.get(f"{folder}/index.md", set())
            folder = folder.rpartition("/")[0]
        return found

    return audiences_of


# --- entries ---------------------------------------------------------------------------------------------------------


def _from_amendment(kb: Knowledge, amendment: Amendment, audiences_of) -> Entry:
    day = _day(amendment.date)
    audiences: set[str] = set()
    for page in amendment.pages:
        audiences |= audiences_of(page)
    for item in amendment.rests_on:
        if isinstance(item, Audienced):
            audiences |= {a.id for a in item.audiences}
    return Entry(
        key=_key(day, amendment.title, amendment.summary, amendment.pages),
        day=day, shown=long_date(amendment.date), when=datetime.combine(day, time(), timezone.utc),
        title=_one_line(amendment.title), summary=_one_line(amendment.summary), role=_one_line(amendment.role),
        links=tuple(Link(page, _one_line(amendment.title)) for page in amendment.pages),
        basis=Basis.of(list(amendment.rests_on)), audiences=frozenset(audiences), from_history=False)


def _from_commit(kb: Knowledge, commit: Commit, audiences_of) -> Entry | None:
    links: list[Link] = []
    data, docs = _folders(kb)
    for change in commit.files:
        if change.path.startswith(f"{docs}/") and change.path.endswith(".md"):
            page = change.path.removeprefix(f"{docs}/")
            if (kb.root / change.path).is_file():
                links.append(Link(page, docs_title(kb.root / change.path)))
        elif change.path.startswith(f"{data}/"):
            links += _record_links(kb, change.path.removeprefix(f"{data}/"), change.changed)
            links += [Link(None, f"{title} (removed)") for title in change.removed]
    links = list(dict.fromkeys(links))
    if not links:
        return None  # only files readers do not see (stylesheets, scripts) changed
    audiences: set[str] = set()
    for link in links:
        if link.page:
            audiences |= audiences_of(link.page)
    subject = commit.subject if commit.subject and not _PERSONAL.search(commit.subject) else "Pages changed"
    when = commit.when.astimezone(timezone.utc)
    return Entry(key=f"commit-{commit.sha[:16]}", day=when.date(), shown=long_date(when.date()), when=when,
                 title=_one_line(subject), summary=_one_line(subject), role=_role(kb, commit.role), links=tuple(links),
                 basis=SOURCED, audiences=frozenset(audiences), from_history=True)


def _record_links(kb: Knowledge, name: str, changed: frozenset[str]) -> list[Link]:
    collection = name.split("/")[0].removesuffix(".yml").removesuffix(".yaml")
    records = kb.records.get(collection, {})
    links = []
    for record_id in sorted(changed):
        record = records.get(record_id)
        if record is None:
            continue
        own = kb.pages_of(record)
        page = own[0] if own else kb.page_of(record)
        links.append(Link(page, kb.title(record)))
    return links


def _role(kb: Knowledge, trailer: str) -> str:
    """The role a `Role:` trailer names (by a role's id or name in data/roles.yml); anything else is 'An editor',
    so a person's name or address written there is never shown."""
    wanted = trailer.strip().casefold()
    for role in kb.all(Role):
        if wanted in (role.id.casefold(), role.name.casefold()):
            return role.name
    return DEFAULT_ROLE


def docs_title(path: Path) -> str:
    """A hand-written page's title: its front matter `title`, else its first heading, else its file name."""
    text = path.read_text(encoding="utf-8")
    front = re.match(r"^---\s*\n(.*?)\n---\s*\n", text, flags=re.S)
    if front:
        title = re.search(r"^title:\s*(.+?)\s*$", front.group(1), flags=re.M)
        if title:
            return title.group(1).strip("'\"")
        text = text[front.end():]
    heading = re.search(r"^#\s+(.+?)\s*#*\s*$", text, flags=re.M)
    if heading:
        return heading.group(1)
    stem = path.stem if path.stem != "index" else path.parent.name
    return stem.replace("-", " ").capitalize()
