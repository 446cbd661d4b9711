"""The internal status page in headless Chromium: light and dark, 1280 and 390 px wide
(screenshots into docs/screenshots/ with SEVBOOK_SCREENSHOTS=1), the Internal note
visible, nothing fetched from elsewhere, no serious axe violation."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import NOW, run_axe, screenshot_dir, serious_violations
from sevbook.status.build import build_status
from sevbook.status.internal import internal_view
from status_shots import SCHEMES, shoot
from status_support import example_root, load_example

pytestmark = pytest.mark.browser
WIDTHS = (1280, 390)


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("internal-status") / "internal-status"
    build_status(internal_view(load_example(example_root()), NOW), out)
    return out


@pytest.mark.parametrize("name, path", [("index", "index.html"),
                                        ("history", "history/index.html")])
def test_the_internal_page_renders_at_both_widths_and_schemes(browser, site, name, path):
    shots = screenshot_dir()
    for width in WIDTHS:
        for scheme in SCHEMES:
            out = shots / f"internal-status-{name}-{width}-{scheme}.png"
            info = shoot(browser, site / path, out, width, scheme)
            assert out.stat().st_size > 5_000
            assert info["w"] <= width, f"{name} scrolls sideways at {width}px ({info['w']})"
            assert all(r.startswith("file://") for r in info["requests"]), info["requests"]


@pytest.mark.parametrize("scheme", SCHEMES)
def test_the_internal_note_is_visible_and_readable(browser, site, scheme):
    page = browser.new_page(viewport={"width": 390, "height": 800}, color_scheme=scheme)
    try:
        page.goto((site / "index.html").as_uri())
        note = page.locator(".internal-note")
        assert note.is_visible()
        assert note.inner_text().startswith("Internal status page for employees")
        result = run_axe(page)
    finally:
        page.close()
    assert serious_violations(result) == []
