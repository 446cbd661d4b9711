"""Incident metrics over a date range, overall and grouped by severity, service and month.

Pure functions over the validated model: no I/O, no clock (pass `now`). Every definition
here is restated for readers on the handbook's metrics page
(`sevbook.handbook.pages.metrics.DEFINITIONS`); change both together.

* An incident is in the range when its `started_at` (else `detected_at`) falls between
  `since` 00:00 UTC and `until` 24:00 UTC, and not after `now`. Months are UTC months of
  that time. Maintenance is never an incident.
* Durations are minutes. A metric's `n` counts the incidents that have both timestamps;
  `missing` the closed incidents lacking one (excluded, never guessed); `open` the
  unresolved incidents that have not reached the end timestamp yet.
* median: the middle value (mean of the two middle values for an even count).
  p90: nearest rank — the smallest value with at least 90% of values at or below it,
  i.e. the ⌈0.9·n⌉-th smallest value.
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from itertools import pairwise

from ..model import Handbook, Incident, SeverityMatrix
from ..model.record import approximate, unknown
from ..model.vocab import ActionItemStatus, PostmortemStatus

Metric = tuple[str, str, str, str]
"""(key, from timestamp, to timestamp, name) of a duration metric."""


def duration_metrics(start: str = "detected") -> tuple[Metric, ...]:
    """Every duration metric, with MTTA/MTTM/MTTR starting at `start` (the setting
    `metrics.start`: `detected` → detected_at, `started` → started_at). MTTD always runs
    started → detected; the impact duration started → ended (mitigated, else resolved)."""
    frm = "started_at" if start == "started" else "detected_at"
    return (
        ("mttd", "started_at", "detected_at", "Mean time to detect"),
        ("mtta", frm, "acknowledged_at", "Mean time to acknowledge"),
        ("mttm", frm, "mitigated_at", "Mean time to mitigate"),
        ("mttr", frm, "resolved_at", "Mean time to resolve"),
        ("impact", "started_at", "ended_at", "Impact duration"),
    )


DURATIONS: tuple[Metric, ...] = duration_metrics()
"""The duration metrics with the default start (detection); keys are the same for every
start, so groups index their `durations` by them."""

ACTION_ITEM_DAYS = 30
"""An action item counts as done promptly when closed within this many days."""


def p90(values: list[float]) -> float | None:
    """Nearest-rank 90th percentile: the ⌈0.9·n⌉-th smallest value."""
    if not values:
        return None
    s = sorted(values)
    return s[max(1, math.ceil(0.9 * len(s))) - 1]


@dataclass
class Stat:
    """One duration metric over a group of incidents (minutes)."""

    n: int = 0
    missing: int = 0
    open: int = 0
    mean: float | None = None
    median: float | None = None
    p90: float | None = None
    approximate: int = 0
    """How many of the `n` values come from a time marked approximate."""

    @classmethod
    def of(cls, values: list[float], missing: int, open_: int, approximate: int = 0) -> Stat:
        if not values:
            return cls(0, missing, open_)
        return cls(len(values), missing, open_, statistics.fmean(values),
                   statistics.median(values), p90(values), approximate)


@dataclass
class PostmortemStats:
    """Postmortems owed (severity requires one) by incidents in the group.

    on_time/late: published on or before/after resolved + due (needs `published_at`);
    undated: published without `published_at` (left out of the rate); overdue: not published
    and past due; pending: not published and not yet due; unresolved: incident still open."""

    required: int = 0
    on_time: int = 0
    late: int = 0
    undated: int = 0
    overdue: int = 0
    pending: int = 0
    unresolved: int = 0

    @property
    def published(self) -> int:
        return self.on_time + self.late + self.undated

    @property
    def on_time_rate(self) -> float | None:
        """on_time / (on_time + late + overdue): of the dated outcomes, how many were on time."""
        d = self.on_time + self.late + self.overdue
        return self.on_time / d if d else None


@dataclass
class ActionItemStats:
    """Action items of incidents in the group. done = prompt + late + undated (closed within
    30 days of the incident's resolution, later, or without `done_at`); open includes
    overdue (open and past `due`)."""

    total: int = 0
    done: int = 0
    done_prompt: int = 0
    done_late: int = 0
    done_undated: int = 0
    open: int = 0
    overdue: int = 0
    wontfix: int = 0

    @property
    def done_rate(self) -> float | None:
        """done / (total − wontfix)."""
        d = self.total - self.wontfix
        return self.done / d if d else None

    @property
    def prompt_rate(self) -> float | None:
        """done within 30 days / (total − wontfix − done with unknown date)."""
        d = self.total - self.wontfix - self.done_undated
        return self.done_prompt / d if d else None


@dataclass
class Group:
    """Every metric for one group of incidents (all, one severity, service or month)."""

    key: str
    count: int = 0
    open: int = 0
    by_severity: dict[str, int] = field(default_factory=dict)
    durations: dict[str, Stat] = field(default_factory=dict)
    postmortems: PostmortemStats = field(default_factory=PostmortemStats)
    action_items: ActionItemStats = field(default_factory=ActionItemStats)


@dataclass
class Failures:
    """Time between failures of one service: gaps between consecutive incident starts."""

    service: str
    incidents: int
    gaps: int
    mean_days: float | None
    median_days: float | None
    last_started: datetime | None
    days_since_last: float | None


@dataclass
class Report:
    since: date | None
    until: date
    now: datetime
    overall: Group
    by_severity: dict[str, Group]
    by_service: dict[str, Group]
    by_month: dict[str, Group]
    failures: dict[str, Failures]
    budgets: dict = field(default_factory=dict)
    """service id -> `metrics.budget.Budget` (filled by `build_report`)."""
    metrics: tuple[Metric, ...] = DURATIONS
    """The duration metrics as computed (their start follows `metrics.start`)."""
    excluded: int = 0
    """Incidents in the range left out for their `type:` (`metrics.exclude_types`)."""


def anchor(inc: Incident) -> datetime | None:
    """The time that places an incident in a range and a month."""
    return inc.started_at or inc.detected_at


def day_start(d: date) -> datetime:
    return datetime.combine(d, time(0), tzinfo=UTC)


def select(incidents: Iterable[Incident], since: date | None, until: date, now: datetime,
           service: str | None = None, exclude: Iterable[str] = ()) -> list[Incident]:
    """Incidents (not maintenance, nor of a `type:` in `exclude`) whose anchor lies in
    [since, until] and not after now."""
    lo = day_start(since) if since else None
    hi = day_start(until + timedelta(days=1))
    skip = frozenset(exclude)
    out = []
    for inc in incidents:
        if inc.is_maintenance or (service and service not in inc.services):
            continue
        if inc.type is not None and inc.type in skip:
            continue
        t = anchor(inc)
        if t is None or t >= hi or t > now or (lo is not None and t < lo):
            continue
        out.append(inc)
    return out


def month_of(inc: Incident) -> str:
    t = anchor(inc).astimezone(UTC)  # type: ignore[union-attr]
    return f"{t.year:04d}-{t.month:02d}"


def months_between(since: date, until: date) -> list[str]:
    """Every month from since to until inclusive, as YYYY-MM."""
    y, m = since.year, since.month
    out = []
    while (y, m) <= (until.year, until.month):
        out.append(f"{y:04d}-{m:02d}")
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return out


class _Acc:
    """Collects raw values for one group; `finish` turns them into a Group."""

    __slots__ = ("key", "count", "open", "sev", "values", "missing", "opened", "approx", "pm",
                 "ai")

    def __init__(self, key: str):
        self.key = key
        self.count = 0
        self.open = 0
        self.sev: dict[str, int] = {}
        self.values: dict[str, list[float]] = {k: [] for k, *_ in DURATIONS}
        self.missing = dict.fromkeys(self.values, 0)
        self.opened = dict.fromkeys(self.values, 0)
        self.approx = dict.fromkeys(self.values, 0)
        self.pm = PostmortemStats()
        self.ai = ActionItemStats()

    def finish(self) -> Group:
        return Group(self.key, self.count, self.open, self.sev,
                     {k: Stat.of(self.values[k], self.missing[k], self.opened[k], self.approx[k])
                      for k in self.values}, self.pm, self.ai)


@dataclass
class _Facts:
    """What one incident contributes, computed once and added to each of its groups."""

    severity: str
    resolved: bool
    values: dict[str, float | None]
    opened: set[str]
    approx: set[str]
    pm: str | None
    ai: list[str]


def _facts(inc: Incident, severity: SeverityMatrix | None, today: date, now: datetime,
           metrics: tuple[Metric, ...] = DURATIONS) -> _Facts:
    """A time marked unknown (`time_precision`) counts as missing; one marked approximate
    is used and counted in the metric's `approximate`."""
    values = incident_durations(inc, metrics)
    opened: set[str] = set()
    approx: set[str] = set()
    resolved = inc.resolved_at is not None
    prec = inc.time_precision
    for key, a, b, _ in metrics:
        if values[key] is not None:
            if approximate(prec, a) or approximate(prec, _source(inc, b)):
                approx.add(key)
        elif getattr(inc, _source(inc, b)) is None and not resolved:
            opened.add(key)
    level = severity.level(inc.severity) if severity else None
    pm: str | None = None
    if level is not None and level.postmortem.required:
        pm = _postmortem_outcome(inc, inc.postmortem_due(level), now)
    ai = [_action_item_outcome(inc, item, today) for item in inc.action_items]
    return _Facts(inc.severity or "—", resolved, values, opened, approx, pm, ai)


def incident_durations(inc: Incident, metrics: tuple[Metric, ...] = DURATIONS,
                       ) -> dict[str, float | None]:
    """One incident's duration metrics in minutes (metric key -> value; None when a time is
    missing or unknown): what the report aggregates and the incident page states."""
    values: dict[str, float | None] = {}
    for key, a, b, _ in metrics:
        ta, tb = _time(inc, a), _time(inc, b)
        values[key] = (tb - ta).total_seconds() / 60 if ta is not None and tb is not None \
            else None
    return values


def _source(inc: Incident, key: str) -> str:
    """The timestamp a metric's end reads: `ended_at` is mitigated_at, else resolved_at."""
    if key != "ended_at":
        return key
    return "mitigated_at" if inc.mitigated_at is not None else "resolved_at"


def _time(inc: Incident, key: str) -> datetime | None:
    """The time `key` of an incident (None when missing or marked unknown)."""
    src = _source(inc, key)
    return None if unknown(inc.time_precision, src) else getattr(inc, src)


def _postmortem_outcome(inc: Incident, due_at: datetime | None, now: datetime) -> str:
    """`due_at`: `Incident.postmortem_due` (None when the level gives no due time: then
    it is due at resolution)."""
    published = PostmortemStatus(inc.postmortem.status).final
    if inc.resolved_at is None:
        return "undated" if published and inc.postmortem.published_at is None else (
            "on_time" if published else "unresolved")
    due_at = due_at or inc.resolved_at
    if published:
        if inc.postmortem.published_at is None:
            return "undated"
        return "on_time" if inc.postmortem.published_at <= due_at.date() else "late"
    return "overdue" if now > due_at else "pending"


def _action_item_outcome(inc: Incident, item, today: date) -> str:
    if item.status == ActionItemStatus.WONTFIX:
        return "wontfix"
    if item.status == ActionItemStatus.DONE:
        if item.done_at is None:
            return "done_undated"
        ref = (inc.resolved_at or anchor(inc)).date()  # type: ignore[union-attr]
        return "done_prompt" if (item.done_at - ref).days <= ACTION_ITEM_DAYS else "done_late"
    if item.due is not None and item.due < today:
        return "overdue"
    return "open"


def _add(acc: _Acc, f: _Facts) -> None:
    acc.count += 1
    if not f.resolved:
        acc.open += 1
    acc.sev[f.severity] = acc.sev.get(f.severity, 0) + 1
    for key, v in f.values.items():
        if v is not None:
            acc.values[key].append(v)
            acc.approx[key] += key in f.approx
        elif key in f.opened:
            acc.opened[key] += 1
        else:
            acc.missing[key] += 1
    if f.pm is not None:
        acc.pm.required += 1
        setattr(acc.pm, f.pm, getattr(acc.pm, f.pm) + 1)
    ai = acc.ai
    for outcome in f.ai:
        ai.total += 1
        setattr(ai, outcome, getattr(ai, outcome) + 1)
        if outcome.startswith("done"):
            ai.done += 1
        elif outcome == "overdue":
            ai.open += 1


def compute(hb: Handbook, now: datetime, since: date | None = None, until: date | None = None,
            service: str | None = None) -> Report:
    """Every incident metric for incidents in the range (see the module docstring)."""
    until = until or now.astimezone(UTC).date()
    opts = hb.settings.metrics
    metrics = duration_metrics(opts.start)
    everything = select(hb.incidents.values(), since, until, now, service)
    incs = select(everything, since, until, now, service, opts.exclude_types)
    today = now.astimezone(UTC).date()
    overall = _Acc("all")
    sev_accs: dict[str, _Acc] = {}
    svc_accs: dict[str, _Acc] = {}
    month_accs: dict[str, _Acc] = {}
    starts: dict[str, list[datetime]] = {}
    def acc(accs: dict[str, _Acc], key: str) -> _Acc:
        a = accs.get(key)
        if a is None:
            a = accs[key] = _Acc(key)
        return a

    for inc in incs:
        f = _facts(inc, hb.severity, today, now, metrics)
        _add(overall, f)
        _add(acc(sev_accs, f.severity), f)
        _add(acc(month_accs, month_of(inc)), f)
        for s in dict.fromkeys(inc.services):
            if service and s != service:
                continue
            _add(acc(svc_accs, s), f)
            starts.setdefault(s, []).append(anchor(inc))  # type: ignore[arg-type]
    # Order: severities as in the matrix, services by id, months chronologically (every
    # month of the range, empty ones too, so trends show gaps).
    levels = [lv.id for lv in hb.severity.levels] if hb.severity else []
    sev_order = levels + sorted(k for k in sev_accs if k not in levels)
    by_severity = {k: sev_accs[k].finish() for k in sev_order if k in sev_accs}
    first = since or (min(month_accs) + "-01" if month_accs else None)
    if isinstance(first, str):
        first = date.fromisoformat(first)
    months = months_between(first, until) if first else []
    by_month = {m: (month_accs[m].finish() if m in month_accs else Group(m, durations={
        k: Stat() for k, *_ in DURATIONS})) for m in months}
    by_service = {k: svc_accs[k].finish() for k in sorted(svc_accs)}
    failures = {s: _failures(s, starts[s], now) for s in sorted(starts)}
    rank = {k: i for i, k in enumerate(sev_order)}
    for g in [overall_g := overall.finish(), *by_severity.values(), *by_month.values(),
              *by_service.values()]:
        g.by_severity = dict(sorted(g.by_severity.items(), key=lambda kv: rank[kv[0]]))
    return Report(since, until, now, overall_g, by_severity, by_service, by_month,
                  failures, metrics=metrics, excluded=len(everything) - len(incs))


def _failures(service: str, starts: list[datetime], now: datetime) -> Failures:
    s = sorted(starts)
    gaps = [(b - a).total_seconds() / 86400 for a, b in pairwise(s)]
    last = s[-1] if s else None
    return Failures(
        service, len(s), len(gaps),
        statistics.fmean(gaps) if gaps else None,
        statistics.median(gaps) if gaps else None,
        last, (now - last).total_seconds() / 86400 if last else None)
