"""MkDocs hooks: load and check data/ and the hand-written pages once per build, add the pages plugins
generate, and shape the edition.

Listed in mkdocs.yml under `hooks:`. The data is loaded in `on_config` (first,
before mkdocs-macros builds its environment, so macros can be exposed). A data
problem stops the build at once, listing every data and page problem; a page
problem is logged and the build goes on, so that broken links are reported in
the same run (the strict build then fails).
"""

from __future__ import annotations

import logging
from pathlib import Path
from urllib.parse import quote

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.livereload import LiveReloadServer
from mkdocs.plugins import event_priority
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.pages import Page
from mkdocs.structure.toc import get_toc

from plugins.core import ahead, editions, generate, site
from plugins.core.outline import Permalinks, outline
from plugins.core.pages import LinkError
from plugins.core.problems import DataError
from plugins.core.publish import reproducible_sitemap
from plugins.core.settings import Settings, SettingsError

log = logging.getLogger("mkdocs.plugins.kb")


def _root(config: MkDocsConfig) -> Path:
    return Path(config.config_file_path).resolve().parent


@event_priority(100)
def on_config(config: MkDocsConfig) -> MkDocsConfig:
    try:
        settings = Settings.from_environment(_root(config))
        generate.start(settings, Path(config.docs_dir), use_directory_urls=config.use_directory_urls)
    except (SettingsError, generate.GenerationError) as error:
        raise PluginError(str(error)) from None
    config.copyright = editions.footer(settings.edition, settings.classification)
    return config


def on_files(files: Files, *, config: MkDocsConfig) -> Files:
    build = site.current()
    try:
        docs = files.documentation_pages()
        build.know_pages([f.src_uri for f in docs], {f.src_uri: f.content_string for f in docs})
        build.kb.forget_lines()   # the data's last check (links to pages) has run
        outside = generate.pages_outside_nav(config.nav, [f.src_uri for f in docs])
        build.page_problems.extend(outside)   # said in editors' words, with the pages' other problems
        unlisted = {problem.file for problem in outside}
        for file in docs:
            if file.src_uri in unlisted:
                file.inclusion = InclusionLevel.NOT_IN_NAV   # instead of MkDocs' own warning
        public = build.kb.settings.edition == editions.PUBLIC
        chosen = editions.public_pages(build.kb, [f.src_uri for f in docs] + list(build.pages)) if public else None
        if build.keep is not None and build.last_build and ahead.wanted():
            # What is made whatever changed, by a second process, while this one finds what it can take.
            build.ahead = ahead.start(build, [(f.src_uri, f.content_string) for f in docs])
        # A page the public edition leaves out is never rendered: it could link to exports that edition lacks.
        bodies = generate.generated_bodies(build, chosen)
        for page in build.pages.values():
            # Kept out of the navigation: every page renders the whole nav, so listing
            # thousands of records there would make the build quadratic.
            inclusion = InclusionLevel.UNDEFINED if page.in_nav else InclusionLevel.NOT_IN_NAV
            file = File.generated(config, page.path, content=bodies[page.path], inclusion=inclusion)
            file.generated_by = "kb"
            files.append(file)
    except DataError as error:
        raise PluginError(f"the data links to pages the site does not have:\n{error}") from None
    except (LinkError, ValueError) as error:
        raise PluginError(str(error)) from None
    if chosen is not None:
        _public_edition(files, config, build, chosen)
    return files


def _public_edition(files: Files, config: MkDocsConfig, build: site.Build, chosen) -> None:
    """Leave out every page, image and export not in the public edition; the carers' start page is home."""
    docs = Path(config.docs_dir).resolve()
    for file in list(files):
        from_docs = file.abs_src_path is not None and Path(file.abs_src_path).resolve().is_relative_to(docs)
        if file.is_documentation_page():
            if file.src_uri == "index.md":
                files.remove(file)
            elif file.src_uri not in chosen or file.src_uri == editions.PUBLIC_HOME:
                file.inclusion = InclusionLevel.EXCLUDED
        elif (from_docs or file.generated_by) and not editions.is_public_asset(file.src_uri, chosen):
            file.inclusion = InclusionLevel.EXCLUDED
    home = files.get_file_from_path(editions.PUBLIC_HOME)
    if home is None:
        raise PluginError(f"the public edition's home page, {editions.PUBLIC_HOME}, is missing")
    files.append(File.generated(config, "index.md", content=home.content_string))
    config.nav = editions.public_nav(config.nav or [], chosen)
    published = [f.url for f in files if f.inclusion.is_included() and f.src_uri != editions.PUBLIC_HOME]
    build.public_urls = editions.site_urls(published)  # type: ignore[attr-defined]  # read by page_html


@event_priority(100)
def on_pre_page(page: Page, *, config: MkDocsConfig, files: Files) -> Page:
    """A generated page is made by the core, not by Markdown: its HTML is final (`_GeneratedPage`)."""
    if page.file.generated_by == "kb":
        page.__class__ = _GeneratedPage
    return page


class _GeneratedPage(Page):
    """A page the core generated. Its body is HTML from an autoescaping template with Markdown headings
    between the blocks; `outline` makes those headings (ids, permalinks, the table of contents) as the
    `toc` extension would, so the page never goes through Markdown, which would only re-parse its HTML.
    Its front matter is data (`Build.page_meta`), not text to parse."""

    def read_source(self, config: MkDocsConfig) -> None:
        build = site.current()
        self.markdown, self.meta = "", build.page_meta(build.pages[self.file.src_uri])

    def render(self, config: MkDocsConfig, files: Files) -> None:
        build = site.current()
        kept = build.kept.get(self.file.src_uri)
        if kept is not None:   # taken from the last build by hooks/reuse.py: nothing to make, its anchors known
            html, toc, ids = "", [], kept
        else:
            body = self.file.content_string
            permalinks = Permalinks.from_toc_config(config.mdx_configs.get("toc") or {})
            memo = build.memo   # the outline is a function of the body and the permalinks' settings

            def made() -> list:
                done = outline(body, permalinks)
                return [done.html, done.toc, sorted(done.ids)]

            html, toc, ids = made() if memo is None else memo("outline", (repr(permalinks), body), made)
        self.content, self.toc, self.present_anchor_ids = html, get_toc(toc), set(ids)
        self.file.content_string = ""   # the body lives on as the page's HTML: one copy of each page in memory
        self._title_from_render = None
        self.links_to_anchors = {}


def on_build_error(*, error: Exception) -> None:
    _end_ahead()


def _end_ahead() -> None:
    """Stop the processes working ahead (they have ended, if the build took everything) and say what they made."""
    build = site.current_or_none()
    if build is None:
        return
    taken: dict[str, int] = {}
    for fork in (build.ahead, build.indexing):
        if fork is not None:
            fork.close()
            for kind, count in fork.taken.items():
                taken[kind] = taken.get(kind, 0) + count
    build.ahead = build.indexing = None
    if any(taken.values()):
        log.info(f"kb: {taken['bodies']} generated pages, {taken['macros']} macro calls, {taken['files']} files and "
                 f"{taken['search entries']} search entries made ahead, by a second process")


def on_page_context(context: dict, *, page: Page, config: MkDocsConfig, nav) -> dict:
    """Tell the reader (and the edit button) which files this page's content comes from."""
    build = site.current()
    sources = generate.page_sources(build, page.file.src_uri, Path(config.docs_dir).name)
    context["kb_editors_note"] = generate.editors_note(build, sources)
    edit_base = build.kb.settings.edit_url
    # The file name comes from the repository: quoted, it cannot break out of the link.
    page.edit_url = f"{edit_base}/{quote(sources[0], safe='/')}" if edit_base else None
    return context


def on_post_build(*, config: MkDocsConfig) -> None:
    """Write the files plugins add beside the pages (exports and feeds are made for staff and managers, and are
    not in the public edition; the scripts pages need are); make the sitemap reproducible."""
    build = site.current()
    build.write_files(Path(config.site_dir))
    _end_ahead()
    reproducible_sitemap(Path(config.site_dir), build.kb.as_at.isoformat())


def on_serve(server: LiveReloadServer, *, config: MkDocsConfig, builder) -> LiveReloadServer:
    root = _root(config)
    for folder in ("data", "plugins"):
        server.watch(str(root / folder))
    return server
