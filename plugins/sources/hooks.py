"""The sources feature's hook implementations. What the feature does: the package docstring (__init__.py)."""

from __future__ import annotations

from collections import Counter
from itertools import chain

from markupsafe import Markup

from plugins.core.hookspecs import hookimpl
from plugins.core.knowledge import Collection, Knowledge, repeats
from plugins.core.pages import GeneratedPage, Macro, PageContext
from plugins.core.render import render
from plugins.plan.models import STATUS_LABELS, Action, DevelopmentPlan, Recommendation
from plugins.sources.models import JUDGEMENT_LABELS, CommitteeReport, Source


@hookimpl
def register_collections(register):
    register(Collection("sources", Source, "source",
                        description="Inspections, reviews and the diagnostic that produced recommendations.",
                        page=lambda source: f"plan/sources/{source.id}.md"))
    register(Collection("reports", CommitteeReport, "committee report",
                        description="Progress reports to the council committee.",
                        page=lambda report: f"inspections/index.md#{report.id}"))  # on the timeline


@hookimpl
def check_knowledge(kb: Knowledge):
    for source in kb.all(Source):
        if source.report is None:
            continue
        report = source.report.record
        if report.published and source.published and report.published != source.published:
            yield kb.problem(source, f"published {source.published} but its report '{report.id}' "
                                     f"says {report.published}", ("published",))
    for report, first in repeats(kb.all(CommitteeReport), lambda r: str(r.date)):
        yield kb.problem(report, f"date {report.date}: committee report '{first.id}' has the same date", ("date",))


def timeline(kb: Knowledge) -> list[tuple[str, Source | CommitteeReport]]:
    """Sources and committee reports in date order, each tagged with what it is."""
    events = chain((("source", s) for s in kb.all(Source) if s.date), (("report", r) for r in kb.all(CommitteeReport)))
    return sorted(events, key=lambda e: (e[1].date.start, e[0], e[1].id))


@hookimpl
def register_pages(kb: Knowledge, register):
    files = kb.files_of(Source, Recommendation)
    as_at = kb.as_at
    answered_by: dict[str, list[Action]] = {}
    for action in kb.all(Action):
        if action.in_plan(as_at):
            for recommendation in action.recommendations:
                answered_by.setdefault(recommendation.id, []).append(action)
    recommendations_of: dict[str, list[Recommendation]] = {}
    for recommendation in kb.all(Recommendation):
        recommendations_of.setdefault(recommendation.source.id, []).append(recommendation)
    plans = kb.all(DevelopmentPlan)
    for source in kb.all(Source):
        recommendations = recommendations_of.get(source.id, [])
        register(GeneratedPage(
            path=kb.page_of(source),
            title=source.title,
            template="sources/source.md",
            # The actions answering this source's recommendations only: what the page shows is in its context.
            context={"source": source, "recommendations": recommendations,
                     "answered_by": {r.id: answered_by[r.id] for r in recommendations if r.id in answered_by},
                     "as_at": as_at, "statuses": STATUS_LABELS, "plan": plans[0] if plans else None},
            data_files=files,
            description=source.summary.split("\n\n")[0],
            from_context=True,
        ))


@hookimpl
def register_macros(kb: Knowledge, register):
    def inspections_timeline(page: PageContext) -> Markup:
        """Every source and committee report on one timeline, with a summary of judgements."""
        inspections = [s for s in kb.all(Source) if s.judgement]
        return render("sources/timeline.html", page, kb, events=timeline(kb), judgements=JUDGEMENT_LABELS,
                      judgement_counts=Counter(s.judgement for s in inspections),
                      inspections=sorted(inspections, key=lambda s: s.sort_date),
                      since_2012=sorted((s for s in kb.all(Source) if s.kind.startswith("ofsted") and s.date
                                         and s.date.year >= 2012), key=lambda s: s.sort_date),
                      undated=[s for s in kb.all(Source) if not s.date])

    register(Macro("inspections_timeline", inspections_timeline, kb.files_of(Source, CommitteeReport)))
