"""A notice when one lone date moves the whole site's as-at date and makes other actions overdue.

The site is as at the latest date anything was recorded. One progress update
dated later than everything else (a typo, or an update recorded early) moves
that date for every page, and actions nobody touched become overdue. That is
not refused (recording progress on a new date is normal) but it is never
silent: the build log says which date moved it, from when to when, and which
actions and reviews became overdue, so the editor can check the date.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from plugins.core.fields import field_path, marked
from plugins.core.knowledge import Knowledge
from plugins.core.problems import Problem
from plugins.core.records import Owned, Record
from plugins.core.types import PartialDate, Recorded
from plugins.plan.models import Action


@dataclass(frozen=True)
class AsAtMove:
    before: date
    after: date
    moved_by: Problem
    """Where the lone latest date is: file, line, record and field."""
    overdue: list[str]
    """Titles of the actions, and of the owned pages whose review, that became overdue."""

    def message(self) -> str:
        became = "; ".join(self.overdue)
        before, after = _long(self.before), _long(self.after)
        return (f"{self.moved_by.file}:{self.moved_by.line}: {self.moved_by.record}: {self.moved_by.rule} is the only "
                f"date recorded after {before}, so it moves the whole site's as-at date from {before} to {after}, "
                f"and {len(self.overdue)} more "
                f"{'item becomes' if len(self.overdue) == 1 else 'items become'} overdue: {became}. "
                "Check the date; if it is right, nothing needs doing.")


def _long(day: date) -> str:
    return f"{day.day} {day:%B %Y}"


def _recorded(kb: Knowledge) -> list[tuple[date, Record, tuple]]:
    found = []
    for records in kb.records.values():
        for record in records.values():
            for path, _, value in marked(record, Recorded):
                if isinstance(value, PartialDate):
                    if value.precision != "day":
                        continue
                    value = value.start
                found.append((value, record, path))
    return found


def as_at_move(kb: Knowledge) -> AsAtMove | None:
    """The move, when the site's as-at date rests on one recorded date alone and that makes anything overdue."""
    if kb.settings.as_at is not None:
        return None  # set on purpose (KB_AS_AT): the data does not move it
    dated = _recorded(kb)
    after = kb.as_at
    lone = [item for item in dated if item[0] == after]
    earlier = [item[0] for item in dated if item[0] < after]
    if len(lone) != 1 or not earlier:
        return None
    before = max(earlier)
    _, record, path = lone[0]
    overdue = [kb.title(a) for a in kb.all(Action) if a.is_overdue(after) and not a.is_overdue(before)]
    overdue += [f"the review of {kb.title(r)}" for r in kb.having(Owned) if before <= r.review_due < after]
    if not overdue:
        return None
    return AsAtMove(before, after, kb.problem(record, f"{field_path(path)} {after.isoformat()}", path), overdue)
