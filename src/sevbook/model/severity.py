"""The severity matrix: `content/severity.md`."""

from __future__ import annotations

from datetime import timedelta
from typing import Annotated, Any

from pydantic import Discriminator, Field, Tag, model_validator

from .common import Document, Duration, Flag, LevelId, OptionalDuration, Slug, Strict
from .vocab import (
    Audience,
    ComponentStatus,
    Handling,
    IncidentStatus,
    Obligation,
    SeverityImpact,
)


class PostmortemObligation(Strict):
    """One deadline of the postmortem process, counted from resolution."""

    what: Obligation = Field(description="What is due: draft (written), review (the review "
                             "meeting held: status reviewed) or publish", examples=["review"])
    within: Duration = Field(description="Time after resolution; with business_days, whole "
                             "days count only the configured work week", examples=["3d", "5d"])
    business_days: Flag = Field(default=False, description="Count days of the work week "
                                "only (setting `work_week`, default Monday to Friday)",
                                examples=[True])


class PostmortemRule(Strict):
    required: Flag = Field(default=False, description="A postmortem is owed at this level",
                           examples=[True])
    due: Duration | None = Field(default=None, description="Time after resolution to publish",
                                 examples=["3d"])
    obligations: list[PostmortemObligation] = Field(default_factory=list, description=(
        "Further deadlines of the postmortem process (draft, review meeting, publish), each "
        "checked by `sevbook check` (postmortem-obligation-overdue)"), examples=[[
            {"what": "review", "within": "3d"},
            {"what": "publish", "within": "5d", "business_days": True}]])


class StageCadence(Strict):
    """One audience's cadence by the incident's stage (the status of its last public
    update): e.g. customers every 20 min while investigating or identified, every hour
    while monitoring. A stage left out promises nothing while the incident is in it."""

    investigating: Duration | None = Field(default=None, description=(
        "While the incident is investigating"), examples=["20m"])
    identified: Duration | None = Field(default=None, description=(
        "While the cause is identified"), examples=["20m"])
    monitoring: Duration | None = Field(default=None, description=(
        "While a fix is monitored"), examples=["1h"])

    def at(self, stage: IncidentStatus) -> timedelta | None:
        """The cadence in `stage` (None once resolved, or when the stage is left out)."""
        return None if stage.final else getattr(self, stage.value)


def _stage_form(value: Any) -> str:
    return "stages" if isinstance(value, dict | StageCadence) else "plain"


Every = Annotated[
    Annotated[Duration, Tag("plain")] | Annotated[StageCadence, Tag("stages")],
    Discriminator(_stage_form)]
"""One audience's cadence: a duration, or one per stage `{investigating, identified,
monitoring}`."""


class Cadence(Strict):
    """How often each audience is promised an update while an incident is open; each a
    duration or one per stage."""

    internal: Every | None = Field(default=None, description="Entries in the internal "
                                   "timeline", examples=["10m"])
    customers: Every | None = Field(default=None, description="Public status updates",
                                    examples=["20m", {"investigating": "20m",
                                                      "identified": "20m",
                                                      "monitoring": "1h"}])
    executives: Every | None = Field(default=None, description=(
        "Briefings to executives, recorded as timeline entries with `audience: "
        "executives`; checked once the first briefing is recorded"), examples=["30m"])


def _cadence_form(value: Any) -> str:
    return "audiences" if isinstance(value, dict | Cadence) else "plain"


UpdateEvery = Annotated[
    Annotated[Duration, Tag("plain")] | Annotated[Cadence, Tag("audiences")],
    Discriminator(_cadence_form)]
"""`update_every: 30m` (the public update cadence, as before) or one per audience."""


class Level(Strict):
    id: LevelId = Field(description="The level's id, used by incidents and runbooks "
                        "(upper case allowed)", examples=["SEV1"])
    name: str = Field(description="Its name", examples=["Critical"])
    summary: str = Field(default="", description="One line: what this level means",
                         examples=["Service down or data loss, major revenue impact"])
    criteria: list[str] = Field(default_factory=list, description="When to declare this level",
                                examples=[[">50% of users affected", "any data loss"]])
    examples: list[str] = Field(default_factory=list, description="Typical incidents of this "
                                "level", examples=[["Checkout unavailable"]])
    response_time: OptionalDuration = Field(default=None, description=(
        "Time to acknowledge; optional (processes like PagerDuty's state none)"),
        examples=["15m"])
    handling: Handling | None = Field(default=None, description=(
        "How the level is handled: page (someone is paged now), ticket, or "
        "next_business_day; default: page when `page` names someone"), examples=["ticket"])
    major: Flag = Field(default=False, description="A major incident (PagerDuty: SEV-1 and "
                        "SEV-2), which triggers `major_actions`", examples=[True])
    major_actions: list[str] = Field(default_factory=list, description=(
        "What declaring a major incident at this level sets in motion"),
        examples=[["Open the incident bridge", "Notify the executive on call"]])
    update_every: UpdateEvery | None = Field(default=None, description=(
        "Update cadence: one duration (public updates) or one per audience "
        "{internal, customers, executives}, each a duration or one per stage "
        "{investigating, identified, monitoring}"),
        examples=["30m", {"internal": "10m", "customers": "20m", "executives": "30m"},
                  {"customers": {"investigating": "20m", "identified": "20m",
                                 "monitoring": "1h"}}])
    first_update_within: Duration | None = Field(default=None, description=(
        "Deadline for the first public update, from detected_at (else started_at)"),
        examples=["15m"])
    page: list[Slug] = Field(default=[], description="Role or team ids paged",
                             examples=[["incident-commander", "on-call-primary"]])
    roles: list[Slug] = Field(default=[], description="Roles required at this level",
                              examples=[["incident-commander", "comms-lead", "scribe"]])
    postmortem: PostmortemRule = Field(default_factory=PostmortemRule,
                                       description="Whether a postmortem is owed, and by when",
                                       examples=[{"required": True, "due": "3d"}])
    public_impact: SeverityImpact = Field(default=SeverityImpact.NONE, description="Impact shown "
                                          "on the status page for public incidents",
                                          examples=["critical"])
    component_status: ComponentStatus = Field(default=ComponentStatus.OPERATIONAL, description=(
        "Default status of the affected public components"), examples=["major_outage"])


    def cadence(self, audience: Audience,
                stage: IncidentStatus = IncidentStatus.INVESTIGATING) -> timedelta | None:
        """The update cadence promised to `audience` while an incident is in `stage`
        (default: its first, investigating); a plain `update_every` is the public
        (customers) cadence, as it always was, in every stage."""
        every = self.audience_cadence(audience)
        return every.at(stage) if isinstance(every, StageCadence) else every

    def audience_cadence(self, audience: Audience) -> timedelta | StageCadence | None:
        """What `update_every` promises `audience`, as written (a duration or by stage)."""
        every = self.update_every
        if isinstance(every, Cadence):
            return getattr(every, audience.value)
        return every if audience is Audience.CUSTOMERS else None

    def by_stage(self, audience: Audience) -> bool:
        """Whether the cadence promised to `audience` depends on the stage."""
        return isinstance(self.audience_cadence(audience), StageCadence)

    @property
    def handled_by(self) -> Handling | None:
        """`handling`, else page when the level pages someone; None when unknown."""
        if self.handling is not None:
            return self.handling
        return Handling.PAGE if self.page else None


class DecisionNode(Strict):
    """One question of the decision tree; each answer is a level id or another question."""

    question: str = Field(description="A yes/no question", examples=["Is production down?"])
    yes: LevelId | DecisionNode = Field(description="A level id, or the next question",
                                        examples=["SEV1"])
    no: LevelId | DecisionNode = Field(description="A level id, or the next question",
                                       examples=[{"question": "Is major functionality "
                                                  "degraded?", "yes": "SEV2", "no": "SEV3"}])


class SeverityMatrix(Document):
    levels: list[Level] = Field(min_length=1, description="Ordered, most severe first")
    decision_tree: DecisionNode | None = Field(default=None, description=(
        "Optional questions that lead to a level; shown as a navigable tree"))

    @model_validator(mode="after")
    def _unique_levels(self) -> SeverityMatrix:
        seen: dict[str, str] = {}
        for lv in self.levels:
            other = seen.get(lv.id.casefold())
            if other == lv.id:
                raise ValueError(f"severity level {lv.id!r} is defined twice; ids must be unique")
            if other is not None:
                raise ValueError(f"severity levels {other!r} and {lv.id!r} differ only in case, "
                                 "which reads as one level; rename or remove one")
            seen[lv.id.casefold()] = lv.id
        return self

    def ids(self) -> list[str]:
        """The level ids, most severe first."""
        return [lv.id for lv in self.levels]

    def level(self, level_id: str | None) -> Level | None:
        for lv in self.levels:
            if lv.id == level_id:
                return lv
        return None

    def rank(self, level_id: str | None) -> int:
        """0 for the most severe level; len(levels) for unknown/None."""
        for i, lv in enumerate(self.levels):
            if lv.id == level_id:
                return i
        return len(self.levels)
