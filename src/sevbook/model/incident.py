"""Incidents and scheduled maintenance: `incidents/<YYYY-MM-DD>-<slug>.md`.

Only the fields named in DESIGN.md's privacy boundary may reach the status page; the
filter that enforces it lives in `sevbook.status.public`, not here.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Annotated, Any

from pydantic import AfterValidator, Field, StringConstraints, ValidationInfo, WithJsonSchema, field_validator
from pydantic_core import PydanticCustomError

from ..times import add_business
from .common import Day, Document, Flag, LevelId, Slug, Strict, Timestamp
from .vocab import (
    ActionItemStatus,
    ActionItemType,
    Audience,
    ComponentStatus,
    IncidentStatus,
    Kind,
    MaintenanceStatus,
    PostmortemStatus,
)

if TYPE_CHECKING:
    from .severity import Level, PostmortemObligation

PUBLIC_ID_PATTERN = r"^[a-z0-9][a-z0-9-]{5,79}$"
_PUBLIC_ID_RE = re.compile(PUBLIC_ID_PATTERN)


def _public_id(value: str) -> str:
    if not _PUBLIC_ID_RE.match(value):
        raise ValueError(f"{value!r} is not a public id; use 6 to 80 lowercase letters, "
                         "digits and dashes, like p31zjtct2jer")
    return value


PublicId = Annotated[str, AfterValidator(_public_id),
                     WithJsonSchema({"type": "string", "pattern": PUBLIC_ID_PATTERN})]
"""A status page id: 6 to 80 lowercase letters, digits and dashes (cState ids are slugs)."""


class Update(Strict):
    """One public status update."""

    at: Timestamp
    status: IncidentStatus | MaintenanceStatus
    message: str = ""
    components: dict[Slug, ComponentStatus] = Field(default_factory=dict)

    @field_validator("status", mode="plain")
    @classmethod
    def _status_of_kind(cls, value: Any, info: ValidationInfo) -> IncidentStatus | MaintenanceStatus:
        """The statuses allowed depend on the record's kind, which `Incident.from_data`
        passes as validation context, so a wrong word gets one message listing the right
        ones."""
        kind = Kind((info.context or {}).get("kind", Kind.INCIDENT))
        statuses = kind.statuses
        if isinstance(value, str) and value in statuses.words():
            return statuses(value)
        raise PydanticCustomError("enum", "Input should be {expected}",
                                  {"expected": statuses.expected()})


class TimelineEntry(Strict):
    """One line of the internal log kept by the scribe."""

    at: Timestamp
    event: str


class Postmortem(Strict):
    status: PostmortemStatus = PostmortemStatus.NONE
    owner: str | None = None
    public_summary: str | None = None
    published_at: Day | None = Field(default=None, description="Date it was published (metrics)")


class ActionItem(Strict):
    title: str
    owner: Slug | None = None
    due: Day | None = None
    status: ActionItemStatus = ActionItemStatus.OPEN
    type: ActionItemType | None = None
    link: str | None = None
    done_at: Day | None = Field(default=None, description="When it was closed (for metrics)")


class Acceptance(Strict):
    """A warning about this record that a review accepted as history (`sevbook check` stops
    reporting it): which code, why, and who accepted it."""

    code: Slug = Field(description="A warning code of `sevbook check`, like no-monitoring")
    reason: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)] = Field(
        description="Why it is accepted (required)")
    by: str | None = Field(default=None, description="Who accepted it")


class Incident(Document):
    title: str
    kind: Kind = Kind.INCIDENT
    severity: LevelId | None = None
    services: list[Slug] = Field(default_factory=list)
    started_at: Timestamp | None = None
    detected_at: Timestamp | None = None
    acknowledged_at: Timestamp | None = None
    mitigated_at: Timestamp | None = None
    resolved_at: Timestamp | None = None
    roles: dict[Slug, str] = Field(default_factory=dict)
    runbooks: list[Slug] = Field(default_factory=list)
    public: Flag = False
    public_title: str | None = None
    public_id: PublicId | None = Field(default=None, description=(
        "The incident's id on the status page (incidents/<id>/, feeds, API), 6-32 lowercase "
        "letters, digits and dashes; default: derived from the file name with the "
        "repository's id key"))
    updates: list[Update] = Field(default_factory=list)
    timeline: list[TimelineEntry] = Field(default_factory=list)
    postmortem: Postmortem = Field(default_factory=Postmortem)
    action_items: list[ActionItem] = Field(default_factory=list)
    scheduled_for: Timestamp | None = None
    scheduled_until: Timestamp | None = None
    accepted: list[Acceptance] = Field(default_factory=list)

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

    def update_gaps(self, level: Level | None) -> Iterator[tuple[int, timedelta]]:
        """(j, gap) for each public update j that came longer than the level's
        `update_every` after update j - 1, while the incident was open."""
        limit = self._update_every(level)
        if limit is None:
            return
        ups, end = self.updates, self.updates_end()
        for j in range(1, len(ups)):
            if end is not None and ups[j - 1].at >= end:
                break
            gap = ups[j].at - ups[j - 1].at
            if gap > limit:
                yield j, gap

    def next_update_due(self, level: Level | None) -> datetime | None:
        """When the next public update is due on an open public incident, per the level's
        `update_every`; None when none is owed."""
        limit = self._update_every(level)
        if limit is None or self.updates_end() is not None:
            return None
        return self.updates[-1].at + limit

    def _update_every(self, level: Level | None) -> timedelta | None:
        """The public (customers) update cadence owed: only public incidents with updates
        owe one."""
        every = level.cadence(Audience.CUSTOMERS) if level is not None else None
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
