"""Provenance: what a shown value rests on, computed from the data rather than remembered by editors.

A record or part that states facts cites documents; where something in it is
not in a source it says so (`illustrative: what was assumed`). Every value the
site shows (a count, a status, an indicator value, a chart bar, a session, a
feed entry) is computed from records, and its `Basis` is the union of what
those records assumed. A value whose basis is illustrative is marked wherever
it is shown: on the page, in a chart, an export, a feed or the committee report.

    basis = Basis.of(action, action.latest_update(as_at))
    Figure(12, basis)              # shown as "12 †" with a legend, when basis.illustrative

A value the sources do not give is `Figure.unknown(reason)`: shown as the reason
("not recorded: the plan's Appendix 1 was not seen"), never as 0.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

MARK = "†"
"""The symbol beside a value that rests on illustrative data (always with a text alternative and a legend)."""

MARKED = "data-kb-mark"
"""The attribute of a mark in HTML: a page holding one gets the legend, and counts as resting on illustrative data."""
NOTICE = "data-kb-illustrative"
"""The attribute of an 'Illustrative' notice in HTML."""


@dataclass(frozen=True)
class Basis:
    """What a value rests on: the assumptions of every illustrative input it was computed from."""

    assumptions: tuple[str, ...] = ()

    @property
    def illustrative(self) -> bool:
        return bool(self.assumptions)

    def __or__(self, other: "Basis") -> "Basis":
        return Basis(tuple(dict.fromkeys(self.assumptions + other.assumptions)))

    @classmethod
    def of(cls, *inputs: Any) -> "Basis":
        """The basis of a value computed from these inputs: records, parts, Figures, Bases, or lists of them."""
        return cls(tuple(dict.fromkeys(_notes(inputs))))

    @staticmethod
    def marks(*inputs: Any) -> bool:
        """Whether a value computed from these inputs rests on illustrative data (`of(...).illustrative`, from
        the first note found, not all of them: asked for every row of the longest pages)."""
        return next(_notes(inputs), None) is not None


def _notes(inputs: Iterable[Any]) -> Iterator[str]:
    """The assumptions of every illustrative input, in order, one line each (a note may come more than once)."""
    for item in _flatten(inputs):
        if isinstance(item, Basis):
            yield from item.assumptions
        elif isinstance(item, Figure):
            yield from item.basis.assumptions
        else:
            note = getattr(item, "illustrative", None)
            if note:
                yield _one_line(str(note))


SOURCED = Basis()


@functools.lru_cache(maxsize=1 << 12)
def _one_line(note: str) -> str:
    """A note as one line (many records share theirs: a row's mark is worked out from them again and again)."""
    return " ".join(note.split())


def _flatten(items: Iterable[Any]) -> Iterable[Any]:
    for item in items:
        if isinstance(item, (list, tuple, set, frozenset)):
            yield from _flatten(item)
        elif item is not None:
            yield item


@dataclass(frozen=True)
class Figure:
    """A value as it is shown, with what it rests on; `value` None means the sources do not give it."""

    value: Any
    basis: Basis = SOURCED
    unknown_reason: str = ""

    @classmethod
    def unknown(cls, reason: str, basis: Basis = SOURCED) -> "Figure":
        return cls(None, basis, reason)

    @property
    def known(self) -> bool:
        return self.value is not None

    @property
    def illustrative(self) -> bool:
        return self.basis.illustrative

    def text(self, mark: bool = True, format: str = "{}") -> str:
        """The figure as plain text (exports, the Markdown report): '12 †', or the reason it is not known."""
        shown = format.format(self.value) if self.known else self.unknown_reason
        return f"{shown} {MARK}" if mark and self.illustrative else shown


def count(items: Iterable[Any], basis_of: Any = None) -> Figure:
    """How many items there are, resting on every item counted (and on `basis_of`, if given)."""
    items = list(items)
    return Figure(len(items), Basis.of(items, basis_of))
