"""Public components and their groups: services with a `status_page` block, as the page
shows them at `now`.

Part of the privacy boundary (`sevbook.status.public`): a service reaches the page only
by its public name, description and group. Its state now is the worst state any active
public incident holds it in; its impact spans come from `sevbook.impact` (public incidents
only), and its uptime bars are computed here once, from those spans.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from types import MappingProxyType
from zoneinfo import ZoneInfo

from .. import impact
from ..model import Handbook, Incident, Service, StatusPageEntry
from ..model.service import StatusChange
from ..model.vocab import ComponentStatus, MaintenanceStatus
from . import sanitize, uptime
from .ids import opaque_id
from .incidents import ComponentRef
from .view import DirectChange, PublicComponent, PublicGroup, PublicIncident


@dataclass(frozen=True)
class Context:
    """What every component of one view is evaluated against."""

    handbook: Handbook
    now: datetime
    tz: ZoneInfo
    calendar: Sequence[uptime.CalendarDay] = field(default=())
    epoch: datetime | None = None
    """The page's first published update: when a component with no `since`, no status
    change and no incident was created (never the build time)."""
    counted: Mapping[str, tuple[Incident, ...]] = field(
        default_factory=lambda: MappingProxyType({}))
    """Service id -> the private incidents counted in its uptime (`count_in_uptime`), in
    the handbook's order (`counted_private`: one pass for every component)."""

    @classmethod
    def at(cls, handbook: Handbook, now: datetime, tz: ZoneInfo) -> Context:
        today = now.astimezone(tz).date()
        return cls(handbook, now, tz, uptime.calendar_days(today, tz, uptime.DAYS),
                   counted=counted_private(handbook))


def counted_private(handbook: Handbook) -> Mapping[str, tuple[Incident, ...]]:
    """Service id -> the private incidents with `count_in_uptime` that name it, in the
    handbook's order (each once)."""
    out: dict[str, list[Incident]] = {}
    for inc in handbook.incidents.values():
        if inc.count_in_uptime and not inc.public:
            for sid in dict.fromkeys(inc.services):
                out.setdefault(sid, []).append(inc)
    return MappingProxyType({sid: tuple(incs) for sid, incs in out.items()})


def entry(service: Service) -> StatusPageEntry:
    """The `status_page` block of a public service (public services always have one)."""
    if service.status_page is None:
        raise ValueError(f"service {service.id!r} is not on the status page")
    return service.status_page


def _at(position: int | None) -> tuple[bool, int]:
    """Sort key of an explicit position: positioned first, in order; then the rest."""
    return (position is None, position or 0)


def display_order(services: Mapping[str, Service]) -> dict[str, ComponentRef]:
    """Service id -> public id, public name and positions. The top of the page holds groups and
    ungrouped components, by `position` (a group by its members' smallest
    `group_position`), then unpositioned ones: groups by name, then components by name.
    Inside a group: by `position`, then by name. Without positions: groups by name first,
    then ungrouped components, by name inside."""
    def name(sid: str) -> str:
        return services[sid].public_name.casefold()

    members: dict[str, list[str]] = {}
    top: list[tuple[tuple, list[str]]] = []
    for sid in services:
        sp = entry(services[sid])
        if sp.group is None:
            top.append(((*_at(sp.position), True, name(sid), sid), [sid]))
        else:
            members.setdefault(sp.group, []).append(sid)
    for gname, sids in members.items():
        given = [p for s in sids if (p := entry(services[s]).group_position) is not None]
        key = (*_at(min(given, default=None)), False, gname.casefold(), gname)
        inside = sorted(sids, key=lambda s: (*_at(entry(services[s]).position), name(s), s))
        top.append((key, inside))
    out: dict[str, ComponentRef] = {}
    for n, (_, sids) in enumerate(sorted(top, key=lambda t: t[0]), 1):
        grouped = entry(services[sids[0]]).group is not None
        for k, sid in enumerate(sids, 1):
            out[sid] = ComponentRef(services[sid].component_id,
                                    sanitize.plain(services[sid].public_name), len(out) + 1,
                                    k if grouped else n)
    return out


@dataclass(frozen=True)
class _Direct:
    """What a component's directly set states (`status_page.status`) amount to at `now`."""

    changes: tuple[DirectChange, ...]
    spans: tuple[impact.Interval, ...]
    now: ComponentStatus | None
    """The state the latest change holds it in, or None when an incident update came
    after it (the latest change wins, as on Statuspage)."""


def _direct(changes: Sequence[StatusChange], updates_at: Sequence[datetime],
            now: datetime) -> _Direct:
    """Each change holds until the next one, a later update of an incident that names the
    component, or `now`."""
    published = [c for c in changes if c.at <= now]
    spans = []
    for k, c in enumerate(published):
        nxt = published[k + 1].at if k + 1 < len(published) else now
        end = min((t for t in updates_at if c.at < t < nxt), default=nxt)
        if c.status != ComponentStatus.OPERATIONAL and end > c.at:
            spans.append(impact.Interval(c.at.astimezone(UTC), end, c.status))
    last = published[-1] if published else None
    wins = last is not None and all(t <= last.at for t in updates_at)
    return _Direct(tuple(DirectChange(c.at.astimezone(UTC), c.status) for c in published),
                   tuple(spans), last.status if last is not None and wins else None)


def _days_incidents(incidents: Sequence[tuple[PublicIncident, Incident]],
                    ctx: Context) -> Mapping[date, tuple[str, ...]]:
    """Day of the uptime bars -> ids of the incidents and maintenance under way that day
    (oldest first), for the day's label."""
    spans = []
    for pi, _ in incidents:
        if pi.status == MaintenanceStatus.SCHEDULED:
            continue
        start = pi.window_start if pi.is_maintenance else pi.started_at
        end = pi.resolved_at or (pi.scheduled_until if pi.is_maintenance else None) or ctx.now
        spans.append((start, max(end, start), pi.id))
    spans.sort()
    if ctx.calendar:  # what ends before the bars' first day is on no bar (b < lo there)
        first = min(lo for _, lo, _ in ctx.calendar)
        spans = [s for s in spans if s[1] >= first]
    out: dict[date, tuple[str, ...]] = {}
    for d, lo, hi in ctx.calendar:
        ids = tuple(i for a, b, i in spans if a < hi and (b > lo or a == b >= lo))
        if ids:
            out[d] = ids
    return MappingProxyType(out)


def public_component(sid: str, ref: ComponentRef, ctx: Context,
                     incidents: Sequence[tuple[PublicIncident, Incident]]) -> PublicComponent:
    """Component `sid` at `ctx.now`, from the public `incidents` that name it (newest
    first, each with its source incident) and the states set on it directly."""
    sp = entry(ctx.handbook.public_services[sid])
    spans: list[impact.Interval] = []
    for inc in [inc for _, inc in incidents] + list(ctx.counted.get(sid, ())):
        spans += impact.incident_intervals(inc, sid, ctx.handbook.severity, ctx.now,
                                           service_public=True, public_only=True)
    touched = [u.at for pi, _ in incidents for u in pi.updates]
    direct = _direct(sp.status, touched, ctx.now)
    intervals = tuple(impact.merge(spans + list(direct.spans)))
    touched += [c.at for c in direct.changes]
    created = (uptime.day_bounds(sp.since, ctx.tz)[0] if sp.since is not None
               else min(touched, default=ctx.epoch or ctx.now))
    held = ComponentStatus.worst(pi.states.get(ref.id, ComponentStatus.OPERATIONAL)
                                 for pi, _ in incidents)
    today = ctx.now.astimezone(ctx.tz).date()
    return PublicComponent(
        id=ref.id,
        name=ref.name,
        description=sanitize.plain(sp.description),
        group_id=opaque_id("group", sp.group) if sp.group else None,
        group_name=sanitize.plain(sp.group) if sp.group else None,
        position=ref.sibling,
        showcase=sp.showcase,
        since=sp.since,
        status=direct.now if direct.now is not None else held,
        created_at=created,
        updated_at=max(touched, default=created),
        intervals=intervals,
        incident_ids=tuple(pi.id for pi, _ in incidents),
        uptime=uptime.component_uptime(intervals, sp.since, today, ctx.tz, ctx.now,
                                       uptime.DAYS, ctx.calendar),
        direct=direct.changes,
        days_incidents=_days_incidents(incidents, ctx),
    )


def groups(components: Sequence[PublicComponent]) -> tuple[PublicGroup, ...]:
    """The groups of `components` (already in display order), each with its position at
    the top of the page (groups and ungrouped components count together)."""
    members: dict[str, list[PublicComponent]] = {}
    position: dict[str, int] = {}
    top = 0
    for comp in components:
        if comp.group_id is None:
            top += 1
        elif comp.group_id not in members:
            top += 1
            position[comp.group_id] = top
        if comp.group_id is not None:
            members.setdefault(comp.group_id, []).append(comp)
    return tuple(
        PublicGroup(gid, comps[0].group_name or "", position[gid], tuple(comps),
                    min(c.created_at for c in comps), max(c.updated_at for c in comps))
        for gid, comps in members.items())
