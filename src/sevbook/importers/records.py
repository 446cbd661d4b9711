"""What an importer produces: plain records, independent of the source format."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from ..model.vocab import Impact, Kind


@dataclass
class ServiceRecord:
    """One public component: becomes `content/services/<slug>.md`."""

    source_id: str
    """The id the source gave it (Statuspage component id, cState system name)."""
    slug: str
    name: str
    group: str | None = None
    description: str = ""
    since: date | None = None
    position: int | None = None
    """Among its siblings (its group's components, or the top of the page)."""
    group_position: int | None = None
    """Its group's position at the top of the page."""
    showcase: bool = True
    status: list[tuple[datetime, str]] = field(default_factory=list)
    """States set without an incident: (when, component status)."""
    public_id: str | None = None
    """The id to publish it under (`status_page.public_id`): Statuspage's component id."""


@dataclass
class UpdateRecord:
    at: datetime
    status: str
    message: str
    components: dict[str, str] = field(default_factory=dict)
    """Component slug -> the status this update set."""
    created_at: datetime | None = None
    """When it was written, when that is not `at` (a backdated update)."""
    notify: bool = True


@dataclass
class Record:
    """One incident or maintenance: becomes `incidents/<date>-<slug>.md`."""

    source_id: str
    title: str
    kind: Kind
    impact: Impact | None
    started_at: datetime | None
    resolved_at: datetime | None
    updates: list[UpdateRecord]
    services: list[str] = field(default_factory=list)
    scheduled_for: datetime | None = None
    scheduled_until: datetime | None = None
    announced_at: datetime | None = None
    """A maintenance's announcement (Statuspage's `started_at`)."""
    public_summary: str | None = None
    maintenance_impact: str | None = None
    """A maintenance's stated impact, when not `maintenance`."""
    link: str | None = None
    """Where the source published it (a shortlink), for the internal body."""

    @property
    def begins(self) -> datetime:
        """The time the file name's date comes from (what the date-prefix rule expects)."""
        when = self.started_at if self.kind == Kind.INCIDENT else self.scheduled_for
        return when or self.updates[0].at


@dataclass
class Note:
    """Something the import could not carry over, or changed on the way."""

    what: str
    where: str = ""
    """The source id or file it concerns."""


@dataclass
class Imported:
    """Everything one source yielded."""

    source: str
    """`statuspage` or `cstate`: written into each file's import marker."""
    services: list[ServiceRecord] = field(default_factory=list)
    records: list[Record] = field(default_factory=list)
    notes: list[Note] = field(default_factory=list)
    captured_at: datetime | None = None
    """The latest time found in the input: the `--now` to check and build with."""

    def note(self, what: str, where: str = "") -> None:
        self.notes.append(Note(what, where))
