"""The page passes read HTML with TagStream (plugins/core/tagstream.py) instead of html.parser: on every
page of the built site, both must see the same tags, attributes and text."""

from __future__ import annotations

import random
import re
from html.parser import HTMLParser

import pytest

from plugins.core.tagstream import PIECES, RAW_TEXT_START, TOKEN, TagStream


class _Events:
    """Every callback, in order; runs of text joined (where a parser splits text is not what it read)."""

    def __init__(self, **options) -> None:
        super().__init__(**options)
        self.events: list[tuple] = []

    def _text(self, text: str) -> None:
        if self.events and self.events[-1][0] == "text":
            self.events[-1] = ("text", self.events[-1][1] + text)
        else:
            self.events.append(("text", text))

    def handle_starttag(self, tag, attrs):
        self.events.append(("start", tag, attrs, self.get_starttag_text()))

    def handle_startendtag(self, tag, attrs):
        self.events.append(("start-end", tag, attrs, self.get_starttag_text()))

    def handle_endtag(self, tag):
        self.events.append(("end", tag))

    def handle_data(self, data):
        self._text(data)

    def handle_entityref(self, name):
        self._text(f"&{name};")

    def handle_charref(self, name):
        self._text(f"&#{name};")

    def handle_comment(self, data):
        self.events.append(("comment", data))

    def handle_decl(self, decl):
        self.events.append(("decl", decl))


class _Standard(_Events, HTMLParser):
    pass


class _Fast(_Events, TagStream):
    pass


def _events(kind, html: str, convert_charrefs: bool) -> list[tuple]:
    reader = kind(convert_charrefs=convert_charrefs)
    reader.feed(html)
    reader.close()
    return reader.events


@pytest.mark.parametrize("convert_charrefs", [True, False])
def test_every_built_page_reads_the_same_as_with_html_parser(site, convert_charrefs):
    """Whole pages hold <script>, so TagStream reads them a token at a time; their articles hold none, so it
    splits each into all its tokens at once (`PIECES`), as it does the content the page passes read."""
    pages = sorted(site.rglob("*.html"))
    assert len(pages) > 60
    for path in pages:
        html = path.read_text(encoding="utf-8")
        assert RAW_TEXT_START.search(html), path
        assert _events(_Fast, html, convert_charrefs) == _events(_Standard, html, convert_charrefs), path
        for article in re.findall(r"<article.*?</article>", html, re.S):
            assert not RAW_TEXT_START.search(article), path
            assert _events(_Fast, article, convert_charrefs) == _events(_Standard, article, convert_charrefs), path


@pytest.mark.parametrize("html", [
    '<p title="a > b" data-x=\'1\' hidden>x &amp; y</p>',
    "<br/><img src=a.png alt=''><hr>",
    "<script>if (a<b && c>d) {}</script><style>p > a {}</style>",
    "a < b, <!-- a <p> comment --> <!DOCTYPE html> 3<4",
    "<P CLASS=Note>Upper</P>",
    "<p>a<b>b</b><br />c</p>text after<!--x--><?pi x?>", "", "no tags at all &amp; &#60;", "<a href='x>y'>z</a>&",
])
def test_awkward_html_reads_the_same(html):
    for convert in (True, False):
        assert _events(_Fast, html, convert) == _events(_Standard, html, convert)


BACKTRACKING_TOKEN = re.compile(r"""<(?:
      !--.*?--\s*>
    | [!?][^>]*>
    | (/?)([A-Za-z][^\s/>]*)((?:[^>"']|"[^"]*"|'[^']*')*)>
    )""", re.S | re.X)
"""`TOKEN` as it was written before its tag's inside was read possessively: the reading it must keep."""


def test_a_tag_read_possessively_is_the_tag_read_with_giving_back():
    """Random text made of the characters that decide where a token ends (quotes in names and values, unclosed
    tags and values, comments, declarations) splits into the same tokens either way."""
    assert TOKEN.pattern != BACKTRACKING_TOKEN.pattern
    pieces = re.compile(f"({BACKTRACKING_TOKEN.pattern})", BACKTRACKING_TOKEN.flags)
    chance = random.Random(13)
    alphabet = "<<>>\"\"''/ =!-?a b\nscript"
    for _ in range(30_000):
        text = "".join(chance.choice(alphabet) for _ in range(chance.randint(1, 40)))
        assert PIECES.split(text) == pieces.split(text), text
