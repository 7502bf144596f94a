"""The offline copy (`make offline`): opened from disk (file://) in Chromium, it works, search included."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.helpers import ROOT, build_project, make_project
from tests.search_suite import result_pages

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def offline_site(tmp_path_factory) -> Path:
    """The real site built as `make offline` builds it."""
    project = make_project(tmp_path_factory.mktemp("offline") / "project", data=ROOT / "data")
    return build_project(project, env={"KB_DIRECTORY_URLS": "false"})


@pytest.fixture
def disk_page(browser):
    """A page that may load files from disk only: any other request is recorded and refused."""
    context = browser.new_context()
    others: list[str] = []

    def only_files(route):
        url = route.request.url
        if url.startswith(("file:", "data:", "blob:", "about:")):
            route.continue_()
        else:
            others.append(url)
            route.abort()

    context.route("**/*", only_files)
    page = context.new_page()
    page.others = others
    yield page
    context.close()


def test_the_offline_copy_links_page_files_not_folders(offline_site):
    home = (offline_site / "index.html").read_text(encoding="utf-8")
    assert 'href="foster-carers/missing.html"' in home
    assert (offline_site / "search" / "search_index.js").exists()


def test_a_foster_carer_opens_the_copy_from_disk_and_follows_a_link(disk_page, offline_site):
    disk_page.goto((offline_site / "index.html").as_uri())
    disk_page.get_by_role("link", name="A child is missing: what to do now").click()
    disk_page.wait_for_url("**/foster-carers/missing.html")
    assert disk_page.get_by_role("link", name="Emergency services: 999").first.get_attribute("href") == "tel:999"
    assert disk_page.others == []


def test_search_works_from_disk_and_opens_the_page_it_finds(disk_page, offline_site):
    disk_page.goto((offline_site / "foster-carers" / "index.html").as_uri())
    found = result_pages(disk_page, "return interview")
    assert "policies/missing-children/" in found[:3], found
    assert "“return interview”" in disk_page.locator("[data-kb-search-about]").inner_text()
    disk_page.locator("li.md-search-result__item > a").first.click()
    disk_page.wait_for_load_state()
    assert disk_page.url.startswith("file:") and ".html" in disk_page.url
    assert disk_page.locator("article mark").count() > 0  # the words searched for, highlighted
    assert disk_page.others == []
