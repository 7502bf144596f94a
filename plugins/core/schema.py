"""JSON Schema for editors, made from the models: `kb schema` (or `make schema`).

    schema/<collection>.schema.json   one per data file, data/<collection>.yml, named after it
    .vscode/settings.json             "yaml.schemas" maps every schema to its data files
    data/<collection>.yml             starts with `# yaml-language-server: $schema=../schema/<collection>.schema.json`

With the YAML extension (VS Code, or any editor using yaml-language-server) an
editor sees each field's description as they type, completes field names and
allowed values, and is offered the ids a reference may name: the ids in the
data when the schema was made, as `examples` (suggestions, not a closed list:
a record added in the same edit is not flagged). Run `kb schema` again after
adding records to refresh the suggestions; tests/test_schema.py checks that the
committed schemas match the models.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

from plugins.core.knowledge import Collection
from plugins.core.loader import LineList, load_yaml
from plugins.core.loading import register_collections
from plugins.core.manager import get_plugin_manager
from plugins.core.settings import Settings
from plugins.core.types import REFERS_TO

SCHEMA_DIR = "schema"
SETTINGS = Path(".vscode") / "settings.json"
HEADER = "# yaml-language-server: $schema="


def arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("-o", "--out", help="folder for the schemas (default: schema/ beside mkdocs.yml)")


def run(kb: Any, args: argparse.Namespace) -> int:
    """The `kb schema` command."""
    root = Path(args.config_file).resolve().parent
    settings = Settings.from_environment(root)
    out = Path(args.out).resolve() if args.out else root / SCHEMA_DIR
    collections = register_collections(get_plugin_manager(settings.plugins))
    for path in write_schemas(collections, settings.data_dir, out):
        print(path)
    if out == root / SCHEMA_DIR and settings.data_dir.is_relative_to(root):  # they point at the project's schema/
        print(write_editor_settings(collections, root, settings.data_dir))
        for path in add_headers(collections, settings.data_dir, out):
            print(f"{path}: added the yaml-language-server line")
    return 0


def write_schemas(collections: dict[str, Collection], data_dir: Path, out: Path) -> list[Path]:
    out.mkdir(parents=True, exist_ok=True)
    ids = {c.model.__name__: (c, ids_in(c, data_dir)) for c in collections.values()}
    written = []
    for collection in collections.values():
        path = out / f"{collection.name}.schema.json"
        path.write_text(json.dumps(collection_schema(collection, ids), indent=2, ensure_ascii=False) + "\n",
                        encoding="utf-8")
        written.append(path)
    return written


def collection_schema(collection: Collection, ids: dict[str, tuple[Collection, list[str]]]) -> dict[str, Any]:
    """A data file's schema: a list of the collection's records, reference fields offering the ids they may name."""
    item = _offer_ids(collection.model.model_json_schema(), ids)
    document = {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": f"data/{collection.filename}",
        "description": collection.description or f"A list of {collection.label} records.",
        "type": "array",
        "items": {k: v for k, v in item.items() if k != "$defs"},
    }
    if "$defs" in item:
        document["$defs"] = item["$defs"]
    return document


def _offer_ids(node: Any, ids: dict[str, tuple[Collection, list[str]]]) -> Any:
    if isinstance(node, list):
        return [_offer_ids(item, ids) for item in node]
    if not isinstance(node, dict):
        return node
    node = {key: _offer_ids(value, ids) for key, value in node.items()}
    target = node.pop(REFERS_TO, None)
    if target in ids:
        collection, known = ids[target]
        where = f"The id of a {collection.label} in data/{collection.filename}."
        node["description"] = f"{node['description']} {where}" if node.get("description") else where
        if known:
            node["examples"] = known
    return node


def ids_in(collection: Collection, data_dir: Path) -> list[str]:
    """The ids a collection's files hold now, read leniently (a file with mistakes still offers what it can)."""
    found: list[str] = []
    for path in collection.paths(data_dir):
        data, _ = load_yaml(path)
        if isinstance(data, LineList):
            found += [item["id"] for item in data if isinstance(item, dict) and isinstance(item.get("id"), str)]
    return list(dict.fromkeys(found))


def schema_mapping(collections: dict[str, Collection], root: Path, data_dir: Path) -> dict[str, list[str]]:
    """"yaml.schemas" for VS Code: each schema (relative to the project) and the data files it describes."""
    try:
        data = data_dir.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        data = "data"
    return {f"{SCHEMA_DIR}/{c.name}.schema.json": [f"{data}/{c.filename}", f"{data}/{c.name}/*.yml"]
            for c in sorted(collections.values(), key=lambda c: c.name)}


def write_editor_settings(collections: dict[str, Collection], root: Path, data_dir: Path) -> Path:
    """Set "yaml.schemas" in .vscode/settings.json, keeping any other setting in the file."""
    path = root / SETTINGS
    settings = json.loads(path.read_text(encoding="utf-8")) if path.is_file() else {}
    settings["yaml.schemas"] = schema_mapping(collections, root, data_dir)
    path.parent.mkdir(exist_ok=True)
    path.write_text(json.dumps(settings, indent=2) + "\n", encoding="utf-8")
    return path


def header_for(data_file: Path, schema_dir: Path, name: str) -> str:
    """The first line of a data file: where yaml-language-server finds its schema (relative to the file)."""
    relative = Path(*[".."] * len(data_file.parent.relative_to(schema_dir.parent).parts))
    return f"{HEADER}{(relative / schema_dir.name / f'{name}.schema.json').as_posix()}"


def add_headers(collections: dict[str, Collection], data_dir: Path, schema_dir: Path) -> list[Path]:
    """Put the yaml-language-server line at the top of each data file that lacks it; return those changed."""
    changed = []
    for collection in collections.values():
        for path in collection.paths(data_dir):
            text = path.read_text(encoding="utf-8")
            if not text.startswith(HEADER):
                path.write_text(header_for(path, schema_dir, collection.name) + "\n" + text, encoding="utf-8")
                changed.append(path)
    return changed
