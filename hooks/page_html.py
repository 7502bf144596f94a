"""MkDocs hook: let plugins prepare every page's HTML (e.g. explain abbreviations), check what hand-written
pages produced, and keep the public edition's links inside it (`generate.finish_page`, the same on every engine)."""

from __future__ import annotations

import logging
import zlib
from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.plugins import event_priority
from mkdocs.structure.files import Files
from mkdocs.structure.pages import Page

from plugins.core import generate, outline, site

log = logging.getLogger("mkdocs.plugins.kb")


@event_priority(-100)   # last: every plugin's own content hooks have run
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
    # MkDocs makes every page's HTML before it writes the first: until this page's turn comes, its HTML
    # waits compressed (a sixth of the size), so a large site's build fits in memory. `on_page_context`,
    # which runs first at the page's turn, restores it.
    page._kb_waiting = zlib.compress(html.encode("utf-8"), 1)   # type: ignore[attr-defined]
    return ""


@event_priority(100)   # first: every other hook, and the theme, read the page's HTML
def on_page_context(context: dict, *, page: Page, config: MkDocsConfig, nav) -> dict:
    waiting = getattr(page, "_kb_waiting", None)
    if waiting is not None:
        page.content = zlib.decompress(waiting).decode("utf-8")
        del page._kb_waiting   # type: ignore[attr-defined]
    return context


def on_env(env, *, config: MkDocsConfig, files: Files):
    """The theme's templates are read once per build: without this Jinja checks each one on disk again at
    every include of every page (the preview starts a new process for each build, so edits are still seen)."""
    env.auto_reload = False
    return env


@event_priority(-100)   # after every other hook has seen the page
def on_post_page(output: str, *, page: Page, config: MkDocsConfig) -> str:
    """The page is written once this returns, and nothing reads its HTML again: let it go, so a build holds
    the pages still to write rather than every page of the site."""
    page.content = None
    return output
