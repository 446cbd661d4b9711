"""Statuses that agree with the facts: resolved_at with a final update, done_at, published_at."""

from __future__ import annotations

from collections.abc import Iterator

from ..model import Incident
from ..model.vocab import ActionItemStatus, Kind, PostmortemStatus
from .context import RuleContext, iso
from .registry import Finding, rule

INCIDENTS = ("incident", "maintenance")
TERMINAL = {kind: kind.terminal for kind in Kind}
"""The final update status of each kind (looked up once: this runs for every record)."""


@rule("status-mismatch", "error", INCIDENTS,
      "resolved_at goes with a final resolved/completed update, which is the last one")
def final_update(ctx: RuleContext, inc: Incident) -> Iterator[Finding]:
    if not inc.updates:
        return
    terminal = TERMINAL[inc.kind]
    last = inc.updates[-1].status
    if inc.resolved_at is not None and last != terminal:
        yield Finding(inc.path, ("resolved_at",),
                      f"resolved_at is set but the last update is '{last}'; add a final update "
                      f"with status: {terminal} (sevbook resolve {inc.id}) or remove resolved_at")
    if inc.resolved_at is None and last == terminal:
        yield Finding(inc.path, ("updates", len(inc.updates) - 1, "status"),
                      f"the last update is '{terminal}' but resolved_at is missing; add "
                      f"resolved_at: {iso(inc.updates[-1].at)}")
    for j, up in enumerate(inc.updates[:-1]):
        if up.status == terminal:
            yield Finding(inc.path, ("updates", j, "status"),
                          f"update {j} says '{terminal}' but later updates follow; reopening "
                          "needs a new incident, or change this status")


@rule("status-mismatch", "error", INCIDENTS,
      "an action item with done_at is not open; a postmortem with published_at is published")
def dated_statuses(ctx: RuleContext, inc: Incident) -> Iterator[Finding]:
    for j, ai in enumerate(inc.action_items):
        if ai.done_at is not None and ai.status == ActionItemStatus.OPEN:
            yield Finding(inc.path, ("action_items", j, "done_at"),
                          f"action item '{ai.title}' has done_at but status: open; set status: "
                          "done (or wontfix), or remove done_at")
    pm = inc.postmortem
    if pm.published_at is not None and not PostmortemStatus(pm.status).final:
        yield Finding(inc.path, ("postmortem", "published_at"),
                      f"published_at is set but the postmortem is '{pm.status}'; set status: "
                      "published or remove published_at")
