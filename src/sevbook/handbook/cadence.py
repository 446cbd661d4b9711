"""The update cadence an open public incident owes, in words for the banner and its page:
"last public update 2 h 10 min ago — SEV1 promises one every 30 min; overdue" and "next
update due 14:30 CET" (from `Incident.next_update_due`, the obligation `check` warns on)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from ..model import Incident
from ..times import human
from .context import Context


@dataclass(frozen=True)
class Cadence:
    level: str
    every: timedelta
    last: datetime
    due: datetime
    now: datetime

    @property
    def overdue(self) -> bool:
        return self.now > self.due

    def last_text(self) -> str:
        """`last public update 2 h 10 min ago — SEV1 promises one every 30 min; overdue`."""
        text = (f"last public update {human(self.now - self.last)} ago — {self.level} "
                f"promises one every {human(self.every)}")
        return text + ("; overdue" if self.overdue else "")

    def due_text(self, ctx: Context) -> str:
        """`next update due 14:30 CET` (with the date when it is not today), or since when
        it is overdue."""
        when = ctx.clock(self.due, ctx.local_date(self.now))
        if self.overdue:
            return f"next update was due {when} ({human(self.now - self.due)} ago)"
        return f"next update due {when}"


def cadence(ctx: Context, inc: Incident) -> Cadence | None:
    """What an open public incident owes now; None when it owes no update (private,
    resolved, maintenance, no updates yet, or a level without `update_every`)."""
    if not ctx.is_open(inc):
        return None
    level = ctx.handbook.level(inc.severity)
    due = inc.next_update_due(level)
    if due is None or level is None or level.update_every is None:
        return None
    last = inc.updates[-1].at
    return Cadence(level.id, due - last, last, due, ctx.now)
