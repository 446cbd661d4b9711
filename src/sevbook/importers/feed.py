"""Statuspage's `history.atom`: incidents older than the API's last 50.

Each entry is one incident; its content is the updates, newest first, as HTML paragraphs
`<small>Nov <var>25</var>, <var>15:50</var> UTC</small><br><strong>Resolved</strong> - text`.
They are read back into the shape of an API incident so `statuspage.py` maps both the same
way. What the feed does not carry: seconds, the impact, affected components and, for
maintenance, the window; entries are read only when their times are in UTC (the zone the
page is set to is named after each time).
"""

from __future__ import annotations

import html
import re
import xml.etree.ElementTree as ET
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from ..errors import SevbookError
from .records import Imported

ATOM = "{http://www.w3.org/2005/Atom}"
_PARA = re.compile(r"<p>(.*?)</p>", re.S)
_WHEN = re.compile(r"<small>\s*(\w{3})\s*(?:<var[^>]*>)?\s*(\d{1,2})\s*(?:</var>)?,\s*"
                   r"(?:<var[^>]*>)?\s*(\d{1,2}):(\d\d)\s*(?:</var>)?\s*(\w+)\s*</small>",
                   re.S)
_STATUS = re.compile(r"<strong>\s*([^<]+?)\s*</strong>\s*-\s*", re.S)
_MONTHS = {m: i for i, m in enumerate("Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec".split(),
                                      start=1)}


def read_feed(path: Path, out: Imported) -> list[dict[str, Any]]:
    """Incidents of a saved `history.atom`, as API-shaped dicts (maintenance is left out:
    the feed has no window)."""
    try:
        root = ET.parse(path).getroot()
    except (OSError, ET.ParseError) as e:
        raise SevbookError(f"{path} is not a readable Atom feed ({e})") from None
    found = []
    for entry in root.iter(f"{ATOM}entry"):
        inc = _entry(entry, out)
        if inc is not None:
            found.append(inc)
    return found


def _text(entry: ET.Element, tag: str) -> str:
    el = entry.find(f"{ATOM}{tag}")
    return (el.text or "").strip() if el is not None else ""


def _entry(entry: ET.Element, out: Imported) -> dict[str, Any] | None:
    link = entry.find(f"{ATOM}link")
    href = link.get("href", "") if link is not None else ""
    iid = href.rstrip("/").rsplit("/", 1)[-1] or _text(entry, "id")
    stamp = _text(entry, "updated") or _text(entry, "published")
    try:
        anchor = datetime.fromisoformat(stamp.replace("Z", "+00:00"))
    except ValueError:
        out.note("feed entry without a readable updated time; left out", iid)
        return None
    updates = _updates(_text(entry, "content"), anchor, iid, out)
    if updates is None:
        return None
    if any(u["status"] in ("scheduled", "in_progress", "verifying", "completed")
           for u in updates):
        out.note("maintenance from history.atom has no window in the feed; left out", iid)
        return None
    out.note("from history.atom only: times to the minute, impact and affected components "
             "unknown", iid)
    return {"id": iid, "name": _text(entry, "title") or iid, "status": updates[-1]["status"],
            "impact": None, "created_at": updates[0]["display_at"],
            "updated_at": _text(entry, "updated"), "shortlink": href,
            "incident_updates": updates}


def _updates(content: str, anchor: datetime, iid: str,
             out: Imported) -> list[dict[str, Any]] | None:
    """Updates oldest first (the feed lists them newest first). The times carry no year: the newest
    update's is the year of `anchor` (the entry's `updated`, which is at or after every
    update), or the one before when that would put it after the anchor; going back, one
    year less each time the months wrap. An "Update" paragraph (Statuspage's label for an
    update that kept the status) takes the status of the update before it."""
    ups: list[dict[str, Any]] = []
    year, newer_month = anchor.astimezone(UTC).year, None
    for para in _PARA.findall(content):  # newest first, so the year only moves back
        when, status = _WHEN.search(para), _STATUS.search(para)
        if when is None or status is None:
            continue
        mon, day, hh, mm, zone = when.groups()
        if zone.upper() not in ("UTC", "GMT"):
            out.note(f"history.atom times are in {zone}, not UTC; entry left out", iid)
            return None
        month = _MONTHS.get(mon[:3].title(), 0)
        if not month:
            continue
        if newer_month is None and (month, int(day)) > _month_day(anchor):
            year -= 1
        elif newer_month is not None and month > newer_month:
            year -= 1
        newer_month = month
        try:
            at = datetime(year, month, int(day), int(hh), int(mm), tzinfo=UTC)
        except ValueError:
            continue  # e.g. Feb 29 in the year the counting gave: not a real time
        body = html.unescape(para[status.end():]).strip()
        word = status.group(1).strip().lower().replace(" ", "_")
        ups.append({"id": None, "status": word, "body": body, "display_at": at.isoformat(),
                    "created_at": at.isoformat()})
    if not ups:
        out.note("feed entry without updates that could be read; left out", iid)
        return None
    ups.reverse()  # oldest first: updates of one minute keep their order when sorted
    _carry_statuses(ups)
    return ups


def _month_day(t: datetime) -> tuple[int, int]:
    t = t.astimezone(UTC)
    return t.month, t.day


def _carry_statuses(ups: list[dict[str, Any]]) -> None:
    """Give each "Update" (oldest first in `ups`) the status of the update before it;
    investigating when it is the first."""
    status = "investigating"
    for u in ups:
        if u["status"] == "update":
            u["status"] = status
        status = u["status"]
