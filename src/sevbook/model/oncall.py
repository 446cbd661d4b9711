"""Teams, rotation and escalation: `content/oncall.md`."""

from __future__ import annotations

from pydantic import Field

from .common import Document, Duration, Flag, Slug, Strict

ROTATION_TARGETS = ("on-call-primary", "on-call-secondary")
"""Page targets that mean "whoever holds the rotation", valid without a role or team."""


class Team(Strict):
    id: Slug
    name: str
    channel: str = ""


class Rotation(Strict):
    length: Duration | None = None
    handoff: str = ""
    secondary: Flag = False


class EscalationStep(Strict):
    after: Duration
    notify: str


class OnCall(Document):
    teams: list[Team] = Field(default_factory=list)
    rotation: Rotation | None = None
    escalation: list[EscalationStep] = Field(default_factory=list)

    def team(self, team_id: str) -> Team | None:
        return next((t for t in self.teams if t.id == team_id), None)
