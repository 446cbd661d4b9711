"""`oncall.md`: teams, rotation, escalation and who each severity pages, above the prose."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from ...times import human
from .. import md
from ..context import Context
from ..page import Page
from .severity import paged

PATH = "oncall.md"


def pages(ctx: Context) -> Iterable[Page]:
    oc = ctx.handbook.oncall
    if oc is None:
        yield Page(PATH, "On-call", above=md.admonition(
            "note", "No on-call configuration",
            "Add `content/oncall.md` with `teams`, `rotation` and `escalation`."))
        return
    out = []
    if oc.teams:
        owns: dict[str, list[str]] = defaultdict(list)
        for svc in ctx.handbook.services.values():
            if svc.owner:
                owns[svc.owner].append(ctx.link_service(PATH, svc.id))
        rows = [[f'<span id="team-{t.id}"></span>**{md.cell(t.name)}**',
                 md.code(t.channel) if t.channel else "—",
                 ", ".join(owns.get(t.id, [])) or "—"] for t in oc.teams]
        out.append("## Teams\n\n" + md.table(["Team", "Channel", "Owns"], rows))
    if oc.rotation is not None:
        r = oc.rotation
        facts = []
        if r.length:
            facts.append(f"- **Shift length:** {human(r.length)}")
        if r.handoff:
            facts.append(f"- **Handoff:** {md.text(r.handoff)}")
        facts.append(f"- **Secondary:** {'yes' if r.secondary else 'no'}")
        out.append("## Rotation\n\n" + "\n".join(facts) + "\n")
    if oc.escalation:
        rows = [[f"{i}", human(step.after), ctx.link_target(PATH, step.notify)]
                for i, step in enumerate(oc.escalation, 1)]
        out.append("## Escalation path\n\nWhen a page is not acknowledged, it goes on to:\n\n"
                   + md.table(["Step", "After", "Notify"], rows))
    sev = ctx.handbook.severity
    if sev is not None:
        rows = [[ctx.link_level(PATH, lv.id),
                 f"**{human(lv.response_time)}**" if lv.response_time is not None else "—",
                 paged(ctx, lv, PATH, short=False, sep=", ")]
                for lv in sev.levels]
        out.append("## Who is paged, how fast\n\n"
                   + md.table(["Level", "Acknowledge within", "Paged"], rows))
    yield Page(PATH, "On-call", above="\n".join(out))
