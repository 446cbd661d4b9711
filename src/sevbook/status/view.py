"""The public view: the frozen objects every status page output is rendered from.

`sevbook.status.public` (the privacy boundary) builds one `PublicView` from the Handbook;
after that nothing changes it: every class here is a frozen dataclass, sequences are
tuples and mappings are read-only. Templates, feeds, the JSON API, the calendar and the
badges receive these objects and nothing else.

Who may import what:

* `view`, `ids`, `uptime`, `history` (value objects) import no model object, only the
  vocabularies of `sevbook.model.vocab`, the spans of `sevbook.impact` and the page's
  words (`sevbook.i18n.Messages`);
* `public`, `incidents`, `components` (the boundary) are the only modules of this package
  that read a `Handbook`, an `Incident` or a `Service`;
* `build`, `render`, `feeds`, `api`, `calendar`, `badges` (the renderers) import the view
  and the value objects, never the model (a test checks it).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from types import MappingProxyType
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from ..i18n import Messages
from ..impact import Interval
from ..model.vocab import (
    ComponentStatus,
    Impact,
    IncidentStatus,
    Kind,
    MaintenanceStatus,
    Word,
)
from .headline import PageStatus
from .theme import ThemeFiles
from .uptime import ComponentUptime

UpdateStatus = IncidentStatus | MaintenanceStatus


def impact_state(impact: Impact) -> ComponentStatus:
    """The state an active incident of `impact` is shown in (icon, colour, banner): an
    incident with no declared impact still shows as degraded, never as operational."""
    if impact == Impact.NONE:
        return ComponentStatus.DEGRADED_PERFORMANCE
    return ComponentStatus(impact.state)


class _Labelled:
    """`status_label`: the status as people read it (what the templates show)."""

    if TYPE_CHECKING:
        @property
        def status(self) -> Word: ...

    @property
    def status_label(self) -> str:
        return self.status.label


@dataclass(frozen=True)
class ComponentChange:
    """One component named by an update (Statuspage `affected_components`)."""

    component_id: str
    name: str
    old_status: ComponentStatus
    new_status: ComponentStatus


@dataclass(frozen=True)
class PublicUpdate(_Labelled):
    id: str
    incident_id: str
    at: datetime
    status: UpdateStatus
    html: str
    text: str
    changes: tuple[ComponentChange, ...]
    """The components this update names or whose state it changes (Statuspage's
    `affected_components`; empty: it affects none)."""
    created_at: datetime | None = None
    """When it was written, when not at `at` (a backdated update)."""
    notify: bool = True
    """False for a silent update (`deliver_notifications: false`)."""
    shown_in: str = ""
    """'' when `html`/`text` are in the page's language (or the update has no text);
    else the language they are in (the team's `status.content_language`): the update
    has no translation into the page's language, and the page says so."""

    @property
    def written_at(self) -> datetime:
        return self.created_at or self.at

    @property
    def shows_changes(self) -> bool:
        """False when every component stays operational (a scheduled maintenance notice)."""
        ok = ComponentStatus.OPERATIONAL
        return any(c.old_status != ok or c.new_status != ok for c in self.changes)


@dataclass(frozen=True)
class PublicIncident(_Labelled):
    id: str
    name: str
    kind: Kind
    impact: Impact
    status: UpdateStatus
    created_at: datetime
    updated_at: datetime
    started_at: datetime
    monitoring_at: datetime | None
    resolved_at: datetime | None
    scheduled_for: datetime | None
    scheduled_until: datetime | None
    updates: tuple[PublicUpdate, ...]
    """Chronological (oldest first); templates reverse it."""
    component_ids: tuple[str, ...]
    postmortem_html: str
    postmortem_text: str
    active: bool
    """Open incident, or maintenance scheduled / in progress, at `now`."""
    states: Mapping[str, ComponentStatus] = field(
        default_factory=lambda: MappingProxyType({}))
    """Component id -> the state this incident holds it in at `now` (when active)."""
    announced_at: datetime | None = None
    """Maintenance: when it was announced (`announced_at:`), if the file says."""
    severity: str = ""
    """The severity level id, on the internal page only ('' on every public page)."""

    @property
    def is_maintenance(self) -> bool:
        return self.kind == Kind.MAINTENANCE

    @property
    def impact_label(self) -> str:
        return self.impact.label

    @property
    def impact_phrase(self) -> str:
        """'Minor impact', 'Critical impact'; 'No impact' (`Impact.phrase`)."""
        return self.impact.phrase

    @property
    def display_state(self) -> ComponentStatus:
        """The icon/colour for this incident: by impact while active, a check when over."""
        return impact_state(self.impact) if self.active else ComponentStatus.OPERATIONAL

    @property
    def window_start(self) -> datetime:
        """Where maintenance sorts: its window's start, else when it started."""
        return self.scheduled_for or self.started_at

    @property
    def latest(self) -> PublicUpdate:
        return self.updates[-1]

    @property
    def updates_newest_first(self) -> tuple[PublicUpdate, ...]:
        return self.updates[::-1]

    @property
    def path(self) -> str:
        return f"incidents/{self.id}/"

    @property
    def duration(self) -> timedelta | None:
        """How long it lasted, once resolved or completed (from its start or window)."""
        if self.resolved_at is None:
            return None
        return self.resolved_at - (self.window_start if self.is_maintenance else self.started_at)


@dataclass(frozen=True)
class DirectChange(_Labelled):
    """A component state set without an incident (`status_page.status`)."""

    at: datetime
    status: ComponentStatus


@dataclass(frozen=True)
class PublicComponent(_Labelled):
    id: str
    name: str
    description: str
    group_id: str | None
    group_name: str | None
    position: int
    """Statuspage's `position`: among its group's components, or at the top of the page."""
    since: date | None
    status: ComponentStatus
    created_at: datetime
    updated_at: datetime
    intervals: tuple[Interval, ...]
    """Merged impact spans from public incidents only (worst state wins)."""
    incident_ids: tuple[str, ...]
    """Newest first."""
    uptime: ComponentUptime
    """The daily bars and the window's uptime at `now`."""
    showcase: bool = True
    """Whether the page shows its uptime bars."""
    direct: tuple[DirectChange, ...] = ()
    """States set without an incident, published by `now`, oldest first."""
    days_incidents: Mapping[date, tuple[str, ...]] = field(
        default_factory=lambda: MappingProxyType({}))
    """Day of the uptime bars -> ids of the incidents under way that day, oldest first."""

    @property
    def path(self) -> str:
        return f"components/{self.id}/"


@dataclass(frozen=True)
class PublicGroup(_Labelled):
    id: str
    name: str
    position: int
    components: tuple[PublicComponent, ...]
    created_at: datetime
    updated_at: datetime

    @property
    def status(self) -> ComponentStatus:
        return ComponentStatus.worst(c.status for c in self.components)


@dataclass(frozen=True)
class PublicView:
    """Everything the status page may show, evaluated at `now`."""

    title: str
    name: str
    url: str
    """Absolute base URL ending in '/', or '' (then links in feeds are relative)."""
    timezone: str
    links: Mapping[str, str]
    now: datetime
    page_id: str
    updated_at: datetime
    components: tuple[PublicComponent, ...]
    """Display order (`sevbook.status.components.display_order`): groups and ungrouped
    components by position, then by name."""
    groups: tuple[PublicGroup, ...]
    incidents: tuple[PublicIncident, ...]
    """Incidents and maintenance, newest first (by start)."""
    headline: PageStatus
    """The top-level status: indicator and description (banner, badge, status.json)."""
    logo: str = ""
    """Site-relative path of the logo (`assets/logo.<ext>`), or ''."""
    files: ThemeFiles = field(default_factory=ThemeFiles)
    """The checked files of the handbook's `theme/status/` (templates and assets that
    override the package's) and its logo (read by the build, never rendered)."""
    words: Messages = field(default_factory=Messages)
    """The page's language: its catalogue, dates and numbers (`status.language`).
    Incident names and update texts above are already in it where the team translated
    them (`translations:`)."""
    audience: str = ""
    """'' for the default status page, a `status_pages` id, or 'internal'."""
    internal: bool = False
    """The internal status page (employees only): marked internal, never indexed."""
    component_by_id: Mapping[str, PublicComponent] = field(init=False, repr=False,
                                                           compare=False)
    incident_by_id: Mapping[str, PublicIncident] = field(init=False, repr=False,
                                                         compare=False)

    def __post_init__(self) -> None:
        # Indexes of the fields above, made once (frozen: hence object.__setattr__).
        object.__setattr__(self, "component_by_id",
                           MappingProxyType({c.id: c for c in self.components}))
        object.__setattr__(self, "incident_by_id",
                           MappingProxyType({i.id: i for i in self.incidents}))

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    @property
    def indicator(self) -> Impact:
        """`status.json`'s indicator (`sevbook.status.headline` has the rule)."""
        return self.headline.indicator

    @property
    def description(self) -> str:
        return self.headline.description

    @property
    def banner_state(self) -> ComponentStatus:
        """The state the banner and the page badge show (icon, colour): the indicator's."""
        return self.headline.state

    @property
    def banner(self) -> str:
        """The page heading: the same words as `status.json`'s description."""
        return self.headline.description

    @property
    def top_level(self) -> tuple[tuple[PublicGroup | None, tuple[PublicComponent, ...]], ...]:
        """The page's sections in display order: (group, its components), or (None, a run
        of ungrouped components)."""
        by_id = {g.id: g for g in self.groups}
        out: list[tuple[PublicGroup | None, tuple[PublicComponent, ...]]] = []
        for c in self.components:
            if c.group_id is not None:
                if not out or out[-1][0] is None or out[-1][0].id != c.group_id:
                    out.append((by_id[c.group_id], by_id[c.group_id].components))
            elif out and out[-1][0] is None:
                out[-1] = (None, (*out[-1][1], c))
            else:
                out.append((None, (c,)))
        return tuple(out)

    @property
    def ungrouped(self) -> tuple[PublicComponent, ...]:
        return tuple(c for c in self.components if c.group_id is None)

    @property
    def active_incidents(self) -> tuple[PublicIncident, ...]:
        return tuple(i for i in self.incidents if i.active and not i.is_maintenance)

    @property
    def active_maintenance(self) -> tuple[PublicIncident, ...]:
        running = (MaintenanceStatus.IN_PROGRESS, MaintenanceStatus.VERIFYING)
        return by_window(i for i in self.maintenance if i.status in running)

    @property
    def upcoming_maintenance(self) -> tuple[PublicIncident, ...]:
        return by_window(i for i in self.maintenance
                          if i.status == MaintenanceStatus.SCHEDULED)

    @property
    def maintenance(self) -> tuple[PublicIncident, ...]:
        return tuple(i for i in self.incidents if i.is_maintenance)

    @property
    def affected_now(self) -> tuple[PublicComponent, ...]:
        return tuple(c for c in self.components if c.status != ComponentStatus.OPERATIONAL)

    def absolute(self, path: str) -> str:
        """A site path as an absolute URL when the site URL is configured (feeds, the API
        and the calendar need one; without `status.url` they get site-relative links)."""
        return f"{self.url}{path}" if self.url else (path or "./")

    def incidents_of(self, component: PublicComponent) -> tuple[PublicIncident, ...]:
        return tuple(self.incident_by_id[i] for i in component.incident_ids)


def by_window(items) -> tuple[PublicIncident, ...]:
    """Maintenance in window order (ties by id)."""
    return tuple(sorted(items, key=lambda i: (i.window_start, i.id)))
