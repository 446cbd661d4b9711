"""Customer impact of incidents on one service, as time spans per component state.

This is the ONE place that turns incidents into "how long was service X down, and how
badly". Both the status page uptime (`sevbook.status.uptime`) and the error budgets
(`sevbook.metrics.budget`) are built on it, so the two numbers can never disagree.

How the spans are derived (documented for users on the metrics page):

* **Public timeline** — a public incident on a public service (one with `status_page`).
  The service's state starts at the severity's `component_status` and changes whenever an
  update names the service in `components`; an update that does not name it keeps the state
  it had. The state set by the first update applies from `started_at` (impact began before
  the first post). The last span ends at `resolved_at`, or at `now` while the incident is
  open. This is exactly what the status page showed.
* **Internal record** — every other case (private incidents, services that are not on the
  status page, and incidents without updates): the severity's `component_status` from
  `started_at` (or `detected_at`) until `mitigated_at` — impact ended there — or
  `resolved_at`, or `now` while it is open.
* **Impact phases** — when an incident records `impact:` phases for a service, those
  phases are its spans (each `from` → `until`, default resolution or now), for error
  budgets and the internal record. The status page's uptime of a public incident stays
  what the page showed (its updates).
* **Counted private incidents** — a private incident with `count_in_uptime: true` adds
  its internal record (phases, else the severity's state) to the public uptime of the
  public services it affects; nothing else about it is published.
* Maintenance is `under_maintenance` from `started_at` (or `scheduled_for`) to
  `resolved_at` (or `scheduled_until`); it never counts as downtime.

Overlapping incidents on one service are merged: at every moment the worst state wins, so
two incidents that overlap for ten minutes count those ten minutes once.

Weighted downtime = 1 × major_outage minutes + 0.3 × partial_outage minutes (DESIGN.md's
uptime formula); degraded_performance and under_maintenance weigh nothing. Ranks and
weights are facts of `model.vocab.ComponentStatus` (`.rank`, `.weight`), not spelled here.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from .model import Incident, SeverityMatrix
from .model.record import ImpactPhase
from .model.vocab import ComponentStatus

_BY_RANK: dict[int, ComponentStatus] = {s.rank: s for s in ComponentStatus}
"""Component states by rank (`ComponentStatus.rank`: worse states rank higher; where
incidents overlap, the highest rank wins)."""


@dataclass(frozen=True, order=True)
class Interval:
    """A half-open time span [start, end) during which a service was in `state`."""

    start: datetime
    end: datetime
    state: str

    @property
    def minutes(self) -> float:
        return (self.end - self.start).total_seconds() / 60


def _default_state(incident: Incident, severity: SeverityMatrix | None) -> str:
    if incident.is_maintenance:
        return ComponentStatus.UNDER_MAINTENANCE
    level = severity.level(incident.severity) if severity is not None else None
    return level.component_status if level is not None else ComponentStatus.OPERATIONAL


def uses_public_timeline(incident: Incident, service_public: bool) -> bool:
    """True when the service's spans come from the incident's public updates."""
    return bool(incident.public and incident.updates and service_public)


def incident_intervals(
    incident: Incident,
    service_id: str,
    severity: SeverityMatrix | None,
    now: datetime,
    *,
    service_public: bool,
    public_only: bool = False,
) -> list[Interval]:
    """The spans (sorted, non-overlapping, operational ones dropped) of one incident on one
    service. `public_only=True` is the status page's view: private incidents contribute
    nothing. Spans never extend past `now`."""
    counted = incident.count_in_uptime and not incident.public and service_public
    if public_only and not (incident.public and service_public) and not counted:
        return []
    named = any(service_id in u.components for u in incident.updates)
    phased = [p for p in incident.impact if p.component == service_id]
    if service_id not in incident.services and not named and not phased:
        return []
    default = _default_state(incident, severity)
    if phased and not (public_only and incident.public):
        return _phase_spans(incident, phased, now)
    if counted and public_only:
        public_only = False  # its internal record counts, as the team decided
    if incident.is_maintenance:
        start = incident.started_at or incident.scheduled_for
        end = incident.resolved_at or incident.scheduled_until
    elif uses_public_timeline(incident, service_public):
        return _public_spans(incident, service_id, default, now)
    elif public_only:
        return []
    else:
        start = incident.started_at or incident.detected_at
        end = incident.mitigated_at or incident.resolved_at
    end = now if end is None or end > now else end
    spans = [Interval(start, end, default)] if start is not None else []
    return [s for s in spans if s.end > s.start and s.state != ComponentStatus.OPERATIONAL]


def _phase_spans(incident: Incident, phases: list[ImpactPhase],
                 now: datetime) -> list[Interval]:
    """The impact phases of one component: each from `from` to `until` (default: the
    incident's resolution, or now while open), merged so the worst state wins."""
    out = []
    for p in phases:
        end = p.until or incident.resolved_at or now
        end = min(end, now)
        if end > p.from_ and p.status != ComponentStatus.OPERATIONAL:
            out.append(Interval(p.from_, end, p.status))
    return merge(out)


def _public_spans(incident: Incident, service_id: str, default: str,
                  now: datetime) -> list[Interval]:
    ups = incident.updates
    start = incident.started_at or ups[0].at
    end = incident.resolved_at
    end = now if end is None or end > now else end
    out: list[Interval] = []
    state = default
    for j, up in enumerate(ups):
        state = up.components.get(service_id, state)
        lo = start if j == 0 else max(start, up.at)
        hi = ups[j + 1].at if j + 1 < len(ups) else end
        hi = min(hi, end)
        if hi > lo and state != ComponentStatus.OPERATIONAL:
            if out and out[-1].state == state and out[-1].end == lo:
                out[-1] = Interval(out[-1].start, hi, state)
            else:
                out.append(Interval(lo, hi, state))
    return out


def merge(intervals: Iterable[Interval]) -> list[Interval]:
    """Overlapping spans become one timeline where the worst state wins at each moment."""
    events: list[tuple[datetime, int, int]] = []
    for iv in intervals:
        if iv.end > iv.start:
            rank = ComponentStatus(iv.state).rank
            events.append((iv.start, 1, rank))
            events.append((iv.end, -1, rank))
    if not events:
        return []
    events.sort()
    active = [0] * (max(_BY_RANK) + 1)
    out: list[Interval] = []
    i = 0
    while i < len(events):
        t = events[i][0]
        while i < len(events) and events[i][0] == t:
            active[events[i][2]] += events[i][1]
            i += 1
        if i == len(events):
            break
        worst = max((r for r in range(len(active)) if active[r] > 0), default=0)
        nxt = events[i][0]
        if worst and nxt > t:
            state = _BY_RANK[worst]
            if out and out[-1].state == state and out[-1].end == t:
                out[-1] = Interval(out[-1].start, nxt, state)
            else:
                out.append(Interval(t, nxt, state))
    return out


def service_intervals(
    incidents: Iterable[Incident],
    service_id: str,
    severity: SeverityMatrix | None,
    now: datetime,
    *,
    service_public: bool,
    public_only: bool = False,
) -> list[Interval]:
    """The merged impact timeline of a service over all `incidents` (worst state wins)."""
    spans: list[Interval] = []
    for inc in incidents:
        spans += incident_intervals(inc, service_id, severity, now,
                                    service_public=service_public, public_only=public_only)
    return merge(spans)


def minutes_by_state(intervals: Iterable[Interval], start: datetime,
                     end: datetime) -> dict[str, float]:
    """Minutes spent in each state within [start, end); states absent are left out."""
    out: dict[str, float] = {}
    for iv in intervals:
        lo, hi = max(iv.start, start), min(iv.end, end)
        if hi > lo:
            out[iv.state] = out.get(iv.state, 0.0) + (hi - lo).total_seconds() / 60
    return out


def weighted_minutes(intervals: Iterable[Interval], start: datetime, end: datetime) -> float:
    """Weighted downtime within [start, end): 1 × major + 0.3 × partial minutes.

    Pass merged intervals (`service_intervals`/`merge`); raw ones would double count."""
    return sum(ComponentStatus(state).weight * m
               for state, m in minutes_by_state(intervals, start, end).items())
