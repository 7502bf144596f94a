"""The plan feature's hook implementations. What the feature does: the package docstring (__init__.py)."""

from __future__ import annotations

import functools
import logging

from plugins.core.command import Command
from plugins.core.hookspecs import hookimpl
from plugins.core.knowledge import Collection, Knowledge
from plugins.core.pages import Macro, SiteFile
from plugins.core.problems import Problem
from plugins.plan import exports, pages, report
from plugins.plan.as_at import as_at_move
from plugins.plan.models import Action, DevelopmentPlan, Indicator, Recommendation, Theme


log = logging.getLogger("mkdocs.plugins.kb")


def indicator_anchor(indicator: Indicator) -> str:
    return f"indicator-{indicator.id}"


@hookimpl
def register_collections(register):
    register(Collection("plan", DevelopmentPlan, "development plan",
                        description="The Development Plan itself: where it comes from and who oversees it."))
    register(Collection("indicators", Indicator, "indicator", description="Performance indicators and their values.",
                        page=lambda i: f"{pages.SCORECARD}#{indicator_anchor(i)}"))
    register(Collection("themes", Theme, "theme", description="Priority themes of the Development Plan."))
    register(Collection("recommendations", Recommendation, "recommendation",
                        description="Recommendations from inspections, the diagnostic and self-assessment.",
                        title=lambda r: r.text))
    register(Collection("actions", Action, "action", description="Actions of the Children's Services Development Plan.",
                        page=lambda a: f"plan/actions/{a.id}.md"))


@hookimpl
def check_knowledge(kb: Knowledge):
    plans = kb.all(DevelopmentPlan)
    if len(plans) != 1:
        where = kb.files_of(DevelopmentPlan)
        yield Problem(where[0] if where else "data/plan.yml", 1, "",
                      f"the site tracks one Development Plan; found {len(plans)}")
    for action in kb.all(Action):
        for index, update in enumerate(action.updates):
            if update.merged_into is not None and update.merged_into.id == action.id:
                yield kb.problem(action, f"updates[{index}].merged_into: an action cannot be merged into itself",
                                 ("updates", index, "merged_into"))


@hookimpl
def register_pages(kb: Knowledge, register):
    move = as_at_move(kb)
    if move is not None:  # a notice, not a refusal: recording progress on a new date is normal
        log.info(f"kb: check the as-at date: {move.message()}")
    for page in pages.action_pages(kb):
        register(page)


@hookimpl
def register_macros(kb: Knowledge, register):
    files = kb.files_of(Action, Recommendation, Theme)
    register(Macro("plan_overview", lambda page: pages.overview(kb, page), files))
    register(Macro("indicator_scorecard", lambda page: pages.scorecard(kb, page), kb.files_of(Indicator)))
    register(Macro("plan_changes", lambda page: pages.changes(kb, page), files + kb.files_of(Indicator)))


@hookimpl
def extra_site_files(kb: Knowledge, register):
    document = functools.cache(lambda: exports.plan_document(kb))   # made when the first of the two is
    register(SiteFile(exports.JSON_PATH, lambda: exports.plan_json(document())))
    register(SiteFile(exports.CSV_PATH, lambda: exports.actions_csv(document())))


@hookimpl
def register_commands(register):
    register(Command("report", "print the committee progress report between two dates as Markdown",
                     report.run, report.arguments))
