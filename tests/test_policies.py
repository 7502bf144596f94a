"""Policies, review governance and audience hubs."""

from __future__ import annotations

import json
import shutil
from datetime import date
from pathlib import Path

import pytest

from plugins.policies import hooks as policies
from plugins.reviews import hooks as reviews
from plugins.core.problems import DataError
from plugins.policies.models import Policy
from tests.helpers import TINY_DATA, article_text, build_project, load, make_project, page, run_kb


@pytest.fixture
def data(tmp_path) -> Path:
    shutil.copytree(TINY_DATA, tmp_path / "data")
    return tmp_path / "data"


def edit(path: Path, old: str, new: str, count: int = 1) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, count), encoding="utf-8")


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


def test_the_foster_carer_version_must_be_plain_english(data):
    edit(data / "policies.yml", "carer_summary: What to do if a child goes missing.",
         "carer_summary: Notwithstanding organisational considerations, practitioners' institutional responsibilities "
         "necessitate comprehensive documentation, multidisciplinary communication and immediate notification.")
    edit(data / "policies.yml", "do: Ring the police.", "do: Telephonically communicate circumstances immediately "
         "to constabulary representatives, documenting everything comprehensively.")
    with pytest.raises(DataError) as error:
        load(data)
    [problem] = error.value.problems
    assert "the foster-carer version reads at Flesch reading ease" in problem.rule and "must be 60 or more" in problem.rule
    assert problem.file == "data/policies.yml"


def test_shipped_foster_carer_versions_read_as_plain_english():
    kb = load()
    scores = [policies.readability(p) for p in policies.current_policies(kb) if p.carer_page]
    assert scores and min(scores) >= policies.READABILITY_MINIMUM


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
    assert "Version 2 (approved" in staff
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
