"""Programmes from the tiny data."""

from __future__ import annotations

from tests.helpers import article_text, page


def test_programmes_show_milestones_in_date_order_and_their_actions(tiny_site):
    text = article_text(page(tiny_site, "programmes"))
    assert text.index("March 2015: Done Training begins") < text.index("2017: Planned Implementation complete")
    assert "act-workshop: Workshop for foster carers: On track" in text
