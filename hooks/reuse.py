"""MkDocs hook: reuse each page of the last build whose inputs have not changed (plugins/core/reuse.py).

A page is made as always, up to the moment the theme would render it; then its key, a digest of
everything the theme and the search index would read for it, is looked up in the store of the
last good build. Found: the stored page is written into the site then, as it was written before
(its bytes checked against their checksum, never decoded), the theme renders nothing
(overrides/main.html extends the empty kb-reused.html instead of the theme's page), MkDocs writes
nothing, and the search index takes the page's stored entry. Not found: the page is rendered, and
what MkDocs writes of it (after every other hook's `on_post_page`) is stored for the next build.
"""

from __future__ import annotations

import dataclasses
import logging
from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.plugins import event_priority
from mkdocs.structure.pages import Page
from mkdocs.utils import CountHandler

import plugins
from plugins.core import reuse, site

log = logging.getLogger("mkdocs.plugins.kb")
WHERE = {"git_rev"}
"""Settings that are neither paths nor what pages are made from (what they lead to is: the pages' content)."""

_store: reuse.PageStore | None = None
_code: str | None = None
_site: str | None = None
_problems: CountHandler | None = None
_copied: set[str] = set()
"""Pages the store wrote into the site this build (by their source, as MkDocs names them)."""


class _CopiedPages(logging.Filter):
    """MkDocs says "Page skipped" when the theme gives a page nothing to write; for a page the store put in the
    site that is how it should be, and nothing to say."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.msg if isinstance(record.msg, str) else ""
        return not (message.startswith("Page skipped: '") and message.partition("'")[2].rpartition("'")[0] in _copied)


_filter = _CopiedPages()


def on_pre_build(*, config: MkDocsConfig) -> None:
    global _store, _code, _site, _problems
    build = site.current()
    settings = build.kb.settings
    _store = reuse.store_for(settings.cache_dir, [str(settings.git_dir or settings.root), str(settings.edition)])
    _code = _code_key(config) if _store is not None else None
    build.memo = reuse.Memo(_store, _code) if _store is not None and _code is not None else None
    _site = None
    _problems = CountHandler()
    _problems.setLevel(logging.WARNING)
    logging.getLogger("mkdocs").addHandler(_problems)
    _copied.clear()
    logging.getLogger("mkdocs.commands.build").addFilter(_filter)


def _code_key(config: MkDocsConfig) -> str:
    """The plugins' packages (built in, installed or local), the theme's overrides, the configuration, the hooks."""
    build = site.current()
    root = Path(config.config_file_path).parent
    custom = config.theme.custom_dir
    return reuse.code_key(reuse.outermost([Path(plugins.__file__).parent,
                                           *(Path(module.__file__).parent for module in build.pm.get_plugins()
                                             if getattr(module, "__file__", None)),
                                           *([Path(custom)] if custom else [])]),
                          [Path(config.config_file_path), *(root / hook for hook in config.hooks)], root)


def _site_key(config: MkDocsConfig, nav) -> str:
    """What every page shares (reuse.site_key), once the navigation's pages are made (their front matter is
    read by the menu)."""
    build = site.current()
    assert _code is not None   # a page is looked up only with a store, for which on_pre_build made the code key
    index = build.search_index
    # Where things are read from (the project's folder, the data's, the cache's, the repository and commit of
    # the history) is not what pages are made from: a publishing server builds each push in a new folder.
    settings = {name: value for name, value in dataclasses.asdict(build.kb.settings).items()
                if not isinstance(value, Path) and name not in WHERE}
    return reuse.site_key(code=_code, config=reuse.config_key(config), settings=settings,
                          navigation=reuse.navigation_key(nav.items),
                          search=index.shared_inputs() if index is not None else None)


@event_priority(-50)   # after every hook has given the page its context; before the search index reads it (-60)
def on_page_context(context: dict, *, page: Page, config: MkDocsConfig, nav) -> dict:
    global _site
    context["kb_reused"] = False
    if _store is None or page.meta.get("template"):
        return context
    if _site is None:
        _site = _site_key(config, nav)
    index = site.current().search_index
    search = index.page_inputs(page.file.src_uri) if index is not None else None
    key = page._kb_key = reuse.page_key(_site, page, context, search)   # type: ignore[attr-defined]
    entry = _store.get(key)
    if entry is not None and _store.write_page(key, entry, Path(page.file.abs_dest_path)):
        _copied.add(page.file.src_uri)
        page._kb_reused = entry   # type: ignore[attr-defined]
        context["kb_reused"] = True
    return context


@event_priority(-200)   # last: what is stored is what MkDocs writes, after every other hook
def on_post_page(output: str, *, page: Page, config: MkDocsConfig) -> str:
    entry = page.__dict__.pop("_kb_reused", None)
    key = page.__dict__.pop("_kb_key", None)
    if entry is not None:
        return ""   # in the site already
    if _store is not None and key is not None and output.strip():
        _store.put(key, output.encode("utf-8", errors="xmlcharrefreplace"), page.__dict__.pop("_kb_search", None))
    return output


@event_priority(-100)   # last: the build's other files are written
def on_post_build(*, config: MkDocsConfig) -> None:
    _end(good=_problems is None or not _problems.get_counts())


def on_build_error(*, error: Exception) -> None:
    _end(good=False)


def _end(good: bool) -> None:
    """Stop counting problems; keep this build's pages for the next build only if it ended well."""
    global _store
    if _problems is not None:
        logging.getLogger("mkdocs").removeHandler(_problems)
    logging.getLogger("mkdocs.commands.build").removeFilter(_filter)
    _copied.clear()
    build = site.current_or_none()
    memo = build.memo if build is not None else None
    if build is not None:
        build.memo = None
    if _store is None:
        return
    _store.finish(good)
    if good:
        recalled = "" if memo is None else \
            f"; {memo.recalled} of {memo.recalled + memo.done} outlines and glossary passes recalled"
        log.info(f"kb: {_store.reused} of {_store.reused + _store.made} pages unchanged since the last build, "
                 f"reused{recalled}")
    _store = None
