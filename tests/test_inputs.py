"""A page made from its context alone (`GeneratedPage.from_context`) names everything it is made from
(plugins/core/inputs.py): otherwise a build would take it from the last build unchanged while the data it
shows had changed. Checked three ways: every record of the real site is changed in turn and every page whose
body then changed must name it; a build after an edit, made with KB_REUSE_CHECK=1, makes the pages it could
have taken and finds each what was kept; and a plugin that says its page shows its context alone while the
template reads the knowledge as a whole is caught by that check."""

from __future__ import annotations

import textwrap
from collections.abc import Iterator

import pytest
from pydantic import BaseModel

from plugins.core.fields import parts
from plugins.core.inputs import PageInputs, names_its_inputs
from plugins.core.settings import Settings
from plugins.core.site import Build
from tests.helpers import ROOT, edit, make_project, run_mkdocs_build

MARK = " Zqx"


@pytest.fixture(scope="module")
def build() -> Build:
    build = Build.load(Settings.from_environment(ROOT))
    build.know_pages([p.relative_to(ROOT / "docs").as_posix() for p in (ROOT / "docs").rglob("*.md")])
    return build


def _changeable(record: BaseModel) -> Iterator[tuple[BaseModel, str]]:
    """(model, field) for every text and number in a record and its parts, ids and references left alone."""
    for _, model in parts(record):
        for name in type(model).model_fields:
            value = model.__dict__.get(name)
            if name != "id" and isinstance(value, (str, int, float)) and not isinstance(value, bool):
                yield model, name


def _changed(value):
    return value + MARK if isinstance(value, str) else value + 1


def _bodies(build: Build, pages) -> dict[str, str]:
    return {page.path: build.page_body(page) for page in pages}


def test_the_real_sites_records_pages_are_made_from_their_context(build):
    pages = [page for page in build.pages.values() if page.from_context]
    assert len(pages) >= 20 and names_its_inputs(build.pm)
    inputs = PageInputs(build.kb, build.pm, build.known_pages, build.written_files())
    assert all(inputs.key(page) is not None for page in pages)


def test_every_page_whose_body_a_record_changes_names_that_record(build):
    """Each record's texts and numbers are changed in place (one record at a time), the pages made from their
    context are made again, and every page that came out different must name the record among its inputs."""
    pages = [page for page in build.pages.values() if page.from_context]
    inputs = PageInputs(build.kb, build.pm, build.known_pages, build.written_files())
    named = {page.path: inputs.records(page) for page in pages}
    before = _bodies(build, pages)
    checked = changing = 0
    for collection, records in build.kb.records.items():
        for record in records.values():
            fields = list(_changeable(record))
            kept = [(model, name, model.__dict__[name]) for model, name in fields]
            try:
                for model, name, value in kept:
                    model.__dict__[name] = _changed(value)
                try:
                    after = _bodies(build, pages)
                except Exception:  # noqa: BLE001 - a value some page looks up (a status): change the others alone
                    after = None
                if after is None:
                    for model, name, value in kept:
                        model.__dict__[name] = value
                    for model, name, value in kept:
                        model.__dict__[name] = _changed(value)
                        try:
                            after = _bodies(build, pages)
                        except Exception:  # noqa: BLE001
                            model.__dict__[name] = value
                            after = _bodies(build, pages)
                            continue
                        _assert_named(before, after, named, f"{collection}/{record.id}", name)
                        model.__dict__[name] = value
                    after = None
                if after is not None:
                    _assert_named(before, after, named, f"{collection}/{record.id}", "")
                    changing += any(after[path] != before[path] for path in before)
            finally:
                for model, name, value in kept:
                    model.__dict__[name] = value
            checked += 1
    assert _bodies(build, pages) == before   # every record is as it was
    assert checked > 150 and changing > 30   # the test changed what the pages show, and many records


def _assert_named(before: dict[str, str], after: dict[str, str], named: dict[str, set[str]], record: str,
                  field: str) -> None:
    missing = [path for path in before if after[path] != before[path] and record not in named[path]]
    assert not missing, f"changing {record} {field} changed {missing}, which do not name it as an input"


def test_a_build_after_an_edit_makes_what_it_would_have_taken_and_finds_it_the_same(tmp_path):
    project = make_project(tmp_path / "project")
    cache = {"KB_CACHE_DIR": str(tmp_path / "cache")}
    assert run_mkdocs_build(project, tmp_path / "first", cache).returncode == 0
    edit(project / "data" / "actions.yml", "note: Demand exceeds places.", "note: Demand exceeds places; kb-edited.")
    checked = run_mkdocs_build(project, tmp_path / "checked", {**cache, "KB_REUSE_CHECK": "1"})
    output = checked.stdout + checked.stderr
    assert checked.returncode == 0, output
    assert "(0 of them not made again)" in output and "would have been taken" not in output


LIAR = {
    "__init__.py": '''
        """A page per theme that says it shows its context alone, yet lists every action's title."""
        ''',
    "hooks.py": '''
        from plugins.core.hookspecs import hookimpl
        from plugins.core.pages import GeneratedPage
        from plugins.plan.models import Theme


        @hookimpl
        def register_pages(kb, register):
            for theme in kb.all(Theme):
                register(GeneratedPage(path=f"themes/{theme.id}.md", title=theme.name, template="liar/theme.md",
                                       context={"theme": theme}, data_files=kb.files_of(Theme), from_context=True))
        ''',
    "templates/theme.md": '''
        <p>{{ theme.name }}</p>
        <ul>{% for action in kb.records["actions"].values() %}<li>{{ action.title }}</li>{% endfor %}</ul>
        ''',
}


def test_a_page_that_reads_more_than_its_context_is_found_by_the_check(tmp_path):
    liar = tmp_path / "liar"
    for name, text in LIAR.items():
        (liar / name).parent.mkdir(parents=True, exist_ok=True)
        (liar / name).write_text(textwrap.dedent(text).lstrip(), encoding="utf-8")
    project = make_project(tmp_path / "project")
    env = {"KB_CACHE_DIR": str(tmp_path / "cache"), "KB_PLUGINS": str(liar)}
    first = run_mkdocs_build(project, tmp_path / "first", env)
    assert first.returncode == 0, first.stdout + first.stderr
    edit(project / "data" / "actions.yml", "title: Audit of cases", "title: Audit of cases kb-edited")
    checked = run_mkdocs_build(project, tmp_path / "checked", {**env, "KB_REUSE_CHECK": "1"})
    assert checked.returncode != 0
    assert "themes/" in checked.stderr and "would have been taken from the last build" in checked.stderr


def test_what_a_plugin_reads_for_a_page_is_among_its_inputs(build, tmp_path, monkeypatch):
    """The glossary explains terms on every page: a glossary edit changes every page's inputs. A plugin that
    prepares pages' HTML and does not say what it reads turns taking pages from the last build off."""
    from plugins.glossary import hooks as glossary
    from plugins.glossary.models import GlossaryEntry

    pages = [page for page in build.pages.values() if page.from_context]
    keys = {page.path: PageInputs(build.kb, build.pm, build.known_pages, build.written_files()).key(page)
            for page in pages}
    entry = build.kb.all(GlossaryEntry)[0]
    field = "definition"
    before = entry.__dict__[field]
    try:
        entry.__dict__[field] = before + MARK
        glossary._glossary_digest.cache_clear()
        inputs = PageInputs(build.kb, build.pm, build.known_pages, build.written_files())
        assert all(inputs.key(page) != keys[page.path] for page in pages)
    finally:
        entry.__dict__[field] = before
        glossary._glossary_digest.cache_clear()

    plugin = tmp_path / "silent.py"
    plugin.write_text("from plugins.core.hookspecs import hookimpl\n\n@hookimpl\n"
                      "def prepare_page_html(page, kb):\n    page.html += ''\n", encoding="utf-8")
    from plugins.core.manager import get_plugin_manager

    assert names_its_inputs(build.pm) and not names_its_inputs(get_plugin_manager([plugin]))


def test_what_many_pages_share_is_walked_once(build):
    """A change shown as Updated on thousands of pages (a commit that touched them all) is walked once a build."""
    from dataclasses import dataclass

    walked: list[int] = []

    class Counting(dict):
        def items(self):
            walked.append(1)
            return super().items()

    @dataclass(frozen=True)
    class Change:
        links: dict

    inputs = PageInputs(build.kb, build.pm, build.known_pages, build.written_files())
    change = Change(Counting(page="plan/index.md"))
    first, again = (inputs.walk([change], {}, shared=True) for _ in range(2))
    assert first == again and len(walked) == 1
    assert inputs.walk([Change(Counting(page="about.md"))], {}, shared=True) != first
    assert inputs.walk([change], {}) != first and len(walked) == 3   # not shared: walked as it is, each time
