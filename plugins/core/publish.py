"""Publish a built site so that the live site is never missing, half-built or lost.

    DIR                        a symbolic link to the live release: what the web server serves
    DIR.releases/<release>     complete builds, the newest few kept, named <UTC time>-<label>
    DIR.releases/.lock         held while a release is built and switched: one build at a time
    DIR.releases/.building-*   a build in progress; a failed build's folder is removed at once, a
                               killed build's by the next build (which holds the lock, so no
                               build can still be writing to it)

The switch is one rename(2) of a new symbolic link over DIR: a reader sees the old
site or the new one, never neither. A rollback points DIR back at the release
before the live one in the same way. Nothing outside DIR and DIR.releases is
ever touched, so a folder someone else keeps beside it (DIR.old, say) is safe.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import fcntl
import gzip
import os
import re
import secrets
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from plugins.core.cache import older_than
from plugins.core.settings import LAST_SITE

KEEP = 5
"""Releases kept by default (the live one always among them)."""

SITE_SIGNATURE = ("index.html", "sitemap.xml", "search")
"""What every site this tool builds holds: a folder with all of these is a site, and may be replaced."""

NOT_A_SITE = (".git", "mkdocs.yml", "docs", "plugins", "pyproject.toml", "Makefile")
"""What no built site holds: a folder with any of these is a project or a checkout."""


class PublishError(Exception):
    """Publishing cannot go ahead; the message says why in one line (no traceback)."""


# --- where a site may be published ---------------------------------------------


def check_destination(raw: str, project: Path, content: tuple[Path, ...] = ()) -> Path:
    """The folder `raw` names, made absolute, if a site may be published there; else PublishError.

    A site folder is replaced whole, so it must never be the project, a folder
    containing it, a content folder, or a folder holding anything but a site.
    """
    if not raw.strip():
        raise PublishError("the site folder is empty (-d ''): name a folder, e.g. -d site")
    site = Path(os.path.abspath(os.path.expanduser(raw)))
    project = project.resolve()
    if site.is_symlink():
        return _check_link(site)
    resolved = site.resolve()
    if resolved == project or project.is_relative_to(resolved):
        raise PublishError(f"refusing to publish to {raw}: it is the project folder {project} or contains it")
    for folder in content:
        folder = folder.resolve()
        if resolved == folder or resolved.is_relative_to(folder) or folder.is_relative_to(resolved):
            raise PublishError(f"refusing to publish to {raw}: it is, or is inside, the content folder {folder}")
    if resolved == Path.home().resolve():
        raise PublishError(f"refusing to publish to {raw}: it is the home folder")
    if site.exists() and not site.is_dir():
        raise PublishError(f"refusing to publish to {raw}: it is a file, not a folder")
    if site.is_dir():
        _check_existing_folder(raw, site)
    return site


def _check_link(site: Path) -> Path:
    """An existing link is ours only if it points at a release in DIR.releases."""
    target = Path(os.readlink(site))
    if target.is_absolute() or target.parent != Path(f"{site.name}.releases"):
        raise PublishError(f"refusing to replace {site}: it is a link to {target}, which this tool did not make")
    return site


def _check_existing_folder(raw: str, site: Path) -> None:
    entries = sorted(p.name for p in site.iterdir())
    if not entries:
        return
    project_like = [name for name in NOT_A_SITE if name in entries]
    if project_like:
        raise PublishError(f"refusing to publish to {raw}: it holds {', '.join(project_like)}, "
                           "so it is a project, not a built site")
    if not all((site / name).exists() for name in SITE_SIGNATURE):
        shown = ", ".join(entries[:3]) + (" ..." if len(entries) > 3 else "")
        raise PublishError(f"refusing to publish to {raw}: it holds files that are not a built site ({shown}); "
                           "choose a new or empty folder")


# --- releases ------------------------------------------------------------------


@dataclass
class Releases:
    """The releases of one published site folder, and the lock that serialises publishing to it."""

    site: Path
    folder: Path = field(init=False)

    def __post_init__(self) -> None:
        self.site = Path(os.path.abspath(self.site))
        self.folder = self.site.with_name(f"{self.site.name}.releases")

    @contextmanager
    def lock(self, waiting: Callable[[], None] = lambda: None) -> Iterator[None]:
        """Hold the publishing lock; `waiting` is called once if another build holds it."""
        self.folder.mkdir(parents=True, exist_ok=True)
        with open(self.folder / ".lock", "a") as handle:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                waiting()
                fcntl.flock(handle, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)

    def clean_stale(self) -> list[Path]:
        """Remove what killed builds, or a removal that never finished (`prune`), left, and the sites of pushes'
        checks no publish took within the hour (a push's check builds without the lock: a younger one may be
        in use). Call only while holding the lock."""
        stale = sorted([*self.folder.glob(".building-*"), *self.folder.glob(".removing-*"),
                        *(path for path in [*self.folder.glob(".checking-*"), *self.folder.glob(".checked-*")]
                          if older_than(path, CHECKED_FOR))])
        for path in stale:
            shutil.rmtree(path, ignore_errors=True)
        return stale

    def checking(self) -> Path:
        """A new folder for a push's check build (plugins/core/receive.py), which may become `checked`."""
        self.folder.mkdir(parents=True, exist_ok=True)
        path = self.folder / f".checking-{secrets.token_hex(4)}"
        path.mkdir()
        return path

    def checked(self, key: str) -> Path:
        """Where a push's check keeps the site it built from the content `key` names, for the publish of the same
        content to make live instead of building it again."""
        return self.folder / f".checked-{key}"

    def staging(self, label: str) -> Path:
        path = self.folder / f".building-{label}-{secrets.token_hex(4)}"
        path.mkdir()
        return path

    def all(self) -> list[Path]:
        """Complete releases, oldest first."""
        if not self.folder.is_dir():
            return []
        return sorted(p for p in self.folder.iterdir() if p.is_dir() and not p.name.startswith("."))

    def live(self) -> Path | None:
        if not self.site.is_symlink():
            return None
        target = self.folder / Path(os.readlink(self.site)).name
        return target if target.is_dir() else None

    def promote(self, staging: Path, label: str) -> Path:
        """Turn a finished build into a release, readable by the web server."""
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")
        release = self.folder / f"{stamp}-{label}"
        staging.chmod(0o755)
        staging.rename(release)
        return release

    def switch(self, release: Path) -> None:
        """Make `release` live with one atomic rename of a symbolic link over the site folder."""
        link = self.site.with_name(f".{self.site.name}.switch-{secrets.token_hex(4)}")
        link.symlink_to(f"{self.folder.name}/{release.name}")
        try:
            if self.site.is_dir() and not self.site.is_symlink():
                self._replace_folder(link)
            else:
                os.replace(link, self.site)
        finally:
            if link.is_symlink():
                link.unlink()

    def _replace_folder(self, link: Path) -> None:
        """The first publish over a plain folder (a site built before releases): swap it for the link
        atomically, then keep it as the oldest release so it can be rolled back to."""
        kept = self.folder / "00000000T000000000000Z-before-releases"
        if _exchange(link, self.site):
            link.rename(kept)
        else:  # no renameat2 here: two renames, the only moment the site can be missing
            self.site.rename(kept)
            os.replace(link, self.site)

    def prune(self, keep: int) -> list[Path]:
        """Remove all but the newest `keep` releases; never the live one. Each leaves the list of releases at once
        (renamed `.removing-...`); its thousands of files are deleted by a process of its own, which nobody
        waits for: the new release is live by then, and clearing an old one is no part of publishing it."""
        live = self.live()
        removed = [r for r in self.all()[:-keep] if r != live] if keep > 0 else []
        leaving = []
        for release in removed:
            gone = self.folder / f".removing-{release.name}"
            try:
                release.rename(gone)
                leaving.append(gone)
            except OSError:
                shutil.rmtree(release, ignore_errors=True)
        if leaving:
            remove_later(leaving)
        return removed

    def rollback(self) -> Path:
        """Point the site back at the release before the live one."""
        releases = self.all()
        live = self.live()
        if live is None or live not in releases:
            raise PublishError(f"{self.site} is not a published release: nothing to roll back")
        index = releases.index(live)
        if index == 0:
            raise PublishError(f"{live.name} is the oldest release kept in {self.folder}: nothing to roll back to")
        self.switch(releases[index - 1])
        return releases[index - 1]


CHECKED_FOR = 3600
"""Seconds a push's checked site waits for its publish (it comes within seconds) before it is removed."""


_REMOVER = "import shutil, sys\nfor folder in sys.argv[1:]:\n    shutil.rmtree(folder, ignore_errors=True)\n"

FOLDERS = ".kb-folders"
"""In a site emptied of its files (`empty_later`): the list of its folders, deepest first, each ended by a NUL."""

_EMPTIER = r"""
import os, shutil, sys
folder, spare = sys.argv[1], sys.argv[2]
folders, whole = [], True
for root, names, files in os.walk(folder, topdown=False):
    for name in files:
        try:
            os.unlink(os.path.join(root, name))
        except OSError:
            whole = False
    for name in names:
        path = os.path.join(root, name)
        if os.path.islink(path):
            try:
                os.unlink(path)
            except OSError:
                whole = False
        else:
            folders.append(os.path.relpath(path, folder))
try:
    if not whole or any("\0" in path for path in folders):
        raise OSError("not emptied")
    with open(os.path.join(folder, FOLDERS), "x") as listing:
        listing.write("".join(path + "\0" for path in folders))
    os.rename(folder, spare)   # whole or not at all: a build takes only a spare that is complete
except OSError:
    shutil.rmtree(folder, ignore_errors=True)
""".replace("FOLDERS", repr(FOLDERS))
"""The emptier's program: every file of a retired site deleted, its folders kept and listed (`FOLDERS`), and the
site renamed to be the spare; if any of that cannot be done, or a spare is there already, the site is deleted."""


def remove_later(folders: list[Path]) -> None:
    """Delete `folders` in a process of their own (`_in_background`), and return at once."""
    _in_background(_REMOVER, [str(folder) for folder in folders],
                   now=lambda: [shutil.rmtree(folder, ignore_errors=True) for folder in folders])


def empty_later(folder: Path, spare: Path) -> None:
    """Delete the files of a retired site, `folder`, in a process of their own (`_in_background`), keeping its
    folders, and then make it `spare`: the next build moves those folders into its site (KB_SPARE_SITE,
    plugins/core/reuse.py `take_folders`), and makes none of them again. Making thousands of pages' folders was
    most of the time the linker took to put a rebuild's unchanged pages in place, and deleting them most of
    the time taken to remove a retired site. Returns at once."""
    _in_background(_EMPTIER, [str(folder), str(spare)], now=lambda: shutil.rmtree(folder, ignore_errors=True))


def _in_background(program: str, arguments: list[str], now: Callable[[], object]) -> None:
    """Run a Python `program` with `arguments` in a process of its own (forked twice: it is nobody's child to
    wait for; it runs a new Python, so nothing of a threaded parent's state is used in it), and return at once;
    where a process cannot be forked, call `now` instead. It runs at the lowest priority: the next build (an
    editor's next save in the preview) comes first."""
    try:
        child = os.fork()
    except OSError:
        child = -1
    if child < 0:
        now()
        return
    if child > 0:
        os.waitpid(child, 0)   # it ends as soon as it has forked the one that works
        return
    try:   # the child: start a session of its own, fork the one that works and end
        os.setsid()
        if os.fork() == 0:
            # Holding none of the files its parents had open: whoever reads their output (git, a test) would
            # otherwise wait for it to end.
            quiet = os.open(os.devnull, os.O_RDWR)
            for standard in (0, 1, 2):
                os.dup2(quiet, standard)
            os.closerange(3, os.sysconf("SC_OPEN_MAX"))
            os.nice(19)
            os.execv(sys.executable, [sys.executable, "-c", program, *arguments])
    finally:
        os._exit(0)


def _exchange(a: Path, b: Path) -> bool:
    """Atomically swap two paths (Linux renameat2 RENAME_EXCHANGE); False where it is not available."""
    libc = ctypes.CDLL(ctypes.util.find_library("c"), use_errno=True)
    renameat2 = getattr(libc, "renameat2", None)
    if renameat2 is None:
        return False
    at_fdcwd, rename_exchange = -100, 2
    return renameat2(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), rename_exchange) == 0


# --- building ------------------------------------------------------------------


@dataclass
class Outcome:
    """What one MkDocs build said: whether it succeeded, its problems in editors' words, its page count."""

    ok: bool
    problems: list[str]
    pages: int = 0
    timed_out: bool = False
    notices: list[str] = field(default_factory=list)
    """The plugins' own notices (reviews falling due, readability), for people who build by hand."""


ENGINES = {
    "mkdocs": ("plugins.core.run_mkdocs", "build", "--strict"),   # MkDocs' own command line
    "zensical": ("plugins.core.zensical",),   # the core generates and finishes, Zensical renders
}
"""The site engines `kb build --engine` runs, as Python modules run in a child process: MkDocs is the default."""


def build_site(project: Path, out: Path, env: dict[str, str], timeout: float, config_file: str = "mkdocs.yml",
               docs_dir: str = "docs", engine: str = "mkdocs", last: Path | None = None) -> Outcome:
    """Run a strict build of `project` into `out` with the engine, quietly; return its problems, not its log.
    `last`: the site the last build made (the live release), whose unchanged pages' files the build links."""
    command = [sys.executable, "-m", *ENGINES[engine], "-f", config_file, "-d", str(out)]
    env = {**env, LAST_SITE: str(last)} if last is not None else {k: v for k, v in env.items() if k != LAST_SITE}
    try:
        # Never --quiet: it drops warnings before MkDocs counts them, so --strict would pass.
        result = subprocess.run(command, cwd=project, env=env, capture_output=True, text=True, timeout=timeout,
                                stdin=subprocess.DEVNULL)
    except subprocess.TimeoutExpired:
        return Outcome(False, [f"the build took longer than {timeout:g} seconds and was stopped"], timed_out=True)
    problems = problems_in_log(result.stderr + result.stdout, project / docs_dir)
    if result.returncode != 0 and not problems:
        problems = [line for line in result.stderr.splitlines() if line.strip()][-5:] or ["the build failed"]
    pages = count_pages(out) if result.returncode == 0 else 0
    notices = [m.group(2) for m in map(_LEVEL.match, (result.stderr + result.stdout).splitlines())
               if m and m.group(1) == "INFO" and m.group(2).startswith("kb: ")]
    return Outcome(result.returncode == 0, problems, pages, notices=notices)


def count_pages(site: Path) -> int:
    """The pages of a built site: its HTML files but the error page."""
    return sum(name.endswith(".html") for _folder, _folders, names in os.walk(site) for name in names) - 1


def publish_build(project: Path, releases: Releases, label: str, env: dict[str, str], timeout: float, keep: int,
                  config_file: str = "mkdocs.yml", say: Callable[[str], None] = print,
                  engine: str = "mkdocs") -> tuple[Path | None, Outcome]:
    """Build `project` into a new release of `releases` and make it live, under the lock; on failure the
    live site is left as it was and the release folder removed."""
    with releases.lock(waiting=lambda: say(f"waiting for another build of {releases.site} to finish")):
        releases.clean_stale()
        staging = releases.staging(label)
        outcome = build_site(project, staging, env, timeout, config_file, engine=engine, last=releases.live())
        if not outcome.ok:
            shutil.rmtree(staging, ignore_errors=True)
            return None, outcome
        release = releases.promote(staging, label)
        releases.switch(release)
        releases.prune(keep)
        return release, outcome


_LEVEL = re.compile(r"^(DEBUG|INFO|WARNING|ERROR|CRITICAL)\s+-\s+(.*)$")
_NOISE = re.compile(r"^(Aborted with .*|Error reading page '.*':|Error building page '.*':|"
                    r"\d+ problems? found in .*|the data in .* is not valid:|the pages in .* cannot be read safely:|"
                    r"the data links to pages the site does not have:)\s*$")


def problems_in_log(log: str, docs: Path) -> list[str]:
    """The WARNING and ERROR messages of an MkDocs log, one problem a line, in editors' words."""
    problems: list[str] = []
    keep = False
    for line in log.splitlines():
        level = _LEVEL.match(line)
        if level:
            keep = level.group(1) in ("WARNING", "ERROR", "CRITICAL")
            line = level.group(2)
        elif line.startswith("Aborted with"):
            keep = False
        if not keep or not line.strip() or _NOISE.match(line.strip()):
            continue
        problem = _in_editors_words(line.strip(), docs)
        if problem not in problems:
            problems.append(problem)
    return problems


_DOC_LINK = re.compile(r"^Doc file '(?P<page>[^']+)' contains (?:a link|an unrecognized relative link|"
                       r"an absolute link) '(?P<link>[^']+)'(?P<rest>.*)$")


def _in_editors_words(message: str, docs: Path) -> str:
    """MkDocs names a page and a link; say where the link is: docs/page.md:line."""
    match = _DOC_LINK.match(message)
    if not match:
        return message
    page, link = match["page"], match["link"]
    line = _line_of(docs / page, link)
    rest = match["rest"].strip(" ,.")
    why = ("the page it points at does not exist" if "not found" in rest
           else "it is an absolute link: link to pages relative to this one" if "absolute" in message
           else "it names no page: link to the page's .md file" if "unrecognized" in message
           else rest)
    anchor = re.search(r"does not contain an anchor '([^']+)'", rest)
    if anchor:
        why = f"the page it points at has no heading or anchor '{anchor.group(1)}'"
    return f"{docs.name}/{page}:{line}: link '{link}': {why}"


def _line_of(path: Path, text: str) -> int:
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError):
        return 1
    needle = text.split("#")[0] or text
    return next((number for number, line in enumerate(lines, 1) if needle in line), 1)


# --- reproducible output -------------------------------------------------------


def reproducible_sitemap(site_dir: Path, as_at: str) -> None:
    """MkDocs stamps the sitemap with the build date and gzips it with the build time: stamp it with the
    date the content is as at, and gzip it with no time, so one commit always builds the same bytes."""
    sitemap = site_dir / "sitemap.xml"
    if not sitemap.is_file():
        return
    text = re.sub(r"<lastmod>[^<]*</lastmod>", f"<lastmod>{as_at}</lastmod>", sitemap.read_text(encoding="utf-8"))
    sitemap.write_text(text, encoding="utf-8")
    with open(site_dir / "sitemap.xml.gz", "wb") as raw, \
            gzip.GzipFile(filename="", mode="wb", fileobj=raw, mtime=0, compresslevel=9) as compressed:
        compressed.write(text.encode("utf-8"))
