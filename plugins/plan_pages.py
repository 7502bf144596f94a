"""The Development Plan's pages: the overview, one page per action, the scorecard, changes since the last report."""

from __future__ import annotations

from datetime import date

from markupsafe import Markup

from plugins import indicators, plan
from plugins.charts import PALETTE, Bar, bar_chart, sparkline
from plugins.hookspecs import hookimpl
from plugins.indicators import DIRECTION_LABELS, format_value
from plugins.knowledge import Knowledge
from plugins.models import Action, Indicator
from plugins.pages import GeneratedPage, Macro, PageContext
from plugins.plan import action_page_path
from plugins.render import long_date, render
from plugins.types import PartialDate
from plugins.sources import source_page_path

ACTIONS_INDEX = "plan/actions/index.md"
SCORECARD = "plan/indicators.md"


def indicator_anchor(indicator_id: str) -> str:
    return f"indicator-{indicator_id}"


def _names(kb: Knowledge, collection: str, attribute: str = "name") -> dict[str, str]:
    return {r.id: getattr(r, attribute) for r in kb.all(collection)}


def report_dates(kb: Knowledge) -> tuple[PartialDate, PartialDate] | None:
    """The dates of the two most recent committee reports: 'changes since the last report' lie between them.
    A report known only to the month counts from the month's first day."""
    reports = sorted(kb.all("reports"), key=lambda r: r.date.start)
    if len(reports) < 2:
        return None
    return reports[-2].date, reports[-1].date


def _labels(kb: Knowledge) -> dict:
    return {
        "statuses": plan.STATUS_LABELS,
        "themes": _names(kb, "themes"),
        "services": {s.id: s.abbreviation or s.name for s in kb.all("services")},
        "roles": _names(kb, "roles"),
        "sources": _names(kb, "sources", "short_title"),
        "directions": DIRECTION_LABELS,
    }


def _count_bars(counter, labels: dict[str, str], colours: bool = False) -> list[Bar]:
    return [Bar(labels[key], counter[key], PALETTE.get(key, PALETTE["default"]) if colours else PALETTE["default"])
            for key in labels if counter[key]]


def _describe(bars: list[Bar]) -> str:
    return "; ".join(f"{b.label}: {b.value:g}" for b in bars) + "."


def overview(kb: Knowledge, page: PageContext) -> Markup:
    as_at = kb.as_at
    summary = plan.summarise(kb, as_at)
    labels = _labels(kb)
    status_bars = [Bar(label, summary.by_status[key], PALETTE[key]) for key, label in plan.STATUS_LABELS.items()]
    theme_bars = _count_bars(summary.by_theme, labels["themes"])
    charts = {
        "status": bar_chart("chart-status", f"Actions by status as at {long_date(as_at)}", _describe(status_bars),
                            status_bars),
        "theme": bar_chart("chart-theme", "Actions by theme", _describe(theme_bars), theme_bars),
    }
    return render("plan_overview.html", page, kb, summary=summary, labels=labels, charts=charts,
                  action_path=action_page_path, source_path=source_page_path, actions_index=ACTIONS_INDEX,
                  report_dates=report_dates(kb), due_soon_days=plan.DUE_SOON_DAYS,
                  status_of=lambda action: plan.status_at(action, as_at))


def scorecard(kb: Knowledge, page: PageContext) -> Markup:
    as_at = kb.as_at
    scores = indicators.scorecard(kb, as_at)
    trends = {}
    for s in scores:
        known = indicators.values_at(s.indicator, as_at)
        values = ", ".join(f"{v.period}: {format_value(s.indicator, v.value)}" for v in known)
        trends[s.indicator.id] = sparkline(
            f"trend-{s.indicator.id}", f"Trend: {s.indicator.name}",
            f"{values}. Target {format_value(s.indicator, s.indicator.target)}.",
            [v.value for v in known], s.indicator.target)
    actions_by_indicator: dict[str, list] = {i.id: [] for i in kb.all("indicators")}
    for action in kb.all("actions"):
        for indicator_id in action.indicators:
            actions_by_indicator[indicator_id].append(action)
    met = sum(1 for s in scores if s.met)
    return render("scorecard.html", page, kb, scores=scores, as_at=as_at, trends=trends, labels=_labels(kb),
                  fmt=format_value, anchor=indicator_anchor, met=met, actions=actions_by_indicator,
                  action_path=action_page_path, values_at=indicators.values_at, target_met=indicators.target_met)


def changes(kb: Knowledge, page: PageContext) -> Markup:
    dates = report_dates(kb)
    if dates is None:
        return render("changes.html", page, kb, dates=None)
    start, end = dates[0].start, dates[1].start
    found = plan.changes_between(kb, start, end)
    moved = [(i, *indicators.movement(i, start, end)) for i in kb.all("indicators")]
    moved = [m for m in moved if (m[1] is None) != (m[2] is None) or (m[1] and m[2] and m[1].value != m[2].value)]
    return render("changes.html", page, kb, dates=dates, labels=_labels(kb), fmt=format_value,
                  added=[c for c in found if c.added],
                  completed=[c for c in found if c.completed],
                  changed=[c for c in found if not c.added and not c.completed and c.before != c.after],
                  overdue=[c for c in found if c.became_overdue],
                  moved=moved, action_path=action_page_path, scorecard=SCORECARD, anchor=indicator_anchor)


@hookimpl
def register_macros(kb: Knowledge, register):
    files = tuple(kb.files["actions"] + kb.files["recommendations"] + kb.files["themes"])
    register(Macro("plan_overview", lambda page: overview(kb, page), files))
    register(Macro("indicator_scorecard", lambda page: scorecard(kb, page), tuple(kb.files["indicators"])))
    register(Macro("plan_changes", lambda page: changes(kb, page), files + tuple(kb.files["indicators"])))


@hookimpl
def register_pages(kb: Knowledge, register):
    as_at = kb.as_at
    labels = _labels(kb)
    files = tuple(kb.files["actions"])
    recommendations = {r.id: r for r in kb.all("recommendations")}
    indicator_records = {i.id: i for i in kb.all("indicators")}
    for action in kb.all("actions"):
        register(GeneratedPage(
            path=action_page_path(action.id),
            title=f"{action.id}: {action.title}",
            template="action.md",
            context=_action_context(kb, action, as_at, labels, recommendations, indicator_records),
            data_files=files,
            description=action.title,
        ))
    by_theme: dict[str, list] = {theme.id: [] for theme in sorted(kb.all("themes"), key=lambda t: (t.order, t.name))}
    for action in plan.actions_in_plan(kb, as_at):
        by_theme[action.theme].append(action)
    register(GeneratedPage(
        path=ACTIONS_INDEX, title="All actions of the Development Plan", template="actions_index.md",
        context={"by_theme": by_theme, "as_at": as_at, "labels": labels, "action_path": action_page_path,
                 "status_at": plan.status_at, "is_overdue": plan.is_overdue},
        data_files=files, description="Every action of the Children's Services Development Plan, by theme."))


def _action_context(kb: Knowledge, action: Action, as_at: date, labels: dict, recommendations: dict,
                    indicator_records: dict[str, Indicator]) -> dict:
    latest = plan.latest_update(action, as_at)
    scores = [indicators.score(indicator_records[i], as_at) for i in action.indicators]
    return {
        "action": action, "as_at": as_at, "labels": labels, "latest": latest,
        "status": latest.status if latest else None, "overdue": plan.is_overdue(action, as_at),
        "recommendations": [recommendations[r] for r in action.recommendations],
        "scores": scores, "fmt": format_value, "source_path": source_page_path, "action_path": action_page_path,
        "scorecard": SCORECARD, "anchor": indicator_anchor,
        "merged_into": [u.merged_into for u in action.updates if u.merged_into and u.date <= as_at],
        "updates": [u for u in reversed(action.updates) if u.date <= as_at],
    }
