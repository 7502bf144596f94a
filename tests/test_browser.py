"""Headless Chromium against the built site on 127.0.0.1: search, keyboard, phone, print, privacy.

axe-core and the Nu Html Checker run over every page in tests/test_accessibility.py;
the search relevance suite is tests/test_search.py.
"""

import re

import pytest

from tests.conftest import built_pages

pytestmark = pytest.mark.browser

RESULT_LINKS = "li.md-search-result__item > a"


def search(page, query: str, expected: str) -> list[str]:
    """Type a query as a person would; wait until the list answers the whole query (the site's search says which
    query its list answers, data-kb-query) and a result links to `expected`; return the result links.

    Results re-render on every key press, so they are read in one step once both hold: an earlier list (for
    "fostering service" while "fostering services" is typed) may already hold the expected page.
    """
    page.locator("input.md-search__input").press_sequentially(query, delay=20)
    page.wait_for_function(
        """([selector, expected, query]) => document.querySelector('[data-kb-query]')?.dataset.kbQuery === query
             && [...document.querySelectorAll(selector)].some(a => a.href.includes(expected))""",
        arg=[RESULT_LINKS, expected, query], timeout=10_000)
    return page.eval_on_selector_all(RESULT_LINKS, "links => links.map(a => a.getAttribute('href'))")


def test_search_finds_the_fostering_inspection(page, base_url):
    page.goto(base_url)
    page.locator("input.md-search__input").click()
    hrefs = search(page, "Fostering", "plan/sources/ofsted-2012-fostering/")
    assert any("plan/sources/ofsted-2012-fostering/" in href for href in hrefs[:3]), hrefs


def test_search_works_by_keyboard_alone(page, base_url):
    page.goto(base_url)
    page.keyboard.press("/")  # Material's shortcut to focus search
    hrefs = search(page, "fostering services", "plan/sources/ofsted-2012-fostering/")
    assert any("plan/sources/ofsted-2012-fostering/" in href for href in hrefs[:3]), hrefs
    first_title = page.locator("li.md-search-result__item > a h1").first.inner_text()
    page.keyboard.press("ArrowDown")  # the first result
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(re.escape(hrefs[0].split("?")[0].lstrip("./"))))  # the words searched may follow
    assert page.locator("h1").inner_text() == first_title


def test_skip_link_is_the_first_tab_stop(page, base_url):
    page.goto(base_url + "inspections/")
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.textContent.trim()")
    assert focused.lower().startswith("skip to content")


def test_no_request_leaves_the_site(browser, base_url, site):
    """Every page, each to its load event; then a search. Requests are watched, not intercepted
    (intercepting turns the browser's cache off: every page would load every script again), and
    any request for another host is refused by the route below, which only such requests reach."""
    context = browser.new_context()
    seen: list[str] = []
    context.on("request", lambda request: seen.append(request.url))
    context.route(lambda url: not url.startswith(base_url), lambda route: route.abort())
    page = context.new_page()
    for path in built_pages(site):
        page.goto(base_url + path, wait_until="load")
    page.wait_for_load_state("networkidle")  # the requests every page makes after loading: index, worker
    page.keyboard.press("/")
    search(page, "adoption", "plan/sources/ofsted-2013-adoption/")
    context.close()
    assert len(seen) > len(built_pages(site)), "the request recorder saw nothing"
    assert [url for url in seen if not url.startswith((base_url, "data:", "blob:", "about:"))] == []


def test_abbreviations_have_tooltips_in_the_browser(page, base_url):
    page.goto(base_url)
    titles = page.eval_on_selector_all("article abbr[title]", "els => els.map(e => [e.textContent, e.title])")
    assert ["SCS", "Specialist Children's Services"] in titles


PHONE = {"width": 375, "height": 812}


def test_a_foster_carer_on_a_phone_reaches_the_steps_and_numbers_in_one_click(browser, base_url):
    context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True)
    page = context.new_page()
    page.goto(base_url)
    page.get_by_role("link", name="A child is missing: what to do now").click()
    page.wait_for_url("**/foster-carers/missing/")
    assert page.get_by_role("link", name="Emergency services: 999").first.get_attribute("href") == "tel:999"
    assert "Straight away" in page.locator("ol.kb-steps li").first.inner_text()
    context.close()


CARER_PAGES = ["foster-carers/missing/", "foster-carers/cse-signs/"]


@pytest.mark.parametrize("path", CARER_PAGES)
def test_the_foster_carer_pages_fit_a_375px_phone_without_sideways_scrolling(browser, base_url, tmp_path, path):
    context = browser.new_context(viewport=PHONE, is_mobile=True)
    page = context.new_page()
    page.goto(base_url + path)
    page.screenshot(path=str(tmp_path / "carer-375.png"), full_page=True)
    widths = page.evaluate("[document.documentElement.scrollWidth, document.documentElement.clientWidth]")
    assert widths[0] <= widths[1], widths
    context.close()


def printed_pages(page) -> int:
    page.emulate_media(media="print")
    pdf = page.pdf(format="A4", print_background=False)
    return pdf.count(b"/Type /Page") - pdf.count(b"/Type /Pages")


@pytest.mark.parametrize("path", CARER_PAGES)
def test_the_foster_carer_pages_print_on_one_a4_page(page, base_url, path):
    page.goto(base_url + path)
    pages = printed_pages(page)
    assert pages == 1, f"{path} prints on {pages} A4 pages"


def test_the_printed_missing_card_keeps_the_steps_lists_numbers_and_police_reference_box(page, base_url):
    page.goto(base_url + "foster-carers/missing/")
    page.emulate_media(media="print")
    shown = page.evaluate("""() => [...document.querySelectorAll('.kb-card h2, .kb-police-ref, .kb-carer__detail')]
        .map(e => [e.textContent.trim().slice(0, 30), getComputedStyle(e).display !== 'none'])""")
    visible = {text: is_shown for text, is_shown in shown}
    for heading in ("What to do now", "Have ready for the police", "Do not", "Numbers to ring",
                    "Numbers to give the child"):
        assert visible[heading], heading
    assert any(text.startswith("Police reference number") and is_shown for text, is_shown in shown)
    assert not any(is_shown for text, is_shown in shown if text.startswith("When the child comes back")), \
        "the detail stays on the web page; the card says where"
    on_paper = page.locator(".kb-card").inner_text()
    # The sources under each step stay on the web page; on paper the card still says not every step is Kent's policy,
    # and that the route for a young person of 18 or over is on the web page
    assert "Some of these steps are good practice, not Kent's own written policy." in on_paper
    assert "supported lodgings" in on_paper.split("More on the web page:")[1]


def storage_keys(page) -> list[str]:
    return page.evaluate("[...Object.keys(localStorage), ...Object.keys(sessionStorage)].sort()")


def test_the_checklist_counts_groups_apart_and_says_refer_now_by_keyboard_storing_and_sending_nothing(context,
                                                                                                       base_url):
    page = context.new_page()
    page.goto(base_url + "cse-toolkit/checklist/", wait_until="networkidle")
    summary = page.locator("[data-kb-summary]")
    refer_now = page.locator("[data-kb-refer-now]")
    assert summary.inner_text() == "Nothing ticked."
    assert not refer_now.is_visible()
    keys_before, requests_before = storage_keys(page), len(context.requests.urls)

    factors = page.locator("fieldset[data-kb-kind=vulnerability] input[type=checkbox]")
    factors.first.focus()
    page.keyboard.press("Space")                  # tick the first vulnerability factor
    page.keyboard.press("Tab")
    page.keyboard.press("Space")                  # and the next one, by keyboard alone
    assert factors.nth(0).is_checked() and factors.nth(1).is_checked()
    group = page.locator("fieldset[data-kb-kind=vulnerability] legend").first.inner_text().split(" (")[0].strip()
    assert summary.inner_text() == f"Vulnerability factors: 2. Warning signs: 0. By group: {group}: 2."
    assert summary.get_attribute("aria-live") == "polite"
    assert not refer_now.is_visible(), "vulnerability factors alone never say refer now"

    ordinary = page.locator("fieldset[data-kb-kind=warning-sign] input[data-kb-significant=no]").first
    ordinary.focus()
    page.keyboard.press("Space")
    assert "Warning signs: 1 (0 significant)" in summary.inner_text()
    assert not refer_now.is_visible()

    significant = page.locator("input[data-kb-significant=yes]").first
    significant.focus()
    page.keyboard.press("Space")
    assert "Vulnerability factors: 2. Warning signs: 2 (1 significant)" in summary.inner_text()
    assert summary.inner_text().endswith("A significant warning sign is ticked: refer now.")
    assert refer_now.is_visible()
    assert "refer now" in refer_now.inner_text()
    assert refer_now.get_by_role("link", name="Central Referral Unit (children's social care): 03000 41 11 11").count() == 1

    page.get_by_role("button", name="Clear all ticks").press("Enter")
    page.wait_for_function("document.querySelector('[data-kb-summary]').textContent === 'Nothing ticked.'")
    assert not refer_now.is_visible()
    assert storage_keys(page) == keys_before
    assert len(context.requests.urls) == requests_before, context.requests.urls[requests_before:]
    assert context.requests.external() == []


def test_a_glossary_term_is_one_tab_stop_that_names_its_meaning_and_leads_to_the_glossary(page, base_url):
    page.goto(base_url + "foster-carers/missing/")
    stops = page.evaluate("[...document.querySelectorAll('article a.kb-term')].map(a => a.textContent)")
    assert len(stops) == len(set(s.lower() for s in stops)), "one link per term, not one per use"
    link = page.get_by_role("link", name="placement plan: The plan for the child's day-to-day care in this home")
    assert link.count() == 1
    for _ in range(200):                          # Tab through the page until the term's link has focus
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.classList.contains('kb-term')"):
            break
    else:
        pytest.fail("no glossary term link is reachable by Tab")
    target = page.evaluate("document.activeElement.getAttribute('href')")
    page.keyboard.press("Enter")
    page.wait_for_url("**/glossary/**")
    assert page.url.endswith(target.rsplit("/", 1)[1])


def test_the_checklist_prints_on_a4(page, base_url):
    page.goto(base_url + "cse-toolkit/checklist/")
    page.emulate_media(media="print")
    pdf = page.pdf(format="A4")
    pages = pdf.count(b"/Type /Page") - pdf.count(b"/Type /Pages")
    assert pages == 1, f"the checklist prints on {pages} A4 pages"
    assert page.evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth")


def test_a_printed_policy_says_its_version_as_at_date_print_date_and_address(page, base_url):
    page.goto(base_url + "policies/missing-children/")
    page.emulate_media(media="print")
    header = page.locator(".kb-print-header")
    assert header.is_visible()
    text = header.inner_text()
    assert "Version 1.0" in text and "Content as at 21 April 2015" in text
    assert re.search(r"Printed \d{1,2} [A-Z][a-z]+ \d{4}", text), text
    assert f"This page: {base_url}policies/missing-children/" in text
    for hidden in (".md-header", ".md-sidebar--primary", ".md-search", ".md-footer"):
        assert not page.locator(hidden).first.is_visible(), hidden
    page.emulate_media(media="screen")
    assert not header.is_visible()


def test_a_printed_toolkit_page_carries_the_as_at_date_and_no_version_it_does_not_have(page, base_url):
    page.goto(base_url + "cse-toolkit/levels/")
    page.emulate_media(media="print")
    text = page.locator(".kb-print-header").inner_text()
    assert "Content as at 21 April 2015" in text and "Version" not in text
    assert "This page: " in text and not page.locator(".md-header").is_visible()
