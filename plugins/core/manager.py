"""The plugin manager: built-in feature packages, installed plugins, and local ones by path.

Every plugin is a module or package with hook implementations. Its templates,
if any, are in a `templates/` folder beside its module (inside its package), and
are named `<plugin>/<template>` (`plan/action.md`); the core's are `core/...`.
"""

from __future__ import annotations

import importlib
import importlib.metadata
import importlib.util
import sys
from collections.abc import Iterable
from pathlib import Path
from types import ModuleType

import pluggy

from plugins.core import hookspecs

DEFAULT_PLUGINS = (
    "plugins.references.hooks",
    "plugins.organisation.hooks",
    "plugins.sources.hooks",
    "plugins.glossary.hooks",
    "plugins.plan.hooks",
    "plugins.policies.hooks",
    "plugins.reviews.hooks",
    "plugins.hubs.hooks",
    "plugins.guidance.hooks",
    "plugins.toolkit.hooks",
    "plugins.training.hooks",
    "plugins.jsna.hooks",
    "plugins.programmes.hooks",
    "plugins.safety.hooks",
    "plugins.provenance.hooks",
    "plugins.search.hooks",
    "plugins.accessibility.hooks",
    "plugins.whatsnew.hooks",
)
"""Built-in features: each a package with its hooks (`hooks.py`, the module registered), models and templates."""

ENTRY_POINT_GROUP = "kent_kb"
"""Installed packages add plugins with `[project.entry-points.kent_kb]`."""

CORE_TEMPLATES = Path(__file__).parent / "templates"


class PluginManager(pluggy.PluginManager):
    """pluggy's manager, also knowing each plugin's short name and templates folder."""

    def __init__(self) -> None:
        super().__init__("kb")
        self.add_hookspecs(hookspecs)
        self.template_dirs: dict[str, Path] = {"core": CORE_TEMPLATES}

    def add(self, module: ModuleType, short_name: str) -> None:
        if short_name in self.template_dirs:
            raise ValueError(f"two plugins are named '{short_name}'")
        self.register(module, name=short_name)
        folder = Path(module.__file__ or "").parent / "templates"
        self.template_dirs[short_name] = folder


def feature_name(module_name: str) -> str:
    """'plugins.plan.hooks' -> 'plan': a built-in feature is named after its package."""
    return module_name.removesuffix(".hooks").rpartition(".")[2]


def get_plugin_manager(local_plugins: Iterable[Path] = ()) -> PluginManager:
    pm = PluginManager()
    for name in DEFAULT_PLUGINS:
        pm.add(importlib.import_module(name), feature_name(name))
    for entry_point in importlib.metadata.entry_points(group=ENTRY_POINT_GROUP):
        pm.add(entry_point.load(), entry_point.name)
    for path in local_plugins:
        module = import_path(Path(path))
        pm.add(module, feature_name(module.__name__).removeprefix("kb_local_"))
    pm.check_pending()  # a misspelt hook name fails here, loudly
    return pm


def import_path(path: Path) -> ModuleType:
    """Import a plugin file, or a package folder (with __init__.py), by path. A package's hooks are in its
    hooks.py where it has one, as in a built-in feature's package; else in its __init__.py."""
    path = path.resolve()
    init = path / "__init__.py" if path.is_dir() else path
    name = f"kb_local_{path.stem if path.is_file() else path.name}"
    spec = importlib.util.spec_from_file_location(
        name, init, submodule_search_locations=[str(path)] if path.is_dir() else None)
    if spec is None or spec.loader is None or not init.exists():
        raise ImportError(f"cannot import plugin {path}: expected a .py file or a folder with __init__.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module  # so a package's own modules can import each other
    spec.loader.exec_module(module)
    if path.is_dir() and (path / "hooks.py").is_file():
        return importlib.import_module(f"{name}.hooks")
    return module
