"""Search finds the guidance first: the relevance suite in Chromium, and how the index is made."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from plugins.search.extract import read_sections
from plugins.search.hooks import STATIC, VENDORED
from tests.helpers import ROOT, build_project, make_project
from tests.search_suite import RESULT_LINKS, TOP, load_queries, result_pages

QUERIES = load_queries()


def index_of(site: Path) -> dict:
    return json.loads((site / "search" / "search_index.json").read_text(encoding="utf-8"))


def docs_at(index: dict, location: str) -> list[dict]:
    return [doc for doc in index["docs"] if doc["location"].split("#")[0] == location]


# --- the relevance suite, as people type ------------------------------------------


@pytest.fixture(scope="module")
def search_page(browser, base_url):
    """One page kept open for the whole suite, the search box typed into again for each query."""
    context = browser.new_context()
    page = context.new_page()
    page.goto(base_url)
    yield page
    context.close()


def test_the_suite_has_realistic_queries_for_every_reader():
    assert len(QUERIES) >= 40
    assert {q.who for q in QUERIES} == {"carer", "staff", "manager", "editor"}
    assert {q.kind for q in QUERIES} == {"words", "abbreviation", "misspelling"}
    assert len({q.query for q in QUERIES}) == len(QUERIES)


@pytest.mark.browser
@pytest.mark.parametrize("query", QUERIES, ids=str)
def test_the_page_a_query_needs_is_in_the_first_three_results(search_page, query, site):
    assert (site / query.page / "index.html").exists(), f"the suite names a page the site does not have: {query.page}"
    found = result_pages(search_page, query.query)
    assert query.page in found[:TOP], f"{query.query!r} ({query.who}): wanted {query.page}, got {found[:TOP + 2]}"


@pytest.mark.browser
def test_guidance_comes_before_plan_actions_for_the_issues_examples(search_page):
    found = result_pages(search_page, "what to do if a child goes missing")
    assert found[0] in ("foster-carers/missing/", "policies/missing-children/"), found
    for query in ("CSE", "child sexual exploitation"):
        found = result_pages(search_page, query)
        assert found[0] == "cse-toolkit/", (query, found)


# --- what the result list says ---------------------------------------------------------


@pytest.mark.browser
def test_the_result_count_is_announced_to_screen_readers(search_page):
    result_pages(search_page, "return interview")
    meta = search_page.locator(".md-search-result__meta")
    assert meta.get_attribute("role") == "status" and meta.get_attribute("aria-live") == "polite"
    shown = search_page.locator(RESULT_LINKS).count()
    count = int(meta.inner_text().removesuffix(" pages found"))
    assert shown == min(count, 10) and count > 3  # the theme shows ten, then more as the list scrolls


@pytest.mark.browser
def test_the_result_list_says_what_it_searched_and_how_it_read_the_glossary(search_page, site):
    result_pages(search_page, "CSE")
    about = search_page.locator("[data-kb-search-about]").inner_text()
    pages = len([doc for doc in index_of(site)["docs"] if "#" not in doc["location"]])
    assert f"of {pages} pages for “CSE”" in about
    assert "CSE also as “child sexual exploitation”" in about
    result_pages(search_page, "retrun interview")
    assert "“retrun” as “return”" in search_page.locator("[data-kb-search-about]").inner_text()


@pytest.mark.browser
def test_nothing_found_suggests_the_glossary_and_the_audience_hubs_by_keyboard(search_page, site):
    result_pages(search_page, "qwertyuiop")
    assert search_page.locator(".md-search-result__meta").inner_text() == "No page found"
    about = search_page.locator("[data-kb-search-about]")
    links = about.locator("a").evaluate_all("links => links.map(a => [a.textContent, new URL(a.href).pathname])")
    titles = [title for title, _ in links]
    assert titles[0] == "Glossary"
    assert {"For front-line staff", "For foster carers", "For managers", "For editors"} <= set(titles)
    search_page.keyboard.press("ArrowDown")  # the theme's arrow keys reach them
    assert search_page.evaluate("document.activeElement.textContent") == "Glossary"
    search_page.locator("input.md-search__input").focus()


@pytest.mark.browser
def test_snippets_are_readable_text_never_a_notice_or_glued_labels(search_page):
    for query in ("attendance at training", "audit", "IRO recruitment", "thematic inspection"):
        result_pages(search_page, query)
        snippets = search_page.locator("li.md-search-result__item article > p").all_inner_texts()
        assert snippets, query
        for text in snippets:
            assert "Part of this record is not taken from a source" not in text, (query, text)
            assert "Illustrative" not in text.split()[:2], (query, text)
            for glued in ("StatusOn", "StatusAt", "ThemeTackling", "OwnerSenior", "Next review"):
                assert glued not in text, (query, text)


@pytest.mark.browser
def test_a_result_opens_by_keyboard_with_the_words_highlighted(browser, base_url):
    context = browser.new_context()
    page = context.new_page()
    page.goto(base_url + "about/")
    page.keyboard.press("/")
    assert result_pages(page, "return interview")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")
    page.wait_for_url("**/?h=*")
    page.locator("article mark").first.wait_for()  # the theme marks the words once the page has loaded
    assert page.locator("article mark").count() > 0
    context.close()


# --- how the index is made --------------------------------------------------------------


def test_pages_are_weighted_by_their_kind_from_the_records_traits(site):
    index = index_of(site)
    kind = {doc["location"]: doc["kind"] for doc in index["docs"] if "kind" in doc}
    assert kind["policies/missing-children/"] == kind["foster-carers/missing/"] == kind["cse-toolkit/"] == "procedure"
    assert kind["cse-toolkit/levels/"] == kind["foster-carers/"] == kind["training/matrix/"] == "guidance"
    assert kind["glossary/"] == kind["plan/"] == "page"
    assert kind["plan/actions/cse-01-audit/"] == kind["plan/sources/ofsted-2012-fostering/"] == "record"
    boost = {doc["location"]: doc["boost"] for doc in index["docs"]}
    assert boost["policies/missing-children/"] > boost["cse-toolkit/levels/"] > boost["plan/"] \
        > boost["plan/actions/cse-01-audit/"]


def test_notices_and_boxes_every_page_carries_are_not_indexed(site):
    text = " ".join(doc["text"] for doc in docs_at(index_of(site), "plan/actions/cse-03-mandatory-training/"))
    assert "Part of this record is not taken from a source" not in text
    assert "Status: At risk" in text and "Theme: Tackling child sexual exploitation." in text
    policy = " ".join(doc["text"] for doc in docs_at(index_of(site), "policies/missing-children/"))
    assert "Last reviewed" not in policy and "return interview" in policy


def test_a_listing_contributes_its_headings_not_its_rows():
    html = """<h1>All actions</h1><p>Every action, by theme.</p>
    <h2 id="cse">Tackling CSE</h2><ul><li><a href="../a/">First action</a>: on track</li>
    <li><a href="../b/">Second action</a>: on track. <p>A long progress note about the second action.</p></li></ul>
    <h2 id="contacts">Numbers</h2><ul><li><a href="tel:999">Emergency: 999</a> when a child is in danger</li></ul>
    <h2 id="due">Due soon</h2><table><caption>Actions due soon</caption><tr><th>Action</th><th>Owner</th></tr>
    <tr><td><a href="../c/">Third</a></td><td>Senior manager, 31 December 2015, on track</td></tr></table>"""
    title, sections = read_sections(html)
    assert title == "All actions"
    assert [(s.title, s.text) for s in sections] == [
        ("", "Every action, by theme."), ("Tackling CSE", ""), ("Numbers", "Emergency: 999 when a child is in danger."),
        ("Due soon", "Actions due soon. Action; Owner;")]


def test_the_list_of_all_actions_indexes_its_themes_not_every_action(site):
    listing = docs_at(index_of(site), "plan/actions/")
    text = " ".join(f"{doc['title']} {doc['text']}" for doc in listing)
    assert "Tackling child sexual exploitation" in text  # a theme heading
    assert "Recruit additional Independent Reviewing Officers" not in text  # an action's title: on its own page
    assert any("Recruit additional Independent Reviewing Officers" in doc["title"]
               for doc in docs_at(index_of(site), "plan/actions/wc-02-iro-recruitment/"))


def test_a_long_table_contributes_its_caption_and_header_not_its_rows():
    rows = "".join(f"<tr><td>Record {n}</td><td>assumed</td></tr>" for n in range(30))
    _, sections = read_sections(f"<table><caption>Records</caption><thead><tr><th>Record</th><th>What</th></tr></thead>"
                                f"<tbody>{rows}</tbody></table><p>After.</p>")
    assert sections[0].text == "Records. Record; What; After."
    _, sections = read_sections("<table><tr><th>Service</th><th>Number</th></tr>"
                                "<tr><td>Police</td><td>101</td></tr></table>")
    assert sections[0].text == "Service; Number; Police; 101;"


def test_definition_lists_read_as_labelled_sentences():
    _, sections = read_sections("<dl><dt>Status</dt><dd>On track</dd><dt>Owner</dt><dd>Senior manager</dd></dl>")
    assert sections[0].text == "Status: On track. Owner: Senior manager."


def test_synonyms_come_from_the_glossary_at_build_time(tmp_path):
    project = make_project(tmp_path / "project")
    glossary = project / "data" / "glossary.yml"
    entries = yaml.safe_load(glossary.read_text(encoding="utf-8"))
    entries.append({"id": "fc", "term": "FC", "stands_for": "Fostering inspection",
                    "definition": "A made-up term for this test.", "cites": list(entries[0]["cites"])})  # no YAML alias
    glossary.write_text(yaml.safe_dump(entries, sort_keys=False), encoding="utf-8")
    index = index_of(build_project(project))
    fostering = docs_at(index, "plan/sources/fostering/")
    assert any("FC" in doc.get("title_synonyms", "") + doc.get("synonyms", "") for doc in fostering)
    assert ["FC", "Fostering inspection"] in [pair[:2] for pair in index["config"]["kb"]["glossary"]]


def test_the_index_works_from_disk_as_a_script_with_the_same_content(site):
    script = (site / "search" / "search_index.js").read_text(encoding="utf-8")
    assert script.startswith("var __index = ") and "</script" not in script
    assert json.loads(script.removeprefix("var __index = ").rstrip().removesuffix(";")) == index_of(site)


@pytest.mark.parametrize("piece", [1, 2, 3, 7, 1 << 20])
def test_the_index_written_a_piece_at_a_time_is_the_index_as_one_string(tmp_path, monkeypatch, piece):
    from plugins.search import index

    monkeypatch.setattr(index, "PIECE", piece)
    text = '{"a":"x</script>y<","b":"<</<//</","c":"\\u00e9 </"}' * 3
    index._write_pieces(tmp_path / "one.json", text)
    index._write_pieces(tmp_path / "one.js", text, before="var __index = ", after=";\n", script=True)
    assert (tmp_path / "one.json").read_text(encoding="utf-8") == text
    escaped = text.replace("</", "<\\/")
    assert (tmp_path / "one.js").read_text(encoding="utf-8") == "var __index = " + escaped + ";\n"


@pytest.mark.parametrize("name", sorted(VENDORED))
def test_vendored_scripts_are_the_npm_packages_pinned_in_the_lock_file(name):
    lock = json.loads((ROOT / "package-lock.json").read_text(encoding="utf-8"))
    source, version = VENDORED[name]
    package = source.split("/")[0]
    assert lock["packages"][f"node_modules/{package}"]["version"] == version
    assert (STATIC / name).read_bytes() == (ROOT / "node_modules" / source).read_bytes(), \
        f"plugins/search/static/{name} differs from node_modules/{source}: copy it again"


# --- the index the build makes is the one MiniSearch would make in the browser --------------------------

# The worker's records as it made them before the build indexed the pages, and MiniSearch indexing them:
# the oracle the build's index (plugins/search/prebuilt.py) is compared with, in Chromium.
INDEX_IN_THE_BROWSER = """({ config, docs }) => {
  const pages = new Map()
  for (const doc of docs) {
    const [path] = doc.location.split("#")
    if (!doc.location.includes("#")) pages.set(path, { ...doc, sections: [] })
    else if (pages.has(path)) pages.get(path).sections.push(doc)
  }
  const joined = (docs, field) => docs.map(doc => doc[field] || "").join("\\n")
  const records = [...pages.values()].map((page, id) => ({
    id, title: `${page.title}\\n${page.title_synonyms || ""}`,
    headings: `${joined(page.sections, "title")}\\n${joined(page.sections, "title_synonyms")}`,
    text: joined([page, ...page.sections], "text"), synonyms: joined([page, ...page.sections], "synonyms"),
    audience: page.audience || "" }))
  const made = new MiniSearch({ fields: FIELDS, storeFields: [], processTerm: indexTerms })
  made.addAll(records)
  const forms = new Map()
  for (const r of records)
    for (const word of words(`${r.title} ${r.headings} ${r.text}`)) forms.set(word, (forms.get(word) || 0) + 1)
  const options = { fields: FIELDS, storeFields: [], processTerm: indexTerms }
  const prebuilt = indexFrom(config.minisearch.pages)
  const loaded = MiniSearch.loadJS(prebuilt.index, options)
  return { made: JSON.stringify(made), loaded: JSON.stringify(loaded),
           forms: JSON.stringify([...forms]), prebuiltForms: JSON.stringify([...prebuilt.forms]),
           terms: made.termCount }
}"""


def _index_in_chromium(browser, index: dict) -> dict:
    from plugins.search.hooks import worker_script

    context = browser.new_context()
    try:
        page = context.new_page()
        page.set_content("<!doctype html><title>index</title>")
        page.add_script_tag(content=worker_script())
        return page.evaluate(INDEX_IN_THE_BROWSER, index)
    finally:
        context.close()


def _same_as_minisearch_makes(browser, index: dict) -> int:
    found = _index_in_chromium(browser, index)
    assert found["loaded"] == found["made"], "the build's index differs from the one MiniSearch makes"
    assert found["prebuiltForms"] == found["forms"]
    return found["terms"]


def test_the_built_index_is_the_one_minisearch_makes_in_the_browser(browser, site):
    assert _same_as_minisearch_makes(browser, index_of(site)) > 1000


def test_awkward_text_is_cut_and_stemmed_as_the_browser_does(browser):
    from types import SimpleNamespace

    from plugins.search.index import SearchIndex, Synonyms
    from plugins.search.prebuilt import page_fields, page_terms

    texts = [
        "İstanbul ΟΔΟΣ Straße — “quoted” don’t co-operate\tTabbed\u00a0nbsp\u2028line 😀😀ing 𝒳s",
        "...leading and trailing!!! a I x 7 2024-25 £5 $10 <b> hopped hoping studies classes bus is ss",
        "", "__proto__ constructor toString hasOwnProperty\r\nwindows\rbreaks", "Child child CHILD children’s children",
        "\u3000ideographic\u3001comma\u0f0dtibetan 𐄀aegean",
    ]
    index = SearchIndex.__new__(SearchIndex)
    index.pages, index.order, index.synonyms, index.kb = {}, [], Synonyms([]), SimpleNamespace(has=lambda _: False)
    docs = []
    for number, text in enumerate(texts):
        page = [{"location": f"p{number}/", "title": text[:20] or "Empty", "text": text, "kind": "page"},
                {"location": f"p{number}/#s", "title": text[::-1], "text": text.upper(), "synonyms": "x y",
                 "title_synonyms": "z"}]
        index.add_indexed(src=f"p{number}.md", location=f"p{number}/",
                          entry=[page[0]["title"], "", json.dumps(page_terms(page_fields(page[0], page[1:])))])
        docs += page
    data = {"config": {"minisearch": json.loads(index.text())["config"]["minisearch"]}, "docs": docs}
    assert _same_as_minisearch_makes(browser, data) > 20


def test_the_cut_between_words_is_every_space_and_punctuation_character_there_is():
    import sys
    import unicodedata

    from plugins.search.prebuilt import LAST_PUNCTUATION_PLANE_END, pieces

    beyond = [code for code in range(LAST_PUNCTUATION_PLANE_END, sys.maxunicode + 1)
              if unicodedata.category(chr(code))[0] in "ZP"]
    assert beyond == []
    assert pieces("a\u2014b\u00a0c\td") == ["a", "b", "c\td"]  # a tab is a control character, not a space
    assert pieces("(a)") == ["a", ""] and pieces("") == [""]
