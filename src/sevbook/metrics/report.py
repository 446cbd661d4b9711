"""`sevbook report`: the metrics as a terminal table, JSON or CSV.

JSON and CSV carry the same numbers: durations in minutes (2 decimals), time between
failures in days, rates as fractions (0..1, 4 decimals); a value that cannot be computed is
`null` (JSON) or empty (CSV). CSV is "long": one row per number, columns
`group_by,group,metric,value`, so it pivots in any spreadsheet.
"""

from __future__ import annotations

import csv
import io
import json
from datetime import UTC, date, datetime, timedelta
from typing import Any

from ..model import Handbook
from ..times import duration_text, format_duration
from .budget import Budget, compute_budgets
from .compute import DURATIONS, Failures, Group, Report, compute, day_start


def build_report(hb: Handbook, now: datetime, since: date | None = None,
                 until: date | None = None, service: str | None = None) -> Report:
    """Incident metrics for the range plus error budgets as of the range's end."""
    report = compute(hb, now, since, until, service)
    as_of = now if until is None else min(now, day_start(until + timedelta(days=1)))
    report.budgets = compute_budgets(hb, as_of, service)
    return report


def _r(x: float | None, nd: int = 2) -> float | None:
    return None if x is None else round(x, nd)


def _iso(t: datetime | None) -> str | None:
    if t is None:
        return None
    return t.astimezone(UTC).isoformat().replace("+00:00", "Z")


def group_dict(g: Group) -> dict[str, Any]:
    out: dict[str, Any] = {"incidents": g.count, "open": g.open,
                           "by_severity": dict(g.by_severity)}
    for key, *_ in DURATIONS:
        s = g.durations[key]
        out[key] = {"n": s.n, "missing": s.missing, "open": s.open,
                    "approximate": s.approximate,
                    "mean_minutes": _r(s.mean), "median_minutes": _r(s.median),
                    "p90_minutes": _r(s.p90)}
    pm = g.postmortems
    out["postmortems"] = {"required": pm.required, "on_time": pm.on_time, "late": pm.late,
                          "undated": pm.undated, "overdue": pm.overdue, "pending": pm.pending,
                          "unresolved": pm.unresolved, "on_time_rate": _r(pm.on_time_rate, 4)}
    ai = g.action_items
    out["action_items"] = {"total": ai.total, "done": ai.done, "done_within_30d": ai.done_prompt,
                           "done_later": ai.done_late, "done_date_unknown": ai.done_undated,
                           "open": ai.open, "overdue": ai.overdue, "wontfix": ai.wontfix,
                           "done_rate": _r(ai.done_rate, 4),
                           "done_within_30d_rate": _r(ai.prompt_rate, 4)}
    return out


def failures_dict(f: Failures) -> dict[str, Any]:
    return {"incidents": f.incidents, "gaps": f.gaps, "mean_days": _r(f.mean_days, 4),
            "median_days": _r(f.median_days, 4), "last_started": _iso(f.last_started),
            "days_since_last": _r(f.days_since_last, 4)}


def budget_dict(b: Budget) -> dict[str, Any]:
    return {"target": b.target, "window": format_duration(b.window),
            "start": _iso(b.start), "end": _iso(b.end),
            "allowed_minutes": _r(b.allowed), "consumed_minutes": _r(b.consumed),
            "remaining_minutes": _r(b.remaining), "consumed_ratio": _r(b.ratio, 4),
            "state": b.state,
            "minutes_by_state": {k: _r(v) for k, v in sorted(b.by_state.items())},
            "incidents": [{"id": i, "weighted_minutes": _r(m)} for i, m in b.incidents]}


def to_dict(r: Report) -> dict[str, Any]:
    return {
        "range": {"since": r.since.isoformat() if r.since else None,
                  "until": r.until.isoformat(), "now": _iso(r.now), "timezone": "UTC"},
        "overall": group_dict(r.overall),
        "by_severity": {k: group_dict(g) for k, g in r.by_severity.items()},
        "by_service": {k: group_dict(g) for k, g in r.by_service.items()},
        "by_month": {k: group_dict(g) for k, g in r.by_month.items()},
        "time_between_failures": {k: failures_dict(f) for k, f in r.failures.items()},
        "error_budgets": {k: budget_dict(b) for k, b in r.budgets.items()},
    }


def to_json(r: Report) -> str:
    return json.dumps(to_dict(r), indent=2, ensure_ascii=False)


def _flatten(prefix: str, d: dict[str, Any]) -> list[tuple[str, Any]]:
    out: list[tuple[str, Any]] = []
    for k, v in d.items():
        name = f"{prefix}{k}"
        if isinstance(v, dict):
            out += _flatten(name + ".", v)
        elif isinstance(v, list):
            continue  # per-incident budget shares: JSON only
        else:
            out.append((name, v))
    return out


def to_csv(r: Report) -> str:
    d = to_dict(r)
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(["group_by", "group", "metric", "value"])
    rows: list[tuple[str, str, dict]] = [("all", "all", d["overall"])]
    for group_by, key in (("severity", "by_severity"), ("service", "by_service"),
                          ("month", "by_month")):
        rows += [(group_by, k, v) for k, v in d[key].items()]
    rows += [("time_between_failures", k, v) for k, v in d["time_between_failures"].items()]
    rows += [("error_budget", k, v) for k, v in d["error_budgets"].items()]
    for group_by, group, data in rows:
        for metric, value in _flatten("", data):
            w.writerow([group_by, group, metric, "" if value is None else value])
    return buf.getvalue()


# ---------------------------------------------------------------- table (for people)
def minutes(m: float | None) -> str:
    """42m, 1h05m, 2d03h — whole minutes, for tables (`times.duration_text`, the same
    rounding as the incident page); minutes are kept past a day (1454 minutes is 1d00h14m,
    not 1d00h)."""
    return duration_text(m, compact=True)


def pct(x: float | None) -> str:
    if x is None:
        return "—"
    if x == float("inf"):
        return "∞"
    return f"{x * 100:.0f}%"


def days(x: float | None) -> str:
    return "—" if x is None else f"{x:.1f} d"


def render_table(header: list[str], rows: list[list[str]]) -> str:
    """Plain text columns: first left-aligned, the rest right-aligned."""
    cols = [header] + rows
    widths = [max(len(str(r[i])) for r in cols) for i in range(len(header))]

    def line(r: list[str]) -> str:
        cells = [str(c).ljust(widths[0]) if i == 0 else str(c).rjust(widths[i])
                 for i, c in enumerate(r)]
        return "  ".join(cells).rstrip()

    return "\n".join([line(header), line(["-" * w for w in widths])] + [line(r) for r in rows])


def group_rows(groups: dict[str, Group]) -> list[list[str]]:
    return [[k, str(g.count), str(g.open)]
            + [minutes(g.durations[d].median) for d, *_ in DURATIONS]
            + [minutes(g.durations["mttr"].p90)] for k, g in groups.items()]


GROUP_HEADER = ["incidents", "open", "MTTD med", "MTTA med", "MTTM med", "MTTR med",
                "impact med", "MTTR p90"]


def to_table(r: Report) -> str:
    since = r.since.isoformat() if r.since else "first incident"
    o = r.overall
    excluded = f" ({r.excluded} left out by type)" if r.excluded else ""
    parts = [f"Incidents from {since} to {r.until.isoformat()} (UTC, by started_at): "
             f"{o.count}, {o.open} open{excluded}"]
    rows = []
    for key, a, b, _ in r.metrics:
        s = o.durations[key]
        rows.append([f"{key.upper()} {a.removesuffix('_at')} → {b.removesuffix('_at')}",
                     str(s.n), str(s.missing), str(s.open),
                     minutes(s.mean), minutes(s.median), minutes(s.p90)])
    parts.append(render_table(["Response times", "n", "missing", "open", "mean", "median",
                               "p90"], rows))
    months = {m: g for m, g in r.by_month.items() if g.count}  # no empty month rows
    for title, groups in (("By severity", r.by_severity), ("By service", r.by_service),
                          ("By month", months)):
        if groups:
            parts.append(render_table([title] + GROUP_HEADER, group_rows(groups)))
    if r.failures:
        parts.append(render_table(
            ["Time between failures", "incidents", "mean", "median", "last started",
             "since last"],
            [[k, str(f.incidents), days(f.mean_days), days(f.median_days),
              _iso(f.last_started) or "—", days(f.days_since_last)]
             for k, f in r.failures.items()]))
    pm, ai = o.postmortems, o.action_items
    parts.append(render_table(
        ["Postmortems", "required", "on time", "late", "date unknown", "overdue", "pending",
         "incident open", "on-time rate"],
        [["all", str(pm.required), str(pm.on_time), str(pm.late), str(pm.undated),
          str(pm.overdue), str(pm.pending), str(pm.unresolved), pct(pm.on_time_rate)]]))
    parts.append(render_table(
        ["Action items", "total", "done", "≤30 d", "later", "date unknown", "open", "overdue",
         "wontfix", "done rate"],
        [["all", str(ai.total), str(ai.done), str(ai.done_prompt), str(ai.done_late),
          str(ai.done_undated), str(ai.open), str(ai.overdue), str(ai.wontfix),
          pct(ai.done_rate)]]))
    if r.budgets:
        parts.append(render_table(
            ["Error budgets", "SLO", "window", "allowed", "consumed", "remaining", "used",
             "state"],
            [[k, f"{b.target:g}%", format_duration(b.window), minutes(b.allowed),
              minutes(b.consumed), ("-" if b.remaining < 0 else "") + minutes(abs(b.remaining)),
              pct(b.ratio), b.state.upper() if b.state != "ok" else "ok"]
             for k, b in r.budgets.items()]))
    return "\n\n".join(parts) + "\n"
