"""The README's recipe works: a new feature is one package, and adding it edits no existing file.

The test writes a feature ("safeguarding contacts by district") the way the
README says to, in a folder of its own (a docstring in __init__.py, its hooks in
hooks.py, its models and templates), registers it by path (KB_PLUGINS), adds its
data file, and builds the site.
"""

from __future__ import annotations

import json
import subprocess
import textwrap
from pathlib import Path

import pytest

from plugins.core.settings import Settings
from plugins.core.site import Build
from tests.helpers import ROOT, article_text, build_project, make_project, page, run_mkdocs_build

FEATURE = {
    "__init__.py": '''
        """Safeguarding contacts by district: a page per district with the numbers to ring."""
        ''',
    "hooks.py": '''
        """The feature's hooks (see the package's docstring)."""

        from markupsafe import Markup

        from plugins.core.hookspecs import hookimpl
        from plugins.core.knowledge import Collection
        from plugins.core.pages import GeneratedPage, Macro
        from plugins.core.render import render

        from .models import DistrictContacts


        @hookimpl
        def register_collections(register):
            register(Collection("district-contacts", DistrictContacts, "district contacts",
                                description="Safeguarding contacts by district.",
                                page=lambda record: f"contacts/{record.id}.md"))


        @hookimpl
        def register_pages(kb, register):
            for record in kb.all(DistrictContacts):
                register(GeneratedPage(path=kb.page_of(record), title=record.title,
                                       template="district_contacts/district.md", context={"record": record},
                                       data_files=kb.files_of(DistrictContacts)))


        @hookimpl
        def register_macros(kb, register):
            def district_count(page):
                return render("district_contacts/count.html", page, kb, count=len(kb.all(DistrictContacts)))

            register(Macro("district_count", district_count, kb.files_of(DistrictContacts)))
        ''',
    "models.py": '''
        from plugins.core.records import Audienced, Owned, Sourced
        from plugins.core.types import PlainText, Ref
        from plugins.organisation.models import Contact


        class DistrictContacts(Sourced, Owned, Audienced):
            """The numbers to ring in one district."""

            title: PlainText
            district: PlainText
            contacts: list[Ref[Contact]]
        ''',
    "templates/district.md": '''
        {% from "core/_helpers.html" import contact_list, cites with context %}
        <p>Safeguarding contacts for {{ record.district }}.</p>
        {{ contact_list(record.contacts|map(attribute="record")) }}
        {{ cites(record) }}
        ''',
    "templates/count.html": '''
        <p>{{ count }} districts have their own contacts page.</p>
        ''',
}

DATA = '''
    - id: maidstone
      title: Safeguarding contacts in Maidstone
      district: Maidstone
      contacts: [emergency]
      owner: social-worker
      last_reviewed: 2015-03-01
      review_due: 2016-03-01
      audiences: [foster-carers]
      cites: [report-a]
    '''


@pytest.fixture(scope="module")
def extended(tmp_path_factory) -> tuple[Path, Path, dict[str, str]]:
    root = tmp_path_factory.mktemp("extending")
    feature = root / "district_contacts"
    for name, text in FEATURE.items():
        (feature / name).parent.mkdir(parents=True, exist_ok=True)
        (feature / name).write_text(textwrap.dedent(text).lstrip(), encoding="utf-8")
    project = make_project(root / "project")
    (project / "data" / "district-contacts.yml").write_text(textwrap.dedent(DATA).lstrip(), encoding="utf-8")
    env = {"KB_PLUGINS": str(feature)}
    return project, build_project(project, env=env), env


def test_nothing_in_the_project_was_edited_to_add_the_feature():
    changed = subprocess.run(["git", "status", "--porcelain", "--", "plugins", "hooks", "mkdocs.yml", "docs"],
                             cwd=ROOT, capture_output=True, text=True).stdout
    assert "district" not in changed


def test_the_new_feature_has_its_page_with_review_box_and_hub_entry(extended):
    _, site, _ = extended
    text = article_text(page(site, "contacts/maidstone"))
    assert "Safeguarding contacts for Maidstone." in text
    assert "Owner: Social worker. Last reviewed: 1 March 2015. Next review: 1 March 2016." in text
    assert 'href="tel:999"' in page(site, "contacts/maidstone")
    assert 'href="../contacts/maidstone/">Safeguarding contacts in Maidstone</a>' in page(site, "foster-carers")
    assert "Safeguarding contacts in Maidstone" in article_text(page(site, "editors/reviews"))


def test_the_new_page_is_found_by_search(extended):
    _, site, _ = extended
    index = json.loads((site / "search" / "search_index.json").read_text(encoding="utf-8"))
    assert any(doc["location"].startswith("contacts/maidstone/") and "Maidstone" in doc["title"]
               for doc in index["docs"])


def test_the_new_macro_is_available_to_hand_written_pages(extended, monkeypatch):
    project, _, env = extended
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    build = Build.load(Settings.from_environment(project))
    build.know_pages([p.relative_to(project / "docs").as_posix() for p in (project / "docs").rglob("*.md")])
    assert "1 districts have their own contacts page." in build.call_macro("district_count", "index.md")


def test_the_new_feature_is_checked_like_every_other(extended):
    project, _, env = extended
    data = project / "data" / "district-contacts.yml"
    good = data.read_text(encoding="utf-8")
    try:
        data.write_text(good.replace("contacts: [emergency]", "contacts: [nobody]"), encoding="utf-8")
        result = run_mkdocs_build(project, project / "broken", env=env)
        assert result.returncode != 0 and "Traceback" not in result.stderr
        assert ("data/district-contacts.yml:4: district contacts maidstone: contacts[0]: unknown contact 'nobody'"
                in result.stderr)
    finally:
        data.write_text(good, encoding="utf-8")


def test_without_the_plugin_its_data_file_is_refused(extended):
    project, _, _ = extended
    result = run_mkdocs_build(project, project / "without")
    assert result.returncode != 0
    assert "data/district-contacts.yml:1: not part of any collection" in result.stderr
