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

The store (`PageStore`, in the cache folder under pages/: packs of entries and an index) holds
exactly the pages of the last build that ended without a warning or an error: a build writes
its index beside the last one and puts it in place only then, so nothing a failed build made is
reused. A page is kept as the bytes written to the site, with their checksum: a reused page's
bytes are read, checked and written into the site as they are, never decoded and encoded again.
Where the last build's site is still there, in a folder the build is told of (KB_LAST_SITE: the
live release a publish replaces, the site the preview serves) and on the same disk, a reused
page is not written at all: its file there is linked into the new site (`PageStore.write_page`; for the
pages taken before MkDocs renders any, by the store's linker, a process of its own: `link_later`).
Where a retired site emptied of its files is given too (KB_SPARE_SITE: the preview's), its folders
are moved into the new site before anything is written there (`take_folders`), so the linker makes
no folder, and those left empty are removed at the end (`prune_folders`).

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
import secrets
import shutil
import stat
import subprocess
import sys
import zlib
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import date, datetime
from pathlib import Path
from typing import Any, TypeVar

from plugins.core.cache import digest, older_than
from plugins.core.publish import FOLDERS, remove_later

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
    """The pages of the last good build and the pages of this build, with the work `Memo` recalls.

    A store's folder holds packs (`packs/<name>`), each written once by the build that made its entries and
    then only read, and the index of the last good build (`current/index`: for each key, the pack and place
    of its entry). A build writes what it makes into a new pack of its own, and its index (`next-<pid>/index`)
    takes the place of the last one when the build ends well (`finish`). An entry it takes from the last
    build stays where it is: the new index points at it, so a build that reuses most pages writes only what
    it made, not a copy of every page. When a build ends well, the packs its index does not use are removed,
    and the entries still used of a pack less than half used are first copied into the new pack: the store
    holds at most about twice what the last build kept.

    A reader sees every entry of the last good build whatever another build does meanwhile: the index is
    read and its packs opened when the store is (a pack removed after that is still read whole). An entry
    is `_encode`d and compressed (zlib's checksum finds an entry damaged on disk, which is then made again);
    its place is [pack, offset, length]. A page's entry is its search entry so kept, followed by the page's
    bytes as written to the site: its place is [pack, offset, length, offset of the page, its length, their
    CRC-32], and a page whose bytes do not match is made again; followed, once the page is in the site, by
    its file's device, inode and modification time (`placed`).

    Those three, with the size, say that a file in the last build's site is the one that build wrote for the
    page, untouched since (as git's index and rsync tell an unchanged file): such a file is linked into the new
    site, one call instead of reading and writing its bytes (`write_page`). A linked file belongs to both
    sites, so no page's file is ever written again in place: every build writes into a new folder, and each
    page's bytes into a file of its own."""

    MAGIC = b"kb-pack4"
    ENTRY, PAGE, PLACED = 3, 6, 9
    """The lengths of an entry's place, a page's, and a page's whose file is known."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.current = folder / "current"
        self.next = folder / f"next-{os.getpid()}"
        self.packs = folder / "packs"
        shutil.rmtree(self.next, ignore_errors=True)
        self.next.mkdir(parents=True, mode=0o700)
        self.packs.mkdir(exist_ok=True, mode=0o700)
        self._names, self._index = self._open(self.current / "index")
        self._in = [_open_pack(self.packs / name) for name in self._names]
        self._name = f"{os.getpid()}-{secrets.token_hex(6)}"
        self._out: int | None = os.open(self.packs / self._name, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        self._end = 0   # where the next entry goes in the new pack
        self._written: dict[str, list] = {}
        """This build's index: each key's place, its pack by name."""
        self._sites: tuple[str, str] | None = None
        self._linker: _Linker | None = None
        self._to_link: list[tuple[str, dict, Path]] = []
        """Pages `link_later` gave the linker, in its order: their keys, entries and files."""
        self.reused = 0
        self.made = 0
        self.linked = 0

    @property
    def has_last_build(self) -> bool:
        """Whether the store holds the pages of a last good build."""
        return bool(self._index)

    @classmethod
    def _open(cls, index: Path) -> tuple[list[str], dict[str, list]]:
        """The names of the packs an index uses and its places; ([], {}) if there is none or it cannot be read
        whole."""
        try:
            data = index.read_bytes()
            if len(data) < 16 or data[-8:] != cls.MAGIC or int.from_bytes(data[-16:-8], "big") != len(data) - 16:
                raise ValueError("not a whole index")
            found = json.loads(data[:-16])
            names, places = found["packs"], found["places"]
            if not (isinstance(names, list) and all(isinstance(n, str) and "/" not in n for n in names)
                    and isinstance(places, dict)):
                raise ValueError("not an index")
            return names, places
        except (OSError, ValueError, KeyError, TypeError):   # an index cut short (a full disk): every page is made
            return [], {}

    def link_from(self, last_site: Path | None, site: Path) -> None:
        """Take reused pages' files from `last_site`, the last build's site (if it is still there), when writing
        them into `site`, this build's."""
        self._sites = None
        try:
            if last_site is not None and last_site.is_dir() and not (site.exists() and last_site.samefile(site)):
                self._sites = (str(last_site), str(site))
        except OSError:
            pass
        if self._sites is not None and self._linker is None:
            self._linker = _Linker.start()   # now: it is ready when the pages are taken

    def _read(self, key: str) -> tuple[list, bytes, Any] | None:
        """An entry of the last good build: its place, its bytes as kept and what they hold; None if there is
        none or it is damaged."""
        place = self._place(key)
        if place is None:
            return None
        pack = self._in[place[0]]
        if pack is None:
            return None
        try:
            packed = os.pread(pack, place[2], place[1])
            return place, packed, _decode(zlib.decompress(packed))
        except (OSError, zlib.error, ValueError, TypeError, IndexError, KeyError, UnicodeDecodeError):
            return None

    def _place(self, key: str) -> list | None:
        """Where the last good build's index has the entry with this key; None if nowhere it can be read."""
        place = self._index.get(key)
        if not (isinstance(place, list) and len(place) in (self.ENTRY, self.PAGE, self.PLACED)
                and all(isinstance(number, int) for number in place) and 0 <= place[0] < len(self._in)):
            return None
        return place

    def _kept(self, place: list) -> list:
        """A place in the last build's index as a place in this build's."""
        return [self._names[place[0]], *place[1:]]

    def recall(self, key: str) -> Any | None:
        """The last good build's entry with this key, kept for the next build too; None if there is none."""
        found = self._read(key)
        if found is None or len(found[0]) != self.ENTRY:
            return None
        self._written.setdefault(key, self._kept(found[0]))
        return found[2]

    def peek(self, key: str) -> Any | None:
        """The last good build's entry with this key, not kept for the next build (`carry` keeps it); None if
        there is none."""
        found = self._read(key)
        return found[2] if found is not None and len(found[0]) == self.ENTRY else None

    def carry(self, key: str) -> None:
        """Keep the last good build's entry with this key for the next build as it is (one `peek` found)."""
        place = self._place(key)
        if place is not None and len(place) == self.ENTRY:
            self._written.setdefault(key, self._kept(place))

    def remember(self, key: str, entry: Any) -> None:
        """Keep an entry of this build for the next one (JSON; see `_encode`)."""
        self._write(key, zlib.compress(_encode(entry), 1))

    def _write(self, key: str, packed: bytes, page: bytes | None = None) -> None:
        """Add an entry to the new pack; a page's bytes (and their checksum) follow."""
        if key in self._written or self._out is None:
            return
        try:
            start = self._end
            _write_at(self._out, packed, start)
            place = [self._name, start, len(packed)]
            if page is not None:
                place += [start + len(packed), _write_at(self._out, page, start + len(packed)), zlib.crc32(page)]
            self._end = start + len(packed) + (len(page) if page is not None else 0)
            self._written[key] = place
        except OSError:   # a store that cannot be written (a full disk, removed) only costs the next build time
            out, self._out = self._out, None
            _close(out)

    def get(self, key: str) -> dict | None:
        """The page of the last good build with this key ({"search": its search entry, and where it is}), or None
        if there is none; `write_page` puts it in the site."""
        found = self._read(key)
        if found is None or len(found[0]) < self.PAGE:
            return None
        return {"search": found[2], "place": found[0]}

    def _page(self, place: list) -> bytes | None:
        """A page's bytes, checked; None if they are damaged."""
        try:
            page = os.pread(self._in[place[0]], place[4], place[3])   # type: ignore[arg-type]
        except (OSError, TypeError):
            return None
        return page if len(page) == place[4] and zlib.crc32(page) == place[5] else None

    def write_page(self, key: str, entry: dict, target: Path) -> bool:
        """Write a page `get` found into the site at `target` as it was written before (linked from the last
        build's site where its file there is the one written for it), and keep it for the next build; False if
        it could not be written or its bytes are damaged (the page is then made)."""
        place = entry["place"]
        try:
            _folder_for(target)
            file = self._link(place, target)
            if file is None:
                page = self._page(place)
                if page is None:
                    return False
                _remove(target)   # a file there may be linked (by a linker stopped before it said so): never write it
                out = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o666)
                try:
                    _write_at(out, page, 0)
                    file = _identity(os.fstat(out))
                finally:
                    os.close(out)
        except OSError:
            return False
        self._taken(key, place, file)
        return True

    def _taken(self, key: str, place: list, file: list[int]) -> None:
        """A page of the last good build is in this build's site as the file `file` names: keep it for the next."""
        self.reused += 1
        self._written.setdefault(key, [*self._kept(place[:self.PAGE]), *file])

    def _source(self, target: str) -> str:
        """The last build's file of the page that goes at `target` in this build's site."""
        last, site = self._sites or ("", "")
        if target.startswith(site + os.sep):
            return last + target[len(site):]
        return os.path.join(last, os.path.relpath(target, site))

    def _link(self, place: list, target: Path) -> list[int] | None:
        """Link the last build's file of the page into the site at `target`, if it is that build's file of this
        page, unchanged: its identity (`placed`), else None."""
        if self._sites is None or len(place) != self.PLACED:
            return None
        source = self._source(str(target))
        try:
            found = os.stat(source, follow_symlinks=False)
            if not stat.S_ISREG(found.st_mode) or found.st_size != place[4] or _identity(found) != place[6:]:
                return None
            os.link(source, target, follow_symlinks=False)
        except OSError:
            return None
        self.linked += 1
        return place[6:]

    def link_later(self, key: str, entry: dict, target: Path) -> bool:
        """Have a page `get` found linked from the last build's site into this build's at `target` by the linker,
        a process of its own, while this build goes on (`start_links`, then `settle`). False if it cannot be
        linked (its file there is not known, or there is no linker): write it now (`write_page`)."""
        if self._linker is None or self._sites is None or len(entry["place"]) != self.PLACED:
            return False
        self._to_link.append((key, entry, target))
        return True

    def start_links(self) -> None:
        """Give the linker the pages `link_later` was given: it makes their folders and links their files."""
        if self._linker is None:
            return
        self._linker.send([[self._source(str(target)), str(target), entry["place"][4], *entry["place"][6:]]
                           for _, entry, target in self._to_link])

    def settle(self) -> list[str]:
        """Wait for the linker, and keep each page it linked for the next build; write from the store each page
        it could not link (its file in the last build's site changed, say). The keys of pages that could not be
        written either (their bytes in the store are damaged): the build makes them."""
        linker, self._linker = self._linker, None
        done = linker.results(len(self._to_link)) if linker is not None else []
        failed = []
        for number, (key, entry, target) in enumerate(self._to_link):
            if number < len(done) and done[number]:
                self.linked += 1
                self._taken(key, entry["place"], entry["place"][6:])
            elif not self.write_page(key, entry, target):
                failed.append(key)
        self._to_link = []
        return failed

    def put(self, key: str, page: bytes, search: Any) -> None:
        """Keep a page this build made: its bytes as written to the site, and its search entry."""
        self.made += 1
        self._write(key, zlib.compress(_encode(search), 1), page)

    def placed(self, key: str, path: Path) -> None:
        """The page this build made with this key is written to the site at `path`: keep its file's identity."""
        place = self._written.get(key)
        if place is None or len(place) != self.PAGE:
            return
        try:
            found = os.stat(path, follow_symlinks=False)
        except OSError:
            return
        if stat.S_ISREG(found.st_mode) and found.st_size == place[4]:
            place += _identity(found)

    def finish(self, good: bool) -> None:
        """Keep this build's entries for the next build if it ended well; else leave the last good build's."""
        linker, self._linker = self._linker, None
        if linker is not None:   # a build that failed before `settle`
            linker.stop()
        out, self._out = self._out, None
        if good and out is not None:
            try:
                self._compact(out)
                names = sorted({place[0] for place in self._written.values()})
                number = {name: index for index, name in enumerate(names)}
                index = json.dumps({"packs": names, "places": {key: [number[place[0]], *place[1:]]
                                                               for key, place in self._written.items()}},
                                   separators=(",", ":")).encode("utf-8")
                (self.next / "index").write_bytes(index + len(index).to_bytes(8, "big") + self.MAGIC)
            except OSError:
                good = False
        if out is not None:
            _close(out)
        for pack in self._in:
            if pack is not None:
                _close(pack)
        self._in = []
        if good and out is not None and self._put_in_place():
            used = {place[0] for place in self._written.values()}
            self._remove_packs(lambda name: name not in used and (name in self._names or name == self._name))
        else:
            shutil.rmtree(self.next, ignore_errors=True)
            _remove(self.packs / self._name)
        in_use = set(self._open(self.current / "index")[0])
        self._remove_packs(lambda name: name not in in_use and older_than(self.packs / name, STALE_AFTER))
        for left in self.folder.glob("next-*"):   # builds stopped before their end
            if older_than(left, STALE_AFTER):
                shutil.rmtree(left, ignore_errors=True)
        _prune(self.folder.parent)

    def _compact(self, out: int) -> None:
        """Copy into the new pack the entries still used of each pack of which less than half is used."""
        used: dict[str, int] = {}
        for place in self._written.values():
            if place[0] != self._name:
                used[place[0]] = used.get(place[0], 0) + self._length(place)
        sparse = set()
        for name, size in used.items():
            try:
                if 2 * size < os.path.getsize(self.packs / name):
                    sparse.add(name)
            except OSError:
                pass
        if not sparse:
            return
        numbers = {name: index for index, name in enumerate(self._names)}
        for place in self._written.values():
            if place[0] not in sparse:
                continue
            length = self._length(place)
            data = os.pread(self._in[numbers[place[0]]], length, place[1])   # type: ignore[arg-type]
            if len(data) != length:
                raise OSError("a pack shorter than its index says")
            start = self._end
            _write_at(out, data, start)
            self._end += length
            place[0], place[1] = self._name, start
            if len(place) > self.ENTRY:
                place[3] = start + place[2]

    def _length(self, place: list) -> int:
        """The bytes an entry takes in its pack: a page's bytes follow its entry."""
        return place[2] + (place[4] if len(place) > self.ENTRY else 0)

    def _put_in_place(self) -> bool:
        """This build's index becomes the last good build's; False if another build's did at the same moment."""
        retired = self.folder / f"retired-{os.getpid()}"
        try:
            if self.current.exists():
                self.current.rename(retired)
            self.next.rename(self.current)
        except OSError:   # another build finished at the same moment: its store stands
            shutil.rmtree(self.next, ignore_errors=True)
            return False
        finally:
            shutil.rmtree(retired, ignore_errors=True)
        return True

    def _remove_packs(self, unused: Callable[[str], bool]) -> None:
        """Remove the packs `unused` names (those the last index used that this one does not, one a build stopped
        before its end left): a build reading one has it open, and reads it whole."""
        try:
            names = [path.name for path in self.packs.iterdir()]
        except OSError:
            return
        for name in names:
            if unused(name):
                _remove(self.packs / name)


_LINKING = r"""
import json, os, stat, sys
done = []
for source, target, size, device, inode, mtime in json.loads(sys.stdin.readline() or "[]"):
    try:
        try:
            os.mkdir(os.path.dirname(target))
        except FileExistsError:
            pass
        except FileNotFoundError:
            os.makedirs(os.path.dirname(target), exist_ok=True)
        found = os.stat(source, follow_symlinks=False)
        ok = (stat.S_ISREG(found.st_mode) and found.st_size == size
              and (found.st_dev, found.st_ino, found.st_mtime_ns) == (device, inode, mtime))
        if ok:
            os.link(source, target, follow_symlinks=False)
    except OSError:
        ok = False
    done.append("1" if ok else "0")
sys.stdout.write("".join(done))
"""
"""The linker's program: for each page, its folder made and the last build's file linked, if that file is still
the one the last build wrote for the page (`PageStore._link`); one character a page, 1 if it was linked."""


class _Linker:
    """A process of its own that makes the folders of the pages taken from the last build and links their files
    from the last build's site (`_LINKING`). Making thousands of folders and links is mostly the kernel's work:
    in a process of its own it is done on another processor, while the build renders the pages that changed
    (it was about a twentieth of a rebuild after a one-record edit at 5,679 pages). It is a new Python with
    nothing imported (not a fork of the build, whose memory it would count again), started when the build
    starts."""

    def __init__(self, process: subprocess.Popen) -> None:
        self.process = process

    @classmethod
    def start(cls) -> _Linker | None:
        try:
            return cls(subprocess.Popen([sys.executable, "-I", "-S", "-c", _LINKING], stdin=subprocess.PIPE,
                                        stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True))
        except OSError:
            return None

    def send(self, jobs: list[list]) -> None:
        try:
            assert self.process.stdin is not None
            self.process.stdin.write(json.dumps(jobs, separators=(",", ":")) + "\n")
            self.process.stdin.flush()   # it reads one line; `results` closes its input
        except (OSError, ValueError):
            pass

    def results(self, count: int) -> list[bool]:
        """Whether each page was linked; pages it did not answer for were not."""
        try:
            output, _ = self.process.communicate(timeout=600)
        except (OSError, ValueError, subprocess.TimeoutExpired):
            self.stop()
            return []
        return [character == "1" for character in (output or "")[:count]]

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
        try:
            self.process.communicate(timeout=10)
        except (OSError, ValueError, subprocess.TimeoutExpired):
            pass


def take_folders(spare: Path, site: Path) -> list[str]:
    """Move the folders of `spare`, a retired site emptied of its files (plugins/core/publish.py `empty_later`),
    into `site`, which the engine has just emptied: the pages' folders are there before any page is written, and
    neither the linker nor the engine makes them again. The folders moved (paths relative to the site, deepest
    first), for `prune_folders` once the site is written; none if there is no spare, or it is not whole."""
    taken = spare.with_name(f"{spare.name}.taken-{os.getpid()}")
    try:
        os.rename(spare, taken)   # this build's alone: a site emptied meanwhile can be the next spare
    except OSError:
        return []
    try:
        listed = (taken / FOLDERS).read_bytes().decode("utf-8").split("\0")[:-1]
        entries = [entry for entry in os.listdir(taken) if entry != FOLDERS]
        (taken / FOLDERS).unlink()
    except (OSError, UnicodeDecodeError):
        remove_later([taken])
        return []
    moved = set()
    try:
        site.mkdir(parents=True, exist_ok=True)
    except OSError:
        entries = []
    for entry in entries:
        try:
            os.rename(taken / entry, site / entry)   # never onto a folder holding anything: it fails
            moved.add(entry)
        except OSError:
            pass
    try:
        taken.rmdir()
    except OSError:   # what could not be moved
        remove_later([taken])
    return [folder for folder in listed if folder.split(os.sep, 1)[0] in moved]


def prune_folders(site: Path, folders: list[str]) -> None:
    """Remove those of the folders `take_folders` moved into the site that the build left empty (a page no longer
    there had one), deepest first, so the site is the one a build from nothing makes."""
    for folder in folders:
        try:
            os.rmdir(site / folder)
        except OSError:   # it holds something: it is the site's
            pass


def _open_pack(path: Path) -> int | None:
    try:
        return os.open(path, os.O_RDONLY)
    except OSError:
        return None


def _remove(path: Path) -> None:
    try:
        path.unlink()
    except OSError:
        pass


def _identity(found: os.stat_result) -> list[int]:
    return [found.st_dev, found.st_ino, found.st_mtime_ns]


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
    return set(PageStore._open(store / "current" / "index")[1])


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
