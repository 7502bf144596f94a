"""`kb report`: the committee progress report, from the data alone."""

import shutil

import pytest

from tests.helpers import ROOT, TINY_DATA, run_kb

SEED_FACTS = [
    # the sources, their dates and judgements
    "Fostering services (2012): Ofsted inspection, published 31 July 2012 (adequate)",
    "Children in need of help and protection (2013): Ofsted inspection, published 15 January 2013 (adequate)",
    "Adoption support services (2013): Ofsted inspection, published 18 June 2013 (adequate)",
    "Children in care and care leavers (2013): Ofsted inspection, published 23 August 2013 (adequate)",
    "Child sexual exploitation thematic inspection (2014): Ofsted thematic inspection, published November 2014",
    # the diagnostic
    "A three-day on-site review of over 32 cases.",
    "Visits to eight fieldwork teams in two districts.",
    "on an upward trajectory",
    # the CSE thematic actions
    "An audit was undertaken of all children and young people identified as being at risk of sexual exploitation",
    "over 1000 members of staff across SCS and EH&PS",
    "Safeguarding Children from Abuse by Sexual Exploitation",
    "jointly hosted by Kent County Council and Kent Police in April 2015",
    "Education, Admissions and School Placement Officers",
    "over 130 young people",
    "The KSCB have completed a CSE work-plan",
    "Joint Strategic Needs Assessment (JSNA) chapter has been produced by Public Health",
    # quality assurance, capacity, supervision
    "Additional Practice Development Officers have been recruited",
    "Child Protection Conference Chairs now having benchmarked caseloads",
    "Additional Independent Reviewing Officers (IROs) are in the process of being recruited",
    "supervision template",
    # Signs of Safety and transformation
    "Signs of Safety training began in March 2015",
    "until 2017",
    "Tunbridge Wells",
    "by the end of 2015",
]


@pytest.fixture(scope="module")
def report(tmp_path_factory):
    html = tmp_path_factory.mktemp("report") / "report.html"
    result = run_kb("report", "--from", "2014-12-01", "--to", "2015-04-21", "--html", str(html), cwd=ROOT)
    assert result.returncode == 0, result.stderr
    return result.stdout, html.read_text(encoding="utf-8")


def test_report_reproduces_the_seed_reports_facts(report):
    markdown, _ = report
    flat = " ".join(markdown.split()).replace("\\", "")
    missing = [fact for fact in SEED_FACTS if fact not in flat]
    assert missing == []


def test_report_has_the_shape_of_a_committee_report(report):
    markdown, _ = report
    headings = [line for line in markdown.splitlines() if line.startswith("## ")]
    assert headings == ["## Where the figures come from", "## 1. Headline figures", "## 2. Sources of recommendations",
                        "## 3. Key developments since December 2014", "## 4. Progress since the last report",
                        "## 5. Actions at risk, off track or overdue", "## 6. Performance indicators",
                        "## 7. Next steps", "## 8. Conclusion", "## 9. Governance"]


def test_report_has_a_front_sheet_members_can_table(report):
    markdown, html = report
    front = markdown.split("## Where the figures come from")[0]
    for line in ["| To | Children's Social Care and Health Cabinet Committee |", "| Meeting date | 21 April 2015 |",
                 "| Author | Project Manager, Specialist Children's Services |",
                 "| Recommendation | Members are asked to note this report. |"]:
        assert line in front
    assert "Figures marked † are illustrative" in front
    assert 'counter(page)' in html and "thead { display: table-header-group; }" in html
    # The running head on every printed page is a CSS string: the apostrophe is a CSS escape, not an HTML entity
    assert '@top-left { content: "Children\\27 s Services Development Plan: progress report, 21 April 2015";' in html
    assert "&#39;" not in html.split("<style")[1].split("</style>")[0]


def test_report_words_changes_and_names_actions_by_title(report, tmp_path):
    markdown, _ = report
    assert "cse-03-mandatory-training" not in markdown                  # titles, not ids
    assert "status at December 2014 not recorded" in markdown           # that report was not seen
    data = tmp_path / "data"
    shutil.copytree(TINY_DATA, data)
    tiny = run_kb("report", "--from", "2014-12-01", "--to", "2015-04-21", "--data", str(data), cwd=ROOT).stdout
    assert "Training for front-line staff: moved from on track to at risk (50% complete)." in tiny


def test_headline_figures_add_up(report):
    markdown, _ = report
    line = next(l for l in markdown.splitlines() if "in the Development Plan:" in l).replace(" †", "")
    total = int(line.split()[1])
    parts = line.split(":", 1)[1].strip(" .").split(";")
    assert sum(int(p.split()[0]) for p in parts) == total


def test_html_report_is_self_contained_and_print_ready(report):
    _, html = report
    assert "@page { size: A4" in html
    assert "<h2>1. Headline figures</h2>" in html
    assert "http://" not in html and "https://" not in html and "<script" not in html


def test_report_text_from_data_is_escaped(tmp_path):
    data = tmp_path / "data"
    shutil.copytree(TINY_DATA, data)
    actions = data / "actions.yml"
    actions.write_text(actions.read_text().replace("note: Demand exceeds places.",
                                                   'note: "# *Demand* <script>x()</script> [a](javascript:x())"'))
    html = tmp_path / "r.html"
    result = run_kb("report", "--from", "2014-12-01", "--to", "2015-04-21", "--data", str(data), "--html", str(html),
                    cwd=ROOT)
    assert result.returncode == 0, result.stderr
    assert r"# \*Demand\* \<script\>x()\</script\> \[a\](javascript:x())" in result.stdout
    page = html.read_text()
    assert "<script" not in page and 'href="javascript' not in page
    assert "# *Demand* &lt;script&gt;x()&lt;/script&gt; [a](javascript:x())" in page


def test_report_refuses_reversed_dates_and_bad_data(tmp_path):
    assert run_kb("report", "--from", "2015-04-21", "--to", "2014-12-01", cwd=ROOT).returncode == 2
    data = tmp_path / "data"
    shutil.copytree(TINY_DATA, data)
    (data / "themes.yml").write_text((data / "themes.yml").read_text().replace("order: 1", "order: first"))
    result = run_kb("report", "--from", "2014-12-01", "--to", "2015-04-21", "--data", str(data), cwd=ROOT)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "data/themes.yml:4: theme cse: order: input should be a valid integer" in result.stderr
