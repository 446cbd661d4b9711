"""The events between two public states: what subscribers have not been told yet.

Stateless and exactly once: the previous state is the page as published before this
deploy, so an event is new only if that page did not show it. A re-run (the page already
shows everything), a scheduled run with no change, or a first deploy (no previous page:
nothing is planned unless asked) sends nothing twice or in bulk.

Events, oldest first:

* `incident.created`, `incident.updated`, `incident.resolved`: a new public incident, each
  new update, the resolving update;
* `maintenance.scheduled`, `maintenance.started`, `maintenance.updated`,
  `maintenance.completed`: from updates, or from the window opening or closing (the page
  shows in progress / completed without a new update);
* `component.updated`: a component changed status and no event of this run says why.

An update is new if its id is not on the previous page and it is later than the newest
update the previous page showed of that incident (an edited or inserted old update is
history, not news). Silent updates (`deliver_notifications: false`) become events marked
`silent`, which are listed but never sent.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from ..model.vocab import IncidentStatus, MaintenanceStatus
from .state import Component, Incident, PublicState, Update, parse_time


class EventKind(StrEnum):
    INCIDENT_CREATED = "incident.created"
    INCIDENT_UPDATED = "incident.updated"
    INCIDENT_RESOLVED = "incident.resolved"
    MAINTENANCE_SCHEDULED = "maintenance.scheduled"
    MAINTENANCE_STARTED = "maintenance.started"
    MAINTENANCE_UPDATED = "maintenance.updated"
    MAINTENANCE_COMPLETED = "maintenance.completed"
    COMPONENT_UPDATED = "component.updated"


@dataclass(frozen=True)
class Event:
    """One thing to tell subscribers. `incident`/`update` for incident and maintenance
    events (`update` None when the window opened or closed by itself), `component` with
    `old_status` for a component change."""

    kind: EventKind
    id: str
    """Stable across runs: the update id, or what changed and when."""
    at: datetime
    incident: Incident | None = None
    update: Update | None = None
    component: Component | None = None
    old_status: str = ""
    silent: bool = False

    @property
    def component_ids(self) -> tuple[str, ...]:
        """The components this event is about (for per-component filters)."""
        if self.component is not None:
            return (self.component.id,)
        ids = list(self.incident.component_ids if self.incident else ())
        ids += [c.component_id for c in (self.update.changes if self.update else ())]
        return tuple(dict.fromkeys(ids))

    @property
    def status(self) -> str:
        """The status this event announces."""
        if self.component is not None:
            return self.component.status
        if self.update is not None:
            return self.update.status
        return self.incident.status if self.incident else ""


def _update_kind(inc: Incident, u: Update, first: bool) -> EventKind:
    if not inc.maintenance:
        if u.status == IncidentStatus.RESOLVED:
            return EventKind.INCIDENT_RESOLVED
        return EventKind.INCIDENT_CREATED if first else EventKind.INCIDENT_UPDATED
    return {MaintenanceStatus.SCHEDULED: EventKind.MAINTENANCE_SCHEDULED if first
            else EventKind.MAINTENANCE_UPDATED,
            MaintenanceStatus.IN_PROGRESS: EventKind.MAINTENANCE_STARTED,
            MaintenanceStatus.COMPLETED: EventKind.MAINTENANCE_COMPLETED,
            }.get(u.status, EventKind.MAINTENANCE_UPDATED)  # type: ignore[call-overload]


WINDOW = {MaintenanceStatus.IN_PROGRESS.value: EventKind.MAINTENANCE_STARTED,
          MaintenanceStatus.COMPLETED.value: EventKind.MAINTENANCE_COMPLETED}
"""Maintenance statuses the window reaches by itself (no update needed)."""


def incident_events(inc: Incident, before: Incident | None) -> list[Event]:
    """The events of one incident or maintenance, given how the previous page showed it
    (None: it was not there)."""
    if before is None:
        new = list(inc.updates)
    else:
        known = {u.id for u in before.updates}
        newest = before.newest
        new = [u for u in inc.updates if u.id not in known and (newest is None or u.at > newest)]
    out = [Event(_update_kind(inc, u, before is None and u is inc.updates[0]), u.id, u.at,
                 incident=inc, update=u, silent=u.silent) for u in new]
    window = WINDOW.get(inc.status)
    if (inc.maintenance and window and before is not None and before.status != inc.status
            and not any(e.kind == window for e in out)):
        edge = inc.doc.get("scheduled_for" if window == EventKind.MAINTENANCE_STARTED
                           else "scheduled_until")
        at = parse_time(edge) or inc.updated_at
        out.append(Event(window, f"{inc.id}:{inc.status}", at, incident=inc))
    return out


def _explained(comp: Component, events: list[Event]) -> bool:
    """Whether an incident or maintenance event of this run names `comp` (it says why)."""
    return any(comp.id in e.component_ids for e in events if e.incident is not None)


def component_events(before: PublicState, now: PublicState, told: list[Event]) -> list[Event]:
    out = []
    for cid, comp in now.components.items():
        prev = before.components.get(cid)
        if prev is None or prev.status == comp.status or _explained(comp, told):
            continue
        at = comp.updated_at or now.built_at
        out.append(Event(EventKind.COMPONENT_UPDATED,
                         f"component:{cid}:{prev.status}>{comp.status}@{at.isoformat()}", at,
                         component=comp, old_status=prev.status))
    return out


def plan_events(before: PublicState | None, now: PublicState,
                first_deploy_sends: bool = False) -> list[Event]:
    """Every event between the previously published state and the new one, oldest first.
    Without a previous state (first deploy) none, unless `first_deploy_sends`: then the
    updates of incidents and maintenance still active, as if the page had been empty."""
    if before is None:
        if not first_deploy_sends:
            return []
        active = [i for i in now.incidents.values()
                  if i.status not in (IncidentStatus.RESOLVED, MaintenanceStatus.COMPLETED)]
        events = [e for i in active for e in incident_events(i, None)]
        return sorted(events, key=lambda e: (e.at, e.id))
    events = []
    for iid, inc in now.incidents.items():
        prev = before.incidents.get(iid)
        if prev is None and not before.knows(inc):
            continue  # cut from the previous page's list, not new
        events += incident_events(inc, prev)
    events += component_events(before, now, events)
    return sorted(events, key=lambda e: (e.at, e.id))
