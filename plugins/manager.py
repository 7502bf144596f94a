"""The plugin manager: built-in feature plugins, installed ones, and local ones by path."""

from __future__ import annotations

import importlib
import importlib.util
import os
from collections.abc import Iterable
from pathlib import Path

import pluggy

from plugins import hookspecs

DEFAULT_PLUGINS = (
    "plugins.references",
    "plugins.organisation",
    "plugins.sources",
    "plugins.glossary",
    "plugins.plan",
    "plugins.indicators",
    "plugins.plan_pages",
    "plugins.exports",
    "plugins.report",
    "plugins.policies",
    "plugins.reviews",
    "plugins.hubs",
    "plugins.guidance",
    "plugins.toolkit",
    "plugins.training",
    "plugins.jsna",
    "plugins.programmes",
    "plugins.safety",
)
"""Built-in features, each a module with hook implementations."""

ENTRY_POINT_GROUP = "kent_kb"
"""Installed packages add plugins with `[project.entry-points.kent_kb]`."""

PLUGINS_ENV = "KB_PLUGINS"
"""Local plugin files by path, separated by os.pathsep: KB_PLUGINS=extra/my_plugin.py"""


def get_plugin_manager(local_plugins: Iterable[Path] = ()) -> pluggy.PluginManager:
    pm = pluggy.PluginManager("kb")
    pm.add_hookspecs(hookspecs)
    for name in DEFAULT_PLUGINS:
        pm.register(importlib.import_module(name), name=name)
    pm.load_setuptools_entrypoints(ENTRY_POINT_GROUP)
    from_env = [Path(p) for p in os.environ.get(PLUGINS_ENV, "").split(os.pathsep) if p]
    for path in [*local_plugins, *from_env]:
        pm.register(_import_file(path), name=f"local:{path}")
    pm.check_pending()  # a misspelt hook name fails here, loudly
    return pm


def _import_file(path: Path):
    spec = importlib.util.spec_from_file_location(f"kb_local_{path.stem}", path)
    if spec is None or spec.loader is None:
        raise ImportError(f"cannot import plugin file {path}")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module
