"""The plan's figures as at a date: totals for the overview, and what changed between two dates.

Every figure carries what it rests on (`Basis`): a count over the plan rests on
the plan record (whose actions may be a reconstruction) and on every action and
status it was computed from, so it is marked wherever one of them is illustrative.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date

from plugins.core.knowledge import Knowledge
from plugins.core.provenance import Basis, Figure
from plugins.plan.models import DONE, Action, DevelopmentPlan, ProgressUpdate
from plugins.sources.models import CommitteeReport, Source


def the_plan(kb: Knowledge) -> DevelopmentPlan:
    return kb.all(DevelopmentPlan)[0]


def actions_in_plan(kb: Knowledge, as_at: date) -> list[Action]:
    return [a for a in kb.all(Action) if a.in_plan(as_at)]


def status_basis(action: Action, as_at: date) -> Basis:
    """What an action's status as at a date rests on: the action and the update that gave it."""
    return Basis.of(action, action.latest_update(as_at))


@dataclass(frozen=True)
class PlanSummary:
    """Every figure on the plan overview, computed once for a date."""

    as_at: date
    actions: list[Action]
    basis: Basis
    """What every count over the plan rests on."""
    by_status: Counter
    by_source: dict[str, Figure]
    by_theme: Counter
    by_service: Counter
    overdue: list[Action]
    due_soon: list[Action]

    @property
    def total(self) -> int:
        return len(self.actions)


def summarise(kb: Knowledge, as_at: date) -> PlanSummary:
    actions = actions_in_plan(kb, as_at)
    plan = the_plan(kb)
    basis = Basis.of(plan, [status_basis(a, as_at) for a in actions])
    answering: Counter = Counter()
    for action in actions:
        answering.update(source.id for source in action.sources)
    return PlanSummary(
        as_at=as_at,
        actions=actions,
        basis=basis,
        by_status=Counter(a.status_at(as_at) for a in actions),
        by_source={s.id: source_count(kb, s, answering[s.id], basis) for s in kb.all(Source)},
        by_theme=Counter(a.theme.id for a in actions),
        by_service=Counter(a.lead_service.id for a in actions),
        overdue=sorted((a for a in actions if a.is_overdue(as_at)), key=lambda a: (a.due, a.id)),
        due_soon=sorted((a for a in actions if a.is_due_soon(as_at)), key=lambda a: (a.due, a.id)),
    )


def source_count(kb: Knowledge, source: Source, answering: int, basis: Basis) -> Figure:
    """How many actions answer a source's recommendations, or why that is not known: a source whose
    recommendations are in the plan, but none of them recorded, is not a zero."""
    if answering:
        return Figure(answering, basis)
    if source.in_development_plan == "yes" and not the_plan(kb).document_seen:
        return Figure.unknown(f"not recorded: {the_plan(kb).document} was not seen")
    if source.in_development_plan == "not-recorded":
        return Figure.unknown("not recorded: no source says")
    return Figure(0, basis)


def report_dates(kb: Knowledge) -> tuple[CommitteeReport, CommitteeReport] | None:
    """The two most recent committee reports: 'changes since the last report' lie between them."""
    reports = sorted(kb.all(CommitteeReport), key=lambda r: r.date.start)
    return (reports[-2], reports[-1]) if len(reports) >= 2 else None


def baseline(kb: Knowledge) -> date | None:
    """The one baseline every direction of travel is measured from, on every page and in every export: the
    last report to committee before the latest (with fewer than two reports, the value before the latest)."""
    dates = report_dates(kb)
    return dates[0].date.start if dates else None


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

    @property
    def basis(self) -> Basis:
        return Basis.of(self.action, self.update)


def change_of(action: Action, start: date, end: date) -> ActionChange:
    """How an action in the plan at `end` stood at `start` and at `end`."""
    return ActionChange(action, action.status_at(start), action.status_at(end), action.latest_update(end),
                        action.is_overdue(end) and not action.is_overdue(start))


def changes_between(kb: Knowledge, start: date, end: date) -> list[ActionChange]:
    """Actions whose status changed, that were added, or that became overdue between two dates."""
    changes = (change_of(action, start, end) for action in actions_in_plan(kb, end))
    return sorted((c for c in changes if c.before != c.after or c.became_overdue),
                  key=lambda c: (c.action.theme.id, c.action.id))


def progress_between(kb: Knowledge, start: date, end: date) -> list[ActionChange]:
    """Every action with an update after `start` up to `end`, with its status then and now."""
    return sorted((change_of(action, start, end) for action in actions_in_plan(kb, end)
                   if any(start < update.date <= end for update in action.updates)),
                  key=lambda c: (c.action.theme.id, c.action.id))
