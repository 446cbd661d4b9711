"""The history pages: past and current incidents and maintenance, newest first, in pages
of `HISTORY_PAGE_SIZE` with month headings (frozen, made from the public view)."""

from __future__ import annotations

from dataclasses import dataclass

from ..model.vocab import MaintenanceStatus
from .view import PublicIncident, PublicView

HISTORY_PAGE_SIZE = 50
"""Incidents per history page (grouped by month inside a page)."""


@dataclass(frozen=True)
class Month:
    label: str
    incidents: tuple[PublicIncident, ...]
    continued: bool = False
    """True when the previous page ends with the same month."""


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


def _months(items: list[PublicIncident], view: PublicView,
            previous: str | None) -> tuple[Month, ...]:
    """`items` under their month headings; `previous` is the month the page before ended
    with (so a month split across pages says it continues)."""
    tz = view.tz
    groups: list[tuple[str, list[PublicIncident]]] = []
    for inc in items:
        label = f"{inc.started_at.astimezone(tz):%B %Y}"
        if not groups or groups[-1][0] != label:
            groups.append((label, []))
        groups[-1][1].append(inc)
    return tuple(Month(label, tuple(incs), continued=(n == 0 and label == previous))
                 for n, (label, incs) in enumerate(groups))


def history_pages(view: PublicView, size: int = HISTORY_PAGE_SIZE) -> tuple[HistoryPage, ...]:
    """Past and current incidents and maintenance, newest first, `size` per page, with
    month headings. Maintenance still to come is on the front page, not in the history."""
    items = [i for i in view.incidents if i.status != MaintenanceStatus.SCHEDULED]
    count = max(1, -(-len(items) // size))
    pages: list[HistoryPage] = []
    for n in range(count):
        previous = pages[-1].months[-1].label if pages and pages[-1].months else None
        months = _months(items[n * size:(n + 1) * size], view, previous)
        pages.append(HistoryPage(n + 1, count, months))
    return tuple(pages)
