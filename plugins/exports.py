"""The plan's figures as files: site/data/plan.json and site/data/actions.csv (opens in Excel).

Built from the same functions as the pages, so the files and the pages agree.
"""

from __future__ import annotations

import csv
import io
import json
from datetime import date
from typing import Any

from plugins import indicators, plan
from plugins.hookspecs import hookimpl
from plugins.knowledge import Knowledge
from plugins.models import Action
from plugins.pages import SiteFile

CSV_COLUMNS = ["id", "title", "status", "overdue", "percent_complete", "theme", "lead_service", "owner", "start",
               "due", "completed", "sources", "recommendations", "indicators", "last_update", "illustrative"]


def action_row(kb: Knowledge, action: Action, as_at: date) -> dict[str, Any]:
    latest = plan.latest_update(action, as_at)
    return {
        "id": action.id,
        "title": action.title,
        "status": plan.STATUS_LABELS[latest.status] if latest else "",
        "overdue": plan.is_overdue(action, as_at),
        "percent_complete": latest.percent_complete if latest else None,
        "theme": kb.get("themes", action.theme).name,
        "lead_service": kb.get("services", action.lead_service).name,
        "owner": kb.get("roles", action.owner).name,
        "start": action.start.isoformat(),
        "due": action.due.isoformat(),
        "completed": action.completed.isoformat() if action.completed else None,
        "sources": plan.sources_of(kb, action),
        "recommendations": list(action.recommendations),
        "indicators": list(action.indicators),
        "last_update": latest.date.isoformat() if latest else None,
        "illustrative": action.illustrative,
    }


def plan_document(kb: Knowledge) -> dict[str, Any]:
    as_at = kb.as_at
    summary = plan.summarise(kb, as_at)
    return {
        "as_at": as_at.isoformat(),
        "total_actions": summary.total,
        "by_status": {label: summary.by_status[key] for key, label in plan.STATUS_LABELS.items()},
        "overdue": [a.id for a in summary.overdue],
        "due_soon": [a.id for a in summary.due_soon],
        "by_source": {s.id: summary.by_source[s.id] for s in kb.all("sources")},
        "by_theme": {t.id: summary.by_theme[t.id] for t in kb.all("themes")},
        "by_lead_service": {s.id: summary.by_service[s.id] for s in kb.all("services") if summary.by_service[s.id]},
        "actions": [action_row(kb, a, as_at) for a in summary.actions],
        "indicators": [_indicator_row(s) for s in indicators.scorecard(kb, as_at)],
    }


def _indicator_row(score: indicators.Score) -> dict[str, Any]:
    i = score.indicator
    return {"id": i.id, "name": i.name, "unit": i.unit, "polarity": i.polarity, "target": i.target,
            "latest": score.latest.value if score.latest else None,
            "latest_period": score.latest.period if score.latest else None,
            "previous": score.previous.value if score.previous else None,
            "direction": score.direction, "target_met": score.met, "illustrative": i.illustrative}


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


@hookimpl
def extra_site_files(kb: Knowledge, register):
    document = plan_document(kb)
    register(SiteFile("data/plan.json", json.dumps(document, indent=2, ensure_ascii=False) + "\n"))
    register(SiteFile("data/actions.csv", actions_csv(document)))
