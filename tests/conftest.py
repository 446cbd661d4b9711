"""Shared fixtures: the example handbook copied to tmp_path, a fixed --now, a real browser."""

from __future__ import annotations

import functools
import http.server
import shutil
import threading
from collections.abc import Container, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
NOW = datetime(2026, 11, 22, 12, 0, tzinfo=UTC)
"""The example handbook is checked and built at this time in tests and CI."""
NOW_ARG = "2026-11-22T12:00:00Z"

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run",
]


def copy_example(dest: Path) -> Path:
    """A copy of the example handbook (mkdocs.yml, content/, incidents/, theme/, and
    .sevbook/ with the id key of its public ids)."""
    dest.mkdir(parents=True, exist_ok=True)
    for name in ("mkdocs.yml",):
        shutil.copy2(REPO / name, dest / name)
    for name in ("content", "incidents", "theme", ".sevbook"):
        if (REPO / name).is_dir():
            shutil.copytree(REPO / name, dest / name)
    return dest


@pytest.fixture(scope="session")
def example_handbook_site(tmp_path_factory) -> Path:
    """The example's handbook, built once per test session at NOW, for every test that only
    reads it (pages, browser tests). Tests that change the sources build their own copy."""
    from sevbook.handbook.build import build_handbook

    root = copy_example(tmp_path_factory.mktemp("example-built") / "handbook")
    out = root / "site" / "handbook"
    out.mkdir(parents=True)
    build_handbook(root, out, NOW)
    return out


@pytest.fixture
def example(tmp_path: Path) -> Path:
    """A fresh, writable copy of the example handbook."""
    return copy_example(tmp_path / "handbook")


@pytest.fixture(scope="session")
def browser():
    """Headless Debian Chromium driven by Playwright (never a downloaded browser)."""
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing; install Debian's chromium package (see .ci/run)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield b
        b.close()


def screenshot_dir() -> Path:
    """docs/screenshots/ when SEVBOOK_SCREENSHOTS=1 (to refresh the README's pictures), else a
    temporary folder: an ordinary test run never rewrites tracked files."""
    import os
    import tempfile

    if os.environ.get("SEVBOOK_SCREENSHOTS") == "1":
        path = REPO / "docs" / "screenshots"
        path.mkdir(parents=True, exist_ok=True)
        return path
    return Path(tempfile.mkdtemp(prefix="sevbook-screenshots-"))


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args) -> None:
        pass


@contextmanager
def served(folder: Path) -> Iterator[str]:
    """`folder` served on a free loopback port while the block runs: its base URL."""
    handler = functools.partial(_Quiet, directory=str(folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


AXE = REPO / ".cache" / "node_modules" / "axe-core" / "axe.min.js"
"""axe-core, installed by scripts/test with npm (never fetched by a test)."""


def run_axe(page) -> dict:
    """axe-core's WCAG 2.1 A/AA and best-practice results for the page loaded in `page`."""
    if not AXE.is_file():
        pytest.fail("axe-core missing: npm install --prefix .cache axe-core@4 (scripts/test does)")
    page.add_script_tag(path=str(AXE))
    return page.evaluate("axe.run(document, {runOnly: {type: 'tag', values: "
                         "['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice']}})")


def serious_violations(result: dict, known: Container[str] = ()) -> list:
    """(rule, impact, first targets) of every serious or critical violation not in `known`."""
    return [(v["id"], v["impact"], [n["target"] for n in v["nodes"]][:3])
            for v in result["violations"]
            if v["impact"] in ("serious", "critical") and v["id"] not in known]


@pytest.fixture
def forks_allowed(monkeypatch):
    """Tests that assert work was forked: a thread an earlier test left behind (a browser
    driver's) would make `parallel.can_fork` refuse; these tests' children only compute and
    exit, so they may fork beside it."""
    from sevbook import parallel
    monkeypatch.setattr(parallel, "other_threads", lambda: False)
