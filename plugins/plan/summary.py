"""The plan's figures as at a date: totals for the overview, and what changed between two dates."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date

from plugins.core.knowledge import Knowledge
from plugins.plan.models import DONE, Action, ProgressUpdate


def actions_in_plan(kb: Knowledge, as_at: date) -> list[Action]:
    return [a for a in kb.all(Action) if a.in_plan(as_at)]


@dataclass(frozen=True)
class PlanSummary:
    """Every figure on the plan overview, computed once for a date."""

    as_at: date
    actions: list[Action]
    by_status: Counter
    by_source: Counter
    by_theme: Counter
    by_service: Counter
    overdue: list[Action]
    due_soon: list[Action]

    @property
    def total(self) -> int:
        return len(self.actions)


def summarise(kb: Knowledge, as_at: date) -> PlanSummary:
    actions = actions_in_plan(kb, as_at)
    by_source: Counter = Counter()
    for action in actions:
        by_source.update(source.id for source in action.sources)
    return PlanSummary(
        as_at=as_at,
        actions=actions,
        by_status=Counter(a.status_at(as_at) for a in actions),
        by_source=by_source,
        by_theme=Counter(a.theme.id for a in actions),
        by_service=Counter(a.lead_service.id for a in actions),
        overdue=sorted((a for a in actions if a.is_overdue(as_at)), key=lambda a: (a.due, a.id)),
        due_soon=sorted((a for a in actions if a.is_due_soon(as_at)), key=lambda a: (a.due, a.id)),
    )


@dataclass(frozen=True)
class ActionChange:
    action: Action
    before: str | None
    after: str
    update: ProgressUpdate
    became_overdue: bool

    @property
    def added(self) -> bool:
        return self.before is None

    @property
    def completed(self) -> bool:
        return self.after in DONE and self.before not in DONE


def change_of(action: Action, start: date, end: date) -> ActionChange:
    """How an action in the plan at `end` stood at `start` and at `end`."""
    return ActionChange(action, action.status_at(start), action.status_at(end), action.latest_update(end),
                        action.is_overdue(end) and not action.is_overdue(start))


def changes_between(kb: Knowledge, start: date, end: date) -> list[ActionChange]:
    """Actions whose status changed, that were added, or that became overdue between two dates."""
    changes = (change_of(action, start, end) for action in actions_in_plan(kb, end))
    return sorted((c for c in changes if c.before != c.after or c.became_overdue),
                  key=lambda c: (c.action.theme.id, c.action.id))
