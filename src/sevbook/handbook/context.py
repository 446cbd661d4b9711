"""What every page generator reads: the model, the time, the diagnostics, link helpers.

Nothing here imports MkDocs or any page: generators (`pages/`) import this module, and the
registry (`generate.py`) imports the generators.
"""

from __future__ import annotations

import functools
import posixpath
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from functools import cached_property
from typing import Any
from zoneinfo import ZoneInfo

from ..diagnostics import Diagnostic
from ..model import Handbook, Incident, Runbook, Service
from ..model.oncall import ROTATION_TARGETS
from ..model.vocab import MaintenanceStatus
from ..times import Clock
from . import audience, md


@dataclass
class Context:
    """What every generator needs: the model, the time, the diagnostics, and link helpers.

    Unless `restricted` (a build for the responders of restricted incidents), `handbook`
    and `diagnostics` are what every reader may see: restricted incidents are stubs
    (`audience.for_everyone`), so no page can show what a stub leaves out."""

    handbook: Handbook
    now: datetime
    diagnostics: list[Diagnostic] = field(default_factory=list)
    restricted: bool = False
    """Built for the restricted audience: restricted incidents in full."""
    incident_pages: Any = None
    """`sevbook serve`'s remembered incident pages (`incidentmemo.IncidentPages`), started
    for this context; None: every incident page is generated."""
    content_keys: Mapping[str, tuple[str, str]] | None = None
    """(kind, content key) of each file the handbook was loaded from (`LoadResult.keys`),
    when the content cache gave them: how `incident_pages` knows an incident unchanged."""

    def __post_init__(self) -> None:
        if not self.restricted:
            self.handbook, self.diagnostics = audience.for_everyone(self.handbook,
                                                                    self.diagnostics)
        if self.incident_pages is not None:
            self.incident_pages.start(self)

    def is_stub(self, inc: Incident) -> bool:
        """Whether this build shows `inc` as a stub (restricted, and not the restricted build)."""
        return inc.restricted and not self.restricted

    # ------------------------------------------------------------ time
    @cached_property
    def zone_clock(self) -> Clock:
        """Times for people in the handbook's zone (`status.timezone`), zone named."""
        return Clock(self.handbook.settings.status.timezone)

    @property
    def tz(self) -> ZoneInfo:
        return self.zone_clock.tz

    @property
    def today(self) -> date:
        return self.now.date()

    def time(self, dt: datetime | None) -> str:
        """`2026-03-02 15:18 CET` in the handbook's time zone."""
        return self.zone_clock.time(dt)

    def clock(self, dt: datetime, day: date | None = None) -> str:
        """`15:18 CET`, with the date when it differs from `day`."""
        return self.zone_clock.clock(dt, day)

    def local_date(self, dt: datetime) -> date:
        return self.zone_clock.local_date(dt)

    # ------------------------------------------------------------ paths and links
    def doc_uri(self, doc) -> str:
        """Where a structured document is in the docs_dir (`roles/scribe.md`)."""
        prefix = self.handbook.settings.docs_dir.strip("/") + "/"
        return doc.path[len(prefix):] if doc.path.startswith(prefix) else doc.path

    @staticmethod
    def rel(from_path: str, to_path: str) -> str:
        """A relative link from one docs page to another (both relative to docs_dir)."""
        target, _, anchor = to_path.partition("#")
        out = _relpath(target, posixpath.dirname(from_path) or ".") if target else ""
        return out + (f"#{anchor}" if anchor else "")

    def incident_uri(self, inc: Incident) -> str:
        return f"incidents/{inc.id}.md"

    def link_incident(self, here: str, inc: Incident, label: str | None = None) -> str:
        return md.link(md.text(label or inc.title), self.rel(here, self.incident_uri(inc)))

    def link_service(self, here: str, sid: str) -> str:
        svc = self.handbook.services.get(sid)
        if svc is None:
            return md.cell(sid)
        return md.link(md.text(svc.name), self.rel(here, self.doc_uri(svc)))

    def link_runbook(self, here: str, rid: str) -> str:
        rb = self.handbook.runbooks.get(rid)
        if rb is None:
            return md.cell(rid)
        return md.link(md.text(rb.title), self.rel(here, self.doc_uri(rb)))

    def link_role(self, here: str, rid: str, short: bool = False) -> str:
        role = self.handbook.roles.get(rid)
        if role is None:
            return md.cell(rid)
        label = role.short if short and role.short else role.name
        return md.link(md.text(label), self.rel(here, self.doc_uri(role)))

    def link_team(self, here: str, tid: str | None) -> str:
        if not tid:
            return "—"
        team = self.handbook.teams.get(tid)
        if team is None:
            return md.cell(tid)
        return md.link(md.text(team.name), self.rel(here, f"oncall.md#team-{tid}"))

    def link_level(self, here: str, level_id: str | None) -> str:
        if not level_id:
            return "—"
        return md.link(md.badge(level_id, f"sev {self.level_class(level_id)}"),
                       self.rel(here, f"severity.md#{level_id.lower()}"))

    @staticmethod
    def level_class(level_id: str) -> str:
        """`sb-sev1`: the colour follows the level's number (SEV0..SEV5, P1..), else grey."""
        digits = "".join(c for c in level_id if c.isdigit())
        return f"sb-sev{digits[-1] if digits else 'x'}"

    def link_target(self, here: str, target: str, short: bool = False) -> str:
        """A page target of a severity level or escalation step: role, team or rotation."""
        if target in self.handbook.roles:
            return self.link_role(here, target, short=short)
        if target in self.handbook.teams:
            return self.link_team(here, target)
        if target in ROTATION_TARGETS:
            label = target.replace("on-call-", "on-call&nbsp;")
            return md.link(label, self.rel(here, "oncall.md"))
        return md.cell(target)

    # ------------------------------------------------------------ derived facts
    @cached_property
    def _diag_index(self) -> dict[tuple[str, str], list[Diagnostic]]:
        out: dict[tuple[str, str], list[Diagnostic]] = defaultdict(list)
        for d in self.diagnostics:
            out[(d.file, d.code)].append(d)
        return out

    def problems(self, file: str, code: str) -> list[Diagnostic]:
        """The diagnostics of one kind for one file (`sevbook check` found them)."""
        return self._diag_index.get((file, code), [])

    @cached_property
    def incidents_newest_first(self) -> list[Incident]:
        return sorted(self.handbook.incidents.values(),
                      key=lambda i: (i.begins or self.now, i.id), reverse=True)

    @cached_property
    def incidents_by_service(self) -> dict[str, list[Incident]]:
        out: dict[str, list[Incident]] = defaultdict(list)
        for inc in self.incidents_newest_first:
            for s in inc.services:
                out[s].append(inc)
        return out

    @cached_property
    def incidents_by_runbook(self) -> dict[str, list[Incident]]:
        out: dict[str, list[Incident]] = defaultdict(list)
        for inc in self.incidents_newest_first:
            for r in inc.runbooks:
                out[r].append(inc)
        return out

    @cached_property
    def runbooks_by_service(self) -> dict[str, list[Runbook]]:
        out: dict[str, list[Runbook]] = defaultdict(list)
        for rb in self.handbook.runbooks.values():
            for s in rb.services:
                out[s].append(rb)
        return out

    @cached_property
    def dependents(self) -> dict[str, list[Service]]:
        out: dict[str, list[Service]] = defaultdict(list)
        for svc in self.handbook.services.values():
            for dep in svc.depends_on:
                out[dep].append(svc)
        return out

    def is_open(self, inc: Incident) -> bool:
        if inc.is_maintenance:
            return inc.maintenance_state(self.now) in (MaintenanceStatus.IN_PROGRESS,
                                                       MaintenanceStatus.VERIFYING)
        return inc.resolved_at is None

    def duration(self, inc: Incident) -> timedelta | None:
        """Impact duration (start to resolution), or the maintenance window."""
        if inc.is_maintenance:
            if inc.scheduled_for and inc.scheduled_until:
                return inc.scheduled_until - inc.scheduled_for
            return None
        if inc.started_at is None:
            return None
        return (inc.resolved_at or self.now) - inc.started_at


def _relpath(target: str, start: str) -> str:
    """`posixpath.relpath(target, start)`, remembered when the answer cannot depend on the
    working folder (which relpath reads on every call): pages link to the same few
    hundred targets from a few folders, so answers repeat thousands of times per build."""
    if ".." in target or ".." in start:  # may climb into the working folder's name
        return posixpath.relpath(target, start)
    return _relpath_within(target, start)


@functools.lru_cache(maxsize=1 << 16)
def _relpath_within(target: str, start: str) -> str:
    return posixpath.relpath(target, start)
