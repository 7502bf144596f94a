"""The toolkit feature's hook implementations. What the feature does: the package docstring (__init__.py)."""

from __future__ import annotations

from plugins.core.charts import pathway_diagram
from plugins.core.hookspecs import hookimpl
from plugins.core.knowledge import Collection, Knowledge
from plugins.core.pages import GeneratedPage
from plugins.guidance.models import Guidance
from plugins.policies.models import plain_english_findings
from plugins.toolkit.models import SignGroup, Toolkit

SECTION = "cse-toolkit"


def group_page_path(group: SignGroup) -> str:
    return f"{SECTION}/signs/{group.id}.md"


def section_guidance(kb: Knowledge) -> Guidance | None:
    """The owned guidance section the toolkit is published under (it says where the carers' guide goes)."""
    if not kb.has(Guidance):
        return None
    return next((g for g in kb.all(Guidance) if g.section == SECTION), None)


def counts(toolkit: Toolkit) -> dict[str, int]:
    """Vulnerability factors and warning signs are counted apart: a factor is not a sign of exploitation."""
    factors = [s for g in toolkit.groups if g.kind == "vulnerability" for s in g.signs]
    signs = [s for g in toolkit.groups if g.kind == "warning-sign" for s in g.signs]
    return {"factor_count": len(factors), "warning_count": len(signs),
            "significant_count": sum(1 for s in signs if s.significant)}


@hookimpl
def register_collections(register):
    register(Collection("cse-toolkit", Toolkit, "toolkit", description="The CSE risk-assessment toolkit."))


@hookimpl
def register_pages(kb: Knowledge, register):
    files = kb.files_of(Toolkit)
    guidance = section_guidance(kb)
    for toolkit in kb.all(Toolkit):
        carer_path = guidance.carer_page_path if guidance and toolkit.carers else None
        common = {"toolkit": toolkit, "group_path": group_page_path, "section": SECTION, "carer_path": carer_path,
                  "toolkit_contacts": [c.record for c in toolkit.contacts],
                  "refer_contacts": [c.record for c in toolkit.refer_contacts], **counts(toolkit)}
        pages = [
            (f"{SECTION}/index.md", toolkit.title, "toolkit/toolkit.md", True,
             "The CSE risk-assessment toolkit: definition, rules, signs, levels of risk, referral pathway."),
            (f"{SECTION}/levels.md", "Response by level of risk", "toolkit/toolkit_levels.md", False,
             "What happens at each level of risk: refer at every level."),
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
        if carer_path and toolkit.carers:
            register(GeneratedPage(
                path=carer_path, title=toolkit.carers.title, template="toolkit/carer_signs.md",
                context={**common, "guide": toolkit.carers, "carer_contacts": [c.record for c in toolkit.carers.contacts]},
                data_files=files + kb.files_of(Guidance), description=toolkit.carers.summary))


@hookimpl
def check_knowledge(kb: Knowledge):
    toolkits = kb.all(Toolkit)
    for extra in toolkits[1:]:
        yield kb.problem(extra, f"the site has one CSE toolkit (at /{SECTION}/); '{toolkits[0].id}' is it")
    guidance = section_guidance(kb)
    for toolkit in toolkits[:1]:
        if toolkit.carers and not (guidance and guidance.carer_page):
            yield kb.problem(toolkit, f"carers: the foster carers' guide needs a page: give the '{SECTION}' section "
                                      "a `carer_page` in data/guidance.yml", ("carers",))
        if guidance and guidance.carer_page and not toolkit.carers:
            yield kb.problem(guidance, f"carer_page: the '{SECTION}' toolkit has no `carers` guide to show there",
                             ("carer_page",))
        if toolkit.carers:
            yield from _plain_english(kb, toolkit)


def _plain_english(kb: Knowledge, toolkit: Toolkit):
    """Every piece of the carers' guide reads as plain English (Flesch 60, no sentence over 25 words)."""
    guide = toolkit.carers
    assert guide is not None
    texts = [("the carers' summary", ("carers", "summary"), guide.summary)]
    texts += [(f"the carers' section '{s.heading}'", ("carers", "sections", i, "body"), s.body)
              for i, s in enumerate(guide.sections)]
    findings = plain_english_findings([text for *_, text in texts], kb.cache)
    for (what, path, _), (_, problems) in zip(texts, findings):
        for problem in problems:
            yield kb.problem(toolkit, f"{what} {problem}", path)
