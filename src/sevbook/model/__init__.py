"""The content model: one Pydantic model per frontmatter kind, and the whole `Handbook`."""

from __future__ import annotations

from .common import Document
from .handbook import Handbook
from .incident import ActionItem, Incident, Postmortem, TimelineEntry, Update
from .kinds import KINDS, FileKind
from .oncall import OnCall, Team
from .role import Role
from .runbook import REQUIRED_SECTIONS, Runbook
from .service import SLO, Service, StatusPageEntry
from .severity import DecisionNode, Level, SeverityMatrix
from .vocab import ComponentStatus

COMPONENT_STATUSES: tuple[str, ...] = ComponentStatus.words()

__all__ = [
    "COMPONENT_STATUSES", "KINDS", "REQUIRED_SECTIONS", "SLO", "ActionItem", "DecisionNode",
    "Document", "FileKind", "Handbook", "Incident", "Level", "OnCall", "Postmortem", "Role",
    "Runbook", "Service", "SeverityMatrix", "StatusPageEntry", "Team", "TimelineEntry", "Update",
]
