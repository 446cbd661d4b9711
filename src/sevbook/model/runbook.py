"""Runbooks: `content/runbooks/<id>.md`."""

from __future__ import annotations

from datetime import date, timedelta

from pydantic import Field

from .common import Day, Document, Duration, LevelId, Slug

REQUIRED_SECTIONS = ("Trigger", "Diagnosis", "Mitigation", "Verification", "Rollback", "Escalation")


class Runbook(Document):
    title: str
    services: list[Slug] = Field(default_factory=list)
    alerts: list[str] = Field(default_factory=list)
    severity: LevelId | None = None
    owner: Slug | None = None
    last_reviewed: Day | None = None
    review_every: Duration = Field(default="90d", validate_default=True)

    def review_due(self) -> Day | None:
        """When the next review is due (`last_reviewed` + `review_every` in whole days);
        None when it was never reviewed."""
        if self.last_reviewed is None:
            return None
        return self.last_reviewed + timedelta(days=self.review_every.days)

    def is_stale(self, today: date) -> bool:
        """Never reviewed, or its review was due before `today`."""
        due = self.review_due()
        return due is None or due < today
