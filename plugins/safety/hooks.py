"""The safety feature's hook implementations. What the feature does: the package docstring (__init__.py)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import astuple
from typing import Any, NamedTuple

from plugins.core.cache import code_digest, digest, in_use
from plugins.core.content import Content, relative
from plugins.core.hookspecs import hookimpl
from plugins.core.knowledge import Collection, Knowledge
from plugins.core.loader import LineDict, LineList, load_yaml
from plugins.core.problems import Problem
from plugins.core.records import CLASSIFICATIONS
from plugins.safety.detectors import Hit, classify, find, normalise
from plugins.safety.models import AllowedText

ALLOWED = "personal-data-allowed"
PUBLIC_NUMBERS = "contacts"


@hookimpl
def register_collections(register):
    register(Collection(ALLOWED, AllowedText, "allowed text", title=lambda entry: entry.text,
                        description="Reviewed exceptions to the personal-data guard: exact text in one file each.",
                        may_be_empty=True))


@hookimpl
def check_content(content: Content):
    """Called once for the data files and once for the pages; the allow-list and the public numbers
    are read from the data folder when the data files are not in hand."""
    reference = _reference_files(content)
    public = _public_numbers(reference.get(PUBLIC_NUMBERS, []))
    allowed = _allowed(reference.get(ALLOWED, []))
    used: set[int] = set()
    seen: dict[str, tuple[Hit, ...]] = {}  # the hits in each distinct text, for this scan: values repeat a lot
    for file, data in content.data.items():
        if content.collections[file].name == ALLOWED:
            continue
        for found in _file_hits(content, file, data, public, seen):
            if not _is_allowed(found.hit, file, found.text, allowed, used):
                yield Problem(file, found.line, found.label, _rule(found.hit, ".".join(map(str, found.path))))
    for file, text in content.pages.items():
        page = "\n".join(normalise(line) for line in text.split("\n"))
        for hit in find(page, public):
            if not _is_allowed(hit, file, page, allowed, used):
                yield Problem(file, page.count("\n", 0, hit.start) + 1, "", _rule(hit, ""))
    scanned = set(content.data) | set(content.pages)
    for index, entry in enumerate(allowed):
        if index not in used and entry.where in scanned:
            yield Problem(entry.file, entry.line, f"allowed text {entry.id}",
                          f"'{entry.text[:60]}' is not stopped by the guard in {entry.where} (or is not there): "
                          "remove this entry")


class _Entry(NamedTuple):
    where: str
    text: str
    id: str
    file: str
    line: int


def _reference_files(content: Content) -> dict[str, list[tuple[str, Any]]]:
    """The allow-list and contacts files, parsed: from the content, else from the data folder."""
    found: dict[str, list[tuple[str, Any]]] = {}
    for file, data in content.data.items():
        found.setdefault(content.collections[file].name, []).append((file, data))
    for name in (ALLOWED, PUBLIC_NUMBERS):
        path = content.settings.data_dir / f"{name}.yml"
        if name not in found and path.is_file():
            data, _ = load_yaml(path)
            found[name] = [(relative(path, content.settings.root), data)]
    return found


def _public_numbers(files: list[tuple[str, Any]]) -> frozenset[str]:
    numbers = set()
    for _, data in files:
        for item in data if isinstance(data, list) else []:
            if isinstance(item, dict) and isinstance(item.get("number"), str):
                digits = "".join(c for c in normalise(item["number"]) if c.isdigit())
                numbers.add(classify(digits)[1] or digits)
    return frozenset(numbers)


def _allowed(files: list[tuple[str, Any]]) -> list[_Entry]:
    """Each allow-list entry that names a text and a file (the collection validates the rest)."""
    entries = []
    for file, data in files:
        for index, item in enumerate(data if isinstance(data, LineList) else []):
            if isinstance(item, dict) and isinstance(item.get("text"), str) and isinstance(item.get("file"), str):
                entries.append(_Entry(item["file"], normalise(item["text"]).strip(), str(item.get("id", "")), file,
                                      data.item_lines[index]))
    return entries


def _is_allowed(hit: Hit, file: str, text: str, allowed: list[_Entry], used: set[int]) -> bool:
    for index, entry in enumerate(allowed):
        if entry.where == file and entry.text and hit.text.strip() in entry.text and entry.text in text:
            used.add(index)
            return True
    return False


class _Found(NamedTuple):
    """A hit in a data file, before the allow-list is asked: where, in which record, in what text."""

    line: int
    path: tuple
    label: str
    hit: Hit
    text: str
    """The whole value, normalised: an allow-list entry must be part of it."""


_CODE = code_digest("plugins.safety.detectors", __name__)


def _file_hits(content: Content, file: str, data: Any, public: frozenset[str],
               seen: dict[str, tuple[Hit, ...]]) -> list[_Found]:
    """Every hit in one data file's values. Kept by the digest of the file's bytes, the public numbers and this
    code (plugins/core/cache.py): scanning every value of an unchanged file again finds the same. In a changed
    file only what is new is scanned: the hits of each record (a file read record by record, `_record_hits`)
    or else of each text, from the file's last scan, are kept too (by the file's name, its collection, the
    public numbers and this code), so an edit to one record scans that record."""
    collection = content.collections[file]
    cache = in_use(content.cache)
    key = digest(content.digests[file], _CODE, collection.name, collection.label, *sorted(public)) \
        if file in content.digests and cache is not None else None
    kept = cache.get("guard", key) if key and cache is not None else None
    if kept is not None:
        return _found_again(kept)
    texts_key = digest(file, _CODE, collection.name, collection.label, *sorted(public))
    if isinstance(data, LineList) and data.item_digests and len(data.item_digests) == len(data):
        return _record_hits(content, file, data, public, seen, key, texts_key)
    before = cache.get("guard-texts", texts_key) if key and cache is not None else None
    if isinstance(before, dict):
        for text, hits in before.items():
            seen.setdefault(text, tuple(Hit(*hit) for hit in hits))
    texts: set[str] = set()
    found = _scan(content, file, _values(data), public, seen, texts)
    if key and cache is not None:
        cache.put("guard", key, _kept_found(found))
        cache.put("guard-texts", texts_key, {text: [list(astuple(hit)) for hit in seen[text]] for text in texts})
    return found


def _scan(content: Content, file: str, values: Iterable[tuple[Any, int, tuple, Any]], public: frozenset[str],
          seen: dict[str, tuple[Hit, ...]], texts: set[str] | None = None) -> list[_Found]:
    """The hits in `values` ((record, line, path, value), as `_values` gives them); `texts` is given every text
    scanned."""
    public_numbers = content.collections[file].name == PUBLIC_NUMBERS
    found: list[_Found] = []
    for record, line, path, value in values:
        if public_numbers and path[-1:] == ("number",):
            continue
        hits = _hits(value, public, seen)
        if texts is not None and isinstance(value, str):
            texts.add(value)
        if hits:
            label, text = _label(content, file, record), normalise(str(value))
            found += [_Found(line, path, label, hit, text) for hit in hits]
    return found


def _kept_found(found: list[_Found], shift: int = 0) -> list[list]:
    """Findings as JSON, their lines less `shift`; `_found_again` undoes it."""
    return [[f.line - shift, list(f.path), f.label, list(astuple(f.hit)), f.text] for f in found]


def _found_again(kept: list, shift: int = 0) -> list[_Found]:
    return [_Found(line + shift, tuple(path), label, Hit(*hit), text) for line, path, label, hit, text in kept]


def _record_hits(content: Content, file: str, data: LineList, public: frozenset[str],
                 seen: dict[str, tuple[Hit, ...]], key: str | None, records_key: str) -> list[_Found]:
    """`_file_hits` for a file read record by record (`LineList.item_digests`): each record's hits are kept
    by the digest of its text, their lines counted from the record's, so after an edit only the records
    whose text changed are scanned."""
    cache = in_use(content.cache)
    kept = cache.get("guard-records", records_key) if key and cache is not None else None
    kept = kept if isinstance(kept, dict) else {}
    found: list[_Found] = []
    keep: dict[str, list] = {}
    scanned = False
    for index, (start, name) in enumerate(zip(data.item_lines, data.item_digests)):
        before = kept.get(name)
        if isinstance(before, list):
            try:
                hits = _found_again(before, start)
            except (TypeError, ValueError):   # an entry cut short: the record is scanned again
                hits = None
            if hits is not None:
                found += hits
                keep[name] = before
                continue
        record = data.lined(index)
        hits = _scan(content, file, _values(record, (), start, record), public, seen)
        found += hits
        keep[name] = _kept_found(hits, start)
        scanned = True
    if key and cache is not None:
        cache.put("guard", key, _kept_found(found))
        if scanned or keep.keys() != kept.keys():
            cache.put("guard-records", records_key, keep)
    return found


def _hits(value: Any, public: frozenset[str], seen: dict[str, tuple[Hit, ...]]) -> tuple[Hit, ...]:
    if isinstance(value, bool):
        return ()
    if isinstance(value, (int, float)):
        digits = str(int(value)) if isinstance(value, int) or value.is_integer() else ""
        kind, national = classify(digits, numeric=True) if len(digits) >= 9 else ("", "")
        if kind and national not in public:
            return (Hit(f"{kind} (written as a number)", digits, 0, national),)
        return ()
    hits = seen.get(value)
    if hits is None:
        hits = seen[value] = tuple(find(normalise(value), public))
    return hits


def _values(data: Any, path: tuple[Any, ...] = (), line: int = 1, record: Any = None) -> Iterator[tuple[Any, int, tuple, Any]]:
    """(record, line, path, value) for every scalar in a parsed data file."""
    if isinstance(data, LineList):
        for index in range(len(data)):
            item = data.lined(index)
            owner = item if record is None and not path else record
            yield from _values(item, (*path, index) if path else (), data.item_lines[index], owner)
    elif isinstance(data, LineDict):
        for key, value in data.items():
            yield from _values(value, (*path, key), data.key_lines.get(key, line), record)
    elif isinstance(data, (list, dict)):
        for key, value in (data.items() if isinstance(data, dict) else enumerate(data)):
            yield from _values(value, (*path, key), line, record)
    elif isinstance(data, (str, int, float)):
        yield record, line, path, data


def _label(content: Content, file: str, record: Any) -> str:
    record_id = record.get("id") if isinstance(record, dict) else None
    return f"{content.collections[file].label} {record_id}" if isinstance(record_id, str) else ""


def _rule(hit: Hit, field: str) -> str:
    shown = hit.text if len(hit.text) <= 60 else hit.text[:57] + "..."
    kind = hit.kind + (" that is not a public service number in data/contacts.yml"
                       if "telephone" in hit.kind else "")
    return (f"{field + ': ' if field else ''}'{shown}' looks like {kind}: name a role, not a person "
            "(if it is not personal data, see data/personal-data-allowed.yml)")


@hookimpl
def check_knowledge(kb: Knowledge):
    site = kb.settings.classification
    for records in kb.records.values():
        for record in records.values():
            level = kb.classification_of(record)
            if CLASSIFICATIONS.index(level) > CLASSIFICATIONS.index(site):
                yield kb.problem(record, f"classification: '{level}' is above this build's classification "
                                         f"('{site}'): it must not be published here", ("classification",))
