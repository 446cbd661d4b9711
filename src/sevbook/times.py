"""Time in one place: reading `--now`/`SEVBOOK_NOW`, writing timestamps, site-zone clocks,
and durations (`15m`, `1h30m`, `2d`, `1w`).

Every command, page and feed formats times through these functions, so a `--now` given
with an offset (`2026-03-02T15:18:00+01:00`) means the same instant everywhere.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

# ------------------------------------------------------------------ reading instants
TIMESTAMP_HINT = "use ISO 8601 like 2026-03-02T14:18:00Z"


def parse_instant(text: str) -> datetime:
    """An ISO 8601 timestamp with an offset, or a bare date (midnight UTC): what `--now`,
    `--at` and `SEVBOOK_NOW` accept. Raise ValueError with the fix."""
    raw = str(text).strip()
    try:
        dt = datetime.fromisoformat(raw.replace("Z", "+00:00").replace("z", "+00:00"))
    except ValueError:
        raise ValueError(f"{text!r} is not a timestamp; {TIMESTAMP_HINT}") from None
    if dt.tzinfo is None:
        if len(raw) == 10:  # a date: midnight UTC
            return dt.replace(tzinfo=UTC)
        raise ValueError(f"{text!r} has no UTC offset; write it like 2026-03-02T14:18:00Z")
    return dt


def current(now: datetime | None = None) -> datetime:
    """`now` if given, else the current time (aware, UTC)."""
    return now or datetime.now(UTC)


# ------------------------------------------------------------------ writing instants
def utc_z(t: datetime) -> str:
    """`2026-03-02T14:18:00Z`: the instant in UTC, to the second."""
    return t.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def utc_precise(t: datetime) -> str:
    """UTC with `Z` and only the precision the instant has: `...14:18:00Z`,
    `...14:18:00.967Z` (milliseconds, as Statuspage writes them) or microseconds."""
    t = t.astimezone(UTC)
    if not t.microsecond:
        return utc_z(t)
    if t.microsecond % 1000 == 0:
        return t.strftime("%Y-%m-%dT%H:%M:%S.") + f"{t.microsecond // 1000:03d}Z"
    return t.strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def utc_iso(t: datetime) -> str:
    """The instant in UTC with `Z`, keeping sub-second precision when it has one."""
    return t.astimezone(UTC).isoformat().replace("+00:00", "Z")


def as_written(t: datetime) -> str:
    """A timestamp as people write it in frontmatter: its own offset, `Z` for UTC."""
    return t.isoformat().replace("+00:00", "Z")


def utc_minute(t: datetime) -> str:
    """`2026-03-02 14:18 UTC`."""
    return t.astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC")


def utc_date(t: datetime) -> date:
    return t.astimezone(UTC).date()


def day_start(d: date, tz: ZoneInfo | timezone = UTC) -> datetime:
    """Midnight at the start of day `d` in `tz`, as a UTC instant."""
    return datetime(d.year, d.month, d.day, tzinfo=tz).astimezone(UTC)


# ------------------------------------------------------------------ the site's zone
def zone(name: str) -> ZoneInfo:
    """The IANA zone `name`; raise ValueError with an example when it is not one."""
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, TypeError):
        raise ValueError(f"{name!r} is not an IANA time zone name; use e.g. UTC or "
                         "Europe/Berlin") from None


class Clock:
    """Times for people in one zone, with the zone named (CET, CEST, UTC…)."""

    def __init__(self, tz: ZoneInfo | str) -> None:
        self.tz = tz if isinstance(tz, ZoneInfo) else zone(tz)

    def local(self, t: datetime) -> datetime:
        return t.astimezone(self.tz)

    def local_date(self, t: datetime) -> date:
        return t.astimezone(self.tz).date()

    def time(self, t: datetime | None) -> str:
        """`2026-03-02 15:18 CET`."""
        if t is None:
            return "—"
        local = t.astimezone(self.tz)
        return f"{local:%Y-%m-%d %H:%M} {local.tzname()}"

    def clock(self, t: datetime, day: date | None = None) -> str:
        """`15:18 CET`, with the date when it is not `day`."""
        local = t.astimezone(self.tz)
        if day is not None and local.date() == day:
            return f"{local:%H:%M} {local.tzname()}"
        return self.time(t)

    def zone_names(self, year: int) -> str:
        """The zone's abbreviations in `year`, winter first: `CET/CEST`, `UTC`; for a
        placeholder like `<HH:MM CET/CEST>` that is right all year."""
        names: list[str] = []
        for month in (1, 7):
            name = datetime(year, month, 1, 12, tzinfo=self.tz).tzname() or str(self.tz)
            if name not in names:
                names.append(name)
        return "/".join(names)

    def long(self, t: datetime) -> str:
        """`2 Mar 2026, 15:18 CET`."""
        local = t.astimezone(self.tz)
        return f"{local.day} {local:%b %Y, %H:%M} {local:%Z}"

    def short(self, t: datetime) -> str:
        """`2 Mar, 15:18 CET`."""
        local = t.astimezone(self.tz)
        return f"{local.day} {local:%b, %H:%M} {local:%Z}"


# ------------------------------------------------------------------ durations
_UNITS = {"w": 604800, "d": 86400, "h": 3600, "m": 60, "s": 1}
DURATION_PATTERN = r"^(?:\d+w)?(?:\d+d)?(?:\d+h)?(?:\d+m)?(?:\d+s)?$"
_UNIT_RE = re.compile(r"(\d+)([wdhms])")
_DURATION_RE = re.compile(DURATION_PATTERN)
MAX_DURATION = timedelta(days=3650)
"""Longest duration accepted (ten years): anything longer is a typo, and would overflow
date arithmetic (`99999999999w`)."""


def parse_duration(text: object) -> timedelta:
    """Parse `1h30m` into a timedelta; raise ValueError with the accepted forms."""
    if isinstance(text, timedelta):
        return text
    if not isinstance(text, str) or not text or not _DURATION_RE.match(text):
        raise ValueError(
            f"{text!r} is not a duration; write a number and a unit, largest first, "
            "like 15m, 1h30m, 4h, 2d or 1w"
        )
    seconds = sum(int(n) * _UNITS[u] for n, u in _UNIT_RE.findall(text))
    if seconds > MAX_DURATION.total_seconds():
        raise ValueError(f"{text!r} is longer than ten years; write a shorter duration, "
                         "like 90d or 52w")
    return timedelta(seconds=seconds)


def add_business(start: datetime, span: timedelta, workdays: frozenset[int]) -> datetime:
    """`start` plus `span`, where each whole day of `span` is a day of the work week
    (`workdays`: `date.weekday()` numbers) and the rest is added as it is. Five business
    days from a Friday end the next Friday."""
    days, rest = divmod(span, timedelta(days=1))
    t = start
    while days > 0:
        t += timedelta(days=1)
        if t.weekday() in workdays:
            days -= 1
    return t + rest


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


def whole_minutes(value: timedelta | float) -> int:
    """A duration (a timedelta, or minutes) in whole minutes, to the nearest one (halves
    to even, as `round` does). Every duration people read goes through here, so the
    incident page and the metrics report never differ by rounding."""
    mins = value.total_seconds() / 60 if isinstance(value, timedelta) else value
    return int(round(mins))


def duration_text(value: timedelta | float | None, compact: bool = False) -> str:
    """The one duration formatter for people, to the minute: `1 h 30 min`, `3 d 2 h`,
    `45 min`, `1 d 11 min` (24 h 11 min is not "1 d"); with `compact`, the report's
    table form `42m`, `1h05m`, `1d00h14m`. `value` is a timedelta or minutes; None is
    `—`."""
    if value is None:
        return "—"
    mins = whole_minutes(value)
    if mins < 0:
        return "-" + duration_text(-mins, compact)
    d, rem = divmod(mins, 1440)
    h, m = divmod(rem, 60)
    if compact:
        if mins < 60:
            return f"{m}m"
        if not d:
            return f"{h}h{m:02d}m"
        return f"{d}d{h:02d}h" + (f"{m:02d}m" if m else "")
    parts = [f"{n} {unit}" for n, unit in ((d, "d"), (h, "h"), (m, "min")) if n]
    return " ".join(parts) or "0 min"


def human(td: timedelta | None) -> str:
    """A duration for people: `duration_text` of a timedelta."""
    return duration_text(td)
