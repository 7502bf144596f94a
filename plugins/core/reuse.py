"""Pages reused from the last build when nothing they are made from has changed.

After a one-record edit almost every page is what it was, and most of a build's time
goes on the steps after a page's content is made: the theme's rendering of it, reading
it for the search index, the checks on the finished page and writing it. A page whose
inputs are those of a page of the last build skips them: its HTML and its search entry
are taken from that build. Its content is still made, so what is compared is what the
theme would be given, never a guess about which records a page shows.

A page's key is a digest of everything the theme's templates can read for it, taken
when it is about to be rendered (every hook has given its context by then):

- the site (`site_key`): the code (the plugins, the project's hooks and theme overrides,
  the installed packages' versions), the configuration as the build made it, the
  settings (edition, classification ...), the navigation (every item's title, address,
  kind and front matter) and what the search index reads beyond the page (the glossary's
  synonyms);
- the page (`page_key`): its source, address, title, front matter, table of contents,
  finished HTML, edit link, the pages before and after it and above it, the kind and
  audience the search index gives it, and every value the hooks put in its context.

The store (`PageStore`, in the cache folder under pages/) holds exactly the pages of
the last build that ended without a warning or an error: a build writes its pages into a
new store beside it and puts that in place only then, so nothing a failed build made is
reused. KB_CACHE_DIR=off turns it off (the benchmark's cold builds). tests/test_reuse.py
checks that a build after an edit is, byte for byte, the build made from nothing of the
same content.
"""

from __future__ import annotations

import dataclasses
import importlib.metadata
import json
import os
import shutil
import time
import zlib
from collections.abc import Iterable, Mapping
from datetime import date, datetime
from pathlib import Path
from typing import Any

from plugins.core.cache import digest

PACKAGES = ("mkdocs", "mkdocs-material", "mkdocs-macros-plugin", "jinja2", "markdown", "pymdown-extensions",
            "markupsafe", "nh3")
"""Installed packages whose code makes pages: a new version of any of them makes every page again."""
CONFIG_KEYS = ("site_name", "site_url", "site_description", "site_author", "copyright", "repo_url", "repo_name",
               "edit_uri", "extra", "extra_css", "extra_javascript", "use_directory_urls", "markdown_extensions",
               "mdx_configs", "nav", "theme")
"""The configuration the theme's templates and the pages' links read (the plugins: by name, below)."""
NOT_CONTEXT = {"nav", "pages", "page", "config", "kb_menus", "kb_reused", "build_date_utc"}
"""Context values not taken as they are: the navigation, the page and the configuration go in by what they
hold (above); the reused menus are made from the navigation; `build_date_utc` is read by no page template
(MkDocs' sitemap, which does, is written every build)."""
STALE_AFTER = 3600
"""Seconds after which a new store left by a build that never finished is removed."""
KEEP_STORES = 8
"""Stores kept (one per project folder and edition built on this machine), the most recently used."""


def plain(value: Any) -> Any:
    """A value as JSON can hold it, the same in every run (sets sorted, mappings by key). Anything else is
    its class and text: if that text names a memory address, the key changes every run and the page is made
    again, which costs time, never correctness."""
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    if isinstance(value, Mapping):
        return {str(key): plain(item) for key, item in sorted(value.items(), key=lambda pair: str(pair[0]))}
    if isinstance(value, (list, tuple)):
        return [plain(item) for item in value]
    if isinstance(value, (set, frozenset)):
        return sorted((plain(item) for item in value), key=lambda item: json.dumps(item, sort_keys=True))
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return plain(dataclasses.asdict(value))
    return f"{type(value).__module__}.{type(value).__qualname__}:{value}"


def _json(value: Any) -> str:
    return json.dumps(plain(value), sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def outermost(folders: Iterable[Path]) -> list[Path]:
    """The folders, each once, without those inside another of them."""
    found = sorted({folder.resolve() for folder in folders}, key=lambda folder: (len(folder.parts), str(folder)))
    kept: list[Path] = []
    for folder in found:
        if not any(folder.is_relative_to(outer) for outer in kept):
            kept.append(folder)
    return kept


def code_key(folders: Iterable[Path], files: Iterable[Path], root: Path) -> str:
    """The code that makes pages: every file under `folders` (caches left out) and each of `files`, named
    relative to their folder or to the project's `root`, so that the same code in another folder (a
    publishing server builds each push in a new one) is the same code."""
    contents = []   # each folder's, in an order that does not depend on where the folders are
    for folder in folders:
        if folder.is_dir():
            found: list[str | bytes] = []
            for path in sorted(folder.rglob("*")):
                if path.is_file() and "__pycache__" not in path.parts:
                    found += [path.relative_to(folder).as_posix(), path.read_bytes()]
            contents.append(digest(*found))
    parts: list[str | bytes] = sorted(contents)
    for path in files:
        name = path.relative_to(root).as_posix() if path.is_relative_to(root) else path.name
        parts += [name, path.read_bytes() if path.is_file() else b""]
    for package in PACKAGES:
        try:
            parts.append(f"{package}=={importlib.metadata.version(package)}")
        except importlib.metadata.PackageNotFoundError:
            parts.append(f"{package} absent")
    return digest(*parts)


def navigation_key(items: Iterable[Any]) -> str:
    """Every item of the navigation: what it is, its title, address, front matter (a status shows in the
    menu) and children."""
    def walk(item: Any) -> Any:
        page_meta = getattr(item, "meta", None) if type(item).__name__ != "Section" else None
        return [type(item).__name__, getattr(item, "title", None), getattr(item, "url", None),
                plain(page_meta), [walk(child) for child in (getattr(item, "children", None) or [])]]

    return digest(_json([walk(item) for item in items]))


def config_key(config: Any) -> str:
    chosen = {key: config.get(key) for key in CONFIG_KEYS}
    chosen["theme"] = {key: config.theme[key] for key in config.theme} if config.get("theme") is not None else None
    chosen["plugins"] = list(config.plugins)
    return digest(_json(chosen))


def site_key(*, code: str, config: str, settings: Any, navigation: str, search: Any) -> str:
    return digest(code, config, _json(settings), navigation, _json(search))


def _toc(entries: Iterable[Any]) -> list:
    return [[entry.title, entry.id, entry.level, _toc(entry.children)] for entry in entries]


def _neighbour(page: Any) -> Any:
    return None if page is None else [page.title, getattr(page, "url", None)]


def page_key(site: str, page: Any, context: Mapping[str, Any], search: Any) -> str:
    """Everything the theme's templates and the search index read for this page, as one digest."""
    described = {
        "src": page.file.src_uri, "inclusion": page.file.inclusion.name,   # a draft is marked so by MkDocs
        "url": page.url, "title": page.title, "canonical": page.canonical_url,
        "edit": page.edit_url, "home": page.is_homepage, "meta": page.meta, "toc": _toc(page.toc),
        "previous": _neighbour(page.previous_page), "next": _neighbour(page.next_page),
        "ancestors": [_neighbour(ancestor) for ancestor in page.ancestors], "search": search,
        "context": {key: value for key, value in context.items() if key not in NOT_CONTEXT},
    }
    return digest(site, _json(described), page.content or "")


class PageStore:
    """The pages of the last good build (`current/`, one file a page, named by its key), and the pages of this
    build (`next-<pid>/`), which take their place when the build ends well (`finish`)."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.current = folder / "current"
        self.next = folder / f"next-{os.getpid()}"
        shutil.rmtree(self.next, ignore_errors=True)
        self.next.mkdir(parents=True, mode=0o700)
        self.reused = 0
        self.made = 0

    def get(self, key: str) -> dict | None:
        """The page of the last good build with this key, kept for the next one too; None if there is none."""
        kept = self.current / key
        try:
            packed = kept.read_bytes()
            entry = json.loads(zlib.decompress(packed))
        except (OSError, zlib.error, ValueError):
            return None
        try:
            os.link(kept, self.next / key)
        except OSError:
            try:
                (self.next / key).write_bytes(packed)
            except OSError:
                pass
        self.reused += 1
        return entry

    def put(self, key: str, entry: dict) -> None:
        self.made += 1
        try:
            (self.next / key).write_bytes(zlib.compress(json.dumps(entry, separators=(",", ":")).encode("utf-8"), 1))
        except OSError:   # a store that cannot be written (a full disk, removed) only costs the next build time
            return

    def finish(self, good: bool) -> None:
        """Keep this build's pages for the next build if it ended well; else leave the last good build's."""
        if not good:
            shutil.rmtree(self.next, ignore_errors=True)
            return
        retired = self.folder / f"retired-{os.getpid()}"
        try:
            if self.current.exists():
                self.current.rename(retired)
            self.next.rename(self.current)
        except OSError:   # another build finished at the same moment: its store stands
            shutil.rmtree(self.next, ignore_errors=True)
        shutil.rmtree(retired, ignore_errors=True)
        for left in self.folder.glob("next-*"):   # builds stopped before their end
            try:
                if time.time() - left.stat().st_mtime > STALE_AFTER:
                    shutil.rmtree(left, ignore_errors=True)
            except OSError:
                pass
        _prune(self.folder.parent)


def _prune(folder: Path) -> None:
    """Only the `KEEP_STORES` stores last used stay (projects built once, such as tests' copies, go)."""
    def used(store: Path) -> float:   # a build starting or ending in a store changes its folder
        try:
            return store.stat().st_mtime
        except OSError:
            return 0.0

    stores = sorted((store for store in folder.iterdir() if store.is_dir()), key=used, reverse=True)
    for store in stores[KEEP_STORES:]:
        shutil.rmtree(store, ignore_errors=True)


def store_for(cache_dir: Path | None, scope: Iterable[str]) -> PageStore | None:
    """The page store of one project and edition in the cache folder; None when the cache is off."""
    if cache_dir is None:
        return None
    try:
        return PageStore(cache_dir / "pages" / digest(*scope)[:20])
    except OSError:   # a cache that cannot be written only costs time
        return None
