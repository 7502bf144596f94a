"""MkDocs hook: remove the one attribute the theme writes that HTML does not allow.

Material's base.html gives the checkboxes that open the navigation drawer and the search
`autocomplete="off"`, which HTML allows only on text-like inputs (the Nu Html Checker
reports it on every page). Those inputs sit outside any template block, so an override
would mean copying the whole base template; the attribute is removed from the output
instead. tests/test_accessibility.py runs the checker over every page.
"""

from __future__ import annotations

import re

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.pages import Page

CHECKBOX_AUTOCOMPLETE = re.compile(r'(<input\b[^>]*\btype="checkbox"[^>]*?)\s+autocomplete="[^"]*"')


def on_post_page(output: str, *, page: Page, config: MkDocsConfig) -> str:
    return CHECKBOX_AUTOCOMPLETE.sub(r"\1", output)


def on_post_template(output_content: str, *, template_name: str, config: MkDocsConfig) -> str:
    """The same for pages made from a theme template alone (404.html)."""
    return CHECKBOX_AUTOCOMPLETE.sub(r"\1", output_content) if template_name.endswith(".html") else output_content
