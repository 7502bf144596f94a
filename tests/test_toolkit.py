"""The CSE risk-assessment toolkit: its model's rules, its pages from the tiny data, and the toolkit as shipped
(thresholds, the rules that always apply, the carers' guide) on the real site."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from pydantic import ValidationError

from plugins.core.problems import DataError
from plugins.toolkit.models import Toolkit
from tests.helpers import ROOT, article_text, load, page, tables

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


def test_a_level_without_a_source_is_refused():
    with pytest.raises(ValidationError, match="states a rule without a source"):
        Toolkit.model_validate({**TOOLKIT, "levels": [{**level(1), "cites": []}]})


def test_toolkit_overview_counts_vulnerability_factors_and_warning_signs_apart(tiny_site):
    rows = tables(page(tiny_site, "cse-toolkit"))["Vulnerability factors and warning signs, by group"]
    assert rows[1:] == [["Vulnerability factors", "Vulnerability factors", "2", "not applicable"],
                        ["Going missing", "Warning signs", "2", "1"],
                        ["All vulnerability factors", "", "2", "not applicable"],
                        ["All warning signs", "", "2", "1"]]
    text = article_text(page(tiny_site, "cse-toolkit"))
    assert "Supports professional judgement and a referral; never replaces them" in text
    assert "If you are worried, refer the same day: the toolkit does not decide whether to refer." in text
    assert text.index("At risk: Vulnerable.") < text.index("Medium: Targeted.") < text.index("High: Habitual.")


def test_each_group_has_a_page_with_significant_signs_marked_in_words(tiny_site):
    text = article_text(page(tiny_site, "cse-toolkit/signs/missing"))
    assert "Missing overnight or longer Significant" in text and "Staying out late Significant" not in text
    assert "2 warning signs, 1 of them significant." in text
    assert "2 vulnerability factors." in article_text(page(tiny_site, "cse-toolkit/signs/vulnerability"))


def test_levels_page_gives_the_response_at_every_level(tiny_site):
    text = article_text(page(tiny_site, "cse-toolkit/levels"))
    assert "Level 1: At risk" in text and "Level 2: Medium" in text and "Level 3: High" in text
    assert "Assess. Make a safety plan." in text


def test_pathway_is_a_diagram_with_a_text_equivalent(tiny_site):
    html = page(tiny_site, "cse-toolkit/pathway")
    assert 'role="img" aria-labelledby="pathway-diagram-title pathway-diagram-desc"' in html
    assert "Step 1: In danger. Then: Step 2: Refer." in html
    assert article_text(html).count("In danger") >= 2   # in the diagram and in the ordered list


def test_checklist_has_a_labelled_checkbox_per_sign(tiny_site):
    html = page(tiny_site, "cse-toolkit/checklist")
    assert html.split("<form class=\"kb-checklist\"")[1].split("</form>")[0].count('type="checkbox"') == 4
    assert '<legend>Going missing <span class="kb-checklist__count" data-kb-count aria-hidden="true"></span></legend>' in html
    assert "Ticks stay in this page only: nothing is saved or sent" in article_text(html)
    assert 'data-kb-kind="vulnerability"' in html and 'data-kb-kind="warning-sign"' in html
    refer_now = html.split("data-kb-refer-now", 1)[1].split("</div>", 1)[0]
    assert refer_now.startswith(" hidden>") and "refer now" in refer_now, "shown by the script, never by default"


# --- the CSE toolkit as shipped: thresholds, the rules that always apply, the carers' guide ----------


def level_sections(html: str) -> dict[str, str]:
    return {part.split('"', 1)[0]: article_text("<article>" + part.split("</section>", 1)[0] + "</article>")
            for part in html.split('<section class="kb-level" aria-labelledby="level-')[1:]}


def test_every_level_refers_and_the_thresholds_rise_with_the_level(site):
    levels = level_sections(page(site, "cse-toolkit/levels"))
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


def test_the_under_13_and_consent_rules_are_stated_without_conditions(site):
    for url in ("cse-toolkit", "cse-toolkit/checklist", "cse-toolkit/levels"):
        text = article_text(page(site, url))
        assert "A child under 13 cannot consent" in text, url
        assert "never lowers" in text.lower(), url
    overview = article_text(page(site, "cse-toolkit"))
    assert "Any sexual activity involving a child under 13 means an immediate referral" in overview
    assert "Some other LSCBs" not in overview
    assert "Abuse happening now is not a sign to tick" in overview
    checklist = page(site, "cse-toolkit/checklist")
    assert "Abuse by that older" not in checklist, "current abuse is a referral, never a tick box"


def test_the_toolkit_says_which_words_blame_the_child(site):
    rows = tables(page(site, "cse-toolkit"))["Words that blame the child, and what to say instead"]
    avoided = " ".join(row[0] for row in rows[1:])
    for phrase in ("putting themselves at risk", "promiscuous", "consensual"):
        assert phrase in avoided


def test_the_pathway_refers_before_it_assesses_and_intelligence_is_extra(site):
    text = article_text(page(site, "cse-toolkit/pathway"))
    steps = text.split("The same steps, with what each involves", 1)[1]
    assert steps.index("Worried? Refer the same day") < steps.index("Tell the police: ring 101") \
        < steps.index("Record your assessment")
    assert "in addition to a referral, never instead of one" in steps
    assert "safeguarding lead" in steps and "a colleague" not in steps
    assert "not a tool for grading risk" in steps


def test_vulnerability_factors_fill_the_review_gaps(site):
    text = article_text(page(site, "cse-toolkit/signs/vulnerability-factors"))
    for factor in ("Being looked after (in care)", "Going missing before", "A learning disability",
                   "Links to a gang", "Homelessness", "Past sexual abuse"):
        assert factor in text, factor
    assert "16 vulnerability factors." in text
    assert "1 warning sign, 0 of them significant." in article_text(page(site, "cse-toolkit/signs/education-and-work"))


def test_the_carers_guide_is_plain_and_reached_from_their_hub(site):
    html = page(site, "foster-carers/cse-signs")
    text = article_text(html)
    assert "tell your supervising social worker the same day" in text
    assert 'href="tel:03000419191"' in html and 'href="tel:999"' in html
    assert "Owner: Practice Development Officer" in text, "the page belongs to the toolkit section"
    hub = page(site, "foster-carers")
    assert 'href="cse-signs/">Warning signs of sexual exploitation: what to look for</a>' in hub
    from plugins.policies.models import READABILITY_MINIMUM, reading_ease
    guide = load().all(Toolkit)[0].carers
    assert all(reading_ease(section.body) >= READABILITY_MINIMUM for section in guide.sections)


@pytest.fixture
def real_data(tmp_path) -> Path:
    shutil.copytree(ROOT / "data", tmp_path / "data")
    return tmp_path / "data"


def test_a_hard_section_of_the_carers_guide_is_refused_at_its_line(real_data):
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
    path = real_data / "guidance.yml"
    path.write_text(path.read_text(encoding="utf-8").replace("  carer_page: cse-signs\n", ""), encoding="utf-8")
    with pytest.raises(DataError) as error:
        load(real_data)
    assert [p.rule for p in error.value.problems] == [
        "carers: the foster carers' guide needs a page: give the 'cse-toolkit' section a `carer_page` in "
        "data/guidance.yml"]
