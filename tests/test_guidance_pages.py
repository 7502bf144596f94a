"""The CSE toolkit, training guidance, JSNA summary and programmes, built from the tiny data."""

from __future__ import annotations

from pathlib import Path

import icalendar
import pytest
from pydantic import ValidationError

from plugins.toolkit.models import Toolkit
from plugins.training.hooks import capacity
from tests.helpers import TINY_DATA, article_text, build_project, load, make_project, page, tables

TOOLKIT = dict(id="t", title="T", definition="d", definition_source="r", cites=["r"], emergency_contact="e",
               groups=[{"id": "g", "name": "G", "kind": "vulnerability", "description": "x",
                        "signs": [{"id": "s", "text": "S"}], "cites": ["r"]}],
               pathway=[{"id": "p", "title": "P", "description": "x", "cites": ["r"]}])


def level(n: int) -> dict:
    return {"id": f"l{n}", "level": n, "name": f"L{n}", "description": "x", "response": ["Do."], "cites": ["r"]}


@pytest.mark.parametrize("numbers", [[2, 3], [1, 3], [2, 1], [1, 1]])
def test_toolkit_levels_must_run_in_order_without_gaps(numbers):
    with pytest.raises(ValidationError, match="levels must run 1, 2, 3"):
        Toolkit.model_validate({**TOOLKIT, "levels": [level(n) for n in numbers]})
    assert Toolkit.model_validate({**TOOLKIT, "levels": [level(1), level(2), level(3)]}).levels[2].level == 3


@pytest.fixture
def site(tiny_site) -> Path:
    return tiny_site


def test_a_level_without_a_source_is_refused():
    with pytest.raises(ValidationError, match="states a rule without a source"):
        Toolkit.model_validate({**TOOLKIT, "levels": [{**level(1), "cites": []}]})


def test_toolkit_overview_counts_vulnerability_factors_and_warning_signs_apart(site):
    rows = tables(page(site, "cse-toolkit"))["Vulnerability factors and warning signs, by group"]
    assert rows[1:] == [["Vulnerability factors", "Vulnerability factors", "2", "not applicable"],
                        ["Going missing", "Warning signs", "2", "1"],
                        ["All vulnerability factors", "", "2", "not applicable"],
                        ["All warning signs", "", "2", "1"]]
    text = article_text(page(site, "cse-toolkit"))
    assert "Supports professional judgement and a referral; never replaces them" in text
    assert "If you are worried, refer the same day: the toolkit does not decide whether to refer." in text
    assert text.index("At risk: Vulnerable.") < text.index("Medium: Targeted.") < text.index("High: Habitual.")


def test_each_group_has_a_page_with_significant_signs_marked_in_words(site):
    text = article_text(page(site, "cse-toolkit/signs/missing"))
    assert "Missing overnight or longer Significant" in text and "Staying out late Significant" not in text
    assert "2 warning signs, 1 of them significant." in text
    assert "2 vulnerability factors." in article_text(page(site, "cse-toolkit/signs/vulnerability"))


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
    assert 'data-kb-kind="vulnerability"' in html and 'data-kb-kind="warning-sign"' in html
    refer_now = html.split("data-kb-refer-now", 1)[1].split("</div>", 1)[0]
    assert refer_now.startswith(" hidden>") and "refer now" in refer_now, "shown by the script, never by default"


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


# --- the CSE toolkit as shipped: thresholds, the rules that always apply, the carers' guide ----------


@pytest.fixture(scope="module")
def real_site(tmp_path_factory) -> Path:
    """This module's `site` is the tiny one; these tests read the real toolkit."""
    from tests.helpers import ROOT
    return build_project(make_project(tmp_path_factory.mktemp("real-toolkit") / "project", data=ROOT / "data"))


def level_sections(html: str) -> dict[str, str]:
    return {part.split('"', 1)[0]: article_text("<article>" + part.split("</section>", 1)[0] + "</article>")
            for part in html.split('<section class="kb-level" aria-labelledby="level-')[1:]}


def test_every_level_refers_and_the_thresholds_rise_with_the_level(real_site):
    levels = level_sections(page(real_site, "cse-toolkit/levels"))
    assert list(levels) == ["at-risk", "medium", "high"]
    for name, text in levels.items():
        assert "refer" in text.split("What happens", 1)[1].split(".")[0].lower(), f"{name}: the first response refers"
        assert "as well as referring, never instead" in text, name
        assert "Source" in text, name
    assert "strategy discussion" not in levels["at-risk"]
    assert "reasonable cause to suspect significant harm" in levels["medium"]
    assert "convenes a strategy discussion" in levels["medium"] and "convenes a strategy discussion" in levels["high"]
    assert "starts section 47 enquiries" in levels["high"]
    everything = " ".join(levels.values()).lower()
    assert "consider a section 47" not in everything and "consider whether" not in everything


def test_the_under_13_and_consent_rules_are_stated_without_conditions(real_site):
    for url in ("cse-toolkit", "cse-toolkit/checklist", "cse-toolkit/levels"):
        text = article_text(page(real_site, url))
        assert "A child under 13 cannot consent" in text, url
        assert "never lowers" in text.lower(), url
    overview = article_text(page(real_site, "cse-toolkit"))
    assert "Any sexual activity involving a child under 13 means an immediate referral" in overview
    assert "Some other LSCBs" not in overview
    assert "Abuse happening now is not a sign to tick" in overview
    checklist = page(real_site, "cse-toolkit/checklist")
    assert "Abuse by that older" not in checklist, "current abuse is a referral, never a tick box"


def test_the_toolkit_says_which_words_blame_the_child(real_site):
    rows = tables(page(real_site, "cse-toolkit"))["Words that blame the child, and what to say instead"]
    avoided = " ".join(row[0] for row in rows[1:])
    for phrase in ("putting themselves at risk", "promiscuous", "consensual"):
        assert phrase in avoided


def test_the_pathway_refers_before_it_assesses_and_intelligence_is_extra(real_site):
    text = article_text(page(real_site, "cse-toolkit/pathway"))
    steps = text.split("The same steps, with what each involves", 1)[1]
    assert steps.index("Worried? Refer the same day") < steps.index("Tell the police: ring 101") \
        < steps.index("Record your assessment")
    assert "in addition to a referral, never instead of one" in steps
    assert "safeguarding lead" in steps and "a colleague" not in steps
    assert "not a tool for grading risk" in steps


def test_vulnerability_factors_fill_the_review_gaps(real_site):
    text = article_text(page(real_site, "cse-toolkit/signs/vulnerability-factors"))
    for factor in ("Being looked after (in care)", "Going missing before", "A learning disability",
                   "Links to a gang", "Homelessness", "Past sexual abuse"):
        assert factor in text, factor
    assert "16 vulnerability factors." in text
    assert "1 warning sign, 0 of them significant." in article_text(page(real_site, "cse-toolkit/signs/education-and-work"))


def test_the_carers_guide_is_plain_and_reached_from_their_hub(real_site):
    html = page(real_site, "foster-carers/cse-signs")
    text = article_text(html)
    assert "tell your supervising social worker the same day" in text
    assert 'href="tel:03000419191"' in html and 'href="tel:999"' in html
    assert "Owner: Practice Development Officer" in text, "the page belongs to the toolkit section"
    hub = page(real_site, "foster-carers")
    assert 'href="cse-signs/">Warning signs of sexual exploitation: what to look for</a>' in hub
    from plugins.policies.models import READABILITY_MINIMUM, reading_ease
    from plugins.toolkit.models import Toolkit
    guide = load().all(Toolkit)[0].carers
    assert all(reading_ease(section.body) >= READABILITY_MINIMUM for section in guide.sections)


@pytest.fixture
def real_data(tmp_path) -> Path:
    import shutil

    from tests.helpers import ROOT
    shutil.copytree(ROOT / "data", tmp_path / "data")
    return tmp_path / "data"


def test_a_hard_section_of_the_carers_guide_is_refused_at_its_line(real_data):
    from plugins.core.problems import DataError

    path = real_data / "cse-toolkit.yml"
    text = path.read_text(encoding="utf-8")
    start = "          An adult, or an older young person, gets a child to do sexual things. In\n"
    line = text[:text.index(start)].count("\n")   # the `body:` line above it
    path.write_text(text.replace(start, "          Notwithstanding multidisciplinary considerations, exploitation "
                                        "necessitates comprehensive organisational interventions.\n"), encoding="utf-8")
    with pytest.raises(DataError) as error:
        load(real_data)
    [problem] = error.value.problems
    assert (problem.file, problem.line) == ("data/cse-toolkit.yml", line)
    assert problem.rule.startswith("the carers' section 'What sexual exploitation is' reads at Flesch reading ease")


def test_the_carers_guide_needs_a_page_in_the_guidance_section(real_data):
    from plugins.core.problems import DataError

    path = real_data / "guidance.yml"
    path.write_text(path.read_text(encoding="utf-8").replace("  carer_page: cse-signs\n", ""), encoding="utf-8")
    with pytest.raises(DataError) as error:
        load(real_data)
    assert [p.rule for p in error.value.problems] == [
        "carers: the foster carers' guide needs a page: give the 'cse-toolkit' section a `carer_page` in "
        "data/guidance.yml"]
