"""The macros module: hand-written pages may call the macros plugins register, and nothing else.

mkdocs-macros (and Zensical, which reimplements it as a Markdown extension that
imports this module and calls `define_env` for every page) renders each page with
a Jinja environment of its own that can reach the configuration, its variables,
the files of docs/ (include) and helpers of its own. A page never gets to use it:

- Under MkDocs, `define_env` replaces the plugin's renderer with the core's
  sandbox (`generate.page_markdown`, plugins/core/handwritten.py), which allows
  only calls of registered macros with plain values and reports a problem as
  `docs/page.md:line: ...`.
- Under Zensical, whose renderer cannot be replaced, the page is checked by the
  same sandbox rules before Zensical renders it (anything but a call of a
  registered macro with plain values stops the build with file:line), and the
  registered macros are all it is given. When no MkDocs hook has started a build,
  `define_env` starts one from the settings, once.

`kb build --engine zensical` does not rely on this: the core expands every page's
macros itself before Zensical sees the pages (plugins/core/zensical.py).
No logic lives here.
"""

from __future__ import annotations

from pathlib import Path

from plugins.core import generate, site
from plugins.core.handwritten import PageMacros
from plugins.core.problems import DataError
from plugins.core.settings import Settings, SettingsError


def define_env(env) -> None:
    """Called by mkdocs-macros once per build, after the kb hooks have loaded the data; by Zensical once per page."""
    if hasattr(env, "render"):   # mkdocs-macros' plugin, whose renderer can be replaced
        _replace_renderer(env)
    else:
        _give_macros(env)


def _replace_renderer(env) -> None:
    build = site.current()
    docs = Path(env.conf["docs_dir"]).name

    def render(markdown: str, force_rendering: bool = False) -> str:
        page = env.page
        path = page.file.src_uri
        stash = build.stashes.setdefault(path, {})   # put back by hooks/page_html.py once Markdown has run
        return generate.page_markdown(build, docs, path, markdown, page.file.content_string, page.meta, stash)

    env.render = render


def _give_macros(env) -> None:
    """Zensical: check the page by the sandbox's rules, then hand it the registered macros and nothing else."""
    page = env.page
    if page is None:
        return
    root = Path(env.conf.get("root_dir") or ".").resolve()
    docs_dir = root / env.conf.get("docs_dir", "docs")
    build = _build(root, docs_dir)
    file = f"{docs_dir.name}/{page.path}"
    source = build.docs_sources.get(page.path, "")
    meta, markdown = generate.split_front_matter(source)
    if meta.get("render_macros") is False:
        return
    first_line = source.count("\n", 0, len(source) - len(markdown)) + 1
    problems = PageMacros(build.macros, build.call_macro).problems(file, markdown, first_line)
    if problems:
        raise ValueError("\n".join(map(str, problems)))
    build.docs_markdown[page.path] = markdown   # where a failing macro's line is counted from
    for name in build.macros:
        env.macro(_bound(build, name, page.path, docs_dir.name), name)


def _build(root: Path, docs_dir: Path) -> site.Build:
    """The build of the moment, or (Zensical, no MkDocs hook) one started here from the settings, once."""
    build = site.current_or_none()
    if build is None:
        try:
            build = generate.start(Settings.from_environment(root), docs_dir)
            pages = generate.handwritten_pages(docs_dir, root)
            build.know_pages(list(pages), pages)
        except (SettingsError, generate.GenerationError, DataError) as error:
            raise ValueError(str(error)) from None
    return build


def _bound(build: site.Build, name: str, path: str, docs: str):
    """The macro as the page calls it; a failure stops the build at once, at its line (there is no later hook
    to report every failure together)."""
    def macro(*args, **kwargs):
        count = len(build.page_problems)
        html = build.call_macro(name, path, *args, **kwargs)
        if len(build.page_problems) > count:
            raise ValueError(f"{docs}/{build.page_problems[-1]}")
        return html

    return macro
