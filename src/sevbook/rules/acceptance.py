"""Warnings that are history: an incident's `accepted:` list names warning codes a review
accepted, with a reason. Their findings on that file are not reported; an acceptance of a
code that no longer fires there is itself a warning, so the list stays true."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from ..model import Incident
from .context import RuleContext
from .registry import RULES, Finding, rule

INCIDENTS = ("incident", "maintenance")
STALE = "stale-acceptance"


def acceptable_codes() -> list[str]:
    """The warning codes an incident may accept: those of rules on incident files."""
    return sorted({r.code for r in RULES if r.severity == "warning" and r.code != STALE
                   and set(r.kinds) & set(INCIDENTS)})


@rule("unknown-code", "error", INCIDENTS,
      "an accepted warning names a warning code sevbook check reports on incidents")
def known_codes(ctx: RuleContext, inc: Incident) -> Iterator[Finding]:
    if not inc.accepted:
        return  # the common case; the codes are computed only when needed
    codes = acceptable_codes()
    for j, acc in enumerate(inc.accepted):
        if acc.code not in codes:
            yield Finding(inc.path, ("accepted", j, "code"),
                          f"'{acc.code}' is not a warning sevbook check reports on incidents; "
                          f"use one of: {', '.join(codes)}")


@rule(STALE, "warning", INCIDENTS,
      "an accepted warning still fires (otherwise remove the acceptance)", after=True)
def stale(ctx: RuleContext, inc: Incident) -> Iterator[Finding]:
    if not inc.accepted:
        return  # the common case; the codes are computed only when needed
    codes = acceptable_codes()
    for j, acc in enumerate(inc.accepted):
        if acc.code in codes and (inc.path, acc.code) not in ctx.fired:
            yield Finding(inc.path, ("accepted", j, "code"),
                          f"'{acc.code}' is accepted but no longer reported for this record; "
                          "remove this entry of accepted:")


def _accepted(ctx: RuleContext) -> dict[str, set[str]]:
    return {inc.path: {a.code for a in inc.accepted}
            for inc in ctx.handbook.incidents.values() if inc.accepted}


def unaccepted(ctx: RuleContext, found: Iterable[Finding]) -> Iterator[Finding]:
    """`found` without the warnings their incident accepted."""
    accepted = ctx.once(_accepted)
    for f in found:
        if f.severity != "warning" or f.code not in accepted.get(f.file, ()):
            yield f
