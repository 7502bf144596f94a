"""The jsna feature's hook implementations. What the feature does: the package docstring (__init__.py)."""

from __future__ import annotations

from plugins.core.hookspecs import hookimpl
from plugins.core.knowledge import Collection, Knowledge
from plugins.core.pages import GeneratedPage
from plugins.jsna.models import Jsna, figure
from plugins.plan.models import STATUS_LABELS

SECTION = "jsna"


@hookimpl
def register_collections(register):
    register(Collection("jsna", Jsna, "JSNA chapter", description="Chapters of the Joint Strategic Needs Assessment."))


@hookimpl
def prepare_jinja_environment(env):
    env.filters["figure"] = figure


@hookimpl
def check_knowledge(kb: Knowledge):
    chapters = kb.all(Jsna)
    for extra in chapters[1:]:
        yield kb.problem(extra, f"the site summarises one JSNA chapter (at /{SECTION}/); '{chapters[0].id}' is it")


@hookimpl
def register_pages(kb: Knowledge, register):
    for chapter in kb.all(Jsna)[:1]:
        register(GeneratedPage(
            path=f"{SECTION}/index.md", title=chapter.title, template="jsna/jsna.md", in_nav=True,
            context={"chapter": chapter, "as_at": kb.as_at,
                     "actions": [a.record for a in chapter.actions], "statuses": STATUS_LABELS},
            data_files=kb.files_of(Jsna), description=chapter.purpose))
