"""Read YAML safely and keep the line of every key and item.

PyYAML's C safe loader does the parsing. Two things it does not do are done
here: it silently keeps the last of two equal keys (losing data), and it throws
away line numbers once objects are built. Mappings become `LineDict` and
sequences `LineList`, which remember where each key or item started, so later
errors can point at the line an editor must change.

Timestamps are *not* resolved by YAML: `2015-02-30` stays a string and the
models turn it into a date, so an impossible date is a validation problem with a
line number rather than a crash inside the parser.

Input is bounded before anything is built from it: a file's size, each value's
length and how deeply values nest are limited, control characters are refused
(also when written as escapes such as "\\e"), and anchors and aliases (`&a`,
`*a`) are refused outright. An alias repeats a value without repeating its text,
so a few kilobytes of aliases can expand to gigabytes (a "billion laughs"); the
data has no need for them, and refusing them is simpler and safer than
bounding the expansion. The node graph is checked before any value is
constructed, so nothing is ever expanded, let alone copied into a message.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from plugins.core.cache import ContentCache, code_digest, digest, in_use
from plugins.core.yaml_errors import explain_syntax_error

TIMESTAMP_TAG = "tag:yaml.org,2002:timestamp"
MERGE_TAG = "tag:yaml.org,2002:merge"

MAX_FILE_BYTES = 5_000_000
"""One data file (about 10,000 actions); a bigger collection is kept as a folder of files."""
MAX_VALUE_CHARS = 20_000
"""One value: the longest text in the data (a policy section) is under 3,000 characters."""
MAX_DEPTH = 30
"""How deeply mappings and lists may nest: the data's records nest four or five deep."""
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]|\r(?!\n)")
"""Control characters except tab, newline and the carriage return of a Windows line end."""


class LineDict(dict):
    """A mapping that knows its own line and the line of each key (1-based)."""

    line: int = 0

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.key_lines: dict[Any, int] = {}


class LineList(list):
    """A sequence that knows its own line and the line of each item (1-based). A data file read record by
    record also knows a digest of each item's text (`item_digests`), by which work on an item is kept.

    An item taken from a kept parse (a record unchanged since the last load) is plain data: its lines inside
    are read only when asked for, by `lined(index)`. Most loads never ask (the lines point problems at a
    field), and building every record's lines again was most of reading it from what was kept."""

    line: int = 0
    _unread: dict[int, tuple[str, int]] | None = None
    """By index, the kept lines of items read back as plain data, and how far down to move them: only a file's
    list read from kept parses has any, so no other list (a parse makes a great many) holds a dict for it."""

    def __init__(self, *args: Any) -> None:
        super().__init__(*args)
        self.item_lines: list[int] = []
        self.item_digests: list[str] = []

    def lined(self, index: int) -> Any:
        """The item at `index` with the line of each key and item inside it (`LineDict` / `LineList`)."""
        unread = self._unread.pop(index, None) if self._unread else None
        if unread is not None:
            text, shift = unread
            try:
                lines = json.loads(text)
            except ValueError:   # damaged on disk: every line inside it is then the item's own
                lines = None
            self[index] = _lined(self[index], lines, shift, self.item_lines[index])
        return self[index]


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
    data, problems, _ = load_yaml_file(path)
    return data, problems


def load_yaml_file(path: Path, cache: ContentCache | None = None,
                   name: str | None = None) -> tuple[Any, list[SyntaxProblem], str]:
    """`load_yaml`, with the digest of the file's bytes; a file parsed before without a problem is taken from
    `cache` (plugins/core/cache.py) instead of being parsed again. After an edit its unchanged records are taken
    from there, found by the file's `name` in its project ('data/actions.yml'; its absolute path if none is
    given): a publishing server builds each push in a new folder. Each record is then found by its own text,
    so another project's file of the same name costs time, never a wrong record."""
    size = path.stat().st_size
    if size > MAX_FILE_BYTES:
        return None, [SyntaxProblem(1, f"{size:,} bytes is more than the {MAX_FILE_BYTES:,} one data file may "
                                       "hold: split the collection into a folder of files")], ""
    raw = path.read_bytes()
    key = digest(raw, _CODE)
    cache = in_use(cache)
    if cache is not None:
        kept = _kept_whole(cache.get("yaml", key))
        if kept is not None:
            return kept, [], key
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        line = raw[:error.start].count(b"\n") + 1
        return None, [SyntaxProblem(line, f"file is not UTF-8 text ({error.reason})")], key
    items = _items(text)
    place = digest(name or str(path.resolve()), _CODE)
    data, entry = _from_kept_items(text, items, cache.get("items", place) if cache is not None else None,
                                   keep=cache is not None) if items else (None, None)
    problems: list[SyntaxProblem] = []
    whole = data is None
    if whole:
        data, problems = load_yaml_text(text)
    if cache is not None and not problems and data is not None:
        try:
            if whole and items and isinstance(data, LineList) and _one_item_each(data, items):
                first = [data.line] + [start + 1 for start, _, _ in items[1:]]
                data.item_digests = [digest(text[begin:end]) for _, begin, end in items]
                entry = {name: _kept_item(begins - start, line - start, value, start)
                         for name, (start, _, _), begins, line, value
                         in zip(data.item_digests, items, first, data.item_lines, data)}
            if entry is not None:
                cache.put("items", place, entry)
            if whole:   # a file read item by item is kept by its items alone
                cache.put("yaml", key, list(_encode(data)))
        except TypeError:   # a value JSON cannot hold: parsed again next time
            pass
    return data, problems, key


# --- a list parsed item by item ------------------------------------------------
#
# A data file is a list of records, each starting with "- " at the start of a line. Its items are parsed one
# by one (which is also faster than parsing the file whole: 1.0 s against 1.7 s for 2,800 actions), and after
# an edit to one record of a large file only that record's text is parsed again: every item's parse is kept
# (by a digest of its text, in one entry for the file's path) and the unchanged ones are taken from there,
# with their lines moved to where the items now start. Each item's parse is kept as its own JSON text, so
# that after an edit the entry is written again from the unchanged items' texts and the new one's: encoding
# the whole file again took longer than reading it. An item's value is kept as plain JSON and its lines apart
# (`_encode`): an unchanged item is read back as plain data, which the models also validate faster, and its
# lines are built only if something asks (`LineList.lined`). Anything less plain is parsed whole: a line starting with
# anything but "- ", a space, "#" or nothing (a document marker, a directive, a tab); a line break YAML
# knows but Python's "\n" does not; and any item whose text alone does not parse as exactly one item
# (such as a quoted value running over lines onto a line starting "- ", or an alias) - then the whole
# file's parse also gives every problem its right line.

_OTHER_LINE_BREAKS = ("\x85", "\u2028", "\u2029")


_LINE_NOT_INSIDE_AN_ITEM = re.compile(r"\n[^ \n\r#]")
"""The start of a line (after the first) that is neither blank, indented nor a comment: an item's "- ", or
something else. Found from the line break before it: a pattern starting with a character is searched for
far faster than a line's start (`^`), which is tried at every character."""


def _items(text: str) -> list[tuple[int, int, int]] | None:
    """Where each top-level item's text is: (the line it starts on, 0-based; its first character; the character
    after its last). None: parse the file whole. Comments and blank lines before the first item belong to it."""
    if any(mark in text for mark in _OTHER_LINE_BREAKS):
        return None
    starts = []
    first = [0] if text[:1] not in ("", " ", "\n", "\r", "#") else []
    for at in first + [match.start() + 1 for match in _LINE_NOT_INSIDE_AN_ITEM.finditer(text)]:
        if text[at] != "-" or text[at + 1:at + 2] not in ("", " ", "\t", "\r", "\n"):
            return None
        starts.append(at)
    if not starts:
        return None
    bounds = [0, *starts[1:], len(text)]
    items, line = [], 0
    for begin, end in zip(bounds, bounds[1:]):
        items.append((line, begin, end))
        line += text.count("\n", begin, end)
    return items


def _kept_item(begins: int, line: int, value: Any, shift: int) -> str:
    """An item's kept parse: the line its list begins on and its own, and the item `_encode`d with `shift`
    taken off its lines, all counted from the item's text."""
    return json.dumps([begins, line, *_encode(value, shift)], separators=(",", ":"))


def _kept_parse(kept: Any, start: int) -> tuple[int, int, Any, str] | None:
    """A kept item: the line its list begins on and its own, moved down by `start`, its value as plain data and
    its lines inside, unread (`_lines`); None if there is none or it cannot be read (an entry cut short: the
    item is parsed again)."""
    if not isinstance(kept, str):
        return None
    try:
        begins, line, value, lines = json.loads(kept)
    except (ValueError, TypeError):
        return None
    if not (isinstance(begins, int) and isinstance(line, int) and isinstance(lines, str)):
        return None
    return begins + start, line + start, value, lines


def _from_kept_items(text: str, items: list[tuple[int, int, int]], kept: Any,
                     keep: bool = True) -> tuple[LineList | None, dict[str, str] | None]:
    """The list, each item taken from the kept parses or parsed alone, (None, None) if any item cannot be; and
    the entry to keep for it, None if that is the one kept already (or nothing is kept: `keep` false). An item
    is kept by the digest of its text (`_kept_item`)."""
    kept = kept if isinstance(kept, dict) else {}
    data = LineList()
    data._unread = {}
    entry: dict[str, str] = {}
    changed = False
    for start, begin, end in items:
        item = text[begin:end]
        name = digest(item)
        found = _kept_parse(kept.get(name), start)
        if found is not None:
            begins, line, value, lines = found
            entry[name] = kept[name]
            data._unread[len(data)] = (lines, start)
        else:
            alone, problems = load_yaml_text(item)
            if problems or not isinstance(alone, LineList) or not _one_item_each(alone, [(0, 0, len(item))]):
                return None, None
            value = _shift(alone[0], start)
            changed = True
            try:
                if keep:
                    entry[name] = _kept_item(alone.line, alone.item_lines[0], value, start)
            except TypeError:   # a value JSON cannot hold: this item is parsed again next time
                pass
            begins, line = alone.line + start, alone.item_lines[0] + start
        if not data:
            data.line = begins
        data.append(value)
        data.item_lines.append(line)
        data.item_digests.append(name)
    return data, (entry if keep and (changed or len(entry) != len(kept)) else None)


def _shift(value: Any, lines: int) -> Any:
    """The parsed value with every line moved down by `lines` (in place)."""
    if isinstance(value, LineDict):
        value.line += lines
        value.key_lines = {key: line + lines for key, line in value.key_lines.items()}
        for item in value.values():
            _shift(item, lines)
    elif isinstance(value, LineList):
        value.line += lines
        value.item_lines = [line + lines for line in value.item_lines]
        for item in value:
            _shift(item, lines)
    return value


def _one_item_each(data: LineList, items: list[tuple[int, int, int]]) -> bool:
    """Whether the parsed list has one item in each item's text (so each item's parse is its own)."""
    if len(data) != len(items):
        return False
    ends = [start for start, _, _ in items[1:]] + [None]
    return all(start < line and (end is None or line <= end)
               for line, (start, _, _), end in zip(data.item_lines, items, ends))


def _encode(value: Any, shift: int = 0) -> tuple[Any, str]:
    """Parsed data as JSON that keeps every line: the value as plain data, and its lines apart, as the JSON text
    of `_lines` (ints alone), to be read only when asked for. `shift` is taken off every line."""
    return value, json.dumps(_lines(value, shift), separators=(",", ":"))


def _lines(value: Any, shift: int) -> Any:
    """The lines of a parsed value, in the order of its keys or items: a mapping's [its line, each key's line
    and the lines of its value...], a sequence's [its line, each item's line and the lines of the item...],
    and a scalar's 0. A value plain JSON cannot give back as it was (a key that is not text) is refused."""
    if isinstance(value, LineDict):
        lines = [value.line - shift]
        for key, item in value.items():
            if not isinstance(key, str):
                raise TypeError("cannot keep a key that is not text")
            lines += (value.key_lines[key] - shift, _lines(item, shift))
        return lines
    if isinstance(value, LineList):
        lines = [value.line - shift]
        for line, item in zip(value.item_lines, value):
            lines += (line - shift, _lines(item, shift))
        return lines
    if value is None or isinstance(value, (str, bool, int, float)):
        return 0
    raise TypeError(f"cannot keep a {type(value).__name__}")


def _lined(value: Any, lines: Any, shift: int = 0, parent: int = 0) -> Any:
    """Plain data given its lines again (`_encode` undone), `shift` added to every line. Every value is kept
    even where `lines` does not fit it (an entry damaged on disk): a line it lacks is its parent's."""
    if not isinstance(value, (dict, list)):
        return value
    lines = lines if isinstance(lines, list) else []
    own = lines[0] + shift if lines and isinstance(lines[0], int) else parent

    def at(index: int) -> tuple[int, Any]:
        """The line of the index-th key or item, and the lines inside its value."""
        line = lines[2 * index + 1] if 2 * index + 1 < len(lines) else None
        inner = lines[2 * index + 2] if 2 * index + 2 < len(lines) else 0
        return (line + shift if isinstance(line, int) else own), inner

    if isinstance(value, dict):
        mapping = LineDict()
        mapping.line = own
        for index, (key, item) in enumerate(value.items()):
            line, inner = at(index)
            mapping[key] = _lined(item, inner, shift, line)
            mapping.key_lines[key] = line
        return mapping
    sequence = LineList()
    sequence.line = own
    for index, item in enumerate(value):
        line, inner = at(index)
        sequence.append(_lined(item, inner, shift, line))
        sequence.item_lines.append(line)
    return sequence


def _kept_whole(kept: Any) -> Any:
    """A whole file's kept parse with its lines (`_encode`); None if there is none or it cannot be read."""
    if not (isinstance(kept, list) and len(kept) == 2 and isinstance(kept[1], str)):
        return None
    try:
        return _lined(kept[0], json.loads(kept[1]))
    except ValueError:
        return None


def load_yaml_text(text: str) -> tuple[Any, list[SyntaxProblem]]:
    """Parse YAML text (a data file, or a page's front matter), bounded as above."""
    control = [SyntaxProblem(text.count("\n", 0, m.start()) + 1, f"control character U+{ord(m.group()[0]):04X} "
                                                                   "is not allowed in text")
               for m in CONTROL.finditer(text)]
    if control:
        return None, control[:20]
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return None, []
        bounds = _out_of_bounds(node)
        if bounds:
            return None, bounds
        data = loader.construct_document(node)
    except yaml.MarkedYAMLError as error:
        return None, [SyntaxProblem(*explain_syntax_error(error, text))]  # in an editor's words, with the fix
    except yaml.YAMLError as error:
        return None, [SyntaxProblem(1, f"YAML error: {error}")]
    finally:
        loader.dispose()
    return data, loader.problems


def _out_of_bounds(root: yaml.Node) -> list[SyntaxProblem]:
    """Aliases, over-deep nesting, over-long values and escaped control characters, found by walking the
    node graph once (each node visited at most once, so an alias is never followed)."""
    problems: set[SyntaxProblem] = set()
    seen: set[int] = set()
    stack: list[tuple[yaml.Node, int]] = [(root, 1)]
    while stack and len(problems) < 20:
        node, depth = stack.pop()
        line = node.start_mark.line + 1
        if id(node) in seen:
            problems.add(SyntaxProblem(line, "YAML anchors and aliases (&name, *name) are not allowed: "
                                                "write the value out where it is needed"))
            continue
        seen.add(id(node))
        if depth > MAX_DEPTH:
            problems.add(SyntaxProblem(line, f"values nest more than {MAX_DEPTH} levels deep"))
        elif isinstance(node, yaml.ScalarNode):
            if len(node.value) > MAX_VALUE_CHARS:
                problems.add(SyntaxProblem(line, f"a value of {len(node.value):,} characters is longer than "
                                                    f"the {MAX_VALUE_CHARS:,} allowed"))
            elif CONTROL.search(node.value):
                code = ord(CONTROL.search(node.value).group()[0])
                problems.add(SyntaxProblem(line, f"control character U+{code:04X} is not allowed in text"))
        elif isinstance(node, yaml.MappingNode):
            if any(key.tag == MERGE_TAG for key, _ in node.value):
                problems.add(SyntaxProblem(line, "YAML merge keys (<<) are not supported: write the fields out"))
                continue
            stack += [(child, depth + 1) for pair in reversed(node.value) for child in reversed(pair)]
        elif isinstance(node, yaml.SequenceNode):
            stack += [(child, depth + 1) for child in reversed(node.value)]
    return sorted(problems, key=lambda p: p.line)


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


_CODE = code_digest(__name__)
"""Entries made by another version of this parser are never read."""
