"""The training feature's hook implementations. What the feature does: the package docstring (__init__.py)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timezone

from plugins.core.hookspecs import hookimpl
from plugins.core.knowledge import Collection, Knowledge
from plugins.core.pages import GeneratedPage, SiteFile
from plugins.core.provenance import Basis
from plugins.organisation.models import Role
from plugins.training.models import LEVELS, Course, Demand, Session

SECTION = "training"
ICS_PATH = "data/training.ics"


def role_page_path(role_id: str) -> str:
    return f"{SECTION}/roles/{role_id}.md"


@hookimpl
def register_collections(register):
    register(Collection("courses", Course, "course", description="Training courses and their sessions.",
                        page=lambda course: f"{SECTION}/index.md#course-{course.id}"))
    register(Collection("training-demand", Demand, "training demand",
                        description="How many people must do the mandatory training.", title=lambda d: d.description))


def requirements_by_role(kb: Knowledge) -> dict[str, list[tuple[Course, str, str | None]]]:
    """For each role with any requirement: (course, level, note), mandatory first."""
    found: dict[str, list[tuple[Course, str, str | None]]] = {}
    for course in kb.all(Course):
        for requirement in course.requirements:
            found.setdefault(requirement.role.id, []).append((course, requirement.level, requirement.note))
    order = list(LEVELS)
    return {role: sorted(items, key=lambda item: (order.index(item[1]), item[0].title))
            for role, items in found.items()}


def matrix(kb: Knowledge) -> tuple[list[Role], list[Course], dict[tuple[str, str], str]]:
    """Roles (in data order) × courses, and the level in each cell that has one."""
    cells = {(r.role.id, c.id): r.level for c in kb.all(Course) for r in c.requirements}
    roles = [role for role in kb.all(Role) if any(key[0] == role.id for key in cells)]
    return roles, kb.all(Course), cells


@dataclass(frozen=True)
class Capacity:
    """Places on a mandatory course set against the number of people who must do it."""

    course: Course
    demand: Demand | None
    places: int
    taken: int
    demand_is_floor: bool
    """True when at least that many people must do it (the figure is 'over', or more roles must)."""
    upcoming_left: int
    basis: Basis
    """What every figure in the row rests on: the course, its sessions and the demand figure."""

    @property
    def shortfall(self) -> int | None:
        return None if self.demand is None else max(self.demand.count - self.places, 0)

    @property
    def coverage_percent(self) -> int | None:
        """Rounded down, so a shortfall of one place never shows as 100%."""
        return None if self.demand is None else 100 * self.places // self.demand.count


def capacity(kb: Knowledge, as_at: date) -> list[Capacity]:
    """For every course mandatory for some role: its places, taken and left, against the demand for those roles."""
    results = []
    for course in kb.all(Course):
        mandatory = {r.role.id for r in course.requirements if r.level == "mandatory"}
        if not mandatory:
            continue
        # A demand figure counts only when all its roles must do the course. If more roles must,
        # the figure is a floor: coverage is then 'under' and the shortfall 'at least'.
        demand = next((d for d in kb.all(Demand) if {r.id for r in d.roles} <= mandatory), None)
        upcoming = [s for s in course.sessions if s.date >= as_at]
        results.append(Capacity(
            course=course, demand=demand,
            places=sum(s.capacity for s in course.sessions),
            taken=sum(s.places_taken for s in course.sessions),
            demand_is_floor=demand is not None and (demand.qualifier == "over" or {r.id for r in demand.roles} < mandatory),
            upcoming_left=sum(s.capacity - s.places_taken for s in upcoming),
            basis=Basis.of(course, course.sessions, demand)))
    return results


def upcoming_sessions(kb: Knowledge, as_at: date) -> list[tuple[Course, Session]]:
    return sorted(((c, s) for c in kb.all(Course) for s in c.sessions if s.date >= as_at),
                  key=lambda pair: (pair[1].date, pair[1].start or "", pair[0].title))


def calendar(kb: Knowledge) -> bytes:
    """Every session as an RFC 5545 calendar (Outlook can subscribe to it). Times are UK local time."""
    import icalendar  # here, not at the top: only the calendar needs it, and `kb validate` need not wait for it

    cal = icalendar.Calendar()
    cal.add("prodid", "-//Kent County Council//Children's services knowledge base//EN")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", "Children's services training sessions")
    cal.add("x-wr-timezone", "Europe/London")
    stamp = datetime.combine(kb.as_at, time(0, 0), tzinfo=timezone.utc)  # deterministic: the data's as-at date
    for course in sorted(kb.all(Course), key=lambda c: c.id):
        providers = " and ".join(p.record.name for p in course.providers)
        for session in course.sessions:
            basis = Basis.of(course, session)
            # An event that rests on illustrative data says so where calendar programs show it: the title.
            prefix = "Illustrative: " if basis.illustrative else ""
            notice = ("Illustrative: this session rests on details no source gives (" + " ".join(basis.assumptions)
                      + ") It is an example, not a real booking.\n\n") if basis.illustrative else ""
            event = icalendar.Event()
            event.add("uid", f"{course.id}.{session.id}@kent-childrens-kb")
            event.add("dtstamp", stamp)
            event.add("summary", prefix + course.title)
            if session.start and session.end:
                event.add("dtstart", datetime.combine(session.date, time.fromisoformat(session.start)))
                event.add("dtend", datetime.combine(session.date, time.fromisoformat(session.end)))
            else:
                event.add("dtstart", session.date)
            event.add("location", session.location)
            event.add("description", notice + f"{course.format.capitalize()}, {course.length}, run by {providers}. "
                                              f"{session.capacity - session.places_taken} of {session.capacity} "
                                              "places left.")
            cal.add_component(event)
    return cal.to_ical()


@hookimpl
def extra_site_files(kb: Knowledge, register):
    register(SiteFile(ICS_PATH, lambda: calendar(kb)))


@hookimpl
def register_pages(kb: Knowledge, register):
    files = kb.files_of(Course, Demand)
    as_at = kb.as_at
    by_role = requirements_by_role(kb)
    common = {"as_at": as_at, "levels": LEVELS, "section": SECTION, "role_path": role_page_path, "ics": ICS_PATH}
    register(GeneratedPage(
        path=f"{SECTION}/index.md", title="Training guidance", template="training/training.md", in_nav=True,
        context={**common, "courses": kb.all(Course), "capacity": capacity(kb, as_at), "demands": kb.all(Demand)},
        data_files=files, description="The training catalogue, who must do what, and capacity against demand."))
    role_list, courses, cells = matrix(kb)
    register(GeneratedPage(
        path=f"{SECTION}/matrix.md", title="What training do I need?", template="training/training_matrix.md",
        context={**common, "matrix_roles": role_list, "courses": courses, "cells": cells},
        data_files=files, description="Which courses each role must do, should do, or may do instead."))
    register(GeneratedPage(
        path=f"{SECTION}/sessions.md", title="Upcoming training sessions", template="training/training_sessions.md",
        context={**common, "upcoming": upcoming_sessions(kb, as_at)},
        data_files=files, description="Dates, places and how many places are left."))
    for role_id, items in by_role.items():
        role = kb.get(Role, role_id)
        register(GeneratedPage(
            path=role_page_path(role_id), title=f"Training for: {role.name}", template="training/training_role.md",
            context={**common, "role": role, "items": items},
            data_files=files, description=f"The training a {role.name.lower()} must or should do."))
