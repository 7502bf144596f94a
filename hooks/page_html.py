"""MkDocs hook: let plugins prepare every page's HTML (e.g. explain abbreviations), check what hand-written
pages produced, and keep the public edition's links inside it."""

from __future__ import annotations

import logging
from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import Files
from mkdocs.structure.pages import Page

from plugins.core import editions, site
from plugins.core.handwritten import output_problems

log = logging.getLogger("mkdocs.plugins.kb")


def on_page_content(html: str, *, page: Page, config: MkDocsConfig, files: Files) -> str:
    build = site.current()
    html = build.prepare_html(page.file.src_uri, html, page.meta)
    if page.file.src_uri not in build.pages:
        for problem in output_problems(html, page.file.content_string):
            log.error(f"{Path(config.docs_dir).name}/{page.file.src_uri}: {problem}")
    published = getattr(build, "public_urls", None)
    if published is not None:
        html = editions.keep_links_inside(html, page.url, published, editions.MOVED)
    return html
