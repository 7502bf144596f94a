"""The knowledge layer generates; the engine renders.

Everything the site holds that comes from data/ and docs/ is made here, with no
site engine in sight: the checked data, the pages plugins generate, the macros'
HTML on hand-written pages (through the sandbox, plugins/core/handwritten.py),
the files written beside the pages (exports, feeds), and the passes over each
page's finished HTML (`prepare_page_html`: review boxes, the provenance legend,
glossary explanations, What's new's "Updated"), with what a page says about
itself (the print header, the editors' note of where it comes from).

An engine adapter hands the core what only the engine knows (the pages of
docs/, each page's HTML after Markdown) and puts what the core returns where
its theme wants it:

- MkDocs calls back page by page (hooks/): `start` in `on_config`, the generated
  pages in `on_files`, `page_markdown` from the macros module, `finish_page` in
  `on_page_content`, the notes in `on_page_context`, the site files after the build.
- Zensical cannot call back into Python: plugins/core/zensical.py writes what
  the core generates into a staging project, lets Zensical render it, then runs
  the same `finish_page` over every page Zensical built.
"""

from __future__ import annotations

import re
import secrets
from pathlib import Path

import yaml
from markdown.util import BLOCK_LEVEL_ELEMENTS
from markupsafe import Markup

from plugins.core import editions, site
from plugins.core.content import FRONT_MATTER, read_pages, relative
from plugins.core.handwritten import PageMacros, check_pages, output_problems
from plugins.core.manager import get_plugin_manager
from plugins.core.problems import DataError, Problem
from plugins.core.render import iso_date, long_date, render
from plugins.core.settings import Settings


class GenerationError(Exception):
    """The site cannot be generated: the message lists every problem, one a line, without a traceback."""


def start(settings: Settings, docs_dir: Path, *, use_directory_urls: bool = True) -> site.Build:
    """Load and check data/ and the hand-written pages, and start the build every adapter shares.

    A data problem stops here with every data and page problem at once; a page
    problem is kept in `build.page_problems`, so broken links found later by the
    engine are reported in the same run.
    """
    try:
        build = site.start(site.Build.load(settings, use_directory_urls=use_directory_urls))
    except DataError as error:
        pages = check_pages(get_plugin_manager(settings.plugins), settings, docs_dir).all
        raise GenerationError(f"the data in {settings.data_dir} is not valid:\n{DataError(error.problems + pages)}") \
            from None
    except (ImportError, SyntaxError, ValueError) as error:  # a plugin named in KB_PLUGINS, or two that clash
        raise GenerationError(f"the plugins cannot be loaded: {error}") from None
    pages = check_pages(build.pm, settings, docs_dir, PageMacros(build.macros, build.call_macro))
    if pages.unreadable:  # the engine must not read these files at all: stop before it does
        raise GenerationError(f"the pages in {docs_dir} cannot be read safely:\n{DataError(pages.all)}")
    build.page_problems.extend(pages.other)   # reported with every other page problem, at once
    return build


def handwritten_pages(docs_dir: Path, root: Path) -> dict[str, str]:
    """The hand-written pages' Markdown as written, by path under docs/ ('plan/index.md')."""
    pages, _ = read_pages(docs_dir, root)
    prefix = relative(docs_dir, root) + "/"
    return {file.removeprefix(prefix): text for file, text in pages.items() if file.endswith(".md")}


def generated_pages(build: site.Build, chosen: frozenset[str] | None = None) -> dict[str, str]:
    """Each generated page as the Markdown file an engine reads (front matter dumped by YAML, macros off,
    the body HTML from an autoescaping template); a page the edition leaves out (not in `chosen`) is empty."""
    return {path: build.page_source(page) if chosen is None or path in chosen else ""
            for path, page in build.pages.items()}


def generated_bodies(build: site.Build, chosen: frozenset[str] | None = None) -> dict[str, str]:
    """Each generated page's body, for an engine that takes the page's HTML from the core
    (`outline.outline` makes it final) and its front matter as data (`build.page_meta`). A page the edition
    leaves out, or one the engine takes from its last build (`build.keep`, then in `build.kept`), is empty."""
    bodies = {}
    for path, page in build.pages.items():
        if chosen is not None and path not in chosen:
            bodies[path] = ""
        elif build.keep is not None and (anchors := build.keep(page)) is not None:
            build.kept[path] = anchors
            bodies[path] = ""
        else:
            bodies[path] = build.page_body(page)
    return bodies


def nav_pages(nav: list | None) -> set[str]:
    """Every docs path the navigation (mkdocs.yml `nav:`) names, at any depth."""
    found: set[str] = set()
    for item in nav or []:
        value = next(iter(item.values())) if isinstance(item, dict) and len(item) == 1 else item
        if isinstance(value, str):
            found.add(value)
        elif isinstance(value, list):
            found |= nav_pages(value)
    return found


def pages_outside_nav(nav: list | None, handwritten: list[str]) -> list[Problem]:
    """A hand-written page the navigation does not name would be found by no one: one problem for each, in
    editors' words. The navigation is code (mkdocs.yml), which a content push cannot change."""
    named = nav_pages(nav)
    if not named:   # a site with no nav: the engine lists every page itself
        return []
    return [Problem(path, 1, "", "this page is in no menu, so no reader would find it: the menu is set by the "
                                 "maintainers in mkdocs.yml (nav), which a content push cannot change. Ask them to "
                                 "add it, or put its text on a page that is in the menu")
            for path in sorted(handwritten) if path.endswith(".md") and path not in named]


# --- hand-written pages: their macros, in the sandbox ---------------------------------------------


def split_front_matter(source: str) -> tuple[dict, str]:
    """A page's front matter (checked already by the page checks: plain values) and its Markdown."""
    match = FRONT_MATTER.match(source)
    if not match:
        return {}, source
    meta = yaml.load(match.group(1), Loader=yaml.CSafeLoader)
    return (meta if isinstance(meta, dict) else {}), source[match.end():]


def page_markdown(build: site.Build, docs: str, path: str, markdown: str, source: str, meta: dict,
                  stash: dict[str, str] | None = None) -> str:
    """A hand-written page's Markdown with its macros expanded by the sandbox (only calls of registered
    macros, with plain values); `source` is the whole file, so a problem is counted from its first line.
    A page whose front matter says `render_macros: false` is left as it is.

    With `stash`, when every macro call stands alone on its line, each macro's HTML is kept there and the
    Markdown holds a token in its place, which `unstash` swaps back once Markdown has run: a macro listing
    a thousand records is finished HTML, and Markdown would only parse it again (it was a tenth of the
    build)."""
    if meta.get("render_macros") is False:
        return markdown
    build.docs_markdown[path] = markdown   # where a failing macro's line is counted from
    first_line = source.count("\n", 0, len(source) - len(markdown)) + 1 if source.endswith(markdown) else 1
    if stash is not None and not all(MACRO_LINE.match(line) for line in markdown.splitlines() if "{{" in line):
        stash = None   # a macro inside a sentence, heading or table: Markdown must see its HTML
    call = build.call_macro if stash is None else _stashing(build.call_macro, stash)
    macros = PageMacros(build.macros, call)
    text, problems = macros.render(f"{docs}/{path}", path, markdown, first_line)
    # A template error found while rendering; the page checks (`start`) reported the rest already.
    build.page_problems.extend(p for p in problems if p.rule.startswith("macro error"))
    return text


def _stashing(call, stash: dict[str, str]):
    def stashed(*args, **kwargs) -> Markup:
        # Letters and digits, which Markdown leaves as they are; the build's own random part means no
        # page can hold one by chance (and `unstash` only swaps tokens it made).
        token = f"kbmacro{STASH_NONCE}x{len(stash):06d}out"
        stash[token] = str(call(*args, **kwargs))
        return Markup(token)

    return stashed


MACRO_LINE = re.compile(r"^[ \t]*\{\{-?\s*\w+\s*\(.*\)\s*-?\}\}[ \t]*$")
"""A line that is one macro call and nothing else."""
STASH_NONCE = secrets.token_hex(6)
STASHED = re.compile(rf"<p>(kbmacro{STASH_NONCE}x\d{{6}}out)</p>|kbmacro{STASH_NONCE}x\d{{6}}out")
BLOCK_START = re.compile(rf"\s*<(?:{'|'.join(BLOCK_LEVEL_ELEMENTS)})[\s>/]", re.I)


def unstash(html: str, stash: dict[str, str]) -> str:
    """The page's HTML with each macro's HTML back in place of its token, as Markdown would have placed it:
    a macro alone in a paragraph whose HTML starts with a block element stands as a block, anything else
    stays where it was written (`tests/test_outline.py` compares the two ways on every page)."""
    if not stash:
        return html

    def back(match: re.Match) -> str:
        alone = match.group(1)
        if alone is None:
            return stash.get(match.group(0), match.group(0))
        if alone not in stash:
            return match.group(0)
        content = stash[alone]
        return content if BLOCK_START.match(content) else f"<p>{content}</p>"

    return STASHED.sub(back, html)


# --- finished pages ---------------------------------------------------------------------------------


def finish_page(build: site.Build, path: str, html: str, meta: dict, *, docs: str = "docs",
                source: str | None = None, page_url: str | None = None,
                stash: dict[str, str] | None = None) -> tuple[str, list[Problem]]:
    """A page's HTML after Markdown, checked if it is hand-written (`source` given: nothing unsafe may reach
    it another way; the macros' HTML in `stash` is the core's own, from autoescaping templates), with the
    macros' HTML put back, prepared by every plugin (`prepare_page_html`), and, in the public edition,
    with its links to what that edition leaves out reduced to their text."""
    problems = [] if source is None else \
        [Problem(f"{docs}/{path}", 1, "", rule) for rule in output_problems(html, source)]
    html = build.prepare_html(path, unstash(html, stash or {}), meta)
    published = getattr(build, "public_urls", None)
    if published is not None and page_url is not None:
        html = editions.keep_links_inside(html, page_url, published, editions.MOVED)
    return html, problems


def page_sources(build: site.Build, path: str, docs: str = "docs") -> list[str]:
    """The files a page's content comes from: a generated page's data files; a hand-written page's own
    file, then the data files its macros showed. The first is where its edit link points."""
    generated = build.pages.get(path)
    if generated is not None:
        return list(generated.data_files)
    written = editions.PUBLIC_HOME if build.kb.settings.edition == editions.PUBLIC and path == "index.md" else path
    return [f"{docs}/{written}", *sorted(build.page_data_files(path))]


def editors_note(build: site.Build, sources: list[str]) -> Markup:
    """The collapsed note at a page's foot naming the files it comes from (build words, for editors)."""
    return _page_note(build, "sources", sources=tuple(sources))


VERSION = re.compile(r"<dt>\s*Version\s*</dt>\s*<dd>(.*?)</dd>", re.S | re.I)
TAG = re.compile(r"<[^>]+>")


def print_header(build: site.Build, site_name: str, html: str) -> Markup:
    """What a printed page says about itself: the site, its version (read from the page's own facts list,
    `<dt>Version</dt><dd>...</dd>`, as policy pages show it) and the as-at date. Shown only on paper."""
    found = VERSION.search(html or "")
    version = " ".join(TAG.sub("", found.group(1)).split()) if found else ""
    return _page_note(build, "print", site_name=site_name, version=Markup(version))


def _page_note(build: site.Build, part: str, **values: str | tuple[str, ...]) -> Markup:
    """A part of core/page_notes.html, made once a build for each set of values: thousands of pages share the
    few there are (a collection's pages name the same files; most pages have no version)."""
    key = (part, *sorted(values.items()))
    note = build.page_notes.get(key)
    if note is None:
        as_at = build.kb.as_at
        note = build.page_notes[key] = render("core/page_notes.html", None, build.kb, part=part,
                                              as_at=long_date(as_at), as_at_iso=iso_date(as_at), **values)
    return note
