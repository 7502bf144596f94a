"""The Development Plan's pages: the overview, one page per action, the scorecard, changes since the last report."""

from __future__ import annotations

from markupsafe import Markup

from plugins.core.charts import PALETTE, Bar, bar_chart, sparkline
from plugins.core.knowledge import Knowledge
from plugins.core.pages import GeneratedPage, PageContext
from plugins.core.provenance import Basis
from plugins.core.render import long_date, render
from plugins.organisation.models import Service
from plugins.plan import summary as plan
from plugins.plan.models import DIRECTION_LABELS, DUE_SOON_DAYS, STATUS_LABELS, Action, Indicator, Theme
from plugins.sources.models import Source

ACTIONS_INDEX = "plan/actions/index.md"
SCORECARD = "plan/indicators.md"


def themes_in_order(kb: Knowledge) -> list[Theme]:
    return sorted(kb.all(Theme), key=lambda t: (t.order, t.name))


def _describe(bars: list[Bar]) -> str:
    return "; ".join(f"{b.label}: {b.value:g}" for b in bars) + "."


def overview(kb: Knowledge, page: PageContext) -> Markup:
    as_at = kb.as_at
    summary = plan.summarise(kb, as_at)
    themes = themes_in_order(kb)
    marked = summary.basis.illustrative
    status_bars = [Bar(label, summary.by_status[key], PALETTE[key], marked) for key, label in STATUS_LABELS.items()]
    theme_bars = [Bar(t.name, summary.by_theme[t.id], illustrative=marked) for t in themes if summary.by_theme[t.id]]
    charts = {
        "status": bar_chart("chart-status", f"Actions by status as at {long_date(as_at)}", _describe(status_bars),
                            status_bars),
        "theme": bar_chart("chart-theme", "Actions by theme", _describe(theme_bars), theme_bars),
    }
    dates = plan.report_dates(kb)
    return render("plan/plan_overview.html", page, kb, summary=summary, charts=charts, statuses=STATUS_LABELS,
                  themes=themes, sources=sorted(kb.all(Source), key=lambda s: s.sort_date), services=kb.all(Service),
                  actions_index=ACTIONS_INDEX, report_dates=dates, report=dates[1] if dates else None,
                  due_soon_days=DUE_SOON_DAYS, plan=plan.the_plan(kb),
                  status_basis=lambda action: plan.status_basis(action, as_at))


def scorecard(kb: Knowledge, page: PageContext) -> Markup:
    as_at, since = kb.as_at, plan.baseline(kb)
    scores = [indicator.score(as_at, since) for indicator in kb.all(Indicator)]
    trends = {}
    for s in scores:
        known = s.indicator.values_at(as_at)
        values = ", ".join(f"{v.period}: {s.indicator.format(v.value)}" for v in known)
        trends[s.indicator.id] = sparkline(
            f"trend-{s.indicator.id}", f"Trend: {s.indicator.name}",
            f"{values}. Target {s.indicator.format(s.indicator.target)}."
            + (" These values are illustrative." if s.indicator.illustrative else ""),
            [v.value for v in known], s.indicator.target)
    actions_by_indicator: dict[str, list[Action]] = {i.id: [] for i in kb.all(Indicator)}
    for action in kb.all(Action):
        for indicator in action.indicators:
            actions_by_indicator[indicator.id].append(action)
    dates = plan.report_dates(kb)
    return render("plan/scorecard.html", page, kb, scores=scores, as_at=as_at, trends=trends, since=since,
                  met=sum(1 for s in scores if s.met), basis=Basis.of([s.indicator for s in scores]),
                  actions=actions_by_indicator, report=dates[1] if dates else None,
                  since_report=dates[0] if dates else None)


def changes(kb: Knowledge, page: PageContext) -> Markup:
    dates = plan.report_dates(kb)
    if dates is None:
        return render("plan/changes.html", page, kb, reports=None)
    earlier, latest = dates
    start, end = earlier.date.start, latest.date.start
    found = plan.changes_between(kb, start, end) if earlier.content_seen else []
    scores = [i.score(end, start) for i in kb.all(Indicator)]
    moved = [s for s in scores if s.latest and (s.previous is None or s.previous.value != s.latest.value)]
    return render("plan/changes.html", page, kb, reports=dates, statuses=STATUS_LABELS, directions=DIRECTION_LABELS,
                  seen=earlier.content_seen, basis=plan.summarise(kb, end).basis,
                  progress=plan.progress_between(kb, start, end),
                  added=[c for c in found if c.added],
                  completed=[c for c in found if c.completed],
                  changed=[c for c in found if not c.added and not c.completed and c.before != c.after],
                  overdue=[c for c in found if c.became_overdue],
                  moved=moved)


def action_pages(kb: Knowledge) -> list[GeneratedPage]:
    as_at = kb.as_at
    files = kb.files_of(Action)
    since = plan.baseline(kb)
    pages = [GeneratedPage(
        path=kb.page_of(action),
        title=action.title,
        template="plan/action.md",
        context={"action": action, "as_at": as_at, "latest": action.latest_update(as_at),
                 "status_basis": plan.status_basis(action, as_at), "statuses": STATUS_LABELS,
                 "scores": [i.record.score(as_at, since) for i in action.indicators],
                 "merged_into": [u.merged_into.record for u in action.updates if u.merged_into and u.date <= as_at],
                 "updates": [u for u in reversed(action.updates) if u.date <= as_at]},
        data_files=files,
        description=action.title,
        from_context=True,
    ) for action in kb.all(Action)]
    by_theme: dict[str, list[Action]] = {theme.id: [] for theme in themes_in_order(kb)}
    for action in plan.actions_in_plan(kb, as_at):
        by_theme[action.theme.id].append(action)
    pages.append(GeneratedPage(
        path=ACTIONS_INDEX, title="All actions of the Development Plan", template="plan/actions_index.md",
        context={"by_theme": [(kb.get(Theme, theme_id), actions) for theme_id, actions in by_theme.items()],
                 "as_at": as_at, "statuses": STATUS_LABELS, "plan": plan.the_plan(kb),
                 "status_basis": lambda action: plan.status_basis(action, as_at)},
        data_files=files, description="Every action of the Children's Services Development Plan, by theme."))
    return pages
