"""Keys one record needs because of another: a severity, a start, a window, updates, a due."""

from __future__ import annotations

from collections.abc import Iterator

from ..model import Incident, SeverityMatrix
from .context import RuleContext
from .registry import Finding, rule


@rule("missing-key", "error", ["severity"],
      "a severity level that requires a postmortem says when it is due (due, or "
      "obligations)")
def postmortem_due_set(ctx: RuleContext, sev: SeverityMatrix) -> Iterator[Finding]:
    for i, lv in enumerate(sev.levels):
        pm = lv.postmortem
        if pm.required and pm.due is None and not pm.obligations:
            yield Finding(sev.path, ("levels", i, "postmortem"),
                          "a required postmortem needs a 'due' duration, like due: 5d")


@rule("missing-key", "error", ["incident"], "an incident has a severity and a start time")
def incident_keys(ctx: RuleContext, inc: Incident) -> Iterator[Finding]:
    if inc.severity is None:
        yield Finding(inc.path, ("severity",), "required key 'severity' is missing; add one "
                                               f"of: {ctx.ids('severity')}")
    if inc.started_at is None:
        yield Finding(inc.path, ("started_at",),
                      "required key 'started_at' is missing; add the time impact began, like "
                      "started_at: 2026-03-02T14:18:00Z")


@rule("maintenance-window", "error", ["maintenance"],
      "maintenance has scheduled_for and scheduled_until")
def maintenance_window(ctx: RuleContext, inc: Incident) -> Iterator[Finding]:
    miss = [k for k in ("scheduled_for", "scheduled_until") if getattr(inc, k) is None]
    if miss:
        yield Finding(inc.path, (miss[0],), f"maintenance needs its window: add "
                                            f"{' and '.join(miss)} (timestamps with offset)")


@rule("not-maintenance", "error", ["incident"], "only maintenance has a scheduled window")
def window_on_incident(ctx: RuleContext, inc: Incident) -> Iterator[Finding]:
    if inc.scheduled_for or inc.scheduled_until:
        key = "scheduled_for" if inc.scheduled_for else "scheduled_until"
        yield Finding(inc.path, (key,),
                      f"'{key}' is for maintenance only; add kind: maintenance or remove it")


@rule("public-without-updates", "error", ["incident", "maintenance"],
      "a public record has at least one update to show (a maintenance with announced_at "
      "shows its announcement)")
def public_updates(ctx: RuleContext, inc: Incident) -> Iterator[Finding]:
    if inc.public and not inc.updates and inc.announced_at is None:
        yield Finding(inc.path, ("public",),
                      "public incident has no updates, so the status page would show nothing; "
                      "add an update (sevbook update ID --status investigating --message TEXT) "
                      "or set public: false")
