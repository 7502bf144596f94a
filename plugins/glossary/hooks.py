"""The glossary feature's hook implementations. What the feature does: the package docstring (__init__.py)."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from html import escape

from markupsafe import Markup

from plugins.core.cache import digest
from plugins.core.hookspecs import hookimpl
from plugins.core.knowledge import Collection, Knowledge, repeats
from plugins.core.pages import Macro, PageContext, PageHtml
from plugins.core.render import escape_text, render
from plugins.core.tagstream import PIECES, RAW_TEXT, RAW_TEXT_START, TOKEN, raw_text_end
from plugins.glossary.models import GlossaryEntry

GLOSSARY_PAGE = "glossary/index.md"

# Text inside these elements is left alone: links and code keep their text, headings
# stay clean for the table of contents, terms being defined are not re-wrapped, and
# elements that cannot hold markup (script, style, option, textarea, title) are not touched.
SKIP_ELEMENTS = {"a", "abbr", "code", "pre", "kbd", "samp", "script", "style", "dfn", "button", "option",
                 "select", "svg", "textarea", "title", "h1", "h2", "h3", "h4", "h5", "h6"}
# Inside these a term is explained but never made a link: a link in a form label or legend
# would sit inside the control it names.
NO_LINK_ELEMENTS = {"label", "legend", "summary", "caption"}


@hookimpl
def register_collections(register):
    register(Collection("glossary", GlossaryEntry, "glossary term",
                        description="Abbreviations and terms, and what they mean.",
                        page=lambda entry: f"{GLOSSARY_PAGE}#{glossary_anchor(entry)}", title=lambda e: e.term))


@hookimpl
def check_knowledge(kb: Knowledge):
    for entry, first in repeats(kb.all(GlossaryEntry), lambda e: e.term.casefold()):
        yield kb.problem(entry, f"term '{entry.term}' is already defined by '{first.id}'", ("term",))
    for entry in kb.all(GlossaryEntry):
        for index, other in enumerate(entry.see_also):
            if other.id == entry.id:
                yield kb.problem(entry, "see_also: a term cannot refer to itself", ("see_also", index))


def glossary_anchor(entry: GlossaryEntry) -> str:
    return f"term-{entry.id}"


@hookimpl
def register_macros(kb: Knowledge, register):
    def glossary(page: PageContext) -> Markup:
        """Every term and abbreviation, alphabetically, with what it means, its definition and source."""
        entries = sorted(kb.all(GlossaryEntry), key=lambda e: e.term.casefold())
        return render("glossary/glossary.html", page, kb, entries=entries)

    register(Macro("glossary", glossary, kb.files_of(GlossaryEntry)))


# --- explaining terms on every page ---------------------------------------------


def _normal(text: str) -> str:
    return " ".join(text.split())


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:]


@dataclass(frozen=True)
class _Glossary:
    pattern: re.Pattern[str] | None
    abbreviations: dict[str, GlossaryEntry]
    """By the abbreviation as it appears in HTML ('EH&amp;PS')."""
    terms: dict[str, GlossaryEntry]
    """By the term with a lower-case first letter ('placement plan')."""
    holds_term: Callable[[str], bool] = lambda text: False
    """Does a run of text hold a term? Each distinct run is searched once: pages of a kind repeat the same runs
    (at 5,679 pages, 1.9 million runs are 27,000 distinct ones)."""

    def entry(self, found: str) -> GlossaryEntry | None:
        """The entry a match names, allowing for a plural 's' and a capital at the start of a sentence."""
        text = _normal(found)
        for key in (text, text[:-1]):
            if key in self.abbreviations:
                return self.abbreviations[key]
            if _lower_first(key) in self.terms:
                return self.terms[_lower_first(key)]
        return None


def _alternative(entry: GlossaryEntry) -> str:
    html_term = escape(entry.term, quote=False)
    plural = "s?" if entry.plural and not entry.term.endswith("s") else ""
    if entry.kind == "abbreviation":
        return f"{re.escape(html_term)}{plural}"
    first, rest = html_term[0], html_term[1:]
    head = f"[{first.upper()}{first.lower()}]" if first.isalpha() else re.escape(first)
    return head + r"\s+".join(re.escape(word) for word in rest.split(" ")) + plural


@lru_cache(maxsize=4)
def _glossary(kb: Knowledge) -> _Glossary:
    """One pattern matching every term (as it appears in HTML), longest first, and the entries by key."""
    entries = sorted(kb.all(GlossaryEntry), key=lambda e: len(e.term), reverse=True)
    abbreviations = {escape(e.term, quote=False): e for e in entries if e.kind == "abbreviation"}
    terms = {_lower_first(escape(e.term, quote=False)): e for e in entries if e.kind == "term"}
    if not entries:
        return _Glossary(None, abbreviations, terms)
    pattern = re.compile(_may_start(entries) + r"(?<![\w&#])(" + "|".join(_alternative(e) for e in entries)
                         + r")(?![\w])")
    search = pattern.search
    return _Glossary(pattern, abbreviations, terms, lru_cache(maxsize=1 << 16)(lambda text: search(text) is not None))


def _may_start(entries: list[GlossaryEntry]) -> str:
    """A lookahead for the characters a term can start with (as `_alternative` writes it). It matches nothing
    the pattern would not, and lets the regular expression engine skip to where a term may start: finding
    the terms in the pages took half the time with it."""
    firsts: set[str] = set()
    for entry in entries:
        first = escape(entry.term, quote=False)[:1]
        if not first:
            return ""
        firsts.add(first)
        if entry.kind != "abbreviation" and first.isalpha():
            firsts.update(first.upper() + first.lower())
    return "(?=[" + "".join(re.escape(character) for character in sorted(firsts)) + "])"


def explain_abbreviations(html: str, kb: Knowledge, link: Callable[[GlossaryEntry], str] | None = None, *,
                          token_by_token: bool = False) -> str:
    """Explain glossary terms in running text, leaving SKIP_ELEMENTS alone.

    With `link` (the URL of an entry), the first use of each term that can be a link is one, its
    accessible name carrying the explanation; every other use is `<abbr title="...">`.

    The HTML is read as tags and text (`plugins/core/tagstream.py`'s pattern), so text inside attributes,
    comments or <script> is never touched; only the runs of text that hold a term are rewritten, and
    everything else is copied through as it was written. HTML without <script> or <style> has all its
    tokens found at once, and only the runs of text holding a term are visited, with the tags before them
    that change how a term is explained; `token_by_token` reads every token, one at a time, as HTML with
    those is read (the tests compare the two ways on every built page).
    """
    glossary = _glossary(kb)
    pattern = glossary.pattern
    if pattern is None:
        return html
    linked: set[str] = set()

    def explain(match: re.Match[str], linkable: bool) -> str:
        found = match.group(1)
        entry = glossary.entry(found)
        if entry is None:  # cannot happen: every alternative comes from an entry
            return found
        tooltip = escape_text(entry.tooltip)
        abbr = f'<abbr title="{tooltip}">{found}</abbr>'
        if link is None or not linkable or entry.id in linked:
            return abbr
        linked.add(entry.id)
        label = f"{_normal(found)}: {tooltip}"  # `found` is HTML text already, with no quotes in it
        return f'<a class="kb-term" href="{link(entry)}" aria-label="{label}">{abbr}</a>'

    if token_by_token or RAW_TEXT_START.search(html):
        return _explain_token_by_token(html, pattern, explain)
    # Without raw text, `split` reads the tokens as `_explain_token_by_token` does: the text before each token,
    # the token whole and its three parts, and so on; the text after the last token ends the list.
    pieces = PIECES.split(html)
    texts = pieces[0::5]
    holds_term = glossary.holds_term
    wanted = [index for index, text in enumerate(texts) if text and holds_term(text)]
    if not wanted:
        return html
    # Only the tags before the last run holding a term, and of those only the ones that change how a term is
    # explained (`_STACKED`), need following: text number i comes after tag number i - 1.
    names = pieces[3:5 * wanted[-1]:5]
    stacked = [index for index, name in enumerate(names) if name is not None and name.lower() in _STACKED]
    closings, insides = pieces[2::5], pieces[4::5]
    skipping: list[str] = []
    no_link: list[str] = []
    followed = 0
    for index in wanted:
        while followed < len(stacked) and stacked[followed] < index:
            tag = stacked[followed]
            _follow(names[tag].lower(), closings[tag], insides[tag], skipping, no_link)
            followed += 1
        if not skipping:
            texts[index] = pattern.sub(lambda m, linkable=not no_link: explain(m, linkable), texts[index])
    everything = [""] * (2 * len(texts) - 1)
    everything[0::2], everything[1::2] = texts, pieces[1::5]
    return "".join(everything)


_STACKED = frozenset(SKIP_ELEMENTS | NO_LINK_ELEMENTS)
"""The elements whose start and end tags change how a term is explained: no other tag needs following."""


def _follow(tag: str, closing: str | None, inside: str | None, skipping: list[str], no_link: list[str]) -> bool:
    """Follow a tag (its name lower-cased) in the open elements that change how a term is explained; is it a
    start tag that opens an element?"""
    if closing:
        for stack in (skipping, no_link):
            if tag in stack:
                while stack.pop() != tag:
                    pass
        return False
    if inside and inside.rstrip().endswith("/"):
        return False
    if tag in SKIP_ELEMENTS:
        skipping.append(tag)
    if tag in NO_LINK_ELEMENTS:
        no_link.append(tag)
    return True


def _explain_token_by_token(html: str, pattern: re.Pattern[str], explain: Callable[[re.Match[str], bool], str]) -> str:
    """`explain_abbreviations` for HTML that may hold a raw-text element: the tokens are read one at a time,
    and raw text is skipped to its end tag."""
    out: list[str] = []
    copied = 0   # html[:copied] is in `out` already
    skipping: list[str] = []
    no_link: list[str] = []

    def text(start: int, end: int) -> None:
        nonlocal copied
        if skipping or end <= start or not pattern.search(html, start, end):
            return
        linkable = not no_link
        out.append(html[copied:start])
        out.append(pattern.sub(lambda m: explain(m, linkable), html[start:end]))
        copied = end

    position, length = 0, len(html)
    while position < length:
        resume = None
        for match in TOKEN.finditer(html, position):
            text(position, match.start())
            position = match.end()
            closing, tag, inside = match.group(1, 2, 3)
            if tag is None:   # a comment or declaration
                continue
            tag = tag.lower()
            if _follow(tag, closing, inside, skipping, no_link) and tag in RAW_TEXT:
                resume = raw_text_end(html, tag, position)   # its text runs to its end tag, and it is skipped
                break
        if resume is None:
            text(position, length)
            break
        position = resume
    out.append(html[copied:])
    return "".join(out)


def _linker(page: PageHtml) -> Callable[[GlossaryEntry], str] | None:
    """Links to the glossary page, from any page but the glossary itself (where each term is defined)."""
    context = page.context
    if context is None or page.path == GLOSSARY_PAGE or GLOSSARY_PAGE not in context.known_pages:
        return None
    return lambda entry: context.url(GLOSSARY_PAGE, glossary_anchor(entry))


@lru_cache(maxsize=4)
def _glossary_digest(kb: Knowledge) -> str:
    """Every field of every entry, in order: what the explanations are made from."""
    return digest(json.dumps([entry.model_dump(mode="json") for entry in kb.all(GlossaryEntry)], sort_keys=True))


@hookimpl
def page_inputs(path: str, kb: Knowledge) -> str:
    """Besides the page's HTML, the explanations read the glossary (where its page is follows from the path)."""
    return _glossary_digest(kb)


@hookimpl(trylast=True)  # after every other plugin has added its markup, so that is explained too
def prepare_page_html(page: PageHtml, kb: Knowledge) -> None:
    link = _linker(page)
    html = page.html
    # The explanations are a function of the HTML, the glossary and where the glossary page is from here
    # (a link's anchor is the entry's own): kept between builds by those, as an unchanged page is made again.
    where = "no links" if link is None else f"links to {page.context.url(GLOSSARY_PAGE)}"  # type: ignore[union-attr]
    page.html = page.remembered("glossary", (html, _glossary_digest(kb), where),
                                lambda: explain_abbreviations(html, kb, link))
