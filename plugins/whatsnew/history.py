"""The history of the content in git: which records and pages each commit changed, when, why, and by which role.

`git log` lists the commits that touched data/ or docs/; `git cat-file --batch`
fetches each changed data file as it was before and after the commit, so a
change to one action in data/actions.yml is put down to that action, not to
every page the file feeds. Who made a change is read from a `Role:` trailer in
the commit message and shown only as a role; names and e-mail addresses are
never read.

The build works without git: with no repository there is no history, and What's
new lists the data's own amendments. A publishing hook that builds an exported
commit points at its repository with KB_GIT_DIR (and KB_GIT_REV).
"""

from __future__ import annotations

import json
import os
import re
import subprocess
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import yaml

from plugins.core.cache import code_digest, digest
from plugins.core.settings import GIT_OBJECTS, Settings

ROLE_TRAILER = "Role"
_CODE = code_digest(__name__)
_LOCATING = ("GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE", "GIT_PREFIX", "GIT_COMMON_DIR")


@dataclass(frozen=True)
class FileChange:
    path: str
    """Relative to the project folder: 'data/actions.yml', 'docs/staff/index.md'."""
    changed: frozenset[str] = frozenset()
    """For a data file: ids of the records the commit added or changed."""
    removed: tuple[str, ...] = ()
    """For a data file: what the records it removed were called."""


@dataclass(frozen=True)
class Commit:
    sha: str
    when: datetime
    subject: str
    role: str
    """The `Role:` trailer as written ('' when there is none)."""
    files: tuple[FileChange, ...]


@dataclass(frozen=True)
class _Repository:
    command: tuple[str, ...]
    prefix: str
    """The project folder relative to the repository's top ('' when they are the same)."""
    rev: str
    environment: dict[str, str]


def read_history(settings: Settings, data: str, docs: str) -> list[Commit]:
    """Commits, newest first, that changed the project's `data` or `docs` folder (paths relative to the project
    folder, e.g. 'data', 'docs'); [] without git."""
    repository = _repository(settings)
    if repository is None:
        return []
    log = _run(repository, ["-c", "core.quotePath=false", "log", "--no-renames", "--name-only", repository.rev,
                            f"--format=%x1e%H%x1f%cI%x1f%s%x1f%(trailers:key={ROLE_TRAILER},valueonly,separator=%x1d)",
                            "--", f"{repository.prefix}{data}", f"{repository.prefix}{docs}"])
    if log is None:
        return []
    commits = [_parse(block, repository.prefix) for block in log.split("\x1e") if block.strip()]
    changes = _data_changes(settings, repository, [(commit.sha, path) for commit in commits
                                                   for path in commit_files(commit) if _is_data(path, data)])
    return [Commit(c.sha, c.when, c.subject, c.role,
                   tuple(changes[(c.sha, path)] if _is_data(path, data) else FileChange(path)
                         for path in commit_files(c)))
            for c in commits]


def _data_changes(settings: Settings, repository: _Repository,
                  wanted: list[tuple[str, str]]) -> dict[tuple[str, str], FileChange]:
    """What each (commit, data file) changed, record by record.

    A commit never changes, so neither does what it did to a file: the answers are kept in the cache
    (plugins/core/cache.py, one entry for the project) and only commits not met before are read. Reading
    one means parsing the file as it was before and after the commit; without the cache every build
    did that for the whole history, so a build's cost grew with every commit of a large file (two
    parses of a 1.3 MB data/actions.yml, 2.4 s, for each commit that changed it)."""
    cache = settings.cache()
    key = digest(repository.prefix, _CODE)   # commits are named by their content: one table serves every clone
    kept: dict[str, list] = cache.get("history", key) or {}
    found: dict[tuple[str, str], FileChange] = {}
    unread = []
    for sha, path in wanted:
        entry = kept.get(f"{sha}:{path}")
        if entry is None:
            unread.append((sha, path))
        else:
            found[(sha, path)] = FileChange(path, frozenset(entry[0]), tuple(entry[1]))
    if not unread:
        return found
    prefix = repository.prefix
    blobs = _blobs(repository, [f"{sha}^:{prefix}{path}" for sha, path in unread]
                   + [f"{sha}:{prefix}{path}" for sha, path in unread])
    known = len(kept)
    for sha, path in unread:
        change = found[(sha, path)] = _file_change(sha, path, blobs, prefix)
        if f"{sha}^:{prefix}{path}" in blobs and f"{sha}:{prefix}{path}" in blobs:
            # both versions read (a file added or removed, or a read git cut short, is read again next time)
            kept[f"{sha}:{path}"] = [sorted(change.changed), list(change.removed)]
    if len(kept) > known:   # the table is written again only when it learnt something
        cache.put("history", key, kept)
        cache.keep()   # called once the data has passed every check: the build stops before history otherwise
    return found


def _is_data(path: str, data: str) -> bool:
    return path.startswith(f"{data}/") and path.endswith((".yml", ".yaml"))


def commit_files(commit: Commit) -> list[str]:
    return [f.path for f in commit.files]


def _repository(settings: Settings) -> _Repository | None:
    environment = {k: v for k, v in os.environ.items() if k not in _LOCATING}
    if settings.git_dir is not None:  # an exported commit: the project folder is the repository's top
        return _Repository(("git", f"--git-dir={settings.git_dir}"), "", settings.git_rev, environment)
    environment = {k: v for k, v in environment.items() if k not in GIT_OBJECTS}
    root = settings.root
    found = _run(_Repository(("git", "-C", str(root)), "", "", environment), ["rev-parse", "--show-toplevel"])
    if found is None:
        return None
    top = Path(found.strip()).resolve()
    try:
        prefix = root.resolve().relative_to(top).as_posix()
    except ValueError:
        return None
    return _Repository(("git", "-C", str(top)), "" if prefix == "." else f"{prefix}/", settings.git_rev, environment)


def _run(repository: _Repository, arguments: list[str], stdin: bytes | None = None) -> str | None:
    try:
        result = subprocess.run([*repository.command, *arguments], input=stdin, capture_output=True,
                                env=repository.environment, timeout=120)
    except (OSError, subprocess.TimeoutExpired):
        return None  # no git on this machine: no history
    return result.stdout.decode("utf-8", "replace") if result.returncode == 0 else None


def _parse(block: str, prefix: str) -> Commit:
    header, _, names = block.partition("\n")
    sha, when, subject, roles = (header.split("\x1f") + ["", "", "", ""])[:4]
    role = next((r.strip() for r in roles.split("\x1d") if r.strip()), "")
    files = tuple(FileChange(name.removeprefix(prefix)) for name in names.splitlines()
                  if name.strip() and name.startswith(prefix))
    return Commit(sha, datetime.fromisoformat(when), " ".join(subject.split()), role, files)


def _blobs(repository: _Repository, names: list[str]) -> dict[str, bytes]:
    """The content of each `rev:path` that exists, in one `git cat-file --batch`."""
    if not names:
        return {}
    try:
        result = subprocess.run([*repository.command, "cat-file", "--batch"], input="\n".join(names).encode() + b"\n",
                                capture_output=True, env=repository.environment, timeout=300)
    except (OSError, subprocess.TimeoutExpired):
        return {}
    output, position, found = result.stdout, 0, {}
    for name in names:
        end = output.find(b"\n", position)
        if end < 0:
            break  # git stopped early: the rest are treated as unreadable
        header = output[position:end].split()
        position = end + 1
        if len(header) == 3 and header[1] == b"blob":
            size = int(header[2])
            found[name] = output[position:position + size]
            position += size + 1
    return found


def _records(content: bytes | None) -> dict[str, str] | None:
    """A data file's records by id, each as canonical JSON for comparison; None if it cannot be read."""
    if content is None:
        return {}
    try:
        items = yaml.load(content.decode("utf-8"), Loader=yaml.CSafeLoader)  # safe: plain values only
    except (yaml.YAMLError, UnicodeDecodeError, ValueError):  # ValueError: a date such as 2012-07-32
        return None  # a pushed file being checked may be broken: the build reports it, at its line
    if items is None:
        return {}
    if not isinstance(items, list):
        return None
    return {str(item["id"]): json.dumps(item, sort_keys=True, default=str)
            for item in items if isinstance(item, dict) and "id" in item}


_PLAIN_ID = re.compile(r"^- id: ([A-Za-z0-9][A-Za-z0-9_.-]*)[ \t]*\r?$", re.M)
"""The first line of a record that starts with its id, plainly written (ids are slugs)."""


def _records_apart(before: bytes | None, after: bytes | None) -> tuple[dict[str, str], dict[str, str]] | None:
    """What `_records` gives for the two versions of a file a commit changed, as far as it tells what changed:
    a record whose text is the same in both is the same record, so only the records whose text differs are
    parsed (each alone), and the others are given the same value on both sides. A commit to a large file
    changes a few records; parsing both versions whole took over a second a push at 5,600 pages. None (parse
    both whole) for a version that is not plainly a list of records each starting with its plain id, with
    each id once, or a record that does not parse alone as one record."""
    if before is None or after is None:
        return None
    try:
        texts = [_record_texts(version.decode("utf-8")) for version in (before, after)]
    except UnicodeDecodeError:
        return None
    if texts[0] is None or texts[1] is None:
        return None
    same = set(texts[0]) & set(texts[1])
    found: list[dict[str, str]] = []
    for version in texts:
        records: dict[str, str] = {}
        for text, record_id in version.items():
            if text in same:
                records[record_id] = "unchanged " + text   # the same on both sides, never parsed
                continue
            try:
                items = yaml.load(text, Loader=yaml.CSafeLoader)  # safe: plain values only
            except (yaml.YAMLError, ValueError):
                return None
            if not (isinstance(items, list) and len(items) == 1 and isinstance(items[0], dict)
                    and str(items[0].get("id")) == record_id):
                return None
            records[record_id] = json.dumps(items[0], sort_keys=True, default=str)
        found.append(records)
    return found[0], found[1]


def _record_texts(text: str) -> dict[str, str] | None:
    """Each record's text (comments and blank lines before the first belong to it) and its id, by text; None if
    the file is not so plainly made (`loader._items`), a record does not start with its id, or an id or a text
    is there twice."""
    from plugins.core.loader import _items

    spans = _items(text)
    if not spans:
        return None
    found: dict[str, str] = {}
    for _, begin, end in spans:
        record = text[begin:end]
        start = _PLAIN_ID.search(record)
        if start is None or not all(line.lstrip().startswith("#") or not line.strip()
                                    for line in record[:start.start()].splitlines()):
            return None
        if record in found:
            return None
        found[record] = start.group(1)
    if len(set(found.values())) != len(found):
        return None
    return found


def _name(canonical: str, record_id: str) -> str:
    raw = json.loads(canonical)
    return str(raw.get("title") or raw.get("name") or raw.get("term") or record_id)


def _file_change(sha: str, path: str, blobs: dict[str, bytes], prefix: str) -> FileChange:
    before_text, after_text = blobs.get(f"{sha}^:{prefix}{path}"), blobs.get(f"{sha}:{prefix}{path}")
    apart = _records_apart(before_text, after_text)
    before, after = apart if apart is not None else (_records(before_text), _records(after_text))
    if before is None or after is None:
        return FileChange(path)  # one side is not readable YAML: the change cannot be put down to records
    changed = frozenset(i for i, record in after.items() if before.get(i) != record)
    removed = tuple(_name(record, i) for i, record in before.items() if i not in after)
    return FileChange(path, changed, removed)
