"""Read YAML safely and keep the line of every key and item.

PyYAML's C safe loader does the parsing. Two things it does not do are done
here: it silently keeps the last of two equal keys (losing data), and it throws
away line numbers once objects are built. Mappings become `LineDict` and
sequences `LineList`, which remember where each key or item started, so later
errors can point at the line an editor must change.

Timestamps are *not* resolved by YAML: `2015-02-30` stays a string and the
models turn it into a date, so an impossible date is a validation problem with a
line number rather than a crash inside the parser.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from plugins.core.yaml_errors import explain_syntax_error

TIMESTAMP_TAG = "tag:yaml.org,2002:timestamp"
MERGE_TAG = "tag:yaml.org,2002:merge"


class LineDict(dict):
    """A mapping that knows its own line and the line of each key (1-based)."""

    line: int = 0

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.key_lines: dict[Any, int] = {}


class LineList(list):
    """A sequence that knows its own line and the line of each item (1-based)."""

    line: int = 0

    def __init__(self, *args: Any) -> None:
        super().__init__(*args)
        self.item_lines: list[int] = []


@dataclass(frozen=True)
class SyntaxProblem:
    line: int
    message: str


class _Loader(yaml.CSafeLoader):
    """The C safe loader, with line-keeping containers and duplicate-key detection."""

    yaml_implicit_resolvers = {
        first: [(tag, regexp) for tag, regexp in resolvers if tag != TIMESTAMP_TAG]
        for first, resolvers in yaml.CSafeLoader.yaml_implicit_resolvers.items()
    }

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self.problems: list[SyntaxProblem] = []


def _construct_mapping(loader: _Loader, node: yaml.MappingNode):
    data = LineDict()
    data.line = node.start_mark.line + 1
    yield data
    if any(key_node.tag == MERGE_TAG for key_node, _ in node.value):
        loader.problems.append(SyntaxProblem(node.start_mark.line + 1,
                                             "YAML merge keys (<<) are not supported: write the fields out"))
        return
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        line = key_node.start_mark.line + 1
        try:
            hash(key)
        except TypeError:
            loader.problems.append(SyntaxProblem(line, "a value starting with '{' is read as a mapping: put the value in quotes"))
            continue
        if key in data:
            loader.problems.append(SyntaxProblem(
                line,
                f"duplicate key '{key}' (first at line {data.key_lines[key]}); "
                "YAML would silently keep only the last value",
            ))
            continue
        data[key] = loader.construct_object(value_node, deep=True)
        data.key_lines[key] = line


def _construct_sequence(loader: _Loader, node: yaml.SequenceNode):
    data = LineList()
    data.line = node.start_mark.line + 1
    yield data
    for item_node in node.value:
        data.append(loader.construct_object(item_node, deep=True))
        data.item_lines.append(item_node.start_mark.line + 1)


_Loader.add_constructor("tag:yaml.org,2002:map", _construct_mapping)
_Loader.add_constructor("tag:yaml.org,2002:seq", _construct_sequence)


def load_yaml(path: Path) -> tuple[Any, list[SyntaxProblem]]:
    """Parse one YAML file; return its data (or None) and every problem found in it."""
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as error:
        return None, [SyntaxProblem(1, f"file is not UTF-8 text ({error.reason})")]
    loader = _Loader(text)
    try:
        data = loader.get_single_data()
    except yaml.MarkedYAMLError as error:
        return None, [SyntaxProblem(*explain_syntax_error(error, text))]  # in an editor's words, with the fix
    except yaml.YAMLError as error:
        return None, [SyntaxProblem(1, f"YAML error: {error}")]
    finally:
        loader.dispose()
    return data, loader.problems


def line_of(data: Any, path: tuple[Any, ...], default: int) -> int:
    """The line of the deepest part of `path` inside `data` that can be found."""
    line = getattr(data, "line", 0) or default
    for step in path:
        if isinstance(data, LineDict) and step in data:
            line = data.key_lines.get(step, line)
            data = data[step]
        elif isinstance(data, LineList) and isinstance(step, int) and 0 <= step < len(data):
            line = data.item_lines[step]
            data = data[step]
        else:
            break
    return line
