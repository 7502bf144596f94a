"""The Children's Services Development Plan: themes, recommendations, actions, and their status over time.

Status is read from an action's dated progress updates; "overdue" is derived
from the due date and never stored. Every function takes the date the figures
are "as at", so the same data gives the same answer for any date.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date, timedelta

from plugins.hookspecs import hookimpl
from plugins.knowledge import Collection, Knowledge
from plugins.models import DONE, Action, ProgressUpdate, Recommendation, Theme

STATUS_LABELS = {
    "not-started": "Not started",
    "on-track": "On track",
    "at-risk": "At risk",
    "off-track": "Off track",
    "complete": "Complete",
    "closed-merged": "Closed (merged)",
}
DUE_SOON_DAYS = 90


def action_page_path(action_id: str) -> str:
    return f"plan/actions/{action_id}.md"


@hookimpl
def register_collections(register):
    register(Collection("themes", Theme, "theme", description="Priority themes of the Development Plan."))
    register(Collection("recommendations", Recommendation, "recommendation",
                        description="Recommendations from inspections, the diagnostic and self-assessment."))
    register(Collection("actions", Action, "action", description="Actions of the Children's Services Development Plan."))


@hookimpl
def check_knowledge(kb: Knowledge):
    for action in kb.all("actions"):
        for index, update in enumerate(action.updates):
            if update.merged_into == action.id:
                yield kb.problem(action, f"updates[{index}].merged_into: an action cannot be merged into itself",
                                 ("updates", index, "merged_into"))


def latest_update(action: Action, as_at: date) -> ProgressUpdate | None:
    """The last update on or before `as_at` (None before the action's first update)."""
    found = None
    for update in action.updates:
        if update.date > as_at:
            break
        found = update
    return found


def in_plan(action: Action, as_at: date) -> bool:
    """An action is in the plan from its first recorded update."""
    return action.updates[0].date <= as_at


def status_at(action: Action, as_at: date) -> str | None:
    update = latest_update(action, as_at)
    return update.status if update else None


def is_overdue(action: Action, as_at: date) -> bool:
    """Past its due date and not complete or closed, as at the date (derived, never stored)."""
    status = status_at(action, as_at)
    return status is not None and status not in DONE and action.due < as_at


def is_due_soon(action: Action, as_at: date, days: int = DUE_SOON_DAYS) -> bool:
    status = status_at(action, as_at)
    return status is not None and status not in DONE and as_at <= action.due <= as_at + timedelta(days=days)


def actions_in_plan(kb: Knowledge, as_at: date) -> list[Action]:
    return [a for a in kb.all("actions") if in_plan(a, as_at)]


def sources_of(kb: Knowledge, action: Action) -> list[str]:
    """The ids of the sources whose recommendations an action answers, in first-seen order."""
    return list(dict.fromkeys(kb.get("recommendations", r).source for r in action.recommendations))


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
        by_source.update(sources_of(kb, action))
    return PlanSummary(
        as_at=as_at,
        actions=actions,
        by_status=Counter(status_at(a, as_at) for a in actions),
        by_source=by_source,
        by_theme=Counter(a.theme for a in actions),
        by_service=Counter(a.lead_service for a in actions),
        overdue=sorted((a for a in actions if is_overdue(a, as_at)), key=lambda a: (a.due, a.id)),
        due_soon=sorted((a for a in actions if is_due_soon(a, as_at)), key=lambda a: (a.due, a.id)),
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
    return ActionChange(action, status_at(action, start), status_at(action, end), latest_update(action, end),
                        is_overdue(action, end) and not is_overdue(action, start))


def changes_between(kb: Knowledge, start: date, end: date) -> list[ActionChange]:
    """Actions whose status changed, that were added, or that became overdue between two dates."""
    changes = (change_of(action, start, end) for action in actions_in_plan(kb, end))
    return sorted((c for c in changes if c.before != c.after or c.became_overdue),
                  key=lambda c: (c.action.theme, c.action.id))
