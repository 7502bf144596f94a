"""`kb serve`: a live preview for editors that shows what is wrong instead of hanging.

    kb serve [--port 8000] [--host 127.0.0.1]

1. The port is checked (and taken) before anything is built: a busy port is one
   line saying so and how to choose another, never a traceback after a build.
2. Each build runs `mkdocs build --strict` in a child process, into a folder
   beside the one being served, so a failed build never replaces a good one.
   The child is forked by a build server that has already imported what a
   build imports (plugins/core/buildserver.py): a rebuild of the real site
   takes under half the time a new process does. The server is replaced as
   soon as code it imported (plugins/, a local plugin, hooks/) is saved, so
   every build runs the code on disk; hooks/, overrides/ and mkdocs.yml are
   read by each build anyway.
3. When a build fails, every page of the preview is an error page listing each
   problem (`data/actions.yml:12: ...`) and the full build output; as soon as a
   save fixes it, the browsers reload onto the site (MkDocs' live reload).
4. data/, docs/, plugins/, hooks/, overrides/ and mkdocs.yml are watched, and
   the data folder and local plugins named by KB_DATA_DIR and KB_PLUGINS.
5. The build server and each build are in their own process groups and are
   stopped with the preview: on Ctrl-C, SIGTERM or SIGHUP the preview stops
   them, and on Linux the kernel stops them too if the preview is killed
   outright (PR_SET_PDEATHSIG).
"""

from __future__ import annotations

import argparse
import errno
import html
import logging
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterable
from pathlib import Path

from mkdocs.livereload import LiveReloadServer

from plugins.core import buildserver
from plugins.core.buildserver import child_dies_with_parent, stop_group
from plugins.core.publish import empty_later
from plugins.core.settings import LAST_SITE, SPARE_SITE

WATCHED = ("data", "docs", "plugins", "hooks", "overrides", "mkdocs.yml")
POLLING = 0.1
"""Seconds between looks at the watched files (a few hundred: a look takes a few milliseconds)."""
PAGE_LIKE = re.compile(r"(/|\.html?|/[^./]*)$")
ANSI = re.compile(r"\x1b\[[0-9;]*m")
PROBLEM = re.compile(r"^\S+:\d+: ")


class PortBusy(Exception):
    """The preview cannot serve on the address and port asked for (taken by another program, or not this
    machine's); the message says which, in one line."""


def serve(kb, args: argparse.Namespace) -> int:
    """The `kb serve` command: returns the exit code."""
    config = Path(args.config_file).resolve()
    try:
        preview = Preview(config, args.host, args.port)
    except PortBusy as busy:
        print(busy, file=sys.stderr)
        return 1
    return preview.run()


class Preview:
    """The preview server, its builds and the folders it serves from."""

    def __init__(self, config: Path, host: str, port: int) -> None:
        self.config = config
        self.root = config.parent
        self.work = Path(tempfile.mkdtemp(prefix="kb-preview-"))
        self.site = self.work / "site"
        self.site.mkdir()
        self.child: subprocess.Popen | None = None
        # Each build's unchanged pages are linked from the site served until then, into the folders of the one
        # served before it, emptied of its files (plugins/core/reuse.py).
        self.spare = self.work / "spare"
        self.environment = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "PYTHONDONTWRITEBYTECODE": "1",
                            LAST_SITE: str(self.site), SPARE_SITE: str(self.spare)}
        self.builds = buildserver.Client(config, self.environment, self.work)
        self.stopping = threading.Event()
        # Files are looked at every tenth of a second (MkDocs: every half second): a save is seen sooner.
        self.server = PreviewServer(builder=self.build, host=host, port=port, root=str(self.site),
                                    polling_interval=POLLING)
        try:
            self.server.server_bind()  # take the port now: nothing is built for a port we cannot serve on
            self.server.server_activate()
        except OSError as error:
            self.server.server_close()
            shutil.rmtree(self.work, ignore_errors=True)
            if error.errno != errno.EADDRINUSE:
                raise PortBusy(f"kb serve: cannot serve on {host} port {port} ({error.strerror or error}): give this "
                               "machine's address, such as --host 127.0.0.1, and a port from 1024 up") from None
            raise PortBusy(f"kb serve: port {port} on {host} is in use ({error.strerror}): stop the program using it, "
                           f"or choose another port: make serve PORT={port + 1}  (or kb serve --port {port + 1})") \
                from None

    # --- building -----------------------------------------------------------------------------------------------

    def build(self) -> None:
        """Build into a new folder; serve it if the build passed, else serve the error page. Never raises."""
        started = time.monotonic()
        print("kb serve: building the site ...", flush=True)
        staging = self.work / "next"
        shutil.rmtree(staging, ignore_errors=True)
        arguments = ["build", "--strict", "-f", str(self.config), "-d", str(staging)]
        built = self.builds.build(arguments) if not self.stopping.is_set() else None
        if built is None and not self.stopping.is_set():   # no build server: the build in a new process
            built = self._build_in_new_process(arguments)
        if self.stopping.is_set() or built is None:
            return
        status, output = built
        output = ANSI.sub("", output or "")
        seconds = time.monotonic() - started
        if status == 0:
            self._swap_in(staging)
            self.server.failure = None
            for notice in notices(output):
                print(f"  {notice}")
            print(f"kb serve: built in {seconds:.1f} s; serving {self.server.url}", flush=True)
        else:
            shutil.rmtree(staging, ignore_errors=True)
            found = problems(output)
            self.server.failure = error_page(found, output).encode("utf-8")
            print(f"kb serve: the site cannot be built ({len(found)} problem{'s' if len(found) != 1 else ''}); "
                  f"the browser shows them at {self.server.url}", flush=True)
            for problem in found:
                print(f"  {problem}")

    def _build_in_new_process(self, arguments: list[str]) -> tuple[int, str]:
        # Its own process group, so Ctrl-C reaches the preview alone, which then stops the build (`stop`).
        self.child = subprocess.Popen([sys.executable, "-m", "plugins.core.run_mkdocs", *arguments],
                                      cwd=self.root, env=self.environment, stdout=subprocess.PIPE,
                                      stderr=subprocess.STDOUT, text=True, start_new_session=True,
                                      preexec_fn=child_dies_with_parent)
        output, _ = self.child.communicate()
        status = self.child.returncode
        self.child = None
        return status, output

    def _swap_in(self, staging: Path) -> None:
        # The site served until now is emptied of its files by a process of its own, and its folders are the next
        # build's (`empty_later`): browsers reload once this returns, and deleting thousands of pages' folders, and
        # making them again, was a part of every rebuild's wait.
        retired = self.work / f"retired-{time.monotonic_ns()}"   # one build at a time: never one there already
        self.site.rename(retired)
        staging.rename(self.site)
        empty_later(retired, self.spare)

    # --- running and stopping --------------------------------------------------------------------------------------

    def run(self) -> int:
        logging.getLogger("mkdocs.livereload").setLevel(logging.ERROR)  # not a line per request the error page answers
        # Ctrl-C too: a preview started with it ignored (in the background of a script or a make recipe) still stops
        # as it says it does.
        for number in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
            signal.signal(number, self._on_signal)
        try:
            for name in WATCHED:
                if (self.root / name).exists():
                    self.server.watch(str(self.root / name))
            data_dir = os.environ.get("KB_DATA_DIR")
            local_plugins = [path for path in os.environ.get("KB_PLUGINS", "").split(os.pathsep) if path.strip()]
            for path in [data_dir or "", *local_plugins]:
                if path and Path(path).exists():
                    self.server.watch(str(Path(path).resolve()))
            self.server.start_watching()  # before the first build: a save during it brings another build
            print(f"kb serve: watching {', '.join(WATCHED)}; press Ctrl-C to stop", flush=True)
            self.build()
            self.server.start_serving()
            self.server.build_loop()
        except KeyboardInterrupt:
            pass
        finally:
            self.stop()
        print("kb serve: stopped", flush=True)
        return 0

    def _on_signal(self, number: int, frame) -> None:
        raise KeyboardInterrupt  # unwinds run() through its `finally`, whichever signal it was

    def stop(self) -> None:
        self.stopping.set()
        self.builds.stop()
        child = self.child
        if child is not None:
            stop_group(child)
        self.server.stop()
        remove_work(self.work)


def remove_work(work: Path) -> None:
    """Delete the preview's work folder. It is renamed first: a retired site still being emptied (`empty_later`) is
    named by its path in the work folder, so its emptier cannot make it the spare there while the folder is being
    deleted (the folder would be left behind holding it)."""
    closing = work.with_name(f"{work.name}.closing")
    try:
        work.rename(closing)
    except OSError:
        closing = work
    shutil.rmtree(closing, ignore_errors=True)


class PreviewServer(LiveReloadServer):
    """MkDocs' live-reload server; while the build fails, every page address answers with the error page."""

    failure: bytes | None = None

    def start_watching(self) -> None:
        if self._watched_paths:
            self.observer.start()

    def start_serving(self) -> None:
        self.serve_thread.start()

    def build_loop(self) -> None:
        self._build_loop()

    def stop(self) -> None:
        started = self.serve_thread.is_alive()
        self.shutdown(wait=False)
        if started:
            self.serve_thread.join(timeout=5)

    def _serve_request(self, environ, start_response):
        path = environ["PATH_INFO"]
        failure = self.failure
        if failure is None or path.startswith("/livereload/") or not PAGE_LIKE.search(path):
            return super()._serve_request(environ, start_response)
        with self._epoch_cond:
            self._epoch_cond.wait_for(lambda: self._visible_epoch == self._wanted_epoch)
            epoch = self._visible_epoch
        content = self._inject_js_into_html(failure, epoch)  # reloads the browser once a build passes
        start_response("503 Service Unavailable", [("Content-Type", "text/html; charset=utf-8"),
                                                   ("Content-Length", str(len(content)))])
        return [content]


# --- what a failed build said -------------------------------------------------------------------------------------


def problems(output: str) -> list[str]:
    """Each problem a failed build reported, one line each: data and page problems as `file:line: ...`,
    MkDocs' own errors and warnings (a broken link) as it wrote them."""
    found: list[str] = []
    for line in output.splitlines():
        text = line.strip()
        for prefix in ("ERROR   -  ", "WARNING -  ", "ERROR -", "WARNING -", "Error: "):
            if text.startswith(prefix):
                text = text[len(prefix):].strip()
                break
        else:
            if not PROBLEM.match(text):
                continue
        # not the summary lines, nor the headings problems are listed under ("the data in ... is not valid:")
        if text and not text.startswith("Aborted with") and not text.endswith(":") \
                and not re.match(r"^\d+ problems? found in ", text):
            found.append(text)
    return found or ["the build failed without saying why: see the full output below"]


def notices(output: str) -> Iterable[str]:
    """The notices the kb plugins gave while building (a moved as-at date, reviews due ...)."""
    for line in output.splitlines():
        if "kb: " in line:
            yield line.split("kb: ", 1)[1]


def error_page(found: list[str], output: str) -> str:
    """The page every address of the preview shows while the build fails; data is escaped, never run."""
    count = len(found)
    items = "\n".join(f"<li><code>{html.escape(problem)}</code></li>" for problem in found)
    return f"""<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>The preview cannot be built</title>
<style>
body {{ font-family: system-ui, sans-serif; margin: 2rem auto; max-width: 60rem; padding: 0 1rem; color: #1a1a1a; }}
h1 {{ font-size: 1.6rem; }}
li {{ margin: .6rem 0; }}
code, pre {{ white-space: pre-wrap; overflow-wrap: anywhere; font-size: .95rem; }}
.kb-preview-note {{ border-left: .3rem solid #b00020; padding: .5rem 1rem; background: #fdf0f2; }}
</style>
</head>
<body>
<main>
<h1>The site cannot be built: {count} problem{'s' if count != 1 else ''}</h1>
<p class="kb-preview-note">Nothing is published while these remain. Fix each one and save: this page is
replaced by the site as soon as the build works.</p>
<ol class="kb-preview-problems">
{items}
</ol>
<details>
<summary>The full build output</summary>
<pre>{html.escape(output)}</pre>
</details>
</main>
</body>
</html>
"""
