"""Owned guidance sections (data/guidance.yml): every page of a section shows its owner and review dates."""

from __future__ import annotations

from tests.helpers import article_text, page


def test_every_guidance_page_shows_its_owner_and_review(tiny_site):
    for url in ("cse-toolkit", "cse-toolkit/signs/missing", "training/matrix", "training/roles/social-worker"):
        assert "Owner: Social worker. Last reviewed: 1 March 2015. Next review: 1 March 2016." in \
            article_text(page(tiny_site, url)), url
