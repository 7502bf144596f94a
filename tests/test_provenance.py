"""Provenance travels: a figure resting on an illustrative record is marked on every view that shows it.

The tiny data is made fully sourced, built, and checked for no mark anywhere;
then one record of each kind that feeds figures (an action, an indicator, a
course, a programme) is made illustrative, and every page, export, feed and
report view computed from it must carry the mark; making them sourced again
makes the marks go.
"""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

import icalendar
import pytest

from tests.helpers import article_text, build_project, make_project, page, run_kb

MARK = "data-kb-mark"

ILLUSTRATIVE = {
    "actions.yml": ("- id: act-training\n", "- id: act-training\n  illustrative: The due date is assumed.\n"),
    "indicators.yml": ("  cites: [report-a]", "  cites: [report-a]\n  illustrative: Invented for the tests."),
    "courses.yml": ("- id: multi-agency\n", "- id: multi-agency\n  illustrative: The sessions are assumed.\n"),
    "programmes.yml": ("    - {date: 2017, title: Implementation complete, state: planned}",
                       "    - {date: 2017, title: Implementation complete, state: planned, illustrative: Assumed year.}"),
}

# The views that show something computed from each of those records.
PAGES_OF = {
    "action": ["plan", "plan/actions", "plan/actions/act-training", "plan/changes", "plan/sources/thematic"],
    "indicator": ["plan/indicators", "plan/changes", "plan/actions/act-training"],
    "course": ["training", "training/sessions", "training/matrix", "training/roles/social-worker"],
    "programme": ["programmes"],
}


def sourced_throughout(data: Path) -> None:
    indicators = data / "indicators.yml"
    indicators.write_text(indicators.read_text().replace("  illustrative: Invented for the tests.",
                                                         "  cites: [report-a]"))


def make_illustrative(data: Path) -> None:
    for name, (old, new) in ILLUSTRATIVE.items():
        path = data / name
        text = path.read_text()
        assert old in text, (name, old)
        path.write_text(text.replace(old, new, 1))


def views(project: Path, site: Path) -> dict:
    report_html = project / "report.html"
    report = run_kb("report", "--from", "2014-12-01", "--to", "2015-04-21", "--html", str(report_html), cwd=project)
    assert report.returncode == 0, report.stderr
    return {
        "pages": {url: page(site, url) for urls in PAGES_OF.values() for url in urls},
        "all_html": {p: p.read_text(encoding="utf-8") for p in site.rglob("*.html")},
        "plan.json": json.loads((site / "data" / "plan.json").read_text(encoding="utf-8")),
        "actions.csv": list(csv.DictReader(io.StringIO((site / "data" / "actions.csv").read_bytes().decode("utf-8-sig")))),
        "ics": icalendar.Calendar.from_ical((site / "data" / "training.ics").read_bytes()),
        "report.md": report.stdout,
        "report.html": report_html.read_text(encoding="utf-8"),
    }


@pytest.fixture(scope="module")
def builds(tmp_path_factory):
    sourced_project = make_project(tmp_path_factory.mktemp("sourced") / "project")
    sourced_throughout(sourced_project / "data")
    sourced = views(sourced_project, build_project(sourced_project))
    marked_project = make_project(tmp_path_factory.mktemp("marked") / "project")
    sourced_throughout(marked_project / "data")
    make_illustrative(marked_project / "data")
    marked = views(marked_project, build_project(marked_project))
    return sourced, marked


def test_sourced_data_carries_no_mark_anywhere(builds):
    sourced, _ = builds
    assert [p.name for p, html in sourced["all_html"].items() if MARK in html] == []
    assert sourced["plan.json"]["provenance"]["illustrative"] is False
    assert all(not a["illustrative"] for a in sourced["plan.json"]["actions"])
    assert all(not i["illustrative"] for i in sourced["plan.json"]["indicators"])
    assert {row["illustrative"] for row in sourced["actions.csv"]} == {"no"}
    assert not any("Illustrative" in str(e.get("summary")) for e in sourced["ics"].walk("VEVENT"))
    assert "†" not in sourced["report.md"] and "†" not in sourced["report.html"]


@pytest.mark.parametrize("kind", sorted(PAGES_OF))
def test_every_page_computed_from_an_illustrative_record_carries_the_mark_and_legend(builds, kind):
    _, marked = builds
    for url in PAGES_OF[kind]:
        html = marked["pages"][url]
        assert MARK in html, url
        assert "Figures marked" in article_text(html), url        # the legend, in words


def test_every_page_of_the_real_site_with_a_mark_explains_it(site):
    """No † without the legend that says what it means, whichever plugin put the mark there."""
    marked = [p for p in site.rglob("*.html") if MARK in (html := p.read_text(encoding="utf-8"))
              and "kb-provenance-legend" not in html]
    assert marked == []


def test_overview_counts_and_chart_bars_are_marked(builds):
    _, marked = builds
    html = marked["pages"]["plan"]
    counts = re.findall(r'<td>(\d+)<span class="kb-mark"', html)
    assert counts, "every count in the overview's tables rests on the illustrative action"
    assert "Values marked † are illustrative" in html                # the chart's description
    assert re.search(r'class="kb-chart__value">\d+ †</text>', html)  # each bar's value carries the mark


def test_exports_feed_and_report_carry_the_mark(builds):
    _, marked = builds
    document = marked["plan.json"]
    assert document["provenance"]["illustrative"] is True
    assert "The due date is assumed." in document["provenance"]["what_is_assumed"]
    training = next(a for a in document["actions"] if a["id"] == "act-training")
    assert training["illustrative"] is True and "due date is assumed" in training["what_is_assumed"]
    assert next(i for i in document["indicators"] if i["id"] == "trained")["illustrative"] is True
    assert next(r for r in marked["actions.csv"] if r["id"] == "act-training")["illustrative"] == "yes"
    events = list(marked["ics"].walk("VEVENT"))
    assert events and all(str(e["summary"]).startswith("Illustrative: ") for e in events
                          if "multi-agency" in str(e["uid"]))
    assert all("Illustrative" in str(e["description"]) for e in events if "multi-agency" in str(e["uid"]))
    assert "Figures marked † are illustrative" in marked["report.md"]
    assert re.search(r"Training for front-line staff: .*†", marked["report.md"])
    assert "| Staff trained | 90% † |" in marked["report.md"]
    assert "†" in marked["report.html"]


def test_unknown_is_not_zero(tmp_path):
    """A source whose recommendations are in the plan but not recorded, and a report not seen, are not zeros."""
    project = make_project(tmp_path / "project")
    data = project / "data"
    (data / "plan.yml").write_text((data / "plan.yml").read_text().replace(
        "  document_seen: true\n", "  document_seen: false\n  illustrative: The actions are reconstructed.\n"))
    (data / "reports.yml").write_text((data / "reports.yml").read_text().replace(
        "  date: 2014-12\n", "  date: 2014-12\n  content_seen: false\n"))
    with (data / "sources.yml").open("a") as sources:   # in the plan, but which recommendations is not recorded
        sources.write("\n- id: adoption\n  title: Adoption inspection\n  short_title: Adoption\n"
                      "  kind: ofsted-inspection\n  published: 2013-06-18\n  summary: Adoption.\n  cites: [report-a]\n")
    site = build_project(project)
    overview = article_text(page(site, "plan"))
    assert "Adoption not recorded: Appendix 1 was not seen" in overview
    assert "The actions are reconstructed." in overview
    adoption = article_text(page(site, "plan/sources/adoption"))
    assert "Which of its recommendations are in the plan is not recorded" in adoption
    changes = article_text(page(site, "plan/changes"))
    assert "Added to the plan not recorded: the December 2014 report was not seen" in changes
    assert "Added to the plan 1" not in changes
    assert "status at December 2014 not recorded" in changes
    document = json.loads((site / "data" / "plan.json").read_text())
    assert document["by_source"]["adoption"] is None and document["by_source"]["fostering"] == 1
    assert document["by_source_not_recorded"] == {"adoption": "not recorded: Appendix 1 was not seen"}


def test_one_baseline_for_direction_of_travel_everywhere(site):
    scorecard = {row[0]: row[4] for row in _rows(page(site, "plan/indicators"), "Performance indicators as at")}
    changes = {row[0]: row[3] for row in _rows(page(site, "plan/changes"), "Indicator values known at each report")}
    assert changes and all(scorecard[name] == direction for name, direction in changes.items())


def _rows(html: str, caption_start: str) -> list[list[str]]:
    from tests.helpers import tables

    [table] = [rows for caption, rows in tables(html).items() if caption.startswith(caption_start)]
    return [[cell.replace("† (illustrative)", "").strip() for cell in row] for row in table[1:]]


# --- the real site against the seed report (practice review, section 1b) ------------------------------


def test_the_plan_says_where_it_comes_from(site):
    text = article_text(page(site, "plan"))
    assert "Appendix 1 to the 21 April 2015 report) is not in the sources" in text
    assert "Children's Services Improvement Plan" in text
    assert "Corporate Parenting Panel" in text and "Children's Services Improvement Panel" in text
    assert "Philip Segurola, Director of SCS, and Florence Kroll, Director of EH&PS" in text
    assert "The majority of the targets and performance indicators as agreed by Cabinet are being met." in text
    assert "Members are asked to note this report." in text


def test_figures_match_the_seed_where_the_seed_states_them(site):
    jsna = article_text(page(site, "jsna"))
    assert "over 1,000" in jsna and "over 130" in jsna
    assert "Figures in the chapter" not in jsna
    tr01 = article_text(page(site, "plan/actions/tr-01-sandbox-and-weald"))
    assert "Lead service SCS" in tr01 and "Lead service Newton Europe" not in tr01
    assert "Newton Europe" not in article_text(page(site, "plan")).split("By lead service")[1]
    programmes = article_text(page(site, "programmes"))
    assert programmes.count("Partner: Newton Europe") == 1     # the transformation's, not Signs of Safety's
    workshop = article_text(page(site, "training")).split("workshop for foster carers with Kent Police")[1][:600]
    assert "Run jointly by Kent County Council and Kent Police" in workshop
    assert "since the January 2015 diagnostic" not in article_text(page(site, "training"))
    assert "attended training" not in article_text(page(site, "organisation"))
    self_identified = article_text(page(site, "plan/sources/self-identified-2015"))
    assert "not dated in any source" in self_identified and "Published" not in self_identified
    for owner_check in ("cse-06-education-officers-training", "cse-07-supported-lodgings", "cse-10-jsna-chapter"):
        assert "Owner Senior manager" not in article_text(page(site, f"plan/actions/{owner_check}"))


def test_no_source_page_contradicts_itself(site):
    for source in ("ofsted-2012-fostering", "ofsted-2013-safeguarding", "ofsted-2013-adoption",
                   "ofsted-2013-children-in-care"):
        text = article_text(page(site, f"plan/sources/{source}"))
        assert "its outstanding recommendations are in the plan" in text
        assert "No recommendations from this source are recorded" not in text
        assert "not recorded" in text
    assert "It came before the plan" not in article_text(page(site, "plan/sources/ofsted-2010-safeguarding-looked-after"))


def test_about_and_home_count_honestly(site):
    from plugins.core.provenance import Basis
    from plugins.core.records import Sourced
    from tests.helpers import load

    kb = load()
    records = list(kb.having(Sourced))
    marked = [r for r in records if Basis.of(r).illustrative]
    about = article_text(page(site, "about"))
    assert f"{len(marked)} of the {len(records)} records that state facts have details no source gives" in about
    assert "A few records" not in about
    home = article_text(page(site, ""))
    assert f"{len(marked)} of the {len(records)} records that state facts also have details no source gives" in home
    assert "Everything here is kept as checked data with its source" not in home


def test_editors_words_are_kept_for_editors(site):
    html = page(site, "foster-carers/missing")
    assert '<details class="kb-page-source"' in html and "For editors: where this page comes from" in html
    about = article_text(page(site, "about"))
    assert "November 2026" not in about
