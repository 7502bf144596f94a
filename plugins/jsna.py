"""The JSNA summary: the CSE chapter of the children's Joint Strategic Needs Assessment, readable in five minutes."""

from __future__ import annotations

from plugins import plan
from plugins.charts import Bar, bar_chart
from plugins.hookspecs import hookimpl
from plugins.knowledge import Collection, Knowledge
from plugins.models import Jsna
from plugins.pages import GeneratedPage

SECTION = "jsna"
UNITS = {"number": "", "percent": "%", "rate-per-10000": " per 10,000"}


@hookimpl
def register_collections(register):
    register(Collection("jsna", Jsna, "JSNA chapter", description="Chapters of the Joint Strategic Needs Assessment."))


@hookimpl
def check_knowledge(kb: Knowledge):
    for extra in kb.all("jsna")[1:]:
        yield kb.problem(extra, f"the site summarises one JSNA chapter (at /{SECTION}/); '{kb.all('jsna')[0].id}' is it")


@hookimpl
def register_pages(kb: Knowledge, register):
    for chapter in kb.all("jsna")[:1]:
        numbers = [item for item in chapter.data if item.value is not None and item.unit == "number"]
        bars = [Bar(item.name, item.value) for item in numbers]
        chart = bar_chart("jsna-figures", f"{chapter.title}: figures", "; ".join(
            f"{item.name}: {item.value:g} ({item.period})" for item in numbers) + ".", bars) if bars else None
        register(GeneratedPage(
            path=f"{SECTION}/index.md", title=chapter.title, template="jsna.md", in_nav=True,
            context={"chapter": chapter, "chart": chart, "units": UNITS, "as_at": kb.as_at,
                     "actions": [kb.get("actions", a) for a in chapter.actions],
                     "status_at": plan.status_at, "statuses": plan.STATUS_LABELS,
                     "action_path": plan.action_page_path,
                     "producer": kb.get("services", chapter.produced_by).name},
            data_files=tuple(kb.files["jsna"]), description=chapter.purpose))
