"""Every word sevbook has a fixed list of: the one home of statuses, impacts and their facts.

Each vocabulary is a `StrEnum`: its members are the words written in frontmatter (they are
`str`, so `status == "resolved"` and dict lookups by plain strings keep working), and each
member carries what the rest of the tree needs to know about it: the label people read,
its rank (worse or later ranks higher), the CSS class the templates use, and whether it is
final. Pages, feeds, rules, the API and the badges read these attributes; none of them
spells the words or labels again.

To add a status, add one member here (with its facts); `sevbook schema`, the validators,
the messages and every page pick it up.
"""

from __future__ import annotations

import functools
from enum import StrEnum
from typing import Any, Self


class Word(StrEnum):
    """A vocabulary word with a label, a rank, a CSS class and a final flag."""

    label: str
    rank: int
    css: str
    final: bool

    def __new__(cls, value: str, label: str = "", rank: int = 0, final: bool = False,
                facts: dict[str, Any] | None = None) -> Self:
        obj = str.__new__(cls, value)
        obj._value_ = value
        obj.label = label
        obj.rank = rank
        obj.css = value.replace("_", "-")
        obj.final = final
        for k, v in (facts or {}).items():
            setattr(obj, k, v)
        return obj

    @property
    def lower_label(self) -> str:
        """The label as it reads inside a sentence ("partial outage")."""
        return self.label[0].lower() + self.label[1:]

    @classmethod
    def words(cls) -> tuple[str, ...]:
        """The words in the order they are defined (computed once per vocabulary)."""
        return _words(cls)

    @classmethod
    def of(cls, word: object) -> Self | None:
        """The member spelled `word`, or None: one dict lookup, for the validators."""
        return _members(cls).get(word) if isinstance(word, str) else None

    @classmethod
    def expected(cls) -> str:
        """The accepted values the way Pydantic lists them: 'a', 'b' or 'c'."""
        quoted = [f"'{w}'" for w in cls.words()]
        return ", ".join(quoted[:-1]) + " or " + quoted[-1] if len(quoted) > 1 else quoted[0]


@functools.cache
def _words(vocab: type[Word]) -> tuple[str, ...]:
    return tuple(m.value for m in vocab)


@functools.cache
def _members(vocab: type[Word]) -> dict[str, Any]:
    return {m.value: m for m in vocab}


_OK = ("none", "All Systems Operational")
_MAINTENANCE = ("maintenance", "Service Under Maintenance")


class ComponentStatus(Word):
    """The state of a public component (Statuspage's five)."""

    weight: float
    """Share of a minute counted as downtime (DESIGN's uptime formula)."""
    page_one: tuple[str, str]
    """Statuspage's top-level status (indicator, description) when this is the state of
    the page's only component."""
    page_some: tuple[str, str]
    """The same when this is the worst state and some, not all, components are in it."""
    page_all: tuple[str, str]
    """The same when every component of the page (two or more) is in this state."""
    colour: str
    """Badge colour (white text on it passes WCAG AA)."""
    bar: str
    """The one-letter CSS class of a day in the uptime bars (a page has 90 per component)."""

    OPERATIONAL = ("operational", "Operational", 0, False, {
        "weight": 0.0, "page_one": _OK, "page_some": _OK, "page_all": _OK,
        "colour": "#1a7f37", "bar": "o"})
    DEGRADED_PERFORMANCE = ("degraded_performance", "Degraded performance", 2, False, {
        "weight": 0.0, "page_one": ("minor", "Partially Degraded Service"),
        "page_some": ("minor", "Partially Degraded Service"),
        "page_all": ("minor", "Degraded System Service"), "colour": "#8a5a00", "bar": "d"})
    PARTIAL_OUTAGE = ("partial_outage", "Partial outage", 3, False, {
        "weight": 0.3, "page_one": ("major", "Partial System Outage"),
        "page_some": ("minor", "Minor Service Outage"),
        "page_all": ("major", "Partial System Outage"), "colour": "#b3470b", "bar": "p"})
    MAJOR_OUTAGE = ("major_outage", "Major outage", 4, False, {
        "weight": 1.0, "page_one": ("critical", "Major System Outage"),
        "page_some": ("major", "Partial System Outage"),
        "page_all": ("critical", "Major System Outage"), "colour": "#c11f1f", "bar": "m"})

    UNDER_MAINTENANCE = ("under_maintenance", "Under maintenance", 1, False, {
        "weight": 0.0, "page_one": _MAINTENANCE, "page_some": _MAINTENANCE,
        "page_all": _MAINTENANCE, "colour": "#1f5fb8", "bar": "u"})

    @classmethod
    def worst(cls, states: Any) -> ComponentStatus:
        """The worst of `states` (operational when there are none)."""
        return max((cls(s) for s in states), key=lambda s: s.rank, default=cls.OPERATIONAL)

    @classmethod
    def by_rank(cls, rank: int) -> ComponentStatus:
        return next(m for m in cls if m.rank == rank)


class Impact(Word):
    """An incident's impact and the page indicator (Statuspage's `impact`/`indicator`)."""

    description: str
    """Statuspage's own wording for the page indicator (`status.json` description)."""
    state: str
    """The component state an incident of this impact implies."""
    phrase: str
    """How the status page names an incident's impact: 'Minor impact', 'No impact' (never
    'No impact impact')."""

    NONE = ("none", "No impact", 0, False, {
        "description": "All Systems Operational", "state": "operational",
        "phrase": "No impact"})
    MAINTENANCE = ("maintenance", "Maintenance", 1, False, {
        "description": "Service Under Maintenance", "state": "under_maintenance",
        "phrase": "Maintenance impact"})
    MINOR = ("minor", "Minor", 2, False, {
        "description": "Minor Service Outage", "state": "degraded_performance",
        "phrase": "Minor impact"})
    MAJOR = ("major", "Major", 3, False, {
        "description": "Partial System Outage", "state": "partial_outage",
        "phrase": "Major impact"})
    CRITICAL = ("critical", "Critical", 4, False, {
        "description": "Major System Outage", "state": "major_outage",
        "phrase": "Critical impact"})


class SeverityImpact(Word):
    """The `public_impact` a severity level may declare (no `maintenance`: that is a kind)."""

    # Labels as the severity matrix names them ("None"; the status page's Impact says
    # "No impact"). The docstring above is the JSON Schema description: keep it as is.
    NONE = ("none", "None", 0)
    MINOR = ("minor", "Minor", 2)
    MAJOR = ("major", "Major", 3)
    CRITICAL = ("critical", "Critical", 4)

    @property
    def impact(self) -> Impact:
        return Impact(self.value)


class MaintenanceImpact(Word):
    """The impact a maintenance may state on the status page (Statuspage's four)."""

    NONE = ("none", "No impact", 0)
    MAINTENANCE = ("maintenance", "Maintenance", 1)
    MINOR = ("minor", "Minor", 2)
    MAJOR = ("major", "Major", 3)

    @property
    def impact(self) -> Impact:
        return Impact(self.value)


class IncidentStatus(Word):
    """The status of an incident update; `resolved` is final."""

    INVESTIGATING = ("investigating", "Investigating", 0)
    IDENTIFIED = ("identified", "Identified", 1)
    MONITORING = ("monitoring", "Monitoring", 2)
    RESOLVED = ("resolved", "Resolved", 3, True)


class MaintenanceStatus(Word):
    """The status of a maintenance update; `completed` is final."""

    component_state: str
    """What affected components show while the maintenance is in this status."""

    SCHEDULED = ("scheduled", "Scheduled", 0, False, {"component_state": "operational"})
    IN_PROGRESS = ("in_progress", "In progress", 1, False, {"component_state": "under_maintenance"})
    VERIFYING = ("verifying", "Verifying", 2, False, {"component_state": "under_maintenance"})
    COMPLETED = ("completed", "Completed", 3, True, {"component_state": "operational"})


class Kind(StrEnum):
    """What an incident file records."""

    INCIDENT = "incident"
    MAINTENANCE = "maintenance"

    @property
    def statuses(self) -> type[IncidentStatus] | type[MaintenanceStatus]:
        """The update statuses of this kind."""
        return MaintenanceStatus if self is Kind.MAINTENANCE else IncidentStatus

    @property
    def terminal(self) -> str:
        """The final status: `resolved` or `completed`."""
        return next(s for s in self.statuses if s.final).value

    @property
    def label(self) -> str:
        return "maintenance" if self is Kind.MAINTENANCE else "an incident"


def update_status(word: str) -> IncidentStatus | MaintenanceStatus:
    """The status member for any update status word (incident or maintenance)."""
    if word in IncidentStatus.__members__.values():
        return IncidentStatus(word)
    return MaintenanceStatus(word)


UPDATE_STATUSES: tuple[str, ...] = IncidentStatus.words() + MaintenanceStatus.words()


class PostmortemStatus(Word):
    """Where a postmortem stands; `published` and `closed` are final (PagerDuty's
    Draft, In review, Reviewed, Closed: `reviewed` still owes publishing, `closed` owes
    nothing more)."""

    NONE = ("none", "None", 0)
    DRAFT = ("draft", "Draft", 1)
    IN_REVIEW = ("in_review", "In review", 2)
    REVIEWED = ("reviewed", "Reviewed", 3)
    PUBLISHED = ("published", "Published", 4, True)
    CLOSED = ("closed", "Closed", 5, True)


class Obligation(Word):
    """What a severity level's postmortem obligation asks for (`postmortem.obligations`)."""

    met_by: str
    """The postmortem status from which (by rank) the obligation counts as met."""

    DRAFT = ("draft", "Draft", 0, False, {"met_by": "draft"})
    REVIEW = ("review", "Review meeting", 1, False, {"met_by": "reviewed"})
    PUBLISH = ("publish", "Publication", 2, False, {"met_by": "published"})

    def met(self, status: str) -> bool:
        """Whether a postmortem in `status` has met this obligation."""
        return PostmortemStatus(status).rank >= PostmortemStatus(self.met_by).rank


class Handling(Word):
    """How a severity level is handled: paged now, a ticket, or the next business day."""

    PAGE = ("page", "Page", 0)
    TICKET = ("ticket", "Ticket", 1)
    NEXT_BUSINESS_DAY = ("next_business_day", "Next business day", 2)


class Audience(Word):
    """Who an update cadence (`update_every:`) is promised to."""

    whom: str
    """How a promise names the audience ("promises customers an update ...")."""

    INTERNAL = ("internal", "Internal", 0, False, {"whom": "the responders"})
    CUSTOMERS = ("customers", "Customers", 1, False, {"whom": "customers"})
    EXECUTIVES = ("executives", "Executives", 2, False, {"whom": "executives"})


class IncidentType(Word):
    """What kind of event an incident record is (`type:`); plain incidents omit it."""

    NEAR_MISS = ("near_miss", "Near miss", 0)
    SECURITY = ("security", "Security", 1)
    DRILL = ("drill", "Drill", 2)
    FALSE_ALARM = ("false_alarm", "False alarm", 3)


class Relation(Word):
    """How an incident relates to another (`related:`)."""

    DUPLICATE_OF = ("duplicate_of", "Duplicate of", 0)
    CAUSED_BY = ("caused_by", "Caused by", 1)
    MERGED_INTO = ("merged_into", "Merged into", 2)
    SPLIT_FROM = ("split_from", "Split from", 3)


class Precision(Word):
    """How well a time is known (`started_at_precision:`)."""

    EXACT = ("exact", "Exact", 0)
    APPROXIMATE = ("approximate", "Approximate", 1)
    UNKNOWN = ("unknown", "Unknown", 2)


class Priority(Word):
    """An action item's priority (`priority:`), most urgent first."""

    P0 = ("p0", "P0", 0)
    P1 = ("p1", "P1", 1)
    P2 = ("p2", "P2", 2)
    P3 = ("p3", "P3", 3)


class ActionItemStatus(Word):
    """An action item's state; `done` and `wontfix` are final."""

    css_state: str
    """The badge state used on handbook pages (ok, muted, open)."""

    OPEN = ("open", "Open", 0, False, {"css_state": "open"})
    DONE = ("done", "Done", 1, True, {"css_state": "ok"})
    WONTFIX = ("wontfix", "Won't fix", 2, True, {"css_state": "muted"})


class ActionItemType(Word):
    """What an action item does (detect, mitigate, prevent, or a process change)."""

    DETECT = ("detect", "Detect", 0)
    MITIGATE = ("mitigate", "Mitigate", 1)
    PREVENT = ("prevent", "Prevent", 2)
    PROCESS = ("process", "Process", 3)


class Urgency(Word):
    """How urgently a rotation is paged (`urgency:` in `content/oncall.md`)."""

    description: str
    """What the urgency means for the person on call."""

    HIGH = ("high", "High", 0, False, {"description": "pages at once, day and night"})
    LOW = ("low", "Low", 1, False, {"description": "notifies; handled in working hours"})


class StepCondition(Word):
    """When an escalation step applies (`only:`); a step without one always applies."""

    MAJOR = ("major", "Major incidents only", 0)
