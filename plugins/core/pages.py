"""What plugins hand the core to publish: generated pages, macros, amendments, and HTML to prepare.

Links between pages are made here, from docs paths, the way MkDocs and Zensical
lay a site out ('plan/actions/x.md' is served at 'plan/actions/x/'), so the core
does not depend on either engine.
"""

from __future__ import annotations

import posixpath
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from typing import Any, TypeVar
from urllib.parse import quote

from markupsafe import Markup

from plugins.core.types import PartialDate

T = TypeVar("T")


class LinkError(Exception):
    """A page links to a page the build does not have."""


@dataclass(frozen=True)
class GeneratedPage:
    """A page made from data: `path` is where it would live in docs/ (e.g. 'plan/sources/x.md')."""

    path: str
    title: str
    template: str
    context: dict[str, Any]
    data_files: tuple[str, ...]
    """The data files whose records the page shows: its edit link points at the first."""
    description: str = ""
    in_nav: bool = False
    """Section start pages may be listed in mkdocs.yml's nav; per-record pages never are."""
    search_exclude: bool = False
    """Kept out of the search index (an archived version would otherwise compete with the current one)."""
    from_context: bool = False
    """Everything the template shows comes from `context`: its values, the records in it and every record those
    name by reference, and the site (its code, settings, date and pages); nothing is looked up in the knowledge
    as a whole. Such a page, kept out of the navigation, is not made again when all of that is what it was at
    the last good build (plugins/core/inputs.py). A per-record page of a large collection sets it; a listing or
    a summary, which reads the knowledge as a whole, must not."""


@dataclass(frozen=True)
class Macro:
    """A function hand-written pages call as `{{ name(...) }}`; it receives a PageContext first."""

    name: str
    function: Callable[..., Markup]
    reads: tuple[str, ...] | Callable[[], tuple[str, ...]] = ()
    """The data files it shows records of; a function where they are known only once its work is done
    (What's new), so that naming the macro costs nothing (`kb validate` only checks pages call known names)."""

    @property
    def data_files(self) -> tuple[str, ...]:
        return self.reads() if callable(self.reads) else self.reads


@dataclass(frozen=True)
class SiteFile:
    """A file written into the built site beside the pages, e.g. 'data/plan.json'."""

    path: str
    content: str | bytes | Callable[[], str | bytes]
    """The file's text or bytes, or a function making them (`made`) when the file is written."""
    every_edition: bool = False
    """True for what the pages themselves need (a script); exports and feeds, made for staff and
    managers, are left out of the carers' public edition."""

    def made(self) -> str | bytes:
        return self.content() if callable(self.content) else self.content


@dataclass(frozen=True)
class Amendment:
    """A dated change the data records (a progress update, a new version, a review), for What's new and its feeds."""

    date: date | PartialDate
    pages: tuple[str, ...]
    """Where the change shows: docs paths, optionally with '#anchor'; the first is the main one."""
    title: str
    """What changed, as readers call it: 'Audit of cases' (an action's title)."""
    summary: str
    """How it changed, in one line: 'Progress update: Complete. Audit report written.'"""
    role: str
    """Who made or reported the change, as a role; never a person's name."""
    rests_on: tuple[Any, ...] = ()
    """The records and parts it is computed from: its provenance mark and its audiences follow from them."""


@dataclass
class PageHtml:
    """A page's HTML after Markdown, for `prepare_page_html` hooks to rewrite; `context` makes checked links.
    `meta` is the page's metadata (its front matter): a hook may set, e.g., `meta["status"]` for the navigation."""

    path: str
    html: str
    context: "PageContext | None" = None
    """The page, able to make checked links to other pages (None outside a build)."""
    meta: dict[str, Any] = field(default_factory=dict)
    memo: Callable[[str, Sequence[str | bytes], Callable[[], Any]], Any] | None = field(default=None, repr=False)
    """Where the build keeps work between builds (`plugins/core/reuse.py`'s `Memo`); None: nothing is kept."""

    def remembered(self, kind: str, values: Sequence[str | bytes], work: Callable[[], T]) -> T:
        """`work()`, or what it gave in the last good build, if `values` (every value the work reads besides its
        code: the HTML, the records it uses, where links lead from this page) were the same. The result must
        be plain JSON (text, numbers, lists, mappings with text keys)."""
        return work() if self.memo is None else self.memo(kind, values, work)


@lru_cache(maxsize=8192)
def _url_of(path: str, use_directory_urls: bool) -> str:
    """The URL of a docs page relative to the site root: 'a/b.md' -> 'a/b/', 'a/index.md' -> 'a/'."""
    folder, name = posixpath.split(path)
    stem = posixpath.splitext(name)[0]
    if stem in ("index", "README"):
        return quote(f"{folder or '.'}/" if use_directory_urls else posixpath.join(folder, "index.html"))
    if use_directory_urls:
        return quote(posixpath.join(folder, stem) + "/")
    return quote(posixpath.join(folder, stem + ".html"))


def get_relative_url(url: str, other: str) -> str:
    """`url` relative to `other` (both relative to the site root); a last part with a dot is a file."""
    folder, _, last = other.rpartition("/")
    if "." in last:
        other = folder
    other_parts = [p for p in other.split("/") if p and p != "."]
    dest_parts = [p for p in url.split("/") if p and p != "."]
    common = 0
    for a, b in zip(other_parts, dest_parts):
        if a != b:
            break
        common += 1
    relative = "/".join([".."] * (len(other_parts) - common) + dest_parts[common:]) or "."
    return relative + "/" if url.endswith("/") else relative


@dataclass(frozen=True)
class PageContext:
    """The page being rendered, able to make checked relative links to other pages."""

    path: str
    known_pages: frozenset[str] = field(repr=False)
    use_directory_urls: bool = True
    known_files: frozenset[str] = field(default=frozenset(), repr=False)
    illustrative_pages: Callable[[], list[str]] = field(default=lambda: [], repr=False, compare=False)
    """The pages of the site that show something resting on illustrative data (for the About page)."""
    links_from_source: bool = False
    """Links for an engine that reads every relative link in a page, HTML included, as a path from the page's
    source file and rewrites it (Zensical): the target's docs file, relative to this page's docs file
    ('../plan/index.md#x'), which the engine turns into a URL and checks. Otherwise (MkDocs, and HTML added
    after the engine has rendered a page) a URL relative to this page's URL ('../plan/#x')."""

    def pages_resting_on_illustrative(self) -> list[str]:
        return self.illustrative_pages()

    def url(self, target: str, anchor: str | None = None) -> str:
        """The relative URL from this page to the page whose docs path is `target`."""
        if target not in self.known_pages:
            raise LinkError(f"{self.path} links to '{target}', which is not a page of this site")
        if target == self.path and anchor:
            return f"#{anchor}"
        if self.links_from_source:
            return _from_file(target, self.path) + (f"#{anchor}" if anchor else "")
        here = _url_of(self.path, self.use_directory_urls)
        there = _url_of(target, self.use_directory_urls)
        return get_relative_url(there or ".", here or ".") + (f"#{anchor}" if anchor else "")

    def has_file(self, target: str) -> bool:
        """Whether this build writes the file (exports and feeds are not in every edition)."""
        return target in self.known_files

    def file_url(self, target: str) -> str:
        """The relative URL from this page to a file a plugin writes into the site (a SiteFile)."""
        if target not in self.known_files:
            raise LinkError(f"{self.path} links to the file '{target}', which the build does not write")
        if self.links_from_source:
            return _from_file(target, self.path)
        return get_relative_url(target, _url_of(self.path, self.use_directory_urls) or ".")


def _from_file(target: str, path: str) -> str:
    """`target` relative to the folder of `path` (docs or site paths): 'a/b.md' from 'c/d.md' is '../a/b.md'."""
    return quote(posixpath.relpath(target, posixpath.dirname(path) or "."))


def site_path(path: str) -> str:
    """The site-absolute URL path of a docs page: 'policies/x.md' -> '/policies/x/'."""
    return "/" + _url_of(path, True).removeprefix("./")


def page_paths(pages: Iterable[GeneratedPage], docs: Iterable[str]) -> frozenset[str]:
    return frozenset([*docs, *(p.path for p in pages)])
