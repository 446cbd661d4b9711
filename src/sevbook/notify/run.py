"""One `sevbook notify` run: plan the events, send them on every channel, count.

Each channel is on its own: a channel whose secret is missing, whose receiver is down or
that fails three deliveries in a row stops (its remaining deliveries count as failed) and
the others go on. Retries follow `notify.retries`/`notify.backoff`; the per-run cap
`notify.max_events` skips what is beyond it (oldest events go first).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field

from ..config import ChannelOptions, Settings
from ..errors import DeliveryFailed
from .channels import Delivery, Target
from .events import Event, plan_events
from .http import with_retries
from .state import PublicState

GIVE_UP_AFTER = 3
"""Consecutive failed deliveries after which a channel stops trying in this run."""


@dataclass
class ChannelResult:
    name: str
    type: str
    sent: int = 0
    skipped: int = 0
    failed: int = 0
    errors: list[str] = field(default_factory=list)
    planned: list[Delivery] = field(default_factory=list)
    """The deliveries of a dry run (nothing sent)."""


@dataclass
class Report:
    events: list[Event]
    """Every event found, silent ones included."""
    sendable: list[Event]
    """What this run sends (not silent, within the cap)."""
    over_cap: list[Event]
    first_deploy: bool
    dry_run: bool
    channels: list[ChannelResult] = field(default_factory=list)
    page: str = ""
    """The status page notified about: '' the default one, else a `status_pages` id."""

    @property
    def silent(self) -> list[Event]:
        return [e for e in self.events if e.silent]

    @property
    def failed(self) -> bool:
        return any(c.failed for c in self.channels)


def _send(target: Target, result: ChannelResult, deliveries: list[Delivery],
          sleep: Callable[[float], None], streak: list[int]) -> None:
    limits = target.limits
    for d in deliveries:
        if streak[0] >= GIVE_UP_AFTER:
            result.failed += 1
            continue
        try:
            with_retries(d.send, limits.retries, limits.backoff, sleep)
        except DeliveryFailed as e:
            result.failed += 1
            streak[0] += 1
            result.errors.append(f"{d.event.kind} {d.event.id}: {e.message}")
            if streak[0] == GIVE_UP_AFTER:
                result.errors.append(f"gave up after {GIVE_UP_AFTER} failures in a row; the "
                                     "rest of this channel's deliveries are not attempted")
        else:
            result.sent += 1
            streak[0] = 0


def run_channel(opts: ChannelOptions, settings: Settings, report: Report, state: PublicState,
                sleep: Callable[[float], None]) -> ChannelResult:
    result = ChannelResult(opts.name, opts.type, skipped=len(report.over_cap))
    target = Target(opts, settings, settings.notify)
    unknown = target.unknown_components(state)
    if unknown and not target.problem:
        target.problem = (f"component {unknown[0]!r} is not on the status page; use one of: "
                          f"{', '.join(state.components)}")
    if target.problem:
        result.errors.append(target.problem)
    streak = [0]
    try:
        for event in report.sendable:
            if target.problem and not report.dry_run:
                result.failed += 1
                continue
            deliveries = target.deliveries(event, state) if target.wants(event) else []
            if not deliveries:
                result.skipped += 1
            elif report.dry_run:
                result.planned += deliveries
            else:
                _send(target, result, deliveries, sleep, streak)
    finally:
        target.close()
    return result


def notify(settings: Settings, now: PublicState, before: PublicState | None, *,
           first_deploy_sends: bool = False, dry_run: bool = False,
           sleep: Callable[[float], None] = time.sleep, page: str = "") -> Report:
    """Plan the events from `before` (the published page; None: never published) to `now`
    (the page just built) and send them on every configured channel (none on a dry run)."""
    events = plan_events(before, now, first_deploy_sends)
    loud = [e for e in events if not e.silent]
    cap = settings.notify.max_events
    report = Report(events, loud[:cap], loud[cap:], before is None, dry_run, page=page)
    for opts in settings.notify.channels:
        report.channels.append(run_channel(opts, settings, report, now, sleep))
    return report
