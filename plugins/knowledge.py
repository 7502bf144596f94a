"""Load every collection in data/, validate it, resolve references: the `Knowledge` the build uses.

All problems are collected and reported together, each pointing at a file and
line, so an editor can fix a whole push in one go.
"""

from __future__ import annotations

import types
import typing
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any, Generic, TypeVar

import pluggy
from pydantic import BaseModel, ValidationError

from plugins.loader import LineDict, LineList, line_of, load_yaml
from plugins.models import Origin, Record
from plugins.problems import DataError, Problem
from plugins.types import PageRef, PartialDate, Recorded, Ref

R = TypeVar("R", bound=Record)


@dataclass(frozen=True)
class Collection(Generic[R]):
    """A list of records of one model, kept in `data/<file>` (or a folder `data/<name>/` of .yml files)."""

    name: str
    model: type[R]
    label: str
    """What one record is called in messages: 'source', 'glossary term'."""
    file: str = ""
    description: str = ""
    pages_of: Callable[[Any], list[str]] | None = None
    """The docs paths of the pages a record is shown on, for features that work across collections
    (review notices, audience hubs)."""

    @property
    def filename(self) -> str:
        return self.file or f"{self.name}.yml"

    def paths(self, data_dir: Path) -> list[Path]:
        folder = data_dir / Path(self.filename).stem
        if folder.is_dir():
            return sorted(folder.glob("*.yml")) + sorted(folder.glob("*.yaml"))
        path = data_dir / self.filename
        return [path] if path.exists() else []


@dataclass(eq=False)  # compared and hashed by identity: derived data is cached per Knowledge
class Knowledge:
    """Every validated record, by collection and id, and where each came from."""

    root: Path
    collections: dict[str, Collection] = field(default_factory=dict)
    records: dict[str, dict[str, Record]] = field(default_factory=dict)
    files: dict[str, list[str]] = field(default_factory=dict)
    today: date = field(default_factory=date.today)
    as_at_override: date | None = None
    """KB_AS_AT: show the site as at this date instead of its latest recorded date."""
    latest_recorded: date | None = None
    _raw: dict[tuple[str, str], Any] = field(default_factory=dict, repr=False)

    def all(self, collection: str) -> list[Any]:
        """Records of a collection in file order."""
        return list(self.records[collection].values())

    def get(self, collection: str, record_id: str) -> Any:
        return self.records[collection][record_id]

    def label(self, record: Record) -> str:
        return f"{self._collection_of(record).label} {record.id}"

    def problem(self, record: Record, rule: str, path: tuple[Any, ...] = ()) -> Problem:
        """A Problem about `record`, pointing at the line of `path` within it."""
        collection = self._collection_of(record)
        raw = self._raw.get((collection.name, record.id))
        return Problem(record.origin.file, line_of(raw, path, record.origin.line), self.label(record), rule)

    def _collection_of(self, record: Record) -> Collection:
        for collection in self.collections.values():
            if isinstance(record, collection.model) and self.records.get(collection.name, {}).get(record.id) is record:
                return collection
        raise KeyError(f"{record!r} is not in any collection")

    def published(self) -> Iterator[tuple[Collection, Any, list[str]]]:
        """Every record shown on pages of its own, with its collection and those pages (see Collection.pages_of)."""
        for collection in self.collections.values():
            if collection.pages_of is None:
                continue
            for record in self.all(collection.name):
                pages = collection.pages_of(record)
                if pages:
                    yield collection, record, pages

    @property
    def as_at(self) -> date:
        """The date every derived figure is 'as at': KB_AS_AT if given, else the latest date on which
        something was recorded (an action update, a committee report, a review), else today.

        Deterministic: the same data always builds the same site, and the site never claims to
        know more than was recorded. A publishing job that wants the calendar sets KB_AS_AT.
        """
        return self.as_at_override or self.latest_recorded or self.today

    @property
    def record_count(self) -> int:
        return sum(len(records) for records in self.records.values())


def repeats(records: Iterable[R], key: Callable[[R], Any]) -> Iterator[tuple[R, R]]:
    """(record, first) for every record whose key an earlier record already had: for uniqueness rules."""
    first_with: dict[Any, R] = {}
    for record in records:
        first = first_with.setdefault(key(record), record)
        if first is not record:
            yield record, first


def register_collections(pm: pluggy.PluginManager) -> dict[str, Collection]:
    collections: dict[str, Collection] = {}

    def register(collection: Collection) -> None:
        if collection.name in collections:
            raise ValueError(f"two plugins register a data collection named '{collection.name}'")
        collections[collection.name] = collection

    pm.hook.register_collections(register=register)
    return collections


def load_knowledge(pm: pluggy.PluginManager, root: Path, data_dir: Path | None = None,
                   today: date | None = None, as_at: date | None = None) -> Knowledge:
    """Load and check everything in data/; raise DataError listing every problem."""
    data_dir = data_dir or root / "data"
    kb = Knowledge(root=root, collections=register_collections(pm), today=today or date.today(), as_at_override=as_at)
    problems: list[Problem] = []
    failed: set[str] = set()
    for collection in kb.collections.values():
        collection_problems = _load_collection(kb, collection, data_dir)
        if collection_problems:
            failed.add(collection.name)
            problems += collection_problems
    problems += _check_references(kb, skip=failed)
    if not problems:
        for found in pm.hook.check_knowledge(kb=kb):
            problems += list(found or ())
    problems += _future_recordings(kb)
    if problems:
        raise DataError(problems)
    kb.latest_recorded = _latest_recorded(kb)
    return kb


def _relative(path: Path, root: Path) -> str:
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return path.as_posix()


def _load_collection(kb: Knowledge, collection: Collection, data_dir: Path) -> list[Problem]:
    records: dict[str, Record] = {}
    kb.records[collection.name] = records
    paths = collection.paths(data_dir)
    kb.files[collection.name] = [_relative(p, kb.root) for p in paths]
    if not paths:
        expected = _relative(data_dir / collection.filename, kb.root)
        return [Problem(expected, 1, "", f"missing: the {collection.label} collection has no data file")]
    problems: list[Problem] = []
    for path in paths:
        problems += _load_file(kb, collection, path, records)
    return problems


def _load_file(kb: Knowledge, collection: Collection, path: Path, records: dict[str, Record]) -> list[Problem]:
    file = _relative(path, kb.root)
    data, syntax = load_yaml(path)
    items = data if isinstance(data, LineList) else None
    problems = [Problem(file, p.line, _record_at(items, p.line, collection), p.message) for p in syntax]
    if data is None and not syntax:
        return problems  # an empty file holds no records
    if items is None:
        if not syntax:
            problems.append(Problem(file, getattr(data, "line", 1), "",
                                    f"expected a list of {collection.label} records (each starting with '- id: ...')"))
        return problems
    for index, raw in enumerate(items):
        line = items.item_lines[index]
        label = _label(collection, raw, index)
        if not isinstance(raw, LineDict):
            problems.append(Problem(file, line, label, "expected a mapping of field: value"))
            continue
        try:
            record = collection.model.model_validate(raw)
        except ValidationError as error:
            problems += [Problem(file, line_of(raw, tuple(e["loc"]), line), label, _describe(e))
                         for e in error.errors()]
            continue
        if record.id in records:
            first = records[record.id].origin
            problems.append(Problem(file, line, label, f"duplicate id '{record.id}' (also at {first.file}:{first.line})"))
            continue
        record._origin = Origin(file=file, line=line)
        records[record.id] = record
        kb._raw[(collection.name, record.id)] = raw
    return problems


def _record_at(items: LineList | None, line: int, collection: Collection) -> str:
    """The label of the record a line belongs to, for problems found while parsing."""
    if not items:
        return ""
    index = max((i for i, start in enumerate(items.item_lines) if start <= line), default=None)
    return _label(collection, items[index], index) if index is not None else ""


def _label(collection: Collection, raw: Any, index: int) -> str:
    record_id = raw.get("id") if isinstance(raw, dict) else None
    return f"{collection.label} {record_id}" if isinstance(record_id, str) else f"{collection.label} #{index + 1}"


def _field_path(loc: Iterable[Any]) -> str:
    path = ""
    for step in loc:
        path += f"[{step}]" if isinstance(step, int) else (f".{step}" if path else str(step))
    return path


def _describe(error: dict[str, Any]) -> str:
    """A pydantic error in an editor's words: 'field: what is wrong'."""
    kind, loc, value = error["type"], error["loc"], error.get("input")
    where = _field_path(loc)
    if kind == "missing":
        rule = "required field is missing"
    elif kind == "extra_forbidden":
        rule = "unknown field (check the spelling; `kb schema` lists the fields)"
    elif kind.startswith("date_") or kind.startswith("datetime_"):
        rule = f"'{value}' is not a real date (write YYYY-MM-DD)"
    elif kind == "literal_error":
        rule = f"'{value}' is not allowed: expected {error['ctx']['expected']}"
    elif kind == "string_pattern_mismatch" and loc and loc[-1] == "id":
        rule = f"'{value}' is not a valid id: use lower-case letters, digits and single hyphens"
    elif kind == "string_pattern_mismatch":
        rule = f"'{value}' does not have the required form ({error['ctx']['pattern']})"
    elif kind == "value_error":
        rule = error["msg"].removeprefix("Value error, ")
    else:
        message = error["msg"]
        rule = message[:1].lower() + message[1:]
        if value is not None and not isinstance(value, (dict, list)) and "'" not in rule:
            rule += f" (got {value!r})"
    return f"{where}: {rule}" if where else rule


# --- references between records --------------------------------------------


def _check_references(kb: Knowledge, skip: set[str]) -> list[Problem]:
    problems = []
    for name, records in kb.records.items():
        for record in records.values():
            for path, target, value in _references(record):
                if target in skip:
                    continue
                if target not in kb.records:
                    raise ValueError(f"{type(record).__name__}.{path[0]} refers to unknown collection '{target}'")
                if value not in kb.records[target]:
                    where = " or ".join(kb.files.get(target) or [kb.collections[target].filename])
                    problems.append(kb.problem(
                        record, f"{_field_path(path)}: unknown {kb.collections[target].label} '{value}' (not in {where})", path))
    return problems


def _marked(value: Any, annotation: Any, path: tuple[Any, ...], marker: type) -> Iterator[tuple[tuple[Any, ...], Any, Any]]:
    """Yield (path, marker instance, value) for every field of `value` whose annotation carries `marker`."""
    if isinstance(value, BaseModel):
        for name, info in type(value).model_fields.items():
            yield from _marked(getattr(value, name), info.rebuild_annotation(), (*path, name), marker)
        return
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        base, *metadata = typing.get_args(annotation)
        found = next((m for m in metadata if isinstance(m, marker)), None)
        if found is not None and value is not None and not isinstance(value, (list, tuple, BaseModel)):
            yield path, found, value
        else:
            yield from _marked(value, base, path, marker)
    elif origin in (list, tuple) and isinstance(value, (list, tuple)):
        item_type = typing.get_args(annotation)[0]
        for index, item in enumerate(value):
            yield from _marked(item, item_type, (*path, index), marker)
    elif origin in (typing.Union, types.UnionType) and value is not None:
        for option in typing.get_args(annotation):
            yield from _marked(value, option, path, marker)


def page_references(kb: Knowledge, known_pages: frozenset[str]) -> list[Problem]:
    """Every field naming a page (PageRef) that the site does not have, at its line."""
    return [kb.problem(record, f"{_field_path(path)}: no page '{value}' on this site (a path under docs/, "
                               "or of a page made from data)", path)
            for records in kb.records.values() for record in records.values()
            for path, _, value in _marked(record, type(record), (), PageRef)
            if value not in known_pages]


def _references(record: Record) -> Iterator[tuple[tuple[Any, ...], str, str]]:
    """Yield (path, collection, id) for every field of a record annotated with Ref."""
    for path, ref, value in _marked(record, type(record), (), Ref):
        if isinstance(value, str):
            yield path, ref.collection, value


def _future_recordings(kb: Knowledge) -> list[Problem]:
    """A progress update or review dated after today is a typo that would move the site's as-at date."""
    return [kb.problem(record, f"{_field_path(path)}: {value} is in the future: nothing can have been recorded then",
                       path)
            for records in kb.records.values() for record in records.values()
            for path, _, value in _marked(record, type(record), (), Recorded)
            if (value.start if isinstance(value, PartialDate) else value) > kb.today]


def _latest_recorded(kb: Knowledge) -> date | None:
    """The latest date marked Recorded (a progress update, a review) anywhere in the data."""
    dates = [value.start if isinstance(value, PartialDate) and value.precision == "day" else value
             for records in kb.records.values() for record in records.values()
             for _, _, value in _marked(record, type(record), (), Recorded)
             if isinstance(value, date) or (isinstance(value, PartialDate) and value.precision == "day")]
    return max(dates, default=None)
