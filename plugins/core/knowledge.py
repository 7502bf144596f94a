"""The checked data: typed collections of records, references resolved, traits to ask by.

    kb.all(Action)            -> list[Action], in file order
    kb.get(Action, "cse-01")  -> Action
    action.theme.record       -> the Theme it names (references resolve once the data is checked)
    kb.having(Owned)          -> every record, of any collection, that declares the trait
    kb.title(record), kb.page_of(record)
                              -> what a reader calls it and where it is shown, as its collection declares
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from plugins.core.loader import LineList, line_of
from plugins.core.problems import Problem
from plugins.core.records import Record, display_name
from plugins.core.settings import Settings

if TYPE_CHECKING:
    import pluggy
    from jinja2 import Environment

    from plugins.core.cache import ContentCache

R = TypeVar("R", bound=Record)
T = TypeVar("T")


@dataclass(frozen=True)
class Collection(Generic[R]):
    """A list of records of one model, kept in `data/<name>.yml` (or a folder `data/<name>/` of .yml files).

    The collection declares, once, how its records are named and where they are shown; templates
    then write `link(record)` and `name(record)`, and the cross-cutting features (reviews, hubs,
    provenance) find the pages of any collection's records without knowing its fields.
    """

    name: str
    """Also the data file's name (without .yml) and the schema's."""
    model: type[R]
    label: str
    """What one record is called in messages: 'source', 'glossary term'."""
    description: str = ""
    page: Callable[[R], str | None] | None = None
    """The page a record is shown on (a path under docs/, optionally with '#anchor'), if any."""
    page_field: str = ""
    """The field the page path is made from, if a field names it: a missing page is reported at its line."""
    also_on: Callable[[R], list[str]] | None = None
    """Further pages made for the record (a foster-carer version of a policy)."""
    title: Callable[[R], str] = display_name
    """What a reader calls a record."""
    classification: str = "unrestricted"
    """The classification of its records unless a record says otherwise."""
    may_be_empty: bool = False
    """True for a collection with nothing in it most of the time (reviewed exceptions): an emptied file is
    otherwise refused, so a site is never published without, say, its glossary."""

    @property
    def filename(self) -> str:
        return f"{self.name}.yml"

    def paths(self, data_dir: Path) -> list[Path]:
        folder = data_dir / self.name
        if folder.is_dir():
            return sorted(folder.glob("*.yml")) + sorted(folder.glob("*.yaml"))
        path = data_dir / self.filename
        return [path] if path.exists() else []


@dataclass(eq=False)  # compared and hashed by identity: derived data is cached per Knowledge
class Knowledge:
    """Every validated record, by collection and id, and where each came from."""

    settings: Settings
    plugins: "pluggy.PluginManager"
    collections: dict[str, Collection] = field(default_factory=dict)
    records: dict[str, dict[str, Record]] = field(default_factory=dict)
    files: dict[str, list[str]] = field(default_factory=dict)
    latest_recorded: date | None = None
    cache: "ContentCache | None" = field(default=None, repr=False)
    """Work kept between runs (plugins/core/cache.py), written only if the content passes every check."""
    _by_model: dict[type, Collection] = field(default_factory=dict, repr=False)
    _raw: dict[tuple[str, str], tuple[LineList, int]] = field(default_factory=dict, repr=False)
    """Where each record was parsed: its file's list and its place in it (`LineList.lined` gives its lines)."""
    _templates: "Environment | None" = field(default=None, repr=False)

    def __post_init__(self) -> None:
        self._by_model = {c.model: c for c in self.collections.values()}

    # --- typed access ---------------------------------------------------------

    def collection(self, of: type[Record] | Record) -> Collection:
        model = of if isinstance(of, type) else type(of)
        try:
            return self._by_model[model]
        except KeyError:
            raise KeyError(f"no collection holds {model.__name__} records") from None

    def all(self, model: type[R]) -> list[R]:
        """Records of a model's collection, in file order."""
        return list(self.records[self.collection(model).name].values())  # type: ignore[arg-type]

    def get(self, model: type[R], record_id: str) -> R:
        return self.records[self.collection(model).name][record_id]  # type: ignore[return-value]

    def has(self, model: type[Record]) -> bool:
        return model in self._by_model

    def having(self, trait: type[T]) -> Iterator[T]:
        """Every record, of any collection, that declares a trait (Owned, Audienced, Sourced ...)."""
        for collection in self.collections.values():
            if issubclass(collection.model, trait):
                yield from self.records[collection.name].values()  # type: ignore[misc]

    def files_of(self, *models: type[Record]) -> tuple[str, ...]:
        """The data files of the models' collections, for a page's 'built from' list and edit link."""
        return tuple(f for model in models for f in self.files[self.collection(model).name])

    # --- what a collection declares --------------------------------------------

    def title(self, record: Record) -> str:
        return self.collection(record).title(record)

    def page_of(self, record: Record) -> str | None:
        """The page (with '#anchor' where it is a part of a page) a record is shown on."""
        page = self.collection(record).page
        return page(record) if page else None

    def pages_of(self, record: Record) -> list[str]:
        """The pages made for the record itself (not an anchor on a shared page)."""
        collection = self.collection(record)
        own = self.page_of(record)
        pages = [own] if own and "#" not in own else []
        return pages + (collection.also_on(record) if collection.also_on else [])

    def published(self) -> Iterator[tuple[Collection, Record, list[str]]]:
        """Every record shown on pages of its own, with its collection and those pages."""
        for collection in self.collections.values():
            if collection.page is None and collection.also_on is None:
                continue
            for record in self.records[collection.name].values():
                pages = self.pages_of(record)
                if pages:
                    yield collection, record, pages

    def classification_of(self, record: Record) -> str:
        return record.classification or self.collection(record).classification

    # --- messages ---------------------------------------------------------------

    def label(self, record: Record) -> str:
        return f"{self.collection(record).label} {record.id}"

    def forget_lines(self) -> None:
        """Drop the parsed data kept for pointing problems at a field's line, once every check has run
        (a problem found later points at its record's first line): a large site's data, held twice."""
        self._raw.clear()

    def problem(self, record: Record, rule: str, path: tuple[Any, ...] = ()) -> Problem:
        """A Problem about `record`, pointing at the line of `path` within it."""
        parsed = self._raw.get((self.collection(record).name, record.id))
        raw = parsed[0].lined(parsed[1]) if parsed else None
        return Problem(record.origin.file, line_of(raw, path, record.origin.line), self.label(record), rule)

    # --- dates ------------------------------------------------------------------

    @property
    def today(self) -> date:
        return self.settings.today

    @property
    def root(self) -> Path:
        return self.settings.root

    @property
    def as_at(self) -> date:
        """The date every derived figure is 'as at': KB_AS_AT if given, else the latest date on which
        something was recorded (an action update, a committee report, a review), else today.

        Deterministic: the same data always builds the same site, and the site never claims to
        know more than was recorded. A publishing job that wants the calendar sets KB_AS_AT=today.
        """
        return self.settings.as_at or self.latest_recorded or self.today

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
