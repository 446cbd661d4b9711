"""The content model v2 sections of an incident page: severity history, links, related
incidents, type and labels, custom fields and impact phases (`sevbook.model.record`).

Each function returns "" when the incident does not use the key, so pages of v1 records
are unchanged. Links are internal: this is the handbook, never the status page.
"""

from __future__ import annotations

from ...model import Incident
from ...model.record import RoleShift, approximate, unknown
from ...model.vocab import ComponentStatus
from .. import md
from ..context import Context


def facts(ctx: Context, inc: Incident) -> list[str]:
    """Summary bullets for type, labels and custom fields."""
    out = []
    if inc.type is not None:
        out.append(f"- **Type:** {md.text(inc.type.label)}")
    if inc.labels:
        out.append("- **Labels:** " + ", ".join(md.code(label) for label in inc.labels))
    declared = {f.name: f for f in ctx.handbook.settings.incident_fields}
    for name, value in inc.fields.items():
        shown = ", ".join(map(str, value)) if isinstance(value, list) else _number(value)
        label = declared[name].description if name in declared and declared[name].description \
            else name
        out.append(f"- **{md.text(label)}:** {md.text(shown)}")
    return out


def _number(value: object) -> str:
    return str(int(value)) if isinstance(value, float) and value.is_integer() else str(value)


def time_note(inc: Incident, key: str) -> str:
    """` (approximate)` / ` (unknown)` after a key time whose precision is stated."""
    if not approximate(inc.time_precision, key):
        return ""
    return " (unknown)" if unknown(inc.time_precision, key) else " (approximate)"


def shift_text(ctx: Context, shifts: list[RoleShift]) -> str:
    """`Alice (until 02:00 UTC) → Bob (from 02:00 UTC)` for a handoff; a plain name alone."""
    if len(shifts) == 1 and shifts[0].from_ is None and shifts[0].until is None:
        return md.cell(shifts[0].name)
    parts = []
    for s in shifts:
        when = []
        if s.from_ is not None:
            when.append(f"from {ctx.time(s.from_)}")
        if s.until is not None:
            when.append(f"until {ctx.time(s.until)}")
        parts.append(md.cell(s.name) + (f" ({', '.join(when)})" if when else ""))
    return " → ".join(parts)


def severity_history(ctx: Context, inc: Incident, here: str) -> str:
    if not inc.severity_history:
        return ""
    rows = [[ctx.time(c.at), ctx.link_level(here, c.severity), md.cell(c.by or "—")]
            for c in inc.severity_history]
    return ("## Severity history\n\nThe last row is the current severity. Metrics and "
            "postmortem obligations use it; the update cadence owed at each moment is the "
            "one of the severity in force then.\n\n"
            + md.table(["Since", "Severity", "Decided by"], rows))


def links(ctx: Context, inc: Incident) -> str:
    lk = inc.links
    rows = []
    if lk.chat:
        rows.append(["Chat", md.code(lk.chat)])
    if lk.call:
        rows.append(["Call", md.link(md.text(lk.call), lk.call)])
    for t in lk.tickets:
        rows.append(["Ticket", md.link(md.text(t), t) if t.startswith(("http://", "https://"))
                     else md.code(t)])
    if lk.postmortem:
        rows.append(["Postmortem", md.link(md.text(lk.postmortem), lk.postmortem)])
    for d in lk.dashboards:
        rows.append(["Dashboard", md.link(md.text(d), d)])
    if not rows:
        return ""
    return "## Links\n\nInternal: these never reach the status page.\n\n" + md.table(
        ["", "Link"], rows)


def related(ctx: Context, inc: Incident, here: str) -> str:
    if not inc.related:
        return ""
    rows = []
    for rel in inc.related:
        other = ctx.handbook.incidents.get(rel.incident)
        target = ctx.link_incident(here, other) if other is not None else md.code(rel.incident)
        rows.append([md.text(rel.relation.label), target])
    return "## Related incidents\n\n" + md.table(["Relation", "Incident"], rows)


def impact(ctx: Context, inc: Incident, here: str) -> str:
    if not inc.impact:
        return ""
    rows = [[ctx.link_service(here, p.component),
             md.text(ComponentStatus(p.status).label), ctx.time(p.from_),
             ctx.time(p.until) if p.until else "until resolution"]
            for p in inc.impact]
    return ("## Impact phases\n\nAs established by the responders; uptime and error "
            "budgets use these phases.\n\n"
            + md.table(["Component", "State", "From", "Until"], rows))
