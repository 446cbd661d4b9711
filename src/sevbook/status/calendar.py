"""`maintenance.ics`: every public maintenance window as a subscribable iCalendar.

Each window is one VEVENT whose UID is derived from the opaque public id, so calendar
clients update the event in place when the window moves. DTSTAMP and LAST-MODIFIED come
from the latest public update (never the build time), so the file is reproducible, and
SEQUENCE counts the updates so clients see that an event changed.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlparse

from icalendar import Calendar, Event

from .view import PublicView, by_window


def calendar(site: PublicView) -> Calendar:
    host = urlparse(site.url).hostname or "sevbook.invalid"
    cal = Calendar()
    cal.add("prodid", "-//sevbook//status page//EN")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    words = site.words
    cal.add("x-wr-calname", words.gettext("%(title)s: maintenance") % {"title": site.title})
    cal.add("x-wr-timezone", site.timezone)
    for m in by_window(site.maintenance):
        if m.scheduled_for is None or m.scheduled_until is None:
            continue
        ev = Event()
        ev.add("uid", f"{m.id}@{host}")
        ev.add("dtstamp", m.updated_at)
        ev.add("last-modified", m.updated_at)
        ev.add("created", m.created_at)
        ev.add("sequence", len(m.updates) - 1)
        ev.add("dtstart", m.scheduled_for)
        ev.add("dtend", m.scheduled_until)
        ev.add("summary", m.name)
        names = words.gettext(", ").join(site.component_by_id[c].name
                                         for c in m.component_ids)
        text = m.latest.text
        desc = words.gettext("Status: %(status)s.") % {"status": words.label(m.status)}
        if names:
            desc += "\n" + words.gettext("Affected: %(list)s.") % {"list": names}
        if text:
            desc += f"\n\n{text}"
        ev.add("description", desc)
        ev.add("status", "CONFIRMED")
        ev.add("transp", "TRANSPARENT")
        if site.url:
            ev.add("url", site.absolute(m.path))
        cal.add_component(ev)
    return cal


def write_calendar(site: PublicView, out_dir: Path) -> None:
    (out_dir / "maintenance.ics").write_bytes(calendar(site).to_ical())
