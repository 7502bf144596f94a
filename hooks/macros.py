"""The mkdocs-macros module: hand-written pages may call the macros plugins register, and nothing else.

mkdocs-macros renders each page with a Jinja environment of its own that can
reach the MkDocs configuration, its variables, the files of docs/ (include) and
helpers of its own. That environment is never used: `define_env` replaces the
plugin's renderer with the core's sandbox (plugins/core/handwritten.py), which
allows only calls of registered macros with plain values and reports a problem
as `docs/page.md:line: ...`. No logic lives here.
"""

from __future__ import annotations

import logging
from pathlib import Path

from plugins.core import site
from plugins.core.handwritten import PageMacros

log = logging.getLogger("mkdocs.plugins.kb")


def define_env(env) -> None:
    """Called by mkdocs-macros once per build, after the kb hooks have loaded the data."""
    build = site.current()
    macros = PageMacros(build.macros, build.call_macro)
    docs = Path(env.conf["docs_dir"]).name

    def render(markdown: str, force_rendering: bool = False) -> str:
        page = env.page
        if page.meta.get("render_macros") is False:
            return markdown
        build.docs_markdown[page.file.src_uri] = markdown   # where a failing macro's line is counted from
        source = page.file.content_string
        first_line = source.count("\n", 0, len(source) - len(markdown)) + 1 if source.endswith(markdown) else 1
        text, problems = macros.render(f"{docs}/{page.file.src_uri}", page.file.src_uri, markdown, first_line)
        # A template error found while rendering; the page checks (data_pages.py) reported the rest already.
        build.page_problems.extend(p for p in problems if p.rule.startswith("macro error"))
        return text

    env.render = render
