"""MkDocs hook: what a printed page says about itself (its version, the as-at date), for overrides/main.html.

A printed copy outlives the site: it must say which version it is, as at when, when it was
printed and where it came from (the date printed and the address are filled in by
docs/assets/print.js, in the reader's browser). The header is made by the core
(`generate.print_header`, the same on every engine) from the page's finished HTML.
"""

from __future__ import annotations

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.pages import Page

from plugins.core import generate, site


def on_page_context(context: dict, *, page: Page, config: MkDocsConfig, nav) -> dict:
    context["kb_print_header"] = generate.print_header(site.current(), config.site_name, page.content or "")
    return context
