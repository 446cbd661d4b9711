"""`action-items.md`: every open action item, grouped by owning team, overdue ones first."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import date

from ...model import ActionItem, Incident
from ...model.vocab import ActionItemStatus
from .. import md
from ..context import Context
from ..page import Page

PATH = "action-items.md"
OPEN = ActionItemStatus.OPEN
OPEN_BADGE = md.badge(OPEN.lower_label, OPEN.css_state)
OVERDUE_BADGE = md.badge("overdue", "overdue")


def paths(ctx: Context) -> Iterable[str]:
    """The paths `pages` yields (one, whatever the handbook holds)."""
    return (PATH,)


def pages(ctx: Context) -> Iterable[Page]:
    groups: dict[str, list[tuple[bool, ActionItem, Incident]]] = defaultdict(list)
    for inc in ctx.handbook.incidents.values():
        overdue = inc.overdue_action_items(ctx.today)
        for j, ai in enumerate(inc.action_items):
            if ai.status == OPEN:
                groups[ai.owner or ""].append((j in overdue, ai, inc))
    if not groups:
        yield Page(PATH, "Open action items", above="No open action items. ✓\n")
        return
    total = sum(len(v) for v in groups.values())
    late = sum(1 for v in groups.values() for o, _, _ in v if o)

    def group_key(owner: str) -> tuple:
        items = groups[owner]
        return (-sum(1 for o, _, _ in items if o), owner == "", _team_name(ctx, owner).lower())

    out = [f"**{total} open action item(s), {late} overdue**, from postmortems. Overdue items "
           "come first in each team.\n"]
    for owner in sorted(groups, key=group_key):
        items = sorted(groups[owner], key=lambda t: (not t[0], t[1].due or date.max, t[2].id))
        n_late = sum(1 for o, _, _ in items if o)
        anchor = f"owner-{owner or 'unassigned'}"
        head = f"## {md.text(_team_name(ctx, owner))}"
        head += f" {{ #{anchor} }}\n\n"
        if owner and owner in ctx.handbook.teams:
            head += f"Team page: {ctx.link_team(PATH, owner)}. "
        head += f"{len(items)} open" + (f", **{n_late} overdue**" if n_late else "") + ".\n\n"
        rows = []
        for is_late, ai, inc in items:
            title = md.cell(ai.title)
            if ai.link:
                title = md.link(title, ai.link)
            rows.append([
                OVERDUE_BADGE if is_late else OPEN_BADGE,
                str(ai.due) if ai.due else "no date",
                title,
                md.cell(ai.type or "—"),
                ctx.link_incident(PATH, inc),
            ])
        out.append(head + md.table(["Status", "Due", "Action", "Type", "From incident"], rows))
    yield Page(PATH, "Open action items", above="\n".join(out), wide=True)


def _team_name(ctx: Context, owner: str) -> str:
    if not owner:
        return "Unassigned"
    team = ctx.handbook.teams.get(owner)
    return team.name if team is not None else owner
