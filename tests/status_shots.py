"""Headless-Chromium screenshots of the status page (for the README and the browser tests)."""

from __future__ import annotations

import re
from pathlib import Path

from conftest import CHROMIUM, CHROMIUM_ARGS

WIDTHS = (1280, 360)
SCHEMES = ("light", "dark")


def pages(site: Path) -> dict[str, Path]:
    """index, the open incident (the first active one on the index), and history."""
    index = (site / "index.html").read_text()
    m = re.search(r'<section aria-labelledby="active">.*?href="(incidents/[a-z2-7]+/)"', index,
                  re.S) or re.search(r'href="(incidents/[a-z2-7]+/)"', index)
    incident = site / m.group(1) / "index.html"
    return {"index": site / "index.html", "incident": incident,
            "history": site / "history" / "index.html"}


def shoot(browser, path: Path, out: Path, width: int, scheme: str) -> dict:
    page = browser.new_page(viewport={"width": width, "height": 800}, color_scheme=scheme)
    try:
        page.goto(path.as_uri())
        page.screenshot(path=str(out), full_page=True)
        return page.evaluate("({w: document.documentElement.scrollWidth,"
                             " requests: performance.getEntriesByType('resource')"
                             ".map(e => e.name)})")
    finally:
        page.close()


def take_screenshots(site: Path, out_dir: Path, browser=None) -> list[Path]:
    out_dir.mkdir(parents=True, exist_ok=True)
    if browser is None:
        from playwright.sync_api import sync_playwright

        with sync_playwright() as p:
            b = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
            try:
                return take_screenshots(site, out_dir, b)
            finally:
                b.close()
    written = []
    for name, path in pages(site).items():
        for width in WIDTHS:
            for scheme in SCHEMES:
                out = out_dir / f"status-{name}-{width}-{scheme}.png"
                shoot(browser, path, out, width, scheme)
                written.append(out)
    return written
