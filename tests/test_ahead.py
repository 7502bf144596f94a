"""A rebuild makes ahead, in forked processes, what it makes whatever changed: the generated pages without a key,
the hand-written pages' macros, the exports, then the changed pages' search entries (plugins/core/ahead.py). What
a fork gives must be what the build would have made, and anything it could not make well is left to the build,
which then says what it says."""

from __future__ import annotations

import logging
import os
import re
import shutil
import threading
import time
import zlib

import pytest
from markupsafe import Markup

from plugins.core import ahead
from plugins.core.handwritten import PageMacros
from plugins.core.pages import Macro
from plugins.core.settings import Settings
from plugins.core.site import Build
from tests.helpers import ROOT, edit, make_project, run_mkdocs_build

AHEAD = re.compile(r"kb: (\d+) generated pages, (\d+) macro calls, (\d+) files and (\d+) search entries made ahead, "
                   r"by a second process")


def _build() -> Build:
    build = Build.load(Settings.from_environment(ROOT))
    docs = {p.relative_to(ROOT / "docs").as_posix(): p.read_text(encoding="utf-8")
            for p in (ROOT / "docs").rglob("*.md")}
    build.know_pages(list(docs), docs)
    return build


def _calls(build: Build) -> list[tuple[str, str, tuple, dict]]:
    """Every macro call of the site's hand-written pages: (name, page, args, kwargs)."""
    from plugins.core.generate import split_front_matter

    found = []

    def record(name, path, *args, **kwargs):
        found.append((name, path, args, kwargs))
        return Markup("")

    for path, source in sorted(build.docs_sources.items()):
        PageMacros(build.macros, record).render(path, path, split_front_matter(source)[1])
    return found


@pytest.fixture
def build() -> Build:
    return _build()


def test_the_fork_gives_each_macro_and_file_as_the_build_makes_it(build):
    calls = _calls(build)
    assert len(calls) >= 20
    later = [path for path, file in build.files.items() if callable(file.content)]
    assert {"data/training.ics", "data/plan.json", "data/actions.csv"} <= set(later)
    keyless = [path for path, page in build.pages.items() if not page.from_context or page.in_nav]
    assert {"plan/actions/index.md", "training/sessions.md", "training/index.md"} <= set(keyless)
    fork = ahead.start(build, sorted(build.docs_sources.items()))
    assert fork is not None
    try:
        bodies = {path: fork.body(path) for path in keyless}
        given = {(name, path): fork.html(name, path, args, kwargs) for name, path, args, kwargs in calls}
        files = {path: fork.file(path) for path in later}
        assert fork.body("plan/actions/cse-01-audit.md") is None   # a page with a key: the build finds if it is made
    finally:
        fork.close()
    for path in keyless:
        assert bodies[path] == build.page_body(build.pages[path]), path
    build.marked.add("plan/index.md")   # made by the generated pages, after the fork: it never saw this
    for name, path, args, kwargs in calls:
        made = build.call_macro(name, path, *args, **kwargs)
        if name == "provenance_pages":   # the pages resting on illustrative data: the build's alone
            assert given[name, path] is None and "plan/" in made
        else:
            assert given[name, path] == made, (name, path)
    assert fork.taken == {"bodies": len(keyless), "macros": len(calls) - 1, "files": len(later), "search entries": 0}
    for path in later:
        assert files[path] == build.files[path].made(), path
    assert not build.page_problems


def test_a_fork_gives_the_search_entries_of_the_pages_it_is_given_made_from_the_same_html(build):
    from plugins.search.index import SearchIndex

    build.search_index = SearchIndex(build.kb)
    pages = {"plan/index.md": ("plan/", "The plan", "<h1>The plan</h1><p>Every CSE action.</p><h2 id='a'>A</h2>"),
             "about.md": ("about/", "About", "<p>What the site is.</p>")}
    assert ahead.index(build, []) is None
    fork = ahead.index(build, [(src, location, title, zlib.compress(html.encode("utf-8")))
                               for src, (location, title, html) in pages.items()])
    try:
        location, title, html = pages["plan/index.md"]
        given = fork.search_entry("plan/index.md", location, title, html)
        assert given == SearchIndex(build.kb).add_page(src="plan/index.md", location=location, title=title, html=html)
        location, title, html = pages["about.md"]
        assert fork.search_entry("about.md", location, title, html + "<p>changed since</p>") is None
        assert fork.search_entry("glossary/index.md", "glossary/", "Glossary", "<p>not asked</p>") is None
    finally:
        fork.close()
    assert fork.taken["search entries"] == 1


def test_a_call_that_fails_or_warns_and_a_fork_that_dies_are_left_to_the_build(build):
    def failing(page):
        raise ValueError("no such audience")

    def warning(page):
        logging.getLogger("mkdocs.plugins.kb").warning("kb: something a strict build fails on")
        return Markup("<p>warned</p>")

    def dying(page):
        os._exit(3)

    build.macros.update({"failing": Macro("failing", failing), "warning": Macro("warning", warning),
                         "dying": Macro("dying", dying)})
    pages = [("a.md", "# A\n\n{{ failing() }}\n\n{{ warning() }}\n\n{{ glossary() }}\n")]
    fork = ahead.start(build, pages)
    assert fork.html("failing", "a.md", (), {}) is None and fork.html("warning", "a.md", (), {}) is None
    assert fork.html("glossary", "a.md", (), {}) == build.call_macro("glossary", "a.md")
    assert fork.html("glossary", "b.md", (), {}) is None   # a call it did not see
    fork.close()

    dead = ahead.start(build, [("b.md", "{{ glossary() }}\n\n{{ dying() }}\n")])
    assert dead.html("glossary", "b.md", (), {}) is None
    assert dead.file("data/training.ics") is None
    dead.close()


def test_it_is_off_with_one_processor_with_threads_or_when_turned_off(monkeypatch):
    monkeypatch.setattr(threading, "active_count", lambda: 1)   # the tests' own servers may run threads
    monkeypatch.setenv(ahead.SWITCH, "0")
    assert not ahead.wanted()
    monkeypatch.delenv(ahead.SWITCH)
    monkeypatch.setattr(os, "sched_getaffinity", lambda pid: {0})
    assert not ahead.wanted()
    monkeypatch.setattr(os, "sched_getaffinity", lambda pid: {0, 1})
    assert ahead.wanted()
    monkeypatch.setattr(threading, "active_count", lambda: 2)
    assert not ahead.wanted()   # a lock another thread held would stay held in the fork


def test_a_fork_that_says_nothing_is_not_waited_for_longer_than_its_patience(build, monkeypatch):
    def hanging(page):
        time.sleep(60)

    build.macros["hanging"] = Macro("hanging", hanging)
    monkeypatch.setattr(ahead, "PATIENCE", 0.5)
    fork = ahead.start(build, [("a.md", "{{ hanging() }}\n")])
    started = time.monotonic()
    assert fork.html("hanging", "a.md", (), {}) is None
    assert time.monotonic() - started < 5
    fork.close()   # and it is stopped
    with pytest.raises(ChildProcessError):
        os.waitpid(fork.pid, os.WNOHANG)


def test_a_rebuild_made_ahead_is_the_rebuild_made_without_and_the_build_from_nothing(tmp_path):
    project = make_project(tmp_path / "project")
    cache = tmp_path / "cache"
    env = {"KB_CACHE_DIR": str(cache)}
    first = run_mkdocs_build(project, tmp_path / "first", env)
    assert first.returncode == 0 and not AHEAD.search(first.stderr)   # a cold build: nothing ahead
    edit(project / "data" / "actions.yml", "note: Demand exceeds places.", "note: Demand exceeds places; kb-edited.")
    sites = {}
    for name, switch in (("ahead", "1"), ("not-ahead", "0")):
        # Each rebuild from the same last build: the cache copied, as the first build left it.
        shutil.copytree(cache, tmp_path / f"cache-{name}")
        result = run_mkdocs_build(project, tmp_path / name, {"KB_CACHE_DIR": str(tmp_path / f"cache-{name}"),
                                                             ahead.SWITCH: switch})
        assert result.returncode == 0, result.stderr
        said = AHEAD.search(result.stderr)
        if name == "ahead":
            least = (10, 20, 3, 3)   # generated pages, macro calls, files, search entries
            assert said and all(int(n) >= m for n, m in zip(said.groups(), least, strict=True)), result.stderr
        else:
            assert said is None
        sites[name] = tmp_path / name
    assert run_mkdocs_build(project, tmp_path / "from-nothing", {"KB_CACHE_DIR": "off"}).returncode == 0
    sites["from-nothing"] = tmp_path / "from-nothing"
    files = {p.relative_to(sites["ahead"]) for p in sites["ahead"].rglob("*") if p.is_file()}
    for other in ("not-ahead", "from-nothing"):
        assert files == {p.relative_to(sites[other]) for p in sites[other].rglob("*") if p.is_file()}
        assert [str(p) for p in sorted(files) if (sites["ahead"] / p).read_bytes() != (sites[other] / p).read_bytes()] \
            == [], other
