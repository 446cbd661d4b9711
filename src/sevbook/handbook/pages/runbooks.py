"""`runbooks/index.md` with freshness, and the metadata header of every runbook page."""

from __future__ import annotations

from collections.abc import Iterable

from ...model import Runbook
from ...times import human
from .. import md
from ..context import Context
from ..page import Page

INDEX = "runbooks/index.md"


def freshness(ctx: Context, rb: Runbook) -> str:
    if rb.is_stale(ctx.today):
        return md.badge("stale", "stale")
    return md.badge("fresh", "fresh")


def paths(ctx: Context) -> Iterable[str]:
    """The paths `pages` yields, without rendering them."""
    return (INDEX, *(ctx.doc_uri(rb) for rb in ctx.handbook.runbooks.values()))


def pages(ctx: Context) -> Iterable[Page]:
    yield Page(INDEX, "Runbooks", above=index(ctx), wide=True)
    for rb in ctx.handbook.runbooks.values():
        yield Page(ctx.doc_uri(rb), rb.title, above=header(ctx, rb), below=used_by(ctx, rb))


def index(ctx: Context) -> str:
    # By title, as people look for them (ids are file names and sort differently).
    runbooks = sorted(ctx.handbook.runbooks.values(), key=lambda rb: (rb.title.casefold(), rb.id))
    if not runbooks:
        return "No runbooks yet: write one with `sevbook new runbook TITLE`.\n"
    stale = sum(1 for rb in runbooks if rb.is_stale(ctx.today))
    intro = ("Open the runbook named in the alert. A runbook is **stale** when its review "
             "is overdue: it may still help, but check each step before trusting it.\n")
    if stale:
        intro += f"\n**{stale} of {len(runbooks)} runbooks are stale.**\n"
    rows = [[ctx.link_runbook(INDEX, rb.id), ctx.link_team(INDEX, rb.owner),
             ", ".join(ctx.link_service(INDEX, s) for s in rb.services) or "—",
             md.join_cell(f'<span class="sb-alert">{md.code(a)}</span>' for a in rb.alerts)
             or "—",
             ctx.link_level(INDEX, rb.severity),
             str(rb.last_reviewed) if rb.last_reviewed else "never",
             freshness(ctx, rb)] for rb in runbooks]
    return intro + "\n" + md.table(
        ["Runbook", "Owner", "Services", "Alerts", "Severity", "Last reviewed", "Freshness"],
        rows)


def header(ctx: Context, rb: Runbook) -> str:
    here = ctx.doc_uri(rb)
    out = []
    problems = ctx.problems(rb.path, "stale-runbook")
    if problems:
        out.append(md.admonition(
            "warning", "Stale runbook: check every step before you run it",
            "\n\n".join(md.text(d.message) for d in problems)))
    due = rb.review_due()
    reviewed = (f"{rb.last_reviewed} (every {human(rb.review_every)}, next review by {due})"
                if rb.last_reviewed else "never")
    team = ctx.handbook.teams.get(rb.owner) if rb.owner else None
    owner = ctx.link_team(here, rb.owner)
    if team is not None and team.channel:
        owner += f" ({md.code(team.channel)})"
    facts = [
        ("Owner", owner),
        ("Services", ", ".join(ctx.link_service(here, s) for s in rb.services) or "—"),
        ("Alerts", ", ".join(md.code(a) for a in rb.alerts) or "—"),
        ("Typical severity", ctx.link_level(here, rb.severity)),
        ("Last reviewed", f"{reviewed} {freshness(ctx, rb)}"),
    ]
    out.append('<div class="sb-meta" markdown>\n\n'
               + md.bullets(f"**{k}:** {v}" for k, v in facts) + "\n</div>\n")
    return "\n".join(out)


def used_by(ctx: Context, rb: Runbook) -> str:
    here = ctx.doc_uri(rb)
    incs = ctx.incidents_by_runbook.get(rb.id, [])
    out = "## Incidents that used this runbook\n\n"
    if not incs:
        return out + "None recorded yet.\n"
    return out + md.bullets(
        f"{ctx.time(i.begins).split(' ')[0] if i.begins else '—'} · "
        f"{ctx.link_level(here, i.severity)} · {ctx.link_incident(here, i)}" for i in incs)
