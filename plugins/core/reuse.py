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

The store (`PageStore`, in the cache folder under pages/, one file a build) holds exactly
the pages of the last build that ended without a warning or an error: a build writes its
pages into a new store beside it and puts that in place only then, so nothing a failed
build made is reused. A page is kept as the bytes written to the site, with their checksum: a
reused page's bytes are read, checked and written into the site as they are, never decoded and
encoded again.

The same store keeps work done while a page's content is made that is a function of the
values it names (`Memo`): a generated page's outline from its body, the glossary's
explanations from the page's HTML. A page whose body did not change is so made again
without that work, and what the theme is then given is compared as above.

KB_CACHE_DIR=off turns both off (the benchmark's cold builds). tests/test_reuse.py checks
that a build after an edit is, byte for byte, the build made from nothing of the same
content.
"""

from __future__ import annotations

import dataclasses
import importlib.metadata
import json
import os
import shutil
import sys
import time
import zlib
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import date, datetime
from pathlib import Path
from typing import Any, TypeVar

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
    parts.append(f"python {sys.version}")
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
    """The pages of the last good build (`current/pack`, every entry by its key in one file), and the pages of
    this build (`next-<pid>/pack`), which take their place when the build ends well (`finish`).

    One file, written once and then only read, holds a build's entries: a reader that opened it sees every
    entry of that build whatever another build does meanwhile (a finished build puts a new folder in place,
    it never changes a file), and a build reads its entries with one call each, instead of opening, linking
    and later removing a file a page. The pack ends with its index (JSON: key -> place), the index's length
    and `MAGIC`. An entry is `_encode`d and compressed (zlib's checksum finds an entry damaged on disk, which
    is then made again); its place is [offset, length]. A page's entry is its search entry so kept, followed
    by the page's bytes as written to the site: its place is [offset, length, offset of the page, its length,
    their CRC-32], and a page whose bytes do not match is made again."""

    MAGIC = b"kb-pack3"

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.current = folder / "current"
        self.next = folder / f"next-{os.getpid()}"
        shutil.rmtree(self.next, ignore_errors=True)
        self.next.mkdir(parents=True, mode=0o700)
        self._in, self._index = self._open(self.current / "pack")
        self._out: int | None = os.open(self.next / "pack", os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        self._end = 0   # where the next entry goes in the new pack
        self._written: dict[str, list[int]] = {}
        self.reused = 0
        self.made = 0

    @classmethod
    def _open(cls, pack: Path) -> tuple[Any, dict[str, list[int]]]:
        """The pack's open file and its index; (None, {}) if there is none or it cannot be read whole."""
        try:
            file = open(pack, "rb")   # noqa: SIM115 - kept open while the build reads from it
        except OSError:
            return None, {}
        try:
            size = file.seek(0, os.SEEK_END)
            trailer = os.pread(file.fileno(), 16, size - 16) if size >= 16 else b""
            if len(trailer) != 16 or trailer[8:] != cls.MAGIC:
                raise ValueError("not a whole pack")
            length = int.from_bytes(trailer[:8], "big")
            index = json.loads(os.pread(file.fileno(), length, size - 16 - length))
            if not isinstance(index, dict):
                raise ValueError("not a pack's index")
            return file, index
        except (OSError, ValueError):   # a pack cut short (a full disk): every page is made again
            file.close()
            return None, {}

    def _read(self, key: str) -> tuple[list[int], bytes, Any] | None:
        """An entry of the last good build: its place, its bytes as kept and what they hold; None if there is
        none or it is damaged."""
        place = self._index.get(key)
        if not isinstance(place, list) or len(place) not in (2, 5) or self._in is None:
            return None
        try:
            packed = os.pread(self._in.fileno(), place[1], place[0])
            return place, packed, _decode(zlib.decompress(packed))
        except (OSError, zlib.error, ValueError, TypeError, IndexError, KeyError, UnicodeDecodeError):
            return None

    def recall(self, key: str) -> Any | None:
        """The last good build's entry with this key, kept for the next build too; None if there is none."""
        found = self._read(key)
        if found is None or len(found[0]) != 2:
            return None
        self._write(key, found[1])
        return found[2]

    def peek(self, key: str) -> Any | None:
        """The last good build's entry with this key, not kept for the next build (`remember` keeps it); None if
        there is none."""
        found = self._read(key)
        return found[2] if found is not None and len(found[0]) == 2 else None

    def remember(self, key: str, entry: Any) -> None:
        """Keep an entry of this build for the next one (JSON; see `_encode`)."""
        self._write(key, zlib.compress(_encode(entry), 1))

    def _write(self, key: str, packed: bytes, page: bytes | None = None, crc: int = 0) -> None:
        """Add an entry to the new pack; a page's bytes (and their checksum) follow."""
        if key in self._written or self._out is None:
            return
        try:
            start = self._end
            _write_at(self._out, packed, start)
            place = [start, len(packed)]
            if page is not None:
                place += [start + len(packed), _write_at(self._out, page, start + len(packed)), crc]
            self._end = start + len(packed) + (len(page) if page is not None else 0)
            self._written[key] = place
        except OSError:   # a store that cannot be written (a full disk, removed) only costs the next build time
            out, self._out = self._out, None
            _close(out)

    def get(self, key: str) -> dict | None:
        """The page of the last good build with this key ({"search": its search entry, "page": its bytes,
        checked, and what `write_page` keeps of it for the next build}), or None if there is none or its bytes
        are damaged; `write_page` puts it in the site."""
        found = self._read(key)
        if found is None or len(found[0]) != 5:
            return None
        place, packed, search = found
        try:
            page = os.pread(self._in.fileno(), place[3], place[2])
        except OSError:
            return None
        if len(page) != place[3] or zlib.crc32(page) != place[4]:   # damaged on disk: made again
            return None
        return {"search": search, "page": page, "crc": place[4], "packed": packed}

    def write_page(self, key: str, entry: dict, target: Path) -> bool:
        """Write a page `get` found into the site at `target` as it was written before, and keep it for the next
        build; False if it could not be written (the page is then made)."""
        try:
            _folder_for(target)
            out = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o666)
            try:
                _write_at(out, entry["page"], 0)
            finally:
                os.close(out)
        except OSError:
            return False
        self.reused += 1
        self._write(key, entry["packed"], entry["page"], entry["crc"])
        return True

    def put(self, key: str, page: bytes, search: Any) -> None:
        """Keep a page this build made: its bytes as written to the site, and its search entry."""
        self.made += 1
        self._write(key, zlib.compress(_encode(search), 1), page, zlib.crc32(page))

    def finish(self, good: bool) -> None:
        """Keep this build's entries for the next build if it ended well; else leave the last good build's."""
        if self._in is not None:
            self._in.close()
            self._in = None
        out, self._out = self._out, None
        if good and out is not None:
            try:
                index = json.dumps(self._written, separators=(",", ":")).encode("utf-8")
                _write_at(out, index + len(index).to_bytes(8, "big") + self.MAGIC, self._end)
                os.close(out)
            except OSError:
                _close(out)
                good = False
        elif out is not None:
            _close(out)
        if not good or out is None:
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


def _folder_for(target: Path) -> None:
    """The folder `target` goes in, made if it is not there: one call where its parent is there (a page's own
    folder, `plan/actions/x/`, beside those of its collection)."""
    try:
        os.mkdir(target.parent)
    except FileExistsError:
        pass
    except FileNotFoundError:
        os.makedirs(target.parent, exist_ok=True)


def _write_at(fd: int, data: bytes, offset: int) -> int:
    """Write all of `data` at `offset`; its length."""
    done = 0
    while done < len(data):
        done += os.pwrite(fd, memoryview(data)[done:], offset + done)
    return len(data)


def _close(fd: int) -> None:
    try:
        os.close(fd)
    except OSError:
        pass


def _encode(entry: Any) -> bytes:
    """An entry as JSON, except that the text items of an entry that is a list are kept after it as they
    are: JSON would escape every quote of a page's HTML, and reading that back was most of reading an entry.
    The header (JSON, its length first) says which items are texts and how long each is."""
    texts = [item.encode("utf-8") for item in entry if isinstance(item, str)] if isinstance(entry, list) else []
    if isinstance(entry, list):
        head = {"list": [None if isinstance(item, str) else item for item in entry],
                "texts": [index for index, item in enumerate(entry) if isinstance(item, str)],
                "sizes": [len(text) for text in texts]}
    else:
        head = {"value": entry}
    header = json.dumps(head, separators=(",", ":")).encode("utf-8")
    return len(header).to_bytes(4, "big") + header + b"".join(texts)


def _decode(data: bytes) -> Any:
    length = int.from_bytes(data[:4], "big")
    head = json.loads(data[4:4 + length])
    if "value" in head:
        return head["value"]
    entry, start = head["list"], 4 + length
    for index, size in zip(head["texts"], head["sizes"], strict=True):
        entry[index] = data[start:start + size].decode("utf-8")
        start += size
    if start != len(data):
        raise ValueError("an entry longer than its header says")
    return entry


T = TypeVar("T")


class Memo:
    """Work on a page that is a function of the values it names, kept with the last good build's pages: a
    page's outline from its body, the glossary's explanations from its HTML, the glossary and where the
    glossary page is. After a one-record edit most pages' bodies are what they were, so that work is
    recalled instead of done. The key is a digest of the kind of work, the code (`code_key`) and the values
    named; what is kept is JSON. A caller must name every value its work reads: it is then the same work.
    """

    def __init__(self, store: PageStore, code: str) -> None:
        self.store = store
        self.code = code
        self.recalled = 0
        self.done = 0

    def __call__(self, kind: str, values: Sequence[str | bytes], work: Callable[[], T]) -> T:
        key = "memo-" + digest(kind, self.code, *values)
        kept = self.store.recall(key)
        if isinstance(kept, list) and (kept[:1] == [True] or (len(kept) == 2 and kept[0] is False)):
            self.recalled += 1
            return kept[1:] if kept[0] else kept[1]   # type: ignore[return-value]
        result = work()
        self.done += 1
        # A list is kept as its items (its texts then stay as they are), anything else as the one item.
        self.store.remember(key, [True, *result] if isinstance(result, list) else [False, result])
        return result


def kept_keys(store: Path) -> set[str]:
    """The keys of the entries the last good build left in a store's folder (its pages' and, starting
    "memo-", its `Memo` entries): for tests and for a maintainer looking into the cache."""
    file, index = PageStore._open(store / "current" / "pack")
    if file is not None:
        file.close()
    return set(index)


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
