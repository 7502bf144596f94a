"""Policies and procedures: the library, one page per current policy, and plain-English foster-carer versions.

Each version of a policy is a record; only the approved one is current. The
staff procedure and the foster-carer version are built from the same record
(steps and sections say which audiences see them), so they cannot disagree.
The foster-carer text must read at Flesch reading ease 60 or more.
"""

from __future__ import annotations

import logging
from collections import defaultdict

import textstat
from markupsafe import Markup

from plugins.core.hookspecs import hookimpl
from plugins.core.knowledge import Collection, Knowledge, repeats
from plugins.core.pages import GeneratedPage, Macro, PageContext
from plugins.core.render import render
from plugins.organisation.models import Audience
from plugins.policies.models import Policy

log = logging.getLogger("mkdocs.plugins.kb")

READABILITY_MINIMUM = 60.0
"""Flesch reading ease the foster-carer versions must reach (60 is plain English)."""
CARERS = "foster-carers"


def policy_page(policy: Policy) -> str | None:
    """A policy version has a page only while it is the current (approved) version."""
    return f"policies/{policy.policy}.md" if policy.current else None


def carer_page_path(policy: Policy) -> str | None:
    return f"{CARERS}/{policy.carer_page}.md" if policy.carer_page else None


def carer_pages(policy: Policy) -> list[str]:
    return [carer_page_path(policy)] if policy.current and policy.carer_page else []


@hookimpl
def register_collections(register):
    register(Collection("policies", Policy, "policy", description="Policies and procedures, one record per version.",
                        page=policy_page, also_on=carer_pages))


def current_policies(kb: Knowledge) -> list[Policy]:
    """The approved version of each policy: drafts and superseded versions are never current."""
    return sorted((p for p in kb.all(Policy) if p.current), key=lambda p: p.title.casefold())


def versions(kb: Knowledge, policy_id: str) -> list[Policy]:
    return sorted((p for p in kb.all(Policy) if p.policy == policy_id),
                  key=lambda p: (p.approved or p.last_reviewed, p.id), reverse=True)


def for_audience(items: list, audience: str) -> list:
    """Steps, sections or definitions shown to an audience (definitions are shown to all)."""
    return [item for item in items if audience in {a.id for a in getattr(item, "audiences", ())}
            or not hasattr(item, "audiences")]


def carer_text(policy: Policy) -> str:
    """Everything the foster-carer version says in running text, for the readability measure."""
    parts = [policy.carer_summary or policy.summary]
    parts += [step.do for step in for_audience(policy.steps, CARERS)]
    parts += [section.body for section in for_audience(policy.sections, CARERS)]
    parts += [d.plain or d.meaning for d in policy.definitions]
    return "\n".join(parts)


def readability(policy: Policy) -> float:
    return float(textstat.flesch_reading_ease(carer_text(policy)))


@hookimpl
def check_knowledge(kb: Knowledge):
    approved = [p for p in kb.all(Policy) if p.current]
    for policy, first in repeats(approved, lambda p: p.policy):
        yield kb.problem(policy, f"status: '{first.id}' is already the approved version of "
                                 f"'{policy.policy}'; mark one of them superseded", ("status",))
    with_carer_page = [p for p in approved if p.carer_page]
    for policy, first in repeats(with_carer_page, lambda p: p.carer_page):
        yield kb.problem(policy, f"carer_page: '{policy.carer_page}' is already used by '{first.id}'", ("carer_page",))
    for policy in with_carer_page:
        score = readability(policy)
        if score < READABILITY_MINIMUM:
            yield kb.problem(policy, f"the foster-carer version reads at Flesch reading ease {score:.0f}; "
                                     f"it must be {READABILITY_MINIMUM:.0f} or more: use shorter sentences "
                                     "and everyday words", ("carer_summary",))


@hookimpl
def register_pages(kb: Knowledge, register):
    files = kb.files_of(Policy)
    for policy in current_policies(kb):
        register(GeneratedPage(
            path=policy_page(policy), title=policy.title, template="policies/policy.md",
            context={"policy": policy, "versions": versions(kb, policy.policy),
                     "steps": for_audience(policy.steps, "staff") or policy.steps,
                     "sections": for_audience(policy.sections, "staff") or policy.sections,
                     "carer_page": carer_page_path(policy)},
            data_files=files, description=policy.summary))
        if policy.carer_page:
            score = readability(policy)
            log.info(f"kb: readability of /{CARERS}/{policy.carer_page}/: Flesch reading ease {score:.0f} "
                     f"(must be {READABILITY_MINIMUM:.0f} or more)")
            register(GeneratedPage(
                path=carer_page_path(policy), title=f"{policy.title}: what to do", template="policies/carer_policy.md",
                context={"policy": policy, "steps": for_audience(policy.steps, CARERS),
                         "sections": for_audience(policy.sections, CARERS)},
                data_files=files, description=policy.carer_summary or policy.summary))


@hookimpl
def register_macros(kb: Knowledge, register):
    def policy_library(page: PageContext) -> Markup:
        """Every current policy with its status, owner and review date, and the same list by audience."""
        policies = current_policies(kb)
        by_audience: dict[str, list[Policy]] = defaultdict(list)
        for policy in policies:
            for audience in policy.audiences:
                by_audience[audience.id].append(policy)
        return render("policies/policy_library.html", page, kb, policies=policies, by_audience=by_audience,
                      audiences=kb.all(Audience), carer_path=carer_page_path, as_at=kb.as_at)

    register(Macro("policy_library", policy_library, kb.files_of(Policy)))
