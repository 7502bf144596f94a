"""Build the site with Zensical, which reads mkdocs.yml but cannot call back into Python: the core generates,
Zensical renders, the core finishes.

    python -m plugins.core.zensical [-f mkdocs.yml] -d SITE     what `kb build --engine zensical` runs

1. Generate (plugins/core/generate.py): load and check data/ and docs/, make the generated pages, expand the
   hand-written pages' macros in the sandbox. A data problem stops here with every problem, as on MkDocs.
2. Stage: a staging project beside SITE holds docs/ (a copy of docs/: hand-written pages with their macros
   expanded, generated pages as Markdown files whose body is the HTML the templates made, front matter dumped
   by yaml.safe_dump with `render_macros: false`) and a mkdocs.yml derived from the real one (docs_dir is the
   staging docs, no `hooks:`, no macros plugin, Zensical's own theme). Nothing on this path is ever made into
   template source: data reached the pages as escaped values, braces included, and no macro pass runs again.
   Each page's Markdown is put between two HTML comments, so its HTML can be found again in Zensical's output.
3. Render: `zensical build --strict` on the staging project. Zensical checks links and anchors; a broken
   Markdown link is reported as `docs/page.md:line: link ...`, as on MkDocs.
4. Finish: the HTML between the comments of every built page goes through the same pass as on MkDocs
   (`generate.finish_page`: every `prepare_page_html` hook, the check of hand-written pages' output), the
   article gets the print header and the editors' note, the head the page's feeds; the files plugins write
   (exports, feeds) and a reproducible sitemap are written.

Why finish the engine's HTML rather than prepare the HTML before it is written: the hooks are written for a
page's HTML after Markdown, which hand-written pages do not have until an engine renders them (and generated
pages hold Markdown headings too). Run over the engine's output, they are given exactly what MkDocs gives them,
for every page, on any engine that keeps HTML comments; nothing depends on the theme's markup but the
`<article>` and `<head>` the notes and feeds are put in.

Problems are printed as MkDocs prints them (`ERROR    -  file:line: rule`), so `kb build` reads both engines'
output the same way (plugins/core/publish.py).
"""

from __future__ import annotations

import argparse
import logging
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from urllib.parse import unquote

import yaml
from markupsafe import escape

from plugins.core import editions, generate, lifetime, site
from plugins.core.pages import LinkError, _url_of
from plugins.core.buildserver import child_dies_with_parent
from plugins.core.problems import DataError
from plugins.core.publish import reproducible_sitemap
from plugins.core.settings import Settings, SettingsError

log = logging.getLogger("mkdocs.plugins.kb")

VENV = ".venv-zensical"
INSTALL = ("Zensical is not installed: run `make zensical` (it installs the pinned version into .venv-zensical, "
           "apart from the project's .venv), or set KB_ZENSICAL=/path/to/zensical")
START, END = "<!-- kb:page -->", "<!-- /kb:page -->"
"""Around each page's Markdown in the staging project: its HTML is what Zensical writes between them."""


def find(settings: Settings) -> Path | None:
    """The zensical program: KB_ZENSICAL, else the project's .venv-zensical, else the one on the path."""
    if settings.zensical is not None:
        return settings.zensical if os.access(settings.zensical, os.X_OK) else None
    local = settings.root / VENV / "bin" / "zensical"
    if os.access(local, os.X_OK):
        return local
    found = shutil.which("zensical")
    return Path(found) if found else None


def cannot_build(settings: Settings) -> str | None:
    """Why this build cannot be made with Zensical, in one line, or None."""
    if settings.edition == editions.PUBLIC:
        return "the carers' public edition is built with MkDocs only: build it without --engine zensical"
    if find(settings) is not None:
        return None
    if settings.zensical is not None:
        return f"KB_ZENSICAL={settings.zensical} is not a program that can be run. {INSTALL}"
    return INSTALL


# --- the configuration ---------------------------------------------------------------------------------------


def read_config(path: Path) -> dict:
    """mkdocs.yml as MkDocs reads it: safe YAML, with `!ENV` (a variable, or [VARIABLE, ..., default])."""
    try:
        return yaml.load(path.read_text(encoding="utf-8"), Loader=_ConfigLoader) or {}
    except yaml.YAMLError as error:
        raise generate.GenerationError(f"{path.name}: {error}") from None


class _ConfigLoader(yaml.SafeLoader):
    pass


def _environment_value(loader: yaml.SafeLoader, node: yaml.Node):
    names = [loader.construct_scalar(node)] if isinstance(node, yaml.ScalarNode) else \
        [loader.construct_object(item) for item in node.value]
    default = names.pop() if len(names) > 1 else None
    for name in names:
        if name in os.environ:
            return yaml.safe_load(os.environ[name])
    return default


_ConfigLoader.add_constructor("!ENV", _environment_value)


def staging_config(config: dict, settings: Settings) -> dict:
    """The staging project's mkdocs.yml: the real one, reading the staging docs, with nothing for Zensical
    to call back into (no hooks, no macros) and Zensical's own theme (overrides/ is Material's Jinja)."""
    staged = {key: value for key, value in config.items() if key not in ("hooks", "docs_dir", "site_dir")}
    plugins = [p for p in config.get("plugins") or [] if _plugin_name(p) != "macros"]
    if plugins:
        staged["plugins"] = plugins
    else:
        staged.pop("plugins", None)
    theme = {key: value for key, value in (config.get("theme") or {}).items() if key != "custom_dir"}
    staged.update(docs_dir="docs", site_dir="site", strict=True,
                  use_directory_urls=bool(config.get("use_directory_urls", True)),
                  copyright=editions.footer(settings.edition, settings.classification),
                  theme={**theme, "variant": "classic"})   # Material's look, which kb.css is written for
    return staged


def _plugin_name(item) -> str:
    return item if isinstance(item, str) else next(iter(item), "")


# --- staging -----------------------------------------------------------------------------------------------------


def stage(build: site.Build, config: dict, docs_dir: Path, handwritten: dict[str, str], project: Path) -> None:
    """Write the staging project: docs/ with every page of the site as Zensical should render it."""
    docs = docs_dir.name
    shutil.copytree(docs_dir, project / "docs", ignore=shutil.ignore_patterns(".*", "__pycache__"))
    build.links_from_source = True   # Zensical reads every relative link as a path from the page's file
    try:
        # Generated pages first: the About page's macros list the pages resting on illustrative data, from their HTML.
        for path, source in generate.generated_pages(build).items():
            meta, body = generate.split_front_matter(source)
            _write_page(project / "docs" / path, meta, body)
        for path, source in handwritten.items():
            meta, markdown = generate.split_front_matter(source)
            _write_page(project / "docs" / path, meta,
                        generate.page_markdown(build, docs, path, markdown, source, meta))
    finally:
        build.links_from_source = False  # what is added once Zensical has rendered the pages is left as it is
    (project / "mkdocs.yml").write_text(yaml.safe_dump(staging_config(config, build.kb.settings), sort_keys=False,
                                                       allow_unicode=True), encoding="utf-8")


def _write_page(target: Path, meta: dict, markdown: str) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    front = yaml.safe_dump({**meta, "render_macros": False}, sort_keys=False, allow_unicode=True)
    target.write_text(f"---\n{front}---\n\n{START}\n\n{markdown}\n\n{END}\n", encoding="utf-8")


# --- rendering ----------------------------------------------------------------------------------------------------


def render(zensical: Path, project: Path) -> subprocess.CompletedProcess:
    """Zensical's strict build of the staging project (into project/site), in its own environment."""
    env = {key: value for key, value in os.environ.items() if key not in ("PYTHONPATH", "PYTHONHOME", "VIRTUAL_ENV")}
    return subprocess.run([str(zensical), "build", "--strict", "-f", str(project / "mkdocs.yml")], cwd=project,
                          env=env, capture_output=True, text=True, stdin=subprocess.DEVNULL,
                          preexec_fn=child_dies_with_parent)


_ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")
_WARNING = re.compile(r"^\s*(?:Warning|Error):\s*(.+?)\s*$")
_WHERE = re.compile(r"\[\s*(?P<file>[^\[\]:]+):(?P<line>\d+):(?P<column>\d+)\s*\]")
_FAILURE = re.compile(r"^\w*(?:Error|Exception):\s*(.+)$")


def engine_problems(result: subprocess.CompletedProcess, project: Path, build: site.Build,
                    handwritten: dict[str, str], docs: str) -> list[str]:
    """What Zensical reported, in editors' words: a broken link at its line in the page as written."""
    lines = _ANSI.sub("", result.stderr + result.stdout).splitlines()
    problems = []
    for number, line in enumerate(lines):
        warning = _WARNING.match(line)
        if not warning:
            continue
        where = next((found for found in map(_WHERE.search, lines[number + 1:number + 3]) if found), None)
        problems.append(_located(warning.group(1), where, project, build, handwritten, docs) if where
                        else f"zensical: {warning.group(1)}")
    if result.returncode != 0 and not problems:
        failures = [m.group(1) for m in map(_FAILURE.match, lines) if m]
        problems.append(f"zensical: {failures[-1] if failures else 'the build failed'}")
    return problems


def _located(what: str, where: re.Match, project: Path, build: site.Build, handwritten: dict[str, str],
             docs: str) -> str:
    path, line, column = where["file"].strip(), int(where["line"]), int(where["column"])
    staged = (project / "docs" / path).read_text(encoding="utf-8").splitlines() if (project / "docs" / path).is_file() \
        else []
    link = _link_at(staged[line - 1], column) if 0 < line <= len(staged) else ""
    why = {"page does not exist": "the page it points at does not exist"}.get(what, what)
    if what == "anchor does not exist":
        why = f"the page it points at has no heading or anchor '{link.partition('#')[2]}'"
    if path in handwritten:
        written = next((n for n, text in enumerate(handwritten[path].splitlines(), 1) if link and link in text), 1)
        return f"{docs}/{path}:{written}: link '{link}': {why}"
    made_from = ", ".join(build.pages[path].data_files) if path in build.pages else "the data"
    return f"the page {path} (made from {made_from}): link '{link}': {why}"


def _link_at(text: str, column: int) -> str:
    """The link target around a column (1-based) of a line: what lies between its delimiters."""
    stops = "()<>\"' \t"
    start = column - 1
    while start > 0 and text[start - 1] not in stops:
        start -= 1
    end = column - 1
    while end < len(text) and text[end] not in stops:
        end += 1
    return text[start:end]


# --- finishing ----------------------------------------------------------------------------------------------------


def finish(build: site.Build, site_dir: Path, handwritten: dict[str, str], docs: str, site_name: str) -> list[str]:
    """Run the HTML pass over every page Zensical built, add what a page says about itself, write the files
    plugins add beside the pages and a reproducible sitemap."""
    problems: list[str] = []
    for path in [*build.pages, *handwritten]:
        url = _url_of(path, build.use_directory_urls)
        target = site_dir / unquote(url)
        target = target / "index.html" if url.endswith("/") or url == "." else target
        html = target.read_text(encoding="utf-8") if target.is_file() else ""
        head, start, rest = html.partition(START)
        body, end, tail = rest.partition(END)
        if not (start and end):
            problems.append(f"{docs}/{path}: Zensical did not write this page's content to {target.name}")
            continue
        meta: dict = {}
        body, found = generate.finish_page(build, path, body, meta, docs=docs, source=handwritten.get(path),
                                           page_url=url)
        problems += [f"{p.file}: {p.rule}" for p in found]
        header = str(generate.print_header(build, site_name, body))
        note = str(generate.editors_note(build, generate.page_sources(build, path, docs)))
        target.write_text(_place(head + body + tail, header, note, meta.get("kb_feeds") or []), encoding="utf-8")
    build.write_files(site_dir)
    reproducible_sitemap(site_dir, build.kb.as_at.isoformat())
    return problems


_ARTICLE = re.compile(r"<article\b[^>]*>")


def _place(html: str, header: str, note: str, feeds: list[dict]) -> str:
    """The print header at the top of the article, the editors' note at its foot, the feeds in the head."""
    opening = _ARTICLE.search(html)
    closing = html.rfind("</article>")
    if opening and closing > opening.end():
        html = html[:opening.end()] + header + html[opening.end():closing] + note + html[closing:]
    links = "".join(f'<link rel="alternate" type="application/atom+xml" title="{escape(feed["title"])}" '
                    f'href="{escape(feed["href"])}">' for feed in feeds)
    return html.replace("</head>", f"{links}</head>", 1) if links else html


# --- the whole build ----------------------------------------------------------------------------------------------


def build_site(config_file: Path, site_dir: Path) -> list[str]:
    """Generate, stage, render with Zensical and finish the site into `site_dir`; the problems, or []."""
    root = config_file.parent
    config = read_config(config_file)
    settings = Settings.from_environment(root)
    refusal = cannot_build(settings)
    zensical = find(settings)
    if refusal or zensical is None:
        return [refusal or INSTALL]
    docs_dir = (root / config.get("docs_dir", "docs")).resolve()
    build = generate.start(settings, docs_dir, use_directory_urls=bool(config.get("use_directory_urls", True)))
    handwritten = generate.handwritten_pages(docs_dir, root)
    try:
        build.know_pages(list(handwritten), handwritten)
        build.page_problems.extend(generate.pages_outside_nav(config.get("nav"), list(handwritten)))
    except DataError as error:
        raise generate.GenerationError(f"the data links to pages the site does not have:\n{error}") from None
    except (LinkError, ValueError) as error:
        raise generate.GenerationError(str(error)) from None
    site_dir.mkdir(parents=True, exist_ok=True)
    project = Path(tempfile.mkdtemp(prefix=f".{site_dir.name.lstrip('.')}.zensical-", dir=site_dir.parent))
    try:
        stage(build, config, docs_dir, handwritten, project)
        result = render(zensical, project)
        docs = docs_dir.name
        problems = [str(p) if p.file.startswith(f"{docs}/") else f"{docs}/{p}" for p in sorted(set(build.page_problems))]
        problems += engine_problems(result, project, build, handwritten, docs_dir.name)
        if problems or result.returncode != 0:
            return problems
        problems = finish(build, project / "site", handwritten, docs_dir.name, str(config.get("site_name", "")))
        if not problems:
            for entry in (project / "site").iterdir():
                os.replace(entry, site_dir / entry.name)
        return problems
    finally:
        shutil.rmtree(project, ignore_errors=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m plugins.core.zensical", description=__doc__.split("\n")[0])
    parser.add_argument("-f", "--config-file", default="mkdocs.yml")
    parser.add_argument("-d", "--site-dir", required=True)
    args = parser.parse_args(argv)
    logging.basicConfig(format="%(levelname)-8s-  %(message)s", level=logging.INFO, stream=sys.stderr)
    try:
        problems = build_site(Path(args.config_file).resolve(), Path(args.site_dir).absolute())
    except (generate.GenerationError, SettingsError) as error:
        problems = [str(error)]
    for problem in problems:
        log.error(problem)
    return 1 if problems else 0


if __name__ == "__main__":
    lifetime.one_shot()
    lifetime.end(main())
