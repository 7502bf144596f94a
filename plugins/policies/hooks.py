"""The policies feature's hook implementations. What the feature does: the package docstring (__init__.py)."""

from __future__ import annotations

import logging
import re
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from markupsafe import Markup

from plugins.core.hookspecs import hookimpl
from plugins.core.knowledge import Collection, Knowledge, repeats
from plugins.core.pages import GeneratedPage, Macro, PageContext
from plugins.core.render import render
from plugins.organisation.models import Audience
from plugins.policies import compare
from plugins.policies.models import READABILITY_MINIMUM, Policy, plain_english_findings

log = logging.getLogger("mkdocs.plugins.kb")

CARERS = "foster-carers"


def policy_page(policy: Policy) -> str | None:
    """A policy version has a page only while it is the current (approved) version."""
    return f"policies/{policy.policy}.md" if policy.current else None


def version_slug(policy: Policy) -> str:
    """'1.0' -> '1-0': a version number as part of a URL."""
    return re.sub(r"[^a-z0-9]+", "-", policy.version.lower()).strip("-") or "version"


def version_page_path(policy: Policy) -> str | None:
    """Every approved or superseded version keeps a permanent page: what the guidance said while it was in force."""
    return f"policies/{policy.policy}/{version_slug(policy)}.md" if policy.status != "draft" else None


def carer_page_path(policy: Policy) -> str | None:
    return f"{CARERS}/{policy.carer_page}.md" if policy.carer_page else None


def other_pages(policy: Policy) -> list[str]:
    """The foster-carer version of the current policy (for hubs and review boxes); version pages are the
    record's permanent archive and carry their own notice instead."""
    return [carer_page_path(policy)] if policy.current and policy.carer_page else []


@hookimpl
def register_collections(register):
    register(Collection("policies", Policy, "policy", description="Policies and procedures, one record per version.",
                        page=policy_page, also_on=other_pages))


def current_policies(kb: Knowledge) -> list[Policy]:
    """The approved version of each policy: drafts and superseded versions are never current."""
    return sorted((p for p in kb.all(Policy) if p.current), key=lambda p: p.title.casefold())


def versions(kb: Knowledge, policy_id: str) -> list[Policy]:
    return sorted((p for p in kb.all(Policy) if p.policy == policy_id),
                  key=lambda p: (p.approved or p.last_reviewed, p.id), reverse=True)


def shown_to(item: Any, audience: str) -> bool:
    return audience in {a.id for a in item.audiences}


def for_audience(items: list, audience: str) -> list:
    """Steps, sections or routes shown to an audience."""
    return [item for item in items if shown_to(item, audience)]


def carer_texts(policy: Policy) -> Iterator[tuple[str, tuple[Any, ...], str]]:
    """(what it is, where it is in the record, its text) for every piece of the foster-carer version."""
    yield "the foster-carer summary", ("carer_summary",), policy.carer_summary or policy.summary
    for i, step in enumerate(policy.steps):
        if shown_to(step, CARERS):
            yield f"the foster-carer step '{step.when}'", ("steps", i, "do"), step.do
    for i, section in enumerate(policy.sections):
        if shown_to(section, CARERS):
            yield f"the foster-carer section '{section.heading}'", ("sections", i, "body"), section.body
    for r, route in enumerate(policy.routes):
        if shown_to(route, CARERS):
            yield f"the introduction to '{route.heading}'", ("routes", r, "intro"), route.intro
            for i, step in enumerate(route.steps):
                yield f"the step '{step.when}' of '{route.heading}'", ("routes", r, "steps", i, "do"), step.do
    if policy.helplines:
        yield "the note on helplines", ("helplines", "note"), policy.helplines.note
    for i, definition in enumerate(policy.definitions):
        field = "plain" if definition.plain else "meaning"
        yield f"the plain meaning of '{definition.term}'", ("definitions", i, field), getattr(definition, field)


@dataclass(frozen=True)
class CarerReadability:
    """How plain the foster-carer version of a policy is: as a whole, and part by part."""

    overall: float
    """The reading ease of the whole version (each part must also reach the minimum)."""
    problems: list[tuple[str, tuple[Any, ...], str]]
    """(which part, where it is in the record, what keeps it from being plain English)."""


@lru_cache(maxsize=4)
def carer_readability(kb: Knowledge) -> dict[str, CarerReadability]:
    """Every approved policy with a foster-carer page, by id: scored once, in one batch the content
    cache keeps (`plain_english_findings`), for the checks and for the build's readability notice."""
    policies = [p for p in kb.all(Policy) if p.current and p.carer_page]
    parts = {policy.id: list(carer_texts(policy)) for policy in policies}
    texts = [text for policy in policies for _, _, text in parts[policy.id]]
    texts += ["\n\n".join(text for _, _, text in parts[policy.id]) for policy in policies]
    findings = iter(plain_english_findings(texts, kb.cache))
    found = {policy.id: [(what, path, problems) for (what, path, _), (_, problems) in zip(parts[policy.id], findings)]
             for policy in policies}
    return {policy.id: CarerReadability(overall=next(findings)[0],
                                        problems=[(what, path, problem) for what, path, problems in found[policy.id]
                                                  for problem in problems])
            for policy in policies}


@hookimpl
def check_knowledge(kb: Knowledge):
    approved = [p for p in kb.all(Policy) if p.current]
    for policy, first in repeats(approved, lambda p: p.policy):
        yield kb.problem(policy, f"status: '{first.id}' is already the approved version of "
                                 f"'{policy.policy}'; mark one of them superseded", ("status",))
    with_carer_page = [p for p in approved if p.carer_page]
    for policy, first in repeats(with_carer_page, lambda p: p.carer_page):
        yield kb.problem(policy, f"carer_page: '{policy.carer_page}' is already used by '{first.id}'", ("carer_page",))
    readability = carer_readability(kb)
    for policy in with_carer_page:
        for what, path, problem in readability[policy.id].problems:
            yield kb.problem(policy, f"{what} {problem}", path)


def staff_context(policy: Policy) -> dict[str, Any]:
    return {"steps": for_audience(policy.steps, "staff") or policy.steps,
            "sections": for_audience(policy.sections, "staff") or policy.sections,
            "routes": for_audience(policy.routes, "staff") or policy.routes}


def carer_context(policy: Policy) -> dict[str, Any]:
    sections = for_audience(policy.sections, CARERS)
    return {"steps": for_audience(policy.steps, CARERS),
            "card_sections": [s for s in sections if s.card],
            "more_sections": [s for s in sections if not s.card],
            "routes": for_audience(policy.routes, CARERS),
            "contacts": [c.record for c in (policy.carer_contacts or policy.contacts)],
            "helplines": [c.record for c in policy.helplines.contacts] if policy.helplines else []}


@hookimpl
def register_pages(kb: Knowledge, register):
    files = kb.files_of(Policy)
    for policy in current_policies(kb):
        register(GeneratedPage(
            path=policy_page(policy), title=policy.title, template="policies/policy.md",
            context={"policy": policy, "versions": versions(kb, policy.policy), **staff_context(policy),
                     "carer_page": carer_page_path(policy), "version_path": version_page_path},
            data_files=files, description=policy.summary))
        register_versions(kb, policy.policy, register)
        if policy.carer_page:
            overall = carer_readability(kb)[policy.id].overall
            log.info(f"kb: readability of /{CARERS}/{policy.carer_page}/: Flesch reading ease {overall:.0f} "
                     f"overall; every step and section reaches {READABILITY_MINIMUM:.0f}")
            register(GeneratedPage(
                path=carer_page_path(policy), title=f"{policy.title}: what to do", template="policies/carer_policy.md",
                context={"policy": policy, **carer_context(policy)},
                data_files=files, description=policy.carer_summary or policy.summary))


def register_versions(kb: Knowledge, policy_id: str, register) -> None:
    """A permanent page per approved or superseded version, compared word by word with the version before it."""
    published = [p for p in reversed(versions(kb, policy_id)) if p.status != "draft"]   # oldest first
    for index, version in enumerate(published):
        before = published[index - 1] if index else None
        after = published[index + 1] if index + 1 < len(published) else None
        register(GeneratedPage(
            path=version_page_path(version), title=f"{version.title}: version {version.version}",
            template="policies/policy_version.md",
            context={"policy": version, "versions": versions(kb, policy_id), **staff_context(version),
                     "carer_page": None, "before": before, "after": after, "version_path": version_page_path,
                     "changes": compare.changes(before, version) if before else [],
                     "current": next(p for p in published if p.current) if any(p.current for p in published) else None},
            data_files=kb.files_of(Policy), search_exclude=True,
            description=f"Version {version.version} of {version.title}, as approved."))


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
