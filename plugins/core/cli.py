"""The `kb` command: validate the data, build or serve the site, write JSON Schema for editors.

    kb validate            check data/; every problem as file:line: record: rule; exit 1 if any
    kb build               strict build into a temporary folder, then swap it into site/
    kb serve [--port N]    live preview on http://127.0.0.1:8000: the site, or a page listing every problem
    kb schema              write schema/<collection>.schema.json from the models, and .vscode/settings.json

Plugins add more (`register_commands`): `kb report` (the committee progress report)
and `kb reviews` (pages due for review, by owner).
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from plugins.core import preview, schema
from plugins.core.command import Command
from plugins.core.knowledge import Knowledge
from plugins.core.loading import load_knowledge
from plugins.core.manager import PluginManager, get_plugin_manager
from plugins.core.problems import DataError
from plugins.core.settings import Settings, SettingsError

os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")


def settings_for(args: argparse.Namespace) -> Settings:
    """The settings of this run: the environment's, with --data taking the place of KB_DATA_DIR."""
    root = Path(args.config_file).resolve().parent
    data = getattr(args, "data", None)
    return Settings.from_environment(root, data_dir=Path(data).resolve() if data else None)


def _load(pm: PluginManager, args: argparse.Namespace) -> Knowledge:
    return load_knowledge(pm, settings_for(args))


def validate(kb: Knowledge | None, args: argparse.Namespace) -> int:
    assert kb is not None
    print(f"data/ is valid: {kb.record_count} records in {len(kb.collections)} collections")
    return 0


def _mkdocs(*arguments: str) -> list[str]:
    return [sys.executable, "-m", "mkdocs", *arguments]


def build(kb: Knowledge | None, args: argparse.Namespace) -> int:
    """Build into a fresh folder and swap it in only when the strict build succeeded,
    so a failed build leaves the last good site/ exactly as it was."""
    site = Path(args.site_dir).resolve()
    staging = Path(tempfile.mkdtemp(prefix=f"{site.name}.building-", dir=site.parent))
    # Never --quiet: it drops warnings before MkDocs counts them, so --strict would pass.
    result = subprocess.run(_mkdocs("build", "--strict", "-f", args.config_file, "-d", str(staging)))
    if result.returncode != 0:
        shutil.rmtree(staging, ignore_errors=True)
        print("build failed: site/ was left as it was", file=sys.stderr)
        return result.returncode
    staging.chmod(0o777 & ~_umask())  # mkdtemp makes it private; a web server must be able to read it
    retired = site.with_name(f"{site.name}.old")
    shutil.rmtree(retired, ignore_errors=True)
    if site.exists():
        site.rename(retired)
    staging.rename(site)
    shutil.rmtree(retired, ignore_errors=True)
    print(f"built {site}")
    return 0


def _umask() -> int:
    current = os.umask(0)
    os.umask(current)
    return current


def _data_argument(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--data", help="data folder (default: KB_DATA_DIR, else data/ beside mkdocs.yml)")


BUILT_IN = (
    Command("validate", "check the data and report every problem", validate, _data_argument),
    Command("build", "strict build into site/, replacing it only on success", build,
            lambda p: p.add_argument("-d", "--site-dir", default="site")),
    Command("serve", "live preview: the site, or every problem, with live reload", preview.serve, preview.arguments,
            needs_data=False),
    Command("schema", "write JSON Schema for each data collection, and the editor settings using them", schema.run,
            schema.arguments, needs_data=False),
)


def parser(pm: PluginManager) -> argparse.ArgumentParser:
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
        register(command)
    pm.hook.register_commands(register=register)
    return main_parser


def main(argv: list[str] | None = None) -> int:
    try:
        pm = get_plugin_manager(Settings.from_environment(Path.cwd()).plugins)
        args = parser(pm).parse_args(argv)
        command: Command = args.command_spec
        kb = _load(pm, args) if command.needs_data else None
        return command.run(kb, args)
    except (DataError, SettingsError) as error:
        print(error, file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
