"""Build real sites in temporary folders and read what they produced."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TINY_DATA = ROOT / "tests" / "fixtures" / "tiny-data"
SITE_SOURCES = ("mkdocs.yml", "docs", "overrides", "hooks")


def make_project(dest: Path, data: Path = TINY_DATA, sources: tuple[str, ...] = SITE_SOURCES) -> Path:
    """A copy of the site's configuration and pages (or the other `sources` named) with its own data/ (tiny by
    default)."""
    dest.mkdir(parents=True, exist_ok=True)
    for name in sources:
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, dest / name, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy2(source, dest / name)
    shutil.copytree(data, dest / "data")
    return dest


def run_mkdocs_build(project: Path, site_dir: Path | None = None, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    site_dir = site_dir or project / "site"
    environment = {**os.environ, "NO_MKDOCS_2_WARNING": "1", **(env or {})}
    environment.pop("KB_DATA_DIR", None)
    return subprocess.run(
        # Never -q: MkDocs drops warnings before counting them, and --strict would pass.
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-f", str(project / "mkdocs.yml"), "-d", str(site_dir)],
        capture_output=True, text=True, env=environment, cwd=project,
    )


def build_project(project: Path, site_dir: Path | None = None, env: dict[str, str] | None = None) -> Path:
    """Build strictly; fail the test on any error or warning; return the site folder."""
    site_dir = site_dir or project / "site"
    result = run_mkdocs_build(project, site_dir, env)
    assert result.returncode == 0, f"build failed:\n{result.stdout}\n{result.stderr}"
    assert "WARNING" not in result.stderr, result.stderr
    return site_dir


def run_kb(*args: str, cwd: Path, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    environment = {**os.environ, "NO_MKDOCS_2_WARNING": "1", **(env or {})}
    return subprocess.run([sys.executable, "-m", "plugins.core.cli", *args], capture_output=True, text=True,
                          cwd=cwd, env=environment)


def page(site: Path, url_path: str) -> str:
    """The HTML of a built page, by its URL path ('plan/sources/x/')."""
    return (site / url_path / "index.html").read_text(encoding="utf-8")


INLINE = {"a", "abbr", "span", "strong", "em", "code", "time", "cite", "dfn", "b", "i", "small"}


class _Reader(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.text: list[str] = []
        self.scripts: list[str] = []
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self._in_script = False
        self._in_article = 0

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        if tag not in INLINE:
            self.text.append(" ")
        if tag == "script":
            self._in_script = True
            self.scripts.append("")
        if tag == "article":
            self._in_article += 1

    def handle_endtag(self, tag):
        if tag not in INLINE:
            self.text.append(" ")
        if tag == "script":
            self._in_script = False
        if tag == "article":
            self._in_article -= 1

    def handle_data(self, data):
        if self._in_script:
            self.scripts[-1] += data
        elif self._in_article:
            self.text.append(data)


def read_html(html: str) -> _Reader:
    reader = _Reader()
    reader.feed(html)
    return reader


def article_text(html: str) -> str:
    """The visible text of a page's article, whitespace collapsed, entities decoded."""
    return " ".join("".join(read_html(html).text).split())


class _Tables(HTMLParser):
    """Every <table> with a caption, as rows of cell text."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tables: dict[str, list[list[str]]] = {}
        self._caption: list[str] | None = None
        self._rows: list[list[str]] | None = None
        self._cell: list[str] | None = None

    def handle_starttag(self, tag, attrs):
        if tag == "table":
            self._rows = []
        elif tag == "caption":
            self._caption = []
        elif tag == "tr" and self._rows is not None:
            self._rows.append([])
        elif tag in ("td", "th") and self._rows is not None:
            self._cell = []

    def handle_endtag(self, tag):
        if tag == "caption" and self._caption is not None:
            self._name = " ".join("".join(self._caption).split())
            self._caption = None
        elif tag in ("td", "th") and self._cell is not None and self._rows:
            self._rows[-1].append(" ".join("".join(self._cell).split()))
            self._cell = None
        elif tag == "table" and self._rows is not None:
            self.tables[getattr(self, "_name", "")] = [r for r in self._rows if r]
            self._rows, self._name = None, ""

    def handle_data(self, data):
        if self._caption is not None:
            self._caption.append(data)
        elif self._cell is not None:
            self._cell.append(data)


def tables(html: str) -> dict[str, list[list[str]]]:
    reader = _Tables()
    reader.feed(html)
    return reader.tables


def load(data: Path = ROOT / "data", **settings):
    """The checked data of a data folder, its parent standing for the project (so files read 'data/x.yml')."""
    from plugins.core.loading import load_knowledge
    from plugins.core.manager import get_plugin_manager
    from plugins.core.settings import Settings

    return load_knowledge(get_plugin_manager(), Settings(root=data.parent, data_dir=data, **settings))


def edit(path: Path, old: str, new: str, count: int = 1) -> None:
    """Change a file as an editor would: `old` must be there (a test that edits nothing proves nothing)."""
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, count), encoding="utf-8")
