"""Shared fixtures: the real site built once per session, served on 127.0.0.1, and a browser."""

from __future__ import annotations

import functools
import shutil
import http.server
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.helpers import ROOT, TINY_DATA, build_project, make_project

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run", "--disable-quic"]
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"


@pytest.fixture(scope="session")
def site(tmp_path_factory) -> Path:
    """The real site (this repository's data and pages), built strictly once."""
    project = make_project(tmp_path_factory.mktemp("real") / "project", data=ROOT / "data")
    return build_project(project)


@pytest.fixture
def data(tmp_path) -> Path:
    """A copy of the tiny data (tests/fixtures/tiny-data) a test may change, at tmp_path/data."""
    shutil.copytree(TINY_DATA, tmp_path / "data")
    return tmp_path / "data"


@pytest.fixture(scope="session")
def tiny_site(tmp_path_factory) -> Path:
    """The tiny site (tests/fixtures/tiny-data), built strictly once and shared by every test that only reads it.
    A test that changes data or pages builds its own copy (`make_project`)."""
    return build_project(make_project(tmp_path_factory.mktemp("tiny") / "project"))


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format, *args):  # noqa: A002 - the stdlib's name
        pass


def serve(directory: Path) -> Iterator[str]:
    handler = functools.partial(_QuietHandler, directory=str(directory))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="session")
def base_url(site) -> Iterator[str]:
    yield from serve(site)


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.fail(f"browser tests need Debian's chromium at {CHROMIUM}: run `make test`, which installs it")
    if not AXE.exists():
        pytest.fail("browser tests need axe-core: run `make test`, which runs `npm ci`")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


class Requests:
    """Every request a page made, so tests can prove none left 127.0.0.1."""

    def __init__(self) -> None:
        self.urls: list[str] = []

    def external(self) -> list[str]:
        return [u for u in self.urls if not (u.startswith("http://127.0.0.1:") or u.startswith("data:")
                                             or u.startswith("blob:") or u.startswith("about:"))]


@pytest.fixture
def context(browser):
    context = browser.new_context()
    requests = Requests()

    def record(route):
        requests.urls.append(route.request.url)
        if route.request.url.startswith("http://127.0.0.1:"):
            route.continue_()
        else:
            route.abort()

    context.route("**/*", record)
    context.requests = requests
    yield context
    context.close()


@pytest.fixture
def page(context):
    page = context.new_page()
    yield page
    page.close()


def built_pages(site: Path) -> list[str]:
    """Every page of a built site, as the URL path a browser asks for ('', 'plan/', '404.html'), in a stable order."""
    paths = [p.relative_to(site).as_posix() for p in site.rglob("*.html")]
    return sorted(p.removesuffix("index.html") for p in paths)


def run_axe(page) -> list[dict]:
    """axe-core's violations on the page as loaded (WCAG 2.x A and AA rules and best practices)."""
    page.add_script_tag(path=str(AXE))
    return page.evaluate("async () => (await axe.run(document, {resultTypes: ['violations']})).violations")


def describe(violations: list[dict]) -> str:
    return "\n".join(f"{v['id']}: {v['help']} -> {[n['target'] for n in v['nodes']][:5]}" for v in violations)
