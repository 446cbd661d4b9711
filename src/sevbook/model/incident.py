"""Incidents and scheduled maintenance: `incidents/<YYYY-MM-DD>-<slug>.md`.

Only the fields named in DESIGN.md's privacy boundary may reach the status page; the
filter that enforces it lives in `sevbook.status.public`, not here.
"""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import Field

from .common import (
    ComponentStatus,
    Day,
    Document,
    LevelId,
    Slug,
    Strict,
    Timestamp,
    UpdateStatus,
)


class Update(Strict):
    """One public status update."""

    at: Timestamp
    status: UpdateStatus
    message: str = ""
    components: dict[Slug, ComponentStatus] = Field(default_factory=dict)


class TimelineEntry(Strict):
    """One line of the internal log kept by the scribe."""

    at: Timestamp
    event: str


class Postmortem(Strict):
    status: Literal["none", "draft", "in_review", "published"] = "none"
    owner: str | None = None
    public_summary: str | None = None
    published_at: Day | None = Field(default=None, description="Date it was published (metrics)")


class ActionItem(Strict):
    title: str
    owner: Slug | None = None
    due: Day | None = None
    status: Literal["open", "done", "wontfix"] = "open"
    type: Literal["detect", "mitigate", "prevent", "process"] | None = None
    link: str | None = None
    done_at: Day | None = Field(default=None, description="When it was closed (for metrics)")


class Incident(Document):
    title: str
    kind: Literal["incident", "maintenance"] = "incident"
    severity: LevelId | None = None
    services: list[Slug] = Field(default_factory=list)
    started_at: Timestamp | None = None
    detected_at: Timestamp | None = None
    acknowledged_at: Timestamp | None = None
    mitigated_at: Timestamp | None = None
    resolved_at: Timestamp | None = None
    roles: dict[Slug, str] = Field(default_factory=dict)
    runbooks: list[Slug] = Field(default_factory=list)
    public: bool = False
    public_title: str | None = None
    updates: list[Update] = Field(default_factory=list)
    timeline: list[TimelineEntry] = Field(default_factory=list)
    postmortem: Postmortem = Field(default_factory=Postmortem)
    action_items: list[ActionItem] = Field(default_factory=list)
    scheduled_for: Timestamp | None = None
    scheduled_until: Timestamp | None = None

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
        if self.is_maintenance:
            return "completed" if self.resolved_at else "scheduled"
        return "resolved" if self.resolved_at else "investigating"

    @property
    def display_title(self) -> str:
        return self.public_title or self.title

    @property
    def begins(self) -> datetime | None:
        """When it starts: impact start, or the maintenance window start."""
        return self.started_at or self.scheduled_for

    def maintenance_state(self, now: datetime) -> str:
        """Statuspage maintenance status at `now`, from updates and the window."""
        last = self.updates[-1].status if self.updates else None
        return maintenance_status(self, last, self.resolved_at, now)


def maintenance_status(inc: Incident, last: str | None, resolved: datetime | None,
                       now: datetime) -> str:
    """Statuspage maintenance status at `now`, given the last update's status and
    `resolved_at` as known at `now`: an explicit in_progress/verifying/completed wins,
    otherwise the window decides (before: scheduled, inside: in_progress, after: completed)."""
    if last == "completed" or resolved is not None:
        return "completed"
    if last in ("in_progress", "verifying"):
        return last
    if inc.scheduled_for and now < inc.scheduled_for:
        return "scheduled"
    if inc.scheduled_until and now >= inc.scheduled_until:
        return "completed"
    return "in_progress"


TERMINAL_STATUSES = {"incident": "resolved", "maintenance": "completed"}
