"""Pages whose inputs have not changed are reused from the last build (plugins/core/reuse.py, hooks/reuse.py):
a build after an edit must be, byte for byte, the build made from nothing of the same content, and must
reuse the pages the edit did not touch."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.helpers import edit, make_project, run_mkdocs_build

REUSED = re.compile(r"kb: (\d+) of (\d+) pages unchanged since the last build, reused")


def _build(project: Path, site: Path, cache: Path | None) -> tuple[int, int]:
    """Build strictly; (pages reused, pages in all), (0, 0) when the cache is off."""
    result = run_mkdocs_build(project, site, {"KB_CACHE_DIR": str(cache) if cache else "off"})
    assert result.returncode == 0, f"build failed:\n{result.stdout}\n{result.stderr}"
    found = REUSED.search(result.stderr + result.stdout)
    assert (found is None) == (cache is None)
    return (int(found.group(1)), int(found.group(2))) if found else (0, 0)


def _differences(one: Path, other: Path) -> list[str]:
    files = {p.relative_to(one) for p in one.rglob("*") if p.is_file()}
    assert files == {p.relative_to(other) for p in other.rglob("*") if p.is_file()}
    return sorted(str(p) for p in files if (one / p).read_bytes() != (other / p).read_bytes())


@pytest.fixture
def project(tmp_path) -> Path:
    return make_project(tmp_path / "project")


def _same_as_from_nothing(project: Path, tmp_path: Path, cache: Path, name: str) -> tuple[int, int]:
    counts = _build(project, tmp_path / f"{name}-reusing", cache)
    _build(project, tmp_path / f"{name}-from-nothing", None)
    assert _differences(tmp_path / f"{name}-reusing", tmp_path / f"{name}-from-nothing") == []
    return counts


def test_after_a_one_record_edit_the_build_is_the_build_from_nothing_and_reuses_the_rest(project, tmp_path):
    cache = tmp_path / "cache"
    first = _build(project, tmp_path / "first", cache)
    assert first[0] == 0 and first[1] > 40
    again = _build(project, tmp_path / "again", cache)
    assert again == (first[1], first[1])   # nothing changed: every page reused
    assert _differences(tmp_path / "first", tmp_path / "again") == []

    edit(project / "data" / "actions.yml", "note: Demand exceeds places.", "note: Demand exceeds places; kb-edited.")
    reused, pages = _same_as_from_nothing(project, tmp_path, cache, "edited")
    assert pages == first[1] and 0 < reused < pages - 2   # the action's page, the lists showing it, made again
    assert reused > pages * 0.7
    assert "kb-edited" in (tmp_path / "edited-reusing" / "plan" / "actions" / "act-training" / "index.html").read_text()


def test_a_glossary_edit_or_a_menu_title_makes_the_pages_that_show_it_again(project, tmp_path):
    cache = tmp_path / "cache"
    pages = _build(project, tmp_path / "first", cache)[1]
    edit(project / "data" / "glossary.yml", "stands_for: Specialist Children's Services",
         "stands_for: Specialist Children's Services (kb-edited)")
    reused, _ = _same_as_from_nothing(project, tmp_path, cache, "glossary")
    assert reused < pages   # every page that explains SCS shows the new words
    edit(project / "mkdocs.yml", "  - About this site: about.md", "  - About this knowledge base: about.md")
    assert _same_as_from_nothing(project, tmp_path, cache, "menu") == (0, pages)   # the menu is on every page


def test_a_template_edit_makes_every_page_again(project, tmp_path):
    cache = tmp_path / "cache"
    pages = _build(project, tmp_path / "first", cache)[1]
    edit(project / "overrides" / "main.html", "{% block content %}", "{% block content %}<p>kb-edited</p>")
    assert _same_as_from_nothing(project, tmp_path, cache, "template") == (0, pages)
    assert "kb-edited" in (tmp_path / "template-reusing" / "index.html").read_text()


def test_a_failed_build_leaves_the_last_good_builds_pages_for_the_next(project, tmp_path):
    cache = tmp_path / "cache"
    pages = _build(project, tmp_path / "first", cache)[1]
    kept = sorted(p.name for p in cache.rglob("current/*"))
    assert len(kept) == pages
    (project / "docs" / "broken.md").write_text("# Broken\n\n[nowhere](missing.md)\n", encoding="utf-8")
    failed = run_mkdocs_build(project, tmp_path / "failed", {"KB_CACHE_DIR": str(cache)})
    assert failed.returncode != 0
    assert sorted(p.name for p in cache.rglob("current/*")) == kept
    assert not list(cache.rglob("next-*"))
    (project / "docs" / "broken.md").unlink()
    assert _build(project, tmp_path / "after", cache) == (pages, pages)


def test_only_the_stores_last_used_are_kept(tmp_path):
    import os

    from plugins.core import reuse

    folder = tmp_path / "pages"
    for number in range(reuse.KEEP_STORES + 3):
        store = folder / f"store-{number:02d}"
        (store / "current").mkdir(parents=True)
        os.utime(store, (1_000_000 + number, 1_000_000 + number))
    reuse._prune(folder)
    assert sorted(p.name for p in folder.iterdir()) == [f"store-{n:02d}" for n in range(3, reuse.KEEP_STORES + 3)]
