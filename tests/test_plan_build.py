"""The tracker as built: numbers on the pages, exports that agree with them, and pages that follow the data."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from tests.helpers import article_text, build_project, make_project, page, tables

STATUS_TABLE = "Actions by status as at 21 April 2015"


def status_counts(site: Path) -> dict[str, int]:
    rows = tables(page(site, "plan"))[STATUS_TABLE]
    return {row[0]: int(row[1]) for row in rows[1:]}


@pytest.fixture
def project(tmp_path) -> Path:
    return make_project(tmp_path / "project")


def test_overview_totals_add_up_and_name_the_as_at_date(tiny_site):
    site = tiny_site
    counts = status_counts(site)
    assert counts.pop("Total") == 3 == sum(counts.values())
    assert counts == {"Not started": 0, "On track": 1, "At risk": 1, "Off track": 0, "Complete": 1,
                      "Closed (merged)": 0}
    text = article_text(page(site, "plan"))
    assert "Figures as at 21 April 2015: 3 actions in the plan, 1 overdue, 1 due in the next 90 days." in text
    overdue = tables(page(site, "plan"))["Actions past their due date and not complete"]
    assert [row[0] for row in overdue[1:]] == ["Training for front-line staff"]


def test_action_page_shows_owner_dates_history_and_links_both_ways(tiny_site):
    site = tiny_site
    text = article_text(page(site, "plan/actions/act-training"))
    assert "Status At risk Overdue (50% complete), as at 21 April 2015" in text
    assert "Owner Social worker" in text and "Due 31 March 2015" in text
    assert text.index("21 April 2015: At risk") < text.index("1 December 2014: On track")
    assert "Raise awareness of CSE warning signs." in text
    assert 'href="../../sources/thematic/"' in page(site, "plan/actions/act-training")
    assert 'href="../../actions/act-training/"' in page(site, "plan/sources/thematic")
    assert "Actions expected to move it: Training for front-line staff" in article_text(page(site, "plan/indicators"))


def test_charts_are_images_with_a_text_alternative_and_a_table(tiny_site):
    html = page(tiny_site, "plan")
    assert '<svg class="kb-chart" role="img" aria-labelledby="chart-status-title chart-status-desc"' in html
    assert '<desc id="chart-status-desc">Not started: 0; On track: 1; At risk: 1; Off track: 0; Complete: 1; ' \
           'Closed (merged): 0.</desc>' in html


def test_scorecard_shows_direction_and_target(tiny_site):
    rows = tables(page(tiny_site, "plan/indicators"))["Performance indicators as at 21 April 2015"]
    assert rows[1] == ["Staff trained", "90%† (illustrative) (higher is better)", "60%† (illustrative) (Quarter 4)",
                       "30%† (illustrative) (Quarter 2)", "Improving† (illustrative)", "Not met† (illustrative)"]


def test_changes_page_lists_what_changed_between_the_reports(tiny_site):
    text = article_text(page(tiny_site, "plan/changes"))
    assert "Between the last two reports to committee: December 2014 and 21 April 2015." in text
    numbers = tables(page(tiny_site, "plan/changes"))["Changes since the last report, in numbers"]
    assert numbers[1:] == [["Added to the plan", "1"], ["Completed or closed", "1"], ["Changed status", "1"],
                           ["Became overdue", "1"], ["Indicators that moved", "1† (illustrative)"]]


def test_exports_agree_with_the_pages(tiny_site):
    site = tiny_site
    document = json.loads((site / "data" / "plan.json").read_text(encoding="utf-8"))
    counts = status_counts(site)
    assert document["total_actions"] == counts.pop("Total")
    assert document["by_status"] == counts
    assert document["overdue"] == ["act-training"]
    raw = (site / "data" / "actions.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf") and b"\r\n" in raw       # Excel: UTF-8 with BOM, CRLF
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))
    assert {row["id"]: row["status"] for row in rows} == {a["id"]: a["status"] for a in document["actions"]}
    for label, count in counts.items():
        assert sum(1 for row in rows if row["status"] == label) == count
    assert [row["id"] for row in rows if row["overdue"] == "yes"] == document["overdue"]


def test_completing_an_action_changes_every_number_that_depends_on_it(project, tiny_site):
    before = tiny_site
    actions = project / "data" / "actions.yml"
    actions.write_text(actions.read_text().replace(
        "    - {date: 2015-04-21, status: at-risk, percent_complete: 50, note: Demand exceeds places.}\n",
        "    - {date: 2015-04-21, status: complete, note: Everyone trained.}\n  completed: 2015-04-21\n"))
    after = build_project(project, site_dir=project / "after")

    assert status_counts(before)["Complete"] == 1 and status_counts(after)["Complete"] == 2
    assert status_counts(before)["At risk"] == 1 and status_counts(after)["At risk"] == 0
    assert "1 overdue" in article_text(page(before, "plan")) and "overdue" not in \
        article_text(page(after, "plan")).split("Figures as at")[1].split(".")[0]
    assert json.loads((after / "data" / "plan.json").read_text())["by_status"]["Complete"] == 2
    assert "Status Complete" in article_text(page(after, "plan/actions/act-training"))
    assert "Completed 21 April 2015" in article_text(page(after, "plan/actions/act-training"))
    changes = tables(page(after, "plan/changes"))["Changes since the last report, in numbers"]
    assert ["Completed or closed", "2"] in changes and ["Became overdue", "0"] in changes
    assert "Complete" in article_text(page(after, "plan/sources/thematic")).split("Training for front-line staff")[1][:60]


def test_csv_cells_cannot_run_as_excel_formulas(project):
    actions = project / "data" / "actions.yml"
    actions.write_text(actions.read_text().replace("title: Training for front-line staff",
                                                   "title: '=HYPERLINK(\"http://x\")'"))
    site = build_project(project)
    rows = list(csv.DictReader(io.StringIO((site / "data" / "actions.csv").read_bytes().decode("utf-8-sig"))))
    assert rows[0]["title"] == "'=HYPERLINK(\"http://x\")"
