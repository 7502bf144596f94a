"""A page's HTML as readable sections of text, for the search index.

What a reader would read aloud, not what the markup holds: a definition list reads
"Status: At risk. Theme: ...", notices that every page of a kind carries (the
Illustrative notice, the owner and review box, the "Updated" line, the sources a part
cites) are left out, as is anything marked `data-search-exclude` (the theme's own
convention, used by the templates), and a list item or table row that only points at
another page (a listing) is left out too, because that page is indexed itself: a
listing contributes its headings, so the index grows with the records, not with the
records times the listings that show them.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from plugins.core.tagstream import TagStream

BOILERPLATE_CLASSES = {"kb-illustrative", "kb-illustrative-inline", "kb-review", "kb-badge", "headerlink",
                       "kb-page-source", "kb-cite", "kb-cites"}
"""Markup repeated on many pages: not what a page is about, and never a useful snippet. The sources a
page cites are listed, and indexed, once: on the About page."""
EXCLUDED_ATTRIBUTE = "data-search-exclude"
"""Material for MkDocs' mark for content its search leaves out; the templates use it (the Updated line,
the What's new tables, the provenance legend)."""
TERM_CLASS = "kb-term"
"""A glossary term's link explains a word of the sentence: it does not make a row point at another page."""

SKIPPED_ELEMENTS = {"script", "style", "svg", "template", "button", "input", "select", "textarea", "nav"}
"""Never text to read: code, drawings (charts repeat their figures in a table), controls, navigation."""

BLOCKS = {"p", "li", "dt", "dd", "tr", "td", "th", "caption", "figcaption", "blockquote", "div", "section",
          "ul", "ol", "dl", "table", "thead", "tbody", "details", "summary", "aside", "fieldset", "legend",
          "pre", "article", "figure", "form", "label", "header", "footer", "main"}
HEADINGS = {"h1", "h2", "h3"}
MINOR_HEADINGS = {"h4", "h5", "h6"}
VOID = {"br", "hr", "img", "input", "meta", "link", "source", "wbr", "col", "area", "base", "embed", "track"}
POINTERS = {"li", "tr"}
"""Blocks that are a listing's rows when most of their text is a link to another page (or, for a
table row, when its first cell is such a link)."""
LONG_TABLE = 25
"""A table with more body rows than this is a listing: it contributes its caption and header only."""
ENDINGS = {"dt": ":", "td": ";", "th": ";"}
SENTENCES = {"p", "li", "dd", "caption", "figcaption", "blockquote", "summary", "legend", "label"}
SENTENCE_ENDINGS = frozenset(".!?:;,")
"""What a block's text may end with and still read as a sentence's end: no full stop is added."""


@dataclass
class Section:
    """Part of a page: its heading (none for the text before the first heading), anchor and text."""

    title: str
    anchor: str
    text: str = ""


@dataclass
class _Block:
    tag: str
    parts: list[str] = field(default_factory=list)
    link_chars: int = 0
    started: bool = False
    keyed: bool = False
    """Its text begins with a link to another page: a listing's row about that page."""
    rows: list[str] = field(default_factory=list)
    """For a table: its body rows, kept only if the table is short."""
    header_read: bool = False

    def text(self) -> str:
        return " ".join("".join(self.parts).split())


class _Reader(TagStream):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.sections: list[Section] = [Section("", "")]
        self.stack: list[_Block] = [_Block("root")]
        self.skipping: list[str] = []  # open elements whose content is left out
        self.heading: _Block | None = None
        self.heading_anchor = ""
        self.page_title = ""
        self.in_page_link = 0
        self.links: list[bool] = []  # for each open link: does it point at another page?

    # --- elements ------------------------------------------------------------

    def handle_starttag(self, tag, attrs):
        if self.skipping:
            if tag not in VOID:
                self.skipping.append(tag)
            return
        attributes = dict(attrs) if attrs else {}
        classes = (attributes.get("class") or "").split() if attrs else ()
        if (tag in SKIPPED_ELEMENTS or not BOILERPLATE_CLASSES.isdisjoint(classes) or "hidden" in attributes
                or EXCLUDED_ATTRIBUTE in attributes):
            if tag not in VOID:
                self.skipping.append(tag)
                self.passing_over = True   # a third of a page's tags are in what is left out
            return
        if tag in HEADINGS:
            self._close_blocks()
            self.heading, self.heading_anchor = _Block(tag), attributes.get("id") or ""
        elif tag == "a" and TERM_CLASS not in classes and _links_to_a_page(attributes.get("href") or ""):
            self.in_page_link += 1
            self.links.append(True)
        elif tag == "a":
            self.links.append(False)
        elif tag in BLOCKS or tag in MINOR_HEADINGS:
            self.stack.append(_Block(tag))
        elif tag == "br":
            self._add(" ")

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag not in VOID:
            self.handle_endtag(tag)

    def handle_endtag(self, tag):
        if self.skipping:
            if self.skipping[-1] == tag:
                self.skipping.pop()
                self.passing_over = bool(self.skipping)
            return
        if tag in HEADINGS and self.heading is not None:
            title = self.heading.text()
            if tag == "h1":
                self.page_title = title
            else:
                self.sections.append(Section(title, self.heading_anchor))
            self.heading = None
        elif tag == "a" and self.links:
            self.in_page_link -= self.links.pop()
        elif (tag in BLOCKS or tag in MINOR_HEADINGS) and len(self.stack) > 1 and (
                self.stack[-1].tag == tag or any(b.tag == tag for b in self.stack)):
            while True:
                block = self.stack.pop()
                self._finish(block)
                if block.tag == tag:
                    break

    def handle_data(self, data):
        if self.skipping:
            return
        self._add(data)

    # --- text ------------------------------------------------------------------

    def _add(self, data: str) -> None:
        target = self.heading if self.heading is not None else self.stack[-1]
        target.parts.append(data)
        if target is self.heading or not data.strip():
            return
        stack = self.stack
        if not stack[-1].started:   # once the innermost open block has started, every block around it has
            for block in stack[1:]:
                if not block.started:
                    block.started, block.keyed = True, bool(self.in_page_link)
        if self.in_page_link:
            for block in stack[1:]:
                block.link_chars += len(data.strip())

    def _finish(self, block: _Block) -> None:
        text = block.text()
        if not text:
            return
        tag = block.tag
        if tag in POINTERS and (block.keyed or block.link_chars * 2 >= len(text.replace(" ", ""))):
            for ancestor in self.stack[1:]:
                ancestor.link_chars -= block.link_chars
            return  # a row that points at another page: that page is indexed itself
        ending = ENDINGS.get(tag, ":" if tag in MINOR_HEADINGS else "." if tag in SENTENCES else "")
        if ending and text[-1] not in SENTENCE_ENDINGS:
            text += ending
        if tag == "thead" or tag == "tr":
            table = next((b for b in reversed(self.stack) if b.tag == "table"), None)
            if tag == "thead" and table is not None:
                table.header_read = True
            elif tag == "tr" and table is not None and self.stack[-1].tag != "thead":
                if table.header_read:
                    table.rows.append(text)
                    return
                table.header_read = True  # a table without a thead: its first row is the header
        elif tag == "table" and len(block.rows) <= LONG_TABLE:
            text = " ".join([text, *block.rows])
        self.stack[-1].parts.append(f" {text} ")

    def _close_blocks(self) -> None:
        while len(self.stack) > 1:
            self._finish(self.stack.pop())
        text = self.stack[0].text()
        if text:
            section = self.sections[-1]
            section.text = f"{section.text} {text}".strip()
        self.stack[0] = _Block("root")

    def result(self) -> list[Section]:
        self.close()
        self._close_blocks()
        return self.sections


def _links_to_a_page(href: str) -> bool:
    """A link to another page of the site (not an anchor on this page, a phone number or another site)."""
    return bool(href) and not href.startswith(("#", "tel:", "mailto:")) and "://" not in href


def read_sections(html: str) -> tuple[str, list[Section]]:
    """The page's own title (its h1, if the HTML has one) and its sections, in order."""
    reader = _Reader()
    reader.feed(html)
    sections = reader.result()
    return reader.page_title, sections
