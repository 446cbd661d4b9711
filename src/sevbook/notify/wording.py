"""What a notification says, the same on every channel: a headline, the update's text, the
components it affects, when, and the link to the status page.

Every word comes from the public state (names, the update's text, component names) or
from `sevbook.model.vocab` (status labels); each channel only formats this `Message`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from ..model.vocab import ComponentStatus, Impact, IncidentStatus, MaintenanceStatus
from .events import Event, EventKind
from .state import PublicState

HEADLINES = {
    EventKind.INCIDENT_CREATED: "New incident",
    EventKind.INCIDENT_RESOLVED: "Resolved",
    EventKind.MAINTENANCE_SCHEDULED: "Scheduled maintenance",
    EventKind.MAINTENANCE_STARTED: "Maintenance in progress",
    EventKind.MAINTENANCE_COMPLETED: "Maintenance completed",
}
"""The headline word of each event; incident and maintenance updates say their status."""
WINDOW_TEXT = {
    EventKind.MAINTENANCE_STARTED: "The scheduled maintenance has begun.",
    EventKind.MAINTENANCE_COMPLETED: "The scheduled maintenance has ended.",
}
"""The text of a window that opened or closed without an update."""


def status_label(word: str) -> str:
    """A status as people read it ("Partial outage"); an unknown word as written."""
    for vocab in (ComponentStatus, IncidentStatus, MaintenanceStatus):
        if word in vocab.words():
            return vocab(word).label
    return word.replace("_", " ").capitalize()


@dataclass(frozen=True)
class Message:
    headline: str
    """e.g. "Identified: Search errors" or "Search: Partial outage"."""
    title: str
    """The incident's or component's public name."""
    status: str
    status_label: str
    body: str
    """Plain text of the update (may be empty)."""
    affected: tuple[str, ...]
    """Component names, with their new status where the update changes it."""
    at: datetime
    when: str
    """`at` in the page's time zone, with the zone named."""
    url: str
    """The incident's or component's page (absolute when status.url is set), or ''."""
    page_name: str
    page_url: str
    state: ComponentStatus
    """How bad it is (the colour of a Discord embed)."""


def _when(at: datetime, state: PublicState) -> str:
    try:
        tz = ZoneInfo(str(state.page.get("time_zone") or "UTC"))
    except (KeyError, ValueError):
        tz = ZoneInfo("UTC")
    local = at.astimezone(tz)
    return f"{local:%Y-%m-%d %H:%M} {local.tzname()}"


def _affected(event: Event, state: PublicState) -> tuple[str, ...]:
    changes = {c.component_id: c for c in (event.update.changes if event.update else ())}
    out = []
    for cid in event.component_ids:
        name = state.components[cid].name if cid in state.components else (
            changes[cid].name if cid in changes else cid)
        change = changes.get(cid)
        out.append(f"{name} ({status_label(change.new_status).lower()})" if change else name)
    return tuple(out)


def _state(event: Event) -> ComponentStatus:
    if event.component is not None:
        word = event.component.status
    elif event.kind in (EventKind.INCIDENT_RESOLVED, EventKind.MAINTENANCE_COMPLETED):
        word = ComponentStatus.OPERATIONAL
    else:
        impact = event.incident.impact if event.incident else "none"
        word = Impact(impact).state if impact in Impact.words() else "degraded_performance"
    return ComponentStatus(word) if word in ComponentStatus.words() else (
        ComponentStatus.DEGRADED_PERFORMANCE)


def message(event: Event, state: PublicState) -> Message:
    """The words of `event`, read from `state` (the new page)."""
    label = status_label(event.status)
    if event.component is not None:
        comp = event.component
        title = comp.name
        headline = f"{comp.name}: {label}"
        body = (f"{comp.name} changed from {status_label(event.old_status).lower()} to "
                f"{label.lower()}.")
        url = f"{state.url}/components/{comp.id}/" if state.url else ""
    else:
        assert event.incident is not None
        title = event.incident.name
        headline = f"{HEADLINES.get(event.kind, label)}: {title}"
        body = event.update.body if event.update else WINDOW_TEXT.get(event.kind, "")
        url = event.incident.shortlink if event.incident.shortlink.startswith("http") else (
            f"{state.url}/incidents/{event.incident.id}/" if state.url else "")
    return Message(headline, title, event.status, label, body, _affected(event, state),
                   event.at, _when(event.at, state), url, state.name, state.url,
                   _state(event))


def text(msg: Message, footer: str = "") -> str:
    """The message as plain text (e-mail, --dry-run)."""
    lines = [msg.headline, "", f"Status: {msg.status_label}"]
    if msg.affected:
        lines.append(f"Affected: {', '.join(msg.affected)}")
    lines.append(f"Posted: {msg.when}")
    if msg.body:
        lines += ["", msg.body]
    if msg.url:
        lines += ["", msg.url]
    if footer:
        lines += ["", "-- ", footer]
    return "\n".join(lines) + "\n"
