"""Daily uptime bars and uptime % for public components.

DESIGN.md's formula, per day (a calendar day in the site's time zone) and per window:

    uptime = 1 − (major_outage minutes + 0.3 × partial_outage minutes) / minutes observed

* The minutes in each state come from `sevbook.impact` (the one place that turns incidents
  into impact spans, shared with the error budgets), restricted to public incidents.
  Overlapping incidents count once; the worst state wins.
* Each state's weight is `ComponentStatus.weight`: `degraded_performance` and
  `under_maintenance` weigh 0, as on Atlassian Statuspage (the service works, slowly, or
  the downtime was announced). Their minutes are still shown.
* Minutes observed: the part of the day after the component's `since` and before `now`.
  A day entirely before `since` has "no data" and is left out of the window's total.

Works on sorted, non-overlapping spans with one forward sweep (no per-minute loops), so
10,000 incidents cost milliseconds. The results are frozen: the public view
(`sevbook.status.public`) computes them once, while it is built.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from types import MappingProxyType
from zoneinfo import ZoneInfo

from ..i18n import N_, source_words
from ..impact import Interval
from ..model.vocab import ComponentStatus
from ..times import day_start

DAYS = 90
FORMULA = N_("Uptime = 1 − (major outage minutes + 0.3 × partial outage minutes) ÷ minutes "
           "observed, per day in the page's time zone. Degraded performance and maintenance "
           "do not count as downtime. Days before a component was first monitored show "
           "“no data” and are left out.")
NO_DATA = "no_data"
"""The state of a day before the component was monitored (not a component status)."""
NO_DATA_BAR = "n"
"""Its bar class (component states have theirs in `ComponentStatus.bar`)."""

CalendarDay = tuple[date, datetime, datetime]
"""A calendar day and its [start, end) in UTC."""


def format_pct(value: float | None) -> str:
    """Two decimals, rounded down, so 99.999 % never shows as 100.00 %."""
    return source_words().pct(value)


def day_bounds(d: date, tz: ZoneInfo) -> tuple[datetime, datetime]:
    """[start, end) of a calendar day in `tz`, in UTC (23 or 25 hours on DST changes)."""
    return day_start(d, tz), day_start(d + timedelta(days=1), tz)


@dataclass(frozen=True)
class DayBar:
    day: date
    state: str
    """Worst state seen that day (a `ComponentStatus`), or `NO_DATA`."""
    minutes: Mapping[str, float]
    """Minutes per non-operational state."""
    observed: float
    uptime: float | None

    @property
    def affected(self) -> int:
        return round(sum(self.minutes.values()))

    @property
    def css(self) -> str:
        return NO_DATA_BAR if self.state == NO_DATA else ComponentStatus(self.state).bar

    @property
    def label(self) -> str:
        """`Mon 02 Mar 2026: partial outage, 42 min affected (partial outage 42 min),
        97.08%` (in English; a page writes it in its language: `Messages.day_label`)."""
        return source_words().day_label(self)


@dataclass(frozen=True)
class ComponentUptime:
    days: tuple[DayBar, ...]
    observed: float
    weighted: float

    @property
    def value(self) -> float | None:
        return None if self.observed <= 0 else max(0.0, 1 - self.weighted / self.observed)

    @property
    def pct(self) -> str:
        return format_pct(self.value)


def _minutes(spans: Sequence[Interval], start: datetime, end: datetime,
             i: int) -> tuple[dict[str, float], int]:
    """Minutes per state within [start, end) from sorted, non-overlapping `spans`,
    starting the scan at index `i`; returns the index to resume from for the next day."""
    out: dict[str, float] = {}
    n = len(spans)
    while i < n and spans[i].end <= start:
        i += 1
    j = i
    while j < n and spans[j].start < end:
        sp = spans[j]
        lo = sp.start if sp.start > start else start
        hi = sp.end if sp.end < end else end
        if hi > lo:
            out[sp.state] = out.get(sp.state, 0.0) + (hi - lo).total_seconds() / 60
        j += 1
    return out, i


def calendar_days(today: date, tz: ZoneInfo, days: int) -> list[CalendarDay]:
    """The last `days` calendar days up to `today`, with their [start, end) in UTC."""
    first = today - timedelta(days=days - 1)
    return [(d, *day_bounds(d, tz)) for d in (first + timedelta(days=k) for k in range(days))]


def component_uptime(spans: Sequence[Interval], since: date | None, today: date,
                     tz: ZoneInfo, now: datetime, days: int = DAYS,
                     calendar: Sequence[CalendarDay] | None = None) -> ComponentUptime:
    """The daily bars and window totals of one component's merged `spans`."""
    bars: list[DayBar] = []
    total_obs = total_w = 0.0
    i = 0
    for d, start, end in calendar or calendar_days(today, tz, days):
        if since is not None and d < since:
            bars.append(DayBar(d, NO_DATA, MappingProxyType({}), 0.0, None))
            continue
        end = min(end, now)
        observed = max(0.0, (end - start).total_seconds() / 60)
        mins, i = _minutes(spans, start, end, i)
        weighted = sum(ComponentStatus(s).weight * m for s, m in mins.items())
        state = ComponentStatus.worst(mins)
        up = None if observed <= 0 else max(0.0, 1 - weighted / observed)
        bars.append(DayBar(d, state, MappingProxyType(mins), observed, up))
        total_obs += observed
        total_w += weighted
    return ComponentUptime(tuple(bars), total_obs, total_w)
