"""The content-model v2 fields in the built handbook of `tests/data/v2`, in headless
Chromium at 1280 px (light): the severity page's cadence by stage, the on-call page's
rotations and conditional escalation, an incident's data-loss window and executive
briefings. Screenshots go to docs/screenshots/handbook-v2-*.png with SEVBOOK_SCREENSHOTS=1.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from conftest import screenshot_dir, served

DATA = Path(__file__).parent / "data" / "v2"
NOW = datetime(2019, 7, 10, tzinfo=UTC)
SHOTS = screenshot_dir()


@pytest.fixture(scope="module")
def v2_url(tmp_path_factory) -> Iterator[str]:
    from sevbook.handbook.build import build_handbook

    root = tmp_path_factory.mktemp("v2-built") / "v2"
    shutil.copytree(DATA, root)
    out = root / "site" / "handbook"
    out.mkdir(parents=True)
    build_handbook(root, out, NOW)
    with served(out) as url:
        yield url


@pytest.fixture
def page(browser):
    p = browser.new_page(viewport={"width": 1280, "height": 900}, color_scheme="light")
    SHOTS.mkdir(parents=True, exist_ok=True)
    yield p
    p.close()


@pytest.mark.browser
def test_severity_page_shows_the_cadence_by_stage(page, v2_url):
    page.goto(v2_url + "severity/")
    text = page.get_by_text("customers 20 min while investigating or identified, 1 h while "
                            "monitoring").first
    assert text.is_visible()
    text.scroll_into_view_if_needed()
    page.screenshot(path=str(SHOTS / "handbook-v2-severity-1280.png"))


@pytest.mark.browser
def test_oncall_page_shows_rotations_and_conditional_steps(page, v2_url):
    page.goto(v2_url + "oncall/")
    assert page.get_by_role("heading", name="Rotations").is_visible()
    assert page.get_by_role("heading", name="Escalation: Infrastructure primary").is_visible()
    assert page.locator("article").get_by_text("major incidents only").count() == 2
    page.get_by_role("heading", name="Rotations").scroll_into_view_if_needed()
    page.screenshot(path=str(SHOTS / "handbook-v2-oncall-1280.png"), full_page=True)


@pytest.mark.browser
def test_incident_page_shows_the_data_loss_window(page, v2_url):
    page.goto(v2_url + "incidents/2017-01-31-database-deleted/")
    heading = page.get_by_role("heading", name="Data loss")
    assert heading.is_visible()
    assert page.get_by_text("Starts before the impact:").is_visible()
    heading.evaluate("h => window.scrollTo(0, h.getBoundingClientRect().top + "
                     "window.scrollY - 420)")
    page.wait_for_timeout(800)  # the header's title swap, animated on scroll
    page.screenshot(path=str(SHOTS / "handbook-v2-incident-1280.png"))


@pytest.mark.browser
def test_incident_page_marks_executive_briefings(page, v2_url):
    page.goto(v2_url + "incidents/2019-07-02-waf-rule-cpu/")
    briefing = page.locator("article td").get_by_text("Executive briefing:")
    assert briefing.count() == 2
    briefing.first.scroll_into_view_if_needed()
    page.wait_for_timeout(800)
    page.screenshot(path=str(SHOTS / "handbook-v2-briefings-1280.png"))
