"""Generated pages skip Markdown (plugins/core/outline.py), and hand-written pages' macro HTML is kept out of
it (`generate.page_markdown` with a stash): the HTML and table of contents must be what Python-Markdown,
configured as mkdocs.yml configures it, would have made of the whole page."""

from __future__ import annotations

import random
import re

import markdown
import pytest
from mkdocs.config import load_config

from plugins.core import generate
from plugins.core.outline import TAG, Permalinks, outline
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
def build() -> Build:
    build = Build.load(Settings.from_environment(ROOT))
    docs = {str(p.relative_to(ROOT / "docs")): p.read_text(encoding="utf-8") for p in (ROOT / "docs").rglob("*.md")}
    build.know_pages(list(docs), docs)
    return build


@pytest.fixture(scope="module")
def bodies(build) -> dict[str, str]:
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


def test_macro_html_kept_out_of_markdown_is_put_back_as_markdown_would_have_placed_it(build):
    compared = inline_pages = 0
    for path, source in sorted(build.docs_sources.items()):
        meta, body = generate.split_front_matter(source)
        if "{{" not in body:
            continue
        whole = generate.page_markdown(build, "docs", path, body, source, meta)
        stash: dict[str, str] = {}
        tokens = generate.page_markdown(build, "docs", path, body, source, meta, stash)
        inline = any(not generate.MACRO_LINE.match(line) for line in body.splitlines() if "{{" in line)
        assert not stash if inline else (stash and len(tokens) < len(whole)), path
        inline_pages += inline
        html, toc = _markdown(whole)
        kept_out, kept_out_toc = _markdown(tokens)
        assert _between_tags(generate.unstash(kept_out, stash)) == _between_tags(html), path
        assert kept_out_toc == toc, path
        compared += 1
    assert compared > 10
    assert inline_pages >= 1   # the accessibility statement names a figure inside a sentence: not kept out


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


def test_only_the_builds_own_tokens_are_swapped_back():
    stash: dict[str, str] = {}
    token = generate._stashing(lambda: "<div>made</div>", stash)()
    typed = "kbmacro000000000000x000000out"   # what an editor might type: not a token of this build
    html = f"<p>{token}</p>\n<p>{typed}</p>"
    assert generate.unstash(html, stash) == f"<div>made</div>\n<p>{typed}</p>"


def test_a_tag_read_possessively_is_the_tag_read_with_giving_back():
    """`TAG` reads a tag's inside without giving back; on random text of the characters that decide where a tag
    ends, it finds the tags the pattern that gives back finds."""
    giving_back = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9-]*)(?:\s(?:[^>\"']|\"[^\"]*\"|'[^']*')*)?(/?)>")
    assert TAG.pattern != giving_back.pattern
    chance = random.Random(7)
    alphabet = "<<>>\"\"''/ =!-?a b\nbr"
    for _ in range(30_000):
        text = "".join(chance.choice(alphabet) for _ in range(chance.randint(1, 40)))
        assert TAG.findall(text) == giving_back.findall(text), text
