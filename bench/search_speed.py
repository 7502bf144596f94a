"""How long search takes to show its first results in headless Chromium: from a cold page load, and once loaded.

    .venv/bin/python bench/search_speed.py [SITE_DIR] [--runs 3]

Cold: a fresh browser context (empty cache) opens the home page, and the query is
typed as soon as the search box can take it (one load before is not measured, so that
the browser's own start is not counted); the time runs from the start of the
page load until the result list shows the answer to that query (the site's search
says which query its list answers: data-kb-query). Loaded: on the same page, once
the index is in, another query is typed; the time runs from the key press to its
answer. Medians of the runs. `make bench` runs it on the largest size it builds.
Not a test: the figures depend on the machine.
"""

from __future__ import annotations

import argparse
import functools
import http.server
import json
import statistics
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.conftest import CHROMIUM, CHROMIUM_ARGS, _QuietHandler  # noqa: E402

COLD_QUERY = "missing"
LOADED_QUERIES = ("child sexual exploitation", "return interview", "foster carer training")
ANSWERED = ("query => { const about = document.querySelector('[data-kb-query]'); "
            "return about && about.dataset.kbQuery === query "
            "&& document.querySelector('li.md-search-result__item > a'); }")


def _type(page, query: str) -> None:
    box = page.locator("input.md-search__input")
    box.click()
    box.fill(query)
    box.press("End")


def measure(site: Path, runs: int = 3) -> dict:
    handler = functools.partial(_QuietHandler, directory=str(site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}/"
    from playwright.sync_api import sync_playwright

    cold: list[float] = []
    loaded: list[float] = []
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
            # Not measured: the browser's own start (a reader's browser is running already). Each measured load
            # is still cold: a new context has an empty cache.
            warm_up = browser.new_context()
            warm_up.new_page().goto(base, wait_until="networkidle")   # the index too: nothing cut off
            warm_up.close()
            for _ in range(runs):
                context = browser.new_context()
                page = context.new_page()
                started = time.perf_counter()
                page.goto(base, wait_until="domcontentloaded")
                _type(page, COLD_QUERY)
                page.wait_for_function(ANSWERED, arg=COLD_QUERY, timeout=120_000)
                cold.append(time.perf_counter() - started)
                for query in LOADED_QUERIES:
                    started = time.perf_counter()
                    _type(page, query)
                    page.wait_for_function(ANSWERED, arg=query, timeout=60_000)
                    loaded.append(time.perf_counter() - started)
                context.close()
            browser.close()
    finally:
        server.shutdown()
    index = site / "search" / "search_index.json"
    return {"cold_first_results_s": round(statistics.median(cold), 2),
            "loaded_results_s": round(statistics.median(loaded), 2),
            "index_kib": round(index.stat().st_size / 1024, 1) if index.exists() else None,
            "pages": sum(1 for _ in site.rglob("index.html"))}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("site", nargs="?", default=str(ROOT / "site"))
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    print(json.dumps(measure(Path(args.site).resolve(), args.runs), indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
