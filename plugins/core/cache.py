"""Work done on a file's content, kept on disk by a digest of that content, so an unchanged file is not
parsed or scanned again on the next run.

Used for the two costs of reading data/ that grow with it: parsing the YAML
(`loader.load_yaml`) and the personal-data guard's scan of every value
(plugins/safety). An entry's key is a digest of the file's bytes and of the code
that made the entry (`code_digest`), so a changed file or a changed parser or
detector never meets an old entry. Entries are JSON, never pickle: reading one
cannot run code. The folder is the user's cache (KB_CACHE_DIR, by default
`$XDG_CACHE_HOME/kent-kb` or `~/.cache/kent-kb`), outside the repository, so a
push cannot bring an entry with it; `KB_CACHE_DIR=off` turns the cache off (the
benchmark's cold builds run so). Only the newest `KEEP` entries are kept.

The same folder keeps the compiled templates of the theme and the plugins
(`keep_compiled_templates`, Jinja's bytecode cache, under templates/): those are code,
as Python's own __pycache__ is, made from the project's and the theme's templates only.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import sys
import tempfile
import time
from collections.abc import Mapping
from pathlib import Path
from typing import Any

KEEP = 512
"""Entries kept: enough for every data file of several checkouts; the oldest are removed first."""
OFF = "off"


def default_folder(environ: Mapping[str, str]) -> Path:
    base = environ.get("XDG_CACHE_HOME", "").strip() or str(Path.home() / ".cache")
    return Path(base) / "kent-kb"


def digest(*parts: bytes | str) -> str:
    hasher = hashlib.sha256()
    for part in parts:
        data = part.encode("utf-8") if isinstance(part, str) else part
        hasher.update(len(data).to_bytes(8, "big"))
        hasher.update(data)
    return hasher.hexdigest()


def code_digest(*modules: str) -> str:
    """A digest of the source of the modules (by name) that make an entry: new code, new keys."""
    sources = []
    for name in modules:
        module = sys.modules[name]
        sources.append(Path(module.__file__ or "").read_bytes() if getattr(module, "__file__", None) else name)
    return digest(*sources)


def older_than(path: Path, seconds: float) -> bool:
    """Whether a file or folder was last changed more than `seconds` ago (False if it is gone)."""
    try:
        return time.time() - path.stat().st_mtime > seconds
    except OSError:
        return False


def in_use(cache: "ContentCache | None") -> "ContentCache | None":
    """The cache, or None when there is none or it keeps nothing (`KB_CACHE_DIR=off`): work done only to be
    put in it (encoding, digests) can then be skipped."""
    return cache if cache is not None and cache.keeps else None


class ContentCache:
    """`get(kind, key)` and `put(kind, key, value)`; with no folder, a cache that keeps nothing.

    What is put waits until `keep()`: the loader calls it only when every check passed, so no entry ever
    holds content the build refused (a push refused for naming a child leaves nothing of it behind)."""

    def __init__(self, folder: Path | None) -> None:
        self.folder = folder
        self.waiting: dict[tuple[str, str], Any] = {}

    @property
    def keeps(self) -> bool:
        """False for the cache that keeps nothing: work done only to be put in it can be skipped."""
        return self.folder is not None

    def _path(self, kind: str, key: str) -> Path:
        assert self.folder is not None
        return self.folder / f"{kind}-{key}.json"

    def get(self, kind: str, key: str) -> Any | None:
        if self.folder is None:
            return None
        try:
            with open(self._path(kind, key), encoding="utf-8") as file:
                return json.load(file)
        except (OSError, ValueError):   # no entry, or one cut short: made again
            return None

    def put(self, kind: str, key: str, value: Any) -> None:
        if self.folder is not None:
            self.waiting[(kind, key)] = value

    def keep(self) -> None:
        """Write what was put since the last call (the content it comes from passed every check)."""
        waiting, self.waiting = self.waiting, {}
        for (kind, key), value in waiting.items():
            self._write(kind, key, value)

    def _write(self, kind: str, key: str, value: Any) -> None:
        assert self.folder is not None
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            handle, temporary = tempfile.mkstemp(dir=self.folder, suffix=".tmp")
            with os.fdopen(handle, "w", encoding="utf-8") as file:
                file.write(json.dumps(value, separators=(",", ":")))   # dumps: json's C encoder; dump is Python
            os.replace(temporary, self._path(kind, key))   # readers see the whole entry or none
            self._prune()
        except OSError:   # a cache that cannot be written only costs time
            return

    def _prune(self) -> None:
        assert self.folder is not None
        entries = [entry for entry in os.scandir(self.folder) if entry.name.endswith(".json")]
        if len(entries) <= KEEP:
            return
        entries.sort(key=lambda entry: entry.stat().st_mtime)
        for entry in entries[:len(entries) - KEEP]:
            try:
                os.unlink(entry.path)
            except OSError:
                pass


def keep_compiled_templates(env: Any, folder: Path | None, kind: str, root: Path | None = None) -> None:
    """Let a Jinja environment keep its compiled templates between builds (Jinja's bytecode cache), in
    `folder`/templates: compiling the theme's and the plugins' templates was a fifth of building the real site.

    Compiled templates are code, like Python's own __pycache__, and are made only from the project's
    templates and the theme's (never from data or pages: those are not compiled this way). They are kept
    in the user's cache folder, outside the repository, so a push cannot bring one. Jinja recompiles a
    template whose source differs from the one an entry was made from; the entry's folder is named by
    Jinja's version and every setting of the environment that changes the code made (`kind` keeps apart
    environments that could load one file differently).

    An entry is found by the template's name and its file's path, relative to the project's folder (`root`)
    for a file in it: a publishing server builds each push in a new folder, and by the absolute path it
    compiled every template again on every push (a twentieth of a one-record push at 5,679 pages) and kept
    a new copy of each. Two files at the same place in two projects share an entry: Jinja compares the
    source's checksum with the entry's and compiles again when they differ."""
    if folder is None:
        return
    import jinja2

    autoescape = env.autoescape if isinstance(env.autoescape, bool) else getattr(env.autoescape, "__qualname__", "")
    finalize = getattr(env.finalize, "__qualname__", "") if env.finalize is not None else ""
    settings = [jinja2.__version__, kind, env.block_start_string, env.block_end_string, env.variable_start_string,
                env.variable_end_string, env.comment_start_string, env.comment_end_string,
                str(env.line_statement_prefix), str(env.line_comment_prefix), str(env.trim_blocks),
                str(env.lstrip_blocks), env.newline_sequence, str(env.keep_trailing_newline), str(env.optimized),
                str(env.is_async), str(autoescape), finalize, *sorted(env.extensions)]
    place = folder / "templates" / digest(*settings)[:20]
    try:
        place.mkdir(parents=True, exist_ok=True, mode=0o700)
    except OSError:   # a cache that cannot be written only costs time
        return
    env.bytecode_cache = _compiled_templates()(str(place), root)


@functools.cache
def _compiled_templates() -> type:
    """The bytecode cache's class, made once it is needed (importing Jinja is left to what renders)."""
    import jinja2

    class CompiledTemplates(jinja2.FileSystemBytecodeCache):
        """Jinja's bytecode cache, with entries found by a template's path in the project (above)."""

        def __init__(self, directory: str, root: Path | None) -> None:
            super().__init__(directory)
            self.root = str(root.resolve()) + os.sep if root is not None else None

        def get_cache_key(self, name: str, filename: str | None = None) -> str:
            path = os.path.abspath(filename) if filename and self.root else ""
            return super().get_cache_key(name, path[len(self.root):] if self.root and path.startswith(self.root)
                                         else filename)

    return CompiledTemplates
