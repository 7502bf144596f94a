"""MkDocs hook: let plugins prepare every page's HTML (e.g. explain abbreviations)."""

from __future__ import annotations

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import Files
from mkdocs.structure.pages import Page

from plugins.core import site


def on_page_content(html: str, *, page: Page, config: MkDocsConfig, files: Files) -> str:
    return site.current().prepare_html(page.file.src_uri, html, page.meta)
