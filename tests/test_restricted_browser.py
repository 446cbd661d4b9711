"""The example's restricted incident in headless Chromium: a stub in the handbook everyone
reads, the full record under the do-not-publish banner in the restricted build.

Screenshots go to docs/screenshots/handbook-restricted-*.png with SEVBOOK_SCREENSHOTS=1.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import NOW, copy_example, screenshot_dir, served
from sevbook.handbook.build import build_handbook

SHOTS = screenshot_dir()
ID = "2026-03-18-credential-stuffing-attack"
TITLE = "Credential stuffing attack against customer accounts - 212 accounts accessed"


@pytest.fixture(scope="module")
def restricted_site(tmp_path_factory) -> Path:
    root = copy_example(tmp_path_factory.mktemp("restricted-browser") / "handbook")
    out = root / "site" / "handbook-restricted"
    out.mkdir(parents=True)
    build_handbook(root, out, NOW, restricted=True)
    return out


@pytest.mark.browser
def test_stub_for_everyone_full_record_under_the_banner(browser, example_handbook_site,
                                                         restricted_site):
    SHOTS.mkdir(parents=True, exist_ok=True)
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    with served(example_handbook_site) as base:
        page.goto(base + "incidents/")
        page.locator("article").get_by_role("link", name="Restricted incident",
                                            exact=True).click()
        page.wait_for_url(f"**/incidents/{ID}/")
        assert page.locator("h1").first.inner_text() == "Restricted incident¶"
        assert page.locator("article .admonition.warning .admonition-title").inner_text() \
            == "Restricted incident"
        assert page.get_by_text("212 accounts").count() == 0
        assert page.locator(".sb-announce--restricted").count() == 0
        page.screenshot(path=str(SHOTS / "handbook-restricted-stub-1280.png"))
    with served(restricted_site) as base:
        page.goto(base + f"incidents/{ID}/")
        banner = page.locator(".md-banner .sb-announce--restricted")
        assert banner.is_visible()
        assert banner.inner_text().startswith("Restricted build — do not publish.")
        assert page.locator("h1").first.inner_text() == TITLE + "¶"
        page.screenshot(path=str(SHOTS / "handbook-restricted-full-1280.png"))
        page.goto(base)
        assert page.locator(".md-banner .sb-announce--restricted").is_visible()
    page.close()
