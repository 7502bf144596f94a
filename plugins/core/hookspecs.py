"""Every hook a plugin can implement, grouped by build stage.

Hooks named `register_*` hand things to the core through a `register` callback
(so the core deals with duplicates and bad input in one place), `prepare_*`
change something they are given, `extra_*` add to the output, and `check_*`
yield problems. Each hook is documented, with an example, in
docs/developers/plugins.md.

Where order matters it is declared, not left to the order plugins are listed
in: a `prepare_page_html` implementation that must see the finished page (the
glossary's) is marked `@hookimpl(trylast=True)`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any

import pluggy

if TYPE_CHECKING:
    from jinja2 import Environment

    from plugins.core.command import Command
    from plugins.core.content import Content
    from plugins.core.knowledge import Collection, Knowledge
    from plugins.core.pages import Amendment, GeneratedPage, Macro, PageHtml, SiteFile
    from plugins.core.problems import Problem

hookspec = pluggy.HookspecMarker("kb")
hookimpl = pluggy.HookimplMarker("kb")


# ---------------------------------------------------------------------------
# Data: what data/ holds and the rules it must keep
# ---------------------------------------------------------------------------


@hookspec
def register_collections(register: Callable[[Collection], None]) -> None:
    """Called once when data is loaded; call `register(Collection(...))` for each collection this plugin owns.

    A collection is a YAML file (or a folder of them) in data/ holding a list of
    records of one pydantic model.
    """


@hookspec
def check_content(content: Content) -> Iterable[Problem]:
    """Called with the text of what editors wrote, valid or not; yield a Problem for anything that must not be published.

    Called once with every data file as parsed (`content.data`, with line
    numbers: for a list of records, `data.lined(index)` gives a record with
    the line of each field) when the data is loaded, and once with every hand-written page
    (`content.pages`, Markdown as written) when the pages are checked. It runs
    whether or not the records are valid, so its problems (personal data, say)
    are reported together with every other problem.
    """


@hookspec
def check_knowledge(kb: Knowledge) -> Iterable[Problem]:
    """Called after every record is valid and every reference resolves; yield a Problem per broken rule.

    For rules that span records (unique names, consistent dates across
    collections). Use `kb.problem(record, rule, path)` so the problem points at
    the right file and line.
    """


# ---------------------------------------------------------------------------
# Pages: what the build turns the data into
# ---------------------------------------------------------------------------


@hookspec
def prepare_jinja_environment(env: Environment) -> None:
    """Called once per build when the template environment is made; may add filters, tests and globals.

    Templates are found in every registered plugin's package (its `templates/`
    folder), named `<plugin>/<template>`; the core's own are `core/...`.
    """


@hookspec
def register_pages(kb: Knowledge, register: Callable[[GeneratedPage], None]) -> None:
    """Called once per build after the data is valid; call `register(GeneratedPage(...))` for each page to generate."""


@hookspec
def register_macros(kb: Knowledge, register: Callable[[Macro], None]) -> None:
    """Called once per build; call `register(Macro(...))` for each macro hand-written pages may use."""


@hookspec
def register_amendments(kb: Knowledge, register: Callable[[Amendment], None]) -> None:
    """Called once per build; call `register(Amendment(...))` for each dated change the data records.

    A progress update, a new version, a review: What's new lists them newest
    first, marks pages changed lately "Updated", and puts them in the feeds.
    Amendments dated after the site's as-at date are left out.
    """


@hookspec
def prepare_page_html(page: PageHtml, kb: Knowledge) -> None:
    """Called for every page once its Markdown is HTML; may rewrite `page.html` in place.

    Runs on hand-written and generated pages alike (e.g. explaining
    abbreviations). Must leave the HTML well-formed and must not insert data
    text unescaped. A plugin that implements it implements `page_inputs` too.
    """


@hookspec
def page_inputs(path: str, kb: Knowledge) -> Any:
    """Called for each generated page made from its context alone, before it is made: return what this
    plugin's `prepare_page_html` reads for the page at `path` besides the page's HTML, the code and the
    build's settings, as records, parts and plain values (None: nothing else).

    A generated page made from its context alone (`GeneratedPage.from_context`) whose inputs are all those
    of a page of the last good build is not made again (plugins/core/inputs.py); these values are among
    them. A plugin that prepares pages' HTML and does not implement this turns that off for every page.
    """


# ---------------------------------------------------------------------------
# Output: files beside the pages, and the command line
# ---------------------------------------------------------------------------


@hookspec
def extra_site_files(kb: Knowledge, register: Callable[[SiteFile], None]) -> None:
    """Called once per build; call `register(SiteFile(path, content))` for each file to write into the site.

    For exports (JSON, CSV, iCalendar). Paths are relative to the site root;
    pages can link to them with `page.file_url(path)`. The content may be a function
    making it: it is then made when the file is written, or in a rebuild by the process
    rendering ahead (plugins/core/ahead.py), while the build makes the pages.
    """


@hookspec
def register_commands(register: Callable[[Command], None]) -> None:
    """Called when the `kb` command starts; call `register(Command(...))` for each sub-command.

    A command's `run(kb, args)` is handed the checked data (or `run(None, args)`
    when it declares `needs_data=False`) and returns the exit code, so no plugin
    imports the command line.
    """
