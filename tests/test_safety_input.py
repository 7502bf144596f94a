"""Hostile input is bounded before anything is built from it: sizes, aliases, nesting, control characters,
and every file under data/ is part of a collection or refused."""

from __future__ import annotations

from pathlib import Path

import pytest

from plugins.core.loader import MAX_FILE_BYTES, MAX_VALUE_CHARS, load_yaml
from plugins.core.problems import DataError
from tests.helpers import load, run_kb



def problems(data: Path) -> list[str]:
    try:
        load(data)
    except DataError as error:
        return [str(p) for p in error.problems]
    return []


def alias_bomb() -> str:
    """Nine levels of nine aliases: a few hundred bytes that a loader would expand to 9^9 strings."""
    lines = ["- id: bomb", "  title: Bomb", "  l0: &l0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    lines += [f"  l{n}: &l{n} [{', '.join([f'*l{n - 1}'] * 9)}]" for n in range(1, 10)]
    padding = "# " + "x" * 78 + "\n"
    text = "\n".join(lines) + "\n"
    return text + padding * ((9_600 - len(text)) // len(padding))


def test_a_yaml_alias_bomb_is_refused_before_anything_is_expanded(data):
    (data / "glossary.yml").write_text(alias_bomb(), encoding="utf-8")
    assert 9_000 < len(alias_bomb()) <= 9_600
    found = problems(data)
    assert found[0] == ("data/glossary.yml:3: YAML anchors and aliases (&name, *name) are not allowed: "
                        "write the value out where it is needed")
    assert all(len(p) < 200 and "lol, lol" not in p for p in found)


def test_an_alias_in_a_date_or_literal_field_is_refused_too(data):
    text = (data / "sources.yml").read_text(encoding="utf-8")
    (data / "sources.yml").write_text(text.replace("published: 2012-07-31", "published: &d 2012-07-31", 1)
                                      .replace("judgement: adequate", "judgement: *d", 1), encoding="utf-8")
    assert any("YAML anchors and aliases" in p for p in problems(data))


def test_a_data_file_over_the_size_limit_is_refused_without_reading_it_all(data):
    with open(data / "glossary.yml", "w", encoding="utf-8") as out:
        out.write("# " + "x" * (MAX_FILE_BYTES + 10) + "\n")
    assert problems(data)[0].startswith(f"data/glossary.yml:1: {MAX_FILE_BYTES + 13:,} bytes is more than the")


def test_an_over_long_value_is_refused_at_its_line(data):
    (data / "glossary.yml").write_text(f"- id: long\n  term: LONG\n  meaning: {'a' * (MAX_VALUE_CHARS + 1)}\n",
                                       encoding="utf-8")
    assert problems(data) == [f"data/glossary.yml:3: a value of {MAX_VALUE_CHARS + 1:,} "
                              f"characters is longer than the {MAX_VALUE_CHARS:,} allowed"]


def test_deep_nesting_is_refused_not_a_crash(tmp_path):
    path = tmp_path / "deep.yml"
    path.write_text("[" * 900 + "]" * 900, encoding="utf-8")
    data, found = load_yaml(path)
    assert data is None and found[0].message == "values nest more than 30 levels deep"


@pytest.mark.parametrize("written, code", [("\x1b[31m", "U+001B"), ("\x00", "U+0000"), ("\x07", "U+0007"),
                                           ('"\\e"', "U+001B"), ('"\\0"', "U+0000"), ('"\\x85"', "U+0085")])
def test_control_characters_are_refused_even_when_written_as_escapes(data, written, code):
    text = (data / "roles.yml").read_text(encoding="utf-8")
    (data / "roles.yml").write_text(text.replace("description: Works with children.",
                                                 f"description: {written}", 1), encoding="utf-8")
    assert problems(data) == [f"data/roles.yml:5: control character {code} is not allowed in text"]


def test_windows_line_endings_are_not_control_characters(data):
    path = data / "roles.yml"
    path.write_bytes(path.read_bytes().replace(b"\n", b"\r\n"))
    assert problems(data) == []


def test_every_file_under_data_is_part_of_a_collection_or_refused(data):
    (data / "notes.txt").write_text("stray\n")
    (data / "archive").mkdir()
    (data / "archive" / "old.yml").write_text("[]\n")
    (data / "glossary").mkdir()
    (data / "glossary" / "more.yml").write_text("[]\n")  # a folder now holds the collection: the file is shadowed
    found = problems(data)
    assert any(p.startswith("data/notes.txt:1: not part of any collection") for p in found)
    assert any(p.startswith("data/archive/old.yml:1: not part of any collection") for p in found)
    assert any(p.startswith("data/glossary.yml:1: the folder data/glossary/ holds this collection, so this file "
                            "would be ignored") for p in found)


def test_a_folder_named_like_a_data_file_is_refused_not_a_crash(data):
    (data / "glossary.yml").unlink()
    (data / "glossary.yml").mkdir()
    found = problems(data)
    assert any(p.startswith("data/glossary.yml:1: a folder named like a data file") for p in found)


def test_the_command_line_reports_bounds_in_one_line_each(data):
    (data / "glossary.yml").write_text(alias_bomb(), encoding="utf-8")
    result = run_kb("validate", "--data", str(data), cwd=data.parent)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert len(result.stderr) < 2_000
