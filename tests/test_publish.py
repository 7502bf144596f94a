"""Publishing a built site: destructive destinations refused, releases switched atomically, no traceback for
bad input, and the same commit always builds the same bytes."""

from __future__ import annotations

import gzip
import os
import threading
import time
from pathlib import Path

import pytest

from plugins.core.publish import PublishError, Releases, check_destination
from tests.helpers import make_project, run_kb, run_mkdocs_build


@pytest.fixture
def project(tmp_path):
    return make_project(tmp_path / "project")


def fingerprint(folder: Path) -> dict[str, int]:
    """Every file below a folder and its size (enough to see that nothing was deleted or replaced)."""
    return {p.relative_to(folder).as_posix(): p.stat().st_size for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.mark.parametrize("destination", ["", " ", ".", "./", "docs", "data", "hooks", "plugins-like", "..", "/",
                                         "~", "checkout", "has-git", "has-mkdocs-yml", "notes", "a-file", "foreign-link"])
def test_kb_build_refuses_a_destination_it_could_destroy(project, destination):
    (project / "plugins-like").mkdir()
    (project / "plugins-like" / "__init__.py").write_text("# code\n")
    (project / "has-git" / ".git").mkdir(parents=True)
    (project / "has-mkdocs-yml").mkdir()
    (project / "has-mkdocs-yml" / "mkdocs.yml").write_text("site_name: other\n")
    (project / "notes").mkdir()
    (project / "notes" / "minutes.txt").write_text("keep me\n")
    (project / "a-file").write_text("keep me\n")
    (project / "foreign-link").symlink_to(project / "notes")
    argument = str(project) if destination == "checkout" else destination
    before = fingerprint(project)
    result = run_kb("build", "-d", argument, cwd=project)
    assert result.returncode == 1, result.stdout
    assert result.stderr.startswith("kb: refusing to publish") or result.stderr.startswith("kb: the site folder") \
        or result.stderr.startswith("kb: refusing to replace"), result.stderr
    assert "Traceback" not in result.stderr and len(result.stderr.strip().splitlines()) == 1
    assert fingerprint(project) == before


def test_a_folder_built_before_releases_is_replaced_atomically_and_kept_for_rollback(project):
    assert run_mkdocs_build(project).returncode == 0  # site/ as a plain folder, the way builds used to leave it
    old_index = (project / "site" / "index.html").read_bytes()
    result = run_kb("build", cwd=project)
    assert result.returncode == 0, result.stderr
    site = Releases(project / "site")
    assert (project / "site").is_symlink() and len(site.all()) == 2
    assert (site.all()[0] / "index.html").read_bytes() == old_index
    site.rollback()
    assert (project / "site" / "index.html").read_bytes() == old_index


def test_releases_switch_with_one_rename_and_old_ones_are_pruned(tmp_path):
    releases = Releases(tmp_path / "www" / "kb")
    seen = []
    with releases.lock():
        for number in range(4):
            staging = releases.staging("test")
            (staging / "index.html").write_text(f"release {number}")
            releases.switch(releases.promote(staging, f"r{number}"))
            seen.append((tmp_path / "www" / "kb" / "index.html").read_text())
        releases.prune(2)
    assert seen == [f"release {n}" for n in range(4)]
    assert [r.name.rsplit("-", 1)[1] for r in releases.all()] == ["r2", "r3"]
    assert sorted(p.name for p in (tmp_path / "www").iterdir()) == ["kb", "kb.releases"]
    # The old releases' files are deleted by a process of their own, which the build does not wait for.
    folder = tmp_path / "www" / "kb.releases"
    deadline = time.monotonic() + 30
    while len([p for p in folder.iterdir() if p.is_dir()]) > 2 and time.monotonic() < deadline:
        time.sleep(0.05)
    assert sorted(p.name.rsplit("-", 1)[1] for p in folder.iterdir() if p.is_dir()) == ["r2", "r3"]


def test_a_removal_that_never_finished_is_cleared_by_the_next_build(tmp_path):
    releases = Releases(tmp_path / "kb")
    left = releases.folder / ".removing-20260101T000000Z-old"
    (left / "plan").mkdir(parents=True)
    (left / "plan" / "index.html").write_text("old")
    with releases.lock():
        assert releases.clean_stale() == [left]
    assert not left.exists()


def test_readers_never_see_the_site_missing_while_it_switches(tmp_path):
    releases = Releases(tmp_path / "kb")
    with releases.lock():
        for name in ("a", "b"):
            staging = releases.staging(name)
            (staging / "index.html").write_text(name)
            releases.promote(staging, name)
    first, second = releases.all()
    releases.switch(first)
    missing = []
    stop = threading.Event()

    def read() -> None:
        while not stop.is_set():
            try:
                (tmp_path / "kb" / "index.html").read_text()
            except OSError:
                missing.append(1)

    reader = threading.Thread(target=read)
    reader.start()
    for _ in range(300):
        releases.switch(second)
        releases.switch(first)
    stop.set()
    reader.join()
    assert missing == []


def test_a_stale_build_folder_is_removed_only_by_the_next_build_under_the_lock(tmp_path):
    releases = Releases(tmp_path / "kb")
    with releases.lock():
        stale = releases.staging("killed")
        (stale / "half.html").write_text("half")
        assert releases.clean_stale() == [stale]
    assert not stale.exists()


def test_the_destination_check_explains_itself(tmp_path):
    (tmp_path / "docs").mkdir()
    with pytest.raises(PublishError, match="content folder"):
        check_destination(str(tmp_path / "docs" / "site"), tmp_path / "project", (tmp_path / "docs",))
    assert check_destination(str(tmp_path / "new"), tmp_path / "project") == tmp_path / "new"


MALFORMED = [
    (["build", "-d", ""], {}), (["build", "--keep", "0"], {}), (["build", "--timeout", "soon"], {}),
    (["build", "--edition", "secret"], {}), (["publish", "--repo", "/nonexistent"], {}),
    (["publish", "--repo", "."], {}), (["install-git-hooks"], {}),
    (["install-git-hooks", "/nonexistent/kb.git", "--publish-to", ""], {}),
    (["validate", "--data", "/nonexistent"], {}), (["validate", "--data", "/etc/hostname"], {}),
    (["-f", "nonexistent.yml", "build"], {}), (["schema", "-o", "/proc/not-here"], {}), (["no-such-command"], {}),
    (["report", "--from", "yesterday", "--to", "2015-04-21"], {}), (["reviews", "--within", "soon"], {}),
    (["validate"], {"KB_CLASSIFICATION": "secret"}), (["validate"], {"KB_AS_AT": "2015-02-30"}),
    (["validate"], {"KB_EDITION": "private"}), (["validate"], {"KB_PLUGINS": "/etc/hostname"}),
    (["validate"], {"KB_DATA_DIR": "/nonexistent"}), (["build", "-d", "elsewhere"], {"KB_AS_AT": "never"}),
]


@pytest.mark.parametrize("arguments, environment", MALFORMED)
def test_no_command_prints_a_traceback_for_bad_arguments_or_settings(project, arguments, environment):
    result = run_kb(*arguments, cwd=project, env=environment)
    assert result.returncode != 0
    assert "Traceback" not in result.stderr + result.stdout
    assert result.stderr.strip()


@pytest.mark.parametrize("environment", [{"KB_CLASSIFICATION": "secret"}, {"KB_PLUGINS": "/etc/hostname"},
                                         {"KB_EDITION": "private"}])
def test_mkdocs_itself_reports_a_bad_setting_in_one_line(project, environment):
    result = run_mkdocs_build(project, env=environment)
    assert result.returncode != 0 and "Traceback" not in result.stderr
    assert [line for line in result.stderr.splitlines() if line.startswith("ERROR")][0].count("\n") == 0


def test_two_builds_of_the_same_content_are_byte_identical_sitemap_included(project):
    first = run_mkdocs_build(project, project / "first")
    second = run_mkdocs_build(project, project / "second")
    assert first.returncode == 0 and second.returncode == 0
    files = {p.relative_to(project / "first") for p in (project / "first").rglob("*") if p.is_file()}
    assert files == {p.relative_to(project / "second") for p in (project / "second").rglob("*") if p.is_file()}
    different = [str(f) for f in sorted(files) if (project / "first" / f).read_bytes()
                 != (project / "second" / f).read_bytes()]
    assert different == []
    compressed = (project / "first" / "sitemap.xml.gz").read_bytes()
    assert compressed[4:8] == b"\0\0\0\0"  # gzip's modification time: none
    assert gzip.decompress(compressed) == (project / "first" / "sitemap.xml").read_bytes()


def test_kb_build_prints_a_summary_not_the_build_log(project):
    result = run_kb("build", cwd=project)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1].startswith("built ")
    assert "INFO" not in result.stdout + result.stderr
    assert os.access(project / "site" / "index.html", os.R_OK)
