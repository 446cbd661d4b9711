"""Times in order: key times, updates, timeline, windows, dates; the file's date prefix."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import UTC, datetime

from ..model import Incident
from .context import RuleContext, iso
from .registry import Finding, rule

INCIDENTS = ("incident", "maintenance")
ORDERED_TIMES = ("started_at", "detected_at", "acknowledged_at", "mitigated_at", "resolved_at")
DATE_PREFIX = re.compile(r"^(\d{4}-\d{2}-\d{2})-")


@rule("out-of-order", "error", INCIDENTS,
      "started ≤ detected ≤ acknowledged ≤ mitigated ≤ resolved")
def key_times(ctx: RuleContext, inc: Incident) -> Iterator[Finding]:
    prev: tuple[str, datetime] | None = None
    for key in ORDERED_TIMES:
        t = getattr(inc, key)
        if t is None:
            continue
        if prev is not None and t < prev[1]:
            yield Finding(inc.path, (key,),
                          f"{key} ({iso(t)}) is before {prev[0]} ({iso(prev[1])}); times must "
                          f"go {' ≤ '.join(k.removesuffix('_at') for k in ORDERED_TIMES)}")
        prev = (key, t)


@rule("out-of-order", "error", INCIDENTS, "updates and timeline are chronological")
def chronological(ctx: RuleContext, inc: Incident) -> Iterator[Finding]:
    for name, items in (("updates", inc.updates), ("timeline", inc.timeline)):
        for j in range(1, len(items)):
            if items[j].at < items[j - 1].at:
                yield Finding(inc.path, (name, j, "at"),
                              f"{name}[{j}] at {iso(items[j].at)} is earlier than the entry "
                              f"before it ({iso(items[j - 1].at)}); keep {name} in "
                              "chronological order")


@rule("out-of-order", "error", ["incident"], "the first update is not before started_at")
def first_update(ctx: RuleContext, inc: Incident) -> Iterator[Finding]:
    if inc.started_at and inc.updates and inc.updates[0].at < inc.started_at:
        yield Finding(inc.path, ("updates", 0, "at"),
                      f"the first update ({iso(inc.updates[0].at)}) is before started_at "
                      f"({iso(inc.started_at)}); fix one of them")


@rule("out-of-order", "error", INCIDENTS, "a maintenance window ends after it starts")
def window_order(ctx: RuleContext, inc: Incident) -> Iterator[Finding]:
    start, end = inc.scheduled_for, inc.scheduled_until
    if start and end and end <= start:
        yield Finding(inc.path, ("scheduled_until",),
                      f"scheduled_until ({iso(end)}) must be after scheduled_for ({iso(start)})")


@rule("out-of-order", "error", INCIDENTS,
      "action items are not done before the incident began, nor a postmortem published "
      "before resolution")
def follow_up_dates(ctx: RuleContext, inc: Incident) -> Iterator[Finding]:
    for j, ai in enumerate(inc.action_items):
        if ai.done_at is not None and inc.begins and ai.done_at < inc.begins.date():
            yield Finding(inc.path, ("action_items", j, "done_at"),
                          f"done_at {ai.done_at} is before the incident began "
                          f"({inc.begins.date()}); fix the date")
    published = inc.postmortem.published_at
    if published is not None and inc.resolved_at is not None \
            and published < inc.resolved_at.date():
        yield Finding(inc.path, ("postmortem", "published_at"),
                      f"published_at {published} is before the incident was resolved "
                      f"({inc.resolved_at.date()}); fix the date")


@rule("date-prefix", "warning", INCIDENTS,
      "the file name starts with the UTC date it began (started_at, or scheduled_for)")
def date_prefix(ctx: RuleContext, inc: Incident) -> Iterator[Finding]:
    when = inc.scheduled_for if inc.is_maintenance else inc.started_at
    if when is None:
        return
    name = inc.path.rsplit("/", 1)[-1]
    m = DATE_PREFIX.match(name)
    expected = when.astimezone(UTC).date().isoformat()
    if m is None:
        yield Finding(inc.path, (), f"file name should start with the date it began; rename "
                                    f"it to {expected}-{inc.id}.md")
    elif m.group(1) != expected:
        yield Finding(inc.path, ("scheduled_for" if inc.is_maintenance else "started_at",),
                      f"file name starts with {m.group(1)} but it began on {expected} (UTC); "
                      f"rename the file to {expected}-{inc.id[11:]}.md or fix the time")
