"""Editions by classification: the carers' public edition holds only unrestricted content written for foster
carers, and nothing in it points at what was left out; every page's footer states its classification."""

from __future__ import annotations

import json
import posixpath
import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

from plugins.core.editions import leave_out_above
from tests.helpers import ROOT, TINY_DATA, build_project, load, make_project, run_kb

OFFICIAL_TERM = """
- id: zqxw
  term: ZQXW
  stands_for: Zonal quarterly exception workflow
  definition: An internal-only process.
  classification: official
  cites: [report-a]
"""
OFFICIAL_CONTACT = """
- id: internal-duty-line
  name: Internal duty line
  number: 01632 960999
  hours: office hours
  use_for: Managers only.
  classification: official
  cites: [report-a]
"""


@pytest.fixture(scope="module")
def editions(tmp_path_factory):
    """The tiny site with an official glossary term and contact, built as the official internal edition and
    as the public edition (with `kb build --edition public`)."""
    project = make_project(tmp_path_factory.mktemp("editions") / "project")
    with open(project / "data" / "glossary.yml", "a", encoding="utf-8") as out:
        out.write(OFFICIAL_TERM)
    with open(project / "data" / "contacts.yml", "a", encoding="utf-8") as out:
        out.write(OFFICIAL_CONTACT)
    internal = build_project(project, project / "internal", env={"KB_CLASSIFICATION": "official"})
    result = run_kb("build", "--edition", "public", "-d", "public", cwd=project,
                    env={"KB_CLASSIFICATION": "official"})
    assert result.returncode == 0, result.stderr
    return internal, project / "public"


def pages(site: Path) -> set[str]:
    return {p.relative_to(site).parent.as_posix() for p in site.rglob("index.html")}


def test_the_public_edition_holds_only_what_is_written_for_foster_carers(editions):
    internal, public = editions
    assert pages(public) == {".", "foster-carers/missing", "glossary", "organisation", "cse-toolkit",
                             "cse-toolkit/checklist", "cse-toolkit/levels", "cse-toolkit/pathway",
                             *{p for p in pages(internal) if p.startswith("cse-toolkit/signs/")}}
    assert pages(public) < pages(internal)
    assert not (public / "data").exists()  # no exports: each is made for staff or managers
    home = (public / "index.html").read_text(encoding="utf-8")
    assert "<h1" in home and "For foster carers" in home


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.links += [value for name, value in attrs if name in ("href", "src") and value]


def broken_links(site: Path) -> list[tuple[str, str]]:
    broken = []
    for path in site.rglob("*.html"):
        parser = _Links()
        parser.feed(path.read_text(encoding="utf-8"))
        here = path.relative_to(site).parent.as_posix()
        for link in parser.links:
            parts = urlsplit(link)
            if parts.scheme or parts.netloc or not parts.path:
                continue
            target = posixpath.normpath(parts.path.lstrip("/") if parts.path.startswith("/")
                                        else posixpath.join(here, unquote(parts.path)))
            file = site / target
            if not (file.is_file() or (file / "index.html").is_file()):
                broken.append((str(path.relative_to(site)), link))
    index = json.loads((site / "search" / "search_index.json").read_text(encoding="utf-8"))
    for entry in index["docs"]:
        location = entry["location"].split("#")[0]
        if not (site / location / "index.html").is_file() and not (site / location).is_file():
            broken.append(("search index", entry["location"]))
    return broken


def test_nothing_in_the_public_edition_points_at_what_was_left_out(editions):
    internal, public = editions
    assert broken_links(public) == []
    assert broken_links(internal) == []
    index = json.loads((public / "search" / "search_index.json").read_text(encoding="utf-8"))
    sections = {e["location"].split("#")[0].split("/")[0] for e in index["docs"]}
    assert sections <= {"", "foster-carers", "glossary", "organisation", "cse-toolkit"}
    nav = re.findall(r'<a href="([^"]*)" class="md-nav__link', (public / "index.html").read_text())
    assert nav and set(nav) <= {".", "cse-toolkit/", "organisation/", "glossary/"}, nav


@pytest.mark.parametrize("directory_urls", ["true", "false"], ids=["served", "offline"])
def test_the_public_edition_of_the_real_content_builds_with_nothing_pointing_outside_it(tmp_path, directory_urls):
    """As published, and as the offline copy handed to carers (make offline EDITION=public)."""
    project = make_project(tmp_path / "project", data=ROOT / "data")
    result = run_kb("build", "--edition", "public", "-d", "public", cwd=project,
                    env={"KB_DIRECTORY_URLS": directory_urls})
    assert result.returncode == 0, result.stderr
    public = project / "public"
    assert broken_links(public) == []
    built = {p.relative_to(public).with_suffix("").as_posix().removesuffix("/index") for p in public.rglob("*.html")}
    assert {"foster-carers/missing", "foster-carers/cse-signs", "organisation", "glossary"} <= built
    assert not (public / "data").exists()


def test_records_above_unrestricted_are_in_the_official_edition_and_nowhere_in_the_public_one(editions):
    internal, public = editions
    everything = lambda site: "".join(p.read_text(encoding="utf-8", errors="replace")  # noqa: E731
                                      for p in site.rglob("*") if p.is_file() and p.suffix in (".html", ".json", ".xml"))
    assert "ZQXW" in everything(internal) and "Internal duty line" in everything(internal)
    assert "ZQXW" not in everything(public) and "Internal duty line" not in everything(public)
    assert "01632 960999" not in everything(public)


def test_every_page_footer_states_its_classification(editions, tiny_site):
    internal, public = editions
    for site, marking in ((internal, "Classification: OFFICIAL. Internal knowledge base."),
                          (public, "Public edition: unrestricted."),
                          (tiny_site, "Classification: unrestricted. Internal knowledge base.")):
        for path in site.rglob("*.html"):
            assert marking in path.read_text(encoding="utf-8"), (path, marking)


def test_an_official_sensitive_build_says_so_in_every_footer(tmp_path):
    project = make_project(tmp_path / "project")
    site = build_project(project, env={"KB_CLASSIFICATION": "official-sensitive"})
    assert all("Classification: OFFICIAL-SENSITIVE." in p.read_text(encoding="utf-8") for p in site.rglob("*.html"))


def test_a_record_that_names_a_left_out_record_is_left_out_with_it(tmp_path):
    kb = load(TINY_DATA, classification="official")
    scs = kb.records["services"]["scs"]
    kb.records["services"]["scs"] = scs.model_copy(update={"classification": "official"})
    leave_out_above(kb, "unrestricted")
    assert "scs" not in kb.records["services"]
    assert "social-worker" not in kb.records["roles"]  # its service is left out, so it is too
    assert "foster-carer" in kb.records["roles"]


def test_a_bad_edition_or_classification_is_one_line(tmp_path):
    project = make_project(tmp_path / "project")
    for env in ({"KB_EDITION": "secret"}, {"KB_CLASSIFICATION": "top-secret"}):
        result = run_kb("build", "-d", "site", cwd=project, env=env)
        assert result.returncode == 1 and len(result.stderr.strip().splitlines()) == 1, result.stderr
        assert "Traceback" not in result.stderr
