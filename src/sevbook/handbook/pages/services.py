"""`services/index.md` (the catalog) and the generated parts of each service page.

A service page is composed of sections; another module can add one by yielding a `Page`
for the same path (its `above`/`below` are appended after these).
"""

from __future__ import annotations

from collections.abc import Iterable

from ...model import Service
from ...times import human
from .. import md
from ..context import Context
from ..page import Page
from .incidents import status_badge

INDEX = "services/index.md"
RECENT = 10


def paths(ctx: Context) -> Iterable[str]:
    """The paths `pages` yields, without rendering them."""
    return (INDEX, *(ctx.doc_uri(svc) for svc in ctx.handbook.services.values()))


def pages(ctx: Context) -> Iterable[Page]:
    yield Page(INDEX, "Services", above=catalog(ctx), wide=True)
    for svc in ctx.handbook.services.values():
        here = ctx.doc_uri(svc)
        yield Page(here, svc.name, above=facts(ctx, svc) + "\n" + relations(ctx, svc),
                   below=recent_incidents(ctx, svc))


def catalog(ctx: Context) -> str:
    services = sorted(ctx.handbook.services.values(), key=lambda s: (s.tier, s.name.lower()))
    if not services:
        return "No services yet: add one file per service under `content/services/`.\n"
    rows = []
    for s in services:
        rows.append([
            ctx.link_service(INDEX, s.id), f"{s.tier}", ctx.link_team(INDEX, s.owner),
            ", ".join(ctx.link_service(INDEX, d) for d in s.depends_on) or "—",
            ", ".join(ctx.link_service(INDEX, d.id) for d in ctx.dependents.get(s.id, [])) or "—",
            ", ".join(ctx.link_runbook(INDEX, r.id) for r in ctx.runbooks_by_service.get(s.id, []))
            or md.badge("no runbook", "warn"),
            _slo(s),
            md.cell(s.public_name) if s.public else "internal",
        ])
    return ("Every production service, most critical tier first. Tier 1 is the most "
            "critical.\n\n" + md.table(
                ["Service", "Tier", "Owner", "Depends on", "Depended on by", "Runbooks", "SLO",
                 "Status page"], rows))


def _slo(s: Service) -> str:
    if s.slo is None:
        return "—"
    return f"{s.slo.target:g}% / {human(s.slo.window)}"


def facts(ctx: Context, svc: Service) -> str:
    here = ctx.doc_uri(svc)
    lines = []
    team = ctx.handbook.teams.get(svc.owner) if svc.owner else None
    owner = ctx.link_team(here, svc.owner)
    if team is not None and team.channel:
        owner += f" ({md.code(team.channel)})"
    lines.append(f"- **Owner:** {owner}")
    lines.append(f"- **Tier:** {svc.tier}")
    lines.append(f"- **SLO:** {_slo(svc)}")
    if svc.status_page is not None:
        sp = svc.status_page
        group = f" in group {md.text(sp.group)}" if sp.group else ""
        lines.append(f"- **Status page:** public as “{md.text(svc.public_name)}”{group}")
    else:
        lines.append("- **Status page:** internal only (not on the status page)")
    for name, url in svc.links.items():
        lines.append(f"- **{md.text(name.capitalize())}:** <{url}>" if "://" in url
                     else f"- **{md.text(name.capitalize())}:** {md.text(url)}")
    return "\n".join(lines) + "\n"


def relations(ctx: Context, svc: Service) -> str:
    here = ctx.doc_uri(svc)
    deps = ", ".join(ctx.link_service(here, d) for d in svc.depends_on) or "nothing"
    users = ", ".join(ctx.link_service(here, d.id) for d in ctx.dependents.get(svc.id, [])) \
        or "nothing"
    out = f"## Dependencies\n\n- **Depends on:** {deps}\n- **Depended on by:** {users}\n"
    runbooks = ctx.runbooks_by_service.get(svc.id, [])
    out += "\n## Runbooks\n\n"
    if runbooks:
        out += md.bullets(ctx.link_runbook(here, r.id) for r in runbooks)
    else:
        out += md.admonition("warning", "No runbook",
                             f"No runbook covers this service. Write one with "
                             f"`sevbook new runbook TITLE --service {svc.id}`.")
    return out


def recent_incidents(ctx: Context, svc: Service) -> str:
    here = ctx.doc_uri(svc)
    incs = ctx.incidents_by_service.get(svc.id, [])
    out = "## Recent incidents\n\n"
    if not incs:
        return out + "None recorded.\n"
    rows = [[ctx.time(i.begins).split(" ")[0] if i.begins else "—",
             ctx.link_incident(here, i),
             ctx.link_level(here, i.severity) if not i.is_maintenance else "maintenance",
             human(ctx.duration(i)), status_badge(ctx, i)] for i in incs[:RECENT]]
    more = len(incs) - RECENT
    tail = (f"\n{more} older incident(s) in the "
            f"{md.link('incident index', ctx.rel(here, 'incidents/index.md'))}.\n"
            if more > 0 else "")
    return out + md.table(["Date", "Incident", "Severity", "Duration", "Status"], rows) + tail
