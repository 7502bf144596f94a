"""The search relevance suite (tests/search_queries.yml) and how to run one query in a browser page.

Shared by tests/test_search.py (every query must find its page in the first three results)
and bench/search_relevance.py (the hit rate of one engine against another on the same queries).
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import yaml

QUERIES_FILE = Path(__file__).with_name("search_queries.yml")
RESULT_LINKS = "li.md-search-result__item > a"
TOP = 3


@dataclass(frozen=True)
class Query:
    who: str
    kind: str
    query: str
    page: str

    def __str__(self) -> str:
        return self.query


def load_queries() -> list[Query]:
    return [Query(**item) for item in yaml.load(QUERIES_FILE.read_text(encoding="utf-8"), Loader=yaml.CSafeLoader)]


def result_pages(page, query: str) -> list[str]:
    """Type `query` into the search box of an open page; the result pages in order, as site paths ('cse-toolkit/')."""
    box = page.locator("input.md-search__input")
    box.click()
    # The whole query at once, then a key press for the theme to read it (it searches on keyup):
    # typing letter by letter is tested by the keyboard tests; this suite tests the ranking.
    box.fill(query)
    box.press("End")
    hrefs = _settled_results(page, query)
    base = page.evaluate("new URL(JSON.parse(document.getElementById('__config').textContent).base, location.href).href")
    return [site_path(urljoin(page.url, href), base) for href in hrefs]


def site_path(url: str, base: str) -> str:
    """'http://host/x/cse-toolkit/?h=cse' -> 'cse-toolkit/' (also for file:// and .html pages)."""
    path = urlsplit(url).path.removeprefix(urlsplit(base).path)
    path = path.removesuffix("index.html")
    return path.removesuffix(".html") + "/" if path.endswith(".html") else path


def _settled_results(page, query: str) -> list[str]:
    """The result links once the list shows the answer to the whole query.

    This site's search says which query its list answers (data-kb-query); with another engine
    (the comparison in bench/) the list is read once it has stopped changing.
    """
    read = "els => els.map(a => a.getAttribute('href'))"
    if page.locator("[data-kb-query]").count():
        page.wait_for_function(
            "query => document.querySelector('[data-kb-query]').dataset.kbQuery === query", arg=query, timeout=15_000)
        return page.eval_on_selector_all(RESULT_LINKS, read)
    last, same, deadline = None, 0, time.monotonic() + 15
    while same < 5 and time.monotonic() < deadline:
        page.wait_for_timeout(100)
        meta = page.locator(".md-search-result__meta").inner_text()
        now = (meta, tuple(page.eval_on_selector_all(RESULT_LINKS, read)))
        same = same + 1 if now == last and "nitiali" not in meta else 0
        last = now
    return list(last[1]) if last else []
