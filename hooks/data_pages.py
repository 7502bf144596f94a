"""MkDocs hooks: load and check data/ once per build, and add the pages plugins generate.

Listed in mkdocs.yml under `hooks:`. The data is loaded in `on_config` (first,
before mkdocs-macros builds its environment, so macros can be exposed), and a
data problem stops the build with every problem listed.
"""

from __future__ import annotations

from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.livereload import LiveReloadServer
from mkdocs.plugins import event_priority
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.pages import Page

from plugins.core import site
from plugins.core.pages import LinkError
from plugins.core.problems import DataError
from plugins.core.settings import Settings, SettingsError


def _root(config: MkDocsConfig) -> Path:
    return Path(config.config_file_path).resolve().parent


@event_priority(100)
def on_config(config: MkDocsConfig) -> MkDocsConfig:
    try:
        settings = Settings.from_environment(_root(config))
    except SettingsError as error:
        raise PluginError(str(error)) from None
    try:
        site.start(site.Build.load(settings, use_directory_urls=config.use_directory_urls))
    except DataError as error:
        raise PluginError(f"the data in {settings.data_dir} is not valid:\n{error}") from None
    return config


def on_files(files: Files, *, config: MkDocsConfig) -> Files:
    build = site.current()
    try:
        docs = files.documentation_pages()
        build.know_pages([f.src_uri for f in docs], {f.src_uri: f.content_string for f in docs})
        for page in build.pages.values():
            # Kept out of the navigation: every page renders the whole nav, so listing
            # thousands of records there would make the build quadratic.
            inclusion = InclusionLevel.UNDEFINED if page.in_nav else InclusionLevel.NOT_IN_NAV
            file = File.generated(config, page.path, content=build.page_source(page), inclusion=inclusion)
            file.generated_by = "kb"
            files.append(file)
    except DataError as error:
        raise PluginError(f"the data links to pages the site does not have:\n{error}") from None
    except (LinkError, ValueError) as error:
        raise PluginError(str(error)) from None
    return files


def on_page_context(context: dict, *, page: Page, config: MkDocsConfig, nav) -> dict:
    """Tell the reader (and the edit button) which files this page's content comes from."""
    build = site.current()
    generated = build.pages.get(page.file.src_uri)
    if generated is not None:
        sources = list(generated.data_files)
    else:
        sources = [f"{Path(config.docs_dir).name}/{page.file.src_uri}", *sorted(build.page_data_files(page.file.src_uri))]
    context["kb_sources"] = sources
    edit_base = build.kb.settings.edit_url
    page.edit_url = f"{edit_base}/{sources[0]}" if edit_base else None
    return context


def on_post_build(*, config: MkDocsConfig) -> None:
    """Write the files plugins export (JSON, CSV ...) beside the pages."""
    site.current().write_files(Path(config.site_dir))


def on_serve(server: LiveReloadServer, *, config: MkDocsConfig, builder) -> LiveReloadServer:
    root = _root(config)
    for folder in ("data", "plugins"):
        server.watch(str(root / folder))
    return server
