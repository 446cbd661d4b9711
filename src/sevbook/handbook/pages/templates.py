"""`templates.md`: copy-ready status update, SBAR and postmortem texts per severity."""

from __future__ import annotations

from collections.abc import Iterable

from ...model import Handbook, postmortem
from ...model.severity import Level
from ...model.vocab import (
    Audience,
    ComponentStatus,
    IncidentStatus,
    PostmortemStatus,
    SeverityImpact,
)
from ...times import Clock, human
from .. import md
from ..context import Context
from ..page import Page

PATH = "templates.md"


def _fence(body: str, lang: str = "text") -> str:
    return f"``` {lang}\n{body.rstrip()}\n```\n"


def _roles(hb: Handbook, level: Level) -> str:
    names = []
    for rid in level.roles:
        role = hb.roles.get(rid)
        names.append(f"{role.short or role.name if role else rid}: <name>")
    return " · ".join(names) or "IC: <name>"


def status_update(hb: Handbook, level: Level, zone: str = "UTC") -> str:
    """The update templates of one level; `zone` names times the way the pages show them
    (`status.timezone`, e.g. `CET/CEST`)."""
    customers = level.cadence(Audience.CUSTOMERS)
    every = human(customers) if customers else "as things change"
    internal = (
        f"[{level.id} · {level.name}] <one line: who cannot do what>\n"
        f"Status: {' | '.join(IncidentStatus.words())}\n"
        f"Impact: <which customers, which journeys, since when (HH:MM {zone})>\n"
        "What we know: <facts only; say what is still unknown>\n"
        "What we are doing: <current action and who owns it>\n"
        f"Next update: in {every} (by <HH:MM {zone}>)\n"
        f"{_roles(hb, level)}\n"
    )
    out = f"### {md.text(level.id)} · {md.text(level.name)}\n\n"
    respond = (f" Respond within **{human(level.response_time)}**."
               if level.response_time is not None else "")
    out += (f"Update every **{every}**.{respond}\n\n"
            f"**Internal** (incident channel):\n\n{_fence(internal)}\n")
    if level.public_impact != SeverityImpact.NONE:
        public = (
            "We are investigating <a problem> with <component as customers know it>. "
            "<What customers see and what they can do meanwhile.> "
            f"We will post the next update within {every}.\n"
        )
        out += (f"**Public** (status page; affected components default to "
                f"*{ComponentStatus(level.component_status).lower_label}*):\n\n{_fence(public)}\n"
                "Post it with:\n\n"
                + _fence('sevbook update INCIDENT-ID --status investigating --message "…"',
                         "sh") + "\n")
    else:
        out += "No public update is expected at this level.\n\n"
    return out


SBAR = """\
Situation:      [{id} · {name}] <what is happening now, in one sentence>
                Impact: <who is affected, how many, since when>
Background:     <what changed or what led here: deploys, traffic, dependencies>
Assessment:     <what we believe is the cause and how confident we are;
                 what happens if we do nothing>
Recommendation: <the decision or help we need, from whom, by when>
                Next update: {every}
"""

POSTMORTEM_KEYS = """\
---
title: <internal title>
severity: {id}
# ... keep the incident's keys; fill these in:
postmortem:
  status: draft            # {statuses}
  owner: <person>
  public_summary: >-
    <what customers experienced, when, and what we changed; no names, no internals>
action_items:
  - {{title: <action>, owner: <team>, due: YYYY-MM-DD, status: open, type: prevent}}
---

"""


def postmortem_skeleton(hb: Handbook, level_id: str) -> str:
    """The postmortem as `sevbook new incident` starts it: the keys to fill in, then the
    body (the repository's `templates/postmortem.md`, else the built-in sections)."""
    keys = POSTMORTEM_KEYS.format(id=level_id, statuses=postmortem.status_words(" | "))
    return keys + postmortem.body(hb.settings.root)


def _postmortem_source(hb: Handbook) -> str:
    if postmortem.repository_template(hb.settings.root) is not None:
        return (f"The sections come from this repository's `{postmortem.TEMPLATE}`; "
                "`sevbook new incident` writes the same ones.")
    return (f"These are the built-in sections; `sevbook new incident` writes the same ones. "
            f"Put your own in `{postmortem.TEMPLATE}` (next to mkdocs.yml) to replace them.")


def paths(ctx: Context) -> Iterable[str]:
    """The paths `pages` yields (one, whatever the handbook holds)."""
    return (PATH,)


def pages(ctx: Context) -> Iterable[Page]:
    hb = ctx.handbook
    sev = hb.severity
    out = ["Copy a template, fill in the `<…>` parts, and send it. The details come from "
           f"the {md.link('severity levels', ctx.rel(PATH, 'severity.md'))}.\n"]
    if sev is None:
        yield Page(PATH, "Templates", above=out[0] + "\nNo severity levels are defined yet.\n")
        return
    out.append("## Status update\n")
    zone = Clock(hb.settings.status.timezone).zone_names(ctx.now.year)
    for lv in sev.levels:
        out.append(status_update(hb, lv, zone))
    first = sev.levels[0]
    customers = first.cadence(Audience.CUSTOMERS)
    every = human(customers) if customers else "as things change"
    out.append("## SBAR escalation\n\nFor paging a manager, executive or another team: "
               "Situation, Background, Assessment, Recommendation. Keep it under a minute "
               "to read.\n\n" + _fence(SBAR.format(id=first.id, name=first.name,
                                                   every=f"in {every}")))
    rows = []
    for lv in sev.levels:
        pm = lv.postmortem
        rows.append([ctx.link_level(PATH, lv.id), md.cell(lv.name),
                     "required" if pm.required else "optional",
                     f"{human(pm.due)} after resolution" if pm.due else "—"])
    out.append("## Postmortem\n\nWrite it in the incident's own file (the body is the "
               "postmortem). When one is owed:\n\n"
               + md.table(["Level", "Name", "Postmortem", "Due"], rows) + "\n"
               + _postmortem_source(hb) + " Statuses: "
               + ", ".join(f"`{w}`" for w in PostmortemStatus.words()) + ".\n\n"
               + _fence(postmortem_skeleton(hb, first.id), "markdown"))
    # .sb-wrap (handbook.css): long template lines wrap instead of being cut off.
    yield Page(PATH, "Templates", above="\n".join(out[:1]) + '\n<div class="sb-wrap" markdown>\n\n'
               + "\n".join(out[1:]) + "\n</div>\n")
