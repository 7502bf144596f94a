"""The Development Plan's pages: the overview, one page per action, the scorecard, changes since the last report."""

from __future__ import annotations

from markupsafe import Markup

from plugins.core.charts import PALETTE, Bar, bar_chart, sparkline
from plugins.core.knowledge import Knowledge
from plugins.core.pages import GeneratedPage, PageContext
from plugins.core.render import long_date, render
from plugins.core.types import PartialDate
from plugins.organisation.models import Service
from plugins.plan import summary as plan
from plugins.plan.models import DIRECTION_LABELS, DUE_SOON_DAYS, STATUS_LABELS, Action, Indicator, Theme
from plugins.sources.models import CommitteeReport, Source

ACTIONS_INDEX = "plan/actions/index.md"
SCORECARD = "plan/indicators.md"


def report_dates(kb: Knowledge) -> tuple[PartialDate, PartialDate] | None:
    """The dates of the two most recent committee reports: 'changes since the last report' lie between them.
    A report known only to the month counts from the month's first day."""
    reports = sorted(kb.all(CommitteeReport), key=lambda r: r.date.start)
    if len(reports) < 2:
        return None
    return reports[-2].date, reports[-1].date


def themes_in_order(kb: Knowledge) -> list[Theme]:
    return sorted(kb.all(Theme), key=lambda t: (t.order, t.name))


def _describe(bars: list[Bar]) -> str:
    return "; ".join(f"{b.label}: {b.value:g}" for b in bars) + "."


def overview(kb: Knowledge, page: PageContext) -> Markup:
    as_at = kb.as_at
    summary = plan.summarise(kb, as_at)
    themes = themes_in_order(kb)
    status_bars = [Bar(label, summary.by_status[key], PALETTE[key]) for key, label in STATUS_LABELS.items()]
    theme_bars = [Bar(t.name, summary.by_theme[t.id]) for t in themes if summary.by_theme[t.id]]
    charts = {
        "status": bar_chart("chart-status", f"Actions by status as at {long_date(as_at)}", _describe(status_bars),
                            status_bars),
        "theme": bar_chart("chart-theme", "Actions by theme", _describe(theme_bars), theme_bars),
    }
    return render("plan/plan_overview.html", page, kb, summary=summary, charts=charts, statuses=STATUS_LABELS,
                  themes=themes, sources=kb.all(Source), services=kb.all(Service), actions_index=ACTIONS_INDEX,
                  report_dates=report_dates(kb), due_soon_days=DUE_SOON_DAYS)


def scorecard(kb: Knowledge, page: PageContext) -> Markup:
    as_at = kb.as_at
    scores = [indicator.score(as_at) for indicator in kb.all(Indicator)]
    trends = {}
    for s in scores:
        known = s.indicator.values_at(as_at)
        values = ", ".join(f"{v.period}: {s.indicator.format(v.value)}" for v in known)
        trends[s.indicator.id] = sparkline(
            f"trend-{s.indicator.id}", f"Trend: {s.indicator.name}",
            f"{values}. Target {s.indicator.format(s.indicator.target)}.",
            [v.value for v in known], s.indicator.target)
    actions_by_indicator: dict[str, list[Action]] = {i.id: [] for i in kb.all(Indicator)}
    for action in kb.all(Action):
        for indicator in action.indicators:
            actions_by_indicator[indicator.id].append(action)
    return render("plan/scorecard.html", page, kb, scores=scores, as_at=as_at, trends=trends,
                  met=sum(1 for s in scores if s.met), actions=actions_by_indicator)


def changes(kb: Knowledge, page: PageContext) -> Markup:
    dates = report_dates(kb)
    if dates is None:
        return render("plan/changes.html", page, kb, dates=None)
    start, end = dates[0].start, dates[1].start
    found = plan.changes_between(kb, start, end)
    moved = [(i, *i.movement(start, end)) for i in kb.all(Indicator)]
    moved = [m for m in moved if (m[1] is None) != (m[2] is None) or (m[1] and m[2] and m[1].value != m[2].value)]
    return render("plan/changes.html", page, kb, dates=dates, statuses=STATUS_LABELS, directions=DIRECTION_LABELS,
                  added=[c for c in found if c.added],
                  completed=[c for c in found if c.completed],
                  changed=[c for c in found if not c.added and not c.completed and c.before != c.after],
                  overdue=[c for c in found if c.became_overdue],
                  moved=moved)


def action_pages(kb: Knowledge) -> list[GeneratedPage]:
    as_at = kb.as_at
    files = kb.files_of(Action)
    pages = [GeneratedPage(
        path=kb.page_of(action),
        title=f"{action.id}: {action.title}",
        template="plan/action.md",
        context={"action": action, "as_at": as_at, "latest": action.latest_update(as_at),
                 "statuses": STATUS_LABELS, "scores": [i.record.score(as_at) for i in action.indicators],
                 "merged_into": [u.merged_into.record for u in action.updates if u.merged_into and u.date <= as_at],
                 "updates": [u for u in reversed(action.updates) if u.date <= as_at]},
        data_files=files,
        description=action.title,
    ) for action in kb.all(Action)]
    by_theme: dict[str, list[Action]] = {theme.id: [] for theme in themes_in_order(kb)}
    for action in plan.actions_in_plan(kb, as_at):
        by_theme[action.theme.id].append(action)
    pages.append(GeneratedPage(
        path=ACTIONS_INDEX, title="All actions of the Development Plan", template="plan/actions_index.md",
        context={"by_theme": [(kb.get(Theme, theme_id), actions) for theme_id, actions in by_theme.items()],
                 "as_at": as_at, "statuses": STATUS_LABELS},
        data_files=files, description="Every action of the Children's Services Development Plan, by theme."))
    return pages
