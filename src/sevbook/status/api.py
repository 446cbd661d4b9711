"""The Statuspage-compatible JSON API (`api/v2/*.json`).

Same paths, keys, enums and nullability as Atlassian Statuspage's public v2 API, so
existing clients and widgets work unchanged: every key is present, `null` or `[]` when
empty. Component groups appear in `components` as Statuspage does (`group: true` with the
ids of their members in `components`). Times are UTC ISO 8601, with the sub-second
precision the input has.

Enums (the members of `sevbook.model.vocab`):
* component `status`: operational | degraded_performance | partial_outage | major_outage |
  under_maintenance
* incident `status`: investigating | identified | monitoring | resolved (| postmortem)
* maintenance `status`: scheduled | in_progress | verifying | completed
* `impact`: none | minor | major | critical | maintenance
* page `status.indicator`: none | minor | major | critical | maintenance
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

from ..times import utc_precise
from .view import (
    PublicComponent,
    PublicGroup,
    PublicIncident,
    PublicUpdate,
    PublicView,
    by_window,
)

RECENT = 50
"""incidents.json and scheduled-maintenances.json list the 50 most recent (as Statuspage)."""


def _t(dt: datetime | None) -> str | None:
    return utc_precise(dt) if dt is not None else None


def page(site: PublicView) -> dict[str, Any]:
    return {
        "id": site.page_id,
        "name": site.name,
        "url": site.url.rstrip("/") if site.url else "",
        "time_zone": site.timezone,
        "updated_at": _t(site.updated_at),
    }


def status(site: PublicView) -> dict[str, Any]:
    return {"indicator": site.indicator, "description": site.description}


def _component_doc(site: PublicView, c: PublicComponent | PublicGroup, *, group: bool,
                   description: str | None, start_date: str | None,
                   group_id: str | None, showcase: bool) -> dict[str, Any]:
    """The keys a component and a group share, in Statuspage's order."""
    return {
        "id": c.id,
        "name": c.name,
        "status": c.status,
        "created_at": _t(c.created_at),
        "updated_at": _t(c.updated_at),
        "position": c.position,
        "description": description,
        "showcase": showcase,
        "start_date": start_date,
        "group_id": group_id,
        "page_id": site.page_id,
        "group": group,
        "only_show_if_degraded": False,
    }


def component(site: PublicView, c: PublicComponent) -> dict[str, Any]:
    return _component_doc(site, c, group=False, description=c.description or None,
                          start_date=c.since.isoformat() if c.since else None,
                          group_id=c.group_id, showcase=c.showcase)


def group(site: PublicView, g: PublicGroup) -> dict[str, Any]:
    doc = _component_doc(site, g, group=True, description=None, start_date=None,
                         group_id=None, showcase=False)
    doc["components"] = [c.id for c in g.components]
    return doc


def components(site: PublicView) -> list[dict[str, Any]]:
    """Group components first, then every component (members point to theirs by `group_id`)."""
    return [group(site, g) for g in site.groups] + [component(site, c)
                                                    for c in site.components]


def update(u: PublicUpdate) -> dict[str, Any]:
    return {
        "id": u.id,
        "status": u.status,
        "body": u.text,
        "incident_id": u.incident_id,
        "created_at": _t(u.written_at),
        "updated_at": _t(u.written_at),
        "display_at": _t(u.at),
        "affected_components": [
            {"code": c.component_id, "name": c.name, "old_status": c.old_status,
             "new_status": c.new_status} for c in u.changes
        ] or None,
        "deliver_notifications": u.notify,
        "custom_tweet": None,
        "tweet_id": None,
    }


def incident(site: PublicView, i: PublicIncident) -> dict[str, Any]:
    out: dict[str, Any] = {
        "id": i.id,
        "name": i.name,
        "status": i.status,
        "created_at": _t(i.created_at),
        "updated_at": _t(i.updated_at),
        "monitoring_at": _t(i.monitoring_at),
        "resolved_at": _t(i.resolved_at),
        "impact": i.impact,
        "shortlink": site.absolute(i.path),
        # Statuspage's started_at of a maintenance is when it was announced
        "started_at": _t((i.announced_at or i.created_at) if i.is_maintenance
                         else i.started_at),
        "page_id": site.page_id,
        "incident_updates": [update(u) for u in i.updates_newest_first],
        "components": [component(site, site.component_by_id[c]) for c in i.component_ids],
        # Sent by real pages since 2024 (null: sevbook sends no reminders of its own).
        "reminder_intervals": None,
    }
    if i.is_maintenance:
        out["scheduled_for"] = _t(i.scheduled_for)
        out["scheduled_until"] = _t(i.scheduled_until)

    return out


def _by_update(items: Sequence[PublicIncident]) -> list[PublicIncident]:
    return sorted(items, key=lambda i: (i.updated_at, i.id), reverse=True)


def documents(site: PublicView) -> dict[str, dict[str, Any]]:
    """Every endpoint, by path under `api/v2/`."""
    incidents = [i for i in site.incidents if not i.is_maintenance]
    maint = [i for i in site.incidents if i.is_maintenance]
    unresolved = [i for i in incidents if i.active]
    recent = _by_update(incidents)[:RECENT]
    for i in unresolved:  # unresolved incidents are always listed
        if i not in recent:
            recent.append(i)
    upcoming = site.upcoming_maintenance
    active = site.active_maintenance
    pg = page(site)
    comps = components(site)

    def incidents_doc(items):
        return [incident(site, i) for i in items]

    summary_maint = by_window(active + upcoming)
    return {
        "summary.json": {
            "page": pg, "components": comps,
            "incidents": incidents_doc(_by_update(unresolved)),
            "scheduled_maintenances": incidents_doc(summary_maint),
            "status": status(site),
        },
        "status.json": {"page": pg, "status": status(site)},
        "components.json": {"page": pg, "components": comps},
        "incidents.json": {"page": pg, "incidents": incidents_doc(recent)},
        "incidents/unresolved.json": {"page": pg,
                                      "incidents": incidents_doc(_by_update(unresolved))},
        "scheduled-maintenances.json": {
            "page": pg, "scheduled_maintenances": incidents_doc(_by_update(maint)[:RECENT])},
        "scheduled-maintenances/upcoming.json": {
            "page": pg, "scheduled_maintenances": incidents_doc(upcoming)},
        "scheduled-maintenances/active.json": {
            "page": pg, "scheduled_maintenances": incidents_doc(active)},
    }


def write_api(site: PublicView, out_dir: Path) -> None:
    base = out_dir / "api" / "v2"
    for rel, doc in documents(site).items():
        path = base / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(doc, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
