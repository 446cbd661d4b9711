"""The history pages: past and current incidents and maintenance, newest first, in pages
of `HISTORY_PAGE_SIZE` with month headings (frozen, made from the public view)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from ..model.vocab import MaintenanceStatus
from .view import PublicIncident, PublicView

HISTORY_PAGE_SIZE = 50
"""Incidents per history page (grouped by month inside a page)."""
RECENT_DAYS = 15
"""The front page lists the incidents of the last 15 days, day by day (as githubstatus)."""


@dataclass(frozen=True)
class Day:
    day: date
    incidents: tuple[PublicIncident, ...]
    """Those that began that day (site time zone), newest first; empty: none reported."""


def _past(view: PublicView) -> list[PublicIncident]:
    """Incidents and maintenance that have begun (maintenance still to come is listed
    as upcoming, not as past)."""
    return [i for i in view.incidents if i.status != MaintenanceStatus.SCHEDULED]


def recent_days(view: PublicView, days: int = RECENT_DAYS) -> tuple[Day, ...]:
    """Today and the `days` - 1 days before it, newest first, with what began on each."""
    tz = view.tz
    today = view.now.astimezone(tz).date()
    by_day: dict[date, list[PublicIncident]] = {}
    for inc in _past(view):
        by_day.setdefault(inc.started_at.astimezone(tz).date(), []).append(inc)
    return tuple(Day(d, tuple(by_day.get(d, ())))
                 for d in (today - timedelta(days=k) for k in range(days)))


@dataclass(frozen=True)
class Month:
    month: date
    """Its first day (the page writes it in its language: `Messages.date(d, "month")`)."""
    incidents: tuple[PublicIncident, ...]
    continued: bool = False
    """True when the previous page ends with the same month."""

    @property
    def label(self) -> str:
        """`March 2026`."""
        return f"{self.month:%B %Y}"


@dataclass(frozen=True)
class HistoryPage:
    number: int
    count: int
    months: tuple[Month, ...]

    @property
    def path(self) -> str:
        return history_path(self.number)

    @property
    def newer(self) -> str | None:
        return history_path(self.number - 1) if self.number > 1 else None

    @property
    def older(self) -> str | None:
        return history_path(self.number + 1) if self.number < self.count else None


def history_path(n: int) -> str:
    return "history/" if n == 1 else f"history/{n}/"


def _month_before(d: date) -> date:
    return (d.replace(day=1) - timedelta(days=1)).replace(day=1)


def _months(items: list[PublicIncident], view: PublicView, previous: date | None,
            first: date | None) -> tuple[Month, ...]:
    """`items` under their month headings, with the months between them that had none
    ("No incidents reported"); `first` is the month the page starts at (the current month
    on the first page), `previous` the month the page before ended with (so a month split
    across pages says it continues)."""
    tz = view.tz
    groups: list[tuple[date, list[PublicIncident]]] = []
    for inc in items:
        month = inc.started_at.astimezone(tz).date().replace(day=1)
        if not groups or groups[-1][0] != month:
            groups.append((month, []))
        groups[-1][1].append(inc)
    out: list[Month] = []
    expected = first
    for month, incs in groups:
        if month == previous:
            expected = month
        while expected is not None and expected > month:
            out.append(Month(expected, ()))
            expected = _month_before(expected)
        continued = not out and month == previous
        out.append(Month(month, tuple(incs), continued=continued))
        expected = _month_before(month)
    return tuple(out)


def history_pages(view: PublicView, size: int = HISTORY_PAGE_SIZE) -> tuple[HistoryPage, ...]:
    """Past and current incidents and maintenance, newest first, `size` per page, with
    month headings; months without any say so. Maintenance still to come is on the front
    page, not in the history."""
    items = _past(view)
    count = max(1, -(-len(items) // size))
    pages: list[HistoryPage] = []
    previous: date | None = None
    for n in range(count):
        chunk = items[n * size:(n + 1) * size]
        first = (view.now.astimezone(view.tz).date().replace(day=1) if previous is None
                 else _month_before(previous))
        months = _months(chunk, view, previous, first)
        pages.append(HistoryPage(n + 1, count, months))
        if chunk:
            previous = chunk[-1].started_at.astimezone(view.tz).date().replace(day=1)
    return tuple(pages)
