"""The content model: one Pydantic model per frontmatter kind, and the whole `Handbook`."""

from __future__ import annotations

from .common import COMPONENT_STATUSES, Document
from .handbook import Handbook
from .incident import ActionItem, Incident, Postmortem, TimelineEntry, Update
from .oncall import OnCall, Team
from .role import Role
from .runbook import REQUIRED_SECTIONS, Runbook
from .service import SLO, Service, StatusPageEntry
from .severity import DecisionNode, Level, SeverityMatrix

KINDS: dict[str, type[Document]] = {
    "severity": SeverityMatrix,
    "role": Role,
    "oncall": OnCall,
    "service": Service,
    "runbook": Runbook,
    "incident": Incident,
}

__all__ = [
    "COMPONENT_STATUSES", "KINDS", "REQUIRED_SECTIONS", "SLO", "ActionItem", "DecisionNode",
    "Document", "Handbook", "Incident", "Level", "OnCall", "Postmortem", "Role", "Runbook",
    "Service", "SeverityMatrix", "StatusPageEntry", "Team", "TimelineEntry", "Update",
]
