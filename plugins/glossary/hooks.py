"""The glossary: every abbreviation, on its own page and explained as a tooltip wherever it appears."""

from __future__ import annotations

import re
from functools import lru_cache
from html import escape
from html.parser import HTMLParser

from markupsafe import Markup

from plugins.core.hookspecs import hookimpl
from plugins.core.knowledge import Collection, Knowledge, repeats
from plugins.core.pages import Macro, PageContext, PageHtml
from plugins.core.render import escape_text, render
from plugins.glossary.models import GlossaryEntry

# Text inside these elements is left alone: links and code keep their text, headings
# stay clean for the table of contents, terms being defined are not re-wrapped, and
# elements that cannot hold markup (script, style, option, textarea, title) are not touched.
SKIP_ELEMENTS = {"a", "abbr", "code", "pre", "kbd", "samp", "script", "style", "dfn", "button", "option",
                 "select", "svg", "textarea", "title", "h1", "h2", "h3", "h4", "h5", "h6"}


@hookimpl
def register_collections(register):
    register(Collection("glossary", GlossaryEntry, "glossary term",
                        description="Abbreviations and what they stand for.",
                        page=lambda entry: f"glossary/index.md#{glossary_anchor(entry)}", title=lambda e: e.term))


@hookimpl
def check_knowledge(kb: Knowledge):
    for entry, first in repeats(kb.all(GlossaryEntry), lambda e: e.term):
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
        """Every term, alphabetically, with what it stands for, its definition and source."""
        entries = sorted(kb.all(GlossaryEntry), key=lambda e: e.term.casefold())
        return render("glossary/glossary.html", page, kb, entries=entries)

    register(Macro("glossary", glossary, kb.files_of(GlossaryEntry)))


@lru_cache(maxsize=4)
def _abbreviations(kb: Knowledge) -> tuple[re.Pattern[str] | None, dict[str, str]]:
    """One pattern matching every term (as it appears in HTML), and each term's <abbr> title."""
    titles: dict[str, str] = {}
    alternatives = []
    for entry in sorted(kb.all(GlossaryEntry), key=lambda e: len(e.term), reverse=True):
        html_term = escape(entry.term, quote=False)
        titles[html_term] = str(escape_text(entry.stands_for))
        plural = "s?" if entry.plural and not entry.term.endswith("s") else ""
        alternatives.append(f"{re.escape(html_term)}{plural}")
    if not alternatives:
        return None, titles
    pattern = re.compile(r"(?<![\w&#])(" + "|".join(alternatives) + r")(?![\w])")
    return pattern, titles


class _Abbreviator(HTMLParser):
    """Copies HTML through unchanged except running text, where `wrap` explains terms.

    A real parser, so text inside attributes, comments or <script> is never touched.
    """

    def __init__(self, pattern: re.Pattern[str], wrap) -> None:
        super().__init__(convert_charrefs=False)
        self.pattern, self.wrap = pattern, wrap
        self.out: list[str] = []
        self.text: list[str] = []
        self.skipping: list[str] = []

    def _flush(self) -> None:
        if self.text:
            raw = "".join(self.text)
            self.out.append(raw if self.skipping else self.pattern.sub(self.wrap, raw))
            self.text = []

    def _copy(self, markup: str) -> None:
        self._flush()
        self.out.append(markup)

    def handle_starttag(self, tag, attrs):
        self._copy(self.get_starttag_text())
        if tag in SKIP_ELEMENTS:
            self.skipping.append(tag)

    def handle_startendtag(self, tag, attrs):
        self._copy(self.get_starttag_text())

    def handle_endtag(self, tag):
        self._copy(f"</{tag}>")
        if tag in self.skipping:
            while self.skipping.pop() != tag:
                pass

    def handle_data(self, data):
        self.text.append(data)

    def handle_entityref(self, name):
        self.text.append(f"&{name};")

    def handle_charref(self, name):
        self.text.append(f"&#{name};")

    def handle_comment(self, data):
        self._copy(f"<!--{data}-->")

    def handle_decl(self, decl):
        self._copy(f"<!{decl}>")

    def handle_pi(self, data):
        self._copy(f"<?{data}>")

    def unknown_decl(self, data):
        self._copy(f"<![{data}]>")

    def result(self) -> str:
        self.close()
        self._flush()
        return "".join(self.out)


def explain_abbreviations(html: str, kb: Knowledge) -> str:
    """Wrap glossary terms in running text with <abbr title="...">, leaving SKIP_ELEMENTS alone."""
    pattern, titles = _abbreviations(kb)
    if pattern is None:
        return html

    def wrap(match: re.Match[str]) -> str:
        found = match.group(1)
        term = found if found in titles else found[:-1]
        return f'<abbr title="{titles[term]}">{found}</abbr>'

    abbreviator = _Abbreviator(pattern, wrap)
    abbreviator.feed(html)
    return abbreviator.result()


@hookimpl(trylast=True)  # after every other plugin has added its markup, so that is explained too
def prepare_page_html(page: PageHtml, kb: Knowledge) -> None:
    page.html = explain_abbreviations(page.html, kb)
