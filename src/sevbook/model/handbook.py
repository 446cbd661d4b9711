"""The whole validated handbook, as one plain object that every output is built from."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from .incident import Incident
from .oncall import OnCall, Team
from .role import Role
from .runbook import Runbook
from .service import Service
from .severity import SeverityMatrix

if TYPE_CHECKING:
    from ..config import Settings


@dataclass
class Handbook:
    """Everything read from a handbook root. Dicts are ordered by id (incidents by id too,
    which is chronological because ids start with the date)."""

    root: Path
    settings: Settings
    severity: SeverityMatrix | None = None
    roles: dict[str, Role] = field(default_factory=dict)
    oncall: OnCall | None = None
    services: dict[str, Service] = field(default_factory=dict)
    runbooks: dict[str, Runbook] = field(default_factory=dict)
    incidents: dict[str, Incident] = field(default_factory=dict)
    files: int = 0
    """How many files were read (for the summary line)."""

    @property
    def teams(self) -> dict[str, Team]:
        return {t.id: t for t in self.oncall.teams} if self.oncall else {}

    @property
    def public_services(self) -> dict[str, Service]:
        return {k: s for k, s in self.services.items() if s.status_page is not None}

    def level(self, level_id: str | None):
        return self.severity.level(level_id) if self.severity else None
