"""Durations written as `15m`, `1h30m`, `2d`, `1w` (no spaces, largest unit first)."""

from __future__ import annotations

import re
from datetime import timedelta

_UNITS = {"w": 604800, "d": 86400, "h": 3600, "m": 60, "s": 1}
PATTERN = r"^(?:\d+w)?(?:\d+d)?(?:\d+h)?(?:\d+m)?(?:\d+s)?$"
_RE = re.compile(r"(\d+)([wdhms])")
_FULL = re.compile(PATTERN)


def parse_duration(text: object) -> timedelta:
    """Parse `1h30m` into a timedelta; raise ValueError with the accepted forms."""
    if isinstance(text, timedelta):
        return text
    if not isinstance(text, str) or not text or not _FULL.match(text):
        raise ValueError(
            f"{text!r} is not a duration; write a number and a unit, largest first, "
            "like 15m, 1h30m, 4h, 2d or 1w"
        )
    return timedelta(seconds=sum(int(n) * _UNITS[u] for n, u in _RE.findall(text)))


def format_duration(td: timedelta | None) -> str:
    """Format a timedelta the way it would be written: `1h30m`, `2d`, `0m`."""
    if td is None:
        return ""
    secs = int(td.total_seconds())
    if secs < 0:
        return "-" + format_duration(-td)
    out = ""
    for unit, size in _UNITS.items():
        if unit == "w":
            continue  # weeks read worse than days in reports
        if secs >= size:
            out += f"{secs // size}{unit}"
            secs %= size
    return out or "0m"


def human(td: timedelta | None) -> str:
    """A duration for people: `1 h 30 min`, `3 d 2 h`, `45 min`."""
    if td is None:
        return "—"
    mins = int(td.total_seconds() // 60)
    d, rem = divmod(mins, 1440)
    h, m = divmod(rem, 60)
    parts = []
    if d:
        parts.append(f"{d} d")
    if h:
        parts.append(f"{h} h")
    if m and not d:
        parts.append(f"{m} min")
    return " ".join(parts) or "0 min"
