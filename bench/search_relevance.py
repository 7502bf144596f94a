"""How often the page a query needs is in the first three results: the relevance suite against a built site.

    .venv/bin/python bench/search_relevance.py [SITE_DIR] [--engine lunr]

Runs every query of tests/search_queries.yml in headless Chromium against SITE_DIR (default:
site/, built by `make build`) and prints each miss and the hit rate by kind of query. With
`--engine lunr`, the site's search worker is swapped, in the browser only, for Material's lunr
worker fed the same index: the comparison behind the choice of engine in the README.
Not a test (tests/test_search.py is): it reports, it does not judge.
"""

from __future__ import annotations

import argparse
import collections
import functools
import http.server
import sys
import threading
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.conftest import CHROMIUM, CHROMIUM_ARGS, _QuietHandler  # noqa: E402
from tests.search_suite import TOP, load_queries, result_pages  # noqa: E402


def lunr_worker() -> bytes:
    import material

    workers = Path(material.__file__).parent / "templates" / "assets" / "javascripts" / "workers"
    return next(workers.glob("search.*.min.js")).read_bytes()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("site", nargs="?", default=str(ROOT / "site"))
    parser.add_argument("--engine", choices=["site", "lunr"], default="site",
                        help="'site': the engine the site ships; 'lunr': Material's lunr worker on the same index")
    args = parser.parse_args()

    handler = functools.partial(_QuietHandler, directory=args.site)
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}/"

    from playwright.sync_api import sync_playwright

    hits: dict[str, list[bool]] = collections.defaultdict(list)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        context = browser.new_context()
        if args.engine == "lunr":
            body = lunr_worker()
            context.route("**/assets/search/worker*.js",
                          lambda route: route.fulfill(body=body, content_type="text/javascript"))
        page = context.new_page()
        page.goto(base)
        for query in load_queries():
            found = result_pages(page, query.query)
            hit = query.page in found[:TOP]
            hits[query.kind].append(hit)
            hits["all"].append(hit)
            if not hit:
                print(f"miss  {query.query!r}: wanted {query.page}, got {found[:TOP]}")
        browser.close()
    server.shutdown()
    for kind, results in sorted(hits.items()):
        print(f"{kind:>13}: {sum(results)}/{len(results)} ({100 * sum(results) / len(results):.0f}%)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
