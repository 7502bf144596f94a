"""Training guidance from the tiny data: the matrix by role, capacity against demand, role pages, sessions and
the calendar."""

from __future__ import annotations

import icalendar

from plugins.training.hooks import capacity
from tests.helpers import TINY_DATA, article_text, load, page, tables


def test_training_matrix_shows_every_requirement_by_role_and_invents_none(tiny_site):
    found = tables(page(tiny_site, "training/matrix"))
    assert found["Training for social worker (the role's page)"][1:] == [
        ["Multi-agency CSE training", "Mandatory"], ["CSE e-learning", "Interim alternative"]]
    assert found["Training for foster carer (the role's page)"][1:] == [["CSE e-learning", "Recommended"]]
    assert len(found) == 2       # roles without a requirement get no table: nothing is hidden or invented


def test_capacity_against_demand_is_computed(tiny_site):
    kb = load(TINY_DATA)
    [row] = capacity(kb, kb.as_at)
    assert (row.places, row.taken, row.upcoming_left) == (45, 25, 20)
    assert (row.coverage_percent, row.shortfall) == (45, 55)
    table = tables(page(tiny_site, "training"))[
        "Mandatory courses: places against the number of staff who must do them, as at 21 April 2015"]
    assert table[1] == ["Multi-agency CSE training", "over 100", "45 (25 taken; 20 left)", "under 45%", "at least 55"]


def test_role_pages_and_upcoming_sessions(tiny_site):
    text = article_text(page(tiny_site, "training/roles/social-worker"))
    assert text.index("Mandatory Multi-agency CSE training") < text.index("Interim alternative CSE e-learning")
    sessions = tables(page(tiny_site, "training/sessions"))["Upcoming training sessions"]
    assert sessions[1:] == [["12 May 2015", "09:30 to 16:00", "Multi-agency CSE training", "Canterbury, Kent", "20 of 25"]]


def test_the_training_calendar_is_valid_icalendar_and_round_trips(tiny_site):
    raw = (tiny_site / "data" / "training.ics").read_bytes()
    assert raw.startswith(b"BEGIN:VCALENDAR\r\n") and raw.endswith(b"END:VCALENDAR\r\n")
    assert all(len(line) <= 75 for line in raw.split(b"\r\n")), "lines must be folded at 75 octets"
    calendar = icalendar.Calendar.from_ical(raw)
    events = list(calendar.walk("VEVENT"))
    assert [(str(e["summary"]), e.decoded("dtstart").isoformat(), str(e["location"])) for e in events] == [
        ("Multi-agency CSE training", "2015-03-10T09:30:00", "Maidstone"),
        ("Multi-agency CSE training", "2015-05-12T09:30:00", "Canterbury, Kent")]
    assert len({str(e["uid"]) for e in events}) == 2
    assert icalendar.Calendar.from_ical(calendar.to_ical()).to_ical() == calendar.to_ical()
    assert b"LOCATION:Canterbury\\, Kent" in raw
