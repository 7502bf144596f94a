"""The glossary: every abbreviation, on its own page and explained as a tooltip wherever it appears."""

from __future__ import annotations

import re
from functools import lru_cache
from html import escape

from markupsafe import Markup

from plugins.hookspecs import hookimpl
from plugins.knowledge import Collection, Knowledge
from plugins.models import GlossaryEntry
from plugins.pages import Macro, PageContext, PageHtml
from plugins.render import escape_text, render

# Text inside these elements is left alone: links and code keep their text, headings
# stay clean for the table of contents, and terms being defined are not re-wrapped.
SKIP_ELEMENTS = {"a", "abbr", "code", "pre", "kbd", "samp", "script", "style", "dfn", "button",
                 "svg", "textarea", "title", "h1", "h2", "h3", "h4", "h5", "h6"}
VOID_ELEMENTS = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
                 "track", "wbr"}
TAG = re.compile(r"(<[^>]*>)")
TAG_NAME = re.compile(r"^<(/?)([a-zA-Z][a-zA-Z0-9-]*)")


@hookimpl
def register_collections(register):
    register(Collection("glossary", GlossaryEntry, "glossary term",
                        description="Abbreviations and what they stand for."))


@hookimpl
def check_knowledge(kb: Knowledge):
    seen: dict[str, GlossaryEntry] = {}
    for entry in kb.all("glossary"):
        first = seen.setdefault(entry.term, entry)
        if first is not entry:
            yield kb.problem(entry, f"term '{entry.term}' is already defined by '{first.id}'", ("term",))
        for index, other in enumerate(entry.see_also):
            if other == entry.id:
                yield kb.problem(entry, "see_also: a term cannot refer to itself", ("see_also", index))


def glossary_anchor(entry: GlossaryEntry) -> str:
    return f"term-{entry.id}"


@hookimpl
def register_macros(kb: Knowledge, register):
    def glossary(page: PageContext) -> Markup:
        """Every term, alphabetically, with what it stands for, its definition and source."""
        entries = sorted(kb.all("glossary"), key=lambda e: e.term.casefold())
        by_id = {e.id: e for e in entries}
        return render("glossary.html", page, kb, entries=entries, by_id=by_id, anchor=glossary_anchor)

    register(Macro("glossary", glossary, tuple(kb.files["glossary"])))


@lru_cache(maxsize=4)
def _abbreviations(kb: Knowledge) -> tuple[re.Pattern[str] | None, dict[str, str]]:
    """One pattern matching every term (as it appears in HTML), and each term's <abbr> title."""
    titles: dict[str, str] = {}
    alternatives = []
    for entry in sorted(kb.all("glossary"), key=lambda e: len(e.term), reverse=True):
        html_term = escape(entry.term, quote=False)
        titles[html_term] = str(escape_text(entry.stands_for))
        plural = "s?" if entry.plural and not entry.term.endswith("s") else ""
        alternatives.append(f"{re.escape(html_term)}{plural}")
    if not alternatives:
        return None, titles
    pattern = re.compile(r"(?<![\w&#])(" + "|".join(alternatives) + r")(?![\w])")
    return pattern, titles


def explain_abbreviations(html: str, kb: Knowledge) -> str:
    """Wrap glossary terms in running text with <abbr title="...">, leaving SKIP_ELEMENTS alone."""
    pattern, titles = _abbreviations(kb)
    if pattern is None:
        return html

    def wrap(match: re.Match[str]) -> str:
        found = match.group(1)
        term = found if found in titles else found[:-1]
        return f'<abbr title="{titles[term]}">{found}</abbr>'

    out: list[str] = []
    skipping: list[str] = []
    for token in TAG.split(html):
        if token.startswith("<"):
            name_match = TAG_NAME.match(token)
            if name_match:
                closing, name = name_match.group(1), name_match.group(2).lower()
                if closing and skipping and skipping[-1] == name:
                    skipping.pop()
                elif not closing and name in SKIP_ELEMENTS and name not in VOID_ELEMENTS and not token.endswith("/>"):
                    skipping.append(name)
            out.append(token)
        elif token and not skipping:
            out.append(pattern.sub(wrap, token))
        else:
            out.append(token)
    return "".join(out)


@hookimpl
def prepare_page_html(page: PageHtml, kb: Knowledge) -> None:
    page.html = explain_abbreviations(page.html, kb)
