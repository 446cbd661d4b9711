"""The internal status page's view: every incident, for employees, never a public tree.

`internal_view(handbook, now)` builds the same frozen `PublicView` the public pages are
rendered from (so the same templates, feeds, API and badges), from a selection that
`sevbook.status.public` never makes:

* every service is a component (those without `status_page` in the group
  `INTERNAL_GROUP`, by their service name);
* every incident and maintenance, by its internal `title` (not `public_title`), with its
  severity; one without public updates gets status-only updates from its own times
  (detected, mitigated, resolved), saying so;
* a `restricted: true` incident only as a stub: an opaque id, its times, severity and
  status, the title `RESTRICTED_TITLE`, no component, no body, no update text of its own;
* incident ids are the file ids (they match the handbook's incident pages), except a
  restricted stub's, which is an opaque id of the internal page
  (`PublicIds.for_page('internal')`; the file name often names the cause).

Its tree (`internal_status.site_dir`) is checked like every output folder
(`config.folder_problems`): it overlaps no public tree, so publishing a public page can
never publish it. Its pages say "Internal" and ask not to be indexed (the templates read
`site.internal`).
"""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

from ..gcpause import gc_paused
from ..model import Handbook, Incident, Service, StatusPageEntry, Update
from ..model.vocab import ComponentStatus, IncidentStatus, MaintenanceStatus
from .assemble import Audience, assemble
from .ids import PublicIds
from .view import PublicView

__all__ = ["internal_view"]

INTERNAL_GROUP = "Not on the public status page"
RESTRICTED_TITLE = "Restricted incident"
RESTRICTED_NOTE = "Restricted: the details are kept to the responders."
NO_UPDATES = "No public updates; the record is in the handbook."


def _update(inc: Incident, at: datetime | None, status: str, message: str,
            components: dict[str, str] | None = None) -> list[Update]:
    if at is None:
        return []
    return [Update.model_validate({"at": at, "status": status, "message": message,
                                   "components": components or {}},
                                  context={"kind": inc.kind})]


def _lifecycle(inc: Incident, message: str, services: list[str]) -> list[Update]:
    """Status-only updates from the incident's own times, oldest first."""
    if inc.is_maintenance:
        start = inc.started_at or inc.scheduled_for
        return (_update(inc, start, MaintenanceStatus.SCHEDULED, message)
                + _update(inc, inc.resolved_at, MaintenanceStatus.COMPLETED, message))
    opened = inc.detected_at or inc.started_at
    mitigated = inc.mitigated_at if inc.mitigated_at != inc.resolved_at else None
    ok = dict.fromkeys(services, ComponentStatus.OPERATIONAL.value)
    out = (_update(inc, opened, IncidentStatus.INVESTIGATING, message)
           + _update(inc, mitigated, IncidentStatus.MONITORING, message, ok)
           + _update(inc, inc.resolved_at, IncidentStatus.RESOLVED, message))
    return sorted(out, key=lambda u: u.at)


def _stub(inc: Incident, ids: PublicIds) -> Incident:
    """A restricted incident as the internal page may show it."""
    return inc.model_copy(update={
        "public": True, "title": RESTRICTED_TITLE, "public_title": None,
        "public_id": ids.for_page("internal").incident(inc.id),
        "services": [], "impact": [], "labels": [], "count_in_uptime": False,
        "updates": _lifecycle(inc, RESTRICTED_NOTE, []),
        "postmortem": inc.postmortem.model_copy(update={"public_summary": None}),
    }).bind(inc.id, inc.path, "")


def _internal_incident(inc: Incident, ids: PublicIds) -> Incident:
    if inc.restricted:
        return _stub(inc, ids)
    updates = inc.updates or _lifecycle(inc, NO_UPDATES, inc.services)
    return inc.model_copy(update={
        "public": True, "public_title": None, "public_id": inc.id, "updates": updates,
    }).bind(inc.id, inc.path, "")


def _component(svc: Service) -> Service:
    if svc.status_page is not None:
        return svc
    entry = StatusPageEntry.model_validate({"group": INTERNAL_GROUP})
    return svc.model_copy(update={"status_page": entry}).bind(svc.id, svc.path, "")


def _internal_handbook(handbook: Handbook, ids: PublicIds) -> Handbook:
    return replace(handbook,
                   services={sid: _component(s) for sid, s in handbook.services.items()},
                   incidents={iid: _internal_incident(i, ids)
                              for iid, i in handbook.incidents.items()})


def internal_view(handbook: Handbook, now: datetime) -> PublicView:
    """The internal status page of `handbook` at `now` (`internal_status` must be set)."""
    options = handbook.settings.internal_status
    if options is None:
        raise ValueError("internal_status is not set: there is no internal status page")
    with gc_paused():
        ids = PublicIds.of(getattr(handbook, "root", None))
        return assemble(_internal_handbook(handbook, ids), now.astimezone(UTC),
                        Audience(options, ids, "internal", internal=True))
