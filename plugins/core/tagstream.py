"""A fast reader of finished page HTML as tags and text, for the passes over every page.

The passes that run over every page (explaining glossary terms, reading text for
the search index) need only what `html.parser.HTMLParser` tells its subclasses:
start and end tags with their attributes, text, comments. HTMLParser finds those
with several regular expressions and method calls per character run and was a
third of the build; `TagStream` finds each with one regular expression and offers
the same callbacks, so a reader written for HTMLParser runs unchanged on it.

It reads HTML as HTMLParser does where the two can differ on the pages this site
makes (well-formed HTML from templates and Markdown): tag and attribute names
lower-cased, attribute values unescaped (`None` for a bare attribute), quoted
values may hold `>`, `<script>` and `<style>` hold raw text, a `<` that starts no
tag is text. `tests/test_tagstream.py` checks it against HTMLParser on every page
of the built site.
"""

from __future__ import annotations

import re
from functools import lru_cache
from html import unescape

TOKEN = re.compile(r"""<(?:
      !--.*?--\s*>                                   # a comment
    | [!?][^>]*+>                                    # a declaration or processing instruction
    | (/?)([A-Za-z][^\s/>]*)((?:[^>"']++|"[^"]*+"|'[^']*+')*+)>   # a start or end tag
    )""", re.S | re.X)
"""One token. A tag's inside is read a run at a time and never given back (`++`, `*+`: Python 3.11's possessive
forms): each of its three kinds starts with a character the others cannot, and only `>` may follow it, so
giving back could never make a tag match, and reading it a character at a time was a third of the time the
page passes spent reading tokens. The tag's name may still give back (a quote in a name can open a value)."""
ATTRIBUTE = re.compile(r"""([^\s/>"'=][^\s/>"'=]*)(?:\s*=\s*("[^"]*"|'[^']*'|[^\s>]+))?""")
RAW_TEXT = frozenset({"script", "style"})
"""Elements whose content is text up to their end tag, as HTMLParser's CDATA_CONTENT_ELEMENTS."""
PIECES = re.compile(f"({TOKEN.pattern})", TOKEN.flags)
"""`TOKEN` with the whole token captured too: its `split` gives the text before each token, the token and its
three parts (closing "/", name, inside), and so on, the text after the last token at the end."""
RAW_TEXT_START = re.compile("<(?:" + "|".join(sorted(RAW_TEXT)) + ")", re.I)
"""What may open a raw-text element, whose text runs to its end tag (which `PIECES.split` does not know): HTML
holding one is read a token at a time. Text in an attribute or a comment that looks like one only costs time."""


@lru_cache(maxsize=4096)
def attributes(text: str) -> list[tuple[str, str | None]]:
    """A tag's attributes, as HTMLParser gives them: names lower-cased, values unquoted and unescaped.
    Pages repeat the same few hundred attribute lists thousands of times: each is read once (a reader must
    not change the list it is given)."""
    found: list[tuple[str, str | None]] = []
    for name, value in ATTRIBUTE.findall(text):
        if not value:
            found.append((name.lower(), None))
            continue
        if value[0] in "'\"":
            value = value[1:-1]
        found.append((name.lower(), unescape(value)))
    return found


def raw_text_end(html: str, tag: str, position: int) -> int:
    """Where the text of a raw-text element (`RAW_TEXT`) opened before `position` ends: at its end tag,
    or at the end of the HTML if it has none (as HTMLParser reads it)."""
    close = re.compile(rf"</{tag}\s*>", re.I).search(html, position)
    return close.start() if close else len(html)


class TagStream:
    """A drop-in for the part of HTMLParser the page passes use: call `feed(html)` then `close()`; override
    `handle_starttag`, `handle_startendtag`, `handle_endtag`, `handle_data`, `handle_comment`, `handle_decl`.
    With `convert_charrefs` (HTMLParser's default) text comes unescaped; without it, as written."""

    wants_attributes = True
    """A reader that never looks at attributes can say so: they are then not parsed (`attrs` is empty)."""
    passing_over = False
    """A reader passing over an element (one whose content it leaves out) can say so while it does: its text is
    then not handed on, and its start tags come without their attributes (`attrs` is empty)."""

    def __init__(self, *, convert_charrefs: bool = True) -> None:
        self.convert_charrefs = convert_charrefs
        self._starttag = ""

    def get_starttag_text(self) -> str:
        return self._starttag

    def feed(self, html: str) -> None:
        if not RAW_TEXT_START.search(html):
            self._feed_split(html)
            return
        position = 0
        while position is not None:
            position = self._feed_from(html, position)

    def _feed_split(self, html: str) -> None:
        """Read HTML that opens no raw-text element: every token is found by one call (`PIECES`), then handed
        on in order, as `_feed_from` would."""
        pieces = PIECES.split(html)
        read_text, token = self._read_text, self._token
        for text, raw, closing, tag, inside in zip(pieces[0::5], pieces[1::5], pieces[2::5], pieces[3::5],
                                                   pieces[4::5]):
            if text and not self.passing_over:
                read_text(text)
            token(raw, closing, tag, inside)
        if pieces[-1]:
            read_text(pieces[-1])

    def _feed_from(self, html: str, position: int) -> int | None:
        """Read from `position` to the end (None is returned), or to a raw-text element (<script>, <style>):
        its text is read as one run up to its end tag, and where that end tag starts is returned."""
        read_text, token = self._read_text, self._token
        for match in TOKEN.finditer(html, position):
            start = match.start()
            if start > position and not self.passing_over:
                read_text(html[position:start])
            position = match.end()
            tag = token(match.group(0), *match.group(1, 2, 3))
            if tag in RAW_TEXT:
                stop = raw_text_end(html, tag, position)
                if stop > position:
                    self.handle_data(html[position:stop])
                return stop
        if position < len(html):
            read_text(html[position:])
        return None

    def _token(self, raw: str, closing: str | None, tag: str | None, inside: str | None) -> str | None:
        """Hand on one token (`TOKEN`'s parts); the name of the element it opens, if it opens one."""
        if tag is None:
            self._other(raw)
            return None
        tag = tag.lower()
        if closing:
            self.handle_endtag(tag)
            return None
        self._starttag = raw
        attrs = attributes(inside) if self.wants_attributes and not self.passing_over and inside \
            and not inside.isspace() else []
        if inside and inside.rstrip().endswith("/"):
            self.handle_startendtag(tag, attrs)
            return None
        self.handle_starttag(tag, attrs)
        return tag

    def _other(self, raw: str) -> None:
        """A comment, a declaration or a processing instruction."""
        if raw.startswith("<!--"):
            self.handle_comment(raw[4:raw.rindex("--")])
        elif raw[1] == "!":
            self.handle_decl(raw[2:-1])
        else:
            self.handle_pi(raw[2:-1])

    def _read_text(self, text: str) -> None:
        self.handle_data(unescape(text) if self.convert_charrefs and "&" in text else text)

    def close(self) -> None:
        """Nothing is held back between calls of `feed`: here for HTMLParser's interface."""

    # --- what a reader overrides --------------------------------------------------------------

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        pass

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        self.handle_endtag(tag)

    def handle_endtag(self, tag: str) -> None:
        pass

    def handle_data(self, data: str) -> None:
        pass

    def handle_comment(self, data: str) -> None:
        pass

    def handle_decl(self, decl: str) -> None:
        pass

    def handle_pi(self, data: str) -> None:
        pass
