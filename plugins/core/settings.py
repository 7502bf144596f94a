"""One settings object, read once from the environment and used by the MkDocs hooks and the `kb` command alike.

    KB_DATA_DIR        build from another data folder (default: data/ beside mkdocs.yml)
    KB_AS_AT           show the site as at YYYY-MM-DD, or `today` (default: the latest recorded date)
    KB_CLASSIFICATION  the highest classification this build may publish (default: unrestricted)
    KB_EDIT_URL        where "edit this page" points, e.g. https://git.example/kb/-/edit/main
    KB_EDITION         internal (default: every page) or public (plugins/core/editions.py)
    KB_PLUGINS         extra plugin files or packages by path, separated by ':'
    KB_GIT_DIR         the git repository to read the history of content from, when the build's folder is not a
                       checkout (a publishing hook building an exported commit); default: the checkout's own
    KB_GIT_REV         the commit whose history is read (default HEAD)
    KB_ZENSICAL        the `zensical` program `kb build --engine zensical` runs (default: .venv-zensical's, else
                       the one on the path; plugins/core/zensical.py)
    KB_CACHE_DIR       where parsed data files and the personal-data guard's scans are kept by content digest
                       (default: $XDG_CACHE_HOME/kent-kb or ~/.cache/kent-kb; `off`: no cache; plugins/core/cache.py)
    KB_LAST_SITE       the site the last build made (the live release, the site the preview serves): pages that
                       have not changed are linked from it, not written again (set by `kb build`, a publish and
                       the preview; plugins/core/reuse.py)
    KB_SPARE_SITE      a retired site emptied of its files (the preview's last but one): a build moves its folders
                       into its own site, and so makes no folder again that a page had before (set by the
                       preview; plugins/core/reuse.py, `take_folders`)
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path

from plugins.core.cache import OFF as CACHE_OFF, ContentCache, default_folder
from plugins.core.classifications import CLASSIFICATIONS

DATA_DIR = "KB_DATA_DIR"
AS_AT = "KB_AS_AT"
CLASSIFICATION = "KB_CLASSIFICATION"
EDIT_URL = "KB_EDIT_URL"
PLUGINS = "KB_PLUGINS"
GIT_DIR = "KB_GIT_DIR"
GIT_REV = "KB_GIT_REV"
EDITION = "KB_EDITION"
ZENSICAL = "KB_ZENSICAL"
CACHE_DIR = "KB_CACHE_DIR"
LAST_SITE = "KB_LAST_SITE"
SPARE_SITE = "KB_SPARE_SITE"
EDITIONS = ("internal", "public")
GIT_OBJECTS = ("GIT_OBJECT_DIRECTORY", "GIT_ALTERNATE_OBJECT_DIRECTORIES", "GIT_QUARANTINE_PATH")
"""Where git finds objects, as a pre-receive hook sees them (the quarantine holding a push's objects):
passed on to a build reading the pushed commit's history, never taken from anywhere else."""


class SettingsError(ValueError):
    """A setting has a value the build cannot use; the message says which and what is allowed."""


@dataclass(frozen=True)
class Settings:
    root: Path
    """The folder holding mkdocs.yml."""
    data_dir: Path
    as_at: date | None = None
    """Show the site as at this date; None: the latest date recorded in the data."""
    classification: str = "unrestricted"
    edit_url: str = ""
    plugins: tuple[Path, ...] = ()
    git_dir: Path | None = None
    """Where the history of content is read from when the project folder is not a checkout."""
    git_rev: str = "HEAD"
    today: date = field(default_factory=date.today)
    edition: str = "internal"
    """internal: every page; public: only what is fit for the open web (plugins/core/editions.py)."""
    zensical: Path | None = None
    """The Zensical program, when named (KB_ZENSICAL); else it is looked for (plugins/core/zensical.py)."""
    cache_dir: Path | None = None
    """Where work on unchanged files is kept (KB_CACHE_DIR); None: nothing is kept."""
    last_site: Path | None = None
    """The site the last build made (KB_LAST_SITE), whose unchanged pages' files a build links into its own."""
    spare_site: Path | None = None
    """A retired site emptied of its files (KB_SPARE_SITE), whose folders a build moves into its own."""

    def cache(self) -> ContentCache:
        return ContentCache(self.cache_dir)

    @classmethod
    def from_environment(cls, root: Path, environ: Mapping[str, str] | None = None, **overrides) -> "Settings":
        """Read every KB_* variable once; raise SettingsError naming the variable and what it allows."""
        env = os.environ if environ is None else environ
        root = Path(root).resolve()
        today = overrides.pop("today", None) or date.today()
        settings = cls(
            root=root,
            data_dir=Path(env.get(DATA_DIR) or root / "data").resolve(),
            as_at=parse_as_at(env.get(AS_AT, ""), today, AS_AT),
            classification=parse_classification(env.get(CLASSIFICATION, "")),
            edit_url=env.get(EDIT_URL, "").strip().rstrip("/"),
            plugins=tuple(Path(p) for p in env.get(PLUGINS, "").split(os.pathsep) if p.strip()),
            git_dir=Path(env[GIT_DIR]).resolve() if env.get(GIT_DIR, "").strip() else None,
            git_rev=env.get(GIT_REV, "").strip() or "HEAD",
            today=today,
            edition=parse_edition(env.get(EDITION, "")),
            zensical=Path(env[ZENSICAL]).expanduser().absolute() if env.get(ZENSICAL, "").strip() else None,
            cache_dir=parse_cache_dir(env),
            last_site=Path(env[LAST_SITE]).absolute() if env.get(LAST_SITE, "").strip() else None,
            spare_site=Path(env[SPARE_SITE]).absolute() if env.get(SPARE_SITE, "").strip() else None,
        )
        return replace(settings, **{k: v for k, v in overrides.items() if v is not None})


def parse_as_at(text: str, today: date, name: str = AS_AT) -> date | None:
    text = text.strip()
    if not text:
        return None
    if text == "today":
        return today
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise SettingsError(f"{name}={text!r} is not a date: write YYYY-MM-DD or 'today'") from None


def parse_cache_dir(env: Mapping[str, str]) -> Path | None:
    text = env.get(CACHE_DIR, "").strip()
    if text.lower() == CACHE_OFF:
        return None
    return Path(text).expanduser().absolute() if text else default_folder(env)


def parse_edition(text: str) -> str:
    value = text.strip().lower() or "internal"
    if value not in EDITIONS:
        raise SettingsError(f"{EDITION}={text!r} is not an edition: use one of {', '.join(EDITIONS)}")
    return value


def parse_classification(text: str) -> str:
    value = text.strip().lower() or "unrestricted"
    if value not in CLASSIFICATIONS:
        raise SettingsError(f"{CLASSIFICATION}={text!r} is not a classification: "
                            f"use one of {', '.join(CLASSIFICATIONS)}")
    return value
