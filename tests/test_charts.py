"""Charts stay legible: in Chromium at 1280 px and on a 375 px phone, no chart text is clipped or below 12 px."""

import pytest

pytestmark = pytest.mark.browser

CHART_PAGES = ["plan/", "cse-toolkit/pathway/"]

MEASURE = """() => [...document.querySelectorAll('svg.kb-chart')].map(svg => {
    const box = svg.getBoundingClientRect();
    const scale = box.width / svg.viewBox.baseVal.width;
    return [...svg.querySelectorAll('text')].map(text => {
        const r = text.getBoundingClientRect();
        return {text: text.textContent, px: parseFloat(getComputedStyle(text).fontSize) * scale,
                inside: r.left >= box.left - 0.5 && r.right <= box.right + 0.5
                        && r.top >= box.top - 0.5 && r.bottom <= box.bottom + 0.5};
    });
}).flat()"""


@pytest.mark.parametrize("width", [1280, 375])
@pytest.mark.parametrize("path", CHART_PAGES)
def test_chart_text_is_never_clipped_or_tiny(browser, base_url, path, width):
    context = browser.new_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    try:
        page.goto(base_url + path)
        texts = page.evaluate(MEASURE)
        assert texts, f"no chart text on {path}"
        assert [t["text"] for t in texts if not t["inside"]] == []
        assert [(t["text"], round(t["px"], 1)) for t in texts if t["px"] < 12] == []
        assert page.evaluate("[...document.querySelectorAll('svg.kb-chart')].every("
                             "svg => svg.getBoundingClientRect().right <= window.innerWidth)")
    finally:
        context.close()
