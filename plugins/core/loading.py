"""Load every collection in data/, validate it, resolve references: the `Knowledge` the build uses.

All problems are collected and reported together, each pointing at a file and
line, so an editor can fix a whole push in one go.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pluggy
from pydantic import ValidationError

from plugins.core.content import Content, walk
from plugins.core.editions import PUBLIC, leave_out_above
from plugins.core.fields import field_path, marked, references
from plugins.core.knowledge import Collection, Knowledge
from plugins.core.lifetime import collector_paused
from plugins.core.loader import LineList, line_of, load_yaml_file
from plugins.core.problems import DataError, Problem
from plugins.core.records import Origin, Record
from plugins.core.settings import Settings
from plugins.core.types import SLUG_PATTERN, PageRef, PartialDate, Recorded
from plugins.core.yaml_errors import not_text


def register_collections(pm: pluggy.PluginManager) -> dict[str, Collection]:
    """Every collection the plugins register; two with one name or one model are a programming error."""
    collections: dict[str, Collection] = {}
    models: dict[str, Collection] = {}

    def register(collection: Collection) -> None:
        if collection.name in collections:
            raise ValueError(f"two plugins register a data collection named '{collection.name}'")
        if collection.model.__name__ in models:
            raise ValueError(f"collections '{models[collection.model.__name__].name}' and '{collection.name}' "
                             f"both hold {collection.model.__name__} records")
        collections[collection.name] = collection
        models[collection.model.__name__] = collection

    pm.hook.register_collections(register=register)
    return collections


@collector_paused()   # many objects, almost no cycles: see lifetime
def load_knowledge(pm: pluggy.PluginManager, settings: Settings) -> Knowledge:
    """Load and check everything in the data folder; raise DataError listing every problem."""
    kb = Knowledge(settings=settings, plugins=pm, collections=register_collections(pm))
    if not settings.data_dir.is_dir() or settings.data_dir.is_symlink():
        raise DataError(_unclaimed_files(kb))
    content = Content(settings, cache=settings.cache())
    kb.cache = content.cache
    problems: list[Problem] = _unclaimed_files(kb)
    failed: set[str] = set()
    for collection in kb.collections.values():
        collection_problems = _load_collection(kb, collection, content)
        if collection_problems:
            failed.add(collection.name)
            problems += collection_problems
    for found in pm.hook.check_content(content=content):
        problems += list(found or ())
    problems += _resolve_references(kb, skip=failed)
    if not problems and settings.edition == PUBLIC:
        leave_out_above(kb, "unrestricted")
    if not problems:
        for found in pm.hook.check_knowledge(kb=kb):
            problems += list(found or ())
    recorded = _recorded_dates(kb)
    problems += _future_recordings(kb, recorded)
    if problems:
        raise DataError(problems)   # nothing of this content is kept in the cache
    content.cache.keep()
    kb.latest_recorded = _latest_recorded(recorded)
    return kb


def relative(path: Path, root: Path) -> str:
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return path.as_posix()


def _unclaimed_files(kb: Knowledge) -> list[Problem]:
    """A file in data/ that no collection reads would be silently ignored: refuse it instead.
    So is a file a folder of the same name shadows, a symbolic link, and a name unfit for a web address."""
    data_dir = kb.settings.data_dir
    if not data_dir.is_dir() or data_dir.is_symlink():
        rule = "is a symbolic link: the data folder must be in the repository" if data_dir.is_symlink() \
            else "the data folder does not exist"
        return [Problem(relative(data_dir, kb.root), 1, "", rule)]
    files, problems = walk(data_dir, kb.root)
    claimed = {path.resolve() for c in kb.collections.values() for path in c.paths(data_dir)}
    names = ", ".join(sorted(c.filename for c in kb.collections.values()))
    for collection in kb.collections.values():
        file, folder = data_dir / collection.filename, data_dir / collection.name
        if folder.is_dir() and file.exists():
            problems.append(Problem(relative(file, kb.root), 1, "", f"the folder {relative(folder, kb.root)}/ holds "
                                    f"this collection, so this file would be ignored: keep one of the two"))
            claimed.discard(file.resolve())
        elif file.is_dir():
            problems.append(Problem(relative(file, kb.root), 1, "", "a folder named like a data file: "
                                    f"a collection in a folder is data/{collection.name}/"))
    return problems + [Problem(relative(path, kb.root), 1, "", f"not part of any collection: data files are {names}")
                       for path in files if path.resolve() not in claimed]


def _load_collection(kb: Knowledge, collection: Collection, content: Content) -> list[Problem]:
    records: dict[str, Record] = {}
    kb.records[collection.name] = records
    paths = collection.paths(kb.settings.data_dir)
    kb.files[collection.name] = [relative(p, kb.root) for p in paths]
    if not paths:
        expected = relative(kb.settings.data_dir / collection.filename, kb.root)
        return [Problem(expected, 1, "", f"missing: the {collection.label} collection has no data file")]
    problems: list[Problem] = []
    for path in paths:
        if path.is_file() and not path.is_symlink():
            problems += _load_file(kb, collection, path, records, content)
    if not records and not problems and not collection.may_be_empty:
        # Refused, not warned: a warning scrolls past in the push output while the live site loses, say,
        # its glossary; a missing file is refused for the same reason.
        problems.append(Problem(kb.files[collection.name][0], 1, "",
                                f"holds no {collection.label} records: the site would be published without them; "
                                "if the file was emptied by mistake, restore its records from git"))
    return problems


def _load_file(kb: Knowledge, collection: Collection, path: Path, records: dict[str, Record],
               content: Content) -> list[Problem]:
    file = relative(path, kb.root)
    data, syntax, content.digests[file] = load_yaml_file(path, content.cache, name=file)
    if data is not None:
        content.data[file] = data
        content.collections[file] = collection
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
        if not isinstance(raw, dict):
            problems.append(Problem(file, line, label, "expected a mapping of field: value"))
            continue
        try:
            record = collection.model.model_validate(raw)
        except ValidationError as error:
            problems += [Problem(file, line_of(items.lined(index), tuple(e["loc"]), line), label, describe(e))
                         for e in error.errors()]
            continue
        if record.id in records:
            first = records[record.id].origin
            problems.append(Problem(file, line, label, f"duplicate id '{record.id}' (also at {first.file}:{first.line})"))
            continue
        record._origin = Origin(file=file, line=line)
        # By its own text where the file was read record by record; else by the whole file's, and its place.
        record._digest = items.item_digests[index] if len(items.item_digests) == len(items) else \
            f"{content.digests[file]}:{index}"
        records[record.id] = record
        kb._raw[(collection.name, record.id)] = (items, index)
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


def describe(error: dict[str, Any]) -> str:
    """A pydantic error in an editor's words: 'field: what is wrong'."""
    kind, loc, value = error["type"], error["loc"], error.get("input")
    where = field_path(loc)
    if kind == "missing":
        rule = "required field is missing"
    elif kind == "extra_forbidden":
        rule = "unknown field (check the spelling; `kb schema` lists the fields)"
    elif kind.startswith("date_") or kind.startswith("datetime_"):
        rule = f"'{value}' is not a real date (write YYYY-MM-DD)"
    elif kind == "literal_error":
        rule = f"'{value}' is not allowed: expected {error['ctx']['expected']}"
    elif kind == "string_pattern_mismatch" and error["ctx"]["pattern"] == SLUG_PATTERN:
        rule = f"'{value}' is not a valid id: use lower-case letters, digits and single hyphens"
    elif kind == "string_pattern_mismatch":
        rule = f"'{value}' does not have the required form ({error['ctx']['pattern']})"
    elif kind == "string_type" and isinstance(value, (bool, int, float)):
        return not_text(where, value)
    elif kind == "value_error":
        rule = error["msg"].removeprefix("Value error, ")
    else:
        message = error["msg"]
        rule = message[:1].lower() + message[1:]
        if value is not None and not isinstance(value, (dict, list)) and "'" not in rule:
            rule += f" (got {value!r})"
    return f"{where}: {rule}" if where else rule


# --- references between records --------------------------------------------


def _resolve_references(kb: Knowledge, skip: set[str]) -> list[Problem]:
    """Point every reference at the record it names; a name that is not there is a problem at its line."""
    by_model_name = {c.model.__name__: c for c in kb.collections.values()}
    problems = []
    for records in kb.records.values():
        for record in records.values():
            for path, target_name, ref in references(record):
                target = by_model_name.get(target_name)
                if target is None:
                    raise ValueError(f"{type(record).__name__}.{path[0]} refers to {target_name} records, "
                                     "which no plugin registers a collection for")
                if target.name in skip:
                    continue
                found = kb.records[target.name].get(ref.id)
                if found is None:
                    where = " or ".join(kb.files.get(target.name) or [target.filename])
                    problems.append(kb.problem(
                        record, f"{field_path(path)}: unknown {target.label} '{ref.id}' (not in {where})", path))
                else:
                    ref.resolve(found)
    return problems


def page_references(kb: Knowledge, known_pages: frozenset[str]) -> list[Problem]:
    """Every field naming a page, and every page a record is declared to be shown on, that the site lacks."""
    problems = [kb.problem(record, f"{field_path(path)}: no page '{value}' on this site (a path under docs/, "
                                   "or of a page made from data)", path)
                for records in kb.records.values() for record in records.values()
                for path, _, value in marked(record, PageRef)
                if value not in known_pages]
    for collection, record, pages in kb.published():
        for page in pages:
            if page not in known_pages:
                field = collection.page_field
                where = f"{field}: '{getattr(record, field)}' makes" if field else "is shown on"
                problems.append(kb.problem(record, f"{where} the page '{page}', which this site does not have",
                                           (field,) if field else ()))
    return problems


Recordings = list[tuple[Record, tuple[Any, ...], Any]]


def _recorded_dates(kb: Knowledge) -> Recordings:
    """(record, path, date) for every date marked Recorded: found once, for the two uses below."""
    return [(record, path, value) for records in kb.records.values() for record in records.values()
            for path, _, value in marked(record, Recorded)]


def _future_recordings(kb: Knowledge, recorded: Recordings) -> list[Problem]:
    """A progress update or review dated after today is a typo that would move the site's as-at date."""
    return [kb.problem(record, f"{field_path(path)}: {value} is in the future: nothing can have been recorded then",
                       path)
            for record, path, value in recorded
            if (value.start if isinstance(value, PartialDate) else value) > kb.today]


def _latest_recorded(recorded: Recordings):
    """The latest date marked Recorded (a progress update, a review) anywhere in the data."""
    dates = [value.start if isinstance(value, PartialDate) else value
             for _, _, value in recorded
             if not isinstance(value, PartialDate) or value.precision == "day"]
    return max(dates, default=None)
