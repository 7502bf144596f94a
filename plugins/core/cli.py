"""The `kb` command: validate the data, build or serve the site, publish it, write JSON Schema for editors.

    kb validate            check data/ and the pages in docs/; every problem as file:line: rule; exit 1 if any
    kb build               strict build into a new release; site/ switches to it only when it succeeded
                           (--engine zensical: built with Zensical instead of MkDocs, plugins/core/zensical.py)
    kb serve [--port N]    live preview on http://127.0.0.1:8000: the site, or a page listing every problem
    kb schema              write schema/<collection>.schema.json from the models, and .vscode/settings.json
    kb publish             publish, rebuild or roll back the site a bare repository serves
    kb install-git-hooks   set up a bare repository editors publish to by pushing

Plugins add more (`register_commands`): `kb report` (the committee progress report)
and `kb reviews` (pages due for review, by owner). No command prints a traceback
for a user's mistake: bad arguments, settings or data are reported in one line each.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

import pluggy

from plugins.core import lifetime
from plugins.core.command import Command
from plugins.core.install import Installation, install
from plugins.core.manager import PluginManager, get_plugin_manager
from plugins.core.problems import DataError, format_problems
from plugins.core.publish import ENGINES, KEEP, PublishError, Releases, check_destination, publish_build
from plugins.core.receive import TIMEOUT, Server, publish
from plugins.core.settings import EDITIONS, Settings, SettingsError

if TYPE_CHECKING:
    from plugins.core.knowledge import Knowledge

# Commands that start a build (build, serve, publish) import only what they run: the data, the models and
# the plugins are loaded by the build's own process, and the command's process stays small while it waits.

os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")


def settings_for(args: argparse.Namespace) -> Settings:
    """The settings of this run: the environment's, with --data taking the place of KB_DATA_DIR."""
    data = getattr(args, "data", None)
    return Settings.from_environment(_root(args), data_dir=Path(data).resolve() if data else None)


def _root(args: argparse.Namespace, needs_config: bool = False) -> Path:
    """The project folder: where the MkDocs configuration is (which must exist to build or publish)."""
    config = Path(args.config_file)
    if needs_config and not config.is_file():
        raise SettingsError(f"{config}: no such MkDocs configuration (run kb in the folder holding mkdocs.yml, "
                            "or give -f)")
    return config.resolve().parent


def _docs_dir(args: argparse.Namespace) -> Path:
    return _root(args) / "docs"


def _load(pm: PluginManager, args: argparse.Namespace) -> Knowledge:
    from plugins.core.handwritten import check_pages
    from plugins.core.loading import load_knowledge

    settings = settings_for(args)
    try:
        return load_knowledge(pm, settings)
    except DataError as error:  # report the pages' problems with the data's, all at once
        raise DataError(error.problems + check_pages(pm, settings, _docs_dir(args)).all) from None


def validate(kb: Knowledge | None, args: argparse.Namespace) -> int:
    from plugins.core.handwritten import PageMacros, check_pages

    assert kb is not None
    names: list[str] = []
    kb.plugins.hook.register_macros(kb=kb, register=lambda macro: names.append(macro.name))
    pages = check_pages(kb.plugins, kb.settings, _docs_dir(args), PageMacros(names, lambda *a, **k: None)).all
    if pages:
        print(format_problems(pages), file=sys.stderr)
        return 1
    print(f"data/ is valid: {kb.record_count} records in {len(kb.collections)} collections; docs/ pages pass")
    return 0


def build(kb: Knowledge | None, args: argparse.Namespace) -> int:
    """Build into a new release and switch the site folder to it only when the strict build succeeded,
    so a failed build leaves the last good site exactly as it was."""
    root = _root(args, needs_config=True)
    settings = settings_for(args)
    site = check_destination(args.site_dir, root, (_docs_dir(args), settings.data_dir))
    env = {**os.environ, "KB_EDITION": args.edition} if args.edition else dict(os.environ)
    if args.engine == "zensical":
        from plugins.core import zensical

        refusal = zensical.cannot_build(replace(settings, edition=args.edition or settings.edition))
        if refusal:
            print(f"kb build: {refusal}", file=sys.stderr)
            return 1
    release, outcome = publish_build(root, Releases(site), "build", env, args.timeout, args.keep,
                                     config_file=args.config_file, engine=args.engine)
    for notice in outcome.notices:
        print(notice)
    if release is None:
        for problem in outcome.problems:
            print(problem, file=sys.stderr)
        print(f"build failed: {args.site_dir} was left as it was", file=sys.stderr)
        return 1
    engine = " with Zensical" if args.engine == "zensical" else ""
    print(f"built {outcome.pages} pages{engine} into {site} (release {release.name})")
    return 0


def publish_command(kb: Knowledge | None, args: argparse.Namespace) -> int:
    """Rebuild (nightly), roll back or list the releases of the site a bare repository publishes."""
    server = Server.from_repo(Path(args.repo))
    site = Path(args.site_dir) if args.site_dir else server.publish_to
    if site is None:
        raise PublishError(f"{args.repo} has no kb.publishdir: give -d DIR")
    releases = Releases(site)
    if args.list:
        live = releases.live()
        for release in releases.all():
            print(f"{'*' if release == live else ' '} {release.name}")
        return 0
    if args.rollback:
        with releases.lock(waiting=lambda: print("waiting for another publish of this site to finish")):
            release = releases.rollback()
        print(f"kb: rolled back: {site} now shows {release.name}")
        return 0
    return publish(server, rebuild=args.rebuild)


def install_command(kb: Knowledge | None, args: argparse.Namespace) -> int:
    return install(Installation(repo=Path(args.repo), checkout=_root(args, needs_config=True), publish_to=args.publish_to, url=args.url,
                                as_at="today" if args.as_at == "today" else "", keep=args.keep,
                                timeout=args.timeout, edition=args.edition or "",
                                classification=args.classification or "", edit_url=args.edit_url or ""))


def _data_argument(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--data", help="data folder (default: KB_DATA_DIR, else data/ beside mkdocs.yml)")


def _positive(kind):
    def parse(text: str):
        try:
            value = kind(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{text!r} is not a number") from None
        if value <= 0:
            raise argparse.ArgumentTypeError(f"{text!r} must be more than 0")
        return value

    return parse


def _build_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("-d", "--site-dir", default="site", help="the site folder (a link to the live release)")
    parser.add_argument("--edition", choices=EDITIONS, help="internal (every page) or public (carers' edition)")
    parser.add_argument("--keep", type=_positive(int), default=3, help="releases to keep (default 3)")
    parser.add_argument("--timeout", type=_positive(float), default=TIMEOUT, help="seconds the build may take")
    parser.add_argument("--engine", choices=tuple(ENGINES), default="mkdocs",
                        help="the site engine: mkdocs (default) or zensical (installed apart: make zensical)")


def _publish_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--repo", default=os.environ.get("GIT_DIR", "."), help="the bare repository (default: .)")
    parser.add_argument("-d", "--site-dir", help="the site folder (default: the repository's kb.publishdir)")
    action = parser.add_mutually_exclusive_group()
    action.add_argument("--rebuild", action="store_true", help="build main again even if it is live (nightly)")
    action.add_argument("--rollback", action="store_true", help="switch back to the release before the live one")
    action.add_argument("--list", action="store_true", help="list the releases kept; * marks the live one")


def _install_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("repo", help="the bare repository (made if it does not exist)")
    parser.add_argument("--publish-to", required=True, help="the folder the web server serves (becomes a link)")
    parser.add_argument("--url", default="", help="the site's address, printed after each publish")
    parser.add_argument("--as-at", choices=("today", "recorded"), default="today",
                        help="measure overdue actions and reviews against today (default) or the data's last date")
    parser.add_argument("--keep", type=_positive(int), default=KEEP, help=f"releases to keep (default {KEEP})")
    parser.add_argument("--timeout", type=_positive(float), default=TIMEOUT, help="seconds a build may take")
    parser.add_argument("--edition", choices=EDITIONS, help="publish the internal (default) or public edition")
    parser.add_argument("--classification", help="the server's classification (KB_CLASSIFICATION)")
    parser.add_argument("--edit-url", help="where edit buttons point (KB_EDIT_URL)")


def _later(module: str, name: str):
    """A command's function from a module imported only when it is called."""
    def call(*args):
        return getattr(importlib.import_module(module), name)(*args)

    return call


BUILT_IN = (
    Command("validate", "check the data and the pages; report every problem", validate, _data_argument),
    # The build reads and checks the data once, in the engine's process (which reports every problem):
    # loading it here first too cost a third more time and kept a second copy in memory.
    Command("build", "strict build into a new release, switched in only on success", build, _build_arguments,
            needs_data=False),
    Command("serve", "live preview: the site, or every problem, with live reload",
            _later("plugins.core.preview", "serve"), _later("plugins.core.preview_arguments", "arguments"),
            needs_data=False),
    Command("schema", "write JSON Schema for each data collection, and the editor settings using them",
            _later("plugins.core.schema", "run"), _later("plugins.core.schema", "arguments"), needs_data=False),
    Command("publish", "rebuild, roll back or list the releases of a published site", publish_command,
            _publish_arguments, needs_data=False),
    Command("install-git-hooks", "set up a bare repository that publishes the site when editors push",
            install_command, _install_arguments, needs_data=False),
)


def parser(pm: PluginManager | None, only: str | None = None) -> argparse.ArgumentParser:
    """The command line: every command, or (`only`) one built-in command and no plugin's."""
    main_parser = argparse.ArgumentParser(prog="kb", description=__doc__.split("\n")[0])
    main_parser.add_argument("-f", "--config-file", default="mkdocs.yml",
                             help="the MkDocs configuration (default: mkdocs.yml)")
    sub = main_parser.add_subparsers(dest="command", required=True)
    seen: set[str] = set()

    def register(command: Command) -> None:
        if command.name in seen:
            raise ValueError(f"two plugins add a command named '{command.name}'")
        seen.add(command.name)
        command_parser = sub.add_parser(command.name, help=command.help)
        command.arguments(command_parser)
        command_parser.set_defaults(command_spec=command)

    for command in BUILT_IN:
        if only is None or command.name == only:
            register(command)
    if pm is not None:
        pm.hook.register_commands(register=register)
    return main_parser


def _built_in_without_data(argv: list[str]) -> str | None:
    """The built-in command named, when it reads no data (its own process, or none, loads the plugins)."""
    words = iter(argv)
    for word in words:
        if word in ("-f", "--config-file"):
            next(words, None)
        elif not word.startswith("-"):
            command = next((c for c in BUILT_IN if c.name == word), None)
            return word if command is not None and not command.needs_data else None
    return None


def _plugin_manager() -> PluginManager:
    with lifetime.collector_paused():   # importing the plugins makes many objects and few cycles (lifetime)
        return get_plugin_manager(Settings.from_environment(Path.cwd()).plugins)


def main(argv: list[str] | None = None) -> int:
    try:
        named = _built_in_without_data(sys.argv[1:] if argv is None else argv)
        pm = None if named else _plugin_manager()
        args = parser(pm, named).parse_args(argv)
        command: Command = args.command_spec
        kb = _load(pm, args) if command.needs_data else None
        return command.run(kb, args)
    except (DataError, SettingsError) as error:
        print(error, file=sys.stderr)
        return 1
    except PublishError as error:
        print(f"kb: {error}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
    except (OSError, ValueError, ImportError, SyntaxError, pluggy.PluginValidationError) as error:
        # a path, a value or a plugin the user named
        if os.environ.get("KB_DEBUG"):
            raise
        message = f"{error.strerror}: {error.filename}" if isinstance(error, OSError) and error.filename else error
        print(f"kb: {message} (KB_DEBUG=1 shows the details)", file=sys.stderr)
        return 1


def run() -> NoReturn:
    """The `kb` command: `main`, in a process that ends when its command is done (`lifetime`)."""
    lifetime.one_shot()
    lifetime.end(main())


if __name__ == "__main__":
    run()
