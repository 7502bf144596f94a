"""The benchmark's scripts still fit the code they measure. They are not run here: they time the machine."""

from __future__ import annotations

import shutil
from pathlib import Path

from bench.budget import LEAVE_OUT, VARIANTS, scratch_project, unapplied

ROOT = Path(__file__).resolve().parents[1]


def test_every_feature_the_budget_leaves_out_is_left_out_by_one_change_to_this_code():
    assert unapplied(ROOT, tuple(LEAVE_OUT)) == []
    assert set(VARIANTS["without all three"]) == set(LEAVE_OUT)


def test_a_change_that_no_longer_fits_the_code_is_reported_not_made(tmp_path):
    shutil.copytree(ROOT / "plugins", tmp_path / "plugins")
    edit = LEAVE_OUT["glossary"][1]
    path = tmp_path / edit.file
    path.write_text(path.read_text(encoding="utf-8").replace(edit.old, edit.old.replace("html", "text")),
                    encoding="utf-8")
    assert unapplied(tmp_path, ("glossary", "guard")) == [
        f"{edit.file}: the text that leaves out glossary is there 0 times, not once "
        "(the code changed: update LEAVE_OUT in bench/budget.py)"]


def test_the_scratch_copy_leaves_out_only_what_it_is_asked_to_and_the_checkout_is_untouched(tmp_path):
    before = {feature: (ROOT / edit.file).read_text(encoding="utf-8") for feature, (_, edit) in LEAVE_OUT.items()}
    project = scratch_project(("search", "guard"), tmp_path / "project")
    for feature, (_, edit) in LEAVE_OUT.items():
        copied = (project / edit.file).read_text(encoding="utf-8")
        assert (edit.new in copied) == (feature in ("search", "guard")), feature
        assert (ROOT / edit.file).read_text(encoding="utf-8") == before[feature]
    assert (project / "mkdocs.yml").read_text(encoding="utf-8") == (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
