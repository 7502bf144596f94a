"""Abbreviations explained wherever they appear, from the glossary data."""

import re

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


# --- terms, and the first use on a page as a link ------------------------------------------------

TERMS_CARERS_AND_COUNCILLORS_MEET = [
    "placement plan", "looked after", "safe and well check", "return interview", "supervising social worker",
    "strategy discussion", "section 47", "SERAF", "Sandbox", "direction of travel", "Closed (merged)",
    "personal adviser", "away from placement without authorisation"]


def glossary_link(entry: GlossaryEntry) -> str:
    return f"../glossary/#term-{entry.id}"


def test_terms_as_well_as_abbreviations_are_in_the_glossary_each_sourced_or_illustrative(kb):
    entries = {entry.term: entry for entry in kb.all(GlossaryEntry)}
    for term in TERMS_CARERS_AND_COUNCILLORS_MEET:
        assert term in entries, term
        assert entries[term].cites or entries[term].illustrative, term
    assert entries["placement plan"].kind == "term" and entries["SERAF"].kind == "abbreviation"


def test_the_first_use_on_a_page_is_a_link_with_the_explanation_and_later_uses_are_abbr(kb):
    html = explain_abbreviations("<p>CSE is abuse. Refer CSE the same day. A CSE worry.</p>", kb, glossary_link)
    assert html == (
        '<p><a class="kb-term" href="../glossary/#term-cse" aria-label="CSE: Child sexual exploitation">'
        '<abbr title="Child sexual exploitation">CSE</abbr></a> is abuse. Refer '
        '<abbr title="Child sexual exploitation">CSE</abbr> the same day. A '
        '<abbr title="Child sexual exploitation">CSE</abbr> worry.</p>')


def test_terms_match_a_capital_at_the_start_of_a_sentence_plurals_and_wrapped_lines(kb):
    html = explain_abbreviations("<p>Placement plans differ. Read the placement\n  plan.</p>", kb, glossary_link)
    assert html.count('<a class="kb-term" href="../glossary/#term-placement-plan"') == 1
    assert '><abbr title="The plan for the child&#39;s day-to-day care in this home">Placement plans</abbr></a>' in html
    assert '<abbr title="The plan for the child&#39;s day-to-day care in this home">placement\n  plan</abbr>.' in html


def test_no_link_is_made_inside_headings_links_code_labels_or_legends(kb):
    html = ('<h2>Return interview</h2><p><a href="#">return interview</a> <code>return interview</code></p>'
            '<fieldset><legend>Return interview</legend><label>return interview</label></fieldset>'
            '<p>The return interview.</p>')
    out = explain_abbreviations(html, kb, glossary_link)
    assert out.startswith('<h2>Return interview</h2><p><a href="#">return interview</a> <code>return interview</code>')
    assert '<legend><abbr title=' in out and '<label><abbr title=' in out, "explained, but never a link there"
    assert out.count('class="kb-term"') == 1
    assert out.endswith('<p>The <a class="kb-term" href="../glossary/#term-return-interview" aria-label="return '
                        'interview: An independent talk with the child after they have been missing"><abbr title="An '
                        'independent talk with the child after they have been missing">return interview</abbr></a>.</p>')


def test_a_term_needs_its_meaning_and_an_abbreviation_what_it_stands_for():
    from pydantic import ValidationError

    with pytest.raises(ValidationError, match="a term needs `meaning`"):
        GlossaryEntry.model_validate({"id": "x", "term": "care plan", "kind": "term", "definition": "d", "cites": ["r"]})
    with pytest.raises(ValidationError, match="an abbreviation needs `stands_for`"):
        GlossaryEntry.model_validate({"id": "x", "term": "CP", "definition": "d", "cites": ["r"]})


def test_each_page_links_each_term_once_and_never_from_the_glossary_itself(site):
    import re

    html = page(site, "foster-carers/missing")
    links = re.findall(r'<a class="kb-term" href="([^"]+)"', html)
    assert "../../glossary/#term-placement-plan" in links and "../../glossary/#term-return-interview" in links
    assert len(links) == len(set(links)), "one link per term per page"
    assert html.count('<abbr title="An independent talk with the child after they have been missing">') > 1
    assert 'class="kb-term"' not in page(site, "glossary")
    assert '<dfn>placement plan</dfn>: The plan for the child&#39;s day-to-day care in this home' in page(site, "glossary")


AWKWARD = ["<p>CSE<!-- a > CSE --> CSE</p>", '<p title="a>CSE">CSE</p><b class=\'x>\'>CSE</b>',
           "<P>cse CSE</P><CODE>CSE</CODE> CSE", "<label>CSE <a href='x'>CSE</a> CSE</label> CSE",
           "<summary><abbr>CSE</abbr> CSE</summary>", "CSE</a> CSE <a>", "<svg><text>CSE</text></svg>CSE",
           "<p>child in\n need, Child  in need<br/>children in need</p>", "a < CSE > b", "<!DOCTYPE x>CSE<?p CSE?>",
           "<p>EH&amp;PS<code/>CSE</p><dfn>IRO</dfn> IROs", "<caption>CSE</caption><h3>CSE</h3>CSE",
           "<h2>CSE</h2>", "<p>no term at all</p>", "<LABEL>CSE</LABEL><Abbr>CSE</aBBR>CSE<A href='x'>CSE",
           "CSE<a>CSE</a>CSE<code>CSE"]


@pytest.mark.parametrize("link", [None, lambda entry: f"../glossary/#{entry.id}"])
def test_reading_the_tokens_at_once_explains_as_reading_them_one_by_one(site, kb, link):
    """HTML without <script> or <style> is split into all its tokens at once (the fast way); what may hold
    one is read a token at a time. The two give the same page for every built page, with its terms and with
    the glossary's own explanations taken out again, and for awkward HTML."""
    compared = 0
    articles = [article for path in sorted(site.rglob("*.html")) for article in
                re.findall(r"<article.*?</article>", path.read_text(encoding="utf-8"), re.S)]
    plain = [re.sub(r'<a class="kb-term"[^>]*><abbr[^>]*>(.*?)</abbr></a>|<abbr title="[^"]*">(.*?)</abbr>',
                    lambda m: m.group(1) or m.group(2) or "", article) for article in articles]
    for html in articles + plain + AWKWARD:
        assert not re.search("<(script|style)", html, re.I)   # else both would be read token by token
        fast = explain_abbreviations(html, kb, link)
        assert fast == explain_abbreviations(html, kb, link, token_by_token=True), html[:300]
        compared += fast != html
    assert compared > len(articles) / 2   # most pages had terms to explain
