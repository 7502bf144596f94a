"""The `kb` command: validate the data, build or serve the site, write JSON Schema for editors.

    kb validate            check data/; every problem as file:line: record: rule; exit 1 if any
    kb build               strict build into a temporary folder, then swap it into site/
    kb serve               strict build and serve on http://127.0.0.1:8000 with live reload
    kb schema              write schema/<collection>.schema.json from the models

Plugins add more (`register_commands`): `kb report` (the committee progress report)
and `kb reviews` (pages due for review, by owner).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
from datetime import date
from pathlib import Path

from plugins.knowledge import Knowledge, load_knowledge, register_collections
from plugins.manager import get_plugin_manager
from plugins.problems import DataError

os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")


def _root(args: argparse.Namespace) -> Path:
    return Path(args.config_file).resolve().parent


def load(args: argparse.Namespace) -> Knowledge:
    """The checked data for a plugin's command, as at KB_AS_AT if set; raises DataError (reported by main)."""
    as_at = os.environ.get("KB_AS_AT")
    try:
        as_at_date = date.fromisoformat(as_at) if as_at else None
    except ValueError:
        raise SystemExit(f"KB_AS_AT={as_at!r} is not a date (YYYY-MM-DD)") from None
    return load_knowledge(get_plugin_manager(), _root(args), _data_dir(args), as_at=as_at_date)


def _data_dir(args: argparse.Namespace) -> Path:
    """--data, else KB_DATA_DIR (which the MkDocs hooks also read), else data/ beside mkdocs.yml."""
    return Path(getattr(args, "data", None) or os.environ.get("KB_DATA_DIR") or _root(args) / "data")


def validate(args: argparse.Namespace) -> int:
    root = _root(args)
    data_dir = _data_dir(args)
    try:
        kb = load_knowledge(get_plugin_manager(), root, data_dir)
    except DataError as error:
        print(error, file=sys.stderr)
        return 1
    print(f"data/ is valid: {kb.record_count} records in {len(kb.collections)} collections")
    return 0


def _mkdocs(*arguments: str) -> list[str]:
    return [sys.executable, "-m", "mkdocs", *arguments]


def build(args: argparse.Namespace) -> int:
    """Build into a fresh folder and swap it in only when the strict build succeeded,
    so a failed build leaves the last good site/ exactly as it was."""
    if validate(args):
        return 1
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


def serve(args: argparse.Namespace) -> int:
    if validate(args):
        return 1
    return subprocess.run(_mkdocs("serve", "--strict", "-f", args.config_file, "-a", args.dev_addr)).returncode


def schema(args: argparse.Namespace) -> int:
    """JSON Schema of each collection (a list of its records), for editors' YAML autocompletion."""
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    collections = register_collections(get_plugin_manager())
    for collection in collections.values():
        item = collection.model.model_json_schema()
        document = {
            "$schema": "https://json-schema.org/draft/2020-12/schema",
            "title": f"data/{collection.filename}",
            "description": collection.description,
            "type": "array",
            "items": {k: v for k, v in item.items() if k != "$defs"},
        }
        if "$defs" in item:
            document["$defs"] = item["$defs"]
        path = out / f"{collection.name}.schema.json"
        path.write_text(json.dumps(document, indent=2) + "\n", encoding="utf-8")
        print(path)
    return 0


def parser() -> argparse.ArgumentParser:
    main_parser = argparse.ArgumentParser(prog="kb", description=__doc__.split("\n")[0])
    main_parser.add_argument("-f", "--config-file", default="mkdocs.yml", help="the MkDocs configuration (default: mkdocs.yml)")
    commands = main_parser.add_subparsers(dest="command", required=True)

    p = commands.add_parser("validate", help="check the data and report every problem")
    p.add_argument("--data", help="data folder (default: data/ beside mkdocs.yml)")
    p.set_defaults(run=validate)

    p = commands.add_parser("build", help="strict build into site/, replacing it only on success")
    p.add_argument("-d", "--site-dir", default="site")
    p.set_defaults(run=build, data=None)

    p = commands.add_parser("serve", help="strict build and serve with live reload")
    p.add_argument("-a", "--dev-addr", default="127.0.0.1:8000")
    p.set_defaults(run=serve, data=None)

    p = commands.add_parser("schema", help="write JSON Schema for each data collection")
    p.add_argument("-o", "--out", default="schema")
    p.set_defaults(run=schema)

    get_plugin_manager().hook.register_commands(commands=commands)
    return main_parser


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        return args.run(args)
    except DataError as error:
        print(error, file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
