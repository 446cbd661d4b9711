"""`roles/index.md` (catalogue and role x severity matrix) and the header of each role page."""

from __future__ import annotations

from collections.abc import Iterable

from ...model import Role
from .. import md
from ..context import Context
from ..page import Page

INDEX = "roles/index.md"


def paths(ctx: Context) -> Iterable[str]:
    """The paths `pages` yields, without rendering them."""
    return (INDEX, *(ctx.doc_uri(role) for role in ctx.handbook.roles.values()))


def pages(ctx: Context) -> Iterable[Page]:
    yield Page(INDEX, "Roles", above=catalogue(ctx) + "\n" + matrix(ctx))
    for role in ctx.handbook.roles.values():
        yield Page(ctx.doc_uri(role), role.name, above=role_header(ctx, role))


def by_need(ctx: Context) -> list[Role]:
    """The roles, those the severity matrix requires at the most levels first (the incident
    commander before the scribe), then by name."""
    levels = ctx.handbook.severity.levels if ctx.handbook.severity else []
    return sorted(ctx.handbook.roles.values(),
                  key=lambda r: (-sum(r.id in lv.roles for lv in levels), r.name.casefold()))


def catalogue(ctx: Context) -> str:
    if not ctx.handbook.roles:
        return "No roles yet: add one file per role under `content/roles/`.\n"
    rows = [[ctx.link_role(INDEX, r.id), md.cell(r.short) or "—", md.cell(r.summary)]
            for r in by_need(ctx)]
    return ("Who does what during an incident. Each role has a page with its "
            "responsibilities and a checklist.\n\n" + md.table(["Role", "Short", "Summary"], rows))


def matrix(ctx: Context) -> str:
    sev = ctx.handbook.severity
    if sev is None or not ctx.handbook.roles:
        return ""
    head = ["Role"] + [ctx.link_level(INDEX, lv.id) for lv in sev.levels]
    rows = []
    for role in by_need(ctx):
        row = [ctx.link_role(INDEX, role.id, short=True)]
        for lv in sev.levels:
            marks = []
            if role.id in lv.roles:
                marks.append(md.badge("✓ required", "required"))
            if role.id in lv.page:
                marks.append("paged")
            row.append(" ".join(marks) or "—")
        rows.append(row)
    return ("## Role × severity\n\n**Required** roles must be filled (and recorded in the "
            "incident file) at that level; **paged** roles are woken up automatically.\n\n"
            + md.table(head, rows))


def role_header(ctx: Context, role: Role) -> str:
    here = ctx.doc_uri(role)
    out = []
    if role.summary:
        out.append(f"**{md.text(role.summary)}**\n")
    sev = ctx.handbook.severity
    if sev is not None:
        required = [ctx.link_level(here, lv.id) for lv in sev.levels if role.id in lv.roles]
        paged = [ctx.link_level(here, lv.id) for lv in sev.levels if role.id in lv.page]
        facts = []
        if required:
            facts.append(f"Required at {', '.join(required)}.")
        if paged:
            facts.append(f"Paged at {', '.join(paged)}.")
        if facts:
            out.append(" ".join(facts) + "\n")
    if role.responsibilities:
        out.append("## Responsibilities\n\n"
                   + md.bullets(md.text(r) for r in role.responsibilities))
    if role.does_not:
        out.append(f"## The {md.text(role.short or role.name)} does not\n\n"
                   + md.bullets(md.text(r) for r in role.does_not))
    if role.checklist:
        out.append("## Checklist\n\n" + md.bullets(f"[ ] {md.text(c)}" for c in role.checklist))
    return "\n".join(out)
