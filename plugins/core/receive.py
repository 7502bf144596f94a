"""Publishing by git push: the server builds with its own trusted code; a push brings content only.

`kb install-git-hooks REPO.git --publish-to DIR` installs hooks/git/kb-hook in the
bare repository as pre-receive and post-receive and records the checkout it was
run from as the trusted code (`git config kb.checkout`). From then on:

- Every build takes its code (plugins/, hooks/, overrides/, mkdocs.yml, the
  theme's assets ...) from the trusted checkout's committed HEAD and only its
  content from the push: `data/`, and the Markdown pages and images in `docs/`.
  Code in a push never runs, whether the push is accepted or refused.
- A push whose code differs from the code already on main is refused, unless the
  code it brings is exactly the trusted code (the maintainers' route: a reviewed
  change is installed in the trusted checkout first, then pushed from there).
- Only main is accepted; deleting it, or rewriting it (a force-push), is refused.
  Symbolic links and submodules anywhere in a push are refused.
- pre-receive builds the pushed content strictly and refuses the push with every
  problem at once; post-receive publishes main as a new release
  (plugins/core/publish.py) and prints one line with the address.
"""

from __future__ import annotations

import io
import json
import os
import shutil
import signal
import subprocess
import sys
import tarfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path, PurePosixPath

from plugins.core.cache import digest
from plugins.core.publish import KEEP, Outcome, PublishError, Releases, build_site, count_pages
from plugins.core.settings import GIT_OBJECTS

ZERO = "0" * 40
BRANCH = "refs/heads/main"
TIMEOUT = 600.0
"""Seconds one build may take before it is stopped."""

CONTENT_SUFFIXES = frozenset({".md", ".png", ".jpg", ".jpeg", ".gif", ".webp", ".pdf", ".txt", ".csv",
                              ".docx", ".xlsx", ".pptx", ".odt", ".ods"})
"""Files in docs/ that are content. Anything else there (.js, .css, .html, .svg ...) runs in readers'
browsers or in the build, so it is code."""


def is_content(path: str) -> bool:
    """Whether a path in the repository is content an editor may push (else it is code)."""
    return path.startswith("data/") or (path.startswith("docs/")
                                        and PurePosixPath(path).suffix.lower() in CONTENT_SUFFIXES)


# --- the server's settings (git config in the bare repository) -----------------------


@dataclass(frozen=True)
class Server:
    git_dir: Path
    checkout: Path
    python: str
    publish_to: Path | None
    url: str = ""
    branch: str = BRANCH
    as_at: str = ""
    classification: str = ""
    edition: str = ""
    edit_url: str = ""
    keep: int = KEEP
    timeout: float = TIMEOUT

    @classmethod
    def from_repo(cls, git_dir: Path) -> "Server":
        git_dir = Path(git_dir).resolve()
        if not (git_dir / "objects").is_dir() or not (git_dir / "HEAD").is_file():
            raise PublishError(f"{git_dir} is not a bare git repository")
        config = read_config(git_dir)
        if "kb.checkout" not in config:
            raise PublishError(f"{git_dir} has no trusted checkout (kb.checkout): run `kb install-git-hooks`")
        publish_to = config.get("kb.publishdir")
        return cls(git_dir=git_dir, checkout=Path(config["kb.checkout"]),
                   python=config.get("kb.python", sys.executable),
                   publish_to=Path(publish_to) if publish_to else None, url=config.get("kb.url", ""),
                   branch=config.get("kb.branch", BRANCH), as_at=config.get("kb.asat", ""),
                   classification=config.get("kb.classification", ""), edition=config.get("kb.edition", ""),
                   edit_url=config.get("kb.editurl", ""),
                   keep=_number(config, "kb.keep", KEEP, int), timeout=_number(config, "kb.timeout", TIMEOUT, float))

    @property
    def address(self) -> str:
        return self.url or str(self.publish_to)

    def build_environment(self, commit: str) -> dict[str, str]:
        """The environment the build of `commit` runs in: the server's settings, nothing from the pusher, and
        the repository and commit whose history What's new reads (KB_GIT_DIR, KB_GIT_REV). In a pre-receive
        hook git names the quarantine holding the pushed objects; that is passed on, so the history of the
        commit being checked can be read, and nothing else of git's."""
        env = {k: v for k, v in os.environ.items() if not k.startswith(("KB_", "GIT_", "PYTHON"))}
        env.update({k: v for k, v in os.environ.items() if k in GIT_OBJECTS})
        env.update(NO_MKDOCS_2_WARNING="1", PYTHONDONTWRITEBYTECODE="1", KB_GIT_DIR=str(self.git_dir),
                   KB_GIT_REV=commit)
        as_at = os.environ.get("KB_AS_AT") or self.as_at
        for name, value in (("KB_AS_AT", as_at), ("KB_CLASSIFICATION", self.classification),
                            ("KB_EDITION", self.edition), ("KB_EDIT_URL", self.edit_url)):
            if value:
                env[name] = value
        return env


def _number(config: dict[str, str], key: str, default, kind):
    try:
        value = kind(config.get(key, default))
    except ValueError:
        raise PublishError(f"git config {key}={config[key]!r} is not a number") from None
    if value <= 0:
        raise PublishError(f"git config {key} must be more than 0")
    return value


def read_config(git_dir: Path) -> dict[str, str]:
    result = git(git_dir, "config", "-z", "--get-regexp", r"^kb\.", check=False)
    pairs = (item.split("\n", 1) for item in result.stdout.split("\0") if item)
    return {key.lower(): value for key, value in pairs}


def git(git_dir: Path, *args: str, check: bool = True, trusted: bool = False,
        text: bool = True) -> subprocess.CompletedProcess:
    """Run git on the bare repository (keeping the environment of a hook, which may name the
    quarantine where a push's objects wait), or with `trusted` on the trusted checkout."""
    env = {k: v for k, v in os.environ.items() if not (trusted and k.startswith("GIT_"))}
    where = ["-C", str(git_dir)] if trusted else [f"--git-dir={git_dir}"]
    result = subprocess.run(["git", *where, *args], capture_output=True, text=text, env=env)
    if check and result.returncode != 0:
        error = result.stderr if text else result.stderr.decode(errors="replace")
        raise PublishError(f"git {' '.join(args[:2])} failed: {error.strip()}")
    return result


# --- trees: what a commit holds -------------------------------------------------------


@dataclass(frozen=True)
class Entry:
    mode: str
    sha: str
    size: int
    path: str


def tree(repo: Path, commit: str, trusted: bool = False) -> dict[str, Entry]:
    listing = git(repo, "ls-tree", "-r", "-z", "-l", "--full-tree", commit, trusted=trusted).stdout
    entries = {}
    for item in listing.split("\0"):
        if not item:
            continue
        meta, path = item.split("\t", 1)
        mode, _, sha, size = meta.split()
        entries[path] = Entry(mode, sha, int(size) if size.isdigit() else 0, path)
    return entries


def code_of(entries: dict[str, Entry]) -> dict[str, tuple[str, str]]:
    return {path: (e.mode, e.sha) for path, e in entries.items() if not is_content(path)}


def changed(a: dict[str, tuple[str, str]], b: dict[str, tuple[str, str]]) -> list[str]:
    return sorted(p for p in a.keys() | b.keys() if a.get(p) != b.get(p))


# --- a work tree: trusted code + pushed content ------------------------------------------


@contextmanager
def scratch(parent: Path) -> Iterator[Path]:
    """A private work folder under `parent`, removed afterwards; ones left by killed hooks are removed
    by the next hook (a folder is in use while its lock file is locked)."""
    import fcntl
    import tempfile

    parent.mkdir(parents=True, exist_ok=True)
    for old in parent.iterdir():
        try:
            with open(old / ".in-use", "a") as handle:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except (BlockingIOError, NotADirectoryError):
            continue
        shutil.rmtree(old, ignore_errors=True)
    folder = Path(tempfile.mkdtemp(dir=parent))
    with open(folder / ".in-use", "a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield folder
        finally:
            shutil.rmtree(folder, ignore_errors=True)


def compose(server: Server, commit: str, dest: Path, data_from: dict[str, str | None] | None = None) -> None:
    """Fill `dest` with the trusted checkout's committed code and the content of `commit`.

    `data_from` replaces the pushed version of some data files by another commit's
    (None: leave the file out), to check pages when those files have problems.
    """
    archive = git(server.checkout, "archive", "--format=tar", "HEAD", trusted=True, text=False).stdout
    with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
        tar.extractall(dest, filter="data")
    shutil.rmtree(dest / "data", ignore_errors=True)
    for path in list((dest / "docs").rglob("*")) if (dest / "docs").is_dir() else []:
        if path.is_file() and is_content(path.relative_to(dest).as_posix()):
            path.unlink()
    wanted = {path: (commit, e.sha) for path, e in tree(server.git_dir, commit).items()
              if is_content(path) and e.mode in ("100644", "100755")}
    for path, source in (data_from or {}).items():
        wanted.pop(path, None)
        if source:
            entry = tree(server.git_dir, source).get(path)
            if entry:
                wanted[path] = (source, entry.sha)
    for path, (_, sha) in wanted.items():
        parts = PurePosixPath(path).parts
        if ".." in parts or path.startswith("/") or ".git" in parts:
            continue
        target = dest.joinpath(*parts)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(git(server.git_dir, "cat-file", "blob", sha, text=False).stdout)


# --- the hooks ---------------------------------------------------------------------------


@dataclass
class Refusal:
    """Every reason a push is refused, gathered so the editor sees them all at once."""

    problems: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.problems)


def pre_receive(server: Server, updates: list[tuple[str, str, str]]) -> int:
    for old, new, ref in updates:
        refusal = _check_update(server, old, new, ref)
        if refusal:
            checked = checked_site(server, new) if ref == server.branch and new != ZERO else None
            if checked is not None:   # the site its check built is never published
                shutil.rmtree(checked, ignore_errors=True)
            count = len(refusal.problems)
            say(f"kb: push refused: {count} problem{'s' if count != 1 else ''} in {ref.removeprefix('refs/heads/')}"
                f"{' ' + new[:12] if new != ZERO else ''}; nothing was published:")
            for problem in refusal.problems:
                say(f"  {problem}")
            for note in refusal.notes:
                say(note)
            return 1
    return 0


def _check_update(server: Server, old: str, new: str, ref: str) -> Refusal:
    refusal = Refusal()
    if ref != server.branch:
        refusal.problems.append(f"{ref}: only {server.branch.removeprefix('refs/heads/')} is published and "
                                "checked, so only it can be pushed to")
        return refusal
    if new == ZERO:
        refusal.problems.append(f"{ref}: deleting the branch the site is published from is refused")
        return refusal
    if old != ZERO and git(server.git_dir, "merge-base", "--is-ancestor", old, new, check=False).returncode != 0:
        refusal.problems.append(f"{ref}: this push rewrites published history (a force-push): pull "
                                "(`git pull --rebase`) and push again")
        return refusal
    entries = tree(server.git_dir, new)
    refusal.problems += _refused_entries(entries)
    _check_code(server, old, entries, refusal)
    refusal.problems += check_content(server, new, old)
    return refusal


def _refused_entries(entries: dict[str, Entry]) -> list[str]:
    from plugins.core.content import MAX_ASSET_BYTES, MAX_PAGE_BYTES
    from plugins.core.loader import MAX_FILE_BYTES

    problems = []
    for path, entry in sorted(entries.items()):
        if entry.mode == "120000":
            problems.append(f"{path}: a symbolic link: links are refused anywhere in the repository; "
                            "commit the file itself")
        elif entry.mode == "160000":
            problems.append(f"{path}: a submodule: submodules are refused")
        elif is_content(path):
            limit = (MAX_FILE_BYTES if path.startswith("data/") else MAX_PAGE_BYTES if path.endswith(".md")
                     else MAX_ASSET_BYTES)
            if entry.size > limit:
                problems.append(f"{path}: {entry.size:,} bytes is more than the {limit:,} a file here may hold")
    return problems


def _check_code(server: Server, old: str, entries: dict[str, Entry], refusal: Refusal) -> None:
    pushed = code_of(entries)
    published = code_of(tree(server.git_dir, old)) if old != ZERO else None
    if pushed == published:
        return
    trusted = code_of(tree(server.checkout, "HEAD", trusted=True))
    if pushed == trusted:
        return  # the maintainers' route: the reviewed code installed on the server
    paths = changed(pushed, published if published is not None else trusted)
    shown = ", ".join(paths[:10]) + (f" and {len(paths) - 10} more" if len(paths) > 10 else "")
    refusal.problems.append(f"this push changes code ({shown}): a push may change only data/ and the "
                            "Markdown pages and images in docs/")
    refusal.notes.append("kb: code reaches the server only through the maintainers' route: a reviewed change is "
                         "installed in the server's trusted checkout and pushed from there (README, Publishing). "
                         "If you did not mean to change code, undo those files and push again.")


def check_content(server: Server, new: str, old: str) -> list[str]:
    """Build the pushed content with the trusted code; every problem, data and pages alike.

    When the data has problems the build stops before the pages, so the pages are
    built again with the published version of the data files that have problems
    (or with all the published data), to report their problems in the same refusal.
    """
    with scratch(server.git_dir / "kb-work") as work:
        compose(server, new, work / "src")
        checked = checked_site(server, new)
        releases = Releases(server.publish_to) if checked is not None else None   # type: ignore[arg-type]
        site = work / "site" if releases is None else releases.checking()
        outcome = build_site(work / "src", site, server.build_environment(new), server.timeout,
                             last=releases.live() if releases is not None else None)
        if checked is not None:   # kept for the publish that follows an accepted push (`publish`)
            shutil.rmtree(checked, ignore_errors=True)
            if outcome.ok:
                site.rename(checked)
            else:
                shutil.rmtree(site, ignore_errors=True)
        problems = list(outcome.problems)
        bad_data = sorted({p.split(":")[0] for p in problems if p.startswith("data/")})
        if outcome.ok or not bad_data or old == ZERO or outcome.timed_out:
            return problems
        for data_from in ({path: old for path in bad_data}, _all_data(server, new, old)):
            shutil.rmtree(work / "src")
            compose(server, new, work / "src", data_from=data_from)
            pages = build_site(work / "src", work / "site", server.build_environment(new), server.timeout)
            if not any(p.startswith("data/") for p in pages.problems):
                return problems + [p for p in pages.problems if p not in problems]
        return problems


def checked_site(server: Server, commit: str) -> Path | None:
    """Where a push's check keeps the site it built of `commit`, which the publish of the same commit makes live
    instead of building it again: one build a push, not two. None where the server publishes nothing. Named by
    all the build is made from besides what is the same on the server from one minute to the next: the
    commit, the trusted code's commit, the build's settings and the day (the as-at date may be today's)."""
    if server.publish_to is None:
        return None
    settings = {name: value for name, value in server.build_environment(commit).items() if name.startswith("KB_")}
    code = git(server.checkout, "rev-parse", "--verify", "HEAD^{commit}", trusted=True).stdout.strip()
    key = digest(commit, code, json.dumps(settings, sort_keys=True), date.today().isoformat())[:32]
    return Releases(server.publish_to).checked(key)


def _all_data(server: Server, new: str, old: str) -> dict[str, str | None]:
    published = {p for p in tree(server.git_dir, old) if p.startswith("data/")}
    pushed = {p for p in tree(server.git_dir, new) if p.startswith("data/")}
    return {**{p: None for p in pushed - published}, **{p: old for p in published}}


def post_receive(server: Server, updates: list[tuple[str, str, str]]) -> int:
    if not any(ref == server.branch and new != ZERO for _, new, ref in updates):
        return 0
    return publish(server)


def publish(server: Server, rebuild: bool = False) -> int:
    """Build main's latest commit with the trusted code and make it the live release.

    Under the lock main is read again, so when pushes overlap the last publish is
    always of the latest commit, never of an older one finishing late.
    """
    if server.publish_to is None:
        say("kb: kb.publishdir is not set in this repository: nothing published")
        return 1
    releases = Releases(server.publish_to)
    with releases.lock(waiting=lambda: say("kb: waiting for another publish of this site to finish")):
        head = git(server.git_dir, "rev-parse", "--verify", "--quiet", f"{server.branch}^{{commit}}",
                   check=False).stdout.strip()
        if not head:
            say(f"kb: {server.branch} does not exist yet: nothing published")
            return 1
        live = releases.live()
        if live and live.name.endswith(f"-{head[:12]}") and not rebuild:
            say(f"kb: {head[:12]} is already live at {server.address}")
            return 0
        checked = None if rebuild else checked_site(server, head)
        # The lock is held already (and is not reentrant across handles): build and switch here.
        releases.clean_stale()
        if checked is not None and checked.is_dir():   # built by the push's check, from the same content
            staging = checked
            outcome = Outcome(True, [], count_pages(checked))
        else:
            with scratch(server.git_dir / "kb-work") as work:
                compose(server, head, work / "src")
                staging = releases.staging(head[:12])
                outcome = build_site(work / "src", staging, server.build_environment(head), server.timeout, last=live)
        if not outcome.ok:
            shutil.rmtree(staging, ignore_errors=True)
            _report_failure(head, live, outcome)
            return 1
        releases.switch(releases.promote(staging, head[:12]))
        releases.prune(server.keep)
    say(f"kb: published {head[:12]} ({outcome.pages} pages) at {server.address}")
    return 0


def _report_failure(head: str, live: Path | None, outcome: Outcome) -> None:
    still = f"the site still shows release {live.name}" if live else "nothing is published yet"
    say(f"kb: publishing {head[:12]} FAILED; {still}:")
    for problem in outcome.problems:
        say(f"  {problem}")


def say(message: str) -> None:
    """Tell the pusher; if they have gone (their connection closed), carry on without them."""
    try:
        print(message, file=sys.stderr, flush=True)
    except OSError:
        pass


def main(argv: list[str]) -> int:
    """hooks/git/kb-hook runs `python -m plugins.core.receive HOOK GIT_DIR` with the push on stdin."""
    hook, git_dir = argv
    try:
        server = Server.from_repo(Path(git_dir))
        updates = [tuple(line.split()) for line in sys.stdin if line.strip()]
        if hook == "pre-receive":
            return pre_receive(server, updates)  # type: ignore[arg-type]
        if hook == "post-receive":
            # main has moved already: finish publishing it even if the pusher hangs up part way.
            signal.signal(signal.SIGHUP, signal.SIG_IGN)
            signal.signal(signal.SIGPIPE, signal.SIG_IGN)
            return post_receive(server, updates)  # type: ignore[arg-type]
        say(f"kb: install kb-hook as pre-receive or post-receive, not {hook}")
        return 1
    except PublishError as error:
        say(f"kb: {error}")
        return 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
