"""The seed report's facts, as the site shows them (read from the real data)."""

import pytest

from tests.helpers import article_text, page

INSPECTIONS = [
    ("ofsted-2012-fostering", "31 July 2012", "Adequate"),
    ("ofsted-2013-safeguarding", "15 January 2013", "Adequate"),
    ("ofsted-2013-adoption", "18 June 2013", "Adequate"),
    ("ofsted-2013-children-in-care", "23 August 2013", "Adequate"),
]


@pytest.mark.parametrize("source, published, judgement", INSPECTIONS)
def test_each_inspection_shows_its_publication_date_and_judgement(site, source, published, judgement):
    text = article_text(page(site, f"plan/sources/{source}"))
    assert f"Published {published}" in text
    assert f"Judgement {judgement}" in text


def test_the_timeline_lists_every_inspection_with_its_judgement(site):
    text = article_text(page(site, "inspections"))
    for _, published, judgement in INSPECTIONS:
        assert published in text
    assert "Adequate: 4 inspections; Inadequate: 1 inspection." in text


def test_the_cse_thematic_inspection_has_its_dates_and_national_report(site):
    text = article_text(page(site, "plan/sources/ofsted-2014-cse-thematic"))
    assert "Carried out 13 October 2014 to 17 October 2014" in text
    assert "Published November 2014" in text
    assert "The sexual exploitation of children: it couldn't happen here, could it? (reference 140175)" in text


def test_the_diagnostic_shows_its_date_and_scope(site):
    text = article_text(page(site, "plan/sources/diagnostic-2015"))
    assert "Carried out January 2015" in text
    for item in ["A three-day on-site review of over 32 cases.", "Interviews with senior managers.",
                 "Visits to eight fieldwork teams in two districts."]:
        assert item in text


def test_the_organisation_has_four_areas_and_twelve_districts(site):
    text = article_text(page(site, "organisation"))
    assert "4 areas 12" in text
    for number in ["03000 41 11 11", "03000 41 91 91", "101", "999"]:
        assert number in text


def test_committee_reports_are_on_the_timeline(site):
    text = article_text(page(site, "inspections"))
    assert "December 2014" in text and "21 April 2015" in text


def test_illustrative_records_carry_a_visible_notice_where_they_are_shown(site):
    hours = "Illustrative The opening hours are inferred from the service's name"
    for url in ("", "organisation", "policies/missing-children", "cse-toolkit"):
        assert hours in article_text(page(site, url)), url
    assert "Illustrative The title is descriptive" in article_text(page(site, "inspections"))
    assert "Illustrative That these roles edit the site" in article_text(page(site, ""))
