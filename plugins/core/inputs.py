"""What a generated page is made from, as one digest known before the page is made.

A page marked `from_context` (`GeneratedPage`) shows its context and nothing else of the data. Its
inputs (`PageInputs.key`) are then:

- the page: its path, title, description, template, data files and whether search leaves it out;
- its context, walked: plain values as they are, mappings and lists in their order, other models and
  dataclasses field by field, records and references by their collection and id;
- every record the walk found, with every record it names by reference (and those they name, and so on),
  each by the digest of the text it was read from (`Record._digest`): a template may follow references
  (`action.theme.record`), and so may the functions it calls (`cites`, `link`, `name`);
- what each plugin's `prepare_page_html` reads for the page besides its HTML (the `page_inputs` hook),
  walked the same way;
- the build: the date the site is as at, its pages and the files it writes (links are made to them).

A value the walk does not know (a function, an object of another kind) leaves the page without a key, and
it is made; so does a plugin that prepares pages' HTML without naming what it reads (`page_inputs`), for
every page. The code, the configuration, the settings and the navigation are not named here: hooks/reuse.py
keeps each page with the site key of the build that made it, and takes it only into a build with the same.

Whether a template shows only its context is its plugin's word: tests/test_inputs.py changes each record of
the test site in turn and checks that every page whose body changed named it, and a build with
KB_REUSE_CHECK=1 makes every page it could have taken and says which were not what was kept.
"""

from __future__ import annotations

import dataclasses
import io
import pickle
from collections.abc import Iterable, Mapping
from datetime import date, datetime
from enum import Enum
from typing import Any

from pydantic import BaseModel

from plugins.core.cache import digest
from plugins.core.fields import references
from plugins.core.knowledge import Knowledge
from plugins.core.manager import PluginManager
from plugins.core.pages import GeneratedPage
from plugins.core.records import Record
from plugins.core.types import PartialDate, Ref


_KINDS: dict[type, str] = {}
"""How `PageInputs.walk` takes a value of each type, worked out once a type (`_kind_of`)."""


def _kind_of(kind: type) -> str:
    """How a value of this type is walked: the first of these it is an instance of."""
    found = ("plain" if kind is type(None) or issubclass(kind, (bool, int, float, str))
             else "record" if issubclass(kind, Record)
             else "ref" if issubclass(kind, Ref)
             else "model" if issubclass(kind, BaseModel)
             else "date" if issubclass(kind, (date, datetime, PartialDate))
             else "enum" if issubclass(kind, Enum)
             else "map" if issubclass(kind, Mapping)
             else "list" if issubclass(kind, (list, tuple))
             else "set" if issubclass(kind, (set, frozenset))
             else "dataclass" if dataclasses.is_dataclass(kind)
             else "unknown")
    _KINDS[kind] = found
    return found


class Unknown(Exception):
    """A value whose part in a page cannot be told from what it holds: the page is made."""


_FIELDS: dict[type, tuple[str, ...]] = {}
"""A dataclass's fields' names, by the dataclass."""

_AS_THEY_ARE = frozenset({str, int, float, bool, type(None), bytes, list, tuple, dict})
"""Types pickle writes out itself, item by item: a value of another type is first described (`_Walk`)."""


class _Walk(pickle.Pickler):
    """Writes a value out as pickle does (in C: the walk of a large context is most of a page's key), each value
    pickle does not write itself described first (`persistent_id`, called for every value): plain values,
    lists, tuples and mappings as they are, in their order; sets sorted; records and references by their
    collection and id (the record put in `found`); models and dataclasses by their class and their fields' values;
    dates as text; enums by their class and value; any other value is `Unknown`. Fast mode: no value is written
    as a back-reference to an earlier one, so equal values are written the same whatever objects they are."""

    def __init__(self, inputs: PageInputs, shared: bool) -> None:
        self.out = io.BytesIO()
        super().__init__(self.out, protocol=pickle.HIGHEST_PROTOCOL)
        self.fast = True
        self.inputs, self.shared = inputs, shared
        self.found: dict[int, Record] = {}

    def written(self, value: Any, found: dict[int, Record]) -> bytes:
        """`value` written out, the records in it put in `found`."""
        self.out.seek(0)
        self.out.truncate()
        self.found = found
        self.dump(value)
        return self.out.getvalue()

    def persistent_id(self, value: Any) -> Any:
        if type(value) in _AS_THEY_ARE:
            return None
        kind = _KINDS.get(type(value)) or _kind_of(type(value))
        if kind == "record":
            self.found[id(value)] = value
            return ("record", type(value).__name__, value.id)
        if kind == "ref":
            target = value._record
            if target is None:
                raise Unknown(f"an unresolved reference '{value.id}'")
            self.found[id(target)] = target
            return ("ref", type(target).__name__, value.id)
        if kind == "model":   # its fields' values, in their order (a model's own dict holds just those)
            if self.shared:
                return self.inputs._once(value, value.__dict__.values(), self.found)
            return (type(value).__qualname__, tuple(value.__dict__.values()))
        if kind == "dataclass":
            names = _FIELDS.get(type(value)) or _FIELDS.setdefault(type(value), tuple(
                field.name for field in dataclasses.fields(value)))
            items = (getattr(value, name) for name in names)
            if self.shared:
                return self.inputs._once(value, items, self.found)
            return (type(value).__qualname__, tuple(items))
        if kind == "plain":   # a subclass of str, int ... (Markup): its value
            return ("plain", type(value).__qualname__, next(t(value) for t in _PLAIN if isinstance(value, t)))
        if kind == "date":
            return ("date", str(value))
        if kind == "enum":
            return (type(value).__qualname__, value.value)
        if kind == "map":
            return ("map", list(value.items()))
        if kind == "list":
            return ("list", list(value))
        if kind == "set":
            return ("set", sorted(self.inputs.walk(item, self.found, self.shared) for item in value))
        raise Unknown(f"a {type(value).__qualname__}")


_PLAIN = (str, float, int)
"""The types a subclass of a plain type is written out as (bool has no subclasses)."""


def names_its_inputs(pm: PluginManager) -> bool:
    """Whether every plugin that prepares pages' HTML says what it reads for a page (`page_inputs`)."""
    preparers = {impl.plugin for impl in pm.hook.prepare_page_html.get_hookimpls()}
    naming = {impl.plugin for impl in pm.hook.page_inputs.get_hookimpls()}
    return preparers <= naming


class PageInputs:
    """The inputs of the generated pages of one build (`key`)."""

    def __init__(self, kb: Knowledge, pm: PluginManager, known_pages: Iterable[str],
                 written_files: Iterable[str]) -> None:
        self.kb = kb
        self._hook = pm.hook.page_inputs if names_its_inputs(pm) else None
        self._build = digest(kb.as_at.isoformat(), *sorted(known_pages), "|", *sorted(written_files))
        self._known: dict[int, tuple[str, list[Record]]] = {}
        """Each record's collection, id and digest, and the records it names by reference, by the record's
        identity: many pages name the same records."""
        self._closures: dict[int, frozenset[str]] = {}
        """The labels of each record and of every record it names, at any depth, by the record's identity."""
        self._idle: dict[bool, list[_Walk]] = {False: [], True: []}
        """Walkers not walking now, not sharing and sharing: a walker is made once, not once a walk."""
        self._shared: dict[int, tuple[Any, str, dict[int, Record]]] = {}
        """What plugins read for many pages (`page_inputs`: a review's record, a change shown as Updated), by
        identity: the object (kept, so that no other takes its identity while the build lasts), the digest
        of its walk and the records in it. A change that touched every page is walked once, not once a page."""

    def key(self, page: GeneratedPage) -> str | None:
        """A digest of everything the page is made from besides the code, settings and navigation; None if the
        page does not say it is made from its context alone, or something in it cannot be told."""
        if not page.from_context or page.in_nav or self._hook is None:
            return None
        try:
            described, found = self._described(page)
            records = self._records(found)
        except Unknown:
            return None
        return digest(self._build, described, *records)

    def records(self, page: GeneratedPage) -> set[str]:
        """'collection/id' of every record the page's key names (for tests, and to find why a page was made)."""
        return {label.partition(":")[0] for label in self._records(self._described(page)[1])}

    def _described(self, page: GeneratedPage) -> tuple[bytes, dict[int, Record]]:
        """The page, its context and what plugins read for it, walked; and the records found in them."""
        found: dict[int, Record] = {}
        named = self._hook(path=page.path, kb=self.kb) if self._hook is not None else []
        described = self.walk([page.path, page.title, page.description, page.template, list(page.data_files),
                               page.search_exclude, page.context], found)
        return described + self.walk(named, found, shared=True), found

    def walk(self, value: Any, found: dict[int, Record], shared: bool = False) -> bytes:
        """`value` written out (`_Walk`), the records in it put in `found`; `Unknown` for a value of another kind.
        `shared`: a model or dataclass in it is walked once a build, and stands for itself by its digest."""
        idle = self._idle[shared]
        walker = idle.pop() if idle else _Walk(self, shared)   # one a walk at a time: a set in it takes another
        try:
            written = walker.written(value, found)
        except (RecursionError, ValueError) as error:   # a value that holds itself
            raise Unknown(str(error)) from None
        # Only a walker that finished is used again: pickle's count of how deep it is does not go back up when a
        # walk is stopped midway (by `Unknown`, say).
        idle.append(walker)
        return written

    def _once(self, value: Any, items: Iterable[Any], found: dict[int, Record]) -> tuple:
        kept = self._shared.get(id(value))
        if kept is None:
            inside: dict[int, Record] = {}
            walked = self.walk((type(value).__qualname__, tuple(items)), inside, shared=True)
            kept = self._shared[id(value)] = (value, digest(walked), inside)
        found.update(kept[2])
        return ("walked", type(value).__qualname__, kept[1])

    def _records(self, found: dict[int, Record]) -> list[str]:
        """Each record found and every record named from it, at any depth, by collection, id and digest."""
        labels: set[str] = set()
        for record in found.values():
            labels |= self._closure(record)
        return sorted(labels)

    def _closure(self, record: Record) -> frozenset[str]:
        """The record and every record named from it, at any depth (worked out once a record)."""
        known = self._closures.get(id(record))
        if known is None:
            seen = {id(record): record}
            waiting = [record]
            labels = set()
            while waiting:
                label, named = self._record(waiting.pop())
                labels.add(label)
                for target in named:
                    if id(target) not in seen:
                        seen[id(target)] = target
                        waiting.append(target)
            known = self._closures[id(record)] = frozenset(labels)
        return known

    def _record(self, record: Record) -> tuple[str, list[Record]]:
        """The record by collection, id and digest, and the records it names."""
        known = self._known.get(id(record))
        if known is None:
            if not record._digest:
                raise Unknown(f"{self.kb.label(record)} was not read from a file")
            named = []
            for _, _, ref in references(record):
                if ref._record is None:
                    raise Unknown(f"an unresolved reference '{ref.id}'")
                named.append(ref._record)
            known = self._known[id(record)] = (f"{self.kb.collection(record).name}/{record.id}:{record._digest}",
                                               named)
        return known
