"""Rendering data: always escaped, braces included; links between pages checked; the Markdown subset sanitised."""

import pytest

from plugins.core.pages import LinkError, PageContext
from plugins.core.render import escape_text, paragraphs, safe_markdown

KNOWN = frozenset(["index.md", "about.md", "inspections/index.md", "plan/sources/x.md"])


def test_escaping_covers_html_and_template_syntax():
    assert escape_text("{{ 7*7 }} <b>&") == "&#123;&#123; 7*7 &#125;&#125; &lt;b&gt;&amp;"


def test_blank_lines_make_paragraphs_and_nothing_else_is_interpreted():
    assert paragraphs("One *line*\nwraps.\n\n<i>Two</i>") == "<p>One *line* wraps.</p>\n<p>&lt;i&gt;Two&lt;/i&gt;</p>"


@pytest.mark.parametrize("here, target, expected", [
    ("index.md", "plan/sources/x.md", "plan/sources/x/"),
    ("plan/sources/x.md", "about.md", "../../../about/"),
    ("inspections/index.md", "index.md", "../"),
    ("about.md", "about.md", "./"),
])
def test_links_between_pages_are_relative(here, target, expected):
    assert PageContext(here, KNOWN).url(target) == expected


def test_a_link_to_a_page_the_site_does_not_have_is_an_error():
    with pytest.raises(LinkError, match="'plan/missing.md', which is not a page of this site"):
        PageContext("index.md", KNOWN).url("plan/missing.md")


def test_the_markdown_subset_keeps_emphasis_and_lists():
    assert safe_markdown("A **bold** point:\n\n- one\n- two") == (
        "<p>A <strong>bold</strong> point:</p>\n<ul>\n<li>one</li>\n<li>two</li>\n</ul>")


def test_the_markdown_subset_refuses_scripts_script_links_and_templates():
    html = safe_markdown("<script>x()</script> [click](javascript:x()) {{ 7*7 }} <img src=x onerror=x()>")
    assert "<script" not in html and "<img" not in html and "javascript:" not in html
    assert "&lt;script&gt;" in html and "&#123;&#123; 7*7 &#125;&#125;" in html


def test_the_pieces_pages_show_most_escape_what_they_are_given():
    """Marks, dates and statuses are Python (`helpers`), not template macros: what they show of the data is
    escaped, braces included, as a template's `{{ value }}` is."""
    from datetime import date

    from markupsafe import Markup

    from plugins.core.provenance import Basis
    from plugins.core.render import Helpers as helpers
    from plugins.core.types import PartialDate

    status = helpers.status('on-track"<', {'on-track"<': "{{ 7*7 }} & more"})
    assert isinstance(status, Markup)
    assert status == ('<span class="kb-status kb-status--on-track&#34;&lt;">&#123;&#123; 7*7 &#125;&#125; &amp; more'
                      '</span>')
    assert helpers.status(None, {}) == '<span class="kb-status">Not yet in the plan</span>'
    assert helpers.date(date(2015, 4, 21)) == '<time datetime="2015-04-21">21 April 2015</time>'
    assert helpers.date(PartialDate.parse("2014-12")) == '<time datetime="2014-12">December 2014</time>'
    assert helpers.overdue_flag(True) == ' <span class="kb-status kb-status--overdue">Overdue</span>'
    assert helpers.overdue_flag(False) == "" and helpers.mark([]) == "" and helpers.mark(Basis()) == ""
    assert helpers.mark([Basis(("written for the example",))]) == (
        '<span class="kb-mark" data-kb-mark><span aria-hidden="true">†</span><span class="kb-hidden"> (illustrative)'
        '</span></span>')


def test_the_sources_a_record_cites_are_linked_from_the_page_and_escaped():
    from datetime import date
    from types import SimpleNamespace as Thing

    from plugins.core.render import Helpers as helpers

    class Page:
        def url(self, path: str, anchor: str | None = None) -> str:
            return f"../{path.removesuffix('.md')}/?a=1&b=2"

    context = {"kb": Thing(page_of=lambda record: f"sources/{record.id}.md"), "page": Page()}
    report = Thing(id="r", title="{{ 7*7 }} <review>", publisher="Ofsted & Co", published=date(2015, 4, 21))
    other = Thing(id="o", title="Guidance", publisher="DfE", published=None)
    record = Thing(cites=[Thing(record=report), Thing(record=other)])
    assert helpers.cites(context, record) == (
        '<p class="kb-cites"><span class="kb-cites__label">Sources:</span>\n'
        '<a href="../sources/r/?a=1&amp;b=2">&#123;&#123; 7*7 &#125;&#125; &lt;review&gt;</a> (Ofsted &amp; Co, '
        '21 April 2015);\n'
        '<a href="../sources/o/?a=1&amp;b=2">Guidance</a> (DfE)\n</p>\n')
    assert helpers.cites(context, Thing(cites=[])) == ""


def test_the_illustrative_notices_show_the_note_escaped_and_nothing_without_one():
    from types import SimpleNamespace as Thing

    from plugins.core.render import Helpers as helpers

    written = Thing(illustrative="{{ 7*7 }} & <made up>")
    assert helpers.illustrative_inline(written) == (
        '<span class="kb-illustrative-inline" data-kb-illustrative><span class="kb-badge">Illustrative</span> '
        '&#123;&#123; 7*7 &#125;&#125; &amp; &lt;made up&gt;</span>')
    assert helpers.illustrative(written).endswith(
        'complete: &#123;&#123; 7*7 &#125;&#125; &amp; &lt;made up&gt;</p>\n</div>\n')
    assert helpers.illustrative_inline({"illustrative": "as a mapping"}).endswith(" as a mapping</span>")
    for sourced in (Thing(illustrative=None), Thing(illustrative=""), {"illustrative": None}):
        assert helpers.illustrative(sourced) == "" and helpers.illustrative_inline(sourced) == ""
    with pytest.raises(AttributeError):   # as a template's strict undefined would, never a silent blank
        helpers.illustrative(Thing())
