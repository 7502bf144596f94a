"""`kb install-git-hooks`: set up a bare repository so that editors publish by pushing to it.

Run from the trusted checkout (the reviewed code the server builds with). It
creates the repository if need be, points HEAD at main (so a clone has a working
tree), has git itself refuse force-pushes, deletions and malformed objects,
links hooks/git/kb-hook as pre-receive and post-receive, records the settings in
the repository's git config, publishes the checkout's content if main does not
exist yet, and prints the nightly rebuild line for cron.
"""

from __future__ import annotations

import shlex
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from plugins.core.publish import PublishError, check_destination
from plugins.core.receive import BRANCH, git
from plugins.core.settings import parse_classification


@dataclass(frozen=True)
class Installation:
    repo: Path
    checkout: Path
    publish_to: str
    url: str = ""
    as_at: str = "today"
    keep: int = 5
    timeout: float = 600
    edition: str = ""
    classification: str = ""
    edit_url: str = ""
    python: str = sys.executable


def install(setup: Installation) -> int:
    if setup.classification:
        parse_classification(setup.classification)  # a bad value is refused here, not at the first push
    checkout = _trusted_checkout(setup.checkout)
    repo = Path(setup.repo).resolve()
    site = check_destination(setup.publish_to, checkout, (checkout / "docs", checkout / "data"))
    if repo == checkout or repo.is_relative_to(checkout) or site.is_relative_to(repo):
        raise PublishError("the repository, the checkout and the site folder must be three separate places")
    if not repo.exists():
        _run(["git", "init", "--quiet", "--bare", "--initial-branch=main", str(repo)])
    elif git(repo, "rev-parse", "--is-bare-repository", check=False).stdout.strip() != "true":
        raise PublishError(f"{repo} is not a bare repository: make one with `git init --bare {repo}`")
    settings = {
        "kb.checkout": str(checkout), "kb.python": setup.python, "kb.publishdir": str(site), "kb.url": setup.url,
        "kb.asAt": setup.as_at, "kb.keep": str(setup.keep), "kb.timeout": f"{setup.timeout:g}",
        "kb.edition": setup.edition, "kb.classification": setup.classification, "kb.editUrl": setup.edit_url,
        "receive.denyNonFastForwards": "true", "receive.denyDeletes": "true", "receive.fsckObjects": "true",
    }
    for key, value in settings.items():
        if value:
            git(repo, "config", key, value)
        else:
            git(repo, "config", "--unset-all", key, check=False)
    git(repo, "symbolic-ref", "HEAD", BRANCH)
    _link_hooks(repo, checkout / "hooks" / "git" / "kb-hook")
    print(f"kb: {repo} publishes main to {site}, built with the code of {checkout} "
          f"at {_head(checkout)[:12]}")
    if git(repo, "rev-parse", "--verify", "--quiet", BRANCH, check=False).returncode != 0:
        print("kb: main does not exist yet: pushing the checkout's content to start it")
        pushed = subprocess.run(["git", "-C", str(checkout), "push", "--quiet", str(repo), f"HEAD:{BRANCH}"],
                                env=_clean_env())
        if pushed.returncode != 0:
            raise PublishError("the first push was refused (see above): fix the checkout's content and run again")
    print("kb: editors clone it with:   git clone " + shlex.quote(str(repo)))
    if setup.as_at == "today":
        print("kb: rebuild nightly (review notices and overdue actions as at the day), e.g. in crontab:")
        print(f"    15 2 * * *  KB_AS_AT=today {shlex.quote(str(_kb_command()))} publish --repo "
              f"{shlex.quote(str(repo))} --rebuild")
    else:
        print("kb: the site is as at the last date recorded in the data, so it needs no nightly rebuild "
              "(install with --as-at today to measure against the calendar)")
    return 0


def _trusted_checkout(path: Path) -> Path:
    checkout = Path(path).resolve()
    top = subprocess.run(["git", "-C", str(checkout), "rev-parse", "--show-toplevel"], capture_output=True, text=True,
                         env=_clean_env())
    if top.returncode != 0 or Path(top.stdout.strip()).resolve() != checkout:
        raise PublishError(f"{checkout} is not the top of a git checkout: install from the trusted checkout")
    if not _head(checkout):
        raise PublishError(f"{checkout} has no commit: the server builds with the checkout's committed code")
    dirty = subprocess.run(["git", "-C", str(checkout), "status", "--porcelain", "--untracked-files=no"],
                           capture_output=True, text=True, env=_clean_env()).stdout.strip()
    if dirty:
        print("kb: note: the checkout has uncommitted changes; the server uses only its committed code (HEAD)")
    return checkout


def _head(checkout: Path) -> str:
    return subprocess.run(["git", "-C", str(checkout), "rev-parse", "--verify", "--quiet", "HEAD"],
                          capture_output=True, text=True, env=_clean_env()).stdout.strip()


def _link_hooks(repo: Path, hook: Path) -> None:
    hooks = repo / "hooks"
    hooks.mkdir(exist_ok=True)
    for name in ("pre-receive", "post-receive"):
        path = hooks / name
        if path.is_symlink() or not path.exists():
            path.unlink(missing_ok=True)
            path.symlink_to(hook)
        elif path.read_bytes() != hook.read_bytes():
            raise PublishError(f"{path} is another hook: move it away, then run this again")


def _kb_command() -> Path:
    script = Path(sys.executable).with_name("kb")
    return script if script.exists() else Path(sys.executable)


def _clean_env() -> dict[str, str]:
    import os

    return {k: v for k, v in os.environ.items() if not k.startswith("GIT_")}


def _run(command: list[str]) -> None:
    result = subprocess.run(command, capture_output=True, text=True, env=_clean_env())
    if result.returncode != 0:
        raise PublishError(f"{' '.join(command[:3])} failed: {result.stderr.strip()}")
