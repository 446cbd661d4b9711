"""`severity.md`: the matrix of every level and the decision tree, around the prose."""

from __future__ import annotations

from collections.abc import Iterable

from ...model.severity import DecisionNode, Level
from ...model.vocab import ComponentStatus, SeverityImpact
from ...times import human
from .. import md
from ..context import Context
from ..page import Page

PATH = "severity.md"


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
    return (f'<span id="{level.id.lower()}"></span>'
            + md.badge(level.id, f"sev {Context.level_class(level.id)}")
            + f"<br>**{md.cell(level.name)}**")


def obligations(level: Level) -> str:
    pm = level.postmortem
    if pm.required:
        return f"Required, within {human(pm.due)}" if pm.due else "Required"
    return "Optional"


def _after(level: Level) -> str:
    return " of resolution" if level.postmortem.required and level.postmortem.due else ""


def matrix(ctx: Context, levels: list[Level]) -> str:
    """The obligations at a glance: one row per level."""
    rows = []
    for lv in levels:
        rows.append([
            level_cell(lv),
            f"**{human(lv.response_time)}**",
            human(lv.update_every) if lv.update_every else "—",
            md.join_cell(ctx.link_target(PATH, t, short=True) for t in lv.page)
            or "nobody (ticket)",
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
        part.append(
            f"**Obligations:** acknowledge within **{human(lv.response_time)}**; update every "
            f"{human(lv.update_every) if lv.update_every else '— (no cadence)'}; postmortem "
            f"{obligations(lv).lower()}{_after(lv)}; public impact "
            f"{SeverityImpact(lv.public_impact).lower_label}, "
            f"affected components shown as *{ComponentStatus(lv.component_status).lower_label}*.\n")
        out.append("\n".join(part))
    return "## Levels in detail\n\n" + "\n".join(out)


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
