"""The handbook in headless Chromium, light and dark (mkdocs-material's `slate`): axe-core
finds no contrast problem on the pages a responder opens (home with the open-incident
banner, the open incident, metrics, a runbook, severity, templates), and the dark pages
are screenshot at 1280 and 390 px.

Screenshots go to docs/screenshots/handbook-*-dark-*.png with SEVBOOK_SCREENSHOTS=1.
axe-core comes from npm (scripts/test installs it into .cache/node_modules).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from conftest import run_axe, screenshot_dir, serious_violations, served

SHOTS = screenshot_dir()
OPEN_INCIDENT = "incidents/2026-11-22-search-errors-after-node-loss/"
PAGES = {"home": "", "incident": OPEN_INCIDENT, "metrics": "metrics/",
         "runbook": "runbooks/search-degraded/", "severity": "severity/",
         "templates": "templates/"}
CONTRAST = {"color-contrast", "link-in-text-block"}
"""axe's rules about colour contrast: text on its background, links against their text."""
KNOWN = {"aria-dialog-name"}
"""mkdocs-material's search dialog has no accessible name (its template, not sevbook's)."""
SCHEMES = {"light": "default", "dark": "slate"}
WIDTHS = {1280: 900, 390: 844}

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def base(example_handbook_site: Path) -> Iterator[str]:
    with served(example_handbook_site) as url:
        yield url


def _open(browser, url: str, scheme: str, width: int = 1280):
    """A page at `url` in `scheme`; the handbook follows the system scheme (its palette's
    first entry), so the emulated preference selects material's palette."""
    page = browser.new_page(color_scheme=scheme, viewport={"width": width,
                                                           "height": WIDTHS[width]})
    page.goto(url)
    assert page.evaluate("document.body.dataset.mdColorScheme") == SCHEMES[scheme]
    return page


def test_the_example_pages_exist(example_handbook_site):
    for path in PAGES.values():
        assert (example_handbook_site / path / "index.html").is_file(), path


@pytest.mark.parametrize("scheme", list(SCHEMES))
@pytest.mark.parametrize("name", list(PAGES))
def test_axe_finds_no_contrast_problem(browser, base, name, scheme):
    page = _open(browser, base + PAGES[name], scheme)
    try:
        result = run_axe(page)
    finally:
        page.close()
    contrast = [(v["id"], [n["target"] for n in v["nodes"]][:5])
                for v in result["violations"] if v["id"] in CONTRAST]
    assert contrast == []
    assert [v["id"] for v in result["passes"] if v["id"] in CONTRAST] != []  # it looked
    assert serious_violations(result, KNOWN) == []


def test_links_in_text_are_underlined_and_dark_links_lighter(browser, base):
    colours = {}
    for scheme in SCHEMES:
        page = _open(browser, base + "severity/", scheme)
        link = "document.querySelector('article p a, article li a')"
        assert page.evaluate(f"getComputedStyle({link}).textDecorationLine") == "underline"
        colours[scheme] = page.evaluate(f"getComputedStyle({link}).color")
        page.close()
    assert colours == {"light": "rgb(64, 81, 181)", "dark": "rgb(126, 166, 240)"}


@pytest.mark.parametrize("width", list(WIDTHS))
def test_dark_pages_render(browser, base, width):
    SHOTS.mkdir(parents=True, exist_ok=True)
    for name in ("home", "incident", "metrics", "runbook"):
        page = _open(browser, base + PAGES[name], "dark", width)
        assert page.evaluate("getComputedStyle(document.body).backgroundColor") == \
            "rgb(30, 33, 41)"
        assert page.locator(".sb-announce").first.is_visible()  # the open incident
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        page.screenshot(path=str(SHOTS / f"handbook-{name}-dark-{width}.png"))
        page.close()
