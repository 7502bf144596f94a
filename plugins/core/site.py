"""One build of the site: the valid data, the pages and macros plugins made from it.

MkDocs calls in through hooks/; those hooks and the macros module share the
build of the moment through `start()` and `current()`. `mkdocs serve` starts a
new build on every rebuild, so the data is read once per build, never per page.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from markupsafe import Markup

from plugins.core.fields import parts
from plugins.core.knowledge import Knowledge
from plugins.core.loading import load_knowledge, page_references
from plugins.core.manager import PluginManager, get_plugin_manager
from plugins.core.page_errors import front_matter_lines, macro_failure, template_line
from plugins.core.pages import GeneratedPage, Macro, PageContext, PageHtml, SiteFile, page_paths
from plugins.core.problems import DataError, Problem
from plugins.core.provenance import MARKED, NOTICE, Basis
from plugins.core.render import escape_text, render
from plugins.core.settings import Settings

log = logging.getLogger("mkdocs.plugins.kb")

@dataclass
class Build:
    pm: PluginManager
    kb: Knowledge
    use_directory_urls: bool = True
    pages: dict[str, GeneratedPage] = field(default_factory=dict)
    macros: dict[str, Macro] = field(default_factory=dict)
    files: dict[str, SiteFile] = field(default_factory=dict)
    known_pages: frozenset[str] = frozenset()
    marked: set[str] = field(default_factory=set)
    """Generated pages holding an illustrative mark or notice."""
    docs_sources: dict[str, str] = field(default_factory=dict)
    """Hand-written pages' Markdown, by path under docs/."""
    docs_markdown: dict[str, str] = field(default_factory=dict)
    """Hand-written pages' Markdown as mkdocs-macros renders it (without front matter), by path."""
    stashes: dict[str, dict[str, str]] = field(default_factory=dict)
    """Hand-written pages' macro HTML while Markdown runs, by path (`generate.page_markdown`)."""
    page_problems: list[Problem] = field(default_factory=list)
    """Mistakes in hand-written pages' macros, by path under docs/ (reported all at once)."""
    links_from_source: bool = False
    """Make links as an engine that rewrites every relative link reads them (`PageContext.links_from_source`):
    set while pages are made for Zensical, cleared before the HTML pass over what it built."""
    search_index: Any = None
    """The site's search index while MkDocs builds (hooks/search.py); hooks/reuse.py asks it what a page's
    entry is made from."""
    memo: Any = None
    """Work on pages kept from the last good build by the values it is a function of (`reuse.Memo`: called as
    `memo(kind, values, work)`), while MkDocs builds with the cache on; None otherwise, and the work is done."""
    keep: Any = None
    """While MkDocs builds with the cache on, hooks/reuse.py's `keep(page)`: for a generated page made from
    inputs that are all those of a page of the last good build, which is then taken from it and not made
    (`kept`), the ids of that page's anchors; None for any other page. None otherwise: every page is made."""
    kept: dict[str, frozenset[str]] = field(default_factory=dict)
    """The generated pages taken from the last good build, not made (their bodies are empty), with the ids of
    their anchors (MkDocs checks links to them)."""
    page_notes: dict[tuple, Markup] = field(default_factory=dict)
    """The notes pages carry about themselves, by what they show (`generate._page_note`)."""
    last_build: bool = False
    """Whether the pages of a last good build are there to take (hooks/reuse.py): the build is a rebuild."""
    changed_html: set[str] = field(default_factory=set)
    """Pages whose HTML the last good build had not seen (their work `memo` could not recall): they are
    rendered and indexed anew."""
    ahead: Any = None
    """In a rebuild, the process making ahead what is made whatever changed (plugins/core/ahead.py): generated
    pages without a key, macros, exports; None otherwise, and each is made when it is needed."""
    indexing: Any = None
    """In a rebuild, once every page is read, the process making the search entries of the pages in
    `changed_html` (plugins/core/ahead.py, `index`); None otherwise."""
    _data_files_used: dict[str, set[str]] = field(default_factory=dict)

    @classmethod
    def load(cls, settings: Settings, *, use_directory_urls: bool = True) -> "Build":
        pm = get_plugin_manager(settings.plugins)
        kb = load_knowledge(pm, settings)
        build = cls(pm=pm, kb=kb, use_directory_urls=use_directory_urls)
        pm.hook.register_pages(kb=kb, register=build._add_page)
        pm.hook.register_macros(kb=kb, register=build._add_macro)
        pm.hook.extra_site_files(kb=kb, register=build._add_file)
        return build

    def _add_page(self, page: GeneratedPage) -> None:
        if page.path in self.pages:
            raise ValueError(f"two generated pages claim {page.path}")
        self.pages[page.path] = page

    def _add_macro(self, macro: Macro) -> None:
        if macro.name in self.macros:
            raise ValueError(f"two plugins register a macro named '{macro.name}'")
        self.macros[macro.name] = macro

    def _add_file(self, file: SiteFile) -> None:
        if file.path in self.files:
            raise ValueError(f"two plugins write the site file {file.path}")
        self.files[file.path] = file

    def written_files(self) -> frozenset[str]:
        """The files this build writes beside the pages: pages may link to these and no others."""
        public = self.kb.settings.edition == "public"
        return frozenset(path for path, file in self.files.items() if file.every_edition or not public)

    def write_files(self, site_dir: Path) -> None:
        written = self.written_files()
        for file in self.files.values():
            if file.path not in written:
                continue
            target = site_dir / file.path
            target.parent.mkdir(parents=True, exist_ok=True)
            content = self.ahead.file(file.path) if self.ahead is not None and callable(file.content) else None
            if content is None:
                content = file.made()
            if isinstance(content, bytes):
                target.write_bytes(content)
            else:
                target.write_text(content, encoding="utf-8", newline="")

    def know_pages(self, docs_pages: list[str], docs_sources: dict[str, str] | None = None) -> None:
        """Record every page of the site, so links can be checked; generated pages must not shadow docs/."""
        self.docs_sources = docs_sources or {}
        clash = set(docs_pages) & set(self.pages)
        if clash:
            raise ValueError(f"generated pages would replace hand-written ones: {', '.join(sorted(clash))}")
        self.known_pages = page_paths(self.pages.values(), docs_pages)
        problems = page_references(self.kb, self.known_pages)
        if problems:
            raise DataError(problems)

    def context(self, path: str) -> PageContext:
        return PageContext(path, self.known_pages, self.use_directory_urls, self.written_files(),
                           illustrative_pages=self.illustrative_pages, links_from_source=self.links_from_source)

    def page_meta(self, page: GeneratedPage) -> dict:
        """A generated page's front matter: macros off, its title and description escaped text."""
        meta: dict = {"title": str(escape_text(page.title)), "render_macros": False}
        if page.description:
            meta["description"] = str(escape_text(page.description))
        if page.search_exclude:
            meta["search"] = {"exclude": True}
        return meta

    def page_body(self, page: GeneratedPage) -> str:
        """A generated page's body: HTML from an autoescaping template, with Markdown headings between its
        blocks (`plugins/core/outline.py` makes them HTML where the engine does not)."""
        body = self.ahead.body(page.path) if self.ahead is not None else None
        if body is None:
            body = render(page.template, self.context(page.path), self.kb, **page.context)
        if MARKED in body or NOTICE in body:
            self.marked.add(page.path)
        return body

    def page_source(self, page: GeneratedPage) -> str:
        """The Markdown file an engine that reads files reads for a generated page: the front matter dumped
        by YAML (never string-built), then the body."""
        return f"---\n{yaml.safe_dump(self.page_meta(page), sort_keys=False)}---\n\n{self.page_body(page)}"

    def call_macro(self, name: str, path: str, *args, **kwargs) -> Markup:
        """A macro's HTML; a macro that fails is recorded as a problem at the line that called it (the build
        then stops with every such problem, `page_problems`) and the page says what could not be shown."""
        macro = self.macros[name]
        self._data_files_used.setdefault(path, set()).update(macro.data_files)
        made = self.ahead.html(name, path, args, kwargs) if self.ahead is not None else None
        if made is not None:
            return made
        try:
            return macro.function(self.context(path), *args, **kwargs)
        except Exception as error:  # noqa: BLE001 - reported at file:line, all at once, without a traceback
            log.debug("macro %s failed on %s", name, path, exc_info=True)
            offset = front_matter_lines(self.docs_sources.get(path, ""), self.docs_markdown.get(path, ""))
            rule = macro_failure(name, macro.function, args, kwargs, error)
            self.page_problems.append(Problem(path, (template_line() or 1) + offset, "", rule))
            return Markup('<p class="kb-macro-error"><strong>This part of the page could not be shown: </strong>'
                          '{}</p>').format(rule)

    def page_data_files(self, path: str) -> set[str]:
        """The data files whose records the macros on a hand-written page showed."""
        return self._data_files_used.get(path, set())

    def illustrative_pages(self) -> list[str]:
        """Pages showing anything that rests on illustrative data: generated pages holding a mark or a
        notice, and hand-written pages calling a macro that shows a collection with illustrative records."""
        marked = set(self.marked)
        files = {file for collection in self.kb.collections.values() for file in self.kb.files[collection.name]
                 if any(Basis.marks([part for _, part in parts(record)])
                        for record in self.kb.records[collection.name].values())}
        for path, text in self.docs_sources.items():
            called = {name for name in re.findall(r"\{\{-?\s*(\w+)\s*\(", text) if name in self.macros}
            if any(files & set(self.macros[name].data_files) for name in called):
                marked.add(path)
        return sorted(marked)

    def prepare_html(self, path: str, html: str, meta: dict | None = None) -> str:
        page = PageHtml(path=path, html=html, context=self.context(path), meta=meta if meta is not None else {},
                        memo=self.memo)
        done = self.memo.done if self.memo is not None else None
        self.pm.hook.prepare_page_html(page=page, kb=self.kb)
        if done is not None and self.memo.done > done:
            self.changed_html.add(path)
        return page.html


_current: Build | None = None


def start(build: Build) -> Build:
    global _current
    _current = build
    return build


def current_or_none() -> Build | None:
    return _current


def current() -> Build:
    if _current is None:
        raise RuntimeError("no build has started: the kb hooks must be listed in mkdocs.yml")
    return _current
