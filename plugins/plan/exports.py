"""The plan's figures as files: site/data/plan.json and site/data/actions.csv (opens in Excel).

Built from the same functions as the pages, so the files and the pages agree.
"""

from __future__ import annotations

import csv
import io
import json
from datetime import date
from typing import Any

from plugins.core.knowledge import Knowledge
from plugins.core.provenance import Basis
from plugins.organisation.models import Service
from plugins.plan.models import STATUS_LABELS, Action, Indicator, Score, Theme
from plugins.plan.summary import baseline, status_basis, summarise, the_plan
from plugins.sources.models import Source

JSON_PATH = "data/plan.json"
CSV_PATH = "data/actions.csv"

CSV_COLUMNS = ["id", "title", "status", "overdue", "percent_complete", "theme", "lead_service", "owner", "start",
               "due", "completed", "sources", "recommendations", "indicators", "last_update", "illustrative",
               "what_is_assumed"]


def action_row(kb: Knowledge, action: Action, as_at: date) -> dict[str, Any]:
    latest = action.latest_update(as_at)
    basis = status_basis(action, as_at)
    return {
        "id": action.id,
        "title": action.title,
        "status": STATUS_LABELS[latest.status] if latest else "",
        "overdue": action.is_overdue(as_at),
        "percent_complete": latest.percent_complete if latest else None,
        "theme": action.theme.record.name,
        "lead_service": action.lead_service.record.name,
        "owner": action.owner.record.name,
        "start": action.start.isoformat(),
        "due": action.due.isoformat(),
        "completed": action.completed.isoformat() if action.completed else None,
        "sources": [source.id for source in action.sources],
        "recommendations": [r.id for r in action.recommendations],
        "indicators": [i.id for i in action.indicators],
        "last_update": latest.date.isoformat() if latest else None,
        "illustrative": basis.illustrative,
        "what_is_assumed": " ".join(basis.assumptions) or None,
    }


def plan_document(kb: Knowledge) -> dict[str, Any]:
    as_at = kb.as_at
    summary = summarise(kb, as_at)
    plan = the_plan(kb)
    return {
        "as_at": as_at.isoformat(),
        "provenance": {
            "illustrative": summary.basis.illustrative,
            "note": "Every count here rests on the records listed in what_is_assumed; where illustrative is true, "
                    "the counts are illustrative, not reported figures." if summary.basis.illustrative else
                    "Every count here rests on sourced records.",
            "plan_document": plan.document, "plan_document_seen": plan.document_seen,
            "what_is_assumed": list(summary.basis.assumptions),
        },
        "total_actions": summary.total,
        "by_status": {label: summary.by_status[key] for key, label in STATUS_LABELS.items()},
        "overdue": [a.id for a in summary.overdue],
        "due_soon": [a.id for a in summary.due_soon],
        "by_source": {s.id: summary.by_source[s.id].value for s in kb.all(Source)},
        "by_source_not_recorded": {s.id: summary.by_source[s.id].unknown_reason for s in kb.all(Source)
                                   if not summary.by_source[s.id].known},
        "by_theme": {t.id: summary.by_theme[t.id] for t in kb.all(Theme)},
        "by_lead_service": {s.id: summary.by_service[s.id] for s in kb.all(Service) if summary.by_service[s.id]},
        "actions": [action_row(kb, a, as_at) for a in summary.actions],
        "indicators": [_indicator_row(i.score(as_at, baseline(kb))) for i in kb.all(Indicator)],
    }


def plan_json(document: dict[str, Any]) -> str:
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def _indicator_row(score: Score) -> dict[str, Any]:
    i = score.indicator
    return {"id": i.id, "name": i.name, "unit": i.unit, "polarity": i.polarity, "target": i.target,
            "latest": score.latest.value if score.latest else None,
            "latest_period": score.latest.period if score.latest else None,
            "previous": score.previous.value if score.previous else None,
            "direction": score.direction, "baseline_period": score.previous.period if score.previous else None,
            "target_met": score.met, "illustrative": Basis.marks(i, score.latest, score.previous),
            "what_is_assumed": i.illustrative}


def _cell(value: Any) -> Any:
    """A CSV cell as Excel should see it: lists joined, yes/no, and text that Excel would run
    as a formula (starting =, +, -, @, tab or carriage return) prefixed with an apostrophe."""
    if isinstance(value, list):
        value = "; ".join(value)
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


def actions_csv(document: dict[str, Any]) -> bytes:
    """UTF-8 with a byte-order mark and CRLF line ends, which Excel opens directly."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=CSV_COLUMNS, lineterminator="\r\n")
    writer.writeheader()
    for row in document["actions"]:
        writer.writerow({key: _cell(value) for key, value in row.items()})
    return out.getvalue().encode("utf-8-sig")
