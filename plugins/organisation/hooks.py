"""The organisation feature's hook implementations. What the feature does: the package docstring (__init__.py)."""

from __future__ import annotations

from markupsafe import Markup

from plugins.core.hookspecs import hookimpl
from plugins.core.knowledge import Collection, Knowledge
from plugins.core.pages import Macro, PageContext
from plugins.core.render import render
from plugins.organisation.models import Area, Audience, Contact, Role, Service


@hookimpl
def register_collections(register):
    register(Collection("services", Service, "service",
                        description="KCC divisions and teams, and partners, that lead or share the work.",
                        title=lambda s: s.abbreviation or s.name))
    register(Collection("areas", Area, "area", description="Kent's four areas and their twelve districts."))
    register(Collection("audiences", Audience, "audience", description="The groups of readers the site serves."))
    register(Collection("roles", Role, "role", description="Jobs and parts people play; owners are roles."))
    register(Collection("contacts", Contact, "contact", description="Public service telephone numbers."))


@hookimpl
def check_knowledge(kb: Knowledge):
    seen: dict[str, Area] = {}
    for area in kb.all(Area):
        for index, district in enumerate(area.districts):
            first = seen.get(district.casefold())
            if first is not None:
                yield kb.problem(area, f"districts[{index}]: '{district}' is already listed in area '{first.id}'",
                                 ("districts", index))
            seen.setdefault(district.casefold(), area)


def contacts_in_order(kb: Knowledge) -> list[Contact]:
    return sorted(kb.all(Contact), key=lambda c: (c.order, c.name))


@hookimpl
def register_macros(kb: Knowledge, register):
    def contacts(page: PageContext) -> Markup:
        """The public numbers to ring, as tel: links."""
        return render("organisation/contacts.html", page, kb, contacts=contacts_in_order(kb))

    def organisation(page: PageContext) -> Markup:
        """Services, areas with their districts, and roles."""
        return render("organisation/organisation.html", page, kb, services=kb.all(Service), areas=kb.all(Area),
                      roles=kb.all(Role))

    def audience_entry_points(page: PageContext) -> Markup:
        """One entry point per audience: who it is for, what they come for, where to start."""
        return render("organisation/audiences.html", page, kb, audiences=kb.all(Audience))

    register(Macro("contacts", contacts, kb.files_of(Contact)))
    register(Macro("organisation", organisation, kb.files_of(Service, Area, Role)))
    register(Macro("audience_entry_points", audience_entry_points, kb.files_of(Audience)))
