"""`kb serve`: the port checked before building, every problem shown in the browser until it is fixed, and the
build child stopped with the preview."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from tests.helpers import edit, make_project

TIMEOUT = 90


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Preview:
    """`kb serve` running in a project, its output collected line by line."""

    def __init__(self, project: Path, port: int, env: dict[str, str] | None = None) -> None:
        self.project, self.port = project, port
        self.lines: list[str] = []
        self.process = subprocess.Popen(
            [sys.executable, "-m", "plugins.core.cli", "serve", "--port", str(port)], cwd=project,
            env={**os.environ, "NO_MKDOCS_2_WARNING": "1", **(env or {})}, stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT, text=True)
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        for line in self.process.stdout:
            self.lines.append(line.rstrip("\n"))

    def wait_for(self, text: str, after: int = 0) -> int:
        """Wait until a line (from line number `after`) contains `text`; return the number of lines seen."""
        deadline = time.monotonic() + TIMEOUT
        while time.monotonic() < deadline:
            if any(text in line for line in self.lines[after:]):
                return len(self.lines)
            assert self.process.poll() is None, "\n".join(self.lines)
            time.sleep(0.1)
        raise AssertionError(f"no {text!r} in:\n" + "\n".join(self.lines))

    def get(self, path: str) -> tuple[int, str]:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{self.port}{path}", timeout=TIMEOUT) as response:
                return response.status, response.read().decode("utf-8")
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode("utf-8")

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            self.process.wait(timeout=TIMEOUT)


@pytest.fixture
def project(tmp_path) -> Path:
    return make_project(tmp_path / "project")


@pytest.fixture
def preview(project):
    running = Preview(project, free_port())
    yield running
    running.stop()


def build_processes(project: Path) -> dict[int, int]:
    """The processes building this project's preview, each with its parent: the build server and the build
    it forked (their command line names the project's mkdocs.yml), or a build in a new process."""
    found = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                command = (entry / "cmdline").read_bytes().split(b"\0")
                parent = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, ValueError, IndexError):
                continue
            if ((b"mkdocs" in command or b"plugins.core.buildserver" in command)
                    and str(project / "mkdocs.yml").encode() in command):
                found[int(entry.name)] = parent
    return found


def builds_running(project: Path) -> list[int]:
    """Builds running now: a child of the build server, or a build in a new process (`mkdocs build`)."""
    processes = build_processes(project)
    servers = {pid for pid in processes if _command(pid)[:3][-1:] == [b"plugins.core.buildserver"]}
    return [pid for pid, parent in processes.items() if parent in servers or pid not in servers]


def _command(pid: int) -> list[bytes]:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
    except OSError:
        return []


def build_server(project: Path) -> int | None:
    """The pid of the preview's build server, if one runs."""
    return next((pid for pid in build_processes(project) if b"plugins.core.buildserver" in _command(pid)), None)


def test_a_busy_port_is_one_line_and_nothing_is_built(project):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        started = time.monotonic()
        result = subprocess.run([sys.executable, "-m", "plugins.core.cli", "serve", "--port", str(port)], cwd=project,
                                capture_output=True, text=True, timeout=TIMEOUT)
    assert result.returncode == 1
    assert result.stdout == ""  # not even "building"
    assert result.stderr.strip().splitlines() == [
        f"kb serve: port {port} on 127.0.0.1 is in use (Address already in use): stop the program using it, or "
        f"choose another port: make serve PORT={port + 1}  (or kb serve --port {port + 1})"]
    assert not (project / "site").exists() and time.monotonic() - started < 30


@pytest.mark.parametrize(("arguments", "said"), [
    (["--port", "99999"], "kb serve: error: argument -p/--port: 99999 is not a port number: give one from 1 to 65535"),
    (["--port", "-5"], "kb serve: error: argument -p/--port: -5 is not a port number: give one from 1 to 65535"),
    (["--host", "nosuch.invalid"], "kb serve: cannot serve on nosuch.invalid port 8000 ("),
], ids=["too-high", "negative", "unknown-host"])
def test_an_address_the_preview_cannot_serve_on_is_one_line(project, arguments, said):
    result = subprocess.run([sys.executable, "-m", "plugins.core.cli", "serve", *arguments], cwd=project,
                            capture_output=True, text=True, timeout=TIMEOUT)
    assert result.returncode != 0 and result.stdout == "" and "Traceback" not in result.stderr
    assert result.stderr.strip().splitlines()[-1].startswith(said), result.stderr
    assert "in use" not in result.stderr


def test_the_preview_shows_every_problem_and_then_the_site_once_fixed(preview, project):
    seen = preview.wait_for("serving http://127.0.0.1")
    status, html = preview.get("/plan/")
    assert status == 200 and "livereload" in html and "Development Plan" in html

    edit(project / "data" / "policies.yml", '  version: "2"', "  version: 2.0")
    edit(project / "docs" / "about.md", "{{ references_list() }}", "{{ referenceslist() }}")
    seen = preview.wait_for("the site cannot be built", seen)
    for path in ("/plan/", "/", "/no/such/page/"):
        status, html = preview.get(path)
        assert status == 503
        assert "The site cannot be built: 1 problem" in html  # pages are built only from valid data
        assert ("data/policies.yml:4: policy missing-2015: version: YAML read 2.0 as a number, not as text: put it in "
                "quotes, e.g. version: &quot;2.0&quot;") in html
        assert "livereload" in html  # the browser reloads by itself once the build passes
    assert "data/policies.yml:4: policy missing-2015: version:" in "\n".join(preview.lines)

    edit(project / "data" / "policies.yml", "  version: 2.0", '  version: "2"')
    seen = preview.wait_for("the site cannot be built (1 problem)", seen)
    status, html = preview.get("/about/")
    assert status == 503 and "docs/about.md:" in html and "did you mean references_list?" in html

    edit(project / "docs" / "about.md", "{{ referenceslist() }}", "{{ references_list() }}")
    preview.wait_for("serving http://127.0.0.1", seen)
    status, html = preview.get("/plan/")
    assert status == 200 and "Development Plan" in html


@pytest.mark.parametrize("stop_with", [signal.SIGTERM, signal.SIGINT, signal.SIGHUP])
def test_stopping_the_preview_stops_the_build_it_is_running_and_frees_the_port(preview, project, stop_with):
    preview.wait_for("serving http://127.0.0.1")
    deadline, touched = time.monotonic() + TIMEOUT, 0.0
    while not builds_running(project) and time.monotonic() < deadline:
        if time.monotonic() - touched > 0.5:   # saved again and again: a warm rebuild takes about a second
            (project / "docs" / "about.md").touch()
            touched = time.monotonic()
        time.sleep(0.02)
    assert builds_running(project), "no build was running to stop"
    preview.process.send_signal(stop_with)
    assert preview.process.wait(timeout=TIMEOUT) == 0
    assert "kb serve: stopped" in preview.lines[-1]
    assert "Traceback" not in "\n".join(preview.lines)
    deadline = time.monotonic() + 10
    while build_processes(project) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert build_processes(project) == {}   # the build, and the build server
    with socket.socket() as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        probe.bind(("127.0.0.1", preview.port))  # free again


LOCAL_PLUGIN = """from plugins.core.hookspecs import hookimpl


@hookimpl
def prepare_page_html(page, kb):
    page.html = '<p class="kb-local-mark">{mark}</p>' + page.html
"""


def test_rebuilds_are_forked_from_a_warm_server_which_a_saved_plugin_replaces(project):
    """A data edit is built by a child of the same build server; saving a module the server had imported (a
    local plugin's) brings a new server, and the page shows the new code at once."""
    plugin = project / "local_mark"
    plugin.mkdir()
    (plugin / "__init__.py").write_text("", encoding="utf-8")
    (plugin / "hooks.py").write_text(LOCAL_PLUGIN.format(mark="first mark"), encoding="utf-8")
    preview = Preview(project, free_port(), env={"KB_PLUGINS": str(plugin)})
    try:
        seen = preview.wait_for("serving http://127.0.0.1")
        server = build_server(project)
        assert server is not None
        assert "first mark" in preview.get("/plan/")[1]

        edit(project / "data" / "glossary.yml", "  term: CSE", "  term: CSE ")
        seen = preview.wait_for("serving http://127.0.0.1", seen)
        assert build_server(project) == server   # the same warm server built it

        (plugin / "hooks.py").write_text(LOCAL_PLUGIN.format(mark="second mark"), encoding="utf-8")
        preview.wait_for("serving http://127.0.0.1", seen)
        status, html = preview.get("/plan/")
        assert status == 200 and "second mark" in html and "first mark" not in html
        assert build_server(project) not in (None, server)
    finally:
        preview.stop()
    assert build_processes(project) == {}


@pytest.mark.browser
def test_the_browser_moves_from_the_error_page_to_the_site_by_itself(preview, project, page):
    seen = preview.wait_for("serving http://127.0.0.1")
    edit(project / "data" / "glossary.yml", "  term: CSE", "  term: [CSE")
    seen = preview.wait_for("the site cannot be built", seen)
    page.goto(f"http://127.0.0.1:{preview.port}/glossary/")
    assert page.locator("h1").inner_text() == "The site cannot be built: 1 problem"
    assert "data/glossary.yml:8: YAML syntax error" in page.locator("ol").inner_text()
    edit(project / "data" / "glossary.yml", "  term: [CSE", "  term: CSE")
    page.wait_for_function("!document.querySelector('.kb-preview-problems')", timeout=TIMEOUT * 1000)
    assert page.url.endswith("/glossary/")
    assert page.locator("article h1").inner_text().startswith("Glossary")


def test_a_rebuild_takes_the_folders_of_the_site_served_before_the_last(project, tmp_path):
    """Once a build is served, the site it replaced is emptied of its files and kept (the spare): the next build
    moves its folders into its own site, so neither it nor its linker makes them again, and what is served is
    still, folders included, the site a build from nothing makes."""
    from tests.helpers import run_mkdocs_build
    from tests.test_reuse import _differences, _folders

    assert run_mkdocs_build(project, tmp_path / "from-nothing", {"KB_CACHE_DIR": "off"}).returncode == 0
    temporary = tmp_path / "tmp"
    temporary.mkdir()
    running = Preview(project, free_port(), env={"TMPDIR": str(temporary), "KB_CACHE_DIR": str(tmp_path / "cache")})
    try:
        seen = running.wait_for("serving http://127.0.0.1")
        [work] = temporary.glob("kb-preview-*")
        actions = project / "data" / "actions.yml"
        edit(actions, "note: Demand exceeds places.", "note: Demand exceeds places; an edit.")
        seen = running.wait_for("serving http://127.0.0.1", seen)
        deadline = time.monotonic() + TIMEOUT
        while not (work / "spare" / ".kb-folders").exists() and time.monotonic() < deadline:
            time.sleep(0.05)
        spare = work / "spare"
        assert [path.name for path in spare.rglob("*") if not path.is_dir()] == [".kb-folders"]
        folder = (spare / "plan" / "actions" / "act-training").stat().st_ino

        edit(actions, "note: Demand exceeds places; an edit.", "note: Demand exceeds places.")   # as it was
        running.wait_for("serving http://127.0.0.1", seen)
        site = work / "site"
        assert (site / "plan" / "actions" / "act-training").stat().st_ino == folder   # moved, not made
        assert "Demand exceeds places." in running.get("/plan/actions/act-training/")[1]
        assert _differences(site, tmp_path / "from-nothing") == []
        assert _folders(site) == _folders(tmp_path / "from-nothing")
    finally:
        running.stop()


def test_a_site_emptied_while_the_preview_stops_is_not_left_behind(tmp_path):
    """The site a build replaced is emptied by a process of its own, which may still run when the preview stops. If
    it made that site the spare in the work folder while the folder was being deleted, the folder would be left
    behind holding it: the work folder is renamed before it is deleted, so the emptier's last step fails."""
    from plugins.core.preview import remove_work
    from plugins.core.publish import FOLDERS

    work = tmp_path / "kb-preview-x"
    for number in range(2000):   # the site served: deleting it takes a while
        (work / "site" / f"p{number}").mkdir(parents=True)
        (work / "site" / f"p{number}" / "index.html").write_text("<p>page</p>", encoding="utf-8")
    retired = work / "retired-1"
    (retired / "plan").mkdir(parents=True)

    def emptier_ends() -> None:   # as the emptier's program ends, by the paths it was given
        while True:
            try:
                if len(os.listdir(work / "site")) < 2000:
                    break
            except OSError:
                break
            time.sleep(0.001)
        try:
            (retired / FOLDERS).write_text("plan\0", encoding="utf-8")
            os.rename(retired, work / "spare")
        except OSError:
            pass

    emptier = threading.Thread(target=emptier_ends)
    emptier.start()
    remove_work(work)
    emptier.join(timeout=TIMEOUT)
    assert list(tmp_path.iterdir()) == []
