"""`postmortems.md`: postmortems owed (overdue first), then recently published ones."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from ...model import Incident
from ...model.vocab import PostmortemStatus
from .. import md
from ..context import Context
from ..page import Page

PATH = "postmortems.md"
RECENT = 10


def paths(ctx: Context) -> Iterable[str]:
    """The paths `pages` yields (one, whatever the handbook holds)."""
    return (PATH,)


def pages(ctx: Context) -> Iterable[Page]:
    owed: list[tuple[bool, datetime, Incident]] = []
    published: list[Incident] = []
    for inc in ctx.handbook.incidents.values():
        if inc.is_maintenance:
            continue
        if PostmortemStatus(inc.postmortem.status).final:
            published.append(inc)
            continue
        level = ctx.handbook.level(inc.severity)
        due = inc.postmortem_due(level)
        if due is not None:
            owed.append((inc.postmortem_overdue(level, ctx.now), due, inc))
    owed.sort(key=lambda t: (not t[0], t[1], t[2].id))
    out = []
    n_late = sum(1 for o, _, _ in owed if o)
    if owed:
        out.append(f"**{len(owed)} postmortem(s) owed, {n_late} overdue.** The severity sets "
                   f"when each is due after resolution (see "
                   f"{md.link('severity levels', ctx.rel(PATH, 'severity.md'))}).\n")
        rows = [[md.badge("overdue", "overdue") if late else md.badge("due", "open"),
                 str(ctx.local_date(due)), ctx.link_incident(PATH, inc),
                 ctx.link_level(PATH, inc.severity), ctx.time(inc.resolved_at),
                 PostmortemStatus(inc.postmortem.status).lower_label, md.cell(inc.postmortem.owner or "—")]
                for late, due, inc in owed]
        out.append("## Due and overdue\n\n" + md.table(
            ["", "Due", "Incident", "Severity", "Resolved", "Status", "Owner"], rows))
    else:
        out.append("No postmortem is owed. ✓\n")
    open_required = [i for i in ctx.incidents_newest_first if not i.is_maintenance
                     and i.resolved_at is None and _required(ctx, i)]
    if open_required:
        out.append("## Owed once resolved\n\n" + md.bullets(
            f"{ctx.link_incident(PATH, i)} ({ctx.link_level(PATH, i.severity)}, still open)"
            for i in open_required))
    if published:
        recent = sorted(published, key=lambda i: (i.resolved_at or ctx.now, i.id),
                        reverse=True)[:RECENT]
        out.append("## Recently published\n\n" + md.bullets(
            f"{ctx.link_incident(PATH, i)} ({ctx.link_level(PATH, i.severity)}, "
            f"{md.text(i.postmortem.owner or 'no owner')})" for i in recent))
    yield Page(PATH, "Postmortems", above="\n".join(out), wide=True)


def _required(ctx: Context, inc: Incident) -> bool:
    lv = ctx.handbook.level(inc.severity)
    return lv is not None and lv.postmortem.required
