"""The page's top-level status follows Statuspage's rule (sevbook.status.headline), and the
banner, the badge and status.json say the same."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET

import pytest
from lxml import html as lhtml

from sevbook.model.vocab import ComponentStatus as S
from sevbook.model.vocab import Impact
from sevbook.status.headline import page_status
from status_support import example_site

OK, DEG, PART, MAJ, MNT = (S.OPERATIONAL, S.DEGRADED_PERFORMANCE, S.PARTIAL_OUTAGE,
                           S.MAJOR_OUTAGE, S.UNDER_MAINTENANCE)


@pytest.mark.parametrize(("states", "impacts", "indicator", "description"), [
    ([], [], "none", "All Systems Operational"),
    ([OK, OK], [], "none", "All Systems Operational"),
    # one component
    ([DEG], [], "minor", "Partially Degraded Service"),
    ([PART], [], "major", "Partial System Outage"),
    ([MAJ], [], "critical", "Major System Outage"),
    ([MNT], [], "maintenance", "Service Under Maintenance"),
    # some of several
    ([DEG, OK], [], "minor", "Partially Degraded Service"),
    ([PART] + [OK] * 10, [Impact.MAJOR], "minor", "Minor Service Outage"),  # GitHub capture
    ([MAJ, PART, OK], [], "major", "Partial System Outage"),
    ([MNT, OK], [], "maintenance", "Service Under Maintenance"),
    ([MNT, DEG], [], "minor", "Partially Degraded Service"),
    # all of several
    ([DEG, DEG], [], "minor", "Degraded System Service"),
    ([PART, PART], [], "major", "Partial System Outage"),
    ([MAJ, MAJ, MAJ], [], "critical", "Major System Outage"),
    # every component operational: the open incidents' worst impact
    ([OK, OK], [Impact.MINOR, Impact.CRITICAL], "critical", "Major System Outage"),
    ([OK], [Impact.MAJOR], "major", "Partial System Outage"),
    ([], [Impact.MINOR], "minor", "Minor Service Outage"),
    ([OK], [Impact.NONE], "none", "All Systems Operational"),
])
def test_page_status(states, impacts, indicator, description):
    got = page_status(states, impacts)
    assert (got.indicator, got.description) == (indicator, description)


@pytest.mark.parametrize(("indicator", "state"), [
    ("none", "operational"), ("minor", "degraded_performance"), ("major", "partial_outage"),
    ("critical", "major_outage"), ("maintenance", "under_maintenance")])
def test_banner_state_follows_the_indicator(indicator, state):
    by_indicator = {"none": [OK], "minor": [DEG], "major": [PART],
                    "critical": [MAJ], "maintenance": [MNT]}
    assert page_status(by_indicator[indicator], []).state == state


def test_banner_badge_and_status_json_agree_on_the_example():
    """The example at NOW: Search degraded, four other components operational, an open
    major-impact incident. Statuspage says minor / "Partially Degraded Service"."""
    site = example_site()
    status = json.loads((site / "api/v2/status.json").read_text())["status"]
    assert status == {"indicator": "minor", "description": "Partially Degraded Service"}
    summary = json.loads((site / "api/v2/summary.json").read_text())["status"]
    assert summary == status
    page = lhtml.fromstring((site / "index.html").read_bytes())
    assert page.get_element_by_id("overall").text_content() == "Partially Degraded Service"
    assert page.xpath("//section[@aria-labelledby='overall']/@class") == [
        "banner b-degraded_performance"]
    badge = ET.parse(site / "badge.svg").getroot()
    assert badge.get("aria-label") == "status: partially degraded service"
