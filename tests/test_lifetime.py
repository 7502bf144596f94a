"""How long what a process makes lives (plugins/core/lifetime.py): the load runs without cycle collection,
and a process that builds once freezes its data and ends without taking it apart, its output whole."""

from __future__ import annotations

import gc
import subprocess
import sys

from plugins.core import lifetime, loading
from plugins.core.lifetime import collector_paused
from plugins.core.manager import get_plugin_manager
from plugins.core.settings import Settings
from tests.helpers import ROOT


def _collector_running_at_each_call(monkeypatch, module, name: str) -> list[bool]:
    """Whether the cycle collector was running at each call of `module.name` from now on."""
    running: list[bool] = []
    function = getattr(module, name)

    def noting(*args, **kwargs):
        running.append(gc.isenabled())
        return function(*args, **kwargs)

    monkeypatch.setattr(module, name, noting)
    return running


def test_the_data_is_loaded_without_cycle_collection_and_the_collector_runs_again_after(monkeypatch):
    collector_on = _collector_running_at_each_call(monkeypatch, loading, "_load_file")
    kb = loading.load_knowledge(get_plugin_manager(), Settings(root=ROOT, data_dir=ROOT / "data"))
    assert kb.record_count > 100
    assert len(collector_on) >= len(kb.collections) and not any(collector_on)
    assert gc.isenabled()


def test_a_paused_collector_is_left_as_it_was_found():
    with collector_paused():
        assert not gc.isenabled()
    assert gc.isenabled()
    gc.disable()
    try:
        with collector_paused():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_kb_imports_the_plugins_with_the_collector_paused(monkeypatch, capsys):
    from plugins.core import cli

    collector_on = _collector_running_at_each_call(monkeypatch, cli, "get_plugin_manager")
    monkeypatch.chdir(ROOT)
    assert cli.main(["validate"]) == 0, capsys.readouterr().err
    assert collector_on == [False]
    assert gc.isenabled()


def test_a_collector_paused_until_the_load_runs_again_when_the_load_ends():
    """What `run_mkdocs` does: MkDocs' imports and the hooks' run paused, then the load, then the build with
    the collector running."""
    result = _python("-c", "import gc\n"
                           "from plugins.core import lifetime\n"
                           "lifetime.paused_until_loaded()\n"
                           "print(gc.isenabled())\n"
                           "with lifetime.collector_paused():\n"
                           "    print(gc.isenabled())\n"
                           "print(gc.isenabled())\n"
                           "with lifetime.collector_paused():\n"
                           "    pass\n"
                           "print(gc.isenabled())\n")
    assert result.stdout == "False\nFalse\nTrue\nTrue\n", result.stderr


def _python(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, *args], capture_output=True, text=True, cwd=ROOT,
                          env={"PATH": "/usr/bin:/bin", "NO_MKDOCS_2_WARNING": "1"})


def test_only_a_one_shot_process_freezes_its_data_and_it_ends_with_its_output_whole():
    result = _python("-c", "import gc, sys\n"
                           "from plugins.core import lifetime\n"
                           "with lifetime.collector_paused():\n"
                           "    loaded = [[n] for n in range(1000)]\n"
                           "print(gc.get_freeze_count() > 0, gc.get_threshold()[2])\n"
                           "lifetime.one_shot()\n"
                           "with lifetime.collector_paused():\n"
                           "    loaded = [[n] for n in range(1000)]\n"
                           "print(gc.get_freeze_count() >= 1000, gc.isenabled(), gc.get_threshold()[2])\n"
                           "sys.stdout.write('x' * 100_000)\n"
                           "sys.stderr.write('last words')\n"
                           "lifetime.end(3)\n")
    assert result.returncode == 3
    # Frozen, and full collections ten times rarer, in a one-shot process only; a pipe's output is flushed at the end.
    assert result.stdout == f"False 10\nTrue True {lifetime.FULL_EVERY}\n" + "x" * 100_000
    assert result.stderr == "last words"


def test_run_mkdocs_is_mkdocs_command_line_with_its_output_and_status(tmp_path):
    for args in (["--version"], ["build", "--strict", "-f", str(tmp_path / "missing.yml")]):
        ours = _python("-m", "plugins.core.run_mkdocs", *args)
        theirs = _python("-m", "mkdocs", *args)
        named = [text.replace("python -m mkdocs", "mkdocs") for text in (theirs.stdout, theirs.stderr)]
        assert (ours.returncode, ours.stdout, ours.stderr) == (theirs.returncode, *named)
    assert theirs.returncode != 0 and "missing.yml" in theirs.stderr
