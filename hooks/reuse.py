"""MkDocs hook: reuse each page of the last build whose inputs have not changed (plugins/core/reuse.py).

A page is made as always, up to the moment the theme would render it; then its key, a digest of
everything the theme and the search index would read for it, is looked up in the store of the
last good build. Found: the stored page is written into the site then, as it was written before
(its bytes checked against their checksum, never decoded), the theme renders nothing
(overrides/main.html extends the empty kb-reused.html instead of the theme's page), MkDocs writes
nothing, and the search index takes the page's stored entry. Not found: the page is rendered, and
what MkDocs writes of it (after every other hook's `on_post_page`) is stored for the next build.

A generated page made from its context alone (plugins/core/inputs.py) is not made at all when its
inputs are those of a page of the last good build (`keep`, asked while the pages are generated): its
body stays empty, and once every page is read (`on_env`, when the navigation is complete) the page
is written from the store if the site key is the one it was kept with, indexed for search with its
stored entry, and taken out of the list of pages MkDocs then renders (which would give it the theme's
context only to write nothing). If the site key differs, or the stored page cannot be read, the page
is made then, through the same steps as every other (`_populate_page`), before any page is rendered.
KB_REUSE_CHECK=1 makes such pages anyway and warns of each that is not what was kept (a strict build
then fails): the tests build so.

Where the last build's site is named (KB_LAST_SITE), a page taken is linked from it, not written
(plugins/core/reuse.py, `PageStore.write_page`). For that, the file MkDocs wrote for each page this build
made is noted (its device, inode and time) once every page is written (`on_post_build`, `PageStore.placed`).
Where a spare site is named (KB_SPARE_SITE: the preview's retired site, emptied of its files), its folders are
moved into this build's site as soon as MkDocs has emptied it (`on_files`), and those no file went into are
removed once every file is written (`on_post_build`).
"""

from __future__ import annotations

import dataclasses
import logging
import os
from pathlib import Path

from mkdocs.commands.build import _build_page, _populate_page  # how MkDocs reads and writes a page: a kept
# page that cannot be taken is made so
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.plugins import event_priority
from mkdocs.structure.files import Files
from mkdocs.structure.pages import Page
from mkdocs.utils import CountHandler

import plugins
from plugins.core import editions, reuse, site
from plugins.core.cache import digest
from plugins.core.inputs import PageInputs
from plugins.core.pages import GeneratedPage

log = logging.getLogger("mkdocs.plugins.kb")
WHERE = {"git_rev", "last_site", "spare_site"}
"""Settings that are not what pages are made from, set or not (what the history's commit leads to is: the pages'
content; the last build's site is where unchanged pages' files are linked from, the spare site where its folders
come from)."""

_store: reuse.PageStore | None = None
_code: str | None = None
_site: str | None = None
_problems: CountHandler | None = None
_copied: set[str] = set()
"""Pages the store wrote into the site this build (by their source, as MkDocs names them)."""
_inputs: PageInputs | None = None
_inputs_of: dict[str, str] = {}
"""The key of each generated page's inputs (plugins/core/inputs.py), by its source, for pages that have one."""
_kept: dict[str, list] = {}
"""What the last good build kept for each page `keep` took: [its site key, the page's key, whether it is marked,
its anchors' ids]."""
_checking: dict[str, list] = {}
"""The same, for pages made anyway to compare (KB_REUSE_CHECK=1)."""
_made: dict[str, str] = {}
"""Where MkDocs writes each page this build made and stored, by its key."""
_nav = None
_env = None
_files: Files | None = None
_linking: dict[str, Page] = {}
"""Kept pages whose files the store's linker is linking from the last build's site, by their keys."""
_folders: list[str] = []
"""The folders of the spare site moved into this build's (`on_files`), deepest first."""
_pages: list | None = None
"""Every page of the site, as MkDocs lists them, when `on_env` has taken some out of the list it renders."""
CHECK = "KB_REUSE_CHECK"


class _CopiedPages(logging.Filter):
    """MkDocs says "Page skipped" when the theme gives a page nothing to write; for a page the store put in the
    site that is how it should be, and nothing to say."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.msg if isinstance(record.msg, str) else ""
        return not (message.startswith("Page skipped: '") and message.partition("'")[2].rpartition("'")[0] in _copied)


_filter = _CopiedPages()


def on_pre_build(*, config: MkDocsConfig) -> None:
    global _store, _code, _site, _problems, _inputs
    build = site.current()
    settings = build.kb.settings
    _store = reuse.store_for(settings.cache_dir, [str(settings.git_dir or settings.root), str(settings.edition)])
    if _store is not None:
        _store.link_from(settings.last_site, Path(config.site_dir))
    _code = _code_key(config) if _store is not None else None
    build.memo = reuse.Memo(_store, _code) if _store is not None and _code is not None else None
    build.keep = keep if _store is not None and settings.edition != editions.PUBLIC else None
    build.last_build = _store is not None and _store.has_last_build
    _site = None
    _inputs = None
    for found in (_inputs_of, _kept, _checking, _made):
        found.clear()
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


def keep(page: GeneratedPage) -> frozenset[str] | None:
    """If the page is taken from the last good build, not made, the ids of its anchors: its inputs
    (plugins/core/inputs.py) are those of a page that build kept (if the site key differs, `on_env` makes it
    after all). None: the page is made."""
    global _inputs
    build = site.current()
    assert _store is not None and _code is not None   # `keep` is offered only with a store (on_pre_build)
    if _inputs is None:
        _inputs = PageInputs(build.kb, build.pm, build.known_pages, build.written_files())
    inputs = _inputs.key(page)
    if inputs is None:
        return None
    inputs = _inputs_of[page.path] = "inputs-" + digest(_code, inputs)
    kept = _store.peek(inputs)   # [the site key, the page's key, whether it is marked, its anchors' ids]
    if not (isinstance(kept, list) and len(kept) == 4 and all(isinstance(part, str) for part in kept[:2])
            and isinstance(kept[3], list)):
        return None
    if kept[2]:
        build.marked.add(page.path)   # as making it would (the About page lists the pages so marked)
    if os.environ.get(CHECK, "").strip() == "1":
        _checking[page.path] = kept
        return None
    _kept[page.path] = kept
    return frozenset(kept[3])


@event_priority(100)   # the engine has emptied the site (after on_pre_build), and nothing is written into it yet
def on_files(files: Files, *, config: MkDocsConfig) -> Files:
    """Move the folders of the spare site (KB_SPARE_SITE: the preview's retired site, emptied of its files) into
    this build's site: the linker then makes none of them again."""
    global _folders
    spare = site.current().kb.settings.spare_site
    _folders = reuse.take_folders(spare, Path(config.site_dir)) if spare is not None else []
    return files


def on_nav(nav, *, config: MkDocsConfig, files: Files):
    global _nav
    _nav = nav
    return nav


@event_priority(-100)   # every page has been read: the navigation is complete, and no page is rendered yet
def on_env(env, *, config: MkDocsConfig, files: Files):
    """Write each kept page into the site from the store, and leave it out of MkDocs' rendering of pages; make
    the pages that cannot be taken after all."""
    global _site, _pages, _env, _files
    build = site.current()
    if _store is None:
        return env
    _site = _site_key(config, _nav)   # MkDocs gives the navigation (on_nav) before it reads the pages
    _pages = None
    _env, _files = env, files
    remade = 0
    taken = []
    for path in sorted(build.kept):
        file = files.get_file_from_path(path)
        page = file.page   # type: ignore[union-attr]
        site_key, key = _kept[path][:2]
        if site_key == _site and _take(page, key, later=True):
            _store.carry(_inputs_of[path])   # as `keep` found it
            taken.append(file)
            continue
        _make(page, config, files)
        remade += 1
    _store.start_links()
    if remade:
        log.info(f"kb: {remade} pages whose inputs had not changed were made after all: the site around them had "
                 "changed, or what was kept of them could not be read")
    if taken:
        # MkDocs would give each such page the theme's context and render it, to write nothing (its template is
        # the empty kb-reused.html): it leaves the list of pages to render. The sitemap lists every page.
        _pages = files.documentation_pages()
        index = build.search_index
        for file in taken:
            page = file.page
            search = page.__dict__.pop("_kb_reused")["search"]
            if index is not None and search is not None:
                index.add_indexed(src=file.src_uri, location=page.url, entry=search)
            files.remove(file)
    return env


def _make(page: Page, config: MkDocsConfig, files: Files) -> None:
    """Read a kept page after all, as MkDocs reads every page it makes (`_populate_page`)."""
    build = site.current()
    path = page.file.src_uri
    build.kept.pop(path, None)
    page.file.content_string = build.page_body(build.pages[path])
    _populate_page(page, config, files)


def on_template_context(context: dict, *, template_name: str, config: MkDocsConfig) -> dict:
    """The theme's templates that list the site's pages (sitemap.xml) list those `on_env` took too."""
    if _pages is not None:
        context["pages"] = _pages
    return context


@event_priority(-50)   # after every hook has given the page its context; before the search index reads it (-60)
def on_page_context(context: dict, *, page: Page, config: MkDocsConfig, nav) -> dict:
    build = site.current()
    path = page.file.src_uri
    context["kb_reused"] = path in build.kept   # written into the site already (on_env)
    if _store is None or _site is None or page.meta.get("template") or context["kb_reused"]:
        return context
    index = build.search_index
    search = index.page_inputs(path) if index is not None else None
    key = page._kb_key = reuse.page_key(_site, page, context, search)   # type: ignore[attr-defined]
    inputs = _inputs_of.get(path)
    if inputs is not None:   # what the next build needs to take this page without making it
        _store.remember(inputs, [_site, key, path in build.marked, sorted(page.present_anchor_ids or ())])
        checked = _checking.get(path)
        if checked is not None and checked[0] == _site and checked[1] != key:
            log.warning(f"kb: {path} would have been taken from the last build, but made again it is not what was "
                        f"kept: its plugin does not name everything it is made from ({CHECK}, "
                        "plugins/core/inputs.py)")
    context["kb_reused"] = _take(page, key)
    return context


def _take(page: Page, key: str, later: bool = False) -> bool:
    """Write the last good build's page with this key into the site as it was written then; whether it was. The
    page then keeps only its search entry, for the search index (hooks/search.py, or `on_env` for a kept page),
    until its turn ends. `later`: a page whose file the last build's site has is linked by the store's linker
    while the build goes on (`PageStore.link_later`; `on_post_build` makes any it could not put in place)."""
    assert _store is not None
    entry = _store.get(key)
    target = Path(page.file.abs_dest_path)
    if later and entry is not None and _store.link_later(key, entry, target):
        _linking[key] = page
    elif entry is None or not _store.write_page(key, entry, target):
        return False
    _copied.add(page.file.src_uri)
    page._kb_reused = {"search": entry["search"]}   # type: ignore[attr-defined]  # not the page's bytes
    return True


@event_priority(-200)   # last: what is stored is what MkDocs writes, after every other hook
def on_post_page(output: str, *, page: Page, config: MkDocsConfig) -> str:
    entry = page.__dict__.pop("_kb_reused", None)
    key = page.__dict__.pop("_kb_key", None)
    if entry is not None:
        return ""   # in the site already
    if _store is not None and key is not None and output.strip():
        _store.put(key, output.encode("utf-8", errors="xmlcharrefreplace"), page.__dict__.pop("_kb_search", None))
        _made[key] = page.file.abs_dest_path
    return output


@event_priority(-100)   # last: the build's other files are written
def on_post_build(*, config: MkDocsConfig) -> None:
    global _folders
    if _store is not None:
        failed = [_linking[key] for key in _store.settle()]
        if failed:   # neither linked nor written from the store (its bytes there damaged): made now
            log.info(f"kb: could not put in place {len(failed)} page{'s' if len(failed) != 1 else ''} taken from the "
                     f"last build: made {'it' if len(failed) == 1 else 'them'} instead")
        for page in failed:
            _copied.discard(page.file.src_uri)
            _make(page, config, _files)   # type: ignore[arg-type]
            _build_page(page, config, _pages or [], _nav, _env)   # type: ignore[arg-type]
        for key, path in _made.items():   # written by MkDocs now: what the next build links its file by
            _store.placed(key, Path(path))
    reuse.prune_folders(Path(config.site_dir), _folders)   # every file of the site is written
    _folders = []
    _end(good=_problems is None or not _problems.get_counts())


def on_build_error(*, error: Exception) -> None:
    _end(good=False)


def _end(good: bool) -> None:
    """Stop counting problems; keep this build's pages for the next build only if it ended well."""
    global _store, _pages, _env, _files
    _pages = _env = _files = None
    if _problems is not None:
        logging.getLogger("mkdocs").removeHandler(_problems)
    logging.getLogger("mkdocs.commands.build").removeFilter(_filter)
    _copied.clear()
    build = site.current_or_none()
    memo = build.memo if build is not None else None
    kept = len(build.kept) if build is not None else 0
    if build is not None:
        build.memo = build.keep = None
    for found in (_inputs_of, _kept, _checking, _made, _linking):
        found.clear()
    if _store is None:
        return
    _store.finish(good)
    if good:
        recalled = "" if memo is None else \
            f"; {memo.recalled} of {memo.recalled + memo.done} outlines and glossary passes recalled"
        linked = f"; {_store.linked} linked from the last build's site" if _store.linked else ""
        log.info(f"kb: {_store.reused} of {_store.reused + _store.made} pages unchanged since the last build, "
                 f"reused ({kept} of them not made again){linked}{recalled}")
    _store = None
