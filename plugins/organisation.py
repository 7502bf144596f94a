"""The organisation: services, areas and districts, audiences, roles and public contact numbers."""

from __future__ import annotations

from markupsafe import Markup

from plugins.hookspecs import hookimpl
from plugins.knowledge import Collection, Knowledge
from plugins.models import Area, Audience, Contact, Role, Service
from plugins.pages import Macro, PageContext
from plugins.render import render


@hookimpl
def register_collections(register):
    register(Collection("services", Service, "service",
                        description="KCC divisions and teams, and partners, that lead or share the work."))
    register(Collection("areas", Area, "area", description="Kent's four areas and their twelve districts."))
    register(Collection("audiences", Audience, "audience", description="The groups of readers the site serves."))
    register(Collection("roles", Role, "role", description="Jobs and parts people play; owners are roles."))
    register(Collection("contacts", Contact, "contact", description="Public service telephone numbers."))


@hookimpl
def check_knowledge(kb: Knowledge):
    seen: dict[str, Area] = {}
    for area in kb.all("areas"):
        for index, district in enumerate(area.districts):
            first = seen.get(district.casefold())
            if first is not None:
                yield kb.problem(area, f"districts[{index}]: '{district}' is already listed in area '{first.id}'",
                                 ("districts", index))
            seen.setdefault(district.casefold(), area)


def contacts_in_order(kb: Knowledge) -> list[Contact]:
    return sorted(kb.all("contacts"), key=lambda c: (c.order, c.name))


@hookimpl
def register_macros(kb: Knowledge, register):
    def contacts(page: PageContext) -> Markup:
        """The public numbers to ring, as tel: links."""
        return render("contacts.html", page, kb, contacts=contacts_in_order(kb))

    def organisation(page: PageContext) -> Markup:
        """Services, areas with their districts, and roles."""
        audiences = {a.id: a for a in kb.all("audiences")}
        services = {s.id: s for s in kb.all("services")}
        return render("organisation.html", page, kb, services=kb.all("services"), areas=kb.all("areas"),
                      roles=kb.all("roles"), audiences=audiences, services_by_id=services)

    def audience_entry_points(page: PageContext) -> Markup:
        """One entry point per audience: who it is for, what they come for, where to start."""
        return render("audiences.html", page, kb, audiences=kb.all("audiences"))

    register(Macro("contacts", contacts, tuple(kb.files["contacts"])))
    register(Macro("organisation", organisation,
                   tuple(kb.files["services"] + kb.files["areas"] + kb.files["roles"])))
    register(Macro("audience_entry_points", audience_entry_points, tuple(kb.files["audiences"])))
