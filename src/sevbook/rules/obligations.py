"""What a severity level obliges an incident to do: roles, update cadence, postmortem,
follow-through. The due dates themselves are `Incident` methods, shared with the pages and
the metrics."""

from __future__ import annotations

from collections.abc import Iterator

from ..model import Incident
from ..model.vocab import IncidentStatus, PostmortemStatus
from ..times import human
from .context import RuleContext
from .registry import Finding, rule


@rule("required-role", "warning", ["incident"],
      "every role the incident's severity requires is filled")
def required_roles(ctx: RuleContext, inc: Incident) -> Iterator[Finding]:
    level = ctx.level(inc.severity)
    if level is None:
        return
    missing = [r for r in level.roles if r not in inc.roles or not str(inc.roles[r]).strip()]
    if missing:
        yield Finding(inc.path, ("roles",),
                      f"{inc.severity} requires the role(s) {', '.join(missing)}; record who "
                      f"held them under roles:, e.g. {missing[0]}: NAME", {"roles": missing})


@rule("silent-incident", "warning", ["incident"],
      "public updates come at least as often as the severity's update_every, also now; "
      "gaps a later update closed are reported once the incident is resolved")
def update_cadence(ctx: RuleContext, inc: Incident) -> Iterator[Finding]:
    """While an incident is open only the silence now is reported: a late update is better
    than none, so the pull request that posts it passes `check --strict`. The gaps it and
    earlier updates closed are history, reported once the incident is resolved (for the
    postmortem; `accepted:` acknowledges them)."""
    level = ctx.level(inc.severity)
    if level is None or level.update_every is None:
        return
    every = level.update_every
    gaps = inc.update_gaps(level) if inc.updates_end() is not None else ()
    for j, gap in gaps:
        yield Finding(inc.path, ("updates", j, "at"),
                      f"{human(gap)} passed between public updates {j - 1} and {j}; "
                      f"{inc.severity} promises an update every {human(every)} — post even "
                      "'still investigating'", {"index": j})
    due = inc.next_update_due(level)
    if due is not None and ctx.now > due:
        last = len(inc.updates) - 1
        yield Finding(inc.path, ("updates", last, "at"),
                      f"no public update for {human(ctx.now - inc.updates[last].at)} on an open "
                      f"incident; {inc.severity} promises one every {human(every)} — post one "
                      f"now with sevbook update {inc.id}", {"index": last, "due": due})


@rule("postmortem-overdue", "warning", ["incident"],
      "the postmortem is published within the severity's postmortem.due of resolution")
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


@rule("action-item-overdue", "warning", ["incident"], "no open action item is past its due date")
def action_items_overdue(ctx: RuleContext, inc: Incident) -> Iterator[Finding]:
    for j in inc.overdue_action_items(ctx.today):
        ai = inc.action_items[j]
        yield Finding(inc.path, ("action_items", j, "due"),
                      f"action item '{ai.title}' was due {ai.due} and is still open; finish "
                      "it, set a new due date, or mark it wontfix with a reason", {"index": j})


@rule("no-action-items", "warning", ["incident"], "a published postmortem has action items")
def published_without_actions(ctx: RuleContext, inc: Incident) -> Iterator[Finding]:
    if inc.postmortem.status == PostmortemStatus.PUBLISHED and not inc.action_items:
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
