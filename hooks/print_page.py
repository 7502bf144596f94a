"""MkDocs hook: what a printed page says about itself (its version, the as-at date), for overrides/main.html.

A printed copy outlives the site: it must say which version it is, as at when, when it was
printed and where it came from (the date printed and the address are filled in by
docs/assets/print.js, in the reader's browser). The version is read from the page's own
facts list (`<dt>Version</dt><dd>...</dd>`, as policy pages show it), so no feature's
templates change for printing.
"""

from __future__ import annotations

import re
from html import unescape

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.pages import Page

from plugins.core import site
from plugins.core.render import iso_date, long_date

VERSION = re.compile(r"<dt>\s*Version\s*</dt>\s*<dd>(.*?)</dd>", re.S | re.I)
TAG = re.compile(r"<[^>]+>")


def on_page_context(context: dict, *, page: Page, config: MkDocsConfig, nav) -> dict:
    as_at = site.current().kb.as_at
    found = VERSION.search(page.content or "")
    version = " ".join(unescape(TAG.sub("", found.group(1))).split()) if found else ""
    context["kb_print"] = {"as_at": long_date(as_at), "as_at_iso": iso_date(as_at), "version": version}
    return context
