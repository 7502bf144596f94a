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

from plugins.hookspecs import hookimpl
from plugins.knowledge import Collection, Knowledge, repeats
from plugins.models import Policy
from plugins.pages import GeneratedPage, Macro, PageContext
from plugins.render import render

log = logging.getLogger("mkdocs.plugins.kb")

READABILITY_MINIMUM = 60.0
"""Flesch reading ease the foster-carer versions must reach (60 is plain English)."""
CARERS = "foster-carers"


def policy_page_path(policy_id: str) -> str:
    return f"policies/{policy_id}.md"


def carer_page_path(policy: Policy) -> str | None:
    return f"{CARERS}/{policy.carer_page}.md" if policy.carer_page else None


def pages_of(policy: Policy) -> list[str]:
    """A policy version has pages only while it is the current (approved) version."""
    if policy.status != "approved":
        return []
    return [policy_page_path(policy.policy)] + ([carer_page_path(policy)] if policy.carer_page else [])


@hookimpl
def register_collections(register):
    register(Collection("policies", Policy, "policy", description="Policies and procedures, one record per version.",
                        pages_of=pages_of))


def current_policies(kb: Knowledge) -> list[Policy]:
    """The approved version of each policy: drafts and superseded versions are never current."""
    return sorted((p for p in kb.all("policies") if p.status == "approved"), key=lambda p: p.title.casefold())


def versions(kb: Knowledge, policy_id: str) -> list[Policy]:
    return sorted((p for p in kb.all("policies") if p.policy == policy_id),
                  key=lambda p: (p.approved or p.last_reviewed, p.id), reverse=True)


def for_audience(items: list, audience: str) -> list:
    """Steps, sections or definitions shown to an audience (definitions are shown to all)."""
    return [item for item in items if audience in getattr(item, "audiences", [audience])]


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
    approved = [p for p in kb.all("policies") if p.status == "approved"]
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


def _labels(kb: Knowledge) -> dict:
    return {"roles": {r.id: r.name for r in kb.all("roles")},
            "audiences": {a.id: a.name for a in kb.all("audiences")},
            "contacts": {c.id: c for c in kb.all("contacts")}}


@hookimpl
def register_pages(kb: Knowledge, register):
    files = tuple(kb.files["policies"])
    labels = _labels(kb)
    for policy in current_policies(kb):
        register(GeneratedPage(
            path=policy_page_path(policy.policy), title=policy.title, template="policy.md",
            context={"policy": policy, "labels": labels, "versions": versions(kb, policy.policy),
                     "policy_contacts": [labels["contacts"][c] for c in policy.contacts],
                     "steps": for_audience(policy.steps, "staff") or policy.steps,
                     "sections": for_audience(policy.sections, "staff") or policy.sections,
                     "carer_page": carer_page_path(policy)},
            data_files=files, description=policy.summary))
        if policy.carer_page:
            score = readability(policy)
            log.info(f"kb: readability of /{CARERS}/{policy.carer_page}/: Flesch reading ease {score:.0f} "
                     f"(must be {READABILITY_MINIMUM:.0f} or more)")
            register(GeneratedPage(
                path=carer_page_path(policy), title=f"{policy.title}: what to do", template="carer_policy.md",
                context={"policy": policy, "labels": labels, "steps": for_audience(policy.steps, CARERS),
                         "sections": for_audience(policy.sections, CARERS),
                         "staff_page": policy_page_path(policy.policy)},
                data_files=files, description=policy.carer_summary or policy.summary))


@hookimpl
def register_macros(kb: Knowledge, register):
    def policy_library(page: PageContext) -> Markup:
        """Every current policy with its status, owner and review date, and the same list by audience."""
        policies = current_policies(kb)
        by_audience: dict[str, list[Policy]] = defaultdict(list)
        for policy in policies:
            for audience in policy.audiences:
                by_audience[audience].append(policy)
        return render("policy_library.html", page, kb, policies=policies, by_audience=by_audience,
                      audiences=kb.all("audiences"), labels=_labels(kb), path=policy_page_path,
                      carer_path=carer_page_path, as_at=kb.as_at)

    register(Macro("policy_library", policy_library, tuple(kb.files["policies"])))
