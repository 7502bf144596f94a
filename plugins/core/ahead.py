"""Work a rebuild does ahead, in a second process, while this one works out what it can take from the last build.

After a one-record edit, most of a rebuild is work in two parts that do not need each other. One is finding
which generated pages can be taken from the last build: each page's key (plugins/core/inputs.py,
hooks/reuse.py). The other is what is made again whatever changed: the generated pages that have no key
(those in the navigation, those not made from their context alone: the index of actions, the training
pages), the macros of the hand-written pages, whose longest lists (What's new, the changes to the plan, the
scorecard) are made in full, and the exports. The machine has a second processor.

`start`, called once the data is loaded and every page is known, forks. The fork makes, in the order the
build needs them, the bodies of the generated pages that have no key, then every macro call of each
hand-written page, page by page, then the files whose content is a function (`SiteFile.made`). It appends
each piece to a file as it is done, and says so on a pipe. This process goes on with the keys; whenever it
needs a piece (`body`, `html`, `file`), it reads what the fork has said until that piece is there.

Once every page is read (`on_env`), a second fork (`index`) makes the search entries of the pages whose HTML
the last build had not seen (the edited record's page, What's new, the lists showing the record: a listing
page's HTML is long to read), while the build takes the other pages from the last build; the build takes
each entry at its page's turn (`search_entry`). Each fork ends as soon as its work is done: the memory it
did not share with the build (what either process wrote to since the fork) is given back before the build's
own grows to its end.

What a fork gives is what this process would have made, or nothing:

- A fork has this process's memory as it was: the same data, pages and code. A page's body and a macro
  are functions of the data and of the page they are on (`PageContext`), and of nothing else of the
  build, except the About page's list of the pages showing illustrative data, complete only once the
  generated pages are made: the fork's build refuses to give it, and that macro is left to this process.
  An export is a function of the data. A search entry is a function of the page's address, title and
  HTML, and the build takes it only for the same address, title and HTML (by their digest).
- A piece that failed, or logged a warning (a strict build fails on one), is left to this process, which
  says what it says, as always.
- A piece the fork did not make (a page changed since, other arguments) is made by this process.
- If the fork cannot start or does not end well, this process makes whatever it has not been given.

A fork costs memory: Python writes to every object it reads (its count of references), so each page of
memory either process reads after the fork is copied (80 to 100 MiB by the end of the first fork's work at
5,679 pages). Forks are started only where the pages of a last good build are in the store (a rebuild, the
preview, a push): a cold build makes nearly every page, and gains less. KB_AHEAD=0 turns them off.
tests/test_ahead.py checks that a rebuild is the same site either way.
"""

from __future__ import annotations

import functools
import gc
import logging
import os
import pickle
import select
import tempfile
import threading
import zlib
from collections.abc import Callable, Iterable
from typing import Any

from markupsafe import Markup

from plugins.core.cache import digest
from plugins.core.handwritten import PageMacros

SWITCH = "KB_AHEAD"
PATIENCE = 60.0
"""Seconds the build waits for the fork's next piece (the longest of the largest site's takes a quarter of a
second) before it makes what it has not been given itself."""


class _NotAhead(Exception):
    """Raised in the fork by what only the build can know (the pages showing illustrative data)."""


def wanted() -> bool:
    """Whether there is a second processor to work ahead on, this process can be forked safely (it runs one
    thread: a lock another thread held would stay held in the fork), and it is not turned off (KB_AHEAD=0)."""
    if os.environ.get(SWITCH, "").strip() == "0" or not hasattr(os, "fork") or threading.active_count() > 1:
        return False
    try:
        return len(os.sched_getaffinity(0)) > 1
    except (AttributeError, OSError):
        return (os.cpu_count() or 1) > 1


def call_key(name: str, path: str, args: tuple, kwargs: dict[str, Any]) -> str:
    """One macro call on one page (its arguments are plain values: plugins/core/handwritten.py)."""
    return repr((name, path, args, sorted(kwargs.items())))


class Ahead:
    """A fork working ahead, and what it has made so far: generated pages' bodies (`body`), macros' HTML
    (`html`) and files (`file`); or, for the fork `index` starts, search entries (`search_entry`)."""

    def __init__(self, pid: int, said: int, results: str, coming: dict[str, set[str]]) -> None:
        self.pid = pid
        self._said = said   # a byte on this pipe for each piece the fork has appended to `results`
        self._results = open(results, "rb")   # noqa: SIM115 - read piece by piece until the fork ends
        os.unlink(results)   # open in both processes: it goes with them, however they end
        self._coming = {"body": set(), "page": set(), "files": set(), "search": set(), **coming}
        """What the fork is to make, by kind and path."""
        self._made: dict[str, dict[str, Any]] = {kind: {} for kind in self._coming}
        self._ended = False
        self.taken = {"bodies": 0, "macros": 0, "files": 0, "search entries": 0}
        """How many pieces the build took from the fork."""

    def body(self, path: str) -> str | None:
        """The body the fork made for this generated page; None if it made none (the build makes it)."""
        found = self._piece("body", path)
        if found is not None:
            self.taken["bodies"] += 1
        return found

    def html(self, name: str, path: str, args: tuple, kwargs: dict[str, Any]) -> Markup | None:
        """The HTML the fork made for this macro call; None if it made none (the build makes it)."""
        found = (self._piece("page", path) or {}).get(call_key(name, path, args, kwargs))
        if found is None:
            return None
        self.taken["macros"] += 1
        return Markup(found)

    def file(self, path: str) -> str | bytes | None:
        """The content the fork made for this site file; None if it made none (the build makes it)."""
        found = (self._piece("files", "files") or {}).get(path)
        if found is not None:
            self.taken["files"] += 1
        return found

    def search_entry(self, src: str, location: str, title: str, html: str) -> list | None:
        """The search entry the fork made for this page, if it made it from this address, title and HTML;
        None otherwise (the build makes it)."""
        found = self._piece("search", src)
        if found is None or found[1] != digest(location, title, html):
            return None
        self.taken["search entries"] += 1
        return found[0]

    def close(self) -> None:
        """Stop the fork if it still runs (it has ended, if the build took everything)."""
        if self._said < 0:
            return
        self._ended = True
        for end in (lambda: os.kill(self.pid, 9), lambda: os.waitpid(self.pid, 0), lambda: os.close(self._said),
                    self._results.close):
            try:
                end()
            except OSError:   # ChildProcessError too
                pass
        self._said = -1

    def _piece(self, kind: str, path: str) -> Any:
        """A piece the fork is to make, once it is made; None if it will not be."""
        made = self._made[kind]
        if path not in self._coming[kind]:
            return None
        while path not in made and not self._ended:
            self._next()
        return made.get(path)

    def _next(self) -> None:
        """Read the next piece the fork made; at its end, at anything unreadable, or if it says nothing for
        `PATIENCE` seconds, there is no more (and the build makes what it has not been given)."""
        try:
            if select.select([self._said], [], [], PATIENCE)[0] and os.read(self._said, 1) == b".":
                kind, path, made = pickle.load(self._results)
                self._made[kind][path] = made
                return
        except (OSError, EOFError, pickle.UnpicklingError, ValueError, KeyError, TypeError):
            pass
        self._ended = True


def start(build, pages: Iterable[tuple[str, str]]) -> Ahead | None:
    """Fork a process working ahead on these hand-written pages (their paths under docs/ and their sources,
    front matter included), the generated pages that have no key and the build's files; None if there is
    nothing to make or no process could be started."""
    from plugins.core.generate import split_front_matter   # generate imports site, which this module serves

    chosen = []
    for path, source in pages:
        meta, markdown = split_front_matter(source)
        if meta.get("render_macros") is not False and "{{" in markdown:
            chosen.append((path, markdown))
    bodies = [path for path, page in build.pages.items() if not page.from_context or page.in_nav]
    if not chosen and not bodies and not any(callable(file.content) for file in build.files.values()):
        return None
    coming = {"body": set(bodies), "page": {path for path, _ in chosen}, "files": {"files"}}
    return _fork(coming, functools.partial(_work, build, bodies, chosen))


def index(build, pages: list[tuple[str, str, str, bytes]]) -> Ahead | None:
    """Fork a process making the search entries of these pages: (docs path, address, title, HTML compressed
    by zlib, as it waits for its turn); None if there are none or no process could be started."""
    if not pages:
        return None
    return _fork({"search": {src for src, _, _, _ in pages}}, functools.partial(_index, build, pages))


def _fork(coming: dict[str, set[str]], work: Callable[[Callable[[str, str, Any], None]], None]) -> Ahead | None:
    """Fork a process doing `work`, which hands each piece it makes to the function it is given (kind, path,
    piece): the piece is appended to a file and announced on a pipe."""
    descriptor, results = tempfile.mkstemp(prefix="kb-ahead-")
    said, say = os.pipe()
    try:
        pid = os.fork()
    except OSError:
        pid = -1
    if pid != 0:   # the build
        os.close(say)
        os.close(descriptor)
        if pid > 0:
            return Ahead(pid, said, results, coming)
        os.close(said)
        os.unlink(results)
        return None
    # The fork: nothing it does may reach the build's output, files or store. It ends with os._exit, so no
    # buffer, handler or finaliser of the build runs twice, as soon as its work is done: the memory it did not
    # share with the build (what either process wrote to since the fork) is then given back.
    code = 1
    try:
        gc.disable()   # a short life: what the collector would find is not worth its time
        _quiet(keep={say, descriptor})

        def done(kind: str, path: str, made: Any) -> None:
            piece = memoryview(pickle.dumps((kind, path, made), protocol=pickle.HIGHEST_PROTOCOL))
            while piece:
                piece = piece[os.write(descriptor, piece):]
            os.write(say, b".")

        work(done)
        code = 0
    finally:
        os._exit(code)


def _quiet(keep: set[int]) -> None:
    """The fork writes nothing but its file and pipe: its output goes nowhere, and it holds none of the build's
    files open (the pipe to the store's linker, say, stays the build's alone)."""
    from plugins.core.buildserver import child_dies_with_parent

    child_dies_with_parent()
    null = os.open(os.devnull, os.O_RDWR)
    for standard in (0, 1, 2):
        os.dup2(null, standard)
    os.close(null)
    low = 3
    for descriptor in sorted(keep):
        os.closerange(low, descriptor)
        low = descriptor + 1
    os.closerange(low, 1 << 16)


class _Warned(logging.Handler):
    """Counts warnings, which a strict build fails on: what logged one is left to the build."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.count = 0

    def emit(self, record: logging.LogRecord) -> None:
        self.count += 1


def _work(build, bodies: list[str], chosen: list[tuple[str, str]], done) -> None:
    """Make each piece in the order the build needs them, handing each to `done` as it is made."""
    build.memo = build.keep = None   # the store is the build's
    build.ahead = build.indexing = None   # the fork makes what it gives, as the build would without it

    def refuse() -> list[str]:
        raise _NotAhead("the pages showing illustrative data are known once the generated pages are made")

    build.illustrative_pages = refuse   # what PageContext.pages_resting_on_illustrative reads
    unwarned = _unwarned()

    for path in bodies:
        done("body", path, unwarned(functools.partial(build.page_body, build.pages[path])))
    calls: dict[str, str | None] = {}

    def call(name: str, path: str, *args: Any, **kwargs: Any) -> Markup:
        key = call_key(name, path, args, kwargs)
        if key not in calls:
            calls[key] = unwarned(lambda: str(build.macros[name].function(build.context(path), *args, **kwargs)))
        return Markup("")

    macros = PageMacros(build.macros, call)
    for path, markdown in chosen:
        calls = {}
        macros.render(path, path, markdown)
        done("page", path, calls)
    files = {path: unwarned(file.made) for path, file in build.files.items() if callable(file.content)}
    done("files", "files", {path: content for path, content in files.items() if isinstance(content, (str, bytes))})


def _index(build, pages: list[tuple[str, str, str, bytes]], done) -> None:
    """The search entry of each page, with the digest of what it was made from."""
    index = build.search_index
    unwarned = _unwarned()
    for src, location, title, packed in pages:
        html = zlib.decompress(packed).decode("utf-8")
        entry = unwarned(functools.partial(index.add_page, src=src, location=location, title=title, html=html)) \
            if index is not None else None
        done("search", src, None if entry is None else (entry, digest(location, title, html)))


def _unwarned() -> Callable[[Callable[[], Any]], Any]:
    """A function doing work and giving what it made, or None if the work failed or logged a warning (the
    build does it again, and says what it says)."""
    warned = _Warned()
    for name in ("", "mkdocs"):
        logging.getLogger(name).addHandler(warned)

    def unwarned(work: Callable[[], Any]) -> Any:
        before = warned.count
        try:
            made = work()
        except Exception:   # noqa: BLE001 - the build does it again and reports it
            return None
        return made if warned.count == before else None

    return unwarned
