"""Atlassian's status widget against the built status page, in headless Chromium.

The widget is `@statuspage/status-widget` from npm (Apache-2.0; `scripts/test` installs it
into .cache/node_modules, never a CDN at test time): a web component
`<statuspage-widget src="ORIGIN">` that fetches `ORIGIN/api/v2/summary.json` from the page
that embeds it, so cross-origin. The example's status page is served at the root of one
loopback origin with `Access-Control-Allow-Origin: *` (as docs/status-page.md tells teams to
host it), the embedding page from a second one, and the widget must show the page's status
description in both appearances. Without the header the browser refuses the response and
the widget shows nothing, which is what makes the first test able to fail; so does a page
served below the origin's root. Every request must stay on 127.0.0.1.

The screenshot goes to the test's tmp dir, and to docs/screenshots/status-widget.png with
SEVBOOK_SCREENSHOTS=1.
"""

from __future__ import annotations

import functools
import http.server
import json
import os
import shutil
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

from conftest import REPO, screenshot_dir
from status_support import example_site

WIDGET = REPO / ".cache" / "node_modules" / "@statuspage" / "status-widget" / "dist" / "index.js"
INSTALL = "npm install --prefix .cache @statuspage/status-widget@1.0.5 (scripts/test does)"
APPEARANCES = ("basic", "badge")
SUMMARY = "/api/v2/summary.json"

EMBED = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Another site embedding the widget</title>
<style>body {{ font-family: sans-serif; margin: 24px; color: #333; }}
.dark {{ background: #333; color: #ddd; padding: 4px 8px; }}</style></head>
<body>
<h1>Acme Shop</h1>
<p>basic: <statuspage-widget id="basic" src="{src}"></statuspage-widget></p>
<p>badge: <statuspage-widget id="badge" src="{src}" appearance="badge"></statuspage-widget></p>
<p class="dark">basic on dark: <statuspage-widget src="{src}"></statuspage-widget></p>
<script src="/status-widget.js"></script>
</body></html>
"""

SETTLED = """
window.__summaryFetches = [];
const realFetch = window.fetch;
window.fetch = function (...args) {
  const promise = realFetch.apply(this, args);
  promise.then(r => window.__summaryFetches.push('ok ' + r.status),
               e => window.__summaryFetches.push('failed'));
  return promise;
};
"""
"""Records how each fetch settled, so the no-CORS test waits for the refusal, not a timer."""

pytestmark = pytest.mark.browser


class _Handler(http.server.SimpleHTTPRequestHandler):
    """Serves a folder; `cors` adds the header; `served` records every path asked for."""

    cors = False
    served: list[str]

    def end_headers(self) -> None:
        if self.cors:
            self.send_header("Access-Control-Allow-Origin", "*")
        super().end_headers()

    def do_GET(self) -> None:
        self.served.append(self.path)
        super().do_GET()

    def log_message(self, *args: Any) -> None:
        pass


@contextmanager
def serve(directory: Path, *, cors: bool) -> Iterator[tuple[str, list[str]]]:
    """`directory` at the root of http://127.0.0.1:RANDOM; yields the origin and the log."""
    served: list[str] = []
    handler = type("Handler", (_Handler,), {"cors": cors, "served": served})
    server = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(handler, directory=str(directory)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", served
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


@contextmanager
def embedding_site(tmp_path: Path, src: str) -> Iterator[str]:
    """The other site, on its own origin: a page with three widgets whose `src` is `src`."""
    if not WIDGET.is_file():
        pytest.fail(f"status widget missing: {INSTALL}")
    folder = tmp_path / "embed"
    folder.mkdir()
    shutil.copyfile(WIDGET, folder / "status-widget.js")
    (folder / "index.html").write_text(EMBED.format(src=src), encoding="utf-8")
    with serve(folder, cors=False) as (origin, _):
        yield origin


@pytest.fixture(scope="module")
def site() -> Path:
    return example_site()


@pytest.fixture(scope="module")
def summary(site: Path) -> dict[str, Any]:
    status = json.loads((site / "api/v2/summary.json").read_text(encoding="utf-8"))["status"]
    assert status["description"], "the example's summary.json has no status description"
    return status


def _open(browser, url: str, requests: list[str]):
    page = browser.new_page(viewport={"width": 560, "height": 260})
    page.on("request", lambda r: requests.append(r.url))
    page.add_init_script(SETTLED)
    page.goto(url)
    return page


def test_widget_shows_the_status_description_in_both_appearances(
        browser, site, summary, tmp_path):
    requests: list[str] = []
    with serve(site, cors=True) as (status, served), embedding_site(tmp_path, status) as embed:
        assert urlsplit(status).port != urlsplit(embed).port
        page = _open(browser, embed + "/", requests)
        try:
            shown = {}
            for name in APPEARANCES:
                text = page.locator(f"#{name} .status-indicator")
                text.wait_for(timeout=15_000)
                shown[name] = {
                    "indicator": text.get_attribute("class"),
                    "text": page.locator(f"#{name} .status-container").text_content(),
                    "link": page.locator(f"#{name} a").get_attribute("href"),
                }
            out = tmp_path / "status-widget.png"
            page.screenshot(path=str(out))
        finally:
            page.close()
    description, indicator = summary["description"], summary["indicator"]
    assert {n: " ".join(s["text"].split()) for n, s in shown.items()} == {
        "basic": description, "badge": f"system status {description}"}
    assert {n: s["indicator"].split() for n, s in shown.items()} == {
        n: ["status-indicator", indicator] for n in APPEARANCES}
    assert {s["link"] for s in shown.values()} == {status}
    assert served == [SUMMARY]  # one fetch at the origin root, shared by the three widgets
    assert {urlsplit(r).hostname for r in requests} == {"127.0.0.1"}, requests
    assert out.stat().st_size > 3_000
    if os.environ.get("SEVBOOK_SCREENSHOTS") == "1":
        shutil.copyfile(out, screenshot_dir() / "status-widget.png")


@pytest.mark.parametrize(("case", "cors", "under", "settled"), [
    ("no CORS header", False, "", "failed"),
    ("page not at the origin root", True, "/status/", "ok 404"),
])
def test_widget_shows_no_status_when_hosted_wrong(
        browser, site, summary, tmp_path, case, cors, under, settled):
    """Both hosting rules of docs/status-page.md: the header, and the root of the origin
    (the widget replaces the path of `src` with /api/v2/summary.json)."""
    requests: list[str] = []
    folder = site.parent if under else site
    assert not under or (folder / under.strip("/") / "api/v2/summary.json").is_file()
    with serve(folder, cors=cors) as (status, served), \
            embedding_site(tmp_path, status + under) as embed:
        page = _open(browser, embed + "/", requests)
        try:
            page.wait_for_function("window.__summaryFetches.length > 0", timeout=15_000)
            page.evaluate("new Promise(r => requestAnimationFrame(() => setTimeout(r, 200)))")
            fetches = page.evaluate("window.__summaryFetches")
            containers = page.locator("statuspage-widget .status-container").count()
            shadow = page.evaluate(
                "d => [...document.querySelectorAll('statuspage-widget')]"
                ".map(w => w.shadowRoot.textContent.includes(d))", summary["description"])
        finally:
            page.close()
    assert served == [SUMMARY]  # the server was asked; the widget shows nothing anyway
    assert fetches == [settled]
    assert containers == 0
    assert shadow == [False, False, False]
    assert {urlsplit(r).hostname for r in requests} == {"127.0.0.1"}, requests
