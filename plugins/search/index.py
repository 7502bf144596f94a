"""The search index the build writes: every page as readable sections, weighted by what kind of page it is.

The index keeps Material for MkDocs' format (`config` and `docs`, one doc per page and
one per section, `location`, `title`, `text`, `boost`), so the theme's search box loads
it unchanged; this site's worker (static/worker.js) reads the extra fields:

- `kind` and `boost`: guidance pages (pages of records written for an audience, such as
  policies, and every page of an owned guidance section such as the toolkit) come
  before other hand-written pages, which come before per-record pages (plan actions,
  inspections). Derived from the records' traits, so a new feature's pages are ranked
  by what they are, not by a hand-kept list.
- `audience`: who a page is written for (the audience whose folder it is in, or the
  audiences of the record it shows), so "foster" finds the pages written for foster carers.
- `synonyms` (and `title_synonyms` for the title): for each glossary term a section uses, what it stands for, and the
  reverse, from data/glossary.yml: "CSE" finds pages that only say "child sexual
  exploitation", and the other way round.
- `config.kb`: what the result list says it searched, and where to go when nothing
  matches (the glossary and the audience hubs).
"""

from __future__ import annotations

import functools
import json
import re
from dataclasses import dataclass
from pathlib import Path

from plugins.core.knowledge import Knowledge
from plugins.core.records import Audienced, Owned
from plugins.glossary.models import GlossaryEntry
from plugins.guidance.models import Guidance
from plugins.organisation.models import Audience
from plugins.search.extract import read_sections
from plugins.search.prebuilt import page_fields, page_terms

KIND_BOOST = {"procedure": 2.5, "guidance": 2.0, "page": 1.0, "record": 0.5}
"""How much a page's kind weighs in its rank:

- procedure: the page of an owned record, kept under review by its owner (a policy and its
  foster-carer version, the start page of an owned guidance section such as the toolkit);
- guidance: every other page of an owned guidance section, pages of records written for an
  audience, and the audiences' start pages;
- page: the site's other hand-written pages (the plan overview, the glossary, contacts ...);
- record: pages that each show one record that is not guidance (a plan action, an inspection).
"""

INDEX_CONFIG = {
    # Read by the theme (its highlighter) and by Material's lunr worker, which the relevance
    # comparison (bench/search_relevance.py) runs on this same index.
    "lang": ["en"],
    "separator": r"[\s\-]+",
    "pipeline": ["stopWordFilter"],
    "fields": {"title": {"boost": 1000.0}, "text": {"boost": 1.0}, "synonyms": {"boost": 1.0}},
}


@dataclass(frozen=True)
class Synonym:
    """A glossary term and what it stands for; either finds pages that use the other."""

    term: str
    expansion: str
    page: str
    """Where the glossary explains it: a docs path with its anchor ('glossary/index.md#term-cse')."""


class Synonyms:
    """Every glossary pair, matched in one pass over a text (terms as written, expansions in any case)."""

    def __init__(self, pairs: list[Synonym]) -> None:
        self.pairs = pairs
        by_length = sorted(pairs, key=lambda s: -len(s.expansion))
        # An abbreviation is matched as written ("CSE", not "cse"); a term of words in any case.
        terms = sorted({s.term for s in pairs}, key=len, reverse=True)
        self._abbreviations = _alternatives([t for t in terms if " " not in t], r"(?<![\w&])(", r")s?(?!\w)")
        self._phrases = _alternatives([t for t in terms if " " in t], r"(?<!\w)(", r")s?(?!\w)", re.IGNORECASE)
        self._expansions = _alternatives([s.expansion for s in by_length], r"(?<!\w)(", r")(?!\w)", re.IGNORECASE)
        self.added_to = functools.lru_cache(maxsize=1 << 12)(self._added_to)
        """`_added_to`, each text worked out once: pages of a kind repeat the same headings and sentences (at
        5,679 pages, 58,000 texts are 9,700 distinct ones, under half the characters)."""

    def _added_to(self, text: str) -> tuple[str, ...]:
        """The other names of the glossary terms a text uses by one name only."""
        if not self.pairs:
            return ()
        terms = {*self._abbreviations.findall(text), *(t.casefold() for t in self._phrases.findall(text))}
        expansions = {found.casefold() for found in self._expansions.findall(text)}
        added = []
        for pair in self.pairs:
            term = pair.term if " " not in pair.term else pair.term.casefold()
            has_term, has_expansion = term in terms, pair.expansion.casefold() in expansions
            if has_term != has_expansion:
                added.append(pair.expansion if has_term else pair.term)
        return tuple(added)


def _alternatives(words: list[str], before: str, after: str, flags: int = 0) -> re.Pattern:
    return re.compile(before + "|".join(re.escape(w) for w in words) + after, flags) if words else re.compile(r"(?!)")


class SearchIndex:
    """Collects the pages of one build, then writes search/search_index.json (and .js for file://).

    A page's entry (`add_page`) is what the index needs of it, made from its HTML once: [its title, its docs
    as JSON (without the list's brackets), its terms as `page_terms` works them out, as JSON, or None if it has
    no docs]. The page store keeps it with the page (plugins/core/reuse.py), and a page taken from the last
    build brings it back (`add_indexed`): its text is not read, cut or stemmed again. Entries go into the
    index in the site's order of pages (`in_order`), whatever order they came in."""

    def __init__(self, kb: Knowledge) -> None:
        self.kb = kb
        self.kinds, self.guidance_sections = page_kinds(kb)
        self.audience_names = {a.id: a.name for a in kb.all(Audience)} if kb.has(Audience) else {}
        self.record_audiences = record_audiences(kb)
        self.synonyms = synonyms(kb)
        self.pages: dict[str, tuple[str, list]] = {}
        """Each indexed page's location (its URL relative to the site root) and entry, by its docs path."""
        self.order: list[str] = []

    def kind_of(self, src: str) -> str:
        if src in self.kinds:
            return self.kinds[src]
        if src.split("/", 1)[0] in self.guidance_sections:
            return "guidance"
        return "page"

    def shared_inputs(self) -> list:
        """What every page's entry is made from beyond the page itself: the glossary's pairs of names."""
        return [[pair.term, pair.expansion, pair.page] for pair in self.synonyms.pairs]

    def page_inputs(self, src: str) -> list[str]:
        """What one page's entry is made from beyond its HTML and title: its kind and audience."""
        return [self.kind_of(src), self.audiences_of(src)]

    def in_order(self, pages: list[str]) -> None:
        """The site's pages (docs paths) in the order their entries go into the index; pages not named here
        follow, in the order they were added."""
        self.order = list(pages)

    def add_indexed(self, *, src: str, location: str, entry: list) -> None:
        """A page's entry as `add_page` made it in an earlier build from the same inputs (plugins/core/reuse.py)."""
        self.pages[src] = (location, entry)

    def add_page(self, *, src: str, location: str, title: str, html: str) -> list:
        """Index one rendered page: `src` its docs path, `location` its URL relative to the site root. Returns
        the entry made (for `add_indexed`)."""
        heading, sections = read_sections(html)
        kind = self.kind_of(src)
        boost = KIND_BOOST[kind]
        title = title or heading
        docs = []
        for number, section in enumerate(sections):
            if number == 0:
                doc = {"location": location, "title": title, "text": section.text, "kind": kind}
                audience = self.audiences_of(src)
                if audience:
                    doc["audience"] = audience
            elif section.anchor:
                doc = {"location": f"{location}#{section.anchor}", "title": section.title, "text": section.text}
            else:
                continue  # a heading without an anchor cannot be linked to: its text joins the page
            for name, text in (("title_synonyms", doc["title"]), ("synonyms", doc["text"])):
                added = sorted(set(self.synonyms.added_to(text)))
                if added:
                    doc[name] = " ".join(added)
            doc["boost"] = boost
            docs.append(doc)
        # The first doc is the page's own (the text before its first heading), the others its sections'.
        entry = [title, json.dumps(docs, separators=(",", ":"))[1:-1],
                 json.dumps(page_terms(page_fields(docs[0], docs[1:])), separators=(",", ":")) if docs else None]
        self.pages[src] = (location, entry)
        return entry

    def _ordered(self) -> list[tuple[str, str, list]]:
        """(docs path, location, entry) of every indexed page, in the site's order."""
        named = set(self.order)
        return [(src, *self.pages[src]) for src in self.order if src in self.pages] + \
               [(src, *found) for src, found in self.pages.items() if src not in named]

    def audiences_of(self, src: str) -> str:
        """Who the page is written for: its audience's name if it is under an audience's folder
        (/foster-carers/...), else the audiences of the record it shows."""
        names = self.audience_names.get(src.split("/", 1)[0]) if "/" in src else None
        return names or self.record_audiences.get(src, "")

    def help_links(self) -> list[dict[str, str]]:
        """Where to look when nothing matches: the glossary, then each audience's start page."""
        links = []
        glossary = {s.page.split("#")[0] for s in self.synonyms.pairs}
        for src in [*sorted(glossary), *(f"{a.id}/index.md" for a in (self.kb.all(Audience)
                                                                     if self.kb.has(Audience) else []))]:
            found = self.pages.get(src)
            if found is not None:
                links.append({"title": found[1][0], "location": found[0]})
        return links

    def _location(self, page: str) -> str:
        """The URL of a docs path with an optional anchor, as this build lays pages out."""
        src, _, anchor = page.partition("#")
        location = self.pages[src][0] if src in self.pages else ""
        return f"{location}#{anchor}" if anchor else location

    def config(self, pages: list[tuple[str, str, list]]) -> dict:
        """The index's `config` but for the pages' terms (`text` adds them): the theme's settings, and what the
        result list says."""
        about = {
            "pages": len(pages),
            "glossary": [[s.term, s.expansion, self._location(s.page)] for s in self.synonyms.pairs],
            "help": self.help_links(),
        }
        return {**INDEX_CONFIG, "kb": about}

    def text(self) -> str:
        """The whole index as JSON, ASCII: its `config` and `docs` (Material for MkDocs' format). The config's
        `minisearch.pages` are the pages' terms, each page's as its entry has them, from which the worker puts
        MiniSearch's index together (static/worker.js, `indexFrom`)."""
        pages = self._ordered()
        docs = ",".join(entry[1] for _src, _location, entry in pages if entry[1])
        terms = ",".join(entry[2] for _src, _location, entry in pages if entry[2])
        config = json.dumps(self.config(pages), separators=(",", ":"))
        return f'{{"config":{config[:-1]},"minisearch":{{"pages":[{terms}]}}}},"docs":[{docs}]}}'

    def write(self, site_dir: Path) -> None:
        """search/search_index.json, and the same as a script for pages opened from disk (file://)."""
        # ASCII (other characters escaped, U+2028/9 among them, which a script must not hold raw): a string of
        # one byte a character, the smallest this large index can be held in. It is written a piece at a time,
        # so no second copy of it is made (once was the build's peak of memory).
        text = self.text()
        folder = site_dir / "search"
        folder.mkdir(parents=True, exist_ok=True)
        _write_pieces(folder / "search_index.json", text)
        _write_pieces(folder / "search_index.js", text, before="var __index = ", after=";\n", script=True)


PIECE = 1 << 20


def _write_pieces(path: Path, text: str, before: str = "", after: str = "", script: bool = False) -> None:
    """Write `before`, `text`, `after`; in a script, "</" becomes "<\\/" (no "</script" can end it early)."""
    with open(path, "w", encoding="utf-8", newline="") as file:
        file.write(before)
        start = 0
        while start < len(text):
            end = min(start + PIECE, len(text))
            while end < len(text) and text[end - 1] == "<":   # never cut between "<" and "/"
                end += 1
            piece = text[start:end]
            file.write(piece.replace("</", "<\\/") if script else piece)
            start = end
        file.write(after)


def page_kinds(kb: Knowledge) -> tuple[dict[str, str], set[str]]:
    """The kind of every page a record is shown on, and the owned guidance sections (folders)."""
    kinds: dict[str, str] = {}
    for _collection, record, pages in kb.published():
        for page in pages:
            kinds[page] = ("procedure" if isinstance(record, Owned)
                           else "guidance" if isinstance(record, Audienced) else "record")
    sections = {g.section for g in kb.all(Guidance)} if kb.has(Guidance) else set()
    for page, kind in list(kinds.items()):
        if kind == "record" and page.split("/", 1)[0] in sections:
            kinds[page] = "guidance"
    for section in sections:
        kinds[f"{section}/index.md"] = "procedure"
    for audience in kb.all(Audience) if kb.has(Audience) else []:
        kinds.setdefault(f"{audience.id}/index.md", "guidance")
    return kinds, sections


def record_audiences(kb: Knowledge) -> dict[str, str]:
    """The page of each record written for audiences, and their names ("Foster carers ...; Front-line staff")."""
    found = {}
    for _collection, record, pages in kb.published():
        if isinstance(record, Audienced) and record.audiences:
            names = "; ".join(a.record.name for a in record.audiences)
            for page in pages:
                found[page] = names
    return found


def synonyms(kb: Knowledge) -> Synonyms:
    """Each glossary entry that stands for something, as a pair of names for the same thing."""
    if not kb.has(GlossaryEntry):
        return Synonyms([])
    found = []
    for entry in kb.all(GlossaryEntry):
        expansion = getattr(entry, "stands_for", None)
        if expansion and expansion.casefold() != entry.term.casefold():
            found.append(Synonym(entry.term, expansion, kb.page_of(entry) or ""))
    return Synonyms(found)
