"""The severity matrix: `content/severity.md`."""

from __future__ import annotations

from pydantic import Field, model_validator

from .common import Document, Duration, Flag, LevelId, Slug, Strict
from .vocab import ComponentStatus, SeverityImpact


class PostmortemRule(Strict):
    required: Flag = False
    due: Duration | None = Field(default=None, description="Time after resolution to publish")


class Level(Strict):
    id: LevelId
    name: str
    summary: str = ""
    criteria: list[str] = Field(default_factory=list)
    examples: list[str] = Field(default_factory=list)
    response_time: Duration = Field(description="Time to acknowledge")
    update_every: Duration | None = Field(default=None, description="Update cadence")
    page: list[Slug] = Field(default=[], description="Role or team ids paged")
    roles: list[Slug] = Field(default=[], description="Roles required at this level")
    postmortem: PostmortemRule = Field(default_factory=PostmortemRule)
    public_impact: SeverityImpact = SeverityImpact.NONE
    component_status: ComponentStatus = ComponentStatus.OPERATIONAL


class DecisionNode(Strict):
    """One question of the decision tree; each answer is a level id or another question."""

    question: str
    yes: LevelId | DecisionNode
    no: LevelId | DecisionNode


class SeverityMatrix(Document):
    levels: list[Level] = Field(min_length=1, description="Ordered, most severe first")
    decision_tree: DecisionNode | None = None

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
