"""sevbook.impact: per-service impact spans, worst-state merge, weighted downtime.

Expectations are hand-computed from tests/data/metrics (see the comments in each incident).
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from conftest import NOW
from sevbook import impact
from sevbook.build import load_valid
from sevbook.impact import Interval

DATA = Path(__file__).parent / "data" / "metrics"


def t(day: int, hh: int, mm: int = 0, month: int = 11) -> datetime:
    return datetime(2026, month, day, hh, mm, tzinfo=UTC)


@pytest.fixture(scope="module")
def hb():
    return load_valid(DATA, NOW)


def spans(hb, inc_id: str, service: str, **kw) -> list[Interval]:
    svc = hb.services[service]
    return impact.incident_intervals(hb.incidents[inc_id], service, hb.severity, NOW,
                                     service_public=svc.public, **kw)


def test_public_timeline_backfills_first_update_to_started_at(hb):
    assert spans(hb, "2026-11-02-api-outage", "api") == [
        Interval(t(2, 8), t(2, 8, 30), "major_outage"),
        Interval(t(2, 8, 30), t(2, 8, 50), "partial_outage"),
    ]


def test_private_service_uses_severity_default_until_mitigated(hb):
    assert spans(hb, "2026-11-02-api-outage", "db") == [
        Interval(t(2, 8), t(2, 8, 35), "major_outage")]


def test_update_without_components_uses_severity_default_until_now(hb):
    assert spans(hb, "2026-11-20-api-errors", "api") == [
        Interval(t(20, 10), NOW, "partial_outage")]


def test_public_only_view_drops_private_services_and_incidents(hb):
    assert spans(hb, "2026-11-02-api-outage", "db", public_only=True) == []
    assert spans(hb, "2026-11-02-db-slow", "db", public_only=True) == []
    assert spans(hb, "2026-11-02-api-outage", "api", public_only=True) == spans(
        hb, "2026-11-02-api-outage", "api")


def test_incident_not_affecting_service_has_no_spans(hb):
    assert spans(hb, "2026-11-02-db-slow", "api") == []


def test_overlapping_incidents_worst_state_wins(hb):
    merged = impact.service_intervals(hb.incidents.values(), "db", hb.severity, NOW,
                                      service_public=False)
    assert merged == [
        Interval(t(2, 8), t(2, 8, 35), "major_outage"),
        Interval(t(2, 8, 35), t(2, 9, 20), "partial_outage"),
        Interval(t(15, 2), t(15, 3), "under_maintenance"),
    ]
    # 35 major + 0.3 x 45 partial; maintenance weighs nothing. Unmerged would be 53.
    assert impact.weighted_minutes(merged, t(1, 0), NOW) == pytest.approx(48.5)


def test_merge_keeps_worse_state_inside_a_lesser_one():
    a = Interval(t(1, 0), t(1, 4), "partial_outage")
    b = Interval(t(1, 1), t(1, 2), "major_outage")
    c = Interval(t(1, 3), t(1, 5), "partial_outage")
    assert impact.merge([a, b, c]) == [
        Interval(t(1, 0), t(1, 1), "partial_outage"),
        Interval(t(1, 1), t(1, 2), "major_outage"),
        Interval(t(1, 2), t(1, 5), "partial_outage"),
    ]


def test_weighted_minutes_clips_to_window():
    ivs = [Interval(t(1, 0), t(1, 2), "major_outage")]
    assert impact.weighted_minutes(ivs, t(1, 1, 30), t(3, 0)) == 30
    assert impact.minutes_by_state(ivs, t(2, 0), t(3, 0)) == {}
