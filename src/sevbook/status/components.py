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
from datetime import datetime
from zoneinfo import ZoneInfo

from .. import impact
from ..model import Handbook, Incident, Service, StatusPageEntry
from ..model.vocab import ComponentStatus
from . import sanitize, uptime
from .ids import opaque_id
from .incidents import ComponentRef
from .view import PublicComponent, PublicGroup, PublicIncident


@dataclass(frozen=True)
class Context:
    """What every component of one view is evaluated against."""

    handbook: Handbook
    now: datetime
    tz: ZoneInfo
    calendar: Sequence[uptime.CalendarDay] = field(default=())

    @classmethod
    def at(cls, handbook: Handbook, now: datetime, tz: ZoneInfo) -> Context:
        today = now.astimezone(tz).date()
        return cls(handbook, now, tz, uptime.calendar_days(today, tz, uptime.DAYS))


def entry(service: Service) -> StatusPageEntry:
    """The `status_page` block of a public service (public services always have one)."""
    if service.status_page is None:
        raise ValueError(f"service {service.id!r} is not on the status page")
    return service.status_page


def display_order(services: Mapping[str, Service]) -> dict[str, ComponentRef]:
    """Component id -> public name and position: groups sorted by name, then ungrouped;
    by name inside."""
    def sort_key(sid: str) -> tuple:
        sp = entry(services[sid])
        return (sp.group is None, sp.group or "", services[sid].public_name.casefold(), sid)

    return {sid: ComponentRef(sanitize.plain(services[sid].public_name), n)
            for n, sid in enumerate(sorted(services, key=sort_key), 1)}


def public_component(sid: str, ref: ComponentRef, ctx: Context,
                     incidents: Sequence[tuple[PublicIncident, Incident]]) -> PublicComponent:
    """Component `sid` at `ctx.now`, from the public `incidents` that name it (newest
    first, each with its source incident)."""
    sp = entry(ctx.handbook.public_services[sid])
    spans: list[impact.Interval] = []
    counted = [i for i in ctx.handbook.incidents.values()
               if i.count_in_uptime and not i.public and sid in i.services]
    for inc in [inc for _, inc in incidents] + counted:
        spans += impact.incident_intervals(inc, sid, ctx.handbook.severity, ctx.now,
                                           service_public=True, public_only=True)
    intervals = tuple(impact.merge(spans))
    touched = [u.at for pi, _ in incidents for u in pi.updates]
    created = (uptime.day_bounds(sp.since, ctx.tz)[0] if sp.since is not None
               else min(touched, default=ctx.now))
    today = ctx.now.astimezone(ctx.tz).date()
    return PublicComponent(
        id=sid,
        name=ref.name,
        description=sanitize.plain(sp.description),
        group_id=opaque_id("group", sp.group) if sp.group else None,
        group_name=sanitize.plain(sp.group) if sp.group else None,
        position=ref.position,
        since=sp.since,
        status=ComponentStatus.worst(pi.states.get(sid, ComponentStatus.OPERATIONAL)
                                     for pi, _ in incidents),
        created_at=created,
        updated_at=max(touched, default=created),
        intervals=intervals,
        incident_ids=tuple(pi.id for pi, _ in incidents),
        uptime=uptime.component_uptime(intervals, sp.since, today, ctx.tz, ctx.now,
                                       uptime.DAYS, ctx.calendar),
    )


def groups(components: Sequence[PublicComponent]) -> tuple[PublicGroup, ...]:
    """The groups of `components` (already in display order), numbered in that order."""
    members: dict[str, list[PublicComponent]] = {}
    for comp in components:
        if comp.group_id is not None:
            members.setdefault(comp.group_id, []).append(comp)
    return tuple(
        PublicGroup(gid, comps[0].group_name or "", n, tuple(comps),
                    min(c.created_at for c in comps), max(c.updated_at for c in comps))
        for n, (gid, comps) in enumerate(members.items(), 1))
