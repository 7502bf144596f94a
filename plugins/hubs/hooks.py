"""The hubs feature's hook implementations. What the feature does: the package docstring (__init__.py)."""

from __future__ import annotations

from markupsafe import Markup

from plugins.core.hookspecs import hookimpl
from plugins.core.knowledge import Knowledge
from plugins.core.pages import Macro, PageContext
from plugins.core.records import Audienced
from plugins.core.render import render
from plugins.organisation.models import Audience, Role


def tagged_pages(kb: Knowledge, audience: str) -> list[tuple[str, str, str]]:
    """(collection label, title, page) for every record tagged with the audience that has a page.
    Where a record has a page made for this audience (under /<audience>/), that page is used."""
    found = []
    for collection, record, pages in kb.published():
        if isinstance(record, Audienced) and audience in {a.id for a in record.audiences}:
            own = [p for p in pages if p.startswith(f"{audience}/")]
            found.append((collection.label, kb.title(record), (own or pages)[0]))
    return sorted(found, key=lambda item: (item[0], item[1].casefold()))


@hookimpl
def register_macros(kb: Knowledge, register):
    def audience_hub(page: PageContext, audience_id: str) -> Markup:
        """The hub for one audience: what they come for, where to start, every page tagged for them, their roles."""
        try:
            audience = kb.get(Audience, audience_id)
        except KeyError:
            raise ValueError(f"audience_hub('{audience_id}'): no such audience in {', '.join(kb.files_of(Audience))}") \
                from None
        roles = [r for r in kb.all(Role) if r.audience and r.audience.id == audience_id]
        return render("hubs/hub.html", page, kb, audience=audience, pages=tagged_pages(kb, audience_id), roles=roles)

    tagged = {type(record) for _, record, _ in kb.published() if isinstance(record, Audienced)}
    files = kb.files_of(Audience, Role, *sorted(tagged, key=lambda model: kb.collection(model).name))
    register(Macro("audience_hub", audience_hub, files))
