"""Audience hubs: a start page per audience, built from the audience tags in the data.

A record tagged with an audience (`audiences: [...]`) and shown on a page appears
on that audience's hub without anyone editing the hub.
"""

from __future__ import annotations

from markupsafe import Markup

from plugins.hookspecs import hookimpl
from plugins.knowledge import Knowledge
from plugins.pages import Macro, PageContext
from plugins.references import display_name
from plugins.render import render


def tagged_pages(kb: Knowledge, audience: str) -> list[tuple[str, str, str]]:
    """(collection label, title, page) for every record tagged with the audience that has a page.
    Where a record has a page made for this audience (under /<audience>/), that page is used."""
    found = []
    for collection, record, pages in kb.published():
        if audience in getattr(record, "audiences", ()):
            own = [p for p in pages if p.startswith(f"{audience}/")]
            found.append((collection.label, display_name(record), (own or pages)[0]))
    return sorted(found, key=lambda item: (item[0], item[1].casefold()))


@hookimpl
def register_macros(kb: Knowledge, register):
    def audience_hub(page: PageContext, audience_id: str) -> Markup:
        """The hub for one audience: what they come for, where to start, every page tagged for them, their roles."""
        if audience_id not in kb.records["audiences"]:
            raise ValueError(f"audience_hub('{audience_id}'): no such audience in {', '.join(kb.files['audiences'])}")
        audience = kb.get("audiences", audience_id)
        roles = [r for r in kb.all("roles") if r.audience == audience_id]
        return render("hub.html", page, kb, audience=audience, pages=tagged_pages(kb, audience_id), roles=roles)

    files = tuple(kb.files["audiences"] + kb.files["roles"] +
                  [f for c in kb.collections.values() if c.pages_of for f in kb.files[c.name]])
    register(Macro("audience_hub", audience_hub, files))
