"""Policies, review governance and audience hubs."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from plugins.policies import hooks as policies
from plugins.reviews import hooks as reviews
from plugins.core.problems import DataError
from plugins.policies.models import LONGEST_SENTENCE, Policy, reading_ease, sentences
from tests.helpers import article_text, build_project, edit, load, make_project, page, run_kb




# --- review dates ------------------------------------------------------------


@pytest.mark.parametrize("as_at, state", [
    ("2016-01-01", "current"),
    ("2016-02-01", "due-soon"),     # 29 days before 1 March 2016
    ("2016-03-01", "due-soon"),     # due today is not yet overdue
    ("2016-03-02", "overdue"),
])
def test_review_state_as_at_a_date(data, as_at, state):
    kb = load(data)
    current = kb.get(Policy, "missing-2015")
    assert reviews.review_state(current, date.fromisoformat(as_at)) == state


def test_only_published_versions_are_reviewed(data):
    items = [i for i in reviews.review_items(load(data), date(2016, 6, 1)) if i.record.id.startswith("missing")]
    assert [(i.record.id, i.state, i.pages) for i in items] == [
        ("missing-2015", "overdue", ("policies/missing.md", "foster-carers/missing.md"))]


# --- current, draft and superseded --------------------------------------------


def test_draft_and_superseded_versions_are_never_current(data):
    kb = load(data)
    assert [p.id for p in policies.current_policies(kb)] == ["missing-2015"]
    assert [p.id for p in policies.versions(kb, "missing")] == ["missing-draft", "missing-2015", "missing-2014"]


def test_two_approved_versions_of_one_policy_are_refused(data):
    edit(data / "policies.yml", "  status: superseded", "  status: approved")
    with pytest.raises(DataError) as error:
        load(data)
    assert any("'missing-2015' is already the approved version of 'missing'" in str(p) for p in error.value.problems)


def test_each_foster_carer_step_must_be_plain_english_and_the_failing_step_is_named_at_its_line(data):
    edit(data / "policies.yml", "carer_summary: What to do if a child goes missing.",
         "carer_summary: Notwithstanding organisational considerations, practitioners' institutional responsibilities "
         "necessitate comprehensive documentation, multidisciplinary communication and immediate notification.")
    edit(data / "policies.yml", "do: Ring the police.", "do: Telephonically communicate circumstances immediately "
         "to constabulary representatives, documenting everything comprehensively.")
    with pytest.raises(DataError) as error:
        load(data)
    summary, step = error.value.problems
    assert (summary.file, summary.line, step.file, step.line) == ("data/policies.yml", 14, "data/policies.yml", 18)
    assert summary.rule.startswith("the foster-carer summary reads at Flesch reading ease ")
    assert step.rule.startswith("the foster-carer step 'Straight away' reads at Flesch reading ease ")
    assert "it must be 60 or more" in step.rule
    assert str(step).startswith("data/policies.yml:18: policy missing-2015: the foster-carer step 'Straight away'")


def test_reading_ease_is_kept_between_runs_and_an_edited_step_is_scored_again(data, tmp_path, monkeypatch):
    from plugins.policies import models

    load(data, cache_dir=tmp_path / "cache")
    assert list((tmp_path / "cache").glob("plain-english-*.json"))
    monkeypatch.setattr(models, "reading_ease", lambda text: pytest.fail("scored again: " + text[:40]))
    kept = policies.carer_readability(load(data, cache_dir=tmp_path / "cache"))["missing-2015"]
    assert kept.overall >= policies.READABILITY_MINIMUM and kept.problems == []
    monkeypatch.undo()
    edit(data / "policies.yml", "do: Ring the police.", "do: Telephonically communicate circumstances immediately "
         "to constabulary representatives, documenting everything comprehensively.")
    with pytest.raises(DataError) as error:
        load(data, cache_dir=tmp_path / "cache")
    [step] = error.value.problems
    assert step.line == 18 and "reads at Flesch reading ease" in step.rule


def test_a_plain_page_cannot_hide_one_long_sentence_in_a_step(data):
    """Easy words throughout, but one sentence of 30 words: the page average would pass; the step does not."""
    long = " ".join(["Ring the police and tell them all you know"] * 3) + " now and then wait."
    edit(data / "policies.yml", "do: Ring the police.", f"do: {long}")
    with pytest.raises(DataError) as error:
        load(data)
    [problem] = error.value.problems
    assert problem.line == 18
    assert "the foster-carer step 'Straight away' has a sentence of 31 words (at most 25)" in problem.rule


def test_staff_steps_are_not_held_to_the_carers_reading_ease(data):
    edit(data / "policies.yml", "do: Review the risk assessment.",
         "do: Reconsider the multidisciplinary safeguarding documentation comprehensively.")
    assert load(data).get(Policy, "missing-2015").steps[1].do.startswith("Reconsider")


def test_a_step_without_a_source_is_refused(data):
    edit(data / "policies.yml", "      audiences: [staff]\n      cites: [report-a]\n", "      audiences: [staff]\n")
    with pytest.raises(DataError) as error:
        load(data)
    [problem] = error.value.problems
    assert (problem.line, problem.rule) == (
        22, "steps[1]: states a rule without a source: add `cites:` or mark it `illustrative:`")


def test_shipped_foster_carer_versions_read_as_plain_english_step_by_step():
    kb = load()
    texts = [text for p in policies.current_policies(kb) if p.carer_page for _, _, text in policies.carer_texts(p)]
    assert len(texts) > 20
    assert all(reading_ease(text) >= policies.READABILITY_MINIMUM for text in texts)
    assert all(len(sentence.split()) <= LONGEST_SENTENCE for text in texts for sentence in sentences(text))


# --- pages ---------------------------------------------------------------------


@pytest.fixture
def project(tmp_path) -> Path:
    return make_project(tmp_path / "project")


def test_both_versions_come_from_one_record(project, tiny_site):
    before = tiny_site
    edit(project / "data" / "policies.yml", "do: Ring the police.", "do: Ring the police at once.")
    after = build_project(project, site_dir=project / "after")
    for url in ("foster-carers/missing", "policies/missing"):
        assert "Ring the police." in article_text(page(before, url))
        assert "Ring the police at once." in article_text(page(after, url))
    carer, staff = article_text(page(after, "foster-carers/missing")), article_text(page(after, "policies/missing"))
    assert "Review the risk assessment." in staff and "Review the risk assessment." not in carer


def test_phone_numbers_are_tel_links_on_the_carer_page(tiny_site):
    html = page(tiny_site, "foster-carers/missing")
    assert '<a class="kb-tel" href="tel:999">Emergency services: 999</a>' in html


def test_superseded_and_draft_versions_are_not_published_as_current(tiny_site):
    site = tiny_site
    staff = article_text(page(site, "policies/missing"))
    assert "Version 2 (current version, approved 1 March 2015)" in staff
    assert "Superseded (not current)" in staff and "Draft (not current)" in staff
    library = article_text(page(site, "policies"))
    assert "Missing children (2014)" not in library and "Missing children (draft)" not in library
    assert "Missing children (draft), version 3" in article_text(page(site, "editors/reviews"))


def test_a_page_past_its_review_date_says_so_everywhere(project, tiny_site):
    fresh = tiny_site
    assert "Past its review date" not in page(fresh, "foster-carers/missing")
    edit(project / "data" / "policies.yml", "review_due: 2016-03-01", "review_due: 2015-04-01")
    stale = build_project(project, site_dir=project / "stale")    # the site is as at 21 April 2015
    for url in ("foster-carers/missing", "policies/missing"):
        text = article_text(page(stale, url))
        assert "Past its review date This page was due for review on 1 April 2015. It may not be accurate" in text
    dashboard = article_text(page(stale, "editors/reviews"))
    assert "Social worker Missing children 1 April 2015 Overdue data/policies.yml:1" in dashboard
    assert "Review overdue" in article_text(page(stale, "policies"))


def test_every_owned_page_shows_owner_and_review_dates(tiny_site):
    text = article_text(page(tiny_site, "policies/missing"))
    assert "Owner: Social worker. Last reviewed: 1 March 2015. Next review: 1 March 2016." in text


def test_hubs_list_what_is_tagged_for_their_audience(project):
    edit(project / "data" / "policies.yml", "- id: missing-2014", """- id: bullying-2015
  policy: bullying
  title: Bullying
  version: "1"
  status: approved
  owner: social-worker
  approved: 2015-03-01
  last_reviewed: 2015-03-01
  review_due: 2016-03-01
  audiences: [foster-carers]
  classification: unrestricted
  summary: What to do about bullying.
  amendments:
    - {version: "1", date: 2015-03-01, change: First version.}
  cites: [report-a]

- id: missing-2014""")
    site = build_project(project)
    carers = page(site, "foster-carers")
    assert 'href="../policies/bullying/">Bullying</a>' in carers
    assert 'href="missing/">Missing children</a>' in carers          # the version written for carers
    assert "Bullying" not in article_text(page(site, "staff"))


# --- kb reviews --------------------------------------------------------------


def test_kb_reviews_lists_overdue_pages_by_owner(data):
    edit(data / "policies.yml", "review_due: 2016-03-01", "review_due: 2015-04-10")
    text = run_kb("reviews", "--data", str(data), cwd=data.parent)
    assert text.returncode == 0, text.stderr
    assert "Reviews as at 2015-04-21: 1 overdue or due within 30 days" in text.stdout
    assert "Social worker\n  OVERDUE   2015-04-10  Missing children" in text.stdout
    result = run_kb("reviews", "--json", "--within", "400", "--as-at", "2015-04-01", "--data", str(data),
                    cwd=data.parent)
    document = json.loads(result.stdout)
    assert document["as_at"] == "2015-04-01"
    assert [(r["title"], r["state"], r["pages"]) for r in document["reviews"]] == [
        ("Missing children", "due-soon", ["/policies/missing/", "/foster-carers/missing/"]),
        ("CSE toolkit", "due-soon", ["/cse-toolkit/"]),
        ("Training guidance", "due-soon", ["/training/"])]


def test_the_build_log_names_reviews_due_within_30_days(project):
    from tests.helpers import run_mkdocs_build

    result = run_mkdocs_build(project, env={"KB_AS_AT": "2016-02-15"})
    assert result.returncode == 0, result.stderr
    assert "kb: review due within 30 days: Missing children (owner: Social worker) on 2016-03-01" in result.stderr


# --- the missing-children guidance as shipped: what a carer and a social worker need at 2am ----------


def carer_card(html: str) -> str:
    """The HTML of the printable card on the foster-carer page."""
    return html.split('<section class="kb-card"', 1)[1].split("</section>", 1)[0]


def test_the_carer_page_starts_with_the_one_rule_and_the_childs_own_plan(site):
    text = article_text(page(site, "foster-carers/missing"))
    assert "If you do not know where the child is, or you are worried about them, report it to the police." in text
    assert "Only the police decide how serious a report is." in text
    steps = [li for li in text.split("What to do now", 1)[1].split("Have ready for the police")[0].split("Source")]
    assert "ring 999 now" in steps[0]
    assert "placement plan" in steps[1], "after 999, the first thing is the child's own plan"


def test_the_carer_card_has_the_lists_numbers_and_the_police_reference_box(site):
    html = page(site, "foster-carers/missing")
    card = article_text(carer_card(html).join(["<article>", "</article>"]))
    for item in ["Have ready for the police", "A recent photo of the child", "apps and social media",
                 "names and addresses of their friends", "numbers of any cars", "Any medicine they need",
                 "sexually exploiting them", "When they went missing before",
                 "Do not", "Do not lock the child in", "Do not wait because they always come back",
                 "do not wash their clothes or bedding",
                 "The child's social worker: write the number here", "Your supervising social worker: write the number here",
                 "Police reference number", "Date and time you rang the police"]:
        assert item in card, item
    assert 'class="kb-police-ref"' in carer_card(html)
    assert "Give the child these numbers." in card
    helplines = card.split("Numbers to give the child", 1)[1].split("Police reference number")[0]
    assert "Statutory guidance on children who run away or go missing from home or care" in helplines
    for tel in ('href="tel:116000"', 'href="tel:08001111"', 'href="tel:03000419191"', 'href="tel:101"', 'href="tel:999"'):
        assert tel in carer_card(html), tel


def test_carers_are_not_sent_to_the_front_door_for_a_child_already_in_care(site):
    assert "tel:03000411111" not in page(site, "foster-carers/missing")
    assert "tel:03000411111" in page(site, "policies/missing-children")


def test_the_carer_page_says_what_to_do_on_return_and_who_does_the_return_interview(site):
    text = article_text(page(site, "foster-carers/missing"))
    for item in ["When the child comes back", "Check for injuries", "emergency contraception",
                 "Note who brought them back, and in what car", "Note any new phone, money or clothes",
                 "The police do a safe and well check. It is not the return interview.",
                 "The risk does not end when they come back",
                 "The child's social worker arranges it", "Do not do the interview yourself",
                 "If the child rings you, or you know where they are", "Offer to pick them up",
                 "Keep your phone on", "someone is at home",
                 "You must not lock them in"]:
        assert item in text, item
    assert "Never decide for yourself that a child is absent" in text


def test_supported_lodgings_providers_get_their_own_short_route(site):
    text = article_text(page(site, "foster-carers/missing"))
    route = text.split("Supported lodgings: a young person aged 18 or over", 1)[1].split("What the words mean")[0]
    assert "personal adviser" in route and "as they would for any adult" in route
    assert "parents" not in route
    assert "Kent's own route for supported lodgings providers in 2015 is not in the sources" in route


def test_the_staff_procedure_meets_the_statutory_thresholds(site):
    text = article_text(page(site, "policies/missing-children"))
    for item in ["A strategy discussion must be held", "Independent Reviewing Officer", "host authority",
                 "placing (responsible) authority", "Kent's 2015 escalation times are not in the sources",
                 "When a child goes missing again", "may have been trafficked", "unaccompanied asylum-seeking child",
                 "away from placement without authorisation (whereabouts known)", "SSDA903",
                 "Who gave return interviews for Kent in 2015 is not in the sources"]:
        assert item in text, item
    assert "consider a strategy discussion" not in text.lower()


def test_police_risk_levels_are_given_in_full_with_absent_on_the_scale(site):
    text = article_text(page(site, "policies/missing-children"))
    levels = text.split("Police risk levels", 1)[1]
    assert "or that the public is in danger" in levels and "substantial grounds" in levels
    assert "No apparent risk (absent)" in levels
    assert "Only the police grade a report" in levels


def test_the_amendment_log_says_what_this_page_is(site):
    text = article_text(page(site, "policies/missing-children"))
    assert "It is not Kent's own policy" in text
    assert "Version 1.0 (current version, approved 1 April 2015)" in text


def step_items(html: str) -> list[str]:
    """The HTML of each step on a page."""
    return [part.split("</li>", 1)[0] for part in html.split('<li class="kb-step"')[1:]]


@pytest.mark.parametrize("url", ["foster-carers/missing", "policies/missing-children", "cse-toolkit/pathway"])
def test_every_step_shows_the_document_it_comes_from(site, url):
    steps = step_items(page(site, url))
    assert len(steps) >= 6
    for step in steps:
        assert '<p class="kb-cite">Source' in step or "kb-illustrative-inline" in step, step


def test_a_steps_sources_come_from_the_data(project, tiny_site):
    assert "Source: <a" in step_items(page(tiny_site, "foster-carers/missing"))[0]
    edit(project / "data" / "policies.yml", "      contacts: [emergency]\n      audiences: [foster-carers, staff]\n"
         "      cites: [report-a]", "      contacts: [emergency]\n      audiences: [foster-carers, staff]\n"
         "      cites: [report-a, national-report]")
    step = step_items(page(build_project(project, site_dir=project / "cited"), "foster-carers/missing"))[0]
    assert step.count("<a href=") == 2 and "Sources:" in step


# --- permanent pages per version ----------------------------------------------------


def test_each_published_version_has_a_permanent_page_compared_with_the_one_before(tiny_site):
    current = article_text(page(tiny_site, "policies/missing/2"))
    assert "Version 2: the current version" in current
    assert "Compared with version 1" in current
    assert "Summary (changed)" in current
    html = page(tiny_site, "policies/missing/2")
    assert "<del>old</del> <ins>current</ins>" in html      # word by word: 'The old procedure.' -> 'The current ...'
    old = article_text(page(tiny_site, "policies/missing/1"))
    assert "Version 1: not current" in old and "Version 2 replaced it" in old
    assert "This is the first version recorded" in old
    assert not (tiny_site / "policies" / "missing" / "3").exists()           # drafts have no permanent page
    staff = page(tiny_site, "policies/missing")
    assert 'href="1/"' in staff and 'href="2/"' in staff


def test_version_pages_stay_out_of_search_so_the_current_policy_comes_first(tiny_site):
    index = (tiny_site / "search" / "search_index.json").read_text()
    assert "policies/missing/" in index
    assert "policies/missing/1/" not in index and "policies/missing/2/" not in index


def test_a_version_comparison_escapes_what_it_compares():
    from plugins.policies.compare import _words

    assert str(_words("a <b> c", "a <i> c")) == "a <del>&lt;b&gt;</del> <ins>&lt;i&gt;</ins> c"
