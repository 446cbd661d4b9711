"""A service's `## Error budget` section and the budget badges, for the handbook pages.

Pure functions: a computed `Budget` in, Markdown (with inline SVG charts) out. Links come
from callables; `pages.metrics` registers the sections below each service page.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence

from ...metrics import charts
from ...metrics.budget import Budget
from ...metrics.report import minutes, pct
from ...model.vocab import ComponentStatus
from ...times import human
from .. import md

LinkFn = Callable[[str], str]
"""id -> Markdown link (or plain escaped text)."""

STATE_LABEL = {"ok": "OK", "warning": "Warning", "exhausted": "Exhausted — release freeze"}
STATE_BADGE = {"ok": "ok", "warning": "warn", "exhausted": "danger"}
STATE_ADMONITION = {"ok": "success", "warning": "warning", "exhausted": "danger"}


def figures(headers: Sequence[str], rows: Iterable[Sequence[str]]) -> str:
    """A table of numbers (`md.figures`) in compact cells, so the metrics tables fit the
    content width at 1280 px (handbook.css, `.sb-figures`)."""
    return f'<div class="sb-figures" markdown>\n\n{md.figures(headers, rows)}\n</div>\n'


def badge(state: str) -> str:
    """The budget state in words (the colour only repeats it)."""
    return md.badge(STATE_LABEL[state], STATE_BADGE[state])


def signed(m: float) -> str:
    return ("−" if m < 0 else "") + minutes(abs(m))


def budget_section(b: Budget, *, link_incident: LinkFn, policy_href: str | None = None,
                   chart_prefix: str = "budget") -> str:
    """`## Error budget` for one service page."""
    policy = f"[error budget policy]({policy_href})" if policy_href else "error budget policy"
    used = pct(b.ratio)
    head = {
        "ok": f"{used} of the budget used; ship as normal.",
        "warning": f"{used} of the budget used: risky changes need sign-off (see the {policy}).",
        "exhausted": f"{used} of the budget used: **release freeze** until the budget is "
                     f"positive again (see the {policy}).",
    }[b.state]
    out = ["## Error budget\n", charts.STYLE,
           charts_admonition(b.state, head),
           charts.gauge(f"{chart_prefix}-gauge", "Error budget consumed",
                        f"{used} of {minutes(b.allowed)} allowed weighted downtime used in the "
                        f"last {human(b.window)}; warning at 80%, freeze at 100%.",
                        b.ratio, label=f"{used} used")]
    cumulative, total = [], 0.0
    for _, m in b.daily:
        total += m
        cumulative.append(total)
    labels = [d.strftime("%d %b") for d, _ in b.daily]
    out.append(charts.bar_chart(
        f"{chart_prefix}-burn", "Budget consumed over the window (cumulative, minutes)",
        f"Cumulative weighted downtime per day from {labels[0] if labels else '—'} to "
        f"{labels[-1] if labels else '—'}: {minutes(total)} of {minutes(b.allowed)} allowed.",
        labels, [charts.Series("Consumed", cumulative, 0 if b.state == "exhausted" else 2)],
        fmt=minutes, axis_fmt=minutes, time_axis=True,
        lines=[(b.allowed, f"allowed {minutes(b.allowed)}")],
        label_every=max(1, len(labels) // 7)))
    states = ", ".join(f"{ComponentStatus(k).lower_label} {minutes(v)}" for k, v in
                       sorted(b.by_state.items())) or "none"
    out.append(figures(["State", "Used", "Remaining", "SLO", "Window", "Allowed",
                           "Consumed"],
                          [[badge(b.state), used, signed(b.remaining), f"{b.target:g}%",
                            f"{human(b.window)}, {b.start:%Y-%m-%d} → {b.end:%Y-%m-%d}",
                            minutes(b.allowed), minutes(b.consumed)]]))
    out.append(f"Time per state in the window (overlaps counted once): {states}.\n")
    if b.incidents:
        out.append(figures(["Incident", "Weighted minutes", "Share of allowed"],
                          [[link_incident(i), minutes(m), pct(m / b.allowed if b.allowed
                                                               else None)]
                           for i, m in b.incidents]))
    else:
        out.append("No incident consumed budget in this window.\n")
    return "\n".join(s.rstrip("\n") + "\n" for s in out)


def charts_admonition(state: str, text: str) -> str:
    return (f'!!! {STATE_ADMONITION[state]} "Error budget: {STATE_LABEL[state]}"\n\n'
            f"    {text}\n")
