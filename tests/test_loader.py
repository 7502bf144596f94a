"""The YAML loader: safe C parsing, line numbers, duplicate keys refused, dates left to the models."""

from pathlib import Path

from plugins.core.loader import LineDict, LineList, line_of, load_yaml


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "x.yml"
    path.write_text(text, encoding="utf-8")
    return path


def test_records_remember_the_line_of_each_key_and_item(tmp_path):
    data, problems = load_yaml(write(tmp_path, "- id: a\n  title: A\n\n- id: b\n  tags:\n    - one\n    - two\n"))
    assert problems == []
    assert isinstance(data, LineList) and data.item_lines == [1, 4]
    assert isinstance(data[1], LineDict) and data[1].key_lines == {"id": 4, "tags": 5}
    assert line_of(data, (1, "tags", 1), 0) == 7


def test_duplicate_key_is_reported_with_both_lines(tmp_path):
    data, problems = load_yaml(write(tmp_path, "- id: a\n  title: First\n  title: Second\n"))
    assert [(p.line, p.message) for p in problems] == [
        (3, "duplicate key 'title' (first at line 2); YAML would silently keep only the last value")]
    assert data[0]["title"] == "First"


def test_syntax_error_gives_the_line(tmp_path):
    data, problems = load_yaml(write(tmp_path, "- id: a\n  title: [unclosed\n- id: b\n"))
    assert data is None
    assert len(problems) == 1 and problems[0].message.startswith("YAML syntax error")
    assert problems[0].line == 2  # where the bracket was opened and never closed


def test_dates_are_left_as_text_for_the_models(tmp_path):
    data, problems = load_yaml(write(tmp_path, "- published: 2015-02-30\n  when: 2015-04-21\n"))
    assert problems == [] and data[0] == {"published": "2015-02-30", "when": "2015-04-21"}


def test_only_safe_tags_are_accepted(tmp_path):
    data, problems = load_yaml(write(tmp_path, "- !!python/object/apply:os.system ['echo hacked']\n"))
    assert data is None and "YAML" in problems[0].message


def test_merge_keys_are_refused_rather_than_silently_resolved(tmp_path):
    data, problems = load_yaml(write(tmp_path, "- &base {id: a, title: A}\n- <<: *base\n  id: b\n"))
    assert [(p.line, p.message) for p in problems] == [
        (2, "YAML merge keys (<<) are not supported: write the fields out")]
