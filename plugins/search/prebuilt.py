"""The search index's terms, worked out at build time: what MiniSearch would work out in the browser.

Indexing every word of a large site in the reader's browser was most of the time to first
results (1.3 s of the worker's 1.8 s setup at 5,679 pages). So the build cuts, stems and
counts each page's words here (`page_terms`), once a page: a page taken from the last build
brings its terms with it. The index lists each page's terms, and the worker puts MiniSearch's
own serialised index (`MiniSearch.toJSON`, serialisation version 2) together from them
(static/worker.js, `indexFrom`: a pass over the terms, no text is read) and loads it with
`MiniSearch.loadJS`. Putting the index together once in the build was a tenth of a rebuild
after a one-record edit, every time, for every page. Together they follow MiniSearch 7.2.0's
`add` step by step:

- a field's text is split at runs of spaces and punctuation (Unicode categories Z and P,
  and line breaks), as MiniSearch's default tokenizer does;
- its length is the number of distinct pieces, and the average length of each field is kept
  as MiniSearch keeps it, a running mean, so the scores are the same to the last bit;
- each piece goes through the worker's `indexTerms` (`index_terms` below): lower case,
  stop words and one-letter words dropped, the stem, and the word as written marked "="
  where it differs from its stem;
- terms are listed in the order they were first met, so the worker's index is the same tree
  as one the browser would have grown, and ties rank alike.

Python's Unicode tables may be older than the browser's: a character made punctuation by a
later Unicode version would be cut at in a query and not in the index. None is used here.

`forms` is the worker's table of written words and how often the site uses them (for
completing a word being typed and naming corrections), in the order the worker met them.

The worker's own query-time functions (`processTerm`, `stem`, `words`) are the other half of
this: tests/test_search.py builds the index in Chromium with MiniSearch and the worker's
functions from the same pages and checks that the index the worker puts together from these
terms equals it, field for field.
"""

from __future__ import annotations

import functools
import re
from collections import Counter
from collections.abc import Iterable

FIELDS = ("title", "headings", "text", "synonyms", "audience")
"""The fields the worker's MiniSearch indexes, in its order (their ids are their positions)."""

STOP_WORDS = frozenset((
    "a about after all also am an and any are as at be been before being but by can could did do does doing "
    "for from get gets go goes going got had has have having he her here hers him his how i if in into is it its "
    "me my no not of on or our out over she should so some such than that the their them then there these they "
    "this those to too under up us was we were what when where which while who whom why will with would you your"
).split())
"""Words too common to search for; the worker is given this same list (hooks.worker_script)."""

EXACT = "="
FORMS_FROM = ("title", "headings", "text")
"""The fields whose words the worker counts as written forms (to complete a word being typed and name corrections)."""


LAST_PUNCTUATION_PLANE_END = 0x20000
"""Unicode puts no space or punctuation beyond its first two planes (test_search checks this Python's tables)."""


@functools.cache
def _to_space() -> dict[int, str]:
    """Every character JavaScript's /[\\n\\r\\p{Z}\\p{P}]/u matches, mapped to a space (Python's `re` has no
    \\p{...}, and a class of them all is slow to match): made once, when first needed."""
    import unicodedata

    return {code: " " for code in range(LAST_PUNCTUATION_PLANE_END)
            if chr(code) in "\n\r" or unicodedata.category(chr(code))[0] in "ZP"}


def pieces(text: str) -> list[str]:
    """MiniSearch's default tokenizer, `text.split(/[\\n\\r\\p{Z}\\p{P}]+/u)`: the text cut at each run of spaces and
    punctuation. JavaScript also gives an empty piece for a run at either end; one is given here at the end
    for either, so that the distinct pieces, which MiniSearch counts as the field's length, are the same."""
    spaced = text.translate(_to_space())
    found = [piece for piece in spaced.split(" ") if piece]
    if not spaced or spaced[0] == " " or spaced[-1] == " ":
        found.append("")
    return found


def _js_length(text: str) -> int:
    """The length JavaScript gives a string: UTF-16 code units, two for a character beyond U+FFFF."""
    return len(text) + sum(1 for char in text if ord(char) > 0xFFFF)


_DOUBLED = re.compile(r"([^aeiouylsz])\1$")


def stem(word: str) -> str:
    """The worker's `stem`: plural and verb endings only, so that prefixes typed so far still match."""
    if _js_length(word) <= 3:
        return word
    if word.endswith("ies") and _js_length(word) > 4:
        return word[:-3] + "y"
    if word.endswith("sses"):
        return word[:-2]
    for ending in ("ing", "ed"):
        base = word[:-len(ending)]
        if word.endswith(ending) and _js_length(base) >= 3 and re.search(r"[aeiouy]", base):
            # JavaScript compares UTF-16 units: a character beyond U+FFFF is never "doubled" there.
            doubled = _DOUBLED.search(base) and ord(base[-1]) <= 0xFFFF
            return base[:-1] if doubled else base
    if word.endswith("s") and not re.search(r"(ss|us|is)$", word):
        return word[:-1]
    return word


def process_term(term: str) -> str | None:
    """The worker's `processTerm`: None for a word not worth searching for, else its stem."""
    word = term.lower()
    if not word or word in STOP_WORDS or (_js_length(word) < 2 and not re.search(r"[0-9]", word)):
        return None
    return stem(word)


def index_terms(term: str) -> list[str]:
    """The worker's `indexTerms`: what the index holds for a word (its stem, and the word as written if it differs)."""
    stemmed = process_term(term)
    if not stemmed:
        return []
    word = term.lower()
    return [stemmed] if stemmed == word else [stemmed, EXACT + word]


def page_terms(fields: dict[str, str]) -> list:
    """What one page adds to the index, worked out from its text alone (so that a page taken from the last build
    brings it along, and is not cut and stemmed again): for each of FIELDS, its length, then its terms and how
    often each occurs, in the order first met; then the written forms it uses and how often, in that order.
    Terms and counts are each one text, joined by spaces (no term holds one: text is cut at every space), which
    the page store keeps and reads back far faster than a list of pairs."""
    found: list = []
    forms: dict[str, int] = {}
    for field in FIELDS:
        # Each distinct piece once, with how often it occurs, in the order first met (so terms keep theirs).
        tokens = Counter(pieces(fields[field]))
        if field in FORMS_FROM:
            # The worker's words(`${title} ${headings} ${text}`): lower case before or after cutting gives the
            # same words (spaces and punctuation have no case), so they are the pieces already cut.
            for token, times in tokens.items():
                if token:
                    word = token.lower()
                    forms[word] = forms.get(word, 0) + times
        counted: dict[str, int] = {}  # this field's terms and how often, in the order first met
        for token, times in tokens.items():
            for term in _terms_of(token):
                counted[term] = counted.get(term, 0) + times
        found.append([len(tokens), *_joined(counted)])
    found.append(_joined(forms))
    return found


def _joined(counted: dict[str, int]) -> list[str]:
    return [" ".join(counted), " ".join(map(str, counted.values()))]


@functools.lru_cache(maxsize=1 << 16)
def _terms_of(token: str) -> tuple[str, ...]:
    return tuple(index_terms(token))


def page_fields(page: dict, sections: Iterable[dict]) -> dict[str, str]:
    """The text of each indexed field of a page, from its docs in the search index (the page's, then its sections')."""
    sections = list(sections)

    def joined(docs: list[dict], field: str) -> str:
        return "\n".join(doc.get(field) or "" for doc in docs)

    everything = [page, *sections]
    return {
        "title": f"{page['title']}\n{page.get('title_synonyms') or ''}",
        "headings": f"{joined(sections, 'title')}\n{joined(sections, 'title_synonyms')}",
        "text": joined(everything, "text"),
        "synonyms": joined(everything, "synonyms"),
        "audience": page.get("audience") or "",
    }
