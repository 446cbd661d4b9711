"""Incident metrics on tests/data/metrics, hand-computed (see each incident's comments).

Incidents (A..F in the comments): A 2026-10-05-web-old, B 2026-11-02-api-outage,
C 2026-11-02-db-slow, E 2026-11-10-search-down (no detected_at), D 2026-11-20-api-errors
(open), F 2026-11-21-web-glitch; plus one maintenance (never counted).
"""

from __future__ import annotations

from datetime import UTC, date
from pathlib import Path

import pytest

from conftest import NOW
from sevbook.build import load_valid
from sevbook.metrics.compute import ActionItemStats, PostmortemStats, Stat, compute, p90

DATA = Path(__file__).parent / "data" / "metrics"


@pytest.fixture(scope="module")
def hb():
    return load_valid(DATA, NOW)


@pytest.fixture(scope="module")
def report(hb):
    return compute(hb, NOW)


@pytest.mark.parametrize(("values", "expected"), [
    ([], None),
    ([7.0], 7.0),
    ([1, 2, 3], 3),                   # ⌈2.7⌉ = 3rd
    ([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 9),   # ⌈9.0⌉ = 9th (interpolation would say 9.1)
    ([5, 1, 4, 2, 3, 11, 10, 9, 8, 7, 6], 10),  # unsorted, n=11: ⌈9.9⌉ = 10th
])
def test_p90_is_nearest_rank(values, expected):
    assert p90(values) == expected


def test_counts_exclude_maintenance_and_count_open(report):
    assert (report.overall.count, report.overall.open) == (6, 1)
    assert report.overall.by_severity == {"SEV1": 2, "SEV2": 3, "SEV3": 1}


def test_mttd_missing_detected_is_excluded_and_counted(report):
    # A 10, B 5, C 10, D 30, F 0; E has no detected_at.
    assert report.overall.durations["mttd"] == Stat(5, 1, 0, 11.0, 10.0, 30.0)


def test_mtta(report):
    # A 5, B 2, D 15, F 30; C has no acknowledged_at, E no detected_at.
    assert report.overall.durations["mtta"] == Stat(4, 2, 0, 13.0, 10.0, 30.0)


def test_mttm_open_incident_is_open_not_missing(report):
    # A 30, B 30, C 50, F 60; D open (not mitigated yet); E missing.
    assert report.overall.durations["mttm"] == Stat(4, 1, 1, 42.5, 40.0, 60.0)


def test_mttr(report):
    # A 60, B 50, C 60, F 60; D open; E missing.
    assert report.overall.durations["mttr"] == Stat(4, 1, 1, 57.5, 60.0, 60.0)


def test_grouping(report):
    assert {k: g.count for k, g in report.by_severity.items()} == {
        "SEV1": 2, "SEV2": 3, "SEV3": 1}
    assert list(report.by_severity) == ["SEV1", "SEV2", "SEV3"]
    # B affects api and db: it counts once in each.
    assert {k: g.count for k, g in report.by_service.items()} == {
        "api": 2, "db": 2, "search": 1, "web": 2}
    assert {k: g.count for k, g in report.by_month.items()} == {"2026-10": 1, "2026-11": 5}
    assert report.by_service["db"].durations["mttr"] == Stat(2, 0, 0, 55.0, 55.0, 60.0)


def test_empty_months_in_range_are_listed(hb):
    r = compute(hb, NOW, since=date(2026, 8, 15))
    assert {k: g.count for k, g in r.by_month.items()} == {
        "2026-08": 0, "2026-09": 0, "2026-10": 1, "2026-11": 5}


def test_range_is_inclusive_by_started_day(hb):
    r = compute(hb, NOW, since=date(2026, 11, 2), until=date(2026, 11, 10))
    assert r.overall.count == 3  # B, C, E
    assert compute(hb, NOW, until=date(2026, 10, 4)).overall.count == 0


def test_service_filter(hb):
    r = compute(hb, NOW, service="api")
    assert r.overall.count == 2
    assert list(r.by_service) == ["api"]  # B's db share is left out


def test_postmortems(report):
    # A on time, C late, E published without date, B overdue, D unresolved; F not required.
    assert report.overall.postmortems == PostmortemStats(
        required=5, on_time=1, late=1, undated=1, overdue=1, pending=0, unresolved=1)
    assert report.overall.postmortems.on_time_rate == pytest.approx(1 / 3)


def test_postmortem_pending_before_due(hb):
    # At 11-05 B's postmortem (due 11-07 09:00) is not late yet.
    from datetime import datetime

    r = compute(hb, datetime(2026, 11, 5, tzinfo=UTC), since=date(2026, 11, 2))
    assert r.overall.postmortems.pending == 1  # B; C's file already says published (late)


def test_action_items(report):
    # A: done in 15 d, done in 46 d, open past due, wontfix. B: done without date, open.
    ai = report.overall.action_items
    assert ai == ActionItemStats(total=6, done=3, done_prompt=1, done_late=1, done_undated=1,
                                 open=2, overdue=1, wontfix=1)
    assert ai.done_rate == pytest.approx(3 / 5)
    assert ai.prompt_rate == pytest.approx(1 / 4)


def test_time_between_failures(report):
    f = report.failures
    assert f["api"].gaps == 1 and f["api"].mean_days == pytest.approx(18 + 2 / 24)
    assert f["db"].mean_days == pytest.approx(20 / 1440)  # overlapping: 20 min apart
    assert f["web"].median_days == pytest.approx(47 - 1 / 24)
    assert (f["search"].incidents, f["search"].gaps, f["search"].mean_days) == (1, 0, None)
    assert f["search"].days_since_last == pytest.approx(11 + 22 / 24)
