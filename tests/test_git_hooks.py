"""Publishing by git push: a push that does not build is refused; an accepted push is published whole."""

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.helpers import ROOT, make_project

HOOK = ROOT / "hooks" / "git" / "kb-hook"


def git(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True)


@pytest.fixture
def server(tmp_path):
    """A bare repository with the hooks installed, and an editor's clone with the site in it."""
    bare = tmp_path / "kb.git"
    live = tmp_path / "www" / "kb"
    live.parent.mkdir()
    assert git("init", "-q", "--bare", "-b", "main", str(bare), cwd=tmp_path).returncode == 0
    for name in ("pre-receive", "post-receive"):
        (bare / "hooks" / name).symlink_to(HOOK)
    git("config", "kb.python", sys.executable, cwd=bare)
    git("config", "kb.publishdir", str(live), cwd=bare)

    clone = make_project(tmp_path / "clone")
    shutil.copytree(ROOT / "plugins", clone / "plugins", ignore=shutil.ignore_patterns("__pycache__"))
    for args in (["init", "-q", "-b", "main"], ["config", "user.email", "editor@example.invalid"],
                 ["config", "user.name", "Editor"], ["remote", "add", "origin", str(bare)]):
        git(*args, cwd=clone)
    return bare, clone, live


def commit_and_push(clone: Path, message: str) -> subprocess.CompletedProcess:
    git("add", "-A", cwd=clone)
    git("commit", "-q", "-m", message, cwd=clone)
    return git("push", "origin", "main", cwd=clone)


def test_a_good_push_is_published_and_a_bad_one_refused(server):
    bare, clone, live = server
    pushed = commit_and_push(clone, "first content")
    assert pushed.returncode == 0, pushed.stderr
    assert "kb: published" in pushed.stderr
    published = (live / "index.html").read_text(encoding="utf-8")
    accepted = git("rev-parse", "main", cwd=bare).stdout

    sources = clone / "data" / "sources.yml"
    sources.write_text(sources.read_text().replace("published: 2012-07-31", "published: 2012-07-32"))
    refused = commit_and_push(clone, "impossible date")
    assert refused.returncode != 0
    assert "data/sources.yml:5: source fostering: published: '2012-07-32' is not a real date" in refused.stderr
    assert "kb: push refused" in refused.stderr
    assert git("rev-parse", "main", cwd=bare).stdout == accepted
    assert (live / "index.html").read_text(encoding="utf-8") == published
