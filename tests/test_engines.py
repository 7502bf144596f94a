"""Engine independence: the same tree builds on MkDocs and on Zensical, generated pages included, with the same
pages, titles, text and links, and the same strictness (plugins/core/generate.py, plugins/core/zensical.py).

Zensical lives in its own environment (`make zensical`, which `make test` runs): these tests fail, never skip,
when it is missing, and say how to install it.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path
from urllib.parse import urljoin

import pytest

from plugins.core import zensical
from plugins.core.pages import PageContext
from plugins.core.settings import Settings
from tests.helpers import ROOT, article_text, edit, make_project, page, read_html, run_kb

PAYLOAD = "{{ 7*7 }} <script>x()</script>"
SITE_NAME = "Kent children's services knowledge base"


@pytest.fixture(scope="session")
def program() -> str:
    found = zensical.find(Settings.from_environment(ROOT))
    if found is None:
        pytest.fail(f"{zensical.INSTALL} (make test does this)")
    return str(found)


def build_with_zensical(project: Path, program: str, *args: str, env: dict[str, str] | None = None):
    return run_kb("build", "--engine", "zensical", *args, cwd=project, env={"KB_ZENSICAL": program, **(env or {})})


@pytest.fixture(scope="session")
def tiny_zensical_site(tmp_path_factory, program) -> Path:
    """The tiny site built once with `kb build --engine zensical`, as an editor would."""
    project = make_project(tmp_path_factory.mktemp("tiny-zensical") / "project")
    result = build_with_zensical(project, program)
    assert result.returncode == 0, f"{result.stdout}\n{result.stderr}"
    assert result.stderr == "", result.stderr
    assert "with Zensical" in result.stdout
    return project / "site"


@pytest.fixture
def project(tmp_path) -> Path:
    return make_project(tmp_path / "project")


def pages_of(site: Path) -> dict[str, str]:
    site = site.resolve()
    return {p.relative_to(site).as_posix(): p.read_text(encoding="utf-8") for p in site.rglob("*.html")}


def title(html: str) -> str:
    return re.search(r"<title>(.*?)</title>", html, re.S).group(1).strip()


def article_links(html: str, path: str) -> list[str]:
    """Where the links of a page's article lead, resolved against the page's address: engines may write the
    same link differently ('./' and '' both lead to the page itself)."""
    article = html[html.find("<article"):html.rfind("</article>")]
    base = "http://site/" + path.removesuffix("index.html")
    return [urljoin(base, href) for tag, attrs in read_html(article).tags if tag == "a"
            for href in [attrs.get("href")] if href is not None]


# --- the same site, both ways -----------------------------------------------------------------------------------


def test_both_engines_build_the_same_pages_with_the_same_titles_text_and_links(tiny_site, tiny_zensical_site):
    mkdocs, zensical_pages = pages_of(tiny_site), pages_of(tiny_zensical_site)
    assert sorted(zensical_pages) == sorted(mkdocs)
    assert len(mkdocs) > 40   # generated pages included: plan, policies, toolkit, training, hubs, what's new
    for path, html in mkdocs.items():
        other = zensical_pages[path]
        if path == "index.html":   # Material leaves the page's name out of the home page's title (README, Engines)
            assert (title(html), title(other)) == (SITE_NAME, f"Home - {SITE_NAME}")
        else:
            assert title(other) == title(html), path
        assert article_text(other) == article_text(html), path
        assert article_links(other, path) == article_links(html, path), path


def test_the_zensical_site_is_finished_by_the_same_html_pass_as_mkdocs(tiny_zensical_site):
    toolkit = page(tiny_zensical_site, "cse-toolkit")
    assert 'class="kb-review kb-review--' in toolkit                      # reviews: owner and review dates
    assert '<a class="kb-term" href="../glossary/#term-cse"' in toolkit   # glossary: first use links to the entry
    assert 'class="kb-print-header"' in toolkit and 'class="kb-page-source"' in toolkit
    assert "<code>data/cse-toolkit.yml</code>" in toolkit
    assert "kb-provenance-legend" in page(tiny_zensical_site, "plan/indicators")   # provenance: the legend
    assert 'class="kb-updated"' in page(tiny_zensical_site, "plan/actions/act-training")   # What's new: "Updated"
    assert re.search(r'<link rel="alternate" type="application/atom\+xml" title="[^"]+" href="\.\./whats-new/all\.xml">',
                     toolkit)
    assert "<!-- kb:page -->" not in toolkit and "render_macros" not in toolkit


def test_a_zensical_build_is_published_like_any_build(tiny_zensical_site):
    site = tiny_zensical_site
    assert site.is_symlink() and os.readlink(site).startswith("site.releases/")
    for written in ("data/plan.json", "data/actions.csv", "whats-new/all.xml", "sitemap.xml.gz"):
        assert (site / written).is_file(), written
    assert not list(site.parent.glob("site.releases/.*zensical*"))   # the staging project is gone


def test_the_zensical_site_loads_nothing_from_another_host(tiny_zensical_site):
    for path, html in pages_of(tiny_zensical_site).items():
        for tag, attrs in read_html(html).tags:
            source = attrs.get("src") or (attrs.get("href") if tag == "link" else None) or ""
            assert not re.match(r"^(https?:)?//", source), (path, tag, source)


def test_data_is_never_a_template_on_the_zensical_path(project, program):
    data = project / "data"
    edit(data / "sources.yml", "summary: The fostering service was inspected.", f'summary: "{PAYLOAD}"')
    edit(data / "glossary.yml", "definition: Social care.", f'definition: "{PAYLOAD}"')
    edit(data / "contacts.yml", "use_for: Immediate danger.", f'use_for: "{PAYLOAD}"')
    edit(data / "sources.yml", "title: Fostering inspection", "title: '{{ 7*7 }} & Fostering'")
    result = build_with_zensical(project, program)
    assert result.returncode == 0, result.stderr
    fostering = page(project / "site", "plan/sources/fostering")
    assert "<title>&#123;&#123; 7*7 &#125;&#125; &amp; Fostering - " in fostering
    assert "<h1>&#123;&#123; 7*7 &#125;&#125; &amp; Fostering</h1>" in fostering
    for url in ["plan/sources/fostering", "glossary", ""]:
        html = page(project / "site", url)
        assert not any("x()" in script for script in read_html(html).scripts), url
        text = article_text(html)
        assert PAYLOAD in text and "49" not in text, url


# --- strict on both paths ---------------------------------------------------------------------------------------


def test_bad_data_is_refused_on_the_zensical_path_with_file_and_line(project, program):
    edit(project / "data" / "sources.yml", "published: 2012-07-31", "published: 2012-07-32")
    edit(project / "data" / "roles.yml", "service: scs", "service: nobody")
    out = project / "out"
    # The Zensical path itself (what `kb build --engine zensical` runs in its child process) ...
    child = subprocess.run([sys.executable, "-m", "plugins.core.zensical", "-d", str(out)], cwd=project,
                           capture_output=True, text=True, env={**os.environ, "KB_ZENSICAL": program})
    # ... and the command an editor runs.
    command = build_with_zensical(project, program)
    for result in (child, command):
        assert result.returncode == 1 and "Traceback" not in result.stderr
        assert "data/sources.yml:5: source fostering: published: '2012-07-32' is not a real date" in result.stderr
        assert "data/roles.yml:4: role social-worker: service: unknown service 'nobody'" in result.stderr
    assert not (out / "index.html").exists() and not (project / "site").exists()


def test_page_problems_and_broken_links_are_refused_on_the_zensical_path_all_at_once(project, program):
    (project / "docs" / "about.md").write_text(
        "# About\n\n{{ glossary() }}\n\nSee [the plan](plan/missing.md) and [a term](glossary/index.md#no-term).\n\n"
        "{{ glosary() }}\n\nChild A, Jane Smith, aged 14, went missing.\n", encoding="utf-8")
    (project / "docs" / "staff" / "note.md").write_text("# A note\n\nText.\n", encoding="utf-8")
    result = build_with_zensical(project, program)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    problems = result.stderr.splitlines()
    assert "docs/about.md:5: link 'plan/missing.md': the page it points at does not exist" in problems
    assert "docs/about.md:5: link 'glossary/index.md#no-term': the page it points at has no heading or anchor " \
           "'no-term'" in problems
    assert "docs/about.md:7: no macro named 'glosary': did you mean glossary?" in problems
    assert any(p.startswith("docs/about.md:9: 'Child A, Jane Smith' looks like a person's name") for p in problems)
    assert any(p.startswith("docs/staff/note.md:1: this page is in no menu") for p in problems)
    assert "build failed: site was left as it was" in problems
    assert not (project / "site").exists()


def test_kb_build_says_in_one_line_how_to_install_zensical_when_it_is_missing(project):
    named = run_kb("build", "--engine", "zensical", cwd=project, env={"KB_ZENSICAL": str(project / "nothing")})
    assert named.returncode == 1 and named.stdout == ""
    assert named.stderr == f"kb build: KB_ZENSICAL={project / 'nothing'} is not a program that can be run. " \
                           f"{zensical.INSTALL}\n"
    environment = {key: value for key, value in os.environ.items() if key != "KB_ZENSICAL"}
    unnamed = subprocess.run([sys.executable, "-m", "plugins.core.cli", "build", "--engine", "zensical"], cwd=project,
                             capture_output=True, text=True, env={**environment, "PATH": "/usr/bin:/bin"})
    assert unnamed.returncode == 1 and unnamed.stderr == f"kb build: {zensical.INSTALL}\n"
    assert "make zensical" in zensical.INSTALL and "KB_ZENSICAL" in zensical.INSTALL


def test_the_public_edition_is_refused_on_zensical_in_one_line(project, program):
    result = build_with_zensical(project, program, "--edition", "public", "-d", "public")
    assert result.returncode == 1
    assert result.stderr == "kb build: the carers' public edition is built with MkDocs only: build it without " \
                            "--engine zensical\n"


# --- the macros module under Zensical -------------------------------------------------------------------------

ZENSICAL_MACROS = """
import sys, markdown
from pathlib import Path
from zensical.extensions.context import ContextExtension, Page
from zensical.extensions.macros import MacrosExtension

path = sys.argv[1]
body = Path("docs", path).read_text(encoding="utf-8").split("---\\n", 2)[-1]
page = Page(url=path, path=path, meta={})
md = markdown.Markdown(extensions=[
    ContextExtension(page=page, config={"root_dir": str(Path.cwd()), "docs_dir": "docs"}),
    MacrosExtension(module_name="hooks/macros", on_error_fail=True, on_undefined="strict")])
try:
    print(md.convert(body))
except ValueError as error:
    print(f"refused: {error}")
"""


def zensical_renders(project: Path, program: str, path: str) -> str:
    """A page rendered by Zensical's own mkdocs-macros (its Markdown extension), with no MkDocs hook: the
    program's environment, given this project's code and dependencies."""
    ours = Path(sys.executable).parent.parent / "lib" / f"python{sys.version_info[0]}.{sys.version_info[1]}"
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT), str(ours / "site-packages")])}
    result = subprocess.run([str(Path(program).parent / "python"), "-c", ZENSICAL_MACROS, path], cwd=project,
                            capture_output=True, text=True, env=env)
    assert result.returncode == 0, result.stderr
    return result.stdout


def test_define_env_under_zensical_starts_the_build_and_gives_a_page_only_the_registered_macros(project, program):
    glossary = zensical_renders(project, program, "glossary/index.md")
    assert '<dt id="term-cse"><dfn><abbr title="Child sexual exploitation">CSE</abbr></dfn>' in glossary
    (project / "docs" / "about.md").write_text("---\ntitle: About\n---\n\n# About\n\n{{ config.site_name }}\n",
                                               encoding="utf-8")
    refused = zensical_renders(project, program, "about.md")
    assert refused.strip() == "refused: docs/about.md:7: only macro calls such as {{ glossary() }} are allowed in " \
                              "pages: no variables, attributes or filters"


# --- the parts, without an engine --------------------------------------------------------------------------------


def test_the_staging_configuration_has_nothing_to_call_back_into(monkeypatch):
    monkeypatch.setenv("KB_DIRECTORY_URLS", "false")
    config = zensical.read_config(ROOT / "mkdocs.yml")
    staged = zensical.staging_config(config, Settings.from_environment(ROOT, environ={}))
    assert config["use_directory_urls"] is False and staged["use_directory_urls"] is False
    assert "hooks" not in staged and "plugins" not in staged and "custom_dir" not in staged["theme"]
    assert staged["docs_dir"] == "docs" and staged["strict"] is True
    assert staged["markdown_extensions"] == config["markdown_extensions"]
    assert staged["nav"] == config["nav"] and staged["validation"] == config["validation"]
    assert staged["copyright"].endswith("Classification: unrestricted. Internal knowledge base.")


def test_links_for_zensical_name_the_page_file_relative_to_the_page_file():
    pages = frozenset({"cse-toolkit/signs/missing.md", "cse-toolkit/signs/vulnerability.md", "about.md", "index.md"})
    for_mkdocs = PageContext("cse-toolkit/signs/missing.md", pages)
    for_zensical = PageContext("cse-toolkit/signs/missing.md", pages, links_from_source=True)
    assert for_mkdocs.url("cse-toolkit/signs/vulnerability.md") == "../vulnerability/"
    assert for_zensical.url("cse-toolkit/signs/vulnerability.md") == "vulnerability.md"
    assert for_mkdocs.url("about.md", "ref-a") == "../../../about/#ref-a"
    assert for_zensical.url("about.md", "ref-a") == "../../about.md#ref-a"
    assert for_zensical.url("cse-toolkit/signs/missing.md", "top") == "#top"
