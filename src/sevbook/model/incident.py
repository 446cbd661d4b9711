"""Incidents and scheduled maintenance: `incidents/<YYYY-MM-DD>-<slug>.md`.

Only the fields named in DESIGN.md's privacy boundary may reach the status page; the
filter that enforces it lives in `sevbook.status.public`, not here.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Annotated, Any

from pydantic import (
    Field,
    StringConstraints,
    ValidationInfo,
    field_validator,
    model_validator,
)
from pydantic_core import PydanticCustomError

from ..times import add_business, as_written
from .common import (
    Day,
    Document,
    Flag,
    LanguageCode,
    LevelId,
    PublicId,
    Slug,
    Strict,
    Timestamp,
)
from .record import (
    DataLoss,
    FieldValue,
    ImpactPhase,
    Links,
    Related,
    RoleShift,
    SeverityChange,
    TimePrecision,
    role_shifts,
)
from .vocab import (
    ActionItemStatus,
    ActionItemType,
    Audience,
    ComponentStatus,
    IncidentStatus,
    IncidentType,
    Kind,
    MaintenanceImpact,
    MaintenanceStatus,
    PostmortemStatus,
    Priority,
    SeverityImpact,
)

if TYPE_CHECKING:
    from .severity import Level, PostmortemObligation

class UpdateTranslation(Strict):
    """An update's text in another language."""

    message: str = Field(description="What the public reads in this language (Markdown, "
                         "sanitized like the message)",
                         examples=["Wir untersuchen verlangsamte Anmeldungen."])


class IncidentTranslation(Strict):
    """An incident's public text in another language."""

    public_title: str | None = Field(default=None, description=(
        "The status page's title in this language (default: the untranslated public title)"),
        examples=["Verzögerte Anmeldungen"])
    public_summary: str | None = Field(default=None, description=(
        "`postmortem.public_summary` in this language (Markdown, sanitized)"),
        examples=["Ein Konfigurationsfehler verlangsamte die Anmeldung 20 Minuten lang."])


class Update(Strict):
    """One public status update."""

    at: Timestamp = Field(description="When it was published", examples=["2026-03-02T14:30:00Z"])
    status: IncidentStatus | MaintenanceStatus = Field(description=(
        "The incident's status from now on (maintenance has its own)"),
        examples=["investigating"])
    message: str = Field(default="", description="What the public reads (Markdown, sanitized)",
                         examples=["We are investigating slow logins."])
    components: dict[Slug, ComponentStatus] = Field(default_factory=dict, description=(
        "Public component id -> its status from now on (default: the severity's "
        "component_status)"), examples=[{"auth": "partial_outage"}])
    created_at: Timestamp | None = Field(default=None, description=(
        "When the update was written, if not at `at` (the time the page shows: a "
        "backdated update); the API's created_at"))
    notify: Flag = Field(default=True, description=(
        "false: a silent update, published without notifying subscribers "
        "(deliver_notifications: false)"))
    translations: dict[LanguageCode, UpdateTranslation] = Field(
        default_factory=dict, description=(
            "The message in other languages, for status pages in them (`status.language`); "
            "a page without its language shows the message with a note"),
        examples=[{"de": {"message": "Wir untersuchen verlangsamte Anmeldungen."}}])

    @field_validator("status", mode="plain")
    @classmethod
    def _status_of_kind(cls, value: Any, info: ValidationInfo) -> IncidentStatus | MaintenanceStatus:
        """The statuses allowed depend on the record's kind, which `Incident.from_data`
        passes as validation context, so a wrong word gets one message listing the right
        ones."""
        kind = (info.context or {}).get("kind", Kind.INCIDENT)
        statuses = (kind if isinstance(kind, Kind) else Kind(kind)).statuses
        status = statuses.of(value)
        if status is not None:
            return status
        raise PydanticCustomError("enum", "Input should be {expected}",
                                  {"expected": statuses.expected()})


def update_stage(update: Update) -> IncidentStatus:
    """The stage a public update set (investigating for a maintenance status)."""
    status = update.status
    return status if isinstance(status, IncidentStatus) else IncidentStatus.INVESTIGATING


class TimelineEntry(Strict):
    """One line of the internal log kept by the scribe."""

    at: Timestamp = Field(description="When it happened", examples=["2026-03-02T14:18:00Z"])
    event: str = Field(description="What happened", examples=["Deploy v2.3.4 begins"])
    audience: Audience | None = Field(default=None, description=(
        "executives: this entry records a briefing to executives (the severity's "
        "`update_every.executives` is checked against these); default: an internal entry"),
        examples=["executives"])

    @field_validator("audience")
    @classmethod
    def _not_customers(cls, value: Audience | None) -> Audience | None:
        if value is Audience.CUSTOMERS:
            raise ValueError("customers are told through updates:, not the timeline; write "
                             "audience: executives for a briefing, or leave it out")
        return value

    @property
    def briefing(self) -> bool:
        """Whether the entry records a briefing to executives."""
        return self.audience is Audience.EXECUTIVES


class Postmortem(Strict):
    status: PostmortemStatus = Field(default=PostmortemStatus.NONE, description=(
        "Where the postmortem stands"), examples=["draft"])
    owner: str | None = Field(default=None, description="The person writing it",
                              examples=["alice"])
    public_summary: str | None = Field(default=None, description=(
        "The only postmortem text that may reach the status page"),
        examples=["A configuration change exhausted the database pool."])
    published_at: Day | None = Field(default=None, description="Date it was published (metrics)",
                                     examples=["2026-03-05"])


class ActionItem(Strict):
    title: str = Field(description="What will be done", examples=["Add pool metrics"])
    owner: Slug | None = Field(default=None, description="The owning team",
                               examples=["payments"])
    due: Day | None = Field(default=None, description="When it is due", examples=["2026-03-20"])
    status: ActionItemStatus = Field(default=ActionItemStatus.OPEN, description=(
        "open, done, or wontfix"), examples=["open"])
    type: ActionItemType | None = Field(default=None, description=(
        "What it improves: detection, mitigation, prevention or the process"),
        examples=["detect"])
    link: str | None = Field(default=None, description=(
        "The ticket; `sevbook check` warns when it is not an http(s) URL (action-item-link)"),
        examples=["https://example.com/tracker/SHOP-2187"])
    done_at: Day | None = Field(default=None, description="When it was closed (for metrics)",
                                examples=["2026-03-18"])
    priority: Priority | None = Field(default=None, description="p0 (most urgent) to p3",
                                      examples=["p1"])
    external_owner: str | None = Field(default=None, description=(
        "A person or organisation outside the declared teams who owns it (a vendor, "
        "another department)"), examples=["Storage vendor support"])


class Acceptance(Strict):
    """A warning about this record that a review accepted as history (`sevbook check` stops
    reporting it): which code, why, and who accepted it."""

    code: Slug = Field(description="A warning code of `sevbook check`, like no-monitoring",
                       examples=["no-monitoring"])
    reason: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)] = Field(
        description="Why it is accepted (required)",
        examples=["Resolved straight from identified; reviewed in the postmortem"])
    by: str | None = Field(default=None, description="Who accepted it", examples=["alice"])


class Incident(Document):
    title: str = Field(description="The internal title",
                       examples=["DB pool exhaustion after v2.3.4 deploy"])
    kind: Kind = Field(default=Kind.INCIDENT, description="incident or maintenance",
                       examples=["maintenance"])
    severity: LevelId | None = Field(default=None, description="A level id of the severity "
                                     "matrix", examples=["SEV2"])
    services: list[Slug] = Field(default_factory=list, description="Affected service ids",
                                 examples=[["checkout-api", "auth"]])
    started_at: Timestamp | None = Field(default=None, description="When the impact began",
                                         examples=["2026-03-02T14:18:00Z"])
    detected_at: Timestamp | None = Field(default=None, description="When someone noticed",
                                          examples=["2026-03-02T14:23:00Z"])
    acknowledged_at: Timestamp | None = Field(default=None, description=(
        "When a responder took it on"), examples=["2026-03-02T14:25:00Z"])
    mitigated_at: Timestamp | None = Field(default=None, description="When the impact stopped",
                                           examples=["2026-03-02T14:47:00Z"])
    resolved_at: Timestamp | None = Field(default=None, description=(
        "When it was resolved; absent while it is open"), examples=["2026-03-02T15:05:00Z"])
    roles: dict[Slug, str | list[RoleShift]] = Field(default_factory=dict, description=(
        "Who held each role: a name, or a list of shifts {name, from, until} for handoffs"),
        examples=[{"incident-commander": "Alice"}, {"incident-commander": [
            {"name": "Alice", "until": "2026-11-02T02:00:00Z"},
            {"name": "Bob", "from": "2026-11-02T02:00:00Z"}]}])
    runbooks: list[Slug] = Field(default_factory=list, description="Runbook ids used",
                                 examples=[["checkout-error-rate"]])
    public: Flag = Field(default=False, description="Shown on the status page; nothing "
                         "reaches it unless true", examples=[True])
    public_title: str | None = Field(default=None, description="The status page's title "
                                     "(default: title)", examples=["Login delays"])
    translations: dict[LanguageCode, IncidentTranslation] = Field(
        default_factory=dict, description=(
            "The public title and summary in other languages, for status pages in them"),
        examples=[{"de": {"public_title": "Verzögerte Anmeldungen"}}])
    public_id: PublicId | None = Field(default=None, description=(
        "The incident's id on the status page (incidents/<id>/, feeds, API), 6-80 lowercase "
        "letters, digits and dashes; default: derived from the file name with the "
        "repository's id key"), examples=["p31zjtct2jer"])
    updates: list[Update] = Field(default_factory=list, description=(
        "The public timeline, oldest first"))
    timeline: list[TimelineEntry] = Field(default_factory=list, description=(
        "The internal log kept by the scribe, oldest first"))
    postmortem: Postmortem = Field(default_factory=Postmortem, description=(
        "The postmortem's state; its text is the file's body"))
    action_items: list[ActionItem] = Field(default_factory=list, description=(
        "Follow-up work from the postmortem"))
    scheduled_for: Timestamp | None = Field(default=None, description=(
        "Maintenance only: the window's start"), examples=["2026-01-10T02:00:00Z"])
    scheduled_until: Timestamp | None = Field(default=None, description=(
        "Maintenance only: the window's end"), examples=["2026-01-10T04:00:00Z"])
    announced_at: Timestamp | None = Field(default=None, description=(
        "Maintenance only: when it was announced; the status page shows it as scheduled "
        "from then, before any update is written (Statuspage's `started_at`), at or before "
        "scheduled_for; default: its first update"), examples=["2026-01-03T09:00:00Z"])
    maintenance_impact: MaintenanceImpact | None = Field(default=None, description=(
        "Maintenance only: the impact the status page states (default maintenance)"))
    public_impact: SeverityImpact | None = Field(default=None, description=(
        "Incidents only: the impact the status page states, overriding the severity level's "
        "`public_impact` (e.g. `none` for an imported Statuspage incident of impact none)"),
        examples=["none"])
    accepted: list[Acceptance] = Field(default_factory=list, description=(
        "Warnings of `sevbook check` accepted as history"))
    # ---- content model v2: every key optional (sevbook.model.record)
    severity_history: list[SeverityChange] = Field(default_factory=list, description=(
        "Each classification with its time and who decided; the last one is the current "
        "severity (`severity:` may be left out, or must equal it)"), examples=[[
            {"at": "2026-11-02T10:20:00Z", "severity": "SEV2", "by": "on-call"},
            {"at": "2026-11-02T10:40:00Z", "severity": "SEV1", "by": "Alice (IC)"}]])
    type: IncidentType | None = Field(default=None, description=(
        "near_miss, security, drill or false_alarm; which types count in metrics is the "
        "setting metrics.exclude_types"), examples=["near_miss"])
    labels: list[Slug] = Field(default_factory=list, description="Tags for filtering",
                               examples=[["database", "third-party"]])
    links: Links = Field(default_factory=Links, description=(
        "Chat channel, call, tickets, postmortem, dashboards (shown on the incident page, "
        "never public)"), examples=[{"chat": "#inc-checkout", "call": "https://meet.example.com/inc",
                                     "tickets": ["SHOP-2187"]}])
    related: list[Related] = Field(default_factory=list, description=(
        "Other incidents this one is a duplicate of, caused by, merged into or split from"),
        examples=[[{"incident": "2026-10-14-checkout-slow", "relation": "caused_by"}]])
    time_precision: TimePrecision = Field(default_factory=dict, description=(
        "How well a time is known: exact (default), approximate (shown with ≈, metrics "
        "count it and say so) or unknown (shown as such, left out of metrics)"),
        examples=[{"started_at": "approximate"}])
    impact: list[ImpactPhase] = Field(default_factory=list, description=(
        "What each component suffered and when, as established internally; uptime and "
        "error budgets use these phases instead of the severity's component_status"),
        examples=[[{"component": "checkout-api", "from": "2026-11-02T10:02:00Z",
                    "until": "2026-11-02T11:30:00Z", "status": "partial_outage"}]])
    data_loss: DataLoss | None = Field(default=None, description=(
        "The window of data that was lost, which may start before the impact (shown on "
        "the incident page, never public)"), examples=[{
            "from": "2017-01-31T17:20:00Z", "until": "2017-01-31T23:27:00Z",
            "description": "Writes since the last good backup"}])
    count_in_uptime: Flag = Field(default=False, description=(
        "A private incident whose impact still counts in the public uptime of its "
        "components (the numbers only, nothing else is published)"), examples=[True])
    restricted: Flag = Field(default=False, description=(
        "Kept to the responders (security incidents): the handbook shows a stub (id, dates, "
        "severity, owner) and keeps title, body and timeline out of its pages and search "
        "index, unless built for the restricted audience; never public"), examples=[True])
    fields: dict[Slug, FieldValue] = Field(default_factory=dict, description=(
        "Values of the custom fields declared in mkdocs.yml (`incident_fields:`)"),
        examples=[{"detection": "customer-report", "customers-affected": 1200}])

    @model_validator(mode="after")
    def _severity_is_last_change(self) -> Incident:
        hist = self.severity_history
        if not hist:
            return self
        if self.severity is None:
            self.severity = hist[-1].severity
        elif self.severity != hist[-1].severity:
            raise ValueError(f"severity {self.severity!r} is not the last entry of "
                             f"severity_history ({hist[-1].severity!r}); the current severity "
                             "is the last change: remove severity: or make them agree")
        return self

    @model_validator(mode="after")
    def _restricted_is_private(self) -> Incident:
        if self.restricted and self.public:
            raise ValueError("a restricted incident is never public: remove public: true "
                             "or restricted: true")
        return self

    def severity_at(self, t: datetime) -> str | None:
        """The severity in force at `t`: the last change at or before it (the first
        classification before any), else `severity`."""
        current = self.severity_history[0].severity if self.severity_history else self.severity
        for change in self.severity_history:
            if change.at <= t:
                current = change.severity
        return current

    def role_holders(self, role: str) -> list[RoleShift]:
        """The shifts of a role (one for a plain name; none when unfilled)."""
        return role_shifts(self.roles.get(role, ""))

    @field_validator("maintenance_impact")
    @classmethod
    def _maintenance_only(cls, value: MaintenanceImpact | None,
                          info: ValidationInfo) -> MaintenanceImpact | None:
        if value is not None and info.data.get("kind") != Kind.MAINTENANCE:
            raise ValueError("maintenance_impact is for kind: maintenance; an incident's "
                             "impact comes from its severity (or its public_impact)")
        return value

    @field_validator("announced_at")
    @classmethod
    def _announced_before_the_window(cls, value: datetime | None,
                                     info: ValidationInfo) -> datetime | None:
        if value is None:
            return value
        if info.data.get("kind") != Kind.MAINTENANCE:
            raise ValueError("only a maintenance (kind: maintenance) is announced ahead; an "
                             "incident is announced by its first update: remove announced_at")
        start = info.data.get("scheduled_for")
        if start is not None and value > start:
            raise ValueError(f"{as_written(value)} is after the window opens "
                             f"(scheduled_for {as_written(start)}); a maintenance is announced "
                             "before it begins: set announced_at at or before scheduled_for")
        return value

    @field_validator("public_impact")
    @classmethod
    def _incident_only(cls, value: SeverityImpact | None,
                       info: ValidationInfo) -> SeverityImpact | None:
        if value is not None and info.data.get("kind") == Kind.MAINTENANCE:
            raise ValueError("public_impact is for incidents; a maintenance states its "
                             "impact with maintenance_impact")
        return value

    @classmethod
    def from_data(cls, data: dict[str, Any]) -> Incident:
        """Validate frontmatter; update statuses are checked against the declared kind."""
        kind = data.get("kind", Kind.INCIDENT)
        context = {"kind": kind if kind in Kind.__members__.values() else Kind.INCIDENT}
        return cls.model_validate(data, context=context)

    @property
    def is_maintenance(self) -> bool:
        return self.kind == "maintenance"

    @property
    def is_resolved(self) -> bool:
        return self.resolved_at is not None

    @property
    def status(self) -> str:
        """The status of the last update; without updates, resolved/investigating."""
        if self.updates:
            return self.updates[-1].status
        statuses = self.kind.statuses
        first, last = list(statuses)[0], list(statuses)[-1]
        return last if self.resolved_at else first

    @property
    def display_title(self) -> str:
        return self.public_title or self.title

    @property
    def ended_at(self) -> datetime | None:
        """When customer impact ended: `mitigated_at`, else `resolved_at`."""
        return self.mitigated_at or self.resolved_at

    @property
    def begins(self) -> datetime | None:
        """When it starts: impact start, or the maintenance window start."""
        return self.started_at or self.scheduled_for

    # ---------------------------------------------------------------- obligations
    # What the severity level promises, computed here once for the rules (`sevbook check`),
    # the handbook pages and the metrics. `level` is the incident's level in the severity
    # matrix (None when it has none or it does not exist).

    def postmortem_due(self, level: Level | None) -> datetime | None:
        """When the postmortem is due: resolution plus the level's `postmortem.due`, if the
        level requires a postmortem with a due time and the incident is resolved."""
        if level is None or not level.postmortem.required or level.postmortem.due is None:
            return None
        if self.resolved_at is None:
            return None
        return self.resolved_at + level.postmortem.due

    def postmortem_overdue(self, level: Level | None, now: datetime) -> bool:
        """The postmortem is past its due time and not published (maintenance owes none).
        A zero `due` (`due: 0m`) never makes it overdue, as `sevbook check` always had it."""
        due = self.postmortem_due(level)
        return (not self.is_maintenance and due is not None and now > due
                and bool(level and level.postmortem.due)
                and not PostmortemStatus(self.postmortem.status).final)

    def obligation_due(self, ob: PostmortemObligation,
                       workdays: frozenset[int]) -> datetime | None:
        """When one postmortem obligation of the level is due: resolution plus `within`
        (whole days of the work week `workdays` when `business_days`); None while open and
        for maintenance."""
        if self.resolved_at is None or self.is_maintenance:
            return None
        if ob.business_days:
            return add_business(self.resolved_at, ob.within, workdays)
        return self.resolved_at + ob.within

    def first_update_delay(self) -> timedelta | None:
        """Time from detection (else the start) to the first public update; None without
        either."""
        start = self.detected_at or self.started_at
        if start is None or not self.updates:
            return None
        return self.updates[0].at - start

    def overdue_action_items(self, today: date) -> list[int]:
        """Indexes of the open action items whose due date is before `today` (maintenance
        owes none)."""
        if self.is_maintenance:
            return []
        return [j for j, ai in enumerate(self.action_items)
                if ai.status == ActionItemStatus.OPEN and ai.due is not None and ai.due < today]

    def updates_end(self) -> datetime | None:
        """When public updates stop being owed: `resolved_at`, or the time of a final
        `resolved` update when `resolved_at` is missing (an error of its own); None while
        the incident is open."""
        last = self.updates[-1] if self.updates else None
        if self.resolved_at is None and last is not None and last.status == IncidentStatus.RESOLVED:
            return last.at
        return self.resolved_at

    def update_gaps(self, level: Level | None,
                    level_at: Callable[[datetime], Level | None] | None = None,
                    ) -> Iterator[tuple[int, timedelta]]:
        """(j, gap) for each public update j that came longer than the level's
        `update_every` after update j - 1, while the incident was open. Each gap is held
        to the cadence of the stage update j - 1 set (a cadence by stage), and with
        `level_at` (the level in force at a time: a severity history) to the level in
        force when it began."""
        ups, end = self.updates, self.updates_end()
        for j in range(1, len(ups)):
            if end is not None and ups[j - 1].at >= end:
                break
            then = level_at(ups[j - 1].at) if level_at else level
            owed = self._update_every(then, update_stage(ups[j - 1]))
            gap = ups[j].at - ups[j - 1].at
            if owed is not None and gap > owed:
                yield j, gap

    def next_update_due(self, level: Level | None) -> datetime | None:
        """When the next public update is due on an open public incident, per the level's
        `update_every` in the current stage; None when none is owed."""
        if self.updates_end() is not None or not self.updates:
            return None
        limit = self._update_every(level, self.stage_at(self.updates[-1].at))
        return None if limit is None else self.updates[-1].at + limit

    def stage_at(self, t: datetime) -> IncidentStatus:
        """The incident's stage at `t`: the status of the last public update at or before
        it (investigating before the first; maintenance counts as investigating)."""
        stage = IncidentStatus.INVESTIGATING
        for up in self.updates:
            if up.at > t:
                break
            if isinstance(up.status, IncidentStatus):
                stage = up.status
        return stage

    def _update_every(self, level: Level | None,
                      stage: IncidentStatus = IncidentStatus.INVESTIGATING) -> timedelta | None:
        """The public (customers) update cadence owed in `stage`: only public incidents
        with updates owe one."""
        every = level.cadence(Audience.CUSTOMERS, stage) if level is not None else None
        if not every or self.is_maintenance or not self.public or not self.updates:
            return None
        return every

    def maintenance_state(self, now: datetime) -> str:
        """Statuspage maintenance status at `now`, from updates and the window."""
        last = self.updates[-1].status if self.updates else None
        return maintenance_status(self, last, self.resolved_at, now)


def maintenance_status(inc: Incident, last: str | None, resolved: datetime | None,
                       now: datetime) -> str:
    """Statuspage maintenance status at `now`, given the last update's status and
    `resolved_at` as known at `now`: an explicit in_progress/verifying/completed wins,
    otherwise the window decides (before: scheduled, inside: in_progress, after: completed)."""
    if last == MaintenanceStatus.COMPLETED or resolved is not None:
        return MaintenanceStatus.COMPLETED
    if last in (MaintenanceStatus.IN_PROGRESS, MaintenanceStatus.VERIFYING):
        return MaintenanceStatus(last)
    if inc.scheduled_for and now < inc.scheduled_for:
        return MaintenanceStatus.SCHEDULED
    if inc.scheduled_until and now >= inc.scheduled_until:
        return MaintenanceStatus.COMPLETED
    return MaintenanceStatus.IN_PROGRESS
