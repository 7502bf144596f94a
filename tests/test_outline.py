"""Generated pages skip Markdown (plugins/core/outline.py): their HTML and table of contents must be what
Python-Markdown, configured as mkdocs.yml configures it, would have made of the same body."""

from __future__ import annotations

import re

import markdown
import pytest
from mkdocs.config import load_config

from plugins.core.outline import Permalinks, outline
from plugins.core.settings import Settings
from plugins.core.site import Build
from tests.helpers import ROOT

PERMALINKS = Permalinks("&para;", "Link to this section")


def _markdown(body: str) -> tuple[str, list[dict]]:
    config = load_config(str(ROOT / "mkdocs.yml"))
    md = markdown.Markdown(extensions=config["markdown_extensions"], extension_configs=config["mdx_configs"])
    return md.convert(body), md.toc_tokens


def _between_tags(html: str) -> str:
    """Whitespace between two tags is not content (no generated page has a <pre>)."""
    return re.sub(r">\s+<", "><", html).strip()


@pytest.fixture(scope="module")
def bodies() -> dict[str, str]:
    build = Build.load(Settings.from_environment(ROOT))
    docs = ROOT / "docs"
    build.know_pages([str(p.relative_to(docs)) for p in docs.rglob("*.md")])
    return {path: build.page_body(page) for path, page in build.pages.items()}


def test_every_generated_page_is_what_markdown_would_make_of_it(bodies):
    assert len(bodies) > 50
    config = load_config(str(ROOT / "mkdocs.yml"))
    permalinks = Permalinks.from_toc_config(config.mdx_configs["toc"])
    with_headings = 0
    for path, body in bodies.items():
        html, toc = _markdown(body)
        made = outline(body, permalinks)
        assert _between_tags(made.html) == _between_tags(html), path
        assert made.toc == toc, path
        with_headings += bool(toc)
    assert with_headings > 30   # the comparison covered headings, not only pages without any


def test_headings_get_unique_ids_permalinks_and_a_nested_table_of_contents():
    made = outline("<p>x</p>\n\n## Where this comes from\n\n### Notes &amp; sources\n\n## Where this comes from\n",
                   PERMALINKS)
    assert '<h2 id="where-this-comes-from">Where this comes from<a class="headerlink" ' \
           'href="#where-this-comes-from" title="Link to this section">&para;</a></h2>' in made.html
    assert '<h2 id="where-this-comes-from_1">' in made.html
    assert [t["id"] for t in made.toc] == ["where-this-comes-from", "where-this-comes-from_1"]
    assert made.toc[0]["children"][0]["name"] == "Notes &amp; sources"
    assert {"where-this-comes-from", "notes-sources", "where-this-comes-from_1"} <= made.ids


def test_a_line_inside_an_html_block_is_text_not_a_heading():
    body = '<div class="kb-text">\n<p>first</p>\n\n## not a heading\n</div>\n\n## A heading\n'
    made = outline(body, PERMALINKS)
    assert "\n## not a heading\n" in made.html
    assert [t["name"] for t in made.toc] == ["A heading"]


def test_heading_text_from_data_is_not_read_as_markdown():
    made = outline("## Missing *children* &#123;&#123; 7*7 &#125;&#125;\n", PERMALINKS)
    assert ">Missing *children* &#123;&#123; 7*7 &#125;&#125;<a" in made.html
    assert "<em>" not in made.html


def test_ids_of_the_page_are_known_for_links_to_its_anchors():
    made = outline('<table id="rows"><tr id=\'r1\'><td>1</td></tr></table>\n\n## Rows\n', PERMALINKS)
    assert {"rows", "r1"} <= made.ids
