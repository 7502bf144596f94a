"""Publishing by git push: the server builds with its trusted code, a push brings content only, every problem
comes back in one refusal, and the live site is never lost (releases, one lock, atomic switch, rollback)."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.helpers import edit, make_project

CODE = ("mkdocs.yml", "docs", "overrides", "hooks", "plugins", "Makefile", "pyproject.toml")


def git(*args: str, cwd: Path, check: bool = True) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith("GIT_")}
    result = subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True, env=env)
    assert result.returncode == 0 or not check, result.stderr
    return result


def kb(*args: str, cwd: Path, env: dict[str, str] | None = None, **popen) -> subprocess.CompletedProcess:
    environment = {**{k: v for k, v in os.environ.items() if not k.startswith(("GIT_", "KB_"))},
                   "NO_MKDOCS_2_WARNING": "1", "PYTHONPATH": str(cwd), **(env or {})}
    return subprocess.run([sys.executable, "-m", "plugins.core.cli", *args], cwd=cwd, capture_output=True, text=True,
                          env=environment, **popen)


def make_checkout(path: Path) -> Path:
    """A trusted checkout: this project's code and the tiny data, committed."""
    make_project(path, sources=CODE)
    for args in (["init", "-q", "-b", "main"], ["config", "user.email", "maintainer@example.invalid"],
                 ["config", "user.name", "Maintainer"], ["add", "-A"], ["commit", "-q", "-m", "reviewed code"]):
        git(*args, cwd=path)
    return path


def install(checkout: Path, bare: Path, live: Path, as_at: str = "recorded") -> subprocess.CompletedProcess:
    return kb("install-git-hooks", str(bare), "--publish-to", str(live), "--url", "https://kb.example/",
              "--as-at", as_at, cwd=checkout)


def editor_clone(bare: Path, clone: Path) -> Path:
    git("clone", "-q", str(bare), str(clone), cwd=bare.parent)
    git("config", "user.email", "editor@example.invalid", cwd=clone)
    git("config", "user.name", "Editor", cwd=clone)
    return clone


@pytest.fixture
def server(tmp_path):
    """A bare repository installed from a trusted checkout and published to www/kb, and an editor's clone.
    (Its main is started with a fetch, which runs no hooks, and published once: one build, not two.)"""
    checkout = make_checkout(tmp_path / "checkout")
    bare, live = tmp_path / "kb.git", tmp_path / "www" / "kb"
    git("init", "-q", "--bare", "-b", "main", str(bare), cwd=tmp_path)
    git("fetch", "-q", str(checkout), "main:main", cwd=bare)
    installed = install(checkout, bare, live)
    assert installed.returncode == 0, installed.stdout + installed.stderr
    published = kb("publish", "--repo", str(bare), cwd=checkout)
    assert published.returncode == 0, published.stderr
    return bare, checkout, editor_clone(bare, tmp_path / "clone"), live, installed


def push(clone: Path, message: str, *refspec: str) -> subprocess.CompletedProcess:
    git("add", "-A", cwd=clone)
    git("commit", "-q", "--allow-empty", "-m", message, cwd=clone)
    return git("push", "origin", *(refspec or ("main",)), cwd=clone, check=False)



def remote_lines(result: subprocess.CompletedProcess) -> list[str]:
    return [line.removeprefix("remote: ").strip() for line in result.stderr.splitlines() if line.startswith("remote:")]


def live_commit(live: Path) -> str:
    return os.readlink(live).rsplit("-", 1)[1]


def test_the_installer_sets_head_to_main_publishes_and_prints_the_nightly_rebuild(tmp_path):
    checkout = make_checkout(tmp_path / "checkout")
    bare, live = tmp_path / "kb.git", tmp_path / "www" / "kb"
    installed = install(checkout, bare, live, as_at="today")
    assert installed.returncode == 0, installed.stdout + installed.stderr
    assert git("symbolic-ref", "HEAD", cwd=bare).stdout.strip() == "refs/heads/main"
    clone = editor_clone(bare, tmp_path / "clone")
    assert (clone / "data" / "sources.yml").is_file()  # an editor's clone has a working tree
    assert live.is_symlink() and (live / "index.html").is_file()
    head = git("rev-parse", "main", cwd=bare).stdout.strip()
    assert live_commit(live) == head[:12]
    assert "KB_AS_AT=today" in installed.stdout and f"publish --repo {bare} --rebuild" in installed.stdout
    assert git("config", "kb.checkout", cwd=bare).stdout.strip() == str(checkout)
    assert git("config", "receive.denyNonFastForwards", cwd=bare).stdout.strip() == "true"
    again = install(checkout, bare, live, as_at="today")  # running it again changes settings, never the site
    assert again.returncode == 0 and live_commit(live) == head[:12]


def test_a_bad_push_is_refused_once_with_every_data_link_and_page_problem(server):
    bare, _, clone, live, _ = server
    before = (live / "index.html").read_text(encoding="utf-8")
    accepted = git("rev-parse", "main", cwd=bare).stdout
    edit(clone / "data" / "sources.yml", "published: 2012-07-31", "published: 2012-07-32")
    about = clone / "docs" / "about.md"
    about.write_text(about.read_text(encoding="utf-8") + "\nSee [the plan](plan/nowhere.md).\n\n"
                     "{{ glosary() }}\n\nRing the carer on 07700 900123.\n\n<script>alert(1)</script>\n",
                     encoding="utf-8")
    refused = push(clone, "several problems at once")
    lines = remote_lines(refused)
    assert refused.returncode != 0
    assert lines[0].startswith("kb: push refused: 5 problems in main")
    assert "data/sources.yml:5: source fostering: published: '2012-07-32' is not a real date" in lines
    assert any(line.startswith("docs/about.md:") and "link 'plan/nowhere.md'" in line for line in lines)
    assert any("no macro named 'glosary'" in line for line in lines)
    assert any("'07700 900123' looks like a telephone number" in line for line in lines)
    assert any("<script> is not allowed" in line for line in lines)
    assert not any("Traceback" in line or line.startswith("INFO") for line in lines)
    assert git("rev-parse", "main", cwd=bare).stdout == accepted
    assert (live / "index.html").read_text(encoding="utf-8") == before


def test_a_good_push_says_one_line_with_the_address(server):
    bare, _, clone, live, _ = server
    edit(clone / "docs" / "about.md", "# About this site", "# About this knowledge base")
    accepted = push(clone, "a better title")
    assert accepted.returncode == 0, accepted.stderr
    head = git("rev-parse", "main", cwd=bare).stdout.strip()
    assert remote_lines(accepted) == [f"kb: published {head[:12]} ({_pages(live)} pages) at https://kb.example/"]
    assert "About this knowledge base" in (live / "about" / "index.html").read_text(encoding="utf-8")


def test_the_published_site_lists_the_pushed_commits_in_whats_new(server):
    """The server builds an exported commit (no .git of its own): it reads the history from the repository."""
    _, _, clone, live, _ = server
    edit(clone / "docs" / "about.md", "# About this site", "# About this knowledge base")
    git("add", "-A", cwd=clone)
    git("commit", "-q", "-m", "About: a clearer title", "-m", "Role: Social worker", cwd=clone)
    accepted = git("push", "origin", "main", cwd=clone, check=False)
    assert accepted.returncode == 0, accepted.stderr
    assert "About: a clearer title" in (live / "whats-new" / "all.xml").read_text(encoding="utf-8")
    whats_new = (live / "whats-new" / "index.html").read_text(encoding="utf-8")
    assert re.search(r"About: a clearer title</td><td>Social worker</td>", whats_new)


def _pages(site: Path) -> int:
    return sum(1 for _ in site.rglob("*.html")) - 1


def test_a_push_that_changes_code_is_refused_and_its_code_never_runs(server, tmp_path):
    bare, _, clone, live, _ = server
    marker = tmp_path / "pushed-code-ran"
    safety = clone / "plugins" / "safety" / "__init__.py"
    safety.write_text(f"open({str(marker)!r}, 'w').write('ran')\n" + safety.read_text(encoding="utf-8"))
    edit(clone / "mkdocs.yml", "  - hooks/page_html.py", "  - hooks/page_html.py\n  - hooks/evil.py")
    (clone / "hooks" / "evil.py").write_text(f"open({str(marker)!r}, 'w').write('ran')\n")
    (clone / "docs" / "assets" / "steal.js").write_text("fetch('https://evil.example/')\n")
    refused = push(clone, "try to run code on the server")
    lines = remote_lines(refused)
    assert refused.returncode != 0
    assert any(line.startswith("this push changes code (docs/assets/steal.js, hooks/evil.py, mkdocs.yml, "
                               "plugins/safety/__init__.py)") for line in lines)
    assert any("maintainers' route" in line for line in lines)
    assert not marker.exists()
    assert not (live / "assets" / "steal.js").exists()
    assert _checks_left(live) == []   # the site its check built (from the trusted code) is gone with it


def _checks_left(live: Path) -> list[str]:
    """The sites of pushes' checks left in the releases folder (a publish takes its push's)."""
    return [p.name for p in live.with_name(f"{live.name}.releases").iterdir()
            if p.name.startswith((".checked-", ".checking-"))]


def test_a_push_is_published_as_its_check_built_it(server):
    """One build a push: the check builds the pushed content into the releases folder, and the publish that
    follows the accepted push makes that site live rather than building it again."""
    bare, _, clone, live, _ = server
    edit(clone / "docs" / "about.md", "# About this site", "# About this knowledge base")
    accepted = push(clone, "a better title")
    assert accepted.returncode == 0, accepted.stderr
    moved = (bare / "refs" / "heads" / "main").stat().st_mtime_ns   # git moves main once the check has passed
    about = live / "about" / "index.html"
    assert "About this knowledge base" in about.read_text(encoding="utf-8")
    assert about.stat().st_mtime_ns < moved   # written by the check, before the push was accepted
    assert _checks_left(live) == []


def test_code_reaches_the_server_through_the_maintainers_route(server):
    bare, checkout, clone, live, _ = server
    edit(checkout / "plugins" / "core" / "templates" / "page_notes.html", "This page is built from",
         "This page is made from")
    git("commit", "-q", "-am", "reviewed: clearer footer", cwd=checkout)
    pushed = git("push", str(bare), "HEAD:main", cwd=checkout, check=False)
    assert pushed.returncode == 0, pushed.stderr
    assert "This page is made from" in (live / "index.html").read_text(encoding="utf-8")
    git("pull", "-q", cwd=clone)  # editors then carry the new code: their content pushes are accepted again
    edit(clone / "docs" / "about.md", "# About this site", "# About the site")
    assert push(clone, "content after a code update").returncode == 0


def test_symbolic_links_anywhere_in_a_push_are_refused(server):
    bare, _, clone, live, _ = server
    (clone / "docs" / "passwd.md").symlink_to("/etc/passwd")
    (clone / "data" / "outside").symlink_to("/etc")
    refused = push(clone, "links")
    lines = remote_lines(refused)
    assert refused.returncode != 0
    assert any(line.startswith("docs/passwd.md: a symbolic link") for line in lines)
    assert any(line.startswith("data/outside: a symbolic link") for line in lines)
    assert not (live / "passwd").exists()


def test_force_pushes_deleting_main_and_other_branches_are_refused(server):
    bare, _, clone, _, _ = server
    head = git("rev-parse", "main", cwd=bare).stdout
    edit(clone / "docs" / "about.md", "# About this site", "# About the site")
    assert push(clone, "one more").returncode == 0
    rewrite = git("push", "--force", "origin", f"{head.strip()}:main", cwd=clone, check=False)
    assert rewrite.returncode != 0 and "rewrites published history" in rewrite.stderr
    delete = git("push", "origin", ":main", cwd=clone, check=False)
    assert delete.returncode != 0 and "deleting the branch the site is published from is refused" in delete.stderr
    other = git("push", "origin", "main:drafts", cwd=clone, check=False)
    assert other.returncode != 0 and "only main is published and checked" in other.stderr
    assert git("branch", "--list", cwd=bare).stdout.split() == ["*", "main"]


def test_a_failed_publish_is_reported_and_leaves_the_previous_site_live(server):
    bare, checkout, clone, live, _ = server
    before = os.readlink(live)
    edit(clone / "data" / "sources.yml", "published: 2012-07-31", "published: 2012-07-32")
    git("commit", "-q", "-am", "broken, and slipped past the hooks", cwd=clone)
    bad = git("rev-parse", "HEAD", cwd=clone).stdout.strip()
    git("fetch", "-q", str(clone), "+main:refs/heads/main", cwd=bare)  # a fetch runs no hooks
    result = kb("publish", "--repo", str(bare), cwd=checkout)
    assert result.returncode == 1
    assert f"kb: publishing {bad[:12]} FAILED; the site still shows release {Path(before).name}" in result.stderr
    assert "data/sources.yml:5" in result.stderr and "Traceback" not in result.stderr
    assert os.readlink(live) == before
    assert not list(live.parent.joinpath("kb.releases").glob(".building-*"))


def test_rollback_switches_back_to_the_previous_release(server):
    bare, checkout, clone, live, _ = server
    first = os.readlink(live)
    edit(clone / "docs" / "about.md", "# About this site", "# About the site")
    assert push(clone, "second release").returncode == 0
    assert os.readlink(live) != first
    rolled = kb("publish", "--repo", str(bare), "--rollback", cwd=checkout)
    assert rolled.returncode == 0, rolled.stderr
    assert os.readlink(live) == first
    assert "About this site" in (live / "about" / "index.html").read_text(encoding="utf-8")
    again = kb("publish", "--repo", str(bare), "--rollback", cwd=checkout)
    assert again.returncode == 1 and "nothing to roll back to" in again.stderr and "Traceback" not in again.stderr


def test_overlapping_publishes_end_on_the_latest_commit_and_an_unrelated_old_folder_is_kept(server, tmp_path):
    bare, checkout, clone, live, _ = server
    (tmp_path / "www" / "kb.old").mkdir()
    (tmp_path / "www" / "kb.old" / "notes.txt").write_text("someone else's")
    commits = []
    for old, title in (("this site", "one"), ("one", "two")):
        edit(clone / "docs" / "about.md", f"# About {old}", f"# About {title}")
        git("commit", "-q", "-am", title, cwd=clone)
        git("branch", title, cwd=clone)
        commits.append(git("rev-parse", "HEAD", cwd=clone).stdout.strip())
    git("fetch", "-q", str(clone), "+one:refs/heads/main", cwd=bare)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("GIT_", "KB_"))}
    command = [sys.executable, "-m", "plugins.core.cli", "publish", "--repo", str(bare), "--rebuild"]
    first = subprocess.Popen(command, cwd=checkout, env=env, stderr=subprocess.PIPE, text=True)
    git("fetch", "-q", str(clone), "+two:refs/heads/main", cwd=bare)
    second = subprocess.Popen(command, cwd=checkout, env=env, stderr=subprocess.PIPE, text=True)
    assert first.wait(timeout=300) == 0 and second.wait(timeout=300) == 0
    assert live_commit(live) == commits[1][:12]
    assert (tmp_path / "www" / "kb.old" / "notes.txt").read_text() == "someone else's"


def test_a_killed_build_leaves_the_site_live_and_its_debris_is_cleaned(server):
    bare, checkout, _, live, _ = server
    before = os.readlink(live)
    releases = live.parent / "kb.releases"
    env = {k: v for k, v in os.environ.items() if not k.startswith(("GIT_", "KB_"))}
    build = subprocess.Popen([sys.executable, "-m", "plugins.core.cli", "publish", "--repo", str(bare), "--rebuild"],
                             cwd=checkout, env=env, start_new_session=True, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 120
    # Killed as soon as its folder is made, before MkDocs starts: once a page is in it, a build taking the
    # unchanged pages from the live release can finish and go live before the kill lands.
    while not list(releases.glob(".building-*")) and time.monotonic() < deadline:
        time.sleep(0.01)
    os.killpg(build.pid, signal.SIGKILL)
    build.wait()
    assert os.readlink(live) == before and (live / "index.html").is_file()
    assert kb("publish", "--repo", str(bare), "--rebuild", cwd=checkout).returncode == 0
    assert not list(releases.glob(".building-*"))


def test_a_build_that_takes_too_long_is_stopped_and_the_push_refused(server):
    bare, _, clone, live, _ = server
    before = os.readlink(live)
    git("config", "kb.timeout", "0.2", cwd=bare)
    edit(clone / "docs" / "about.md", "# About this site", "# About the site")
    refused = push(clone, "slow")
    assert refused.returncode != 0
    assert "the build took longer than 0.2 seconds and was stopped" in refused.stderr
    assert os.readlink(live) == before


def test_a_push_of_a_one_record_change_reuses_the_pages_it_did_not_change(server, tmp_path, monkeypatch):
    """Each push is built in a new folder; the pages whose inputs it did not change are the last build's
    (plugins/core/reuse.py): a page's entry is kept by its key, so reused pages are those whose keys stay."""
    from plugins.core.reuse import kept_keys

    _, _, clone, live, _ = server
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))   # the server's cache (a pusher's KB_ are dropped)
    cache = tmp_path / "xdg" / "kent-kb"
    edit(clone / "docs" / "about.md", "# About this site", "# About this knowledge base")
    assert push(clone, "a better title").returncode == 0
    [store] = list((cache / "pages").iterdir())
    before = {key for key in kept_keys(store) if not key.startswith(("memo-", "inputs-"))}
    edit(clone / "data" / "actions.yml", "note: Demand exceeds places.", "note: Demand exceeds places; kb-edited.")
    assert push(clone, "one progress note").returncode == 0
    after = {key for key in kept_keys(store) if not key.startswith(("memo-", "inputs-"))}
    reused = after & before
    assert len(after) == _pages(live)
    assert len(after) * 0.6 < len(reused) < len(after)
    assert "kb-edited" in (live / "plan" / "actions" / "act-training" / "index.html").read_text(encoding="utf-8")
