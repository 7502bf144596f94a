"""The programmes feature's hook implementations. What the feature does: the package docstring (__init__.py)."""

from __future__ import annotations

from plugins.core.hookspecs import hookimpl
from plugins.core.knowledge import Collection, Knowledge
from plugins.core.pages import GeneratedPage
from plugins.plan.models import STATUS_LABELS
from plugins.programmes.models import STATES, Programme

SECTION = "programmes"


@hookimpl
def register_collections(register):
    register(Collection("programmes", Programme, "programme", description="Programmes and their milestones.",
                        page=lambda p: f"{SECTION}/index.md#{p.id}"))


@hookimpl
def register_pages(kb: Knowledge, register):
    programmes = sorted(kb.all(Programme), key=lambda p: (p.order, p.name))
    timeline = sorted(((m, p) for p in programmes for m in p.milestones),
                      key=lambda pair: (pair[0].date.start, pair[1].order))
    register(GeneratedPage(
        path=f"{SECTION}/index.md", title="Programmes", template="programmes/programmes.md", in_nav=True,
        context={"programmes": programmes, "timeline": timeline, "states": STATES, "as_at": kb.as_at,
                 "statuses": STATUS_LABELS},
        data_files=kb.files_of(Programme),
        description="Signs of Safety, the transformation programme and the quality-assurance changes."))
