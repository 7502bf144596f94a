"""The preview's build server: a process that has already imported what a build imports, and forks a new
child for each build.

A build in a new process spends most of a small site's time starting: importing MkDocs, Material,
the macros plugin, pydantic, the plugins and what they use, and compiling their patterns (1.3 s of
a 3 s rebuild of the real site). The server does that once. For each build it forks: the child
starts where a new process would be once those imports were done, runs `mkdocs build` exactly as
the command line does, writes its output to a file and exits. No build's state reaches another
(each is a fresh fork of a server that never built), and a failed or stopped build ends only its
child.

Code stays fresh: before each build the server looks at the file of every module it imported from
outside the installed packages and the standard library (the `plugins` package, local plugins, the
hooks). If one was saved since the server started, the server answers that it is stale and exits,
and the preview starts a new one; the hooks, the overrides and mkdocs.yml are read by each build anyway. After a
build, the server imports the installed modules and `plugins` modules the build used that it had
not (icalendar for the training calendar, say), so the next build finds them ready. Installing or
upgrading packages needs the preview restarted, as any running Python program does.

The protocol is a JSON object per line. The preview writes {"argv": [...], "output": path}; the
server answers {"pid": n} once the child runs, then {"status": exit code}, or {"stale": true}.
"""

from __future__ import annotations

import contextlib
import ctypes
import importlib
import json
import os
import signal
import subprocess
import sys
import sysconfig
import time
import traceback
from pathlib import Path

from plugins.core import lifetime

INSTALLED = tuple(str(Path(p).resolve()) for p in {sysconfig.get_paths()["stdlib"], sysconfig.get_paths()["purelib"],
                                                    sysconfig.get_paths()["platlib"], sys.prefix, sys.base_prefix})
"""Where installed packages and the standard library are: they change only when the preview is restarted."""


MARGIN_NS = 100_000_000
"""A file's time comes from the kernel's coarse clock (a tick, 4 to 10 ms, behind the server's): with a margin
of 100 ms, a file saved just after the server started is never taken for one saved before it."""


def child_dies_with_parent() -> None:
    """Have the kernel stop this process when its parent ends (Linux PR_SET_PDEATHSIG); run in a child, after
    fork (a build the server forks, or a process the preview starts, between fork and exec)."""
    with contextlib.suppress(Exception):
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGTERM)


def stop_group(process: subprocess.Popen) -> None:
    """Stop a process started in its own session, and everything in its group: SIGTERM, then SIGKILL after 5 s."""
    if process.poll() is not None:
        return
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=5)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait()


def main(config: str) -> int:
    started = time.time_ns() - MARGIN_NS
    root = Path(config).resolve().parent
    os.chdir(root)
    _preload(Path(config))
    for line in sys.stdin:
        request = json.loads(line)
        if _stale(started):
            _answer({"stale": True})
            return 0
        sys.stdout.flush()
        sys.stderr.flush()
        server = os.getpid()
        pid = os.fork()
        if pid == 0:
            _child(request, server)   # never returns
        _answer({"pid": pid})
        _, status = os.waitpid(pid, 0)
        _answer({"status": os.waitstatus_to_exitcode(status)})
        _import_what_the_build_used(request["modules"])
    return 0


def _answer(message: dict) -> None:
    sys.stdout.write(json.dumps(message) + "\n")
    sys.stdout.flush()


def _preload(config: Path) -> None:
    """Import what every build imports: MkDocs' command line and build, the configuration (the theme, the
    plugins, the hooks, the Markdown extensions) and the knowledge base's plugins. A problem here is left for
    the build to report: it runs the same code."""
    with contextlib.suppress(Exception), contextlib.redirect_stdout(sys.stderr):
        import mkdocs.__main__  # noqa: F401
        from mkdocs.commands import build  # noqa: F401
        from mkdocs.config import load_config

        loaded = load_config(str(config))
        import markdown

        markdown.Markdown(extensions=loaded.markdown_extensions, extension_configs=loaded.mdx_configs)
        from plugins.core.manager import get_plugin_manager
        from plugins.core.settings import Settings

        get_plugin_manager(Settings.from_environment(config.parent).plugins)


def _stale(started: int) -> bool:
    """Whether a module imported from outside the installed packages was saved since the server started
    (so the code in memory may not be the code on disk), or is gone."""
    for module in list(sys.modules.values()):
        path = getattr(module, "__file__", None)
        if path and not path.startswith(INSTALLED):
            try:
                if os.stat(path).st_mtime_ns >= started:
                    return True
            except OSError:
                return True
    return False


def _importable(name: str, path: str | None) -> bool:
    """A module the server may import ahead of a build: an installed one, or one of the `plugins` package."""
    return bool(path) and (path.startswith(INSTALLED) or name == "plugins" or name.startswith("plugins."))


def _import_what_the_build_used(listing: str) -> None:
    try:
        names = json.loads(Path(listing).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return
    with contextlib.suppress(Exception), contextlib.redirect_stdout(sys.stderr):
        for name in names:
            if name not in sys.modules:
                with contextlib.suppress(Exception):
                    importlib.import_module(name)


def _child(request: dict, server: int) -> None:
    """The build: its own session (so the preview can stop it and whatever it starts), its output in a file,
    ending with the server if the server is stopped or killed."""
    code = 1
    try:
        os.setsid()
        child_dies_with_parent()
        if os.getppid() != server:   # the server ended before the line above took effect
            os._exit(1)
        output = os.open(request["output"], os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        os.dup2(output, 1)
        os.dup2(output, 2)
        os.close(output)
        null = os.open(os.devnull, os.O_RDONLY)
        os.dup2(null, 0)
        os.close(null)
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
        signal.signal(signal.SIGINT, signal.default_int_handler)
        from plugins.core import run_mkdocs

        lifetime.one_shot()   # the build's data is frozen once loaded; the child ends with lifetime.end below
        code = run_mkdocs.run(request["argv"])
        _list_modules(request["modules"])
    except BaseException:  # noqa: BLE001 - the child must end here, whatever happened, with the output kept
        traceback.print_exc()
    finally:
        lifetime.end(code)


def _list_modules(listing: str) -> None:
    names = [name for name, module in list(sys.modules.items())
             if _importable(name, getattr(module, "__file__", None))]
    with contextlib.suppress(OSError):
        Path(listing).write_text(json.dumps(names), encoding="utf-8")


class Client:
    """The preview's side: starts the server, has it run each build, and starts a new one when the old one is
    stale or gone. `build` returns None when no server could run the build (the preview then builds in a new
    process, as it always could)."""

    def __init__(self, config: Path, environment: dict[str, str], work: Path) -> None:
        self.config, self.environment, self.work = config, environment, work
        self.server: subprocess.Popen | None = None
        self.building: int | None = None
        """The pid of the build running now (its own process group)."""
        self.stopped = False

    def build(self, argv: list[str]) -> tuple[int, str] | None:
        for _ in range(2):   # a stale server is replaced once
            if self.stopped:
                return None
            if self.server is None or self.server.poll() is not None:
                self._start()
            answer = self._ask(argv)
            if answer != "stale":
                return answer
            self._end_server()
        return None

    def _start(self) -> None:
        self.server = subprocess.Popen([sys.executable, "-m", "plugins.core.buildserver", str(self.config)],
                                       cwd=self.config.parent, env=self.environment, stdin=subprocess.PIPE,
                                       stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
                                       start_new_session=True, preexec_fn=child_dies_with_parent)

    def _ask(self, argv: list[str]) -> tuple[int, str] | str | None:
        server = self.server
        assert server is not None and server.stdin is not None and server.stdout is not None
        output, modules = self.work / "build-output.txt", self.work / "build-modules.json"
        try:
            server.stdin.write(json.dumps({"argv": argv, "output": str(output), "modules": str(modules)}) + "\n")
            server.stdin.flush()
            for line in server.stdout:
                answer = json.loads(line)
                if answer.get("stale"):
                    return "stale"
                if "pid" in answer:
                    self.building = answer["pid"]
                elif "status" in answer:
                    self.building = None
                    return answer["status"], output.read_text(encoding="utf-8", errors="replace")
        except (OSError, ValueError):
            pass
        self.building = None
        return None   # the server ended: stopped, or broken

    def stop(self) -> None:
        """Stop the build running now, and the server; start no other."""
        self.stopped = True
        building = self.building
        if building is not None:
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.killpg(building, signal.SIGTERM)
        self._end_server()

    def _end_server(self) -> None:
        server, self.server = self.server, None
        if server is None:
            return
        stop_group(server)
        for pipe in (server.stdin, server.stdout):
            with contextlib.suppress(OSError):
                if pipe is not None:
                    pipe.close()


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
