"""The search feature's hook implementations. What the feature does: the package docstring (__init__.py)."""

from __future__ import annotations

import json
from pathlib import Path

from plugins.core.hookspecs import hookimpl
from plugins.core.knowledge import Knowledge
from plugins.core.pages import SiteFile
from plugins.search import prebuilt

STATIC = Path(__file__).parent / "static"
WORKER = "assets/search/worker.js"
PAGE_SCRIPT = "assets/search/page.js"
FILE_WORKER_SHIM = "assets/search/iframe-worker.js"
VENDORED = {"minisearch.js": ("minisearch/dist/umd/index.js", "7.2.0"),
            "iframe-worker.js": ("iframe-worker/shim/index.js", "1.0.4")}
"""Each vendored file, where it comes from under node_modules/, and the version package-lock.json pins."""


def _static(name: str) -> str:
    return (STATIC / name).read_text(encoding="utf-8")


def worker_script() -> str:
    engine = "\n".join(line for line in _static("minisearch.js").splitlines()
                       if not line.startswith("//# sourceMappingURL"))
    shared = (f"const FIELDS = {json.dumps(list(prebuilt.FIELDS))}\n"
              f"const STOP_WORDS = new Set({json.dumps(sorted(prebuilt.STOP_WORDS))})\n")
    return (f"/* MiniSearch {VENDORED['minisearch.js'][1]}, MIT licence, copyright Luca Ongaro. */\n"
            f"{engine}\n{shared}{_static('worker.js')}")


@hookimpl
def extra_site_files(kb: Knowledge, register):
    register(SiteFile(WORKER, worker_script(), every_edition=True))
    register(SiteFile(PAGE_SCRIPT, _static("page.js"), every_edition=True))
    register(SiteFile(FILE_WORKER_SHIM, f"/* iframe-worker {VENDORED['iframe-worker.js'][1]}, MIT licence, "
                                         f"copyright Martin Donath. */\n{_static('iframe-worker.js')}",
                      every_edition=True))
