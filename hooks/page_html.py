"""MkDocs hook: let plugins prepare every page's HTML (e.g. explain abbreviations), check what hand-written
pages produced, and keep the public edition's links inside it (`generate.finish_page`, the same on every engine)."""

from __future__ import annotations

import logging
import os
import posixpath
import zlib
from collections.abc import Callable, Hashable
from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.plugins import event_priority
from mkdocs.structure.files import Files
from mkdocs.structure.pages import Page

from plugins.core import cache, generate, outline, site

log = logging.getLogger("mkdocs.plugins.kb")
MENU_CACHE = "KB_MENU_CACHE"
"""`off`: make the menu and the frame's other parts on every page (`Menus`), to compare."""


@event_priority(-100)   # last: every plugin's own content hooks have run
def on_page_content(html: str, *, page: Page, config: MkDocsConfig, files: Files) -> str:
    build = site.current()
    path = page.file.src_uri
    if path in build.kept:   # taken from the last build by hooks/reuse.py: nothing to prepare
        return ""
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
    if _menus is not None:
        context["kb_menus"] = _menus
    return context


class Menus:
    """The parts of the frame around the pages kept out of the navigation (generated per-record pages) that
    name nothing of the page, made once for each folder of such pages and reused (`part`).

    The menu (overrides/partials/nav.html): such a page is no item of it, so nothing in it is current, and
    its links, relative, are the same from every page of one folder ('plan/actions/a/' and
    'plan/actions/b/'). Rendering the menu was a tenth of the build. The header but for the page's title
    (overrides/partials/header.html), and the styles, the libraries, the scripts and the theme's settings
    (overrides/main.html): their links lead to the site's home and to the theme's and the site's files,
    never into a page's own folder, so they too are the same from every page of one folder; rendering them
    was about a tenth of the build again. So are the back-to-top button, the footer (such a page has no
    previous or next page to link to) and the table of contents (for each list of headings: pages of one
    kind mostly have the same). tests/test_build.py compares a site built so with one that makes the menu and
    every part on every page (KB_MENU_CACHE=off)."""

    def __init__(self) -> None:
        self.parts: dict[tuple[str, str, Hashable], str] = {}

    @staticmethod
    def _folder(page: Page | None) -> str | None:
        if page is None or not page.file.inclusion.is_not_in_nav():
            return None
        return posixpath.dirname(page.url.rstrip("/"))

    def part(self, name: str, page: Page | None, make: Callable[[], str]) -> str:
        """The part of the frame called `name` (`make()` renders it): made once for each folder of pages kept
        out of the navigation, and on every other page."""
        folder = self._folder(page)
        return make() if folder is None else self._kept((name, folder, None), make)

    def toc(self, page: Page | None, make: Callable[[], str]) -> str:
        """The page's table of contents (overrides/partials/toc.html): a part made once for each folder and list
        of headings (their levels, anchors, titles and nesting), which is all it shows of the page."""
        folder = self._folder(page)
        headings = _headings(page.toc) if folder is not None else None
        return make() if headings is None else self._kept(("toc", folder, headings), make)

    def footer(self, page: Page | None, make: Callable[[], str]) -> str:
        """The page's footer: a part, unless it links to a previous or next page (a page kept out of the
        navigation has neither, unless the navigation names it all the same)."""
        if page is None or page.previous_page is not None or page.next_page is not None:
            return make()
        return self.part("footer", page, make)

    def _kept(self, key: tuple[str, str, Hashable], make: Callable[[], str]) -> str:
        made = self.parts.get(key)
        if made is None:
            made = self.parts[key] = make()
        return made


def _headings(toc) -> tuple | None:
    """A table of contents as a key; None if it holds what the key leaves out (the typeset plugin's titles)."""
    found = []
    for item in toc:
        children = _headings(item.children)
        if children is None or getattr(item, "typeset", None) is not None:
            return None
        found.append((item.level, item.id, item.title, children))
    return tuple(found)


_menus: Menus | None = None


def on_pre_build(*, config: MkDocsConfig) -> None:
    global _menus
    _menus = None if os.environ.get(MENU_CACHE, "").strip().lower() == "off" else Menus()


def on_env(env, *, config: MkDocsConfig, files: Files):
    """The theme's templates are read once per build: without this Jinja checks each one on disk again at
    every include of every page (the preview starts a new process for each build, so edits are still seen)."""
    env.auto_reload = False
    build = site.current_or_none()
    if build is not None:
        cache.keep_compiled_templates(env, build.kb.settings.cache_dir, "theme", build.kb.settings.root)
    return env


@event_priority(-100)   # after every other hook has seen the page
def on_post_page(output: str, *, page: Page, config: MkDocsConfig) -> str:
    """The page is written once this returns, and nothing reads its HTML again: let it go, so a build holds
    the pages still to write rather than every page of the site."""
    page.content = None
    return output
