"""Sources of recommendations (inspections, the diagnostic ...) and the committee reports.

Makes the inspections timeline and one page per source at plan/sources/<id>/.
"""

from __future__ import annotations

from collections import Counter
from itertools import chain

from markupsafe import Markup

from plugins import plan
from plugins.hookspecs import hookimpl
from plugins.knowledge import Collection, Knowledge, repeats
from plugins.models import CommitteeReport, Source
from plugins.pages import GeneratedPage, Macro, PageContext
from plugins.render import render

KIND_LABELS = {
    "ofsted-inspection": "Ofsted inspection",
    "ofsted-thematic-inspection": "Ofsted thematic inspection",
    "independent-diagnostic": "Independent diagnostic",
    "peer-review": "Peer review",
    "self-identified": "Self-identified area for development",
}

JUDGEMENT_LABELS = {
    "outstanding": "Outstanding",
    "good": "Good",
    "adequate": "Adequate",
    "requires-improvement": "Requires improvement",
    "inadequate": "Inadequate",
}


def source_page_path(source_id: str) -> str:
    return f"plan/sources/{source_id}.md"


@hookimpl
def register_collections(register):
    register(Collection("sources", Source, "source",
                        description="Inspections, reviews and the diagnostic that produced recommendations."))
    register(Collection("reports", CommitteeReport, "committee report",
                        description="Progress reports to the council committee."))


@hookimpl
def check_knowledge(kb: Knowledge):
    for source in kb.all("sources"):
        if source.report is None:
            continue
        report = kb.get("references", source.report)
        if report.published and source.published and report.published != source.published:
            yield kb.problem(source, f"published {source.published} but its report '{report.id}' "
                                     f"says {report.published}", ("published",))
    for report, first in repeats(kb.all("reports"), lambda r: str(r.date)):
        yield kb.problem(report, f"date {report.date}: committee report '{first.id}' has the same date", ("date",))


def timeline(kb: Knowledge) -> list[tuple[str, Source | CommitteeReport]]:
    """Sources and committee reports in date order, each tagged with what it is."""
    events = chain((("source", s) for s in kb.all("sources")), (("report", r) for r in kb.all("reports")))
    return sorted(events, key=lambda e: (e[1].date.start, e[0], e[1].id))


@hookimpl
def register_pages(kb: Knowledge, register):
    files = tuple(kb.files["sources"] + kb.files["recommendations"])
    as_at = kb.as_at
    answered_by: dict[str, list] = {}
    for action in plan.actions_in_plan(kb, as_at):
        for recommendation in action.recommendations:
            answered_by.setdefault(recommendation, []).append(action)
    recommendations_of: dict[str, list] = {}
    for recommendation in kb.all("recommendations"):
        recommendations_of.setdefault(recommendation.source, []).append(recommendation)
    for source in kb.all("sources"):
        recommendations = recommendations_of.get(source.id, [])
        register(GeneratedPage(
            path=source_page_path(source.id),
            title=source.title,
            template="source.md",
            context={"source": source, "kinds": KIND_LABELS, "judgements": JUDGEMENT_LABELS,
                     "report": kb.get("references", source.report) if source.report else None,
                     "recommendations": recommendations, "answered_by": answered_by, "as_at": as_at,
                     "status_at": plan.status_at, "is_overdue": plan.is_overdue,
                     "statuses": plan.STATUS_LABELS, "action_path": plan.action_page_path},
            data_files=files,
            description=source.summary.split("\n\n")[0],
        ))


@hookimpl
def register_macros(kb: Knowledge, register):
    def inspections_timeline(page: PageContext) -> Markup:
        """Every source and committee report on one timeline, with a summary of judgements."""
        inspections = [s for s in kb.all("sources") if s.judgement]
        judgements = Counter(s.judgement for s in inspections)
        return render("timeline.html", page, kb, events=timeline(kb), kinds=KIND_LABELS,
                      judgements=JUDGEMENT_LABELS, judgement_counts=judgements,
                      inspections=sorted(inspections, key=lambda s: s.date.start),
                      source_page_path=source_page_path)

    register(Macro("inspections_timeline", inspections_timeline,
                   tuple(kb.files["sources"] + kb.files["reports"])))
