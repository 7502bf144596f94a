"""The JSNA summary from the tiny data."""

from __future__ import annotations

from tests.helpers import page, tables


def test_jsna_figures_have_caveats_and_link_to_plan_actions(tiny_site):
    html = page(tiny_site, "jsna")
    assert tables(html)["Figures about child sexual exploitation in Kent, with source and caveat"][1] == [
        "Front-line staff", "over 100", "2015", "The report.", "A floor."]
    assert 'href="../plan/actions/act-training/"' in html
