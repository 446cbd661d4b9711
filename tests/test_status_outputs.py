"""Machine-readable outputs: feeds (feedparser), Statuspage JSON (jsonschema), maintenance
calendar (icalendar), badges, and golden files of the example.

Golden files live in tests/golden/status/. After an intended change, regenerate them with

    python tests/regen_golden.py

and review the diff before committing.
"""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from datetime import UTC, datetime, timedelta
from pathlib import Path

import feedparser
import jsonschema
import pytest
from icalendar import Calendar

from conftest import NOW
from sevbook.model import Update
from sevbook.status.feeds import LIMIT, latest_updates
from sevbook.status.public import public_view
from status_support import (
    GOLDEN,
    GOLDEN_FILES,
    build,
    example_root,
    example_site,
    load_example,
)

SCHEMA = json.loads((Path(__file__).parent / "data/statuspage/statuspage-v2.schema.json")
                    .read_text())
FEEDS = ["history.atom", "history.rss", "components/search/history.atom",
         "components/checkout-api/history.rss"]


@pytest.fixture(scope="module")
def site() -> Path:
    return example_site()


@pytest.fixture(scope="module")
def pub():
    return public_view(load_example(example_root()), NOW)


def parsed(path: Path):
    feed = feedparser.parse(path.read_bytes())
    assert not feed.bozo, feed.get("bozo_exception")
    return feed


def when(entry) -> datetime:
    return datetime(*entry["published_parsed"][:6],
                    tzinfo=UTC)


# --- feeds -----------------------------------------------------------------------------

@pytest.mark.parametrize("name", FEEDS)
def test_feed_parses_newest_first_one_entry_per_update(site, pub, name):
    feed = parsed(site / name)
    comp = name.split("/")[1] if name.startswith("components/") else None
    incidents = pub.incidents_of(pub.component_by_id[comp]) if comp else pub.incidents
    expected = latest_updates(incidents)
    assert len(feed.entries) == min(LIMIT, sum(len(i.updates) for i in incidents))
    assert [e.id for e in feed.entries] == [f"urn:uuid:{e.id.split(':')[-1]}"
                                            for e in feed.entries]
    times = [when(e) for e in feed.entries]
    assert times == sorted(times, reverse=True)
    assert times == [u.at for _, u in expected]
    assert len({e.id for e in feed.entries}) == len(feed.entries)


@pytest.mark.parametrize("name", ["history.atom", "history.rss"])
def test_feed_updated_is_the_newest_entry_not_build_time(site, name):
    feed = parsed(site / name)
    stamp = feed.feed.get("updated_parsed")
    assert stamp is not None
    assert datetime(*stamp[:6], tzinfo=UTC) == when(feed.entries[0])


def test_atom_content_is_typed_html_and_links_to_the_update(site):
    root = ET.parse(site / "history.atom").getroot()
    ns = {"a": "http://www.w3.org/2005/Atom"}
    entry = root.find("a:entry", ns)
    assert entry.find("a:content", ns).get("type") == "html"
    assert "#u-" in entry.find("a:link", ns).get("href")
    rss = ET.parse(site / "history.rss").getroot()
    assert rss.find("channel/link").text == "https://status.example.com/"


def test_feed_ids_do_not_change_when_an_update_is_added(site):
    before = {e.id: e.title for e in parsed(site / "history.atom").entries}
    hb = load_example(example_root())
    inc = next(i for i in hb.incidents.values() if i.public and not i.resolved_at)
    inc.updates.append(Update(at=NOW - timedelta(minutes=1), status="monitoring",
                              message="A fix is in place."))
    after = parsed(build(hb) / "history.atom").entries
    assert after[0].id not in before
    assert {e.id for e in after[1:]} <= set(before)


# --- Statuspage JSON -------------------------------------------------------------------

@pytest.mark.parametrize("endpoint", sorted(SCHEMA["endpoints"]))
def test_json_matches_statuspage_shape(site, endpoint):
    doc = json.loads((site / "api/v2" / endpoint).read_text())
    schema = {**SCHEMA["endpoints"][endpoint], "$defs": SCHEMA["$defs"]}
    jsonschema.validate(doc, schema, cls=jsonschema.Draft202012Validator)


def test_json_summary_reflects_now(site, pub):
    summary = json.loads((site / "api/v2/summary.json").read_text())
    assert summary["status"]["indicator"] == pub.indicator != "none"
    assert [i["id"] for i in summary["incidents"]] == [i.id for i in pub.active_incidents]
    assert all(i["status"] != "resolved" for i in summary["incidents"])
    upcoming = json.loads((site / "api/v2/scheduled-maintenances/upcoming.json").read_text())
    assert all(m["status"] == "scheduled" for m in upcoming["scheduled_maintenances"])
    assert upcoming["scheduled_maintenances"], "the example has an upcoming maintenance"
    comps = {c["id"]: c for c in summary["components"]}
    for c in pub.components:
        assert comps[c.id]["status"] == c.status
        if c.group_id:
            assert c.id in comps[c.group_id]["components"]


def test_incident_updates_are_newest_first_with_component_changes(site):
    for inc in json.loads((site / "api/v2/incidents.json").read_text())["incidents"]:
        stamps = [u["created_at"] for u in inc["incident_updates"]]
        assert stamps == sorted(stamps, reverse=True)
        assert inc["shortlink"].startswith("https://status.example.com/incidents/")


# --- maintenance calendar --------------------------------------------------------------

def test_maintenance_calendar_parses_with_stable_uids(site, pub):
    cal = Calendar.from_ical((site / "maintenance.ics").read_bytes())
    events = [c for c in cal.walk() if c.name == "VEVENT"]
    maint = [m for m in pub.maintenance if m.scheduled_for and m.scheduled_until]
    assert len(events) == len(maint) > 0
    by_uid = {str(e["UID"]): e for e in events}
    for m in maint:
        ev = by_uid[f"{m.id}@status.example.com"]
        assert ev.decoded("DTSTART") == m.scheduled_for
        assert ev.decoded("DTEND") == m.scheduled_until
        assert ev.decoded("DTSTAMP") == m.updated_at  # never the build time
        assert str(ev["SUMMARY"]) == m.name


# --- badges ----------------------------------------------------------------------------

def test_badges_are_svg_with_status_as_text(site, pub):
    root = ET.parse(site / "badge.svg").getroot()
    assert root.get("role") == "img" and pub.banner.lower() in root.get("aria-label")
    for c in pub.components:
        svg = (site / c.path / "badge.svg").read_text()
        ET.fromstring(svg)
        assert f">{c.status_label.lower()}</text>" in svg


# --- golden files ----------------------------------------------------------------------

@pytest.mark.parametrize("rel", GOLDEN_FILES)
def test_golden(site, rel):
    golden = GOLDEN / rel
    assert golden.is_file(), f"missing golden file; run python tests/regen_golden.py ({rel})"
    assert (site / rel).read_bytes() == golden.read_bytes(), (
        f"{rel} differs from tests/golden/status/{rel}; if the change is intended, run "
        "python tests/regen_golden.py and review the diff")
