"""Error budgets of services with an `slo`, from the shared impact timeline (`sevbook.impact`).

allowed   = window minutes × (1 − target / 100)
consumed  = 1 × major_outage + 0.3 × partial_outage minutes in the window (overlaps once)
remaining = allowed − consumed (negative when overspent)
state     = ok below 80% consumed, warning from 80%, exhausted from 100% — the release
            freeze of the error budget policy.
The window is rolling: the `slo.window` that ends at `as_of` (normally now).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

from .. import impact
from ..model import Handbook, Incident

WARNING_AT = 0.8
EXHAUSTED_AT = 1.0


@dataclass
class Budget:
    service: str
    target: float
    window: timedelta
    start: datetime
    end: datetime
    allowed: float
    """Minutes of weighted downtime the SLO allows in the window."""
    consumed: float
    by_state: dict[str, float]
    """Unweighted minutes per state in the window (after merging overlaps)."""
    incidents: list[tuple[str, float]] = field(default_factory=list)
    """(incident id, its own weighted minutes in the window), largest first. Overlapping
    incidents each show their full share; the total counts the overlap once."""
    daily: list[tuple[date, float]] = field(default_factory=list)
    """Weighted minutes consumed per UTC day of the window (for the burn chart)."""

    @property
    def remaining(self) -> float:
        return self.allowed - self.consumed

    @property
    def ratio(self) -> float:
        """Consumed / allowed (0.0 when nothing is allowed and nothing consumed)."""
        if self.allowed <= 0:
            return 0.0 if self.consumed <= 0 else float("inf")
        return self.consumed / self.allowed

    @property
    def state(self) -> str:
        r = self.ratio
        return "exhausted" if r >= EXHAUSTED_AT else "warning" if r >= WARNING_AT else "ok"


def _touches(inc: Incident, start: datetime, end: datetime) -> bool:
    """Cheap filter: could this incident have impact inside [start, end)?"""
    begin = inc.started_at or inc.detected_at or inc.scheduled_for
    if begin is None or begin >= end:
        return False
    stop = inc.resolved_at or inc.scheduled_until
    return stop is None or stop > start


def compute_budget(hb: Handbook, service_id: str, as_of: datetime,
                   incidents: list[Incident] | None = None) -> Budget | None:
    """The budget of one service at `as_of`, or None when it has no SLO."""
    svc = hb.services.get(service_id)
    if svc is None or svc.slo is None:
        return None
    end = as_of
    start = end - svc.slo.window
    if incidents is None:
        incidents = [i for i in hb.incidents.values() if _touches(i, start, end)]
    skip = frozenset(hb.settings.metrics.exclude_types)  # drills, near misses, ...
    mine = [i for i in incidents if (i.type is None or i.type not in skip)
            and (service_id in i.services or any(p.component == service_id for p in i.impact)
                 or any(service_id in u.components for u in i.updates))]
    per_incident: list[tuple[str, float]] = []
    spans: list[impact.Interval] = []
    for inc in mine:
        ivs = impact.incident_intervals(inc, service_id, hb.severity, as_of,
                                        service_public=svc.public)
        w = impact.weighted_minutes(ivs, start, end)
        if w > 0:
            per_incident.append((inc.id, w))
        spans += ivs
    merged = impact.merge(spans)
    window_minutes = svc.slo.window.total_seconds() / 60
    # Decimal so that 99.9% of 28 days allows exactly 40.32 minutes, not 40.3199999.
    allowed = window_minutes * float((100 - Decimal(str(svc.slo.target))) / 100)
    consumed = impact.weighted_minutes(merged, start, end)
    per_incident.sort(key=lambda x: (-x[1], x[0]))
    return Budget(service_id, svc.slo.target, svc.slo.window, start, end, allowed, consumed,
                  impact.minutes_by_state(merged, start, end), per_incident,
                  _daily(merged, start, end))


def _daily(merged: list[impact.Interval], start: datetime,
           end: datetime) -> list[tuple[date, float]]:
    out: list[tuple[date, float]] = []
    day = start.astimezone(UTC).date()
    last = end.astimezone(UTC).date()
    while day <= last:
        lo = max(start, datetime(day.year, day.month, day.day, tzinfo=UTC))
        hi = min(end, lo.replace(hour=0, minute=0, second=0, microsecond=0)
                 + timedelta(days=1))
        if hi > lo:
            out.append((day, impact.weighted_minutes(merged, lo, hi)))
        day += timedelta(days=1)
    return out


def compute_budgets(hb: Handbook, as_of: datetime,
                    service: str | None = None) -> dict[str, Budget]:
    """Budgets of every service with an SLO (or only `service`), by service id."""
    ids = [s for s, svc in hb.services.items() if svc.slo and (service is None or s == service)]
    if not ids:
        return {}
    widest = max(hb.services[s].slo.window for s in ids)  # type: ignore[union-attr]
    by_service: dict[str, list[Incident]] = {s: [] for s in ids}
    for inc in hb.incidents.values():
        if _touches(inc, as_of - widest, as_of):
            named = set(inc.services)
            for u in inc.updates:
                named.update(u.components)
            for s in named:
                if s in by_service:
                    by_service[s].append(inc)
    out = {}
    for s in ids:
        b = compute_budget(hb, s, as_of, by_service[s])
        if b is not None:
            out[s] = b
    return out
