"""Work on unchanged data files is kept by content digest (plugins/core/cache.py): what is read from the
cache must be exactly what reading the file again would give, and the cache must never decide anything."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from plugins.core.cache import ContentCache
from plugins.core.loader import LineDict, LineList, load_yaml_file, load_yaml_text
from plugins.core.problems import DataError
from plugins.core.settings import Settings
from tests.helpers import ROOT, edit, load


def _shape(value):
    """Data with every line it remembers, for comparing two loads."""
    if isinstance(value, LineDict):
        return ("map", value.line, [(k, value.key_lines[k], _shape(v)) for k, v in value.items()])
    if isinstance(value, LineList):   # an item kept from the last load gives its lines when asked
        return ("seq", value.line, [(line, _shape(value.lined(i))) for i, line in enumerate(value.item_lines)])
    return (type(value).__name__, value)


def _entries(folder: Path, kind: str) -> list[Path]:
    return sorted(folder.glob(f"{kind}-*.json"))


def _kept(folder: Path) -> list[Path]:
    """The parses kept: a file's records' (by its path) or, for a file not read record by record, the file's."""
    return _entries(folder, "items") + _entries(folder, "yaml")


@pytest.mark.parametrize("name", ["actions.yml", "policies.yml", "indicators.yml", "cse-toolkit.yml"])
def test_a_file_read_from_the_cache_is_the_file_as_parsed_lines_included(tmp_path, name):
    cache = ContentCache(tmp_path / "cache")
    fresh, problems, key = load_yaml_file(ROOT / "data" / name)
    stored, _, stored_key = load_yaml_file(ROOT / "data" / name, cache)
    assert not _kept(tmp_path / "cache")   # kept only once the whole load has passed
    cache.keep()
    assert not problems and len(_kept(tmp_path / "cache")) == 1   # its records' parses, or the whole file's
    kept, kept_problems, kept_key = load_yaml_file(ROOT / "data" / name, cache)
    assert _shape(kept) == _shape(stored) == _shape(fresh)
    assert kept_key == stored_key and not kept_problems


def test_a_changed_file_is_parsed_again_and_a_broken_entry_is_ignored(tmp_path, monkeypatch):
    cache = ContentCache(tmp_path / "cache")
    data = tmp_path / "glossary.yml"
    data.write_text((ROOT / "data" / "glossary.yml").read_text(encoding="utf-8"), encoding="utf-8")
    first, _, first_key = load_yaml_file(data, cache)
    edit(data, "term: ", "term:  ", 1)
    _, _, second_key = load_yaml_file(data, cache)
    cache.keep()
    assert second_key != first_key and len(_entries(tmp_path / "cache", "items")) == 1   # one entry a file
    [entry] = _entries(tmp_path / "cache", "items")
    records = json.loads(entry.read_text(encoding="utf-8"))
    entry.write_text(json.dumps({name: kept[:len(kept) // 2] for name, kept in records.items()}), encoding="utf-8")
    parsed = _parsed_texts(monkeypatch)
    again, problems, _ = load_yaml_file(data, cache)   # every record's kept parse cut short: parsed again
    assert not problems and again[0]["term"] == first[0]["term"] and len(parsed) == len(first)
    entry.write_text('{"m": 1, "k": [["cut sh', encoding="utf-8")
    again, problems, _ = load_yaml_file(data, cache)
    assert not problems and again[0]["term"] == first[0]["term"]


def test_a_file_with_problems_is_never_kept(tmp_path):
    cache = ContentCache(tmp_path / "cache")
    data = tmp_path / "bad.yml"
    data.write_text("- id: a\n  id: b\n", encoding="utf-8")
    _, problems, _ = load_yaml_file(data, cache)
    cache.keep()
    assert problems and not _kept(tmp_path / "cache")


@pytest.mark.parametrize("path", sorted((ROOT / "data").glob("*.yml")), ids=lambda path: path.name)
def test_a_list_parsed_item_by_item_is_the_file_parsed_whole(path):
    whole, problems = load_yaml_text(path.read_text(encoding="utf-8"))
    by_items, by_items_problems, _ = load_yaml_file(path)
    assert _shape(by_items) == _shape(whole) and by_items_problems == problems == []


def _parsed_texts(monkeypatch) -> list[str]:
    """Every text the parser is given from now on."""
    from plugins.core import loader

    texts: list[str] = []
    real = loader.load_yaml_text

    def counting(text: str):
        texts.append(text)
        return real(text)

    monkeypatch.setattr(loader, "load_yaml_text", counting)
    return texts


def test_after_an_edit_only_the_changed_records_are_parsed_again_and_the_lines_follow(tmp_path, monkeypatch):
    cache = ContentCache(tmp_path / "cache")
    data = tmp_path / "actions.yml"
    data.write_text((ROOT / "data" / "actions.yml").read_text(encoding="utf-8"), encoding="utf-8")
    load_yaml_file(data, cache)
    cache.keep()
    text = data.read_text(encoding="utf-8")
    middle = text.index("\n- ", len(text) // 2) + 1
    edited = ("# inserted above every record\n- id: new-action\n  title: A record added first\n\n"
              + text[:middle] + "# a comment between records\n" + text[middle:].replace("  title: ", "  title: Edited ", 1))
    data.write_text(edited, encoding="utf-8")
    parsed = _parsed_texts(monkeypatch)
    again, problems, _ = load_yaml_file(data, cache)
    # The new record (with the comments above it), the record that was first (no longer carrying them),
    # the record the added comment ends and the edited one: 4 of the file's records.
    assert not problems and len(parsed) == 4 and len(again) > 20
    assert all(len(text.splitlines()) < 100 for text in parsed)
    whole, _ = load_yaml_text(edited)
    assert _shape(again) == _shape(whole)
    assert again.item_lines[0] == 2 and again[0]["title"] == "A record added first"


def test_a_project_built_in_a_new_folder_parses_only_the_changed_record_again(tmp_path, monkeypatch):
    """A publishing server builds each push in a new folder: the records are found by the file's name in the
    project, each by its own text."""
    cache = ContentCache(tmp_path / "cache")
    first = tmp_path / "push-1" / "data" / "actions.yml"
    first.parent.mkdir(parents=True)
    first.write_text((ROOT / "data" / "actions.yml").read_text(encoding="utf-8"), encoding="utf-8")
    load_yaml_file(first, cache, name="data/actions.yml")
    cache.keep()
    second = tmp_path / "push-2" / "data" / "actions.yml"
    second.parent.mkdir(parents=True)
    second.write_text(first.read_text(encoding="utf-8").replace("  title: ", "  title: Edited ", 1), encoding="utf-8")
    parsed = _parsed_texts(monkeypatch)
    again, problems, _ = load_yaml_file(second, cache, name="data/actions.yml")
    assert not problems and len(parsed) == 1 and again[0]["title"].startswith("Edited ")
    other = tmp_path / "other" / "data" / "actions.yml"   # another project's file of the same name
    other.parent.mkdir(parents=True)
    other.write_text("- id: not-the-same\n  title: Another project's action\n", encoding="utf-8")
    assert load_yaml_file(other, cache, name="data/actions.yml")[0] == [{"id": "not-the-same",
                                                                        "title": "Another project's action"}]


@pytest.mark.parametrize("text", [
    '- id: a\n  title: "a quoted value\n- running onto a line like a record"\n- id: b\n',   # one record, or a problem
    "- id: a\n  title: &t Shared\n- id: b\n  title: *t\n",                                   # an alias across records
    "---\n- id: a\n---\n- id: b\n",                                                          # two documents
    "id: a\ntitle: not a list\n",
    "- id: a\n\tnote: a tab\n",
    "\ufeff- id: a\n- id: b\n",
    "- id: a\n  note: x\u2028- id: b\n",
    "-\n  id: a\n-   id: b\n  # a comment\n- plain\n",
], ids=["quoted-over-lines", "alias", "documents", "mapping", "tab", "byte-order-mark", "line-separator", "forms"])
def test_a_file_not_plainly_a_list_of_records_gives_what_the_whole_parse_gives(tmp_path, text):
    path = tmp_path / "data.yml"
    path.write_text(text, encoding="utf-8")
    whole, whole_problems = load_yaml_text(text)
    cache = ContentCache(tmp_path / "cache")
    for _ in range(2):   # parsed, then from what was kept
        data, problems, _ = load_yaml_file(path, cache)
        cache.keep()
        assert _shape(data) == _shape(whole) and problems == whole_problems


def test_content_the_build_refuses_is_never_kept_and_the_allow_list_is_asked_after_the_cache(data, tmp_path):
    folder = tmp_path / "cache"
    edit(data / "actions.yml", "title: Training for front-line staff",
         "title: Training for front-line staff, ring 07700 900123")

    def problems() -> list[str]:
        try:
            load(data, cache_dir=folder)
        except DataError as error:
            return [str(p) for p in error.problems]
        return []

    assert any("a telephone number" in p for p in problems())
    # A push refused for what it holds leaves nothing of it on the server: no parsed file, no scan.
    assert not _entries(folder, "yaml") and not _entries(folder, "items") and not _entries(folder, "guard")
    allow = data / "personal-data-allowed.yml"
    allow.write_text(
        "- id: test-number\n  text: \"07700 900123\"\n  file: data/actions.yml\n  reviewed_by: social-worker\n"
        "  reviewed: 2015-04-21\n  reason: A number Ofcom keeps for drama, used here to test the cache.\n",
        encoding="utf-8")
    assert problems() == []
    assert _entries(folder, "items") and _entries(folder, "guard")
    assert problems() == []   # from the cache
    # The scan kept the number it found; the allow-list decides afresh on every load.
    allow.write_text("[]\n", encoding="utf-8")
    assert any("a telephone number" in p for p in problems())


def test_after_an_edit_the_guard_scans_only_the_edited_record_and_still_stops_a_number(data, tmp_path, monkeypatch):
    from plugins.safety import hooks as guard

    folder = tmp_path / "cache"
    load(data, cache_dir=folder)
    scanned: list[str] = []
    real = guard.find
    monkeypatch.setattr(guard, "find", lambda text, public: scanned.append(text) or real(text, public))
    edit(data / "actions.yml", "title: Training for front-line staff", "title: Training for all front-line staff")
    load(data, cache_dir=folder)
    text = (data / "actions.yml").read_text(encoding="utf-8")
    start = text.index("- id: act-training")
    record = text[start:text.find("\n- ", start)]
    assert "Training for all front-line staff" in scanned
    assert scanned and all(value in record for value in scanned)   # the edited record's values, no other's
    edit(data / "actions.yml", "title: Training for all front-line staff",
         "title: Training for all front-line staff, ring 07700 900123")
    with pytest.raises(DataError) as error:
        load(data, cache_dir=folder)
    assert any("a telephone number" in str(p) for p in error.value.problems)


def test_the_cache_folder_is_the_users_and_can_be_turned_off(tmp_path):
    assert Settings.from_environment(ROOT, {"XDG_CACHE_HOME": str(tmp_path)}).cache_dir == tmp_path / "kent-kb"
    assert Settings.from_environment(ROOT, {"KB_CACHE_DIR": "off"}).cache_dir is None
    assert Settings.from_environment(ROOT, {"KB_CACHE_DIR": str(tmp_path / "c")}).cache_dir == tmp_path / "c"
    assert Settings(root=ROOT, data_dir=ROOT / "data").cache_dir is None   # tests and tools: nothing kept


def test_compiled_templates_are_kept_and_an_edited_template_is_compiled_again(tmp_path):
    from tests.helpers import build_project, make_project, page

    project = make_project(tmp_path / "project")
    cache = {"KB_CACHE_DIR": str(tmp_path / "cache")}
    before = page(build_project(project, env=cache), "")
    kept = list((tmp_path / "cache" / "templates").rglob("*.cache"))
    assert len({entry.parent for entry in kept}) == 2   # the theme's templates and the plugins', apart
    assert len(kept) > 20
    main = project / "overrides" / "main.html"
    main.write_text(main.read_text(encoding="utf-8").replace("{% block content %}",
                                                             "{% block content %}<p>kb-edited-template</p>", 1),
                    encoding="utf-8")
    after = page(build_project(project, env=cache), "")
    assert "kb-edited-template" not in before and "kb-edited-template" in after


def test_the_same_code_in_another_folder_finds_its_compiled_templates(tmp_path):
    """A publishing server builds each push in a new folder: the templates compiled for the last push are found
    by their place in the project, not compiled and kept again."""
    import shutil

    from tests.helpers import build_project, make_project

    cache = {"KB_CACHE_DIR": str(tmp_path / "cache")}
    first = make_project(tmp_path / "first")
    build_project(first, env=cache)
    kept = {entry.name: entry.stat().st_mtime_ns for entry in (tmp_path / "cache" / "templates").rglob("*.cache")}
    moved = tmp_path / "elsewhere" / "deeper"
    shutil.copytree(first, moved, ignore=shutil.ignore_patterns("site", "site.releases"))
    build_project(moved, env=cache)
    again = {entry.name: entry.stat().st_mtime_ns for entry in (tmp_path / "cache" / "templates").rglob("*.cache")}
    assert again == kept and len(kept) > 20   # none compiled or written again


def test_environments_that_compile_differently_never_share_compiled_templates(tmp_path):
    from jinja2 import Environment

    from plugins.core.cache import keep_compiled_templates

    folders = set()
    for settings in ({}, {"trim_blocks": True}, {"autoescape": True}, {"variable_start_string": "[["}):
        env = Environment(**settings)
        keep_compiled_templates(env, tmp_path, "plugins")
        folders.add(env.bytecode_cache.directory)
    env = Environment()
    keep_compiled_templates(env, tmp_path, "theme")
    folders.add(env.bytecode_cache.directory)
    assert len(folders) == 5
    off = Environment()
    keep_compiled_templates(off, None, "plugins")
    assert off.bytecode_cache is None


def test_a_kept_finding_moves_with_its_record(data, tmp_path):
    """A record's findings are kept by its text, their lines counted from the record: inserting a record above
    it must move the line the guard reports."""
    folder = tmp_path / "cache"
    edit(data / "actions.yml", "title: Training for front-line staff",
         "title: Training for front-line staff, ring 07700 900123")
    allow = data / "personal-data-allowed.yml"
    allow.write_text(
        "- id: test-number\n  text: \"07700 900123\"\n  file: data/actions.yml\n  reviewed_by: social-worker\n"
        "  reviewed: 2015-04-21\n  reason: A number Ofcom keeps for drama, used here to test the cache.\n",
        encoding="utf-8")
    load(data, cache_dir=folder)   # allowed: the findings are kept
    text = (data / "actions.yml").read_text(encoding="utf-8")
    first = text.index("\n- ") + 1
    added = "- id: act-added-above\n  title: Added above\n"
    (data / "actions.yml").write_text(text[:first] + added + text[first:], encoding="utf-8")
    allow.write_text("[]\n", encoding="utf-8")
    with pytest.raises(DataError) as error:
        load(data, cache_dir=folder)
    [found] = [p for p in error.value.problems if "a telephone number" in str(p)]
    moved = (data / "actions.yml").read_text(encoding="utf-8")
    assert found.line == moved[:moved.index("07700 900123")].count("\n") + 1


def test_nothing_is_encoded_for_keeping_when_nothing_is_kept(monkeypatch):
    """Cold runs (`KB_CACHE_DIR=off`, the benchmark's) must not pay for a cache they do not have."""
    from plugins.core import loader

    monkeypatch.setattr(loader, "_encode", lambda *args: pytest.fail("encoded for a cache that keeps nothing"))
    for cache in (None, ContentCache(None)):
        data, problems, _ = load_yaml_file(ROOT / "data" / "actions.yml", cache)
        assert len(data) > 10 and not problems


def test_a_kept_record_gives_its_lines_only_when_asked_and_then_the_lines_a_fresh_parse_gives(data, tmp_path,
                                                                                             monkeypatch):
    """A record unchanged since the last load is read as plain data, without building its lines; a problem
    found in it later (a record it names has gone) still points at the field's line."""
    from plugins.core import loader

    folder = tmp_path / "cache"
    load(data, cache_dir=folder)
    lined: list[object] = []
    real = loader._lined
    monkeypatch.setattr(loader, "_lined", lambda *args: lined.append(args[0]) or real(*args))
    load(data, cache_dir=folder)
    assert not [value for value in lined if isinstance(value, dict)]   # no record was asked for its lines
    edit(data / "indicators.yml", "- id: trained\n", "- id: staff-trained\n")

    def problems(**settings) -> list[str]:
        with pytest.raises(DataError) as error:
            load(data, **settings)
        return [str(p) for p in error.value.problems]

    found = problems(cache_dir=folder)
    assert "data/actions.yml:12: action act-training: indicators[0]: unknown indicator 'trained'" in \
        " ".join(found)
    assert any(isinstance(value, dict) and value.get("id") == "act-training" for value in lined)
    assert found == problems()   # as a load with nothing kept reports them


def test_a_kept_record_whose_lines_are_damaged_keeps_every_value_at_its_own_line():
    """Lines are read from what was kept only when asked: if they cannot be read then, nothing is lost but
    the lines inside the record, which fall back to the record's first line."""
    data, _ = load_yaml_text("- id: a\n  tags:\n    - x\n    - y\n  sub: {k: 1}\n")
    kept = LineList([json.loads(json.dumps(data[0]))])
    kept.item_lines = [1]
    kept._unread = {0: ("[1,2,", 0)}   # cut short
    record = kept.lined(0)
    assert record == data[0] and record.key_lines == {"id": 1, "tags": 1, "sub": 1}
    assert record["tags"].item_lines == [1, 1] and isinstance(record["sub"], LineDict)
