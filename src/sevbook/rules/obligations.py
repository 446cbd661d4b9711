"""What a severity level obliges an incident to do: roles, update cadence, postmortem,
follow-through. The due dates themselves are `Incident` methods, shared with the pages and
the metrics."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, time, timedelta

from ..model import Incident
from ..model.incident import update_stage
from ..model.severity import Cadence, Level
from ..model.vocab import ActionItemStatus, Audience, IncidentStatus, PostmortemStatus
from ..times import human
from .context import RuleContext
from .registry import Finding, rule


@rule("required-role", "warning", ["incident"],
      "every role the incident's severity requires is filled")
def required_roles(ctx: RuleContext, inc: Incident) -> Iterator[Finding]:
    level = ctx.level(inc.severity)
    if level is None:
        return
    roles = inc.roles
    missing = [r for r in level.roles if not _filled(roles.get(r, ""))]
    if missing:
        yield Finding(inc.path, ("roles",),
                      f"{inc.severity} requires the role(s) {', '.join(missing)}; record who "
                      f"held them under roles:, e.g. {missing[0]}: NAME", {"roles": missing})


def _filled(value: object) -> bool:
    """Whether a role as written has a holder: `inc.role_holders(r)` is not empty (a
    non-blank name, or a list of shifts), without building the shifts (10,000 incidents
    times each required role)."""
    return bool(value.strip()) if isinstance(value, str) else bool(value)


@rule("silent-incident", "warning", ["incident"],
      "public updates come at least as often as the severity's update_every (customers), "
      "internal timeline entries as often as its internal cadence and executive briefings "
      "(timeline entries with audience: executives) as often as its executives' cadence, "
      "each in the stage in force, also now; gaps a later update closed are reported once "
      "the incident is resolved")
def update_cadence(ctx: RuleContext, inc: Incident) -> Iterator[Finding]:
    """While an incident is open only the silence now is reported: a late update is better
    than none, so the pull request that posts it passes `check --strict`. The gaps it and
    earlier updates closed are history, reported once the incident is resolved (for the
    postmortem; `accepted:` acknowledges them)."""
    level = ctx.level(inc.severity)
    if level is None or level.update_every is None:
        return
    if inc.is_maintenance:
        return  # owes no public update (`Incident._update_every`) and logs none
    if inc.public and inc.updates:  # only those owe public updates (`_update_every`)
        yield from _public_silence(ctx, inc, level)
    internal = [(j, e.at) for j, e in enumerate(inc.timeline)]
    yield from _log_silence(ctx, inc, level, Audience.INTERNAL, internal)
    briefings = [(j, e.at) for j, e in enumerate(inc.timeline) if e.briefing]
    yield from _log_silence(ctx, inc, level, Audience.EXECUTIVES, briefings)


def _promise(severity: str | None, level: Level, audience: Audience,
             what: str = "an update", stage: IncidentStatus = IncidentStatus.INVESTIGATING,
             ) -> str:
    """`SEV1 promises an update every 30 min` (plain cadence, as always) or, per audience,
    `SEV1 promises customers an update every 20 min`, and with a cadence by stage `... while
    monitoring`."""
    every = human(level.cadence(audience, stage))
    whom = "" if not isinstance(level.update_every, Cadence) else f"{audience.whom} "
    when = f" while {stage.lower_label}" if level.by_stage(audience) else ""
    return f"{severity} promises {whom}{what} every {every}{when}"


def _public_silence(ctx: RuleContext, inc: Incident, level: Level) -> Iterator[Finding]:
    """Each gap is held to the cadence of the severity in force and of the stage set when
    it began; the silence now to the current severity's and stage's."""

    def level_at(t: datetime) -> Level | None:
        return ctx.level(inc.severity_at(t))

    history = level_at if inc.severity_history else None
    gaps = inc.update_gaps(level, history) if inc.updates_end() is not None else ()
    for j, gap in gaps:
        prev = inc.updates[j - 1]
        was = inc.severity_at(prev.at)
        promise = _promise(was, ctx.level(was) or level, Audience.CUSTOMERS,
                           stage=update_stage(prev))
        yield Finding(inc.path, ("updates", j, "at"),
                      f"{human(gap)} passed between public updates {j - 1} and {j}; "
                      f"{promise} — post even 'still investigating'", {"index": j})
    due = inc.next_update_due(level)
    if due is not None and ctx.now > due:
        last = len(inc.updates) - 1
        now_promise = _promise(inc.severity, level, Audience.CUSTOMERS, "one",
                               update_stage(inc.updates[last]))
        yield Finding(inc.path, ("updates", last, "at"),
                      f"no public update for {human(ctx.now - inc.updates[last].at)} on an open "
                      f"incident; {now_promise} — post one now with sevbook update {inc.id}",
                      {"index": last, "due": due})


LOG_WORDS = {
    Audience.INTERNAL: ("an update", "timeline entries {a} and {b}", "timeline entry",
                        "log what is being done, even 'no change'", "add one to the timeline "
                        "now"),
    Audience.EXECUTIVES: ("a briefing", "executive briefings (timeline entries {a} and {b})",
                          "executive briefing", "brief them, even 'no change', and log it "
                          "with audience: executives", "brief them now and log it with "
                          "audience: executives"),
}
"""How the silence of each logged audience reads: (what is promised, the gap's two
entries, one entry, the fix for a gap, the fix now)."""


def _log_silence(ctx: RuleContext, inc: Incident, level: Level, audience: Audience,
                 log: list[tuple[int, datetime]]) -> Iterator[Finding]:
    """A cadence checked on timeline entries (`log`: index in the timeline, time), from the
    first until resolution; each gap against the severity in force and the stage when it
    began, the silence now against the current ones."""
    if not log:
        return
    what, pair, one, fix, fix_now = LOG_WORDS[audience]
    end = inc.resolved_at
    if end is not None:
        floor = ctx.once(_shortest_cadence).get(audience)
        if floor is None:
            return  # no level promises this audience anything
        for (a, prev), (b, nxt) in zip(log, log[1:], strict=False):
            gap = min(nxt, end) - prev
            if prev >= end or gap <= floor:
                continue  # within every cadence any level promises
            was, stage = inc.severity_at(prev), inc.stage_at(prev)
            then = ctx.level(was) or level
            owed = then.cadence(audience, stage)
            if owed and gap > owed:
                yield Finding(inc.path, ("timeline", b, "at"),
                              f"{human(gap)} passed between {pair.format(a=a, b=b)}; "
                              f"{_promise(was, then, audience, what, stage)} — {fix}",
                              {"index": b})
        return
    last, at = log[-1]
    stage = inc.stage_at(ctx.now)
    every = level.cadence(audience, stage)
    if every and ctx.now - at > every:
        yield Finding(inc.path, ("timeline", last, "at"),
                      f"no {one} for {human(ctx.now - at)} on an open incident; "
                      f"{_promise(inc.severity, level, audience, what, stage)} — {fix_now}",
                      {"index": last})


def _shortest_cadence(ctx: RuleContext) -> dict[Audience, timedelta]:
    """{audience: the shortest cadence any severity level promises it in any stage}, for
    the logged audiences any level promises something (a gap no longer than this keeps
    every promise)."""
    levels = ctx.handbook.severity.levels if ctx.handbook.severity else []
    out: dict[Audience, timedelta] = {}
    for audience in LOG_WORDS:
        owed = [every for lv in levels for stage in IncidentStatus
                if (every := lv.cadence(audience, stage))]
        if owed:
            out[audience] = min(owed)
    return out


@rule("late-first-update", "warning", ["incident"],
      "the first public update came within the severity's first_update_within of detection "
      "(else the start)")
def first_update(ctx: RuleContext, inc: Incident) -> Iterator[Finding]:
    start = inc.detected_at or inc.started_at
    severity = inc.severity_at(start) if start is not None else inc.severity
    level = ctx.level(severity)
    within = level.first_update_within if level is not None else None
    delay = inc.first_update_delay()
    if within is None or not inc.public or delay is None or delay <= within:
        return
    since = "detection" if inc.detected_at is not None else "the start"
    yield Finding(inc.path, ("updates", 0, "at"),
                  f"the first public update came {human(delay)} after {since}; "
                  f"{severity} promises one within {human(within)} — post a first "
                  "'investigating' update as soon as the incident is declared")


def _obligations_horizon(ctx: RuleContext, inc: Incident) -> datetime | None:
    """The first deadline not yet passed of an obligation not met (then it turns overdue)."""
    level = ctx.level(inc.severity)
    if level is None or inc.is_maintenance:
        return None
    status = PostmortemStatus(inc.postmortem.status)
    workdays = ctx.handbook.settings.workdays
    dues = [due for ob in level.postmortem.obligations
            if (due := inc.obligation_due(ob, workdays)) is not None
            and ctx.now <= due and not ob.what.met(status)]
    return min(dues, default=None)


@rule("postmortem-obligation-overdue", "warning", ["incident"],
      "each of the severity's postmortem.obligations (draft, review, publish) is met by its "
      "deadline after resolution", horizon=_obligations_horizon)
def obligations_overdue(ctx: RuleContext, inc: Incident) -> Iterator[Finding]:
    level = ctx.level(inc.severity)
    if level is None or inc.is_maintenance:
        return
    status = PostmortemStatus(inc.postmortem.status)
    workdays = ctx.handbook.settings.workdays
    for j, ob in enumerate(level.postmortem.obligations):
        due = inc.obligation_due(ob, workdays)
        if due is None or ctx.now <= due or ob.what.met(status):
            continue
        days = " business days" if ob.business_days else ""
        span = f"{ob.within.days}{days}" if ob.business_days else human(ob.within)
        yield Finding(inc.path, ("postmortem", "status"),
                      f"the postmortem's {ob.what.lower_label} was due {due.date()} ({inc.severity}: {span} "
                      f"after resolution) and the postmortem is '{status}'; set status: "
                      f"{ob.what.met_by} once done, or agree a new date with the owner",
                      {"due": due, "obligation": j})


def _postmortem_horizon(ctx: RuleContext, inc: Incident) -> datetime | None:
    """The postmortem's due time while it lies ahead (once overdue, it stays overdue)."""
    due = inc.postmortem_due(ctx.level(inc.severity))
    return due if due is not None and ctx.now <= due else None


@rule("postmortem-overdue", "warning", ["incident"],
      "the postmortem is published within the severity's postmortem.due of resolution",
      horizon=_postmortem_horizon)
def postmortem_overdue(ctx: RuleContext, inc: Incident) -> Iterator[Finding]:
    level = ctx.level(inc.severity)
    due = inc.postmortem_due(level)
    if level is None or due is None or not inc.postmortem_overdue(level, ctx.now):
        return
    yield Finding(inc.path, ("postmortem",),
                  f"postmortem was due {due.date()} ({inc.severity}: "
                  f"{human(level.postmortem.due)} after resolution) and is "
                  f"'{inc.postmortem.status}'; publish it or agree a new date with the owner",
                  {"due": due})


def _action_items_horizon(ctx: RuleContext, inc: Incident) -> datetime | None:
    """The start of the day after the first due date of an open item not yet overdue (in
    the zone of `now`, whose date `today` is)."""
    today = ctx.today
    dues = [ai.due for ai in inc.action_items
            if ai.status == ActionItemStatus.OPEN and ai.due is not None and ai.due >= today]
    if not dues or inc.is_maintenance:
        return None
    return datetime.combine(min(dues) + timedelta(days=1), time(), tzinfo=ctx.now.tzinfo)


@rule("action-item-overdue", "warning", ["incident"], "no open action item is past its due date",
      horizon=_action_items_horizon)
def action_items_overdue(ctx: RuleContext, inc: Incident) -> Iterator[Finding]:
    for j in inc.overdue_action_items(ctx.today):
        ai = inc.action_items[j]
        yield Finding(inc.path, ("action_items", j, "due"),
                      f"action item '{ai.title}' was due {ai.due} and is still open; finish "
                      "it, set a new due date, or mark it wontfix with a reason", {"index": j})


@rule("no-action-items", "warning", ["incident"], "a published postmortem has action items")
def published_without_actions(ctx: RuleContext, inc: Incident) -> Iterator[Finding]:
    if PostmortemStatus(inc.postmortem.status).final and not inc.action_items:
        yield Finding(inc.path, ("postmortem", "status"),
                      "published postmortem has no action items, so nothing will change; add "
                      "action_items with owners and due dates")


@rule("no-monitoring", "warning", ["incident"],
      "a resolved incident went through a monitoring update")
def monitored(ctx: RuleContext, inc: Incident) -> Iterator[Finding]:
    if inc.resolved_at is not None and inc.updates \
            and not any(u.status == IncidentStatus.MONITORING for u in inc.updates):
        yield Finding(inc.path, ("updates",),
                      "resolved without a 'monitoring' update: the fix was never shown to "
                      "hold; post status: monitoring before resolving next time")
