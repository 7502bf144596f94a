"""Hand-written pages are content, not code: their Jinja is limited to the registered macros in a sandbox,
their HTML to simple formatting, their files to real files in the repository."""

from __future__ import annotations

import pytest

from tests.helpers import build_project, make_project, page, run_mkdocs_build
from tests.test_safety import validate


@pytest.fixture
def project(tmp_path):
    return make_project(tmp_path / "project")


def write_page(project, text: str, name: str = "about.md") -> None:
    (project / "docs" / name).write_text(text, encoding="utf-8")


def refused(project) -> list[str]:
    """The problems `kb validate` reports for the project (data and pages), run in this process."""
    return validate(project, expect=1)


HOSTILE_JINJA = [
    "{{ config }}", "{{ config.site_dir }}", "{{ ''.__class__.__mro__[1].__subclasses__() }}",
    "{% include 'mkdocs.yml' %}", "{% import 'x' as y %}", "{{ range(10) }}", "{{ lipsum() }}",
    "{{ glossary() | safe }}", "{% for x in [1] %}x{% endfor %}", "{{ self }}", "{{ macros_info() }}",
    "{{ context() }}", "{{ now() }}", "{{ environment }}", "{{ git }}", "{{ glossary.__globals__ }}",
    "{{ audience_hub(config) }}", "{% set x = 1 %}", "{{ cycler }}", "{{ 7*7 }}",
]


@pytest.mark.parametrize("jinja", HOSTILE_JINJA)
def test_jinja_in_a_page_may_only_call_registered_macros(project, jinja):
    write_page(project, f"# About\n\nSome text.\n\n{jinja}\n")
    [problem] = refused(project)
    assert problem.startswith("docs/about.md:5: "), problem


def test_the_build_itself_refuses_them_and_publishes_nothing_they_would_show(project):
    write_page(project, "# About\n\n{{ config.site_dir }}\n\n{{ ''.__class__ }}\n")
    result = run_mkdocs_build(project)
    assert result.returncode != 0
    assert "docs/about.md:3: only macro calls such as {{ glossary() }} are allowed in pages" in result.stderr
    assert "docs/about.md:5: only macro calls" in result.stderr
    assert "Traceback" not in result.stderr


def test_a_macro_error_names_the_page_and_line_without_a_traceback(project):
    write_page(project, "# About\n\nText.\n\n{{ audience_hub('nobody') }}\n")
    result = run_mkdocs_build(project)
    assert result.returncode != 0
    assert "docs/about.md:5: audience_hub(): audience_hub('nobody'): no such audience" in result.stderr
    assert "Traceback" not in result.stderr


def test_a_misspelt_macro_is_named_with_the_nearest_macro_or_the_macros_there_are(project):
    write_page(project, "---\ntitle: About\n---\n\n# About\n\n{{ glosary() }}\n\n{{ zzzz() }}\n")
    problems = refused(project)
    assert "docs/about.md:7: no macro named 'glosary': did you mean glossary?" in problems
    assert any(p.startswith("docs/about.md:9: no macro named 'zzzz' (the macros are: ") for p in problems)


def test_macro_calls_with_plain_values_still_work(project):
    write_page(project, "# For staff\n\n{{ audience_hub(\"staff\") }}\n\n{# a comment #}\n", "staff/index.md")
    site = build_project(project)
    assert "Start here" in page(site, "staff/")


@pytest.mark.parametrize("html, rule", [
    ("<script>alert(1)</script>", "<script> is not allowed in pages"),
    ('<img src="https://tracker.example/pixel.png" alt="">', "is on another host"),
    ('<img src="//tracker.example/pixel.png" alt="">', "is on another host"),
    ("![chart](https://tracker.example/chart.png)", "is on another host"),
    ("![chart][c]\n\n[c]: http://tracker.example/c.png", "is on another host"),
    ('<a href="javascript:alert(1)">x</a>', "only http, https, mailto and tel links"),
    ("[x](javascript:alert(1))", "only http, https, mailto and tel links"),
    ('<div onclick="alert(1)">x</div>', "the attribute 'onclick' is not allowed"),
    ('<p style="background:url(//tracker.example/x)">x</p>', "the attribute 'style' is not allowed"),
    ('<iframe src="https://example.org"></iframe>', "<iframe> is not allowed"),
    ("<style>body{display:none}</style>", "<style> is not allowed"),
    ("<form action=x><input></form>", "<form> is not allowed"),
    ("A paragraph.\n{: onclick=\"alert(1)\" }", "attribute list sets 'onclick'"),
    ('<svg><script>alert(1)</script></svg>', "<svg> is not allowed"),
])
def test_raw_html_in_a_page_is_refused_at_its_line(project, html, rule):
    write_page(project, f"# About\n\nIntro.\n\n{html}\n")
    problems = refused(project)
    lines = ("docs/about.md:5: ", "docs/about.md:6: ", "docs/about.md:7: ")  # the line the rule is broken on
    assert any(p.startswith(lines) and rule in p for p in problems), problems


def test_simple_html_and_code_examples_are_allowed(project):
    write_page(project, "# About\n\n<details><summary>More</summary>\n\nText with <abbr title=\"Child sexual "
                        "exploitation\">CSE</abbr> and <kbd>Ctrl</kbd>.\n\n</details>\n\n"
                        "```html\n<script>alert('an example, not a script')</script>\n```\n\n"
                        "Inline `<script>` is code too.\n\n![logo](assets/logo.png)\n")
    (project / "docs" / "assets" / "logo.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    site = build_project(project)
    assert "<script>alert" not in page(site, "about/")


def test_symbolic_links_in_pages_and_data_are_refused_with_their_paths(project, tmp_path):
    (tmp_path / "outside").mkdir()
    (tmp_path / "outside" / "secret.md").write_text("# Secret\n")
    (project / "docs" / "passwd.md").symlink_to("/etc/passwd")
    (project / "docs" / "elsewhere").symlink_to(tmp_path / "outside")
    (project / "data" / "glossary.yml").rename(tmp_path / "glossary.yml")
    (project / "data" / "glossary.yml").symlink_to(tmp_path / "glossary.yml")
    problems = refused(project)
    assert any(p.startswith("data/glossary.yml:1: a symbolic link") for p in problems), problems
    assert any(p.startswith("docs/passwd.md:1: a symbolic link") for p in problems), problems
    assert any(p.startswith("docs/elsewhere:1: a symbolic link") for p in problems), problems
    result = run_mkdocs_build(project)
    assert result.returncode != 0 and "Traceback" not in result.stderr


def test_control_characters_in_pages_are_refused_and_never_published(project):
    write_page(project, "# About\n\nText.\n\nEscape \x1b[31m here and a NUL \x00 there.\n")
    problems = refused(project)
    assert "docs/about.md:5: control character U+001B is not allowed in text" in problems
    assert "docs/about.md:5: control character U+0000 is not allowed in text" in problems
    assert run_mkdocs_build(project).returncode != 0


def test_file_names_that_could_break_out_of_a_link_are_refused(project):
    write_page(project, "# Odd\n", name='odd"name.md')
    (project / "data" / "x y.yml").write_text("[]\n")
    problems = refused(project)
    assert any(p.startswith('docs/odd"name.md:1: file and folder names may hold only letters') for p in problems)
    assert any(p.startswith("data/x y.yml:1: file and folder names may hold only letters") for p in problems)


def test_the_edit_button_link_is_quoted(project):
    site = build_project(project, env={"KB_EDIT_URL": "https://git.example/kb/-/edit/main"})
    html = page(site, "about/")
    assert 'href="https://git.example/kb/-/edit/main/docs/about.md"' in html
    generated = page(site, "plan/sources/fostering/")
    assert 'href="https://git.example/kb/-/edit/main/data/sources.yml"' in generated


def test_a_hostile_file_name_in_a_data_folder_never_reaches_the_edit_button(project):
    folder = project / "data" / "glossary"
    folder.mkdir()
    (project / "data" / "glossary.yml").rename(folder / '"><img src=x onerror=alert(1)>.yml')
    result = run_mkdocs_build(project, env={"KB_EDIT_URL": "https://git.example/kb/-/edit/main"})
    assert result.returncode != 0
    assert "file and folder names may hold only letters" in result.stderr
    assert not (project / "site" / "index.html").exists()


@pytest.mark.parametrize("front_matter, rule", [
    ('description: \'x" http-equiv="refresh\'', "description must be one line of plain text"),
    ("template: ../../mkdocs.yml", "'template' is not allowed here"),
    ("author: '<script>'", "'author' is not allowed here"),
    ("hide: [everything]", "hide may list only"),
    ("title: &t Hello\ndescription: *t", "YAML anchors and aliases"),
])
def test_front_matter_is_limited_to_what_a_page_needs(project, front_matter, rule):
    write_page(project, f"---\n{front_matter}\n---\n\n# About\n")
    problems = refused(project)
    assert any(p.startswith("docs/about.md:") and rule in p for p in problems), problems


def test_an_alias_bomb_in_front_matter_stops_the_build_before_mkdocs_reads_the_page(project):
    levels = ["a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    levels += [f"a{n}: &a{n} [{', '.join([f'*a{n - 1}'] * 9)}]" for n in range(1, 10)]
    write_page(project, "---\n" + "\n".join(levels) + "\n---\n\n# About\n")
    result = run_mkdocs_build(project)
    assert result.returncode != 0
    assert "docs/about.md:2: front matter: YAML anchors and aliases" in result.stderr
    assert "lol, lol" not in result.stderr


def test_text_a_page_may_include_is_searched_for_personal_data(project):
    (project / "docs" / "notes.txt").write_text("Call the carer on 07700 900123.\n", encoding="utf-8")
    assert any(p.startswith("docs/notes.txt:1: '07700 900123' looks like a telephone number")
               for p in refused(project))
