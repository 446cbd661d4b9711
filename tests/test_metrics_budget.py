"""Error budgets on tests/data/metrics (28-day windows ending 2026-11-22 12:00 UTC)."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from conftest import NOW
from sevbook.build import load_valid
from sevbook.metrics.budget import compute_budget, compute_budgets

DATA = Path(__file__).parent / "data" / "metrics"


@pytest.fixture(scope="module")
def hb():
    return load_valid(DATA, NOW)


def test_only_services_with_slo(hb):
    assert list(compute_budgets(hb, NOW)) == ["api", "db", "search"]
    assert compute_budget(hb, "web", NOW) is None


def test_allowed_minutes(hb):
    b = compute_budget(hb, "api", NOW)
    assert b.allowed == 40.32  # 40320 min x 0.1%
    assert compute_budget(hb, "db", NOW).allowed == pytest.approx(403.2)


def test_exhausted_public_service_with_open_incident(hb):
    b = compute_budget(hb, "api", NOW)
    # B: 30 major + 0.3 x 20 partial = 36; D (open): 0.3 x 3000 = 900.
    assert b.consumed == pytest.approx(936)
    assert b.by_state == {"major_outage": 30, "partial_outage": 3020}
    assert b.incidents == [("2026-11-20-api-errors", 900), ("2026-11-02-api-outage", 36)]
    assert b.state == "exhausted"
    assert b.remaining == pytest.approx(40.32 - 936)


def test_overlap_counted_once_and_maintenance_free(hb):
    b = compute_budget(hb, "db", NOW)
    assert b.consumed == pytest.approx(48.5)
    assert b.by_state == {"major_outage": 35, "partial_outage": 45, "under_maintenance": 60}
    assert b.incidents == [("2026-11-02-api-outage", 35), ("2026-11-02-db-slow", 18)]
    assert b.state == "ok"


def test_warning_at_80_percent(hb):
    b = compute_budget(hb, "search", NOW)
    assert (b.consumed, b.state) == (35, "warning")
    assert b.ratio == pytest.approx(35 / 40.32)


def test_window_is_rolling(hb):
    # On 2026-12-09 12:00 the window starts 11-11 12:00: search's incident (11-10) is out.
    later = datetime(2026, 12, 9, 12, tzinfo=UTC)
    b = compute_budget(hb, "search", later)
    assert (b.consumed, b.state) == (0, "ok")


def test_daily_burn_sums_to_consumed(hb):
    b = compute_budget(hb, "db", NOW)
    assert len(b.daily) == 29  # partial first and last day
    assert sum(m for _, m in b.daily) == pytest.approx(b.consumed)
