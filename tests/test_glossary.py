"""Abbreviations explained wherever they appear, from the glossary data."""

import pytest

from plugins.glossary.hooks import explain_abbreviations
from plugins.glossary.models import GlossaryEntry
from tests.helpers import load, page

SEED_ABBREVIATIONS = ["SCS", "EH&PS", "CSE", "KSCB", "KCC", "JSNA", "IRO"]


@pytest.fixture(scope="module")
def kb():
    return load()


def test_terms_in_running_text_get_a_title(kb):
    html = explain_abbreviations("<p>SCS and EH&amp;PS work with IROs on CSE.</p>", kb)
    assert html == ('<p><abbr title="Specialist Children&#39;s Services">SCS</abbr> and '
                    '<abbr title="Early Help and Preventative Services">EH&amp;PS</abbr> work with '
                    '<abbr title="Independent Reviewing Officer">IROs</abbr> on '
                    '<abbr title="Child sexual exploitation">CSE</abbr>.</p>')


def test_links_code_headings_and_existing_abbreviations_are_left_alone(kb):
    html = ('<h2 id="x">CSE</h2><p><a href="#">CSE</a> <code>CSE</code> <abbr title="t">CSE</abbr>'
            '<br/>CSE</p>')
    assert explain_abbreviations(html, kb) == (
        '<h2 id="x">CSE</h2><p><a href="#">CSE</a> <code>CSE</code> <abbr title="t">CSE</abbr>'
        '<br/><abbr title="Child sexual exploitation">CSE</abbr></p>')


def test_terms_inside_longer_words_or_attributes_are_not_matched(kb):
    html = '<p title="CSE">CSET, SCSX and xCSE</p>'
    assert explain_abbreviations(html, kb) == (
        '<p title="CSE"><abbr title="Multi-Agency CSE Team">CSET</abbr>, SCSX and xCSE</p>')


def test_every_abbreviation_in_the_seed_report_is_in_the_glossary(kb):
    terms = {entry.term for entry in kb.all(GlossaryEntry)}
    assert set(SEED_ABBREVIATIONS) <= terms


def test_glossary_page_lists_every_term_and_tooltips_reach_every_page(site):
    glossary = page(site, "glossary")
    for term in ["SCS", "EH&amp;PS", "CSE", "KSCB", "KCC", "JSNA", "IRO"]:
        assert "<dfn><abbr title=" in glossary and f">{term}</abbr></dfn>" in glossary
    assert '<abbr title="Specialist Children&#39;s Services">SCS</abbr>' in page(site, "")
    assert '<abbr title="Child sexual exploitation">CSE</abbr>' in page(site, "plan/sources/ofsted-2014-cse-thematic")


def test_scripts_attributes_and_comments_are_never_touched(kb):
    html = ('<script>var s = "<a>CSE";</script><p data-x="a>b CSE">CSE</p><!-- CSE --><p>SCS</p>'
            '<select><option>CSE</option></select>')
    assert explain_abbreviations(html, kb) == (
        '<script>var s = "<a>CSE";</script><p data-x="a>b CSE"><abbr title="Child sexual exploitation">CSE</abbr>'
        '</p><!-- CSE --><p><abbr title="Specialist Children&#39;s Services">SCS</abbr></p>'
        '<select><option>CSE</option></select>')
