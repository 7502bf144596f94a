"""The dated changes the built-in collections record, found through the typed knowledge base.

Progress updates on actions, committee reports, the amendments of each policy,
and the last review of anything `Owned` that has a page. A new collection adds
its own through the `register_amendments` hook, with no edit here.
"""

from __future__ import annotations

from collections.abc import Iterator

from plugins.core.knowledge import Knowledge
from plugins.core.pages import Amendment
from plugins.core.records import Owned, Record, Versioned
from plugins.core.render import long_date
from plugins.plan.models import Action
from plugins.policies.models import Policy
from plugins.sources.models import CommitteeReport

NOT_RECORDED = "Not recorded"


def built_in(kb: Knowledge) -> Iterator[Amendment]:
    found = [*progress_updates(kb), *committee_reports(kb), *policy_amendments(kb)]
    yield from found
    dated_pages = {(a.pages[0], a.date) for a in found if a.pages}
    yield from (r for r in reviews(kb) if (r.pages[0], r.date) not in dated_pages)  # a new version is reviewed too


def progress_updates(kb: Knowledge) -> Iterator[Amendment]:
    for action in kb.all(Action):
        pages = _pages(kb, action)
        for update in action.updates:
            yield Amendment(update.date, pages, kb.title(action), f"Progress update: {update.status_label}. {update.note}",
                            kb.title(action.owner.record), (action, update))


def committee_reports(kb: Knowledge) -> Iterator[Amendment]:
    for report in kb.all(CommitteeReport):
        yield Amendment(report.date, _pages(kb, report), report.title,
                        f"Progress report to the {report.committee}.", report.author or NOT_RECORDED, (report,))


def policy_amendments(kb: Knowledge) -> Iterator[Amendment]:
    """Each version's amendment, once, from the policy's current version (which lists them all)."""
    for policy in kb.all(Policy):
        if not policy.current:
            continue
        for amendment in policy.amendments:
            yield Amendment(amendment.date, _pages(kb, policy), kb.title(policy),
                            f"Version {amendment.version}: {amendment.change}", kb.title(policy.owner.record), (policy,))


def reviews(kb: Knowledge) -> Iterator[Amendment]:
    for record in kb.having(Owned):
        if isinstance(record, Versioned) and not record.current:
            continue
        pages = _pages(kb, record)
        if pages:
            owner = kb.title(record.owner.record)
            yield Amendment(record.last_reviewed, pages, kb.title(record),
                            f"Reviewed by its owner, the {owner}; next review due {long_date(record.review_due)}.",
                            owner, (record,))


def _pages(kb: Knowledge, record: Record) -> tuple[str, ...]:
    """The pages made for a record, or the page it is shown on (with its anchor)."""
    own = kb.pages_of(record)
    shown = kb.page_of(record)
    return tuple(own) if own else ((shown,) if shown else ())
