"""Pages whose inputs have not changed are reused from the last build (plugins/core/reuse.py, hooks/reuse.py):
a build after an edit must be, byte for byte, the build made from nothing of the same content, and must
reuse the pages the edit did not touch."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.helpers import edit, make_project, run_mkdocs_build

REUSED = re.compile(r"kb: (\d+) of (\d+) pages unchanged since the last build, reused \((\d+) of them not made again\)")
RECALLED = re.compile(r"; (\d+) of (\d+) outlines and glossary passes recalled")


_log: list[str] = []
"""What each build said, the last at the end."""


def _build(project: Path, site: Path, cache: Path | None, recalled: list | None = None,
           kept: list | None = None, env: dict[str, str] | None = None) -> tuple[int, int]:
    """Build strictly; (pages reused, pages in all), (0, 0) when the cache is off. `recalled` is given the
    (outlines and glossary passes recalled, in all); `kept`, the reused pages that were not made at all."""
    result = run_mkdocs_build(project, site, {"KB_CACHE_DIR": str(cache) if cache else "off", **(env or {})})
    _log.append(result.stderr + result.stdout)
    assert result.returncode == 0, f"build failed:\n{result.stdout}\n{result.stderr}"
    # A reused page is copied into the site before the theme's turn, which then gives MkDocs nothing to write.
    assert "Page skipped" not in result.stderr + result.stdout
    found = REUSED.search(result.stderr + result.stdout)
    assert (found is None) == (cache is None)
    if recalled is not None and found:
        memo = RECALLED.search(result.stderr + result.stdout)
        recalled[:] = [int(memo.group(1)), int(memo.group(2))]
    if kept is not None and found:
        kept[:] = [int(found.group(3))]
    return (int(found.group(1)), int(found.group(2))) if found else (0, 0)


def _kept(cache: Path) -> list[str]:
    """The keys of the entries the last good build left in the cache (its pages and the work recalled)."""
    from plugins.core import reuse

    [store] = [index.parent.parent for index in cache.rglob("current/index")]
    return sorted(reuse.kept_keys(store))


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
    about = project / "docs" / "about.md"   # a link to an anchor of a page that will be taken, not made
    about.write_text(about.read_text(encoding="utf-8") + LINK.format("rec-rec-qa"), encoding="utf-8")
    recalled: list[int] = []
    first = _build(project, tmp_path / "first", cache, recalled)
    assert first[0] == 0 and first[1] > 40
    assert recalled[0] == 0 and recalled[1] > first[1]   # every page's glossary pass, the generated pages' outlines
    work = recalled[1]
    kept: list[int] = []
    again = _build(project, tmp_path / "again", cache, recalled, kept)
    assert again == (first[1], first[1])   # nothing changed: every page reused
    # The actions' and sources' pages and the monthly bulletins (made from their context alone) are not even made:
    # no outline, no glossary pass; every other page's work is recalled.
    records = [folder for kind in ("actions", "sources") for folder in (tmp_path / "first" / "plan" / kind).iterdir()
               if folder.is_dir()]
    records += [folder for folder in (tmp_path / "first" / "whats-new").iterdir() if folder.is_dir()]
    assert kept[0] == len(records) >= 5 and recalled[0] == recalled[1] < work - kept[0]
    assert _differences(tmp_path / "first", tmp_path / "again") == []

    edit(project / "data" / "actions.yml", "note: Demand exceeds places.", "note: Demand exceeds places; kb-edited.")
    reused, pages = _same_as_from_nothing(project, tmp_path, cache, "edited")
    assert pages == first[1] and 0 < reused < pages - 2   # the action's page, the lists showing it, made again
    assert reused > pages * 0.7
    assert "kb-edited" in (tmp_path / "edited-reusing" / "plan" / "actions" / "act-training" / "index.html").read_text()
    # What let a page be taken is kept again by the build that took it: the next build takes it too.
    assert _build(project, tmp_path / "again-after-edit", cache, kept=kept) == (pages, pages)
    assert kept[0] == len(records)

    # The anchors of a page taken from the last build are those it was made with: a link to one it lacks fails.
    about.write_text(about.read_text(encoding="utf-8") + LINK.format("rec-nowhere"), encoding="utf-8")
    broken = run_mkdocs_build(project, tmp_path / "broken", {"KB_CACHE_DIR": str(cache)})
    assert broken.returncode != 0 and "does not contain an anchor '#rec-nowhere'" in broken.stderr


LINK = "\nSee [a recommendation](plan/sources/fostering.md#{}).\n"


def test_a_glossary_edit_or_a_menu_title_makes_the_pages_that_show_it_again(project, tmp_path):
    cache = tmp_path / "cache"
    pages = _build(project, tmp_path / "first", cache)[1]
    edit(project / "data" / "glossary.yml", "stands_for: Specialist Children's Services",
         "stands_for: Specialist Children's Services (kb-edited)")
    reused, _ = _same_as_from_nothing(project, tmp_path, cache, "glossary")
    assert reused < pages   # every page that explains SCS shows the new words
    edit(project / "mkdocs.yml", "  - About this site: about.md", "  - About this knowledge base: about.md")
    assert _same_as_from_nothing(project, tmp_path, cache, "menu") == (0, pages)   # the menu is on every page


def test_an_unchanged_page_is_linked_from_the_last_site_only_if_its_file_there_is_untouched(project, tmp_path):
    """With KB_LAST_SITE (the live release, the site the preview serves), a page reused is the last site's file,
    linked: nothing written, and the last site left as it was. A file there changed since it was written is
    not linked: the page is written from the store."""
    import os

    cache, first = tmp_path / "cache", tmp_path / "first"
    pages = _build(project, first, cache)[1]
    untouched = first / "plan" / "actions" / "act-audit" / "index.html"
    changed = first / "plan" / "sources" / "fostering" / "index.html"
    changed.write_bytes(changed.read_bytes().replace(b"<h1", b"<h1 data-changed"))
    before = {path: path.read_bytes() for path in first.rglob("*") if path.is_file()}
    edit(project / "data" / "actions.yml", "note: Demand exceeds places.", "note: Demand exceeds places; kb-edited.")
    reused = _build(project, tmp_path / "second", cache, env={"KB_LAST_SITE": str(first)})[0]
    linked = re.search(r"; (\d+) linked from the last build's site", _log[-1])
    assert linked and reused - 1 == int(linked.group(1)) > pages * 0.7   # every page reused but the changed one
    second = tmp_path / "second" / untouched.relative_to(first)
    assert os.stat(second).st_ino == os.stat(untouched).st_ino
    assert os.stat(tmp_path / "second" / changed.relative_to(first)).st_ino != os.stat(changed).st_ino
    _build(project, tmp_path / "from-nothing", None)
    assert _differences(tmp_path / "second", tmp_path / "from-nothing") == []
    assert {path: path.read_bytes() for path in first.rglob("*") if path.is_file()} == before


def _emptied(site: Path, spare: Path) -> None:
    """`site` made `spare` by `empty_later` (a process of its own), as the preview does with its retired site."""
    import time

    from plugins.core.publish import FOLDERS, empty_later

    empty_later(site, spare)
    waited = time.monotonic()
    while not (spare / FOLDERS).exists() and site.exists() and time.monotonic() - waited < 60:
        time.sleep(0.05)
    while site.exists() and time.monotonic() - waited < 60:
        time.sleep(0.05)


def _folders(site: Path) -> set[Path]:
    return {path.relative_to(site) for path in site.rglob("*") if path.is_dir()}


def test_a_spare_sites_folders_are_moved_into_the_site_and_those_left_empty_removed(project, tmp_path):
    """With KB_SPARE_SITE (the preview's retired site, emptied of its files by `empty_later`), the build moves
    the spare's folders into its site instead of making them: the site is the build from nothing's, folders
    included (a page that is gone leaves none), the spare is used up, and the site it shared its files with
    (the live one) is untouched."""
    import os
    import shutil

    from plugins.core.publish import FOLDERS

    cache, first = tmp_path / "cache", tmp_path / "first"
    _build(project, first, cache)
    (first / "gone" / "page").mkdir(parents=True)   # a page this build no longer has
    (first / "gone" / "page" / "index.html").write_text("<p>old</p>", encoding="utf-8")
    before = {path: path.read_bytes() for path in first.rglob("*") if path.is_file()}
    retired, spare = tmp_path / "retired", tmp_path / "spare"
    shutil.copytree(first, retired, copy_function=os.link)   # its files are the live site's too, as in the preview
    _emptied(retired, spare)
    assert not retired.exists()
    assert [path.name for path in spare.rglob("*") if not path.is_dir()] == [FOLDERS]
    assert _folders(spare) == _folders(first)
    assert {path: path.read_bytes() for path in first.rglob("*") if path.is_file()} == before
    page_folder = os.stat(spare / "plan" / "actions" / "act-audit").st_ino

    edit(project / "data" / "actions.yml", "note: Demand exceeds places.", "note: Demand exceeds places; kb-edited.")
    second = tmp_path / "second"
    _build(project, second, cache, env={"KB_LAST_SITE": str(first), "KB_SPARE_SITE": str(spare)})
    assert not list(tmp_path.glob("spare*"))   # used up, nothing left beside it
    assert os.stat(second / "plan" / "actions" / "act-audit").st_ino == page_folder   # moved, not made
    _build(project, tmp_path / "from-nothing", None)
    assert _differences(second, tmp_path / "from-nothing") == []
    assert _folders(second) == _folders(tmp_path / "from-nothing")
    assert not (second / "gone").exists()


def test_a_site_is_made_the_spare_only_whole_and_only_if_there_is_none(tmp_path):
    """`empty_later` makes a retired site the spare once every file is deleted; if there is a spare already, the
    retired site is deleted instead, and the spare is left as it was."""
    from plugins.core.publish import FOLDERS

    spare = tmp_path / "spare"
    for name in ("one", "two"):
        (tmp_path / name / "a" / "b").mkdir(parents=True)
        (tmp_path / name / "a" / "b" / "index.html").write_text(name, encoding="utf-8")
        (tmp_path / name / "404.html").write_text(name, encoding="utf-8")
    _emptied(tmp_path / "one", spare)
    assert (spare / FOLDERS).read_text(encoding="utf-8") == "a/b\0a\0"   # deepest first
    _emptied(tmp_path / "two", spare)
    assert not (tmp_path / "two").exists()
    assert sorted(str(path.relative_to(spare)) for path in spare.rglob("*")) == [FOLDERS, "a", "a/b"]


def test_a_kept_page_neither_linked_nor_written_from_the_store_is_made_at_the_end(project, tmp_path):
    """The store's linker links kept pages' files while the build goes on. A page whose file in the last site
    changed is not linked, and one whose stored bytes are damaged cannot be written from the store either: it
    is made once the build has put the rest in place, and the site is still the one built from nothing."""
    import os

    from plugins.core import reuse

    cache, first = tmp_path / "cache", tmp_path / "first"
    _build(project, first, cache)
    _build(project, tmp_path / "second", cache, env={"KB_LAST_SITE": str(first)})   # now the store knows files
    last = tmp_path / "second"
    changed = last / "plan" / "actions" / "act-audit" / "index.html"
    kept_bytes = changed.read_bytes()
    os.unlink(changed)   # a file of its own (the last site's is linked), changed
    changed.write_bytes(kept_bytes.replace(b"<h1", b"<h1 data-changed"))
    [index] = list(cache.rglob("current/index"))
    names, places = reuse.PageStore._open(index)
    packs = {name: bytearray((index.parent.parent / "packs" / name).read_bytes()) for name in names}
    for place in places.values():
        if len(place) >= reuse.PageStore.PAGE:   # every page's stored bytes damaged: only linking can take it
            packs[names[place[0]]][place[3] + place[4] // 2] ^= 0x01
    for name, damaged in packs.items():
        (index.parent.parent / "packs" / name).write_bytes(bytes(damaged))
    edit(project / "data" / "actions.yml", "note: Demand exceeds places.", "note: Demand exceeds places; kb-edited.")
    _build(project, tmp_path / "third", cache, env={"KB_LAST_SITE": str(last)})
    assert "kb: could not put in place 1 page taken from the last build: made it instead" in _log[-1]
    assert re.search(r"; (\d+) linked from the last build's site", _log[-1])
    _build(project, tmp_path / "from-nothing", None)
    assert _differences(tmp_path / "third", tmp_path / "from-nothing") == []


def test_a_page_kept_for_its_inputs_is_made_when_the_site_around_it_changed(project, tmp_path):
    """A setting every page shows (the edit button's address) is the site's, not a page's input: the pages
    made from their context are found unchanged, then made after all once the site's key differs."""
    cache = tmp_path / "cache"
    pages = _build(project, tmp_path / "first", cache, env={"KB_EDIT_URL": "https://git.example/kb/edit/main"})[1]
    kept: list[int] = []
    edited = {"KB_EDIT_URL": "https://git.example/kb/edit/next"}
    assert _build(project, tmp_path / "moved", cache, kept=kept, env=edited) == (0, pages) and kept == [0]
    assert re.search(r"kb: ([5-9]|\d\d+) pages whose inputs had not changed were made after all", _log[-1])
    _build(project, tmp_path / "moved-from-nothing", None, env=edited)
    assert _differences(tmp_path / "moved", tmp_path / "moved-from-nothing") == []
    assert "git.example/kb/edit/next/data/actions.yml" in \
        (tmp_path / "moved" / "plan" / "actions" / "act-training" / "index.html").read_text(encoding="utf-8")


def test_a_page_kept_for_its_inputs_whose_stored_bytes_are_damaged_is_made(project, tmp_path):
    """Every stored page's bytes damaged on disk: the pages found unchanged by their inputs are made after all,
    and the site is the one built from nothing."""
    from plugins.core import reuse

    cache = tmp_path / "cache"
    pages = _build(project, tmp_path / "first", cache)[1]
    [index] = list(cache.rglob("current/index"))
    names, places = reuse.PageStore._open(index)
    packs = {name: bytearray((index.parent.parent / "packs" / name).read_bytes()) for name in names}
    for place in places.values():
        if len(place) >= reuse.PageStore.PAGE:   # a page: one byte of its bytes changed
            packs[names[place[0]]][place[3] + place[4] // 2] ^= 0x01
    for name, kept in packs.items():
        (index.parent.parent / "packs" / name).write_bytes(bytes(kept))
    assert _same_as_from_nothing(project, tmp_path, cache, "damaged") == (0, pages)
    assert re.search(r"kb: ([5-9]|\d\d+) pages whose inputs had not changed were made after all", _log[-2])


def test_a_template_edit_makes_every_page_again(project, tmp_path):
    cache = tmp_path / "cache"
    pages = _build(project, tmp_path / "first", cache)[1]
    edit(project / "overrides" / "main.html", "{% block content %}", "{% block content %}<p>kb-edited</p>")
    assert _same_as_from_nothing(project, tmp_path, cache, "template") == (0, pages)
    assert "kb-edited" in (tmp_path / "template-reusing" / "index.html").read_text()


def test_a_failed_build_leaves_the_last_good_builds_pages_for_the_next(project, tmp_path):
    cache = tmp_path / "cache"
    pages = _build(project, tmp_path / "first", cache)[1]
    kept = _kept(cache)
    assert len([key for key in kept if not key.startswith(("memo-", "inputs-"))]) == pages
    (project / "docs" / "broken.md").write_text("# Broken\n\n[nowhere](missing.md)\n", encoding="utf-8")
    failed = run_mkdocs_build(project, tmp_path / "failed", {"KB_CACHE_DIR": str(cache)})
    assert failed.returncode != 0
    assert _kept(cache) == kept
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


def test_work_is_recalled_only_for_the_same_values_code_and_a_build_that_ended_well(tmp_path):
    from plugins.core import reuse

    done: list[str] = []

    def build(values: tuple[str, ...], code: str = "code", good: bool = True) -> str:
        store = reuse.PageStore(tmp_path / "store")
        memo = reuse.Memo(store, code)
        result = memo("kind", values, lambda: done.append(values[0]) or f"made from {values[0]}")
        store.finish(good)
        return result

    assert build(("a",)) == "made from a" and done == ["a"]
    assert build(("a",)) == "made from a" and done == ["a"]             # recalled
    assert build(("b",), good=False) == "made from b" and done == ["a", "b"]
    assert build(("b",)) == "made from b" and done == ["a", "b", "b"]   # the failed build kept nothing
    assert build(("b",), code="new code") == "made from b" and done == ["a", "b", "b", "b"]
    assert build(("a",)) == "made from a" and done[-1] == "a"           # only the last good build's work is kept

    index = tmp_path / "store" / "current" / "index"
    index.write_bytes(index.read_bytes()[:-3])                        # cut short: nothing it names is read
    assert build(("a",)) == "made from a" and done.count("a") == 3


def test_an_entry_comes_back_as_it_was_kept():
    from plugins.core import reuse

    for entry in ["<p>\"quoted\" é</p>", ["<p>a</p>", {"toc": [1, "x"]}, None, "", "é\n"], {"search": None},
                  [], [[1, "nested text stays JSON"]], None, 3]:
        assert reuse._decode(reuse._encode(entry)) == entry
    with pytest.raises(ValueError):
        reuse._decode(reuse._encode(["<p>a</p>"]) + b"more")


def test_a_page_is_kept_as_the_bytes_written_and_written_again_as_they_are_unless_damaged(tmp_path):
    from plugins.core import reuse

    page = "<p>\"é\" &#123;</p>\n".encode() * 1000
    store = reuse.PageStore(tmp_path / "store")
    store.put("page", page, {"title": "é"})
    store.remember("memo-x", ["<p>a</p>"])
    store.finish(True)
    for build in range(2):   # and kept again by the build that copied it
        store = reuse.PageStore(tmp_path / "store")
        entry = store.get("page")
        assert entry is not None and entry["search"] == {"title": "é"}
        target = tmp_path / f"site-{build}" / "plan" / "actions" / "x" / "index.html"
        assert store.write_page("page", entry, target)
        assert target.read_bytes() == page
        assert store.get("memo-x") is None and store.recall("page") is None   # a page is no memo, and not so
        assert store.recall("memo-x") == ["<p>a</p>"]
        store.finish(True)

    [pack] = [pack for pack in (tmp_path / "store" / "packs").iterdir() if page in pack.read_bytes()]
    kept = pack.read_bytes()
    middle = kept.index(page) + len(page) // 2
    pack.write_bytes(kept[:middle] + b"X" + kept[middle + 1:])   # one byte of the page damaged on disk
    store = reuse.PageStore(tmp_path / "store")
    target = tmp_path / "site-damaged" / "index.html"
    assert not store.write_page("page", store.get("page"), target) and store.reused == 0   # so it is made again
    assert store.recall("memo-x") == ["<p>a</p>"]
    store.finish(True)
    assert reuse.kept_keys(tmp_path / "store") == {"memo-x"}   # what the build neither made nor reused is not kept


def test_a_build_writes_what_it_made_and_the_store_stays_within_twice_what_it_keeps(tmp_path):
    """A page taken from the last build stays in the pack it is in; a build's own pack holds what it made, and
    the entries still used of a pack less than half used. Packs no longer used are removed."""
    import os

    from plugins.core import reuse

    folder = tmp_path / "store"
    pages = {f"page-{number}": os.urandom(4000) for number in range(20)}

    def packs() -> dict[str, int]:
        return {pack.name: pack.stat().st_size for pack in (folder / "packs").iterdir()}

    store = reuse.PageStore(folder)
    for key, page in pages.items():
        store.put(key, page, ["title", "", None])
    store.finish(True)
    written = 0
    for build in range(40):
        before = packs()
        store = reuse.PageStore(folder)
        edited = f"page-{build % 20}"
        pages[edited] = os.urandom(4000)
        for key, page in pages.items():
            entry = None if key == edited else store.get(key)
            if entry is None:
                store.put(key, page, ["title", "", None])
            else:
                assert store.write_page(key, entry, tmp_path / f"site-{build}" / key / "index.html")
        store.finish(True)
        after = packs()
        names, places = reuse.PageStore._open(folder / "current" / "index")
        assert sorted(names) == sorted(after)   # every pack is used, and only those are there
        new = sum(size for name, size in after.items() if name not in before)
        written += new
        assert new < 4000 * 11   # the page made, and at most the half of a pack still used
        kept = sum(place[2] + place[4] for place in places.values())
        assert sum(after.values()) <= 2 * kept
    assert written < 4000 * 20 * 8   # not 40 copies of every page
    store = reuse.PageStore(folder)
    for key, page in pages.items():
        target = tmp_path / "last" / key / "index.html"
        assert store.write_page(key, store.get(key), target) and target.read_bytes() == page
    store.finish(False)
