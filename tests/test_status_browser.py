"""The status page in real headless Chromium: layout at 1280 and 360 px, light and dark,
no request to another host, and an axe-core accessibility check of the index page.

axe-core comes from npm (scripts/test installs it into .cache/node_modules); the test fails
with the install command when it is missing, so a missing check never passes silently.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import run_axe, serious_violations
from status_shots import SCHEMES, WIDTHS, pages, shoot
from status_support import example_site

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def site() -> Path:
    return example_site()


@pytest.mark.parametrize("name", ["index", "incident", "history"])
def test_pages_render_at_both_widths_and_schemes(browser, site, tmp_path, name):
    path = pages(site)[name]
    for width in WIDTHS:
        for scheme in SCHEMES:
            out = tmp_path / f"{name}-{width}-{scheme}.png"
            info = shoot(browser, path, out, width, scheme)
            assert out.stat().st_size > 5_000
            assert info["w"] <= width, f"{name} scrolls sideways at {width}px ({info['w']})"
            assert all(r.startswith("file://") for r in info["requests"]), info["requests"]


def test_dark_mode_changes_the_background(browser, site):
    colours = {}
    for scheme in SCHEMES:
        page = browser.new_page(color_scheme=scheme)
        page.goto((site / "index.html").as_uri())
        colours[scheme] = page.evaluate("getComputedStyle(document.body).backgroundColor")
        page.close()
    assert colours["light"] == "rgb(255, 255, 255)"
    assert colours["dark"] == "rgb(13, 17, 23)"


@pytest.mark.parametrize("scheme", SCHEMES)
@pytest.mark.parametrize("name", ["index", "incident"])
def test_axe_finds_no_serious_violations(browser, site, name, scheme):
    page = browser.new_page(color_scheme=scheme)
    try:
        page.goto(pages(site)[name].as_uri())
        result = run_axe(page)
    finally:
        page.close()
    assert serious_violations(result) == []


def test_keyboard_reaches_a_day_with_incidents_and_shows_its_label(browser, site):
    page = browser.new_page()
    try:
        page.goto((site / "index.html").as_uri())
        for _ in range(80):
            page.keyboard.press("Tab")
            if page.evaluate("!!document.activeElement.closest('.bars')"):
                break
        label = page.evaluate("document.activeElement.textContent")
        width = page.evaluate(
            "document.activeElement.querySelector('span').getBoundingClientRect().width")
    finally:
        page.close()
    assert label == ("Wed 18 Nov 2026: partial outage, 90 min affected (partial outage 90 "
                     "min), 98.12%. Some customers unable to sign in on mobile data")
    assert width > 100  # the tooltip is shown (hidden labels are 1 px wide)
