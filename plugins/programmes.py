"""Programmes of change: Signs of Safety, the transformation programme, the quality-assurance changes."""

from __future__ import annotations

from plugins import plan
from plugins.hookspecs import hookimpl
from plugins.knowledge import Collection, Knowledge
from plugins.models import Programme
from plugins.pages import GeneratedPage

SECTION = "programmes"
STATES = {"done": "Done", "in-progress": "In progress", "planned": "Planned"}


@hookimpl
def register_collections(register):
    register(Collection("programmes", Programme, "programme", description="Programmes and their milestones."))


@hookimpl
def register_pages(kb: Knowledge, register):
    programmes = sorted(kb.all("programmes"), key=lambda p: (p.order, p.name))
    timeline = sorted(((m, p) for p in programmes for m in p.milestones), key=lambda pair: (pair[0].date.start, pair[1].order))
    register(GeneratedPage(
        path=f"{SECTION}/index.md", title="Programmes", template="programmes.md", in_nav=True,
        context={"programmes": programmes, "timeline": timeline, "states": STATES, "as_at": kb.as_at,
                 "partners": {s.id: s.name for s in kb.all("services")},
                 "status_at": plan.status_at, "statuses": plan.STATUS_LABELS, "action_path": plan.action_page_path},
        data_files=tuple(kb.files["programmes"]),
        description="Signs of Safety, the transformation programme and the quality-assurance changes."))
