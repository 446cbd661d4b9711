"""The page of a restricted incident: a stub in the handbook every reader gets, and a notice
on the full page of the restricted build (`sevbook build --restricted`).

The stub page is made from the stub model (`audience.stub`), so it could not show more
even by mistake; it lists what a responder needs to find the incident and its people.
"""

from __future__ import annotations

from ...model import Incident
from ...model.record import role_text
from .. import md
from ..context import Context

BADGE = md.badge("restricted", "restricted")


def how_to_read(ctx: Context) -> str:
    """Where the full record is: the restricted build, or the incident's responders."""
    folder = ctx.handbook.settings.restricted_dir.strip("/")
    return ("Responders read it in the restricted handbook: `sevbook build --restricted` "
            f"builds it into `{folder}/` (or `sevbook serve --restricted` previews it) from "
            "the same repository; never publish that folder. Otherwise ask the people "
            "listed here.")


def stub_facts(ctx: Context, inc: Incident, here: str) -> list[str]:
    """The stub's bullets: id, severity, times, status, role holders, postmortem owner."""
    facts = [f"- **Id:** {md.code(inc.id)}"]
    lv = ctx.handbook.level(inc.severity)
    if lv is not None:
        facts.append(f"- **Severity:** {ctx.link_level(here, lv.id)} — {md.text(lv.name)}")
    begins = inc.started_at or inc.scheduled_for
    facts.append(f"- **Started:** {ctx.time(begins) if begins else '—'}")
    facts.append("- **Resolved:** " + (ctx.time(inc.resolved_at) if inc.resolved_at
                                      else "no — still open"))
    for rid, holder in inc.roles.items():
        role = ctx.handbook.roles.get(rid)
        name = role.name if role is not None else rid
        facts.append(f"- **{md.text(name)}:** {md.text(role_text(holder))}")
    if inc.postmortem.owner:
        facts.append(f"- **Postmortem owner:** {md.text(inc.postmortem.owner)}")
    return facts


def stub_page(ctx: Context, inc: Incident, badges: str) -> str:
    """The whole page of a restricted incident in the handbook every reader gets."""
    here = ctx.incident_uri(inc)
    note = md.admonition(
        "warning", "Restricted incident",
        "This incident is kept to its responders. Its title, summary, timeline, updates, "
        "postmortem, action items, links, labels and custom fields are not in this "
        "handbook and not in its search. " + how_to_read(ctx))
    return (f"{badges} {BADGE}\n\n" + "\n".join(stub_facts(ctx, inc, here)) + "\n\n" + note)


def full_notice(ctx: Context, inc: Incident) -> str:
    """On the full page in the restricted build: what everyone else sees of it."""
    if not inc.restricted:
        return ""
    return md.admonition(
        "danger", "Restricted incident",
        "Kept to its responders: the handbook everyone reads shows only a stub (id, "
        "severity, times, status, people). This page is part of the restricted build; do "
        "not publish it.")
