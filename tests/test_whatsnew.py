"""What's new: dated amendments from the data and from git, newest first; "Updated" on pages changed lately; Atom
feeds a real feed parser reads, for the whole site and per audience; monthly bulletins."""

from __future__ import annotations

import os
import subprocess
import textwrap
from datetime import date
from pathlib import Path

import feedparser
import pytest

from plugins.core.settings import Settings
from plugins.whatsnew import feeds
from plugins.whatsnew.changes import whats_new
from tests.conftest import describe, run_axe
from tests.helpers import ROOT, article_text, build_project, make_project, page, read_html, tables


def parse(site: Path, name: str):
    feed = feedparser.parse((site / "whats-new" / name).read_bytes())
    assert feed.bozo == 0, feed.get("bozo_exception")
    assert feed.version == "atom10"
    return feed


def all_rows(html: str) -> list[list[str]]:
    """Every change row on What's new, newest first, without the header rows."""
    return [row for caption, rows in tables(html).items() if caption.startswith("Changes in") for row in rows[1:]]


def git(repo: Path, *args: str, env: dict | None = None) -> str:
    environment = {**os.environ, "GIT_AUTHOR_NAME": "Jane Editor", "GIT_AUTHOR_EMAIL": "jane.editor@example.org",
                   "GIT_COMMITTER_NAME": "Jane Editor", "GIT_COMMITTER_EMAIL": "jane.editor@example.org",
                   **(env or {})}
    for name in ("GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE"):
        environment.pop(name, None)
    return subprocess.run(["git", "-C", str(repo), *args], check=True, capture_output=True, text=True,
                          env=environment).stdout


def commit(repo: Path, message: str, when: str) -> None:
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", message, env={"GIT_AUTHOR_DATE": when, "GIT_COMMITTER_DATE": when})



# --- the data's own amendments (no git: the tiny site is built in a folder that is not a checkout) ----------------


def test_whats_new_lists_the_datas_amendments_newest_first_with_page_date_summary_and_role(tiny_site):
    html = page(tiny_site, "whats-new/")
    rows = all_rows(html)
    assert rows[:4] == [
        ["21 April 2015", "April report", "Progress report to the Cabinet Committee.", "Not recorded"],
        ["21 April 2015", "Workshop for foster carers", "Progress update: On track. Workshop booked for April.",
         "Social worker"],
        ["21 April 2015", "Training for front-line staff", "Progress update: At risk. Demand exceeds places.",
         "Social worker"],
        ["1 April 2015", "Audit of cases", "Progress update: Complete. Audit report written.", "Social worker"],
    ]
    assert ["1 March 2015", "Missing children", "Version 2: Steps simplified.", "Social worker"] in rows
    assert ["1 March 2015", "Training guidance",
            "Reviewed by its owner, the Social worker; next review due 1 March 2016.", "Social worker"] in rows
    assert ["December 2014", "December report", "Progress report to the Cabinet Committee.", "Not recorded"] in rows
    assert not any("Draft." in " ".join(row) for row in rows)  # drafts are not published, nor announced
    assert "An editor" not in " ".join(" ".join(r) for r in rows)  # no git here: only the data's amendments
    assert len(rows) == 11
    links = {attrs.get("href") for tag, attrs in read_html(html).tags if tag == "a"}
    assert "../plan/actions/act-workshop/" in links and "../inspections/#april" in links


def test_a_changed_record_changes_the_page(tmp_path):
    project = make_project(tmp_path / "project")
    actions = project / "data" / "actions.yml"
    actions.write_text(actions.read_text().replace("note: Workshop booked for April.",
                                                   "note: Venue changed to Maidstone."), encoding="utf-8")
    text = article_text(page(build_project(project), "whats-new/"))
    assert "Progress update: On track. Venue changed to Maidstone." in text
    assert "Workshop booked for April" not in text


def test_pages_changed_in_the_last_30_days_say_updated_at_the_top_and_in_the_navigation(tiny_site):
    action = page(tiny_site, "plan/actions/act-workshop/")
    assert ('<p class="kb-updated" data-search-exclude><span class="kb-updated__label">Updated</span> '
            '<time datetime="2015-04-21">21 April 2015</time>: Progress update: On track.') in action
    assert action.index("kb-updated") > action.index("<h1")
    assert "kb-updated" not in page(tiny_site, "policies/missing/")  # last changed 1 March 2015: not recent
    home = page(tiny_site, "")
    nav_item = home[home.index('href="inspections/"'):]
    nav_item = nav_item[:nav_item.index("</a>")]
    assert "<small>Updated 21 April 2015</small>" in nav_item  # the date in words beside ...
    assert 'class="md-status md-status--updated" title="Updated in the last 30 days"' in nav_item  # ... the icon
    assert "<small>Updated" not in home[home.index('href="policies/"'):][:600]


def test_a_plugin_adds_amendments_through_the_hook(tmp_path):
    plugin = tmp_path / "bulletin_note.py"
    plugin.write_text(textwrap.dedent('''
        from datetime import date
        from plugins.core.hookspecs import hookimpl
        from plugins.core.pages import Amendment

        @hookimpl
        def register_amendments(kb, register):
            register(Amendment(date(2015, 4, 2), ("organisation.md",), "Services and numbers",
                               "Out-of-hours number checked.", "Practice development officer"))
        '''))
    project = make_project(tmp_path / "project")
    site = build_project(project, env={"KB_PLUGINS": str(plugin)})
    assert ["2 April 2015", "Services and numbers", "Out-of-hours number checked.",
            "Practice development officer"] in all_rows(page(site, "whats-new/"))
    assert "kb-updated" in page(site, "organisation/")


def test_an_amendment_resting_on_an_illustrative_record_is_marked_on_the_page_and_in_the_feed(tmp_path):
    project = make_project(tmp_path / "project")
    actions = project / "data" / "actions.yml"
    text = actions.read_text()
    actions.write_text(text.replace("note: Workshop booked for April.}",
                                    "note: Workshop booked for April., illustrative: The booking is assumed.}"),
                       encoding="utf-8")
    site = build_project(project)
    html = page(site, "whats-new/")
    row = html[html.index("Workshop booked for April."):][:400]
    assert "data-kb-mark" in row and "Figures marked" in html  # the mark, and the legend explaining it
    entry = next(e for e in parse(site, "all.xml").entries if "Workshop for foster carers" in e.title)
    assert entry.title.startswith("Illustrative: Workshop for foster carers")
    assert "Illustrative: The booking is assumed." in entry.summary


# --- feeds ------------------------------------------------------------------------------------------------------------


def test_the_feeds_are_valid_atom_with_every_change_and_one_per_audience(tiny_site):
    everything = parse(tiny_site, "all.xml")
    assert len(everything.entries) == len(all_rows(page(tiny_site, "whats-new/")))
    first = everything.entries[0]
    assert first.title == "April report: Progress report to the Cabinet Committee."
    assert first.updated == "2015-04-21T00:00:00Z" and everything.feed.updated == "2015-04-21T00:00:00Z"
    assert first.link == "../inspections/#april" and first.id.startswith("urn:uuid:")
    assert first.author == "Not recorded"
    assert len({e.id for e in everything.entries}) == len(everything.entries)
    carers = parse(tiny_site, "foster-carers.xml")
    assert carers.feed.title.endswith("what's new for foster carers")
    assert [e.title for e in carers.entries] == [
        "Missing children: Version 2: Steps simplified.",
        "CSE toolkit: Reviewed by its owner, the Social worker; next review due 1 March 2016.",
        "Missing children: Version 1: First version."]
    assert carers.entries[0].link == "../foster-carers/missing/"  # their own version of the policy
    managers = parse(tiny_site, "managers.xml")
    assert {e.title.split(":")[0] for e in managers.entries} == {
        "Workshop for foster carers", "Training for front-line staff", "Audit of cases"}
    assert all(t.term == "managers" for e in managers.entries for t in e.tags if t.term == "managers")


def test_the_feeds_are_deterministic_and_carry_no_build_time(data):
    def feed(today: date) -> str:
        from plugins.core.loading import load_knowledge
        from plugins.core.manager import get_plugin_manager

        kb = load_knowledge(get_plugin_manager(), Settings(root=data.parent, data_dir=data, today=today))
        return feeds.atom(kb, whats_new(kb), None)

    assert feed(date(2026, 1, 1)) == feed(date(2027, 6, 30))


def test_the_feeds_are_announced_in_every_pages_head_and_offered_on_the_hubs(tiny_site):
    home = page(tiny_site, "")
    assert ('<link rel="alternate" type="application/atom+xml" title="Kent children&#39;s services knowledge base: '
            'what&#39;s new" href="whats-new/all.xml">') in home
    hub = page(tiny_site, "foster-carers/")
    assert 'href="../whats-new/foster-carers.xml">' in hub[:hub.index("</head>")]
    text = article_text(hub)
    assert "What's new for you" in text and "Subscribe to changes for you" in text
    assert "Missing children. Version 2: Steps simplified." in text
    whats = page(tiny_site, "whats-new/")
    assert all(f'href="{name}.xml"' in whats for name in ("all", "staff", "foster-carers", "managers", "editors"))


# --- bulletins ----------------------------------------------------------------------------------------------------


def test_a_monthly_bulletin_lists_the_months_changes_by_audience_without_empty_sections(tiny_site):
    html = page(tiny_site, "whats-new/2015-04/")
    assert "<h1" in html and "What changed in April 2015" in html
    found = tables(html)
    assert set(found) == {"April 2015: Managers", "April 2015: other changes"}
    assert [row[1] for row in found["April 2015: Managers"][1:]] == [
        "Workshop for foster carers", "Training for front-line staff", "Audit of cases"]
    assert [row[1] for row in found["April 2015: other changes"][1:]] == ["April report"]
    march = tables(page(tiny_site, "whats-new/2015-03/"))
    assert set(march) == {"March 2015: Foster carers", "March 2015: Staff"}
    whats = page(tiny_site, "whats-new/")
    assert 'href="2015-04/">April 2015</a> (4 changes)' in whats


# --- the history of content in git ----------------------------------------------------------------------------


@pytest.fixture
def repository(tmp_path) -> Path:
    """A tiny project that is a git repository: a first commit, then an editor's change with a Role trailer."""
    project = make_project(tmp_path / "project")
    git(project, "init", "-q", "-b", "main")
    commit(project, "First version of the site", "2026-10-01T09:00:00+01:00")
    actions = project / "data" / "actions.yml"
    actions.write_text(actions.read_text().replace("title: Audit of cases", "title: Audit of all cases"),
                       encoding="utf-8")
    about = project / "docs" / "about.md"
    about.write_text(about.read_text() + "\nA new paragraph.\n", encoding="utf-8")
    commit(project, "Audit renamed; About says more\n\nRole: social-worker\n", "2026-11-20T14:30:00+00:00")
    (project / "docs" / "assets" / "kb.css").write_text("/* only a stylesheet */\n", encoding="utf-8")
    commit(project, "Stylesheet only", "2026-11-21T10:00:00+00:00")
    glossary = project / "data" / "glossary.yml"
    glossary.write_text(glossary.read_text().replace("Social care.", "Social care services."), encoding="utf-8")
    commit(project, "Glossary wording\n\nRole: Jane Editor <jane.editor@example.org>\n", "2026-11-22T08:00:00+00:00")
    return project


def test_git_history_lists_each_commit_with_the_pages_it_changed_and_the_role_never_a_name(repository):
    site = build_project(repository)
    html = page(site, "whats-new/")
    rows = all_rows(html)
    assert rows[0] == ["22 November 2026", "SCS", "Glossary wording", "An editor"]  # a name is never shown
    assert rows[1] == ["20 November 2026", "Audit of all cases; About this site", "Audit renamed; About says more",
                       "Social worker"]
    assert not any("Stylesheet only" in " ".join(row) for row in rows)  # nothing readers see changed
    assert "First version of the site" in " ".join(rows[2])
    assert "Jane" not in html and "example.org" not in html
    # the change to one action is put down to that action's page, not to every page data/actions.yml feeds
    assert "Training for front-line staff" not in rows[1][1]
    feed = parse(site, "all.xml")
    log = git(repository, "log", "--format=%s").splitlines()
    assert [e.title for e in feed.entries if e.author in ("An editor", "Social worker")
            and e.title in log] == ["Glossary wording", "Audit renamed; About says more", "First version of the site"]
    assert feed.feed.updated == "2026-11-22T08:00:00Z"
    assert "Jane" not in (site / "whats-new" / "all.xml").read_text()
    audit = page(site, "plan/actions/act-audit/")
    assert "<time datetime=\"2026-11-20\">20 November 2026</time>: Audit renamed; About says more" in audit


def test_a_build_from_an_exported_commit_reads_the_history_from_kb_git_dir(repository, tmp_path):
    bare = tmp_path / "kb.git"
    subprocess.run(["git", "clone", "-q", "--bare", str(repository), str(bare)], check=True)
    export = tmp_path / "export"
    export.mkdir()
    archive = subprocess.run(["git", f"--git-dir={bare}", "archive", "main"], check=True, capture_output=True).stdout
    subprocess.run(["tar", "-x", "-C", str(export)], input=archive, check=True)
    without = all_rows(page(build_project(export, tmp_path / "site-a"), "whats-new/"))
    assert not any(row[2] == "Glossary wording" for row in without)
    with_history = all_rows(page(build_project(export, tmp_path / "site-b",
                                               env={"KB_GIT_DIR": str(bare), "KB_GIT_REV": "main"}), "whats-new/"))
    assert with_history[0][2] == "Glossary wording" and with_history[1][3] == "Social worker"


def test_what_each_commit_changed_is_read_once_and_kept(repository, tmp_path, monkeypatch):
    from plugins.whatsnew import history

    settings = Settings.from_environment(repository, {"KB_CACHE_DIR": str(tmp_path / "cache")})
    asked: list[str] = []
    read = history._blobs

    def counted(repo, names):
        asked.extend(names)
        return read(repo, names)

    monkeypatch.setattr(history, "_blobs", counted)
    first = history.read_history(settings, "data", "docs")
    assert asked   # the data files' versions were read from git
    asked.clear()
    assert history.read_history(settings, "data", "docs") == first
    # only the first commit's files, which had no version before it, are read again
    first_commit = git(repository, "rev-list", "--max-parents=0", "HEAD").strip()
    assert asked and all(name.startswith(first_commit) for name in asked)
    actions = repository / "data" / "actions.yml"
    actions.write_text(actions.read_text().replace("title: Audit of all cases", "title: Audit of every case"),
                       encoding="utf-8")
    commit(repository, "Audit renamed again", "2026-11-23T08:00:00+00:00")
    asked.clear()
    newest = history.read_history(settings, "data", "docs")
    assert {name.split(":")[0].rstrip("^") for name in asked} == {git(repository, "rev-parse", "HEAD").strip(),
                                                                 first_commit}
    assert newest[1:] == first and newest[0].files[0].changed == frozenset({"act-audit"})
    assert history.read_history(Settings.from_environment(repository, {"KB_CACHE_DIR": "off"}), "data", "docs") \
        == newest


# --- in the browser ---------------------------------------------------------------------------------------------


@pytest.mark.browser
@pytest.mark.parametrize("path", ["whats-new/", "whats-new/2015-04/", "plan/actions/cse-03-mandatory-training/"])
def test_whats_new_pages_have_no_axe_violations(page, base_url, path):
    page.goto(base_url + path)
    violations = run_axe(page)
    assert violations == [], describe(violations)


@pytest.mark.browser
def test_a_browser_finds_the_feed_from_any_page(page, base_url):
    page.goto(base_url + "plan/")
    href = page.eval_on_selector('link[rel="alternate"][type="application/atom+xml"]', "link => link.href")
    assert href == base_url + "whats-new/all.xml"
    response = page.request.get(href)
    assert response.ok and feedparser.parse(response.body()).bozo == 0


def _edits(text: str, rng) -> str:
    """`text` (a data file) with a few random edits an editor might make."""
    records = ["- " + part for part in text.split("\n- ")]
    records[0] = records[0][2:]
    for _ in range(rng.randint(1, 3)):
        at = rng.randrange(len(records))
        kind = rng.choice(["value", "add", "remove", "move", "comment", "same-id", "new-id", "quoted"])
        record = records[at]
        if kind == "value":
            records[at] = record.replace(": ", ": edited ", 1) if ": " in record[6:] else record + "  note: x\n"
        elif kind == "add" and "\n" in record:
            records.insert(at, record.replace("- id: ", "- id: added-", 1))
        elif kind == "remove" and len(records) > 2:
            del records[at]
        elif kind == "move":
            records.insert(rng.randrange(len(records)), records.pop(at))
        elif kind == "comment":
            records[at] = record.rstrip("\n") + "\n# a comment\n"
        elif kind == "same-id":   # a second record with an id already there: the whole parse decides
            records.insert(at, records[rng.randrange(len(records))])
        elif kind == "new-id":
            records[at] = record.replace("- id: ", "- id: renamed-", 1)
        else:
            records[at] = record.replace("- id: ", "- id: 'quoted-", 1).replace("\n", "'\n", 1)
    return "\n".join(part.rstrip("\n") for part in records) + "\n"


def test_what_a_commit_changed_is_found_record_by_record_as_by_parsing_both_files_whole():
    """Only the records whose text differs are parsed; every random edit gives what the whole parse gives."""
    import random

    from plugins.whatsnew.history import _file_change, _records, _records_apart

    rng = random.Random(13)
    fast = 0
    for name in ("actions.yml", "sources.yml", "recommendations.yml", "glossary.yml", "policies.yml"):
        text = (ROOT / "data" / name).read_text(encoding="utf-8")
        for _ in range(40):
            before = _edits(text, rng) if rng.random() < 0.3 else text
            after = _edits(before, rng)
            blobs = {"c^:data/x.yml": before.encode(), "c:data/x.yml": after.encode()}
            whole_before, whole_after = _records(before.encode()), _records(after.encode())
            if whole_before is None or whole_after is None:
                continue
            expected = ({i for i, r in whole_after.items() if whole_before.get(i) != r},
                        sorted(i for i in whole_before if i not in whole_after))
            change = _file_change("c", "x.yml", blobs, "data/")
            assert (set(change.changed), sorted(change.removed)) == \
                (expected[0], sorted(_name_of(whole_before, i) for i in expected[1])), (name, before, after)
            fast += _records_apart(before.encode(), after.encode()) is not None
    assert fast > 60   # most edits were found record by record, not by the whole parse


def _name_of(records: dict, record_id: str) -> str:
    from plugins.whatsnew.history import _name

    return _name(records[record_id], record_id)
