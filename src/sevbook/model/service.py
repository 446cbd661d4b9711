"""The service catalog: `content/services/<id>.md`. A `status_page` block makes it public."""

from __future__ import annotations

from pydantic import Field, field_validator

from .common import (
    Day,
    Document,
    Duration,
    Flag,
    Number,
    PublicId,
    Slug,
    Strict,
    Timestamp,
    Whole,
)
from .vocab import ComponentStatus


class SLO(Strict):
    target: Number = Field(gt=0, lt=100, description="Availability target in percent, e.g. 99.9",
                           examples=[99.9])
    window: Duration = Field(default="28d", validate_default=True, description=(
        "The rolling window the target is measured over"), examples=["28d"])


class StatusChange(Strict):
    """A component state set directly, without an incident (as Statuspage allows)."""

    at: Timestamp = Field(description="When the component entered this state",
                          examples=["2026-03-02T14:30:00Z"])
    status: ComponentStatus = Field(description="The component's state from then on",
                                    examples=["degraded_performance"])


class StatusPageEntry(Strict):
    name: str | None = Field(default=None, description="Public name (default: the service's "
                             "name)", examples=["Checkout"])
    group: str | None = Field(default=None, description="Component group on the status page",
                              examples=["Store"])
    public_id: PublicId | None = Field(default=None, description=(
        "The component's id on the status page (components/<id>/, API, feeds, badges), 6-80 "
        "lowercase letters, digits and dashes; default: the service id"),
        examples=["ftgks51sfj8c"])
    description: str = Field(default="", description="One public line about the component",
                             examples=["Placing orders and payment"])
    since: Day | None = Field(default=None, description=(
        "Uptime history starts here (\"no data\" before)"), examples=["2025-01-01"])
    position: Whole | None = Field(default=None, ge=0, description=(
        "Order among its siblings (the components of its group, or the groups and "
        "ungrouped components at the top); unpositioned ones follow, by name"))
    group_position: Whole | None = Field(default=None, ge=0, description=(
        "Order of its group at the top of the page (with `group`; the smallest of the "
        "group's members counts)"))
    showcase: Flag = Field(default=True, description="Show the 90-day uptime bars")
    status: list[StatusChange] = Field(default_factory=list, description=(
        "States set without an incident, oldest first; each holds until the next, or "
        "until a later update of an incident that names the component"))

    @field_validator("status")
    @classmethod
    def _chronological(cls, value: list[StatusChange]) -> list[StatusChange]:
        for a, b in zip(value, value[1:], strict=False):
            if b.at < a.at:
                raise ValueError(f"status changes must be oldest first; {b.at.isoformat()} "
                                 f"is listed after {a.at.isoformat()}")
        return value


class Service(Document):
    name: str = Field(description="The service's name", examples=["Checkout API"])
    owner: Slug | None = Field(default=None, description="The owning team",
                               examples=["payments"])
    tier: Whole = Field(default=3, ge=1, le=5, description="1 (most critical) to 5",
                        examples=[1])
    depends_on: list[Slug] = Field(default_factory=list, description="Service ids it needs",
                                   examples=[["payments-db", "auth"]])
    slo: SLO | None = Field(default=None, description="Availability objective; drives the "
                            "error budget", examples=[{"target": 99.9, "window": "28d"}])
    links: dict[str, str] = Field(default_factory=dict, description="Label -> URL (dashboard, "
                                  "repository, ...)",
                                  examples=[{"dashboard": "https://grafana.example.com/d/checkout"}])
    labels: list[Slug] = Field(default_factory=list, description=(
        "Tags of the service: a further status page can show every public service with a "
        "label (`status_pages[].labels`)"), examples=[["eu", "payments"]])
    status_page: StatusPageEntry | None = Field(default=None, description=(
        "Present: the service is a public component of the status page"))

    @property
    def public(self) -> bool:
        return self.status_page is not None

    @property
    def component_id(self) -> str:
        """The id the status page publishes it under: `status_page.public_id`, else the
        service id."""
        if self.status_page and self.status_page.public_id:
            return self.status_page.public_id
        return self.id

    @property
    def public_name(self) -> str:
        if self.status_page and self.status_page.name:
            return self.status_page.name
        return self.name
