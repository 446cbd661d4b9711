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
_WHEN = re.compile(r"<small>\s*(\w{3})\s*(?:<var[^>]*>)?(\d{1,2})(?:</var>)?,\s*"
                   r"(?:<var[^>]*>)?(\d{1,2}):(\d\d)(?:</var>)?\s*(\w+)\s*</small>", re.S)
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
    published = _text(entry, "published") or _text(entry, "updated")
    try:
        first = datetime.fromisoformat(published.replace("Z", "+00:00"))
    except ValueError:
        out.note("feed entry without a readable published time; left out", iid)
        return None
    updates = _updates(_text(entry, "content"), first, iid, out)
    if updates is None:
        return None
    if any(u["status"] in ("scheduled", "in_progress", "verifying", "completed")
           for u in updates):
        out.note("maintenance from history.atom has no window in the feed; left out", iid)
        return None
    out.note("from history.atom only: times to the minute, impact and affected components "
             "unknown", iid)
    return {"id": iid, "name": _text(entry, "title") or iid, "status": updates[0]["status"],
            "impact": None, "created_at": updates[-1]["display_at"],
            "updated_at": _text(entry, "updated"), "shortlink": href,
            "incident_updates": updates}


def _updates(content: str, first: datetime, iid: str,
             out: Imported) -> list[dict[str, Any]] | None:
    """Updates newest first; the year comes from the entry's published time, counting back
    one year each time the months wrap."""
    ups: list[dict[str, Any]] = []
    year, last_month = first.astimezone(UTC).year, None
    paras = _PARA.findall(content)
    for para in reversed(paras):  # oldest first, so the year only moves forward
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
        if last_month is not None and month < last_month:
            year += 1
        last_month = month
        at = datetime(year, month, int(day), int(hh), int(mm), tzinfo=UTC)
        body = html.unescape(para[status.end():]).strip()
        word = status.group(1).strip().lower().replace(" ", "_")
        ups.append({"id": None, "status": word, "body": body, "display_at": at.isoformat(),
                    "created_at": at.isoformat()})
    if not ups:
        out.note("feed entry without updates that could be read; left out", iid)
        return None
    return list(reversed(ups))
