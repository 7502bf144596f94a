"""What editors wrote, read safely: data files and hand-written pages, before anything trusts them.

Content is refused, with the file and line, when it could reach past the
repository or into a reader's browser: symbolic links (a page linked to
/etc/passwd would be published), odd file names (they end up in URLs and edit
links), files too big to be pages or data, and control characters (ESC and NUL
have no place in text and would be published into the HTML).

`Content` is what the `check_content` hook is handed: every data file as parsed
and every hand-written page as written, whether or not the records are valid,
so checks on all text (personal data) report with every other problem.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from plugins.core.problems import Problem

if TYPE_CHECKING:
    from plugins.core.cache import ContentCache
    from plugins.core.knowledge import Collection
    from plugins.core.settings import Settings

MAX_PAGE_BYTES = 512_000
"""A hand-written page: the longest page of the site is under 20 KB."""
MAX_ASSET_BYTES = 10_000_000
"""An image or document in docs/."""

SAFE_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")
"""A file or folder name: letters, digits, '-', '_' and '.', starting with a letter or digit."""

CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]|\r(?!\n)")
"""Control characters (C0 and C1, DEL) except tab, newline and the carriage return of a Windows line end."""


@dataclass
class Content:
    """The text of the site's content as written: for checks that need no valid records."""

    settings: "Settings"
    data: dict[str, Any] = field(default_factory=dict)
    """Data files ('data/actions.yml') as parsed, with line numbers (LineDict / LineList). The items of a file
    read record by record may be plain mappings (records unchanged since the last load): `data.lined(index)`
    gives an item with its lines."""
    collections: dict[str, "Collection"] = field(default_factory=dict)
    """The collection each data file belongs to."""
    pages: dict[str, str] = field(default_factory=dict)
    """Hand-written pages ('docs/about.md') as written."""
    digests: dict[str, str] = field(default_factory=dict)
    """A digest of each data file's bytes, for keeping work on it (`cache`)."""
    cache: "ContentCache | None" = None
    """Work kept on unchanged files (plugins/core/cache.py); None: nothing is kept."""


def relative(path: Path, root: Path) -> str:
    try:
        return path.absolute().relative_to(root.absolute()).as_posix()
    except ValueError:
        return path.as_posix()


def walk(folder: Path, root: Path) -> tuple[list[Path], list[Problem]]:
    """Every regular file under `folder`, sorted; a symbolic link or unsafe name anywhere is a problem."""
    files: list[Path] = []
    problems: list[Problem] = []
    if folder.is_symlink():
        return [], [Problem(relative(folder, root), 1, "", f"is a symbolic link to {os.readlink(folder)}: "
                                                           "content may not link outside the repository")]
    for parent, folders, names in os.walk(folder):
        base = Path(parent)
        for name in sorted(folders + names):
            if name.startswith("."):
                continue  # hidden files are neither published nor read (.gitkeep)
            path = base / name
            where = relative(path, root)
            if path.is_symlink():
                problems.append(Problem(where, 1, "", f"a symbolic link (to {os.readlink(path)}): links are refused "
                                                      "in content; put the file itself here"))
            elif not SAFE_NAME.match(name):
                problems.append(Problem(where, 1, "", "file and folder names may hold only letters, digits, "
                                                      "'-', '_' and '.' (they become web addresses)"))
            elif path.is_file():
                files.append(path)
        folders[:] = sorted(f for f in folders if not f.startswith(".") and not (base / f).is_symlink()
                            and SAFE_NAME.match(f))
    return sorted(files), problems


def control_characters(text: str) -> Iterator[tuple[int, str]]:
    """(line, description) of every control character in `text`."""
    for match in CONTROL.finditer(text):
        line = text.count("\n", 0, match.start()) + 1
        yield line, f"U+{ord(match.group()):04X}"


def front_matter_problems(file: str, text: str) -> list[Problem]:
    """A page's front matter, read as MkDocs will read it, but bounded first (no aliases), and limited
    to the keys a page needs, with plain values."""
    from plugins.core.loader import load_yaml_text

    match = FRONT_MATTER.match(text)
    if not match:
        return []
    data, found = load_yaml_text(match.group(1))
    problems = [Problem(file, p.line + 1, "", f"front matter: {p.message}") for p in found]
    if found or data is None:
        return problems
    if not isinstance(data, dict):
        return [Problem(file, 2, "", "front matter: expected fields such as 'title: ...'")]
    for key, value in data.items():
        line = getattr(data, "key_lines", {}).get(key, 1) + 1
        kind = FRONT_MATTER_KEYS.get(key)
        if kind is None:
            problems.append(Problem(file, line, "", f"front matter: '{key}' is not allowed here "
                                                    f"(allowed: {', '.join(FRONT_MATTER_KEYS)})"))
        elif not isinstance(value, kind) or (kind is bool) != isinstance(value, bool):
            problems.append(Problem(file, line, "", f"front matter: {key} must be {kind.__name__}"))
        elif kind is str and (re.search(r"[\"<>\n]", value) or len(value) > 300):
            problems.append(Problem(file, line, "", f"front matter: {key} must be one line of plain text "
                                                    "without quotation marks or angle brackets"))
        elif key == "hide" and not set(map(str, value)) <= HIDE:
            problems.append(Problem(file, line, "", f"front matter: hide may list only {', '.join(sorted(HIDE))}"))
        elif key == "search" and not (set(value) <= {"exclude", "boost"}
                                      and all(isinstance(v, (bool, int, float)) for v in value.values())):
            problems.append(Problem(file, line, "", "front matter: search may set only exclude or boost"))
    return problems


def read_text(path: Path, file: str, limit: int) -> tuple[str | None, list[Problem]]:
    """A text file's content, refused when too big, not UTF-8, or holding control characters."""
    size = path.stat().st_size
    if size > limit:
        return None, [Problem(file, 1, "", f"{size:,} bytes is more than the {limit:,} a file here may hold")]
    try:
        text = path.read_bytes().decode("utf-8")
    except UnicodeDecodeError as error:
        line = path.read_bytes()[:error.start].count(b"\n") + 1
        return None, [Problem(file, line, "", f"not UTF-8 text ({error.reason})")]
    problems = [Problem(file, line, "", f"control character {code} is not allowed in text")
                for line, code in control_characters(text)]
    return (None if problems else text), problems[:20]


TEXT_SUFFIXES = (".md", ".txt", ".csv")
"""Files in docs/ that are read as text: pages, and what a page may include (pymdownx.snippets)."""
MAX_FILES = 20_000
"""Files under docs/: far more than a knowledge base of hand-written pages needs."""

FRONT_MATTER = re.compile(r"\A---[ \t]*\r?\n(.*?\r?\n)(?:---|\.\.\.)[ \t]*(?:\r?\n|\Z)", re.S)
FRONT_MATTER_KEYS = {"title": str, "description": str, "hide": list, "render_macros": bool, "search": dict,
                     "status": str, "icon": str}
"""What a page may set in its front matter. The theme writes some of it into HTML attributes unescaped
(the description), so text there may not hold quotes or angle brackets."""
HIDE = {"navigation", "toc", "footer", "path", "tags", "feedback"}


def read_pages(docs_dir: Path, root: Path) -> tuple[dict[str, str], list[Problem]]:
    """Every hand-written page (and text a page may include) under docs/, and every problem that makes a
    file unsafe to read: a build must stop before MkDocs reads any of them."""
    if not docs_dir.exists():
        return {}, []
    files, problems = walk(docs_dir, root)
    if len(files) > MAX_FILES:
        return {}, problems + [Problem(relative(docs_dir, root), 1, "", f"{len(files):,} files is more than "
                                                                         f"the {MAX_FILES:,} docs/ may hold")]
    pages = {}
    for path in files:
        file = relative(path, root)
        if path.suffix in TEXT_SUFFIXES:
            text, found = read_text(path, file, MAX_PAGE_BYTES)
            if text is not None and path.suffix == ".md":
                found += front_matter_problems(file, text)
            problems += found
            if text is not None and not found:
                pages[file] = text
        elif path.stat().st_size > MAX_ASSET_BYTES:
            problems.append(Problem(file, 1, "", f"{path.stat().st_size:,} bytes is more than the "
                                                 f"{MAX_ASSET_BYTES:,} a file here may hold"))
    return pages, problems
