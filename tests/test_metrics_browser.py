"""The example handbook's metrics page and a service's error budget in headless Chromium.

Screenshots (light and dark) go to docs/screenshots/ with SEVBOOK_SCREENSHOTS=1 (README).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import screenshot_dir

SHOTS = screenshot_dir()


@pytest.fixture(scope="module")
def site(example_handbook_site: Path) -> Path:
    return example_handbook_site


@pytest.mark.browser
@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_metrics_page(browser, site, scheme):
    page = browser.new_page(viewport={"width": 1280, "height": 900}, color_scheme=scheme)
    page.goto((site / "metrics" / "index.html").as_uri())
    charts = page.locator("figure.sb-chart svg.sb-wide")
    assert charts.count() == 4
    for i in range(charts.count()):
        box = charts.nth(i).bounding_box()
        assert box and box["width"] > 500, "charts take the content width"
    # Text in the charts follows the page's text colour (dark mode): never black on slate.
    fill = page.evaluate("getComputedStyle(document.querySelector('figure.sb-chart svg'))"
                         ".color")
    body = page.evaluate("getComputedStyle(document.querySelector('article')).color")
    assert fill == body
    assert page.get_by_role("heading", name="Definitions").is_visible()
    # Every table of numbers fits the content column: nothing scrolls sideways at 1280 px.
    overflow = page.evaluate("[...document.querySelectorAll('.sb-figures .md-typeset__scrollwrap')]"
                             ".filter(e => e.scrollWidth > e.clientWidth).length")
    assert overflow == 0
    assert page.get_by_role("img", name="Incidents per month, by severity").is_visible()
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.locator("#trends-by-month").scroll_into_view_if_needed()
    page.evaluate("document.querySelector('#trends-by-month').scrollIntoView()")
    page.screenshot(path=str(SHOTS / f"metrics-{scheme}.png"))
    page.close()


@pytest.mark.browser
def test_service_error_budget(browser, site):
    page = browser.new_page(viewport={"width": 1280, "height": 900}, color_scheme="dark")
    page.goto((site / "services" / "search" / "index.html").as_uri())
    page.evaluate("document.querySelector('#error-budget').scrollIntoView()")
    assert page.get_by_role("img", name="Error budget consumed").is_visible()
    assert page.get_by_text("Error budget: OK").is_visible()
    page.screenshot(path=str(SHOTS / "metrics-service-budget-dark.png"))
    page.close()


@pytest.mark.browser
@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_metrics_page_on_a_phone(browser, site, scheme):
    page = browser.new_page(viewport={"width": 390, "height": 844}, color_scheme=scheme)
    page.goto((site / "metrics" / "index.html").as_uri())
    assert page.locator("figure.sb-chart svg.sb-wide:visible").count() == 0
    narrow = page.locator("figure.sb-chart svg.sb-narrow")
    assert narrow.count() == 4
    for i in range(4):
        box = narrow.nth(i).bounding_box()
        # Drawn near 1:1, so the 11-unit labels stay about 11 px (not 6 px as at 640 units).
        assert box and 340 <= box["width"] <= 360
    assert page.get_by_role("img", name="Incidents per month, by severity").is_visible()
    page.evaluate("document.querySelector('#trends-by-month').scrollIntoView()")
    page.screenshot(path=str(SHOTS / f"metrics-390-{scheme}.png"))
    page.close()
