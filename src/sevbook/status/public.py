"""THE privacy boundary: the Handbook in, plain public view objects out.

Everything under `site/status/` is rendered from the objects made here, and from nothing
else: templates, feeds, the JSON API, the calendar and the badges never see a `Handbook`,
an `Incident` or a `Service`. DESIGN.md allows exactly these fields out:

* public incidents (`public: true`): `public_title` (default: `title`), `kind`, `started_at`,
  `resolved_at`, the maintenance window, `postmortem.public_summary`, and their updates
  (time, status, sanitized message, component changes);
* public components: services with a `status_page` block, by their public name,
  description and group.

Never: internal titles (when `public_title` is set), severity ids, roles or names, the
internal timeline, runbooks, action items, the body, private incidents, services without
`status_page`, and the incident file id (it often names the cause): public incident ids are
`opaque_id("incident", file_id)`, 12 base32 characters of a SHA-256, stable across builds.

Everything is evaluated at `now`: updates dated after `now` are not published yet, an
incident resolved after `now` is still open.
"""

from __future__ import annotations

import base64
import hashlib
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

from .. import impact
from ..model import Handbook, Incident
from ..model.incident import maintenance_status
from . import sanitize

COMPONENT_LABELS = {
    "operational": "Operational",
    "degraded_performance": "Degraded performance",
    "partial_outage": "Partial outage",
    "major_outage": "Major outage",
    "under_maintenance": "Under maintenance",
}
STATUS_LABELS = {
    "investigating": "Investigating",
    "identified": "Identified",
    "monitoring": "Monitoring",
    "resolved": "Resolved",
    "scheduled": "Scheduled",
    "in_progress": "In progress",
    "verifying": "Verifying",
    "completed": "Completed",
}
IMPACT_LABELS = {
    "none": "No impact", "minor": "Minor", "major": "Major", "critical": "Critical",
    "maintenance": "Maintenance",
}
INDICATOR_RANK = {"none": 0, "maintenance": 1, "minor": 2, "major": 3, "critical": 4}
INDICATOR_DESCRIPTIONS = {
    # Statuspage's own wording (status.json `description`).
    "none": "All Systems Operational",
    "maintenance": "Service Under Maintenance",
    "minor": "Minor Service Outage",
    "major": "Partial System Outage",
    "critical": "Major System Outage",
}
BANNERS = {
    "under_maintenance": "Maintenance in progress",
    "degraded_performance": "Degraded performance",
    "partial_outage": "Partial outage",
    "major_outage": "Major outage",
}
INDICATOR_STATE = {
    "none": "operational", "maintenance": "under_maintenance",
    "minor": "degraded_performance", "major": "partial_outage", "critical": "major_outage",
}
COMPONENT_INDICATOR = {
    "operational": "none", "under_maintenance": "maintenance",
    "degraded_performance": "minor", "partial_outage": "major", "major_outage": "critical",
}
STATE_RANK = impact.STATE_RANK
MAINTENANCE_DEFAULTS = {
    "scheduled": "operational", "in_progress": "under_maintenance",
    "verifying": "under_maintenance", "completed": "operational",
}


def opaque_id(kind: str, key: str) -> str:
    """A stable public id that reveals nothing: 12 lowercase base32 chars of
    sha256("sevbook-<kind>:<key>")."""
    digest = hashlib.sha256(f"sevbook-{kind}:{key}".encode()).digest()
    # base32 works in 5-byte blocks: 10 bytes give the same first 12 characters, cheaper.
    return base64.b32encode(digest[:10]).decode("ascii")[:12].lower()


def worst_state(states) -> str:
    return max(states, key=STATE_RANK.__getitem__, default="operational")


@dataclass
class ComponentChange:
    """One component named by an update (Statuspage `affected_components`)."""

    component_id: str
    name: str
    old_status: str
    new_status: str


@dataclass
class PublicUpdate:
    id: str
    incident_id: str
    at: datetime
    status: str
    html: str
    text: str
    changes: list[ComponentChange]

    @property
    def status_label(self) -> str:
        return STATUS_LABELS[self.status]

    @property
    def shows_changes(self) -> bool:
        """False when every component stays operational (a scheduled maintenance notice)."""
        return any(c.old_status != "operational" or c.new_status != "operational"
                   for c in self.changes)


@dataclass
class PublicIncident:
    id: str
    name: str
    kind: str
    impact: str
    status: str
    created_at: datetime
    updated_at: datetime
    started_at: datetime
    monitoring_at: datetime | None
    resolved_at: datetime | None
    scheduled_for: datetime | None
    scheduled_until: datetime | None
    updates: list[PublicUpdate]
    """Chronological (oldest first); templates reverse it."""
    component_ids: list[str]
    postmortem_html: str
    postmortem_text: str
    active: bool
    """Open incident, or maintenance scheduled / in progress, at `now`."""
    states: dict[str, str] = field(default_factory=dict)
    """Component id -> the state this incident holds it in at `now` (when active)."""

    @property
    def is_maintenance(self) -> bool:
        return self.kind == "maintenance"

    @property
    def status_label(self) -> str:
        return STATUS_LABELS[self.status]

    @property
    def impact_label(self) -> str:
        return IMPACT_LABELS[self.impact]

    @property
    def display_state(self) -> str:
        """The icon/colour for this incident: by impact while active, a check when over."""
        if not self.active:
            return "operational"
        return INDICATOR_STATE[self.impact] if self.impact != "none" else "degraded_performance"

    @property
    def latest(self) -> PublicUpdate:
        return self.updates[-1]

    @property
    def updates_newest_first(self) -> list[PublicUpdate]:
        return self.updates[::-1]

    @property
    def path(self) -> str:
        return f"incidents/{self.id}/"


@dataclass
class PublicComponent:
    id: str
    name: str
    description: str
    group_id: str | None
    group_name: str | None
    position: int
    since: date | None
    status: str
    created_at: datetime
    updated_at: datetime
    intervals: list[impact.Interval]
    """Merged impact spans from public incidents only (worst state wins)."""
    incident_ids: list[str] = field(default_factory=list)
    """Newest first."""
    uptime: object = None
    """Filled in by `uptime.compute` (a `ComponentUptime`)."""

    @property
    def status_label(self) -> str:
        return COMPONENT_LABELS[self.status]

    @property
    def path(self) -> str:
        return f"components/{self.id}/"


@dataclass
class PublicGroup:
    id: str
    name: str
    position: int
    components: list[PublicComponent]
    created_at: datetime
    updated_at: datetime

    @property
    def status(self) -> str:
        return worst_state(c.status for c in self.components)

    @property
    def status_label(self) -> str:
        return COMPONENT_LABELS[self.status]


@dataclass
class PublicSite:
    """Everything the status page may show, evaluated at `now`."""

    title: str
    name: str
    url: str
    """Absolute base URL ending in '/', or '' (then links in feeds are relative)."""
    timezone: str
    links: dict[str, str]
    now: datetime
    page_id: str
    updated_at: datetime
    components: list[PublicComponent]
    """Display order: grouped components (groups by name), then ungrouped ones."""
    groups: list[PublicGroup]
    incidents: list[PublicIncident]
    """Incidents and maintenance, newest first (by start)."""
    indicator: str
    logo: str = ""
    """Site-relative path of the copied logo, or ''."""

    def __post_init__(self) -> None:
        self.component_by_id = {c.id: c for c in self.components}
        self.incident_by_id = {i.id: i for i in self.incidents}

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    @property
    def description(self) -> str:
        return INDICATOR_DESCRIPTIONS[self.indicator]

    @property
    def banner_state(self) -> str:
        """The state the banner shows: the worst component state now; an active incident
        that holds no component in a bad state shows by its impact."""
        worst = worst_state(c.status for c in self.components)
        if worst != "operational":
            return worst
        impacts = [i.impact for i in self.active_incidents]
        if impacts:
            top = max(impacts, key=INDICATOR_RANK.__getitem__)
            return INDICATOR_STATE[top] if top != "none" else "degraded_performance"
        return "operational"

    @property
    def banner(self) -> str:
        """'All systems operational', or the worst current state in words."""
        state = self.banner_state
        if state == "operational":
            return "All systems operational"
        if all(c.status == "operational" for c in self.components):
            return "Incident in progress"
        return BANNERS[state]

    @property
    def ungrouped(self) -> list[PublicComponent]:
        return [c for c in self.components if c.group_id is None]

    @property
    def active_incidents(self) -> list[PublicIncident]:
        return [i for i in self.incidents if i.active and not i.is_maintenance]

    @property
    def active_maintenance(self) -> list[PublicIncident]:
        return sorted((i for i in self.incidents if i.is_maintenance
                       and i.status in ("in_progress", "verifying")),
                      key=lambda i: (i.scheduled_for or i.started_at, i.id))

    @property
    def upcoming_maintenance(self) -> list[PublicIncident]:
        return sorted((i for i in self.incidents
                       if i.is_maintenance and i.status == "scheduled"),
                      key=lambda i: (i.scheduled_for or i.started_at, i.id))

    @property
    def maintenance(self) -> list[PublicIncident]:
        return [i for i in self.incidents if i.is_maintenance]

    @property
    def affected_now(self) -> list[PublicComponent]:
        return [c for c in self.components if c.status != "operational"]

    def absolute(self, path: str) -> str:
        """A site path as an absolute URL when the site URL is configured (feeds, the API
        and the calendar need one; without `status.url` they get site-relative links)."""
        return f"{self.url}{path}" if self.url else (path or "./")

    def incidents_of(self, component: PublicComponent) -> list[PublicIncident]:
        return [self.incident_by_id[i] for i in component.incident_ids]


# ---------------------------------------------------------------------------------------


def _day_start(d: date, tz: ZoneInfo) -> datetime:
    return datetime.combine(d, time(0), tzinfo=tz).astimezone(timezone.utc)


def _visible_resolved(inc: Incident, now: datetime) -> datetime | None:
    return inc.resolved_at if inc.resolved_at is not None and inc.resolved_at <= now else None


def _maintenance_status(inc: Incident, last: str, resolved: datetime | None,
                        now: datetime) -> str:
    """Statuspage maintenance status at `now` from what is published by `now`."""
    return maintenance_status(inc, last, resolved, now)


def _public_incident(inc: Incident, pub_id: str, handbook: Handbook,
                     components: dict[str, tuple[str, int]], now: datetime,
                     ) -> PublicIncident | None:
    ups = [u for u in inc.updates if u.at <= now]
    if not ups:
        return None  # nothing published yet at `now`
    level = handbook.level(inc.severity)
    maint = inc.is_maintenance
    affected = {s for s in inc.services if s in components}
    for u in ups:
        affected.update(c for c in u.components if c in components)
    comp_ids = sorted(affected, key=lambda c: components[c][1])
    default = "under_maintenance" if maint else (
        level.component_status if level is not None else "operational")
    resolved = _visible_resolved(inc, now)

    state = {c: default for c in comp_ids}
    shown = {c: "operational" for c in comp_ids}
    updates: list[PublicUpdate] = []
    for u in ups:
        changes = []
        for c in comp_ids:
            named = u.components.get(c)
            if named is not None:
                state[c] = named
            if maint:
                new = named or MAINTENANCE_DEFAULTS[u.status]
            elif named is None and u.status == "resolved":
                new = "operational"
            else:
                new = state[c]
            changes.append(ComponentChange(c, components[c][0], shown[c], new))
            shown[c] = new
        updates.append(PublicUpdate(
            id=opaque_id("update", f"{inc.id}@{u.at.isoformat()}@{u.status}"),
            incident_id=pub_id, at=u.at.astimezone(timezone.utc), status=u.status,
            html=sanitize.to_html(u.message), text=sanitize.to_text(u.message),
            changes=changes,
        ))

    last = ups[-1].status
    if maint:
        status = _maintenance_status(inc, last, resolved, now)
        active = status != "completed"
        impact_ = "maintenance"
        start = inc.started_at or inc.scheduled_for
        end = resolved or inc.scheduled_until
        in_window = start is not None and start <= now and (end is None or now < end)
        states = {c: "under_maintenance" for c in comp_ids} if in_window and active else {}
        monitoring = next((u.at for u in ups if u.status == "verifying"), None)
    else:
        status = "resolved" if resolved is not None else last
        active = status != "resolved"
        impact_ = level.public_impact if level is not None else "none"
        states = {c: s for c, s in state.items() if s != "operational"} if active else {}
        monitoring = next((u.at for u in ups if u.status == "monitoring"), None)

    def utc(t: datetime | None) -> datetime | None:
        return t.astimezone(timezone.utc) if t is not None else None

    summary = inc.postmortem.public_summary or ""
    return PublicIncident(
        id=pub_id,
        name=sanitize.plain(inc.display_title),
        kind=inc.kind,
        impact=impact_,
        status=status,
        created_at=updates[0].at,
        updated_at=updates[-1].at,
        started_at=utc(inc.begins) or updates[0].at,
        monitoring_at=utc(monitoring),
        resolved_at=utc(resolved),
        scheduled_for=utc(inc.scheduled_for),
        scheduled_until=utc(inc.scheduled_until),
        updates=updates,
        component_ids=comp_ids,
        postmortem_html=sanitize.to_html(summary),
        postmortem_text=sanitize.to_text(summary),
        active=active,
        states=states,
    )


def _safe_link(url: str) -> bool:
    """Footer links from the settings: web, mail or site-relative targets only."""
    scheme = url.split(":", 1)[0].lower() if ":" in url.split("/", 1)[0] else ""
    return scheme in ("", "http", "https", "mailto")


def public_site(handbook: Handbook, now: datetime) -> PublicSite:
    """The public view of `handbook` at `now`. The only function that reads the Handbook
    for the status page."""
    now = now.astimezone(timezone.utc)
    st = handbook.settings.status
    tz = ZoneInfo(st.timezone)
    url = st.url.strip()
    if url and not url.endswith("/"):
        url += "/"

    # Components, in display order: groups sorted by name, then ungrouped; by name inside.
    services = handbook.public_services
    def sort_key(sid: str) -> tuple:
        sp = services[sid].status_page
        return (sp.group is None, sp.group or "", services[sid].public_name.casefold(), sid)
    order = sorted(services, key=sort_key)
    comp_index = {sid: (sanitize.plain(services[sid].public_name), n)
                  for n, sid in enumerate(order, 1)}

    incidents: list[PublicIncident] = []
    sources: dict[str, Incident] = {}
    for inc in handbook.incidents.values():
        if not inc.public:
            continue
        pid = opaque_id("incident", inc.id)
        pi = _public_incident(inc, pid, handbook, comp_index, now)
        if pi is not None:
            incidents.append(pi)
            sources[pid] = inc
    incidents.sort(key=lambda i: (i.started_at, i.created_at, i.id), reverse=True)

    # Impact spans per component, from the shared impact module (status page view).
    by_comp: dict[str, list[PublicIncident]] = {sid: [] for sid in order}
    for pi in incidents:
        for c in pi.component_ids:
            by_comp[c].append(pi)

    components: list[PublicComponent] = []
    for sid in order:
        svc = services[sid]
        sp = svc.status_page
        spans: list[impact.Interval] = []
        for pi in by_comp[sid]:
            spans += impact.incident_intervals(
                sources[pi.id], sid, handbook.severity, now,
                service_public=True, public_only=True)
        current = worst_state(pi.states.get(sid, "operational") for pi in by_comp[sid])
        touched = [u.at for pi in by_comp[sid] for u in pi.updates]
        if sp.since is not None:
            created = _day_start(sp.since, tz)
        else:
            created = min(touched, default=now)
        components.append(PublicComponent(
            id=sid,
            name=comp_index[sid][0],
            description=sanitize.plain(sp.description),
            group_id=opaque_id("group", sp.group) if sp.group else None,
            group_name=sanitize.plain(sp.group) if sp.group else None,
            position=comp_index[sid][1],
            since=sp.since,
            status=current,
            created_at=created,
            updated_at=max(touched, default=created),
            intervals=impact.merge(spans),
            incident_ids=[pi.id for pi in by_comp[sid]],
        ))

    groups: list[PublicGroup] = []
    for comp in components:
        if comp.group_id is None:
            continue
        if not groups or groups[-1].id != comp.group_id:
            groups.append(PublicGroup(comp.group_id, comp.group_name or "", len(groups) + 1,
                                      [], comp.created_at, comp.updated_at))
        g = groups[-1]
        g.components.append(comp)
        g.created_at = min(g.created_at, comp.created_at)
        g.updated_at = max(g.updated_at, comp.updated_at)

    indicator = "none"
    for level in [COMPONENT_INDICATOR[c.status] for c in components] + [
            i.impact for i in incidents if i.active and not i.is_maintenance]:
        if INDICATOR_RANK[level] > INDICATOR_RANK[indicator]:
            indicator = level

    updated = max((i.updated_at for i in incidents), default=now)
    return PublicSite(
        title=sanitize.plain(st.title),
        # The page's public name is its title: `name` defaults to the handbook's site_name,
        # which is an internal site.
        name=sanitize.plain(st.title),
        url=url,
        timezone=st.timezone,
        links={sanitize.plain(k): v for k, v in (st.links or {}).items() if _safe_link(v)},
        now=now,
        page_id=opaque_id("page", url or st.title),
        updated_at=updated,
        components=components,
        groups=groups,
        incidents=incidents,
        indicator=indicator,
    )


def day_bounds(d: date, tz: ZoneInfo) -> tuple[datetime, datetime]:
    """[start, end) of a calendar day in `tz`, in UTC (23 or 25 hours on DST changes)."""
    return _day_start(d, tz), _day_start(d + timedelta(days=1), tz)
