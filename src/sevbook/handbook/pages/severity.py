"""`severity.md`: the matrix of every level and the decision tree, around the prose."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import timedelta

from ...model.severity import (
    Cadence,
    DecisionNode,
    Level,
    PostmortemObligation,
    StageCadence,
)
from ...model.vocab import Audience, ComponentStatus, Handling, IncidentStatus, SeverityImpact
from ...times import human
from .. import md
from ..context import Context
from ..page import Page

PATH = "severity.md"


def paths(ctx: Context) -> Iterable[str]:
    """The paths `pages` yields (one, whatever the handbook holds)."""
    return (PATH,)


def pages(ctx: Context) -> Iterable[Page]:
    sev = ctx.handbook.severity
    if sev is None:
        yield Page(PATH, "Severity levels", above=md.admonition(
            "warning", "No severity levels", "Add `content/severity.md` with a `levels:` list; "
            "run `sevbook schema` for the format."))
        return
    above = [matrix(ctx, sev.levels)]
    if sev.decision_tree is not None:
        above.append("## Decision tree\n\nAnswer the questions from the top; follow "
                     "**Yes** or **No** until you reach a level. When in doubt, take the "
                     "more severe one.\n\n" + tree(ctx, sev.decision_tree))
    above.append(details(sev.levels))
    yield Page(PATH, "Severity levels", above="\n".join(above), after_lead=True)


def level_cell(level: Level) -> str:
    major = "<br>" + md.badge("major incident", "required") if level.major else ""
    return (f'<span id="{level.id.lower()}"></span>'
            + md.badge(level.id, f"sev {Context.level_class(level.id)}")
            + f"<br>**{md.cell(level.name)}**" + major)


def obligations(level: Level) -> str:
    pm = level.postmortem
    if pm.required:
        text = f"Required, within {human(pm.due)}" if pm.due else "Required"
    else:
        text = "Optional"
    if pm.obligations:
        text += ", " + ", ".join(obligation_text(ob) for ob in pm.obligations)
    return text


def obligation_text(ob: PostmortemObligation) -> str:
    """`review meeting within 3 d`, `publication within 5 business days`."""
    span = (f"{ob.within.days} business days" if ob.business_days else human(ob.within))
    return f"{ob.what.lower_label} within {span}"


def cadence(level: Level) -> str:
    """The update cadence: `30 min`, or `internal 10 min · customers 20 min · …`, with a
    cadence by stage as `customers 20 min while investigating or identified, 1 h while
    monitoring`."""
    every = level.update_every
    if every is None:
        return "—"
    if not isinstance(every, Cadence):
        return human(every)
    parts = [f"{a.lower_label} {_every_text(level.audience_cadence(a))}" for a in Audience
             if level.audience_cadence(a)]
    return " · ".join(parts) or "—"


def _every_text(every: timedelta | StageCadence | None) -> str:
    if not isinstance(every, StageCadence):
        return human(every)
    stages: dict[timedelta, list[str]] = {}
    for stage in IncidentStatus:
        if (d := every.at(stage)) is not None:
            stages.setdefault(d, []).append(stage.lower_label)
    return ", ".join(f"{human(d)} while {' or '.join(names)}" for d, names in stages.items())


def paged(ctx: Context, level: Level, here: str, short: bool = True, sep: str = "<br>") -> str:
    """Who is paged, or how the level is handled when nobody is (never an invented
    "ticket": a level without `page` or `handling` pages nobody)."""
    targets = md.join_cell((ctx.link_target(here, t, short=short) for t in level.page), sep)
    how = level.handling
    if targets:
        return targets + (f" ({how.lower_label})" if how and how != Handling.PAGE else "")
    return how.label if how is not None else "nobody"


def _after(level: Level) -> str:
    return " of resolution" if level.postmortem.required and level.postmortem.due else ""


def matrix(ctx: Context, levels: list[Level]) -> str:
    """The obligations at a glance: one row per level."""
    rows = []
    for lv in levels:
        rows.append([
            level_cell(lv),
            f"**{human(lv.response_time)}**" if lv.response_time is not None else "—",
            cadence(lv),
            paged(ctx, lv, PATH),
            md.join_cell(ctx.link_role(PATH, r, short=True) for r in lv.roles) or "—",
            obligations(lv),
            SeverityImpact(lv.public_impact).label,
        ])
    return md.table(
        ["Level", "Respond within", "Update every", "Paged", "Required roles",
         "Postmortem (after resolution)", "Public impact"], rows)


def details(levels: list[Level]) -> str:
    """Each level's summary, criteria, examples and obligations, in words."""
    out = []
    for lv in levels:
        part = [f"### {md.text(lv.id)} · {md.text(lv.name)} {{ #{lv.id.lower()}-details }}\n"]
        if lv.summary:
            part.append(f"{md.text(lv.summary)}\n")
        if lv.criteria:
            part.append("**Criteria** (any of):\n\n" + md.bullets(md.text(c) for c in lv.criteria))
        if lv.examples:
            part.append("**Examples:**\n\n" + md.bullets(md.text(e) for e in lv.examples))
        part.append(_obligations_sentence(lv))
        if lv.major:
            part.append("**Major incident.** Declaring it sets in motion:\n\n"
                        + md.bullets(md.text(a) for a in lv.major_actions)
                        if lv.major_actions else "**Major incident.**\n")
        out.append("\n".join(part))
    return "## Levels in detail\n\n" + "\n".join(out)


def _obligations_sentence(lv: Level) -> str:
    """`**Obligations:** acknowledge within …; update every …; postmortem …`: the clauses of
    the new keys (handling, first update) only appear when they are set."""
    clauses = []
    if lv.response_time is not None:
        clauses.append(f"acknowledge within **{human(lv.response_time)}**")
    if lv.handling is not None:
        clauses.append(f"handling: {lv.handling.lower_label}")
    if lv.first_update_within is not None:
        clauses.append(f"first public update within {human(lv.first_update_within)} of "
                       "detection")
    every = cadence(lv)
    clauses.append(f"update every {every if every != '—' else '— (no cadence)'}")
    clauses.append(f"postmortem {obligations(lv).lower()}{_after(lv)}")
    clauses.append(f"public impact {SeverityImpact(lv.public_impact).lower_label}, "
                   f"affected components shown as "
                   f"*{ComponentStatus(lv.component_status).lower_label}*")
    return "**Obligations:** " + "; ".join(clauses) + ".\n"


def tree(ctx: Context, node: DecisionNode) -> str:
    """The decision tree as nested lists: a question, then each answer and where it leads."""
    return f"- **{md.text(node.question)}**\n" + _answers(ctx, node, 1)


def _answers(ctx: Context, node: DecisionNode, depth: int) -> str:
    pad = "    " * depth
    out = ""
    for answer, label in (("yes", "Yes"), ("no", "No")):
        value = getattr(node, answer)
        if isinstance(value, str):
            lv = ctx.handbook.level(value)
            name = f" — {md.text(lv.name)}" if lv else ""
            out += f"{pad}- {label} → **{ctx.link_level(PATH, value)}**{name}\n"
        else:
            out += f"{pad}- {label} → **{md.text(value.question)}**\n"
            out += _answers(ctx, value, depth + 1)
    return out
