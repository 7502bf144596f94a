"""The layout holds: a feature is one package, features share only models, no module dominates the code."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from plugins.core.manager import DEFAULT_PLUGINS
from tests.helpers import ROOT

PLUGINS = ROOT / "plugins"
FEATURES = sorted(name.rpartition(".")[2] for name in DEFAULT_PLUGINS)


def python_files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*.py") if "templates" not in p.parts)


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
        elif isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
    return found


def test_every_built_in_feature_is_a_package_with_its_own_templates():
    for feature in FEATURES:
        package = PLUGINS / feature
        assert (package / "__init__.py").is_file(), feature
    assert sorted(p.name for p in PLUGINS.iterdir() if p.is_dir() and p.name not in ("core", "__pycache__")) \
        == FEATURES
    assert not (PLUGINS / "templates").exists()


@pytest.mark.parametrize("feature", FEATURES)
def test_a_feature_uses_other_features_only_through_their_models(feature):
    for path in python_files(PLUGINS / feature):
        for module in imported_modules(path):
            parts = module.split(".")
            if parts[0] != "plugins" or len(parts) < 2:
                continue
            if parts[1] == "core":
                assert module != "plugins.core.cli", f"{path.relative_to(ROOT)} imports the command line"
            elif parts[1] != feature:
                assert module == f"plugins.{parts[1]}.models", \
                    f"{path.relative_to(ROOT)} imports {module}: use that feature's models only"


def test_the_core_imports_no_feature():
    for path in python_files(PLUGINS / "core"):
        for module in imported_modules(path):
            parts = module.split(".")
            assert parts[0] != "plugins" or parts[1] == "core", f"{path.relative_to(ROOT)} imports {module}"


def test_no_module_holds_more_than_8_percent_of_the_code():
    sizes = {path: len(path.read_text(encoding="utf-8").splitlines()) for path in python_files(PLUGINS)}
    total = sum(sizes.values())
    largest = max(sizes, key=sizes.get)
    assert sizes[largest] <= 0.08 * total, f"{largest.relative_to(ROOT)}: {sizes[largest]} of {total} lines"
