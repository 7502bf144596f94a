"""A generated page's body made final HTML without a Markdown pass: its headings get ids, permalinks and a
table of contents.

A template's output is HTML blocks and, between them, Markdown headings on lines of
their own (`## Progress updates`): nothing else. Running the whole page through
Markdown only to turn those lines into `<h2>` elements cost a third of the build
(Markdown re-parses every HTML block to find where it ends), so the headings are made
here instead, the way Python-Markdown's `toc` extension makes them: the same slugs,
the same unique ids, the same permalink, the same nested table of contents (its own
functions are used). A heading is a heading only outside every HTML element, as in
Markdown; inside a block the line is text. Its text is the template's (data in it is
escaped already) and is not read as inline Markdown: data never becomes markup.

`tests/test_outline.py` compares the result with Python-Markdown's on every
generated page of the shipped site.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from functools import lru_cache

from markdown.extensions.toc import nest_toc_tokens, slugify, strip_tags, unique

HEADING = re.compile(r"^(#{1,6})[ \t]+(.+?)(?:[ \t]+#+)?[ \t]*$")
TAG = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9-]*)(?:\s(?:[^>\"']++|\"[^\"]*+\"|'[^']*+')*+)?(/?)>")
"""A start or end tag; its inside is read a run at a time, never given back (as `tagstream.TOKEN`'s)."""
ID = re.compile(r"""\sid=(?:"([^"]*)"|'([^']*)')""")
VOID = frozenset({"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track",
                  "wbr"})


@dataclass
class Outline:
    html: str
    toc: list[dict] = field(default_factory=list)
    """Nested table-of-contents tokens, as Python-Markdown's `toc` extension gives them (MkDocs' `get_toc`)."""
    ids: set[str] = field(default_factory=set)
    """Every id on the page, for checking links to its anchors."""


@dataclass(frozen=True)
class Permalinks:
    """How headings link to themselves: mkdocs.yml's `toc` settings (`permalink`, `permalink_title`)."""

    text: str | None = None
    title: str = "Permanent link"
    css_class: str = "headerlink"

    @classmethod
    def from_toc_config(cls, config: dict) -> "Permalinks":
        permalink = config.get("permalink")
        text = "&para;" if permalink is True else (html.escape(permalink) if permalink else None)
        return cls(text, config.get("permalink_title", cls.title), config.get("permalink_class", cls.css_class))

    def after(self, anchor: str) -> str:
        if self.text is None:
            return ""
        title = f' title="{html.escape(self.title)}"' if self.title else ""
        return f'<a class="{html.escape(self.css_class)}" href="#{anchor}"{title}>{self.text}</a>'


def outline(body: str, permalinks: Permalinks) -> Outline:
    """The body as final HTML, with its headings' table of contents and every id it holds."""
    used: set[str] = set()
    counters: dict[str, int] = {}
    tokens: list[dict] = []
    lines: list[str] = []
    depth = 0
    for line in str(body).split("\n"):   # a template's Markup would make each line a Markup too
        heading = HEADING.match(line) if depth == 0 else None
        if heading is None:
            lines.append(line)
            if "<" in line:
                depth = max(0, depth + _depth_change(line))
            continue
        level, inner = len(heading.group(1)), heading.group(2)
        name = strip_tags(inner)
        anchor = unique(slugify(html.unescape(name), "-"), used, counters)
        tokens.append({"level": level, "id": anchor, "name": name, "html": inner, "data-toc-label": ""})
        lines.append(f'<h{level} id="{anchor}">{inner}{permalinks.after(anchor)}</h{level}>')
    text = "\n".join(lines)
    return Outline(text, nest_toc_tokens(tokens), ids_in(text))


def ids_in(text: str) -> set[str]:
    """Every id in a piece of HTML (the core's own, with quoted attributes), for links to its anchors."""
    return {html.unescape(double or single) for double, single in ID.findall(text)}


@lru_cache(maxsize=1 << 12)
def _depth_change(line: str) -> int:
    """How many elements a line opens, less those it closes. Pages of a kind repeat most of their lines (the
    5,663 generated pages of the largest benchmark site have 209,000 lines holding a tag, 26,000 distinct)."""
    change = 0
    for closing, tag, self_closing in TAG.findall(line):
        if tag.lower() in VOID or self_closing:
            continue
        change += -1 if closing else 1
    return change
