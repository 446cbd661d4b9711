"""`incidents/index.md` (by year, open ones first) and one page per incident.

Incident pages are left out of the navigation (`in_nav=False`): every page renders the
whole nav, so thousands of entries would make the build quadratic. The index links them.
"""

from __future__ import annotations

import html
import os
from collections import defaultdict
from collections.abc import Iterable

from ...metrics.compute import duration_metrics, incident_durations
from ...model import Incident
from ...model.vocab import (
    ActionItemStatus,
    ComponentStatus,
    IncidentStatus,
    MaintenanceStatus,
    PostmortemStatus,
    update_status,
)
from ...times import duration_text, human
from .. import md
from ..cadence import cadence
from ..context import Context
from ..page import Page
from . import record, restricted

INDEX = "incidents/index.md"
KEY_TIMES = (
    ("started_at", "Impact started"),
    ("detected_at", "Detected"),
    ("acknowledged_at", "Acknowledged"),
    ("mitigated_at", "Mitigated"),
    ("resolved_at", "Resolved"),
)


def status_of(ctx: Context, inc: Incident) -> IncidentStatus | MaintenanceStatus:
    if inc.is_maintenance:
        return MaintenanceStatus(inc.maintenance_state(ctx.now))
    return update_status(inc.status)


def status_badge(ctx: Context, inc: Incident) -> str:
    st = status_of(ctx, inc)
    kind = "ok" if st.final else ("info" if st is MaintenanceStatus.SCHEDULED else "open")
    return md.badge(st.lower_label, kind)


def postmortem_cell(ctx: Context, inc: Incident, here: str) -> str:
    if inc.is_maintenance:
        return "—"
    status = PostmortemStatus(inc.postmortem.status)
    label = status.lower_label
    level = ctx.handbook.level(inc.severity)
    if inc.postmortem_overdue(level, ctx.now):
        return md.badge(f"{label}, overdue", "overdue")
    due = inc.postmortem_due(level)
    if due is not None and not status.final:
        return f"{label}, due {ctx.local_date(due)}"
    return label


def severity_cell(ctx: Context, here: str, inc: Incident) -> str:
    if inc.is_maintenance:
        return md.badge("maintenance", "info")
    return ctx.link_level(here, inc.severity)


def paths(ctx: Context) -> Iterable[str]:
    """The paths `pages` yields, without rendering them."""
    return (INDEX, *(ctx.incident_uri(inc) for inc in ctx.handbook.incidents.values()))


def pages(ctx: Context) -> Iterable[Page]:
    yield Page(INDEX, "Incidents", above=index(ctx), wide=True)
    memo = ctx.incident_pages
    for inc in ctx.handbook.incidents.values():
        above = incident_page(ctx, inc) if memo is None else \
            memo.page(ctx, inc, lambda inc=inc: incident_page(ctx, inc))
        yield Page(ctx.incident_uri(inc), inc.title, above=above, in_nav=False)


def _row(ctx: Context, inc: Incident) -> list[str]:
    when = ctx.time(inc.begins) if inc.begins else "—"
    dur = ctx.duration(inc)
    dur_text = human(dur) + (" so far" if ctx.is_open(inc) and not inc.is_maintenance else "")
    return [
        when.rsplit(" ", 2)[0] if inc.begins else "—",
        ctx.link_incident(INDEX, inc) + _privacy_badge(inc),
        severity_cell(ctx, INDEX, inc),
        ", ".join(ctx.link_service(INDEX, s) for s in inc.services) or "—",
        dur_text if dur is not None else "—",
        status_badge(ctx, inc),
        postmortem_cell(ctx, inc, INDEX),
    ]


def _privacy_badge(inc: Incident) -> str:
    if inc.restricted:
        return " " + restricted.BADGE
    return "" if inc.public or inc.is_maintenance else " " + md.badge("private", "private")


HEAD = ["Date", "Incident", "Severity", "Services", "Duration", "Status", "Postmortem"]


def index(ctx: Context) -> str:
    incs = ctx.incidents_newest_first
    if not incs:
        return "No incidents recorded yet. Declare one with `sevbook new incident TITLE`.\n"
    out = []
    open_now = [i for i in incs if ctx.is_open(i)]
    if open_now:
        out.append("## Open now\n\n" + md.table(HEAD, (_row(ctx, i) for i in open_now)))
    upcoming = [i for i in incs if i.is_maintenance and i not in open_now
                and i.maintenance_state(ctx.now) == MaintenanceStatus.SCHEDULED]
    if upcoming:
        out.append("## Scheduled maintenance\n\n"
                   + md.table(HEAD, (_row(ctx, i) for i in reversed(upcoming))))
    by_year: dict[int, list[Incident]] = defaultdict(list)
    for inc in incs:
        if inc in open_now or inc in upcoming:
            continue
        by_year[ctx.local_date(inc.begins).year if inc.begins else 0].append(inc)
    out.insert(0, f"{len(incs)} incidents and maintenance windows"
               + _counts(len(open_now), len(upcoming), by_year) + ", newest first. Times are "
               f"{ctx.tz.key}.\n")
    link = _internal_status(ctx)
    if link:
        out.insert(1, link + "\n")
    for year, items in by_year.items():
        out.append(f"## {year or 'Undated'}\n\n" + md.table(HEAD, (_row(ctx, i) for i in items)))
    return "\n".join(out)


def _internal_status(ctx: Context) -> str:
    """A sentence linking the internal status page (`internal_status`), or ''. Without its
    `url` the link is relative: right when site/ is served whole, and in `sevbook serve`
    (the handbook at /, the page at /internal-status/)."""
    settings = ctx.handbook.settings
    options = settings.internal_status
    if options is None:
        return ""
    site = settings.handbook_site.resolve()
    if site.is_relative_to(settings.root.resolve()):
        rel = os.path.relpath(settings.root / options.site_dir, site).replace(os.sep, "/")
    else:  # a preview in a temporary folder: `sevbook serve` shows it at /internal-status/
        rel = "../internal-status"
    href = options.url or f"../{rel}/"
    return (f'The <a href="{html.escape(href)}">internal status page</a> shows every '
            "incident as a status page.")


def _counts(open_now: int, upcoming: int, by_year: dict[int, list[Incident]]) -> str:
    """` (1 open now, 1 scheduled, 12 in 2026, 1 undated)`: one part per section below, so
    the parts add up to the total."""
    parts = ([f"{open_now} open now"] if open_now else []) \
        + ([f"{upcoming} scheduled"] if upcoming else []) \
        + [f"{len(v)} in {y}" if y else f"{len(v)} undated" for y, v in by_year.items()]
    return f" ({', '.join(parts)})" if parts else ""


# ------------------------------------------------------------------ one incident
def incident_page(ctx: Context, inc: Incident) -> str:
    here = ctx.incident_uri(inc)
    if ctx.is_stub(inc):
        return restricted.stub_page(ctx, inc, " ".join(
            [severity_cell(ctx, here, inc), status_badge(ctx, inc)]))
    parts = [summary(ctx, inc, here), restricted.full_notice(ctx, inc), update_cadence(ctx, inc),
             record.severity_history(ctx, inc, here),
             key_times(ctx, inc), record.impact(ctx, inc, here), data_loss(ctx, inc),
             roles(ctx, inc, here),
             record.links(ctx, inc), record.related(ctx, inc, here),
             updates(ctx, inc), timeline(ctx, inc), postmortem(ctx, inc),
             action_items(ctx, inc, here), runbooks(ctx, inc, here)]
    return "\n".join(p for p in parts if p)


def summary(ctx: Context, inc: Incident, here: str) -> str:
    badges = [severity_cell(ctx, here, inc), status_badge(ctx, inc)]
    if inc.is_maintenance:
        pass
    elif inc.public:
        badges.append(md.badge("public", "public"))
    else:
        badges.append(md.badge("private", "private"))
    if inc.restricted:
        badges.append(restricted.BADGE)
    lines = [" ".join(badges) + "\n"]
    facts = []
    lv = ctx.handbook.level(inc.severity)
    if lv is not None and not inc.is_maintenance:
        facts.append(f"- **Severity:** {ctx.link_level(here, lv.id)} — {md.text(lv.name)}")
    facts.append("- **Services:** "
                 + (", ".join(ctx.link_service(here, s) for s in inc.services) or "—"))
    facts += record.facts(ctx, inc)
    if inc.is_maintenance:
        facts.append(f"- **Window:** {ctx.time(inc.scheduled_for)} → "
                     f"{ctx.time(inc.scheduled_until)} ({human(ctx.duration(inc))})")
    else:
        dur = ctx.duration(inc)
        if dur is not None:
            facts.append(f"- **Impact duration:** {human(dur)}"
                         + (" so far (still open)" if inc.resolved_at is None else ""))
    if inc.public:
        facts.append(f"- **Public title:** “{md.text(inc.display_title)}” on the status page")
    else:
        facts.append("- **Public:** no — nothing about it reaches the status page")
    facts.append(f"- **Source:** {md.code(inc.path)}")
    return "\n".join(lines) + "\n" + "\n".join(facts) + "\n"


def update_cadence(ctx: Context, inc: Incident) -> str:
    """An admonition with the update an open public incident owes (`cadence.py`)."""
    owed = cadence(ctx, inc)
    if owed is None:
        return ""
    last, due = owed.last_text(), owed.due_text(ctx)
    return md.admonition("warning" if owed.overdue else "info", "Public updates",
                         f"{last[0].upper()}{last[1:]}.\n\n{due[0].upper()}{due[1:]}.")


def key_times(ctx: Context, inc: Incident) -> str:
    times = [(label + record.time_note(inc, key), getattr(inc, key))
             for key, label in KEY_TIMES if getattr(inc, key)]
    if inc.is_maintenance:
        times = [("Window opens", inc.scheduled_for), ("Window closes", inc.scheduled_until)] \
            + times
        times = [(label, t) for label, t in times if t is not None]
    if not times:
        return ""
    start = inc.started_at
    rows = []
    prev = None
    for label, t in times:
        rows.append([label, ctx.time(t),
                     human(t - prev) if prev is not None else "—",
                     human(t - start) if start is not None and not inc.is_maintenance else "—"])
        prev = t
    out = "## Key times\n\n" + md.table(["", "Time", "Since previous", "Since impact began"], rows)
    if not inc.is_maintenance and start is not None:
        out += _metrics_sentence(ctx, inc)
    return out


METRIC_VERBS = (("mtta", "acknowledge"), ("mttm", "mitigate"), ("mttr", "resolve"))


def _metrics_sentence(ctx: Context, inc: Incident) -> str:
    """The incident's MTTD/MTTA/MTTM/MTTR as the metrics count them: the same start
    (`metrics.start`), the same times and the same formatter, so this page and
    `sevbook report` agree."""
    start = ctx.handbook.settings.metrics.start
    values = incident_durations(inc, duration_metrics(start))
    parts = []
    if values["mttd"] is not None:
        parts.append(f"time to detect **{duration_text(values['mttd'])}**")
    rest = [f"to {verb} **{duration_text(values[key])}**" for key, verb in METRIC_VERBS
            if values[key] is not None]
    if rest:
        since = "detection" if start == "detected" else "impact began"
        joined = ", ".join(rest[:-1]) + " and " + rest[-1] if len(rest) > 1 else rest[0]
        parts.append(f"{joined} after {since}")
    if not parts:
        return ""
    text = "; ".join(parts)
    return "\n" + text[0].upper() + text[1:] + ".\n"


def data_loss(ctx: Context, inc: Incident) -> str:
    """The window of lost data, and how long before the impact it began. Internal."""
    loss = inc.data_loss
    if loss is None:
        return ""
    facts = [f"- **Lost data written:** {ctx.time(loss.from_)} → {ctx.time(loss.until)} "
             f"({human(loss.until - loss.from_)})"]
    start = inc.started_at
    if start is not None and loss.from_ < start:
        facts.append(f"- **Starts before the impact:** by {human(start - loss.from_)} "
                     f"(impact began {ctx.time(start)})")
    if loss.description:
        facts.append(f"- **What was lost:** {md.text(loss.description)}")
    return "## Data loss\n\nInternal; never on the status page.\n\n" + "\n".join(facts) + "\n"


def roles(ctx: Context, inc: Incident, here: str) -> str:
    lv = ctx.handbook.level(inc.severity)
    required = list(lv.roles) if lv is not None and not inc.is_maintenance else []
    ids = list(inc.roles) + [r for r in required if r not in inc.roles]
    if not ids:
        return ""
    rows = []
    for rid in ids:
        shifts = inc.role_holders(rid)
        who = record.shift_text(ctx, shifts) if shifts else md.badge("unfilled", "overdue")
        note = f"required at {md.text(inc.severity)}" if rid in required else ""
        rows.append([ctx.link_role(here, rid), who, note])
    return "## Roles\n\n" + md.table(["Role", "Person", "Note"], rows)


def updates(ctx: Context, inc: Incident) -> str:
    if not inc.updates:
        return ""
    public = inc.public
    intro = ("These updates were published on the status page."
             if public else "This incident is **private**: these updates were not published.")
    out = [f"## Public updates\n\n{intro}\n"]
    for up in inc.updates:
        mark = md.badge("public", "public") if public else md.badge("not published", "private")
        comps = ""
        if up.components:
            names = {c: (svc.public_name if (svc := ctx.handbook.services.get(c)) else c)
                     for c in up.components}
            comps = "<br>" + ", ".join(
                f"{md.text(names[c])}: {md.text(ComponentStatus(s).lower_label)}"
                for c, s in up.components.items())
        msg = md.text(up.message) if up.message else "—"
        out.append(f'<div class="sb-update" markdown>\n\n**{ctx.time(up.at)} · '
                   f'{md.text(update_status(up.status).label)}** {mark}'
                   f"\n\n{msg}{comps}\n\n</div>\n")
    return "\n".join(out)


def timeline(ctx: Context, inc: Incident) -> str:
    if not inc.timeline:
        return ""
    start = inc.started_at or inc.scheduled_for
    rows = []
    day = None
    for e in inc.timeline:
        local_day = ctx.local_date(e.at)
        when = ctx.clock(e.at, day) if day is not None else ctx.time(e.at)
        day = local_day
        rel = ("+" + human(e.at - start)) if start is not None and e.at >= start else (
            "−" + human(start - e.at) if start is not None else "")
        event = ("**Executive briefing:** " if e.briefing else "") + md.cell(e.event)
        rows.append([when, rel, event])
    return ("## Internal timeline\n\nThe scribe's log. Internal only.\n\n"
            + md.table(["Time", "Since start", "Event"], rows))


def postmortem(ctx: Context, inc: Incident) -> str:
    pm = inc.postmortem
    body = inc.body.strip()
    if inc.is_maintenance and not body:
        return ""
    status = PostmortemStatus(pm.status).lower_label
    level = ctx.handbook.level(inc.severity)
    overdue = inc.postmortem_overdue(level, ctx.now)
    facts = [f"- **Status:** {status}" + (" " + md.badge("overdue", "overdue") if overdue else "")]
    if pm.owner:
        facts.append(f"- **Owner:** {md.text(pm.owner)}")
    due = inc.postmortem_due(level)
    if due is not None:
        facts.append(f"- **Due:** {ctx.local_date(due)} (per {md.text(inc.severity or '')})")
    out = ("## Postmortem\n\n" if not inc.is_maintenance else "## Notes\n\n") + "\n".join(facts)
    out += "\n"
    if pm.public_summary:
        title = ("Public summary (published on the status page)" if inc.public
                 else "Public summary (not published: the incident is private)")
        out += "\n" + md.admonition("abstract", title, pm.public_summary)
    if body:
        _, rest = md.split_h1(body)
        out += "\n" + md.shift_headings(rest, 3).strip() + "\n"
    return out


def action_items(ctx: Context, inc: Incident, here: str) -> str:
    if not inc.action_items:
        return ""
    overdue = inc.overdue_action_items(ctx.today)
    rows = []
    for j, ai in enumerate(inc.action_items):
        # The badge shows the word as written (`wontfix`), coloured by its state.
        status = md.badge("overdue", "overdue") if j in overdue else md.badge(
            ai.status, ActionItemStatus(ai.status).css_state)
        title = md.cell(ai.title)
        if ai.link:
            title = md.link(title, ai.link)
        if ai.priority is not None:
            title += " " + md.badge(ai.priority.label, "info")
        owner = ctx.link_team(here, ai.owner)
        if ai.external_owner:  # a person or vendor outside the teams
            owner = (owner + " · " if ai.owner else "") + md.cell(ai.external_owner)
        rows.append([title, md.cell(ai.type or "—"), owner,
                     str(ai.due) if ai.due else "—", status])
    return "## Action items\n\n" + md.table(["Action", "Type", "Owner", "Due", "Status"], rows)


def runbooks(ctx: Context, inc: Incident, here: str) -> str:
    if not inc.runbooks:
        return ""
    return "## Runbooks used\n\n" + md.bullets(ctx.link_runbook(here, r) for r in inc.runbooks)
