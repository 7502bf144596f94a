"""MkDocs hook: index every page as it is rendered, and write the search index after the build.

Listed in mkdocs.yml under `hooks:`. The index itself is made by the search plugin
(`plugins/search/`); this file only hands it each page and, at the end, the site folder.
"""

from __future__ import annotations

from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.plugins import event_priority
from mkdocs.structure.files import Files
from mkdocs.structure.pages import Page

from plugins.core import ahead, site
from plugins.search.index import SearchIndex

_index: SearchIndex | None = None


def on_pre_build(*, config: MkDocsConfig) -> None:
    global _index
    build = site.current()
    _index = build.search_index = SearchIndex(build.kb)


def on_env(env, *, config: MkDocsConfig, files: Files):
    """The pages go into the index in the site's order, whichever are rendered (a page hooks/reuse.py takes
    from the last build is not, and is indexed as it is taken). In a rebuild, the second process working
    ahead (plugins/core/ahead.py) is asked for the entries of the pages whose HTML the last build had not
    seen, while this one takes the others from the last build."""
    if _index is None:
        return env
    pages = files.documentation_pages()
    _index.in_order([file.src_uri for file in pages])
    build = site.current()
    if build.ahead is not None:   # a rebuild working ahead: the changed pages' entries, by a fork of their own
        build.indexing = ahead.index(build, [
            (file.src_uri, file.page.url, file.page.title or "", file.page._kb_waiting) for file in pages
            if file.src_uri in build.changed_html and file.page is not None
            and isinstance(getattr(file.page, "_kb_waiting", None), bytes) and not _excluded(file.page)])
    return env


def _excluded(page: Page) -> bool:
    return (page.meta.get("search") or {}).get("exclude", False)   # e.g. an archived policy version


@event_priority(-60)   # after hooks/reuse.py has found whether the page is the last build's
def on_page_context(context: dict, *, page: Page, config: MkDocsConfig, nav) -> dict:
    reused = getattr(page, "_kb_reused", None)
    if _index is None or _excluded(page):
        return context
    if reused is not None:
        if reused["search"] is not None:
            _index.add_indexed(src=page.file.src_uri, location=page.url, entry=reused["search"])
    elif page.content is not None:
        indexing = site.current().indexing
        made = indexing.search_entry(page.file.src_uri, page.url, page.title or "", page.content) \
            if indexing is not None else None
        if made is not None:
            _index.add_indexed(src=page.file.src_uri, location=page.url, entry=made)
            page._kb_search = made   # type: ignore[attr-defined]
        else:
            page._kb_search = _index.add_page(src=page.file.src_uri,   # type: ignore[attr-defined]
                                              location=page.url, title=page.title or "", html=page.content)
    return context


def on_post_build(*, config: MkDocsConfig) -> None:
    if _index is None:
        return
    _index.write(Path(config.site_dir))
