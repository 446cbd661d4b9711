"""Runbooks: `content/runbooks/<id>.md`."""

from __future__ import annotations

from datetime import date, timedelta

from pydantic import Field

from .common import Day, Document, Duration, LevelId, Slug

REQUIRED_SECTIONS = ("Trigger", "Diagnosis", "Mitigation", "Verification", "Rollback", "Escalation")


class Runbook(Document):
    title: str = Field(description="The runbook's title", examples=["High error rate on checkout"])
    services: list[Slug] = Field(default_factory=list, description="Service ids it covers",
                                 examples=[["checkout-api"]])
    alerts: list[str] = Field(default_factory=list, description="Alert names that lead here",
                              examples=[["checkout_error_rate_high"]])
    severity: LevelId | None = Field(default=None, description="Typical severity level",
                                     examples=["SEV2"])
    owner: Slug | None = Field(default=None, description="The owning team",
                               examples=["payments"])
    last_reviewed: Day | None = Field(default=None, description="When it was last checked "
                                      "to still work", examples=["2026-01-06"])
    review_every: Duration = Field(default="90d", validate_default=True, description=(
        "How often it must be reviewed; older is stale"), examples=["90d"])

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
