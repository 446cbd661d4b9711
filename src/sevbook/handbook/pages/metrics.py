"""`metrics.md` and, for every service with an SLO, an error-budget section below its page.

The numbers come from `sevbook.metrics` (the same `Report` as `sevbook report`); this module
writes them as Markdown with inline SVG charts. Links come from callables, so the Markdown
functions can be used without a handbook context.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from ...metrics import charts
from ...metrics.budget import EXHAUSTED_AT, WARNING_AT
from ...metrics.compute import ACTION_ITEM_DAYS, DURATIONS, Group, Metric, Report
from ...metrics.report import build_report, days, minutes, pct
from ...times import human, utc_date, utc_minute
from ..context import Context
from ..page import Page
from .budgets import LinkFn, badge, budget_section, figures, signed

PATH = "metrics.md"
POLICY = "process/error-budget-policy.md"
MONTHS = 12
"""The metrics page covers the current month and the 11 before it."""


def page_range_start(today: date, months: int = MONTHS) -> date:
    """First day of the month `months - 1` months before `today`'s month."""
    index = today.year * 12 + today.month - 1 - (months - 1)
    return date(index // 12, index % 12 + 1, 1)


def paths(ctx: Context) -> Iterable[str]:
    """The paths `pages` yields, without computing the report: the metrics page, then the
    page of every service with an SLO (those `compute_budgets` gives a budget)."""
    hb = ctx.handbook
    return (PATH, *(ctx.doc_uri(svc) for svc in hb.services.values() if svc.slo))


def pages(ctx: Context) -> Iterable[Page]:
    hb, now = ctx.handbook, ctx.now
    report = build_report(hb, now, since=page_range_start(utc_date(now)))
    has_policy = (hb.settings.content_path / POLICY).is_file()
    yield Page(PATH, "Metrics", above=metrics_page(
        report,
        link_service=lambda s: ctx.link_service(PATH, s),
        link_level=lambda lv: ctx.link_level(PATH, lv),
        policy_href=ctx.rel(PATH, POLICY) if has_policy else None))
    for sid, budget in report.budgets.items():
        svc = hb.services[sid]
        here = ctx.doc_uri(svc)
        yield Page(here, svc.name, below=budget_section(
            budget,
            link_incident=_incident_links(ctx, here),
            policy_href=ctx.rel(here, POLICY) if has_policy else None,
            chart_prefix=f"budget-{sid}"))


def _incident_links(ctx: Context, here: str) -> LinkFn:
    """Incident id -> a link to its page from the page at `here`."""
    return lambda i: ctx.link_incident(here, ctx.handbook.incidents[i])


def _month_label(m: str) -> str:
    return date.fromisoformat(m + "-01").strftime("%b %Y")


def metrics_page(report: Report, *, link_service: LinkFn, link_level: LinkFn,
                 policy_href: str | None = None) -> str:
    """The body of the metrics page (below its `# Metrics` title)."""
    r = report
    since = r.since.isoformat() if r.since else "the first incident"
    out = [charts.STYLE,
           f"Incidents that started from **{since}** to **{r.until.isoformat()}** (UTC), "
           f"computed when the handbook was built ({utc_minute(r.now)}). "
           f"For any other range run `sevbook report --since DATE --until DATE` "
           f"(`--format json` or `csv` for spreadsheets). Every number is defined "
           f"[below](#definitions).\n"]
    out.append(summary(r.overall, r.metrics))
    out.append("## Trends by month\n")
    out.append(monthly(r))
    out.append("## By severity\n")
    out.append(by_severity(r, link_level))
    out.append("## By service\n")
    out.append(by_service(r, link_service))
    out.append("## Postmortems and action items\n")
    out.append(follow_through(r, link_level))
    out.append("## Error budgets\n")
    out.append(budgets_table(r, link_service, policy_href))
    out.append(DEFINITIONS)
    return "\n".join(s.rstrip("\n") + "\n" for s in out)


def summary(g: Group, metrics: tuple[Metric, ...] = DURATIONS) -> str:
    rows = []
    for key, a, b, name in metrics:
        s = g.durations[key]
        rows.append([f"**{key.upper()}** {name.lower()} ({a.removesuffix('_at')} → "
                     f"{b.removesuffix('_at')})", str(s.n), str(s.missing), str(s.open),
                     minutes(s.mean), minutes(s.median), minutes(s.p90)])
    head = (f"**{g.count}** incident(s), **{g.open}** still open.\n\n")
    return head + figures(["Metric", "Incidents", "Missing a time", "Open", "Mean", "Median",
                          "p90"], rows)


def monthly(r: Report) -> str:
    months = list(r.by_month)
    if not months:
        return "No incidents in this range.\n"
    labels = [_month_label(m) for m in months]
    short = [date.fromisoformat(m + "-01").strftime("%b") for m in months]
    levels = list(r.by_severity)
    series = [charts.Series(lv, [r.by_month[m].by_severity.get(lv, 0) for m in months], i)
              for i, lv in enumerate(levels)]
    counts = [r.by_month[m].count for m in months]
    every = max(1, len(months) // 12)
    out = charts.bar_chart(
        "chart-incidents-by-month", "Incidents per month, by severity",
        "Stacked bars, one per month: " + "; ".join(
            f"{lab}: {c}" for lab, c in zip(labels, counts, strict=True)) + ".",
        short, series, stacked=True, fmt=lambda v: f"{v:g}",
        axis_fmt=lambda v: f"{v:g}" if v == int(v) else "", label_every=every)
    med = [charts.Series("MTTM median", [r.by_month[m].durations["mttm"].median
                                         for m in months], 2),
           charts.Series("MTTR median", [r.by_month[m].durations["mttr"].median
                                         for m in months], 3)]
    out += "\n" + charts.bar_chart(
        "chart-mttr-by-month", "Median time to mitigate and to resolve, per month",
        "Grouped bars, minutes: " + "; ".join(
            f"{lab}: MTTM {minutes(a)}, MTTR {minutes(b)}"
            for lab, a, b in zip(labels, med[0].values, med[1].values, strict=True)) + ".",
        short, med, fmt=minutes, axis_fmt=minutes, time_axis=True, label_every=every)
    count_rows = [[lab, str(r.by_month[m].count)]
                  + [str(r.by_month[m].by_severity.get(lv, 0)) for lv in levels]
                  + [str(r.by_month[m].open)] for m, lab in zip(months, labels, strict=True)]
    times = [[lab] + [minutes(r.by_month[m].durations[k].median) for k, *_ in DURATIONS]
             + [minutes(r.by_month[m].durations["mttr"].p90)]
             for m, lab in zip(months, labels, strict=True)]
    # Two narrow tables rather than one of twelve columns that scrolls at 1280 px.
    return (out + "\n### Incidents per month\n\n"
            + figures(["Month", "Incidents", *levels, "Open"], count_rows)
            + "\n### Response times per month\n\n"
            + figures(["Month", "MTTD median", "MTTA median", "MTTM median", "MTTR median",
                          "Impact median", "MTTR p90"], times))


def _group_rows(groups: dict[str, Group], link: LinkFn) -> list[list[str]]:
    return [[link(k), str(g.count), str(g.open)]
            + [f"{minutes(g.durations[d].median)}<br>p90 {minutes(g.durations[d].p90)}"
               for d, *_ in DURATIONS] for k, g in groups.items()]


GROUP_HEADERS = ["Incidents", "Open", "MTTD", "MTTA", "MTTM", "MTTR", "Impact"]
GROUP_NOTE = "Each time is the median, with the p90 below it.\n\n"


def by_severity(r: Report, link_level: LinkFn) -> str:
    if not r.by_severity:
        return "No incidents in this range.\n"
    levels = list(r.by_severity)
    med = [r.by_severity[lv].durations["mttr"].median for lv in levels]
    p90 = [r.by_severity[lv].durations["mttr"].p90 for lv in levels]
    chart = charts.bar_chart(
        "chart-mttr-by-severity", "Time to resolve by severity (median and p90)",
        "Grouped bars: " + "; ".join(
            f"{lv}: median {minutes(a)}, p90 {minutes(b)}"
            for lv, a, b in zip(levels, med, p90, strict=True)) + ".",
        levels, [charts.Series("MTTR median", med, 2), charts.Series("MTTR p90", p90, 4)],
        fmt=minutes, axis_fmt=minutes, time_axis=True)
    return chart + "\n" + GROUP_NOTE + figures(["Severity", *GROUP_HEADERS],
                                 _group_rows(r.by_severity, link_level))


def by_service(r: Report, link_service: LinkFn) -> str:
    if not r.by_service:
        return "No incidents in this range.\n"
    ids = list(r.by_service)
    chart = charts.bar_chart(
        "chart-incidents-by-service", "Incidents per service",
        "Bars: " + "; ".join(f"{s}: {r.by_service[s].count}" for s in ids) + ".",
        ids, [charts.Series("Incidents", [r.by_service[s].count for s in ids], 2)],
        axis_fmt=lambda v: f"{v:g}" if v == int(v) else "")
    out = chart + "\n" + GROUP_NOTE + figures(["Service", *GROUP_HEADERS],
                                _group_rows(r.by_service, link_service))
    rows = [[link_service(s), str(f.incidents), days(f.mean_days), days(f.median_days),
             f.last_started.strftime("%Y-%m-%d") if f.last_started else "—",
             days(f.days_since_last)] for s, f in r.failures.items()]
    out += ("\n### Time between failures\n\nTime from one incident's start to the next on the "
            "same service (needs two incidents).\n\n"
            + figures(["Service", "Incidents", "Mean", "Median", "Last incident",
                      "Since last"], rows))
    return out


def follow_through(r: Report, link_level: LinkFn) -> str:
    rows = []
    for key, g in [("all", r.overall), *r.by_severity.items()]:
        pm = g.postmortems
        if key != "all" and pm.required == 0:
            continue
        rows.append(["**All**" if key == "all" else link_level(key), pct(pm.on_time_rate),
                     str(pm.required), str(pm.on_time), str(pm.late), str(pm.undated),
                     str(pm.overdue), str(pm.pending), str(pm.unresolved)])
    out = "### Postmortems\n\n" + figures(
        ["Severity", "On-time rate", "Required", "On time", "Late", "Date unknown", "Overdue",
         "Not yet due", "Incident open"], rows)
    rates, done = [], []
    for key, g in [("all", r.overall), *r.by_severity.items()]:
        ai = g.action_items
        if key != "all" and ai.total == 0:
            continue
        name = "**All**" if key == "all" else link_level(key)
        rates.append([name, pct(ai.done_rate), pct(ai.prompt_rate), str(ai.total),
                      str(ai.open), str(ai.overdue), str(ai.wontfix)])
        done.append([name, str(ai.done), str(ai.done_prompt), str(ai.done_late),
                     str(ai.done_undated)])
    out += "\n### Action items\n\n" + figures(
        ["Severity", "Done rate", f"Done ≤ {ACTION_ITEM_DAYS} d rate", "Total", "Open",
         "of which overdue", "Won't fix"], rates)
    out += "\n### Action items done, by when\n\n" + figures(
        ["Severity", "Done", f"Done ≤ {ACTION_ITEM_DAYS} d", "Done later",
         "Done, date unknown"], done)
    return out


def budgets_table(r: Report, link_service: LinkFn, policy_href: str | None) -> str:
    if not r.budgets:
        return "No service declares an `slo`, so there are no error budgets.\n"
    policy = f" per the [error budget policy]({policy_href})" if policy_href else ""
    rows = [[link_service(s), badge(b.state), pct(b.ratio), signed(b.remaining),
             f"{b.target:g}%", human(b.window), minutes(b.allowed), minutes(b.consumed)]
            for s, b in r.budgets.items()]
    return (f"Rolling windows ending {utc_minute(next(iter(r.budgets.values())).end)}; "
            f"warning at {WARNING_AT:.0%} consumed, release freeze at "
            f"{EXHAUSTED_AT:.0%}{policy}.\n\n"
            + figures(["Service", "State", "Used", "Remaining", "SLO", "Window", "Allowed",
                          "Consumed"], rows))


DEFINITIONS = """\
## Definitions

So nobody has to argue about what MTTR means here:

- **Incident**: a file in `incidents/` with `kind: incident` (maintenance is never counted).
  It belongs to the range and the month (UTC) of its `started_at` (or `detected_at`).
- **MTTD**, mean time to detect: `started_at` → `detected_at` (impact began → someone knew).
- **MTTA**, mean time to acknowledge: `detected_at` → `acknowledged_at` (a responder took it).
- **MTTM**, mean time to mitigate: `detected_at` → `mitigated_at` (customer impact stopped).
- **MTTR**, mean time to resolve: `detected_at` → `resolved_at` (incident closed). All four
  start at detection except MTTD, so they measure the response, not the bug's age. With
  `metrics: {start: started}` in mkdocs.yml, MTTA, MTTM and MTTR start at `started_at`
  instead (records without `detected_at`, like many public postmortems); the table above
  names the start in use.
- **Impact duration**: `started_at` → `mitigated_at`, else `resolved_at` (how long
  customers were affected), whatever the start setting.
- **Incident types**: incidents with a `type:` listed in `metrics.exclude_types` (default
  near_miss, drill, false_alarm) are left out of every metric and error budget.
- **Approximate times**: a time marked `approximate` under `time_precision:` is used; one
  marked `unknown` counts as missing.
- **Median**: the middle value (the mean of the two middle values for an even count).
  **p90**: nearest rank — the ⌈0.9 × n⌉-th smallest value, a time that 90% of incidents
  met; it is always one of the measured values.
- **Missing a time**: a closed incident lacking one of the two timestamps. It is left out of
  that metric and counted in this column; nothing is guessed. **Open**: an unresolved
  incident that has not reached the end timestamp yet, also left out.
- **Time between failures**: days from one incident's start to the next incident's start on
  the same service (an incident with several services counts for each).
- **Postmortem on time**: the severity requires a postmortem, and `postmortem.published_at`
  is no later than `resolved_at` + the severity's `postmortem.due`. *Late*: published
  after that. *Date unknown*: published without `published_at` (left out of the rate).
  *Overdue*: not published and past due. *Not yet due* and *incident open* are left out of
  the rate. On-time rate = on time / (on time + late + overdue).
- **Action item done ≤ 30 d**: `status: done` with `done_at` at most 30 days after the
  incident's `resolved_at` (its start while open). *Date unknown*: done without `done_at`.
  *Overdue*: open with `due` in the past. Done rate = done / (total − won't fix).
- **Error budget**: for a service with `slo: {target, window}`, allowed = window minutes ×
  (100 − target)%, over the rolling window that ends now. Consumed = 1 × major outage
  minutes + 0.3 × partial outage minutes (the status page's uptime formula); degraded
  performance and maintenance cost nothing. Remaining = allowed − consumed. **Warning** from
  80% consumed, **exhausted** (release freeze) from 100%.
- **Outage minutes of a service**: for a public incident on a status page component, the
  component states its public updates announced (the first update's state applies from
  `started_at`; an update that does not name the component keeps its state) until
  `resolved_at`. Otherwise (private incidents, internal services) the severity's
  `component_status` from `started_at` until `mitigated_at` (impact stopped), else
  `resolved_at`, else now. Where incidents overlap on a service, the worst state at each
  moment counts once.
- Times are UTC; an open incident counts up to the build time.
"""
