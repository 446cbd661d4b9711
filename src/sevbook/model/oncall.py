"""Teams, rotations and escalation: `content/oncall.md`.

One `rotation:` and one `escalation:` (the first format) stay valid; `rotations:` adds
several, each for a team, with an urgency and its own escalation steps, and a step may
apply to major incidents only (`only: major`)."""

from __future__ import annotations

from pydantic import Field, model_validator

from .common import Document, Duration, Flag, Slug, Strict
from .vocab import StepCondition, Urgency

ROTATION_TARGETS = ("on-call-primary", "on-call-secondary")
"""Page targets that mean "whoever holds the rotation", valid without a role or team."""


class Team(Strict):
    id: Slug = Field(description="The team's id, used as an owner", examples=["payments"])
    name: str = Field(description="Its name", examples=["Payments"])
    channel: str = Field(default="", description="Where to reach it",
                         examples=["#payments-oncall"])


class EscalationStep(Strict):
    after: Duration = Field(description="Time without acknowledgement before this step",
                            examples=["5m"])
    notify: str = Field(description="Who is notified (free text)",
                        examples=["on-call-secondary"])
    only: StepCondition | None = Field(default=None, description=(
        "major: this step applies to major incidents only (levels with `major: true`); "
        "default: every incident"), examples=["major"])


class Rotation(Strict):
    length: Duration | None = Field(default=None, description="How long one shift lasts",
                                    examples=["1w"])
    handoff: str = Field(default="", description="When the shift changes hands",
                         examples=["Monday 10:00"])
    secondary: Flag = Field(default=False, description="There is a secondary on call",
                            examples=[True])


class NamedRotation(Rotation):
    """One of several rotations (`rotations:`): whose it is, how urgently it is paged and
    how an unacknowledged page escalates."""

    id: Slug = Field(description="The rotation's id", examples=["infra-primary"])
    name: str = Field(default="", description="Its name (default: the id)",
                      examples=["Infrastructure primary"])
    team: Slug | None = Field(default=None, description="The team it belongs to (a team "
                              "declared under teams:)", examples=["infrastructure"])
    urgency: Urgency | None = Field(default=None, description=(
        "high (pages at once, day and night) or low (handled in working hours)"),
        examples=["high"])
    escalation: list[EscalationStep] = Field(default_factory=list, description=(
        "Who is notified when a page of this rotation is not acknowledged, in order"),
        examples=[[{"after": "5m", "notify": "on-call-secondary"},
                   {"after": "15m", "notify": "engineering-manager", "only": "major"}]])

    @property
    def title(self) -> str:
        return self.name or self.id


class OnCall(Document):
    teams: list[Team] = Field(default_factory=list, description=(
        "The teams; once declared, every owner must name one"))
    rotation: Rotation | None = Field(default=None, description="The on-call rotation")
    escalation: list[EscalationStep] = Field(default_factory=list, description=(
        "Who is notified when a page is not acknowledged, in order"))
    rotations: list[NamedRotation] = Field(default_factory=list, description=(
        "Several rotations (per team, with an urgency and their own escalation steps), "
        "besides or instead of `rotation`"), examples=[[
            {"id": "infra-primary", "team": "infrastructure", "urgency": "high",
             "length": "1w", "escalation": [{"after": "15m", "notify": "head-of-infra",
                                             "only": "major"}]}]])

    @model_validator(mode="after")
    def _rotations_known(self) -> OnCall:
        seen: set[str] = set()
        teams = {t.id for t in self.teams}
        for r in self.rotations:
            if r.id in seen:
                raise ValueError(f"rotation {r.id!r} is declared twice; rotation ids must "
                                 "be unique")
            seen.add(r.id)
            if r.team is not None and r.team not in teams:
                known = ", ".join(sorted(teams)) or "(none declared)"
                raise ValueError(f"rotation {r.id!r} names the team {r.team!r}, which is not "
                                 f"under teams:; use one of: {known}")
        return self

    def team(self, team_id: str) -> Team | None:
        return next((t for t in self.teams if t.id == team_id), None)
