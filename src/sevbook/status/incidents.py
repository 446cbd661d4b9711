"""Public incidents and maintenance: one `Incident` in, one frozen `PublicIncident` out.

Part of the privacy boundary (`sevbook.status.public`): the only fields read here are
those DESIGN.md lets out (public title, kind, times, the maintenance window, the public
postmortem summary, and the updates published by `now`, sanitized). The severity is read
only for the two public facts it implies: the impact (unless `public_impact:` states it)
and the default component state.

Translations (`translations:` on the incident and its updates) are public text like the
fields they translate: for a page in another language than the team writes in, the
incident's title and summary and each update's message are taken in the page's language,
sanitized the same way; an update without one keeps its message and says which language
it is in (`PublicUpdate.shown_in`), so the page can say so.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from types import MappingProxyType

from ..model import Handbook, Incident, Update
from ..model.incident import maintenance_status
from ..model.vocab import (
    ComponentStatus,
    Impact,
    IncidentStatus,
    Kind,
    MaintenanceStatus,
    update_status,
)
from . import sanitize
from .ids import LEGACY, PublicIds
from .view import ComponentChange, PublicIncident, PublicUpdate, UpdateStatus


@dataclass(frozen=True)
class ComponentRef:
    """A public component as incidents see it: its public id (`status_page.public_id`,
    else the service id), its public name, its place in the page's display order, and its
    position among its siblings (Statuspage's `position`)."""

    id: str
    name: str
    position: int
    sibling: int = 0


@dataclass(frozen=True)
class Language:
    """The page's language and the team's, for picking translations."""

    page: str = "en"
    content: str = "en"

    @property
    def translated(self) -> bool:
        return self.page != self.content


SAME = Language()


def _message(u: Update, lang: Language) -> tuple[str, str]:
    """An update's message in the page's language, and the language it is in when that
    is not the page's ('' when it is, or when there is no message)."""
    if not lang.translated:
        return u.message, ""
    found = u.translations.get(lang.page)
    if found is not None:
        return found.message, ""
    return u.message, (lang.content if u.message.strip() else "")


def _title_and_summary(inc: Incident, lang: Language) -> tuple[str, str]:
    title, summary = inc.display_title, inc.postmortem.public_summary or ""
    found = inc.translations.get(lang.page) if lang.translated else None
    if found is not None:
        title = found.public_title or title
        summary = found.public_summary or summary
    return title, summary


@dataclass(frozen=True)
class _Outcome:
    """Where an incident stands at `now`."""

    status: UpdateStatus
    active: bool
    impact: Impact
    states: Mapping[str, ComponentStatus]
    monitoring_at: datetime | None


def _utc(t: datetime | None) -> datetime | None:
    return t.astimezone(UTC) if t is not None else None


def _visible_resolved(inc: Incident, now: datetime) -> datetime | None:
    return inc.resolved_at if inc.resolved_at is not None and inc.resolved_at <= now else None


def _affected(inc: Incident, ups: Sequence[Update],
              components: Mapping[str, ComponentRef]) -> tuple[str, ...]:
    """Public components the incident names (its services and its updates'), by service
    id, in display order."""
    affected = {s for s in inc.services if s in components}
    for u in ups:
        affected.update(c for c in u.components if c in components)
    return tuple(sorted(affected, key=lambda c: components[c].position))


def _default_state(inc: Incident, handbook: Handbook) -> ComponentStatus:
    """The state a component is in until an update names it."""
    if inc.is_maintenance:
        return ComponentStatus.UNDER_MAINTENANCE
    level = handbook.level(inc.severity)
    return level.component_status if level is not None else ComponentStatus.OPERATIONAL


def _shown(inc: Incident, u: Update, named: ComponentStatus | None,
           held: ComponentStatus) -> ComponentStatus:
    """What an update shows a component as: what it names, else (maintenance) what its
    status implies, else operational once resolved, else the state held so far."""
    if inc.is_maintenance:
        return named or ComponentStatus(MaintenanceStatus(u.status).component_state)
    if named is None and u.status == IncidentStatus.RESOLVED:
        return ComponentStatus.OPERATIONAL
    return held


AUTO_MESSAGES = {
    MaintenanceStatus.SCHEDULED: "We will be undergoing scheduled maintenance during this "
                                 "time.",
    MaintenanceStatus.IN_PROGRESS: "Scheduled maintenance is currently in progress. We will "
                                   "provide updates as necessary.",
    MaintenanceStatus.COMPLETED: "The scheduled maintenance has been completed.",
}
"""What the updates sevbook adds at a maintenance window's edges say (Statuspage's words)."""


def _auto_updates(inc: Incident, ups: Sequence[Update], now: datetime) -> list[Update]:
    """The updates Statuspage's automatic start and completion would have posted by
    `now`: `scheduled` at `announced_at` while no update is written yet (the announcement
    stands in for the first update), `in_progress` at `scheduled_for` while the maintenance
    was still scheduled then, `completed` at `scheduled_until` when the window (not an
    update) ends it."""
    if not inc.is_maintenance:
        return []
    out = []
    if inc.announced_at is not None and inc.announced_at <= now and not ups:
        out.append(_auto(inc.announced_at, MaintenanceStatus.SCHEDULED))
    start, end = inc.scheduled_for, inc.scheduled_until
    if start is None or start > now:
        return out
    before = [u.status for u in ups if u.at <= start]
    if all(st == MaintenanceStatus.SCHEDULED for st in before):
        out.append(_auto(start, MaintenanceStatus.IN_PROGRESS))
    explicit = [u.status for u in ups if u.status != MaintenanceStatus.SCHEDULED]
    if end is not None and end <= now and inc.resolved_at is None and not explicit:
        out.append(_auto(end, MaintenanceStatus.COMPLETED))
    return out


def _auto(at: datetime, status: MaintenanceStatus) -> Update:
    return Update.model_validate({"at": at, "status": status.value,
                                  "message": AUTO_MESSAGES[status]},
                                 context={"kind": Kind.MAINTENANCE})


def _entries(inc: Incident, pub_id: str, ups: Sequence[Update], now: datetime,
             ids: PublicIds) -> list[tuple[str, Update]]:
    """(public id, update), chronological: the published updates of the file and those
    the maintenance window adds."""
    out = [(ids.update(pub_id, index, f"{inc.id}@{u.at.isoformat()}@{u.status}"), u)
           for index, u in enumerate(ups)]  # `ups` is a prefix of the file's updates
    out += [(ids.auto_update(pub_id, u.status, f"{inc.id}@auto@{u.status}"), u)
            for u in _auto_updates(inc, ups, now)]
    return sorted(out, key=lambda e: e[1].at)


def _updates(inc: Incident, pub_id: str, entries: Sequence[tuple[str, Update]],
             comp_ids: tuple[str, ...], default: ComponentStatus,
             components: Mapping[str, ComponentRef], lang: Language = SAME,
             ) -> tuple[tuple[PublicUpdate, ...], dict[str, ComponentStatus]]:
    """The public updates with their component changes, and the state each component is
    held in after the last one."""
    held = dict.fromkeys(comp_ids, default)
    shown = dict.fromkeys(comp_ids, ComponentStatus.OPERATIONAL)
    out: list[PublicUpdate] = []
    for uid, u in entries:
        changes = []
        for c in comp_ids:
            named = u.components.get(c)
            if named is not None:
                held[c] = named
            new = _shown(inc, u, named, held[c])
            if c in u.components or new != shown[c]:
                changes.append(ComponentChange(components[c].id, components[c].name, shown[c],
                                               new))
            shown[c] = new
        message, shown_in = _message(u, lang)
        out.append(PublicUpdate(
            id=uid, incident_id=pub_id, at=u.at.astimezone(UTC),
            status=update_status(u.status),
            html=sanitize.to_html(message), text=sanitize.to_text(message),
            changes=tuple(changes), created_at=_utc(u.created_at), notify=u.notify,
            shown_in=shown_in,
        ))
    return tuple(out), held


def _maintenance_outcome(inc: Incident, ups: Sequence[Update], comp_ids: tuple[str, ...],
                         resolved: datetime | None, now: datetime) -> _Outcome:
    status = MaintenanceStatus(maintenance_status(inc, ups[-1].status, resolved, now))
    active = not status.final
    start = inc.started_at or inc.scheduled_for
    end = resolved or inc.scheduled_until
    in_window = start is not None and start <= now and (end is None or now < end)
    states = dict.fromkeys(comp_ids, ComponentStatus.UNDER_MAINTENANCE) \
        if in_window and active else {}
    monitoring = next((u.at for u in ups if u.status == MaintenanceStatus.VERIFYING), None)
    stated = inc.maintenance_impact.impact if inc.maintenance_impact else Impact.MAINTENANCE
    return _Outcome(status, active, stated, MappingProxyType(states), monitoring)


def _incident_outcome(inc: Incident, handbook: Handbook, ups: Sequence[Update],
                      held: Mapping[str, ComponentStatus],
                      resolved: datetime | None) -> _Outcome:
    status = IncidentStatus.RESOLVED if resolved is not None else IncidentStatus(ups[-1].status)
    active = not status.final
    level = handbook.level(inc.severity)
    stated = inc.public_impact or (level.public_impact if level is not None else None)
    impact = stated.impact if stated is not None else Impact.NONE
    states = {c: s for c, s in held.items() if s != ComponentStatus.OPERATIONAL} \
        if active else {}
    monitoring = next((u.at for u in ups if u.status == IncidentStatus.MONITORING), None)
    return _Outcome(status, active, impact, MappingProxyType(states), monitoring)


def public_incident(inc: Incident, handbook: Handbook, components: Mapping[str, ComponentRef],
                    now: datetime, ids: PublicIds = LEGACY, lang: Language = SAME,
                    ) -> PublicIncident | None:
    """The public form of a public incident at `now` (its ids made by `ids`, its text in
    `lang.page` where translated); None while nothing is published."""
    ups = [u for u in inc.updates if u.at <= now]
    pub_id = ids.incident(inc.id, inc.public_id)
    entries = _entries(inc, pub_id, ups, now, ids)
    if not entries:
        return None
    comp_ids = _affected(inc, ups, components)
    updates, held = _updates(inc, pub_id, entries, comp_ids, _default_state(inc, handbook),
                             components, lang)
    resolved = _visible_resolved(inc, now)
    if inc.is_maintenance:
        outcome = _maintenance_outcome(inc, [u for _, u in entries], comp_ids, resolved, now)
    else:
        outcome = _incident_outcome(inc, handbook, ups, held, resolved)
    title, summary = _title_and_summary(inc, lang)
    return PublicIncident(
        id=pub_id,
        name=sanitize.plain(title),
        kind=inc.kind,
        impact=outcome.impact,
        status=outcome.status,
        created_at=updates[0].at,
        updated_at=updates[-1].at,
        started_at=_utc(inc.begins) or updates[0].at,
        monitoring_at=_utc(outcome.monitoring_at),
        resolved_at=_utc(resolved),
        scheduled_for=_utc(inc.scheduled_for),
        scheduled_until=_utc(inc.scheduled_until),
        updates=updates,
        component_ids=tuple(components[c].id for c in comp_ids),
        postmortem_html=sanitize.to_html(summary),
        postmortem_text=sanitize.to_text(summary),
        active=outcome.active,
        states=MappingProxyType({components[c].id: st for c, st in outcome.states.items()}),
        announced_at=_utc(inc.announced_at),
    )
