"""Content model v2 parts of an incident record: severity history, role shifts, links,
related incidents, impact phases, a data-loss window, time precision and declared custom
fields.

Every key here is optional, so files written before v2 stay valid (DESIGN.md). The
`Incident` model (`incident.py`) holds them; the rules that need other files (does the
related incident exist, is the severity a level, is a custom field declared) are in
`sevbook.rules.record`.
"""

from __future__ import annotations

from typing import Annotated, Literal
from urllib.parse import urlsplit

from pydantic import AfterValidator, Field, StrictFloat, StrictInt, StrictStr, WithJsonSchema, model_validator

from ..times import as_written
from .common import LevelId, Slug, Strict, Timestamp
from .vocab import ComponentStatus, Precision, Relation


def _url(value: str) -> str:
    parts = urlsplit(value.strip())
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ValueError(f"{value!r} is not an absolute http(s) URL; write it like "
                         "https://example.com/path")
    return value.strip()


Url = Annotated[str, AfterValidator(_url),
                WithJsonSchema({"type": "string", "format": "uri",
                                "examples": ["https://example.com/dashboards/checkout"]})]
"""An absolute http(s) URL."""


class SeverityChange(Strict):
    """One classification of the incident: declared, escalated or downgraded."""

    at: Timestamp = Field(description="When the severity was set", examples=[
        "2026-11-02T10:40:00Z"])
    severity: LevelId = Field(description="The level from then on", examples=["SEV1"])
    by: str | None = Field(default=None, description="Who decided", examples=["Alice (IC)"])


class RoleShift(Strict):
    """One person's shift in a role; several shifts record handoffs."""

    name: str = Field(description="Who held the role", examples=["Alice Nakamura"])
    from_: Timestamp | None = Field(default=None, alias="from", description=(
        "When they took it (default: from the start)"), examples=["2026-11-02T10:15:00Z"])
    until: Timestamp | None = Field(default=None, description=(
        "When they handed it over (default: to the end)"), examples=["2026-11-02T14:00:00Z"])

    model_config = Strict.model_config | {"populate_by_name": True}

    @model_validator(mode="after")
    def _in_order(self) -> RoleShift:
        if self.from_ is not None and self.until is not None and self.until <= self.from_:
            raise ValueError("until must be after from; a shift ends after it starts")
        return self


class Links(Strict):
    """Where the incident was worked on and written up (internal: never on the status
    page)."""

    chat: str | None = Field(default=None, description="The incident channel",
                             examples=["#inc-2026-11-02-checkout"])
    call: Url | None = Field(default=None, description="The bridge or call link")
    tickets: list[str] = Field(default_factory=list, description="Ticket ids or URLs",
                               examples=[["SHOP-2187"]])
    postmortem: Url | None = Field(default=None, description="The published postmortem")
    dashboards: list[Url] = Field(default_factory=list, description="Dashboards used")


class Related(Strict):
    """Another incident this one relates to."""

    incident: Annotated[str, Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9._-]*$")] = Field(
        description="The other incident's id (its file name without .md)",
        examples=["2026-10-14-checkout-slow"])
    relation: Relation = Field(description="duplicate_of, caused_by, merged_into or "
                               "split_from", examples=["caused_by"])


class ImpactPhase(Strict):
    """What one component suffered for a while, as the responders established it (not
    tied to a public update). Uptime and error budgets use these when present."""

    component: Slug = Field(description="A service id", examples=["checkout-api"])
    from_: Timestamp = Field(alias="from", description="When this state began",
                             examples=["2026-11-02T10:02:00Z"])
    until: Timestamp | None = Field(default=None, description=(
        "When it ended (default: resolution, or now while open)"),
        examples=["2026-11-02T11:30:00Z"])
    status: ComponentStatus = Field(description="The component's state meanwhile",
                                    examples=["major_outage"])

    model_config = Strict.model_config | {"populate_by_name": True}

    @model_validator(mode="after")
    def _in_order(self) -> ImpactPhase:
        if self.until is not None and self.until <= self.from_:
            raise ValueError("until must be after from; an impact phase ends after it starts")
        return self


class DataLoss(Strict):
    """The window of data that was lost (internal: never on the status page). It may
    start long before the impact: the writes since the last good backup."""

    from_: Timestamp = Field(alias="from", description=(
        "The oldest lost data: e.g. the last good backup"), examples=["2017-01-31T17:20:00Z"])
    until: Timestamp = Field(description="The newest lost data", examples=[
        "2017-01-31T23:27:00Z"])
    description: str = Field(default="", description="What was lost, and for whom",
                             examples=["Issues, merge requests and comments written in "
                                       "those six hours"])

    model_config = Strict.model_config | {"populate_by_name": True}

    @model_validator(mode="after")
    def _in_order(self) -> DataLoss:
        if self.until < self.from_:
            raise ValueError(f"until ({as_written(self.until)}) is before from "
                             f"({as_written(self.from_)}); the window of lost data ends "
                             "after it starts: swap them or correct the time")
        return self


TimeKey = Literal["started_at", "detected_at", "acknowledged_at", "mitigated_at",
                  "resolved_at"]
"""The incident times whose precision may be stated."""

TimePrecision = dict[TimeKey, Precision]

FieldValue = StrictStr | StrictInt | StrictFloat | list[StrictStr]
"""A custom field's value: text or a choice, a number, or a list of texts."""


def role_shifts(value: str | list[RoleShift]) -> list[RoleShift]:
    """A role as written (a name, or a list of shifts) as shifts."""
    if isinstance(value, str):
        return [RoleShift(name=value)] if value.strip() else []
    return list(value)


def role_text(value: str | list[RoleShift]) -> str:
    """Who held a role, as one line: `Alice`, or `Alice → Bob` for a handoff."""
    return " → ".join(s.name for s in role_shifts(value))


def approximate(precision: TimePrecision, key: str) -> bool:
    """Whether the time `key` is marked approximate or unknown."""
    return precision.get(key, Precision.EXACT) != Precision.EXACT  # type: ignore[call-overload]


def unknown(precision: TimePrecision, key: str) -> bool:
    return precision.get(key) == Precision.UNKNOWN  # type: ignore[call-overload]
