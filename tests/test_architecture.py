"""The layout holds: a feature is one package, features share only models, no module dominates the code."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

from plugins.core.manager import DEFAULT_PLUGINS, feature_name
from tests.helpers import ROOT

PLUGINS = ROOT / "plugins"
FEATURES = sorted(feature_name(name) for name in DEFAULT_PLUGINS)


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


def test_every_built_in_feature_is_a_package_with_its_hooks_apart_from_its_models():
    for feature in FEATURES:
        package = PLUGINS / feature
        assert (package / "hooks.py").is_file(), feature
        # importing a feature's models must not import its hooks (that is how features import each other's
        # models without cycles): the package's __init__ holds no code
        init = ast.parse((package / "__init__.py").read_text(encoding="utf-8"))
        assert all(isinstance(node, ast.Expr) for node in init.body), f"{feature}/__init__.py holds code"
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


def test_every_features_models_import_alone():
    for feature in FEATURES:
        if (PLUGINS / feature / "models.py").exists():
            result = subprocess.run([sys.executable, "-c", f"import plugins.{feature}.models"], cwd=ROOT,
                                    capture_output=True, text=True)
            assert result.returncode == 0, result.stderr


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
