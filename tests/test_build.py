"""Build tests: a tiny site in tmp_path, built strictly, read back as HTML."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.helpers import article_text, build_project, edit, make_project, page, read_html, run_kb, run_mkdocs_build

PAYLOAD = "{{ 7*7 }} <script>x()</script>"



@pytest.fixture
def project(tmp_path) -> Path:
    return make_project(tmp_path / "project")


def test_tiny_site_builds_with_a_page_per_source_kept_out_of_the_nav(tiny_site):
    site = tiny_site
    fostering = page(site, "plan/sources/fostering")
    assert "<h1>Fostering inspection</h1>" in fostering
    assert "plan/sources/" not in page(site, "").split('class="md-nav')[1].split("</nav>")[0]
    index = json.loads((site / "search" / "search_index.json").read_text())
    assert any(doc["location"].startswith("plan/sources/fostering/") for doc in index["docs"])


def test_generated_pages_name_their_data_file_and_edit_link(project):
    site = build_project(project, env={"KB_EDIT_URL": "https://git.example/kb/-/edit/main/"})
    fostering = page(site, "plan/sources/fostering")
    assert 'href="https://git.example/kb/-/edit/main/data/sources.yml"' in fostering
    assert "<code>data/sources.yml</code>" in fostering
    home = page(site, "")
    assert 'href="https://git.example/kb/-/edit/main/docs/index.md"' in home
    assert "<code>data/audiences.yml</code>" in home and "<code>data/contacts.yml</code>" in home


def test_changing_the_data_changes_every_page_that_shows_it(project, tiny_site):
    before = tiny_site
    data = project / "data"
    edit(data / "sources.yml", "judgement: adequate", "judgement: good")
    edit(data / "areas.yml", "districts: [Maidstone, Tunbridge Wells]", "districts: [Maidstone, Tunbridge Wells, Sevenoaks]")
    edit(data / "contacts.yml", 'number: "999"', 'number: "112"')
    after = build_project(project, site_dir=project / "after")

    assert "Adequate: 1 inspection." in article_text(page(before, "inspections"))
    assert "Good: 1 inspection." in article_text(page(after, "inspections"))
    assert "Judgement Adequate" in article_text(page(before, "plan/sources/fostering"))
    assert "Judgement Good" in article_text(page(after, "plan/sources/fostering"))
    assert "1 area 2" in article_text(page(before, "organisation"))
    assert "1 area 3" in article_text(page(after, "organisation"))
    assert 'href="tel:999"' in page(before, "") and 'href="tel:112"' in page(after, "")


def test_text_from_data_is_never_a_template_and_never_raw_html(project):
    data = project / "data"
    edit(data / "sources.yml", "summary: The fostering service was inspected.", f'summary: "{PAYLOAD}"')
    edit(data / "sources.yml", "summary: A thematic inspection.", f'summary: A thematic inspection.\n  findings: ["{PAYLOAD}"]')
    edit(data / "glossary.yml", "definition: Social care.", f'definition: "{PAYLOAD}"')
    edit(data / "contacts.yml", "use_for: Immediate danger.", f'use_for: "{PAYLOAD}"')
    edit(data / "references.yml", "kind: committee-report", f'kind: committee-report\n  note: "{PAYLOAD}"')
    site = build_project(project)
    for url in ["plan/sources/fostering", "plan/sources/thematic", "glossary", "", "about"]:
        html = page(site, url)
        assert not any("x()" in script for script in read_html(html).scripts), url
        text = article_text(html)
        assert PAYLOAD in text, (url, text)
        assert "49" not in text, url


def test_a_title_from_data_stays_literal_in_title_and_heading(project):
    edit(project / "data" / "sources.yml", "title: Fostering inspection", "title: '{{ 7*7 }} & Fostering'")
    html = page(build_project(project), "plan/sources/fostering")
    assert "<title>&#123;&#123; 7*7 &#125;&#125; &amp; Fostering - " in html
    assert "<h1>&#123;&#123; 7*7 &#125;&#125; &amp; Fostering</h1>" in html


def test_invalid_data_stops_the_build_with_one_message_per_problem(project):
    edit(project / "data" / "sources.yml", "published: 2012-07-31", "published: 2012-07-32")
    edit(project / "data" / "roles.yml", "service: scs", "service: nobody")
    result = run_mkdocs_build(project)
    assert result.returncode != 0
    assert "Traceback" not in result.stderr
    assert "data/sources.yml:5: source fostering: published: '2012-07-32' is not a real date" in result.stderr
    assert "data/roles.yml:4: role social-worker: service: unknown service 'nobody'" in result.stderr
    assert not (project / "site" / "index.html").exists()


def test_a_link_from_data_to_a_missing_page_fails_the_build(project):
    edit(project / "data" / "audiences.yml", "page: about.md", "page: no-such-page.md")
    edit(project / "data" / "audiences.yml", "page: plan/index.md", "page: plan/nowhere.md")
    result = run_mkdocs_build(project)
    assert result.returncode != 0 and "Traceback" not in result.stderr
    assert "data/audiences.yml:6: audience staff: start_here[0].page: no page 'no-such-page.md' on this site" \
        in result.stderr
    assert "data/audiences.yml:22: audience managers: start_here[0].page: no page 'plan/nowhere.md'" in result.stderr


def test_a_misspelt_guidance_section_is_reported_at_its_line_in_the_data(project):
    edit(project / "data" / "guidance.yml", "section: training", "section: trainning")
    result = run_mkdocs_build(project)
    assert result.returncode != 0 and "Traceback" not in result.stderr
    assert ("data/guidance.yml:12: guidance section training: section: 'trainning' makes the page "
            "'trainning/index.md', which this site does not have") in result.stderr


def test_an_unknown_macro_fails_the_build(project):
    (project / "docs" / "about.md").write_text("# About\n\n{{ no_such_macro() }}\n", encoding="utf-8")
    result = run_mkdocs_build(project)
    assert result.returncode != 0


def test_a_broken_markdown_link_fails_the_strict_build(project):
    (project / "docs" / "about.md").write_text("# About\n\nSee [the plan](plan/missing.md).\n", encoding="utf-8")
    result = run_mkdocs_build(project)
    assert result.returncode != 0
    assert "plan/missing.md" in result.stderr


def test_kb_build_replaces_site_only_when_the_build_succeeds(project):
    first = run_kb("build", cwd=project)
    assert first.returncode == 0, first.stderr
    index = project / "site" / "index.html"
    good = index.read_text(encoding="utf-8")

    edit(project / "data" / "sources.yml", "published: 2012-07-31", "published: 2012-07-32")
    second = run_kb("build", cwd=project)
    assert second.returncode == 1
    assert "data/sources.yml:5" in second.stderr
    assert index.read_text(encoding="utf-8") == good
    assert sorted(p.name for p in project.iterdir() if p.name.startswith("site")) == ["site", "site.releases"]
    assert not list((project / "site.releases").glob(".building-*"))


def test_kb_build_publishes_a_folder_others_can_read(project):
    import stat

    assert run_kb("build", cwd=project).returncode == 0
    mode = (project / "site").stat().st_mode
    assert mode & stat.S_IROTH and mode & stat.S_IXOTH


def test_the_menu_made_once_per_folder_is_the_menu_made_on_every_page(project):
    """Pages kept out of the navigation reuse one rendering of the menu, and of the parts of the frame that name
    nothing of the page, per folder (hooks/page_html.py `Menus`); the site must be the same, byte for byte,
    as one that renders them on every page."""
    cold = {"KB_CACHE_DIR": "off"}   # both rendered: neither takes its pages from the other (plugins/core/reuse.py)
    reused = build_project(project, project / "reused", env=cold)
    fresh = build_project(project, project / "fresh", env={**cold, "KB_MENU_CACHE": "off"})
    pages = sorted(p.relative_to(reused) for p in reused.rglob("*.html"))
    actions = [p for p in pages if p.parts[:2] == ("plan", "actions") and len(p.parts) == 4]
    assert len(actions) >= 2   # two pages of one folder: the second reuses the first one's menu
    second = (reused / actions[1]).read_text(encoding="utf-8")
    assert 'class="md-nav md-nav--primary"' in second
    assert 'data-md-component="header"' in second and 'id="__config"' in second and "assets/search/page.js" in second
    assert pages == sorted(p.relative_to(fresh) for p in fresh.rglob("*.html"))
    assert [str(p) for p in pages if (reused / p).read_bytes() != (fresh / p).read_bytes()] == []
