"""The service catalog: `content/services/<id>.md`. A `status_page` block makes it public."""

from __future__ import annotations

from pydantic import Field, field_validator

from .common import Day, Document, Duration, Flag, Number, Slug, Strict, Timestamp, Whole
from .vocab import ComponentStatus


class SLO(Strict):
    target: Number = Field(gt=0, lt=100, description="Availability target in percent, e.g. 99.9")
    window: Duration = Field(default="28d", validate_default=True)


class StatusChange(Strict):
    """A component state set directly, without an incident (as Statuspage allows)."""

    at: Timestamp
    status: ComponentStatus


class StatusPageEntry(Strict):
    name: str | None = None
    group: str | None = None
    description: str = ""
    since: Day | None = None
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
    name: str
    owner: Slug | None = None
    tier: Whole = Field(default=3, ge=1, le=5)
    depends_on: list[Slug] = Field(default_factory=list)
    slo: SLO | None = None
    links: dict[str, str] = Field(default_factory=dict)
    status_page: StatusPageEntry | None = None

    @property
    def public(self) -> bool:
        return self.status_page is not None

    @property
    def public_name(self) -> str:
        if self.status_page and self.status_page.name:
            return self.status_page.name
        return self.name
