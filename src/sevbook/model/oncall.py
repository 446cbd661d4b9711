"""Teams, rotation and escalation: `content/oncall.md`."""

from __future__ import annotations

from pydantic import Field

from .common import Document, Duration, Flag, Slug, Strict

ROTATION_TARGETS = ("on-call-primary", "on-call-secondary")
"""Page targets that mean "whoever holds the rotation", valid without a role or team."""


class Team(Strict):
    id: Slug = Field(description="The team's id, used as an owner", examples=["payments"])
    name: str = Field(description="Its name", examples=["Payments"])
    channel: str = Field(default="", description="Where to reach it",
                         examples=["#payments-oncall"])


class Rotation(Strict):
    length: Duration | None = Field(default=None, description="How long one shift lasts",
                                    examples=["1w"])
    handoff: str = Field(default="", description="When the shift changes hands",
                         examples=["Monday 10:00"])
    secondary: Flag = Field(default=False, description="There is a secondary on call",
                            examples=[True])


class EscalationStep(Strict):
    after: Duration = Field(description="Time without acknowledgement before this step",
                            examples=["5m"])
    notify: str = Field(description="Who is notified (free text)",
                        examples=["on-call-secondary"])


class OnCall(Document):
    teams: list[Team] = Field(default_factory=list, description=(
        "The teams; once declared, every owner must name one"))
    rotation: Rotation | None = Field(default=None, description="The on-call rotation")
    escalation: list[EscalationStep] = Field(default_factory=list, description=(
        "Who is notified when a page is not acknowledged, in order"))

    def team(self, team_id: str) -> Team | None:
        return next((t for t in self.teams if t.id == team_id), None)
