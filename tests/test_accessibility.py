"""Accessible on every page, and the accessibility statement says exactly what these tests measured.

Every page of the real built site (found in the site folder, not listed by hand) is
checked by axe-core in Chromium and by the Nu Html Checker; a few keyboard journeys are
walked. The figures are compared with docs/accessibility/results.yml, from which the
statement at /accessibility/ is built: when they differ the test fails, so the statement
cannot go stale. `make accessibility` measures again and rewrites the file.
"""

from __future__ import annotations

import datetime
import json
import os
import subprocess

import pytest
import yaml

from tests.conftest import built_pages, run_axe
from tests.helpers import ROOT

pytestmark = pytest.mark.browser

RESULTS = ROOT / "docs" / "accessibility" / "results.yml"
VNU = ROOT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
STANDARD = "WCAG 2.2 AA"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]
REWRITE = os.environ.get("KB_WRITE_ACCESSIBILITY") == "1"


def npm_version(package: str) -> str:
    lock = json.loads((ROOT / "package-lock.json").read_text(encoding="utf-8"))
    return lock["packages"][f"node_modules/{package}"]["version"]


# --- what is measured ------------------------------------------------------------


@pytest.fixture(scope="module")
def measured() -> dict:
    return {"keyboard": {}}


@pytest.fixture(scope="module")
def pages(site) -> list[str]:
    found = built_pages(site)
    assert len(found) > 50 and "" in found and "policies/missing-children/" in found
    return found


WIDTHS = {"desktop": {"width": 1280, "height": 800}, "phone": {"width": 375, "height": 740}}
"""Every page is checked at both: a table or chart that fits a desktop may not fit a phone."""


def test_every_page_passes_axe_on_a_desktop_and_a_phone_and_reflows_on_the_phone(browser, base_url, pages, measured):
    violations: dict[str, list[str]] = {}
    sideways: list[str] = []
    for screen, viewport in WIDTHS.items():
        context = browser.new_context(viewport=viewport)  # one context a width keeps the run short
        page = context.new_page()
        for path in pages:
            page.goto(base_url + path)
            for v in run_axe(page):
                violations.setdefault(path, []).append(f"{screen}: {v['id']}: {[n['target'] for n in v['nodes']][:3]}")
            if screen == "phone" and page.evaluate(
                    "document.documentElement.scrollWidth > document.documentElement.clientWidth"):
                sideways.append(path)
        context.close()
    measured["axe"] = {"version": npm_version("axe-core"), "pages": len(pages),
                       "widths": [viewport["width"] for viewport in WIDTHS.values()],
                       "violations": sum(len(v) for v in violations.values()), "pages_with_violations": len(violations)}
    measured["reflow"] = {"width": WIDTHS["phone"]["width"], "pages": len(pages),
                          "pages_scrolling_sideways": len(sideways)}
    assert violations == {}
    assert sideways == [], "these pages scroll sideways on a phone"


def test_every_page_is_valid_html(site, pages, measured):
    files = [str(site / (path + "index.html" if path.endswith("/") or not path else path)) for path in pages]
    result = subprocess.run(["java", "-jar", str(VNU), "--errors-only", "--format", "json", *files],
                            capture_output=True, text=True)
    messages = json.loads(result.stderr)["messages"]
    errors = [m for m in messages if m["type"] == "error"]
    measured["nu"] = {"version": npm_version("vnu-jar"), "pages": len(files), "errors": len(errors),
                      "pages_with_errors": len({m["url"] for m in errors})}
    assert errors == [], "\n".join(f"{m['url']}:{m.get('lastLine')}: {m['message']}" for m in errors[:20])


# --- keyboard journeys: each records whether it passed, then asserts ------------------------


def journey(measured: dict, name: str):
    """Record a keyboard check under `name`: passed unless the block raises."""

    class Journey:
        def __enter__(self):
            measured["keyboard"][name] = False

        def __exit__(self, kind, value, traceback):
            measured["keyboard"][name] = kind is None
            return False

    return Journey()


def test_the_first_tab_stop_on_every_page_skips_to_the_content(browser, base_url, pages, measured):
    context = browser.new_context()
    page = context.new_page()
    with journey(measured, "On every page, the first Tab reaches a link that skips to the start of the content"):
        missing = []
        for path in pages:
            page.goto(base_url + path, wait_until="domcontentloaded")
            page.keyboard.press("Tab")
            if not page.evaluate("document.activeElement.textContent.trim().toLowerCase()").startswith("skip to content"):
                missing.append(path)
                continue
            page.keyboard.press("Enter")
            if not page.evaluate("location.hash === '#kb-content' && "
                                 "!!document.querySelector('article #kb-content + *, article #kb-content ~ h1')"):
                missing.append(path)
        assert missing == []
    context.close()


def test_search_is_used_by_keyboard_alone(page, base_url, measured):
    with journey(measured, "Search: the / key opens it, arrow keys move through the results, Enter opens one, "
                           "Escape closes it"):
        page.goto(base_url + "about/")
        page.keyboard.press("/")
        assert page.evaluate("document.activeElement.classList.contains('md-search__input')")
        page.keyboard.type("missing")
        page.wait_for_function("document.querySelector('[data-kb-query]')?.dataset.kbQuery === 'missing'")
        page.keyboard.press("Escape")
        assert not page.evaluate("document.getElementById('__search').checked")
        # A person's pause before searching again: the theme debounces the search box's focus and
        # blur, so a "/" within the same instant as Escape is read as the box never having closed.
        page.wait_for_timeout(500)
        page.keyboard.press("/")
        page.wait_for_function("document.getElementById('__search').checked")
        page.keyboard.press("ArrowDown")
        focused = page.evaluate("document.activeElement.href")
        assert focused and page.evaluate("document.activeElement.matches('li.md-search-result__item > a')")
        page.keyboard.press("Enter")
        page.wait_for_url(focused)


def test_the_checklist_and_its_count_work_by_keyboard(page, base_url, measured):
    with journey(measured, "The CSE checklist: signs ticked with the Space bar, the count announced"):
        page.goto(base_url + "cse-toolkit/checklist/")
        boxes = page.locator("form.kb-checklist input[type=checkbox]")
        boxes.first.focus()
        page.keyboard.press("Space")
        assert boxes.first.is_checked()
        summary = page.locator("[data-kb-summary]")
        assert summary.get_attribute("aria-live") == "polite" and summary.inner_text().startswith("Vulnerability factors: 1.")


def test_the_foster_carer_steps_are_reached_by_keyboard_from_the_home_page(page, base_url, measured):
    with journey(measured, "A foster carer reaches the missing-child steps from the home page by keyboard"):
        page.goto(base_url)
        link = page.get_by_role("link", name="A child is missing: what to do now")
        link.focus()
        page.keyboard.press("Enter")
        page.wait_for_url("**/foster-carers/missing/")
        assert page.locator("ol.kb-steps li").count() >= 5


# --- the statement ---------------------------------------------------------------------


def test_the_statement_publishes_what_was_measured(measured, site):
    """Last in this file: it compares (or, with KB_WRITE_ACCESSIBILITY=1, writes) what the tests above measured."""
    assert {"axe", "nu", "reflow"} <= set(measured) and len(measured["keyboard"]) == 4, "run the whole file"
    figures = {
        "standard": STANDARD,
        "pages": measured["axe"]["pages"],
        "axe": measured["axe"],
        "reflow": measured["reflow"],
        "nu": measured["nu"],
        "keyboard": [{"check": name, "passed": passed} for name, passed in measured["keyboard"].items()],
    }
    if REWRITE:
        header = ("# What tests/test_accessibility.py measured on the real site: the statement at /accessibility/\n"
                  "# is built from it. Do not edit by hand: `make accessibility` measures again and rewrites it;\n"
                  "# the test fails when these figures differ from a fresh measurement.\n")
        stamped = {"measured_on": datetime.date.today().isoformat(), **figures}
        RESULTS.write_text(header + yaml.safe_dump(stamped, sort_keys=False, allow_unicode=True), encoding="utf-8")
    published = yaml.safe_load(RESULTS.read_text(encoding="utf-8"))
    published.pop("measured_on")
    assert published == figures, "the accessibility statement is out of date: run `make accessibility`"
    if not REWRITE:  # a rewritten file shows on the site from the next build
        statement = (site / "accessibility" / "index.html").read_text(encoding="utf-8")
        assert f"all {figures['pages']} pages" in statement and f"{figures['nu']['errors']} errors" in statement


def test_the_statement_follows_the_public_sector_model():
    text = (ROOT / "docs" / "accessibility" / "index.md").read_text(encoding="utf-8")
    for heading in ("How accessible this website is", "Feedback and contact information",
                    "Reporting accessibility problems with this website", "Enforcement procedure",
                    "Technical information about this website's accessibility", "Compliance status",
                    "Non-accessible content", "What we're doing to improve accessibility",
                    "Preparation of this accessibility statement"):
        assert f"## {heading}" in text, heading
