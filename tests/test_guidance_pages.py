"""The CSE toolkit, training guidance, JSNA summary and programmes, built from the tiny data."""

from __future__ import annotations

from pathlib import Path

import icalendar
import pytest
from pydantic import ValidationError

from plugins.toolkit.models import Toolkit
from plugins.training.hooks import capacity
from tests.helpers import TINY_DATA, load, article_text, build_project, make_project, page, tables

TOOLKIT = dict(id="t", title="T", definition="d", definition_source="r", cites=["r"], emergency_contact="e",
               groups=[{"id": "g", "name": "G", "kind": "vulnerability", "description": "x",
                        "signs": [{"id": "s", "text": "S"}]}],
               pathway=[{"id": "p", "title": "P", "description": "x"}])


def level(n: int) -> dict:
    return {"id": f"l{n}", "level": n, "name": f"L{n}", "description": "x", "response": ["Do."]}


@pytest.mark.parametrize("numbers", [[2, 3], [1, 3], [2, 1], [1, 1]])
def test_toolkit_levels_must_run_in_order_without_gaps(numbers):
    with pytest.raises(ValidationError, match="levels must run 1, 2, 3"):
        Toolkit.model_validate({**TOOLKIT, "levels": [level(n) for n in numbers]})
    assert Toolkit.model_validate({**TOOLKIT, "levels": [level(1), level(2), level(3)]}).levels[2].level == 3


@pytest.fixture
def site(tiny_site) -> Path:
    return tiny_site


def test_toolkit_overview_counts_signs_and_lists_levels_in_order(site):
    rows = tables(page(site, "cse-toolkit"))["Vulnerability factors and warning signs, by group"]
    assert rows[1:] == [["Vulnerability factors", "Vulnerability factors", "2", "0"],
                        ["Going missing", "Warning signs", "2", "1"], ["All groups", "", "4", "1"]]
    text = article_text(page(site, "cse-toolkit"))
    assert "supports your professional judgement and does not replace it" in text
    assert text.index("At risk: Vulnerable.") < text.index("Medium: Targeted.") < text.index("High: Habitual.")


def test_each_group_has_a_page_with_significant_signs_marked_in_words(site):
    text = article_text(page(site, "cse-toolkit/signs/missing"))
    assert "Missing overnight or longer Significant" in text and "Staying out late Significant" not in text


def test_levels_page_gives_the_response_at_every_level(site):
    text = article_text(page(site, "cse-toolkit/levels"))
    assert "Level 1: At risk" in text and "Level 2: Medium" in text and "Level 3: High" in text
    assert "Assess. Make a safety plan." in text


def test_pathway_is_a_diagram_with_a_text_equivalent(site):
    html = page(site, "cse-toolkit/pathway")
    assert 'role="img" aria-labelledby="pathway-diagram-title pathway-diagram-desc"' in html
    assert "Step 1: In danger. Then: Step 2: Refer." in html
    assert article_text(html).count("In danger") >= 2   # in the diagram and in the ordered list


def test_checklist_has_a_labelled_checkbox_per_sign(site):
    html = page(site, "cse-toolkit/checklist")
    assert html.split("<form class=\"kb-checklist\"")[1].split("</form>")[0].count('type="checkbox"') == 4
    assert '<legend>Going missing <span class="kb-checklist__count" data-kb-count aria-hidden="true"></span></legend>' in html
    assert "Ticks stay in this page only: nothing is saved or sent" in article_text(html)


def test_training_matrix_shows_every_requirement_by_role_and_invents_none(site):
    found = tables(page(site, "training/matrix"))
    assert found["Training for social worker (the role's page)"][1:] == [
        ["Multi-agency CSE training", "Mandatory"], ["CSE e-learning", "Interim alternative"]]
    assert found["Training for foster carer (the role's page)"][1:] == [["CSE e-learning", "Recommended"]]
    assert len(found) == 2       # roles without a requirement get no table: nothing is hidden or invented


def test_capacity_against_demand_is_computed(site):
    kb = load(TINY_DATA)
    [row] = capacity(kb, kb.as_at)
    assert (row.places, row.taken, row.upcoming_left) == (45, 25, 20)
    assert (row.coverage_percent, row.shortfall) == (45, 55)
    table = tables(page(site, "training"))[
        "Mandatory courses: places against the number of staff who must do them, as at 21 April 2015"]
    assert table[1] == ["Multi-agency CSE training", "over 100", "45 (25 taken; 20 left)", "under 45%", "at least 55"]


def test_role_pages_and_upcoming_sessions(site):
    text = article_text(page(site, "training/roles/social-worker"))
    assert text.index("Mandatory Multi-agency CSE training") < text.index("Interim alternative CSE e-learning")
    sessions = tables(page(site, "training/sessions"))["Upcoming training sessions"]
    assert sessions[1:] == [["12 May 2015", "09:30 to 16:00", "Multi-agency CSE training", "Canterbury, Kent", "20 of 25"]]


def test_the_training_calendar_is_valid_icalendar_and_round_trips(site):
    raw = (site / "data" / "training.ics").read_bytes()
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


def test_jsna_figures_have_caveats_and_link_to_plan_actions(site):
    html = page(site, "jsna")
    assert tables(html)["Figures about child sexual exploitation in Kent, with source and caveat"][1] == [
        "Front-line staff", "over 100", "2015", "The report.", "A floor."]
    assert 'href="../plan/actions/act-training/"' in html


def test_programmes_show_milestones_in_date_order_and_their_actions(site):
    text = article_text(page(site, "programmes"))
    assert text.index("March 2015: Done Training begins") < text.index("2017: Planned Implementation complete")
    assert "act-workshop: Workshop for foster carers: On track" in text


def test_every_guidance_page_shows_its_owner_and_review(site):
    for url in ("cse-toolkit", "cse-toolkit/signs/missing", "training/matrix", "training/roles/social-worker"):
        assert "Owner: Social worker. Last reviewed: 1 March 2015. Next review: 1 March 2016." in \
            article_text(page(site, url)), url
