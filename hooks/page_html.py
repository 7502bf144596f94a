"""MkDocs hook: let plugins prepare every page's HTML (e.g. explain abbreviations), check what hand-written
pages produced, and keep the public edition's links inside it (`generate.finish_page`, the same on every engine)."""

from __future__ import annotations

import logging
from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import Files
from mkdocs.structure.pages import Page

from plugins.core import generate, outline, site

log = logging.getLogger("mkdocs.plugins.kb")


def on_page_content(html: str, *, page: Page, config: MkDocsConfig, files: Files) -> str:
    build = site.current()
    path = page.file.src_uri
    source = None if path in build.pages else page.file.content_string
    stash = build.stashes.pop(path, None)
    if stash and page.present_anchor_ids is not None:   # the macros' anchors, which Markdown did not see
        page.present_anchor_ids |= outline.ids_in("".join(stash.values()))
    html, problems = generate.finish_page(build, path, html, page.meta, source=source, page_url=page.url,
                                          stash=stash)
    for problem in problems:
        log.error(f"{Path(config.docs_dir).name}/{path}: {problem.rule}")
    return html


def on_env(env, *, config: MkDocsConfig, files: Files):
    """The theme's templates are read once per build: without this Jinja checks each one on disk again at
    every include of every page (the preview starts a new process for each build, so edits are still seen)."""
    env.auto_reload = False
    return env
