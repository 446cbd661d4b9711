"""`oncall.md`: teams, rotation, escalation and who each severity pages, above the prose."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from ...model.oncall import EscalationStep, NamedRotation
from ...times import human
from .. import md
from ..context import Context
from ..page import Page
from .severity import paged

PATH = "oncall.md"


def paths(ctx: Context) -> Iterable[str]:
    """The paths `pages` yields (one, whatever the handbook holds)."""
    return (PATH,)


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
        out.append("## Escalation path\n\nWhen a page is not acknowledged, it goes on to:\n\n"
                   + escalation_table(ctx, oc.escalation))
    if oc.rotations:
        out.append(rotations(ctx, oc.rotations))
    sev = ctx.handbook.severity
    if sev is not None:
        rows = [[ctx.link_level(PATH, lv.id),
                 f"**{human(lv.response_time)}**" if lv.response_time is not None else "—",
                 paged(ctx, lv, PATH, short=False, sep=", ")]
                for lv in sev.levels]
        out.append("## Who is paged, how fast\n\n"
                   + md.table(["Level", "Acknowledge within", "Paged"], rows))
    yield Page(PATH, "On-call", above="\n".join(out))


def _when(ctx: Context, step: EscalationStep) -> str:
    """`every incident`, or `major incidents only (SEV1, SEV2)`."""
    if step.only is None:
        return "every incident"
    sev = ctx.handbook.severity
    major = [ctx.link_level(PATH, lv.id) for lv in sev.levels if lv.major] if sev else []
    return md.text(step.only.lower_label) + (f" ({', '.join(major)})" if major else "")


def escalation_table(ctx: Context, steps: list[EscalationStep]) -> str:
    """The steps in order; a When column once a step is conditional."""
    conditional = any(step.only is not None for step in steps)
    rows = [[f"{i}", human(step.after), ctx.link_target(PATH, step.notify)]
            + ([_when(ctx, step)] if conditional else [])
            for i, step in enumerate(steps, 1)]
    return md.table(["Step", "After", "Notify"] + (["When"] if conditional else []), rows)


def rotations(ctx: Context, rots: list[NamedRotation]) -> str:
    """The rotations table, then each rotation's escalation path."""
    rows = []
    for r in rots:
        rows.append([f'<span id="rotation-{r.id}"></span>**{md.cell(r.title)}**',
                     ctx.link_team(PATH, r.team) if r.team else "—",
                     f"**{r.urgency.label}**: {r.urgency.description}" if r.urgency else "—",
                     human(r.length) if r.length else "—",
                     md.cell(r.handoff) if r.handoff else "—",
                     "yes" if r.secondary else "no"])
    out = ["## Rotations\n\n" + md.table(
        ["Rotation", "Team", "Urgency", "Shift", "Handoff", "Secondary"], rows)]
    for r in rots:
        if r.escalation:
            out.append(f"### Escalation: {md.text(r.title)}\n\nWhen a page of this "
                       "rotation is not acknowledged, it goes on to:\n\n"
                       + escalation_table(ctx, r.escalation))
    return "\n".join(out)
