"""The plugin layer: every hook documented and used; misspelt hooks and clashes fail loudly."""

import re
from pathlib import Path

import pluggy
import pytest

from plugins.core import hookspecs
from plugins.core.manager import DEFAULT_PLUGINS, feature_name, get_plugin_manager
from plugins.core.settings import Settings
from plugins.core.site import Build
from tests.helpers import ROOT

HOOK_DOCS = ROOT / "docs" / "developers" / "plugins.md"


def hook_names() -> list[str]:
    return [name for name in dir(hookspecs) if hasattr(getattr(hookspecs, name), "kb_spec")]


def test_every_hook_is_documented_with_its_signature():
    text = HOOK_DOCS.read_text(encoding="utf-8")
    documented = re.findall(r"^### `(\w+)`", text, flags=re.M)
    assert sorted(documented) == sorted(hook_names())
    for name in hook_names():
        assert re.search(rf"^{name}\(", text, flags=re.M), f"{name} has no signature in {HOOK_DOCS.name}"


def test_every_hook_has_a_docstring_and_no_body():
    for name in hook_names():
        function = getattr(hookspecs, name)
        assert function.__doc__ and function.__doc__.strip().startswith("Called"), name


# The test that proves each hook does its job. A new hook fails the test below until it has one.
HOOK_TESTS = {
    "register_collections": "test_validation.py::test_the_shipped_data_is_valid",
    "check_knowledge": "test_validation.py::test_rules_across_records_are_checked",
    "check_content": "test_safety.py::test_personal_data_is_refused_in_data_and_in_pages_with_file_and_line",
    "register_pages": "test_build.py::test_tiny_site_builds_with_a_page_per_source_kept_out_of_the_nav",
    "register_macros": "test_plugins.py::test_a_local_plugin_adds_a_macro",
    "prepare_jinja_environment": "test_jsna.py::test_jsna_figures_have_caveats_and_link_to_plan_actions",
    "prepare_page_html": "test_glossary.py::test_glossary_page_lists_every_term_and_tooltips_reach_every_page",
    "page_inputs": "test_inputs.py::test_what_a_plugin_reads_for_a_page_is_among_its_inputs",
    "register_amendments": "test_whatsnew.py::test_a_plugin_adds_amendments_through_the_hook",
    "extra_site_files": "test_plan_build.py::test_exports_agree_with_the_pages",
    "register_commands": "test_report.py::test_report_reproduces_the_seed_reports_facts",
}


def test_every_hook_is_implemented_by_a_built_in_plugin_and_has_a_test():
    pm = get_plugin_manager()
    assert sorted(HOOK_TESTS) == sorted(hook_names())
    for name, test in HOOK_TESTS.items():
        assert getattr(pm.hook, name).get_hookimpls(), f"no built-in plugin implements {name}"
        file, function = test.split("::")
        assert re.search(rf"^def {function}\(", (Path(__file__).parent / file).read_text(), flags=re.M), test


def test_built_in_plugins_are_registered_by_their_package_name():
    pm = get_plugin_manager()
    assert [name for name in DEFAULT_PLUGINS if pm.get_plugin(feature_name(name)) is None] == []


def test_a_misspelt_hook_in_a_local_plugin_fails_at_start_up(tmp_path, monkeypatch):
    plugin = tmp_path / "typo.py"
    plugin.write_text("from plugins.core.hookspecs import hookimpl\n\n@hookimpl\ndef register_page(kb, register):\n    pass\n")
    with pytest.raises(pluggy.PluginValidationError, match="register_page"):
        get_plugin_manager([plugin])


def test_a_local_plugin_adds_a_macro(tmp_path, monkeypatch):
    plugin = tmp_path / "hello.py"
    plugin.write_text(
        "from markupsafe import Markup\n"
        "from plugins.core.hookspecs import hookimpl\n"
        "from plugins.core.pages import Macro\n\n"
        "@hookimpl\n"
        "def register_macros(kb, register):\n"
        "    register(Macro('area_count', lambda page: Markup(len(kb.records['areas']))))\n")
    monkeypatch.setenv("KB_PLUGINS", str(plugin))
    build = Build.load(Settings.from_environment(ROOT))
    build.know_pages([p.relative_to(ROOT / "docs").as_posix() for p in (ROOT / "docs").rglob("*.md")])
    assert build.call_macro("area_count", "index.md") == "4"


def test_two_plugins_cannot_claim_the_same_macro(tmp_path, monkeypatch):
    plugin = tmp_path / "clash.py"
    plugin.write_text(
        "from plugins.core.hookspecs import hookimpl\n"
        "from plugins.core.pages import Macro\n\n"
        "@hookimpl\n"
        "def register_macros(kb, register):\n"
        "    register(Macro('glossary', lambda page: ''))\n")
    monkeypatch.setenv("KB_PLUGINS", str(plugin))
    with pytest.raises(ValueError, match="macro named 'glossary'"):
        Build.load(Settings.from_environment(ROOT))
