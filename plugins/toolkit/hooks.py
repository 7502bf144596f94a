"""The CSE risk-assessment toolkit: overview, a page per group of signs, levels, referral pathway, checklist.

The checklist can count ticked signs by group in the browser to support a
discussion; it stores and sends nothing, and says it does not replace
professional judgement.
"""

from __future__ import annotations

from plugins.core.charts import pathway_diagram
from plugins.core.hookspecs import hookimpl
from plugins.core.knowledge import Collection, Knowledge
from plugins.core.pages import GeneratedPage
from plugins.toolkit.models import SignGroup, Toolkit

SECTION = "cse-toolkit"


def group_page_path(group: SignGroup) -> str:
    return f"{SECTION}/signs/{group.id}.md"


@hookimpl
def register_collections(register):
    register(Collection("cse-toolkit", Toolkit, "toolkit", description="The CSE risk-assessment toolkit."))


@hookimpl
def register_pages(kb: Knowledge, register):
    files = kb.files_of(Toolkit)
    for toolkit in kb.all(Toolkit):
        signs = [sign for group in toolkit.groups for sign in group.signs]
        common = {"toolkit": toolkit, "group_path": group_page_path, "section": SECTION,
                  "toolkit_contacts": [c.record for c in toolkit.contacts],
                  "sign_count": len(signs), "significant_count": sum(1 for s in signs if s.significant)}
        pages = [
            (f"{SECTION}/index.md", toolkit.title, "toolkit/toolkit.md", True,
             "The CSE risk-assessment toolkit: definition, signs, levels of risk, referral pathway."),
            (f"{SECTION}/levels.md", "Response by level of risk", "toolkit/toolkit_levels.md", False,
             "What the practitioner does at each level of risk."),
            (f"{SECTION}/pathway.md", "Referral pathway", "toolkit/toolkit_pathway.md", False,
             "How to refer a child at risk of sexual exploitation, step by step."),
            (f"{SECTION}/checklist.md", "Printable checklist", "toolkit/toolkit_checklist.md", False,
             "The vulnerability factors and warning signs as a checklist to print or tick."),
        ]
        for path, title, template, in_nav, description in pages:
            extra = {"diagram": pathway_diagram("pathway-diagram", f"{toolkit.title}: referral pathway",
                                                [step.title for step in toolkit.pathway])} \
                if template == "toolkit/toolkit_pathway.md" else {}
            register(GeneratedPage(path=path, title=title, template=template, context={**common, **extra},
                                   data_files=files, description=description, in_nav=in_nav))
        for group in toolkit.groups:
            register(GeneratedPage(
                path=group_page_path(group), title=group.name, template="toolkit/toolkit_group.md",
                context={**common, "group": group}, data_files=files, description=group.description))


@hookimpl
def check_knowledge(kb: Knowledge):
    toolkits = kb.all(Toolkit)
    for extra in toolkits[1:]:
        yield kb.problem(extra, f"the site has one CSE toolkit (at /{SECTION}/); '{toolkits[0].id}' is it")
