"""A translated status page in real headless Chromium: the German example (with a team's
translation of the open incident) and a Japanese one at 1280 and 390 px, light and dark:
no sideways scrolling with long German words or CJK text, no request to another host, no
serious axe-core violation. Screenshots of the German page go to docs/screenshots/ with
SEVBOOK_SCREENSHOTS=1 (docs/translations.md shows them)."""

from __future__ import annotations

import pytest

from conftest import run_axe, screenshot_dir, serious_violations
from status_shots import SCHEMES, pages, shoot
from status_support import build, load_example
from test_i18n_page import _example, german

pytestmark = pytest.mark.browser
WIDTHS = (1280, 390)


@pytest.mark.parametrize("name", ["index", "incident"])
def test_the_german_page_at_both_widths_and_schemes(browser, name):
    out_dir = screenshot_dir()
    path = pages(german())[name]
    for width in WIDTHS:
        for scheme in SCHEMES:
            out = out_dir / f"status-de-{name}-{width}-{scheme}.png"
            info = shoot(browser, path, out, width, scheme)
            assert out.stat().st_size > 5_000
            assert info["w"] <= width, f"{name} scrolls sideways at {width}px ({info['w']})"
            assert all(r.startswith("file://") for r in info["requests"]), info["requests"]


def test_the_japanese_page_fits_a_phone(browser, tmp_path):
    site = build(load_example(_example("ja")))
    for name, path in pages(site).items():
        info = shoot(browser, path, tmp_path / f"{name}.png", 390, "dark")
        assert info["w"] <= 390, f"{name} scrolls sideways at 390px ({info['w']})"


@pytest.mark.parametrize("scheme", SCHEMES)
def test_axe_finds_no_serious_violations_on_the_german_incident(browser, scheme):
    page = browser.new_page(color_scheme=scheme)
    try:
        page.goto(pages(german())["incident"].as_uri())
        result = run_axe(page)
    finally:
        page.close()
    assert serious_violations(result) == []
