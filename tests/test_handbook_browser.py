"""A responder's path through the built handbook in headless Chromium:
home -> severity -> an incident -> a runbook, at desktop and phone widths.

Screenshots go to docs/screenshots/handbook-*.png with SEVBOOK_SCREENSHOTS=1 (README). Every
request must stay on the local server: the handbook works offline.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from conftest import screenshot_dir, served
from sevbook.load import load

SHOTS = screenshot_dir()
WIDTHS = {1280: 900, 390: 844}


@pytest.fixture(scope="module")
def handbook_url(example_handbook_site: Path) -> Iterator[tuple[str, Path]]:
    site = example_handbook_site
    with served(site) as url:
        yield url, site.parent.parent


@pytest.mark.browser
@pytest.mark.parametrize("width", list(WIDTHS))
def test_home_severity_incident_runbook(browser, handbook_url, width):
    base, root = handbook_url
    hb = load(root).handbook
    inc = next(i for i in reversed(hb.incidents.values()) if i.runbooks and i.timeline)
    runbook = hb.runbooks[inc.runbooks[0]]
    host = urlsplit(base).netloc
    foreign: list[str] = []
    page = browser.new_page(viewport={"width": width, "height": WIDTHS[width]})
    page.on("request", lambda r: foreign.append(r.url)
            if urlsplit(r.url).netloc not in (host, "") and not r.url.startswith("data:")
            else None)
    SHOTS.mkdir(parents=True, exist_ok=True)

    def nav(name: str) -> None:
        """Follow a navigation link; on a phone it is in the drawer behind the menu."""
        if width < 1220:
            page.locator("label.md-header__button[for='__drawer']").click()
        page.locator(".md-nav--primary").get_by_role("link", name=name, exact=True).click()

    page.goto(base)
    assert page.locator("h1").first.is_visible()
    page.screenshot(path=str(SHOTS / f"handbook-home-{width}.png"))

    nav("Severity levels")
    page.wait_for_url("**/severity/")
    table = page.locator("article table").first
    for level in hb.severity.levels:
        assert table.get_by_text(level.id, exact=True).first.is_visible()
    page.screenshot(path=str(SHOTS / f"handbook-severity-{width}.png"))

    nav("Incidents")
    page.wait_for_url("**/incidents/")
    page.locator("article").get_by_role("link", name=inc.title, exact=True).first.click()
    page.wait_for_url(f"**/incidents/{inc.id}/")
    assert page.get_by_role("heading", name="Internal timeline").is_visible()
    assert page.get_by_role("heading", name="Key times").is_visible()
    page.screenshot(path=str(SHOTS / f"handbook-incident-{width}.png"))

    page.locator("article").get_by_role("link", name=runbook.title, exact=True).last.click()
    page.wait_for_url(f"**/runbooks/{runbook.id}/")
    assert page.locator(".sb-meta").is_visible()
    assert page.get_by_role("heading", name="Incidents that used this runbook").count() == 1
    page.screenshot(path=str(SHOTS / f"handbook-runbook-{width}.png"))

    assert foreign == [], f"third-party requests: {foreign}"
    page.close()


@pytest.mark.browser
def test_phone_tables_become_cards(browser, handbook_url):
    base, _ = handbook_url
    page = browser.new_page(viewport={"width": 390, "height": 844})
    page.goto(base + "incidents/")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, "the incident index must not scroll sideways on a phone"
    label = page.locator(".sb-cards .sb-l").first
    assert label.is_visible()
    page.close()


@pytest.mark.browser
def test_alert_names_badges_and_templates_render_whole(browser, handbook_url):
    url, _ = handbook_url
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.goto(url + "runbooks/")
    # No alert name is broken inside: each code element is one line high.
    heights = page.evaluate("[...document.querySelectorAll('.sb-alert code')].map("
                            "c => c.getClientRects().length)")
    assert heights and set(heights) == {1}
    page.screenshot(path=str(SHOTS / "handbook-runbooks-index-1280.png"))
    page.goto(url + "incidents/")
    before = page.evaluate("getComputedStyle(document.querySelector('.sb-private'), "
                           "'::before').content")
    assert before == "none"  # no emoji that shows as a box without an emoji font
    assert page.locator(".sb-private").first.inner_text() == "private"
    page.close()
    phone = browser.new_page(viewport={"width": 390, "height": 844})
    phone.goto(url + "templates/")
    wide = phone.evaluate("[...document.querySelectorAll('.sb-wrap pre > code')].filter("
                          "c => c.scrollWidth > c.clientWidth).length")
    assert wide == 0  # long template lines wrap instead of being cut off
    phone.screenshot(path=str(SHOTS / "handbook-templates-390.png"))
    phone.close()
