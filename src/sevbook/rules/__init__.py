"""Cross-file rules and the warnings that name the classic failure modes of incident response.

Per-file shape (keys, types, enums, timestamps) is the models' job; everything that needs
more than one field, more than one file, or the current time is a rule here. Each rule is a
small function in the module of its subject, registered with `@rule` (`registry.py`):

- `references.py`: severities, roles, teams, services, runbooks named anywhere exist;
- `required.py`: keys one record needs because of another (severity, start, window, due);
- `times.py`: times in order, and the file name's date;
- `statuses.py`: statuses that agree with resolved_at, done_at, published_at;
- `obligations.py`: what a severity obliges (roles, update cadence, postmortem, action items);
- `publishing.py`: what a public record shows (its public_title);
- `record.py`: the content model v2 keys (severity history, related incidents, impact
  phases, custom fields, action item links);
- `runbooks.py`, `services.py`: runbook freshness and sections; service owner and runbook;
- `lists.py`: lists in the prose that Markdown would break (too little indentation);
- `links.py`: links and anchors in the docs pages (`sevbook.links`);
- `acceptance.py`: warnings an incident accepted (`accepted:`), and acceptances gone stale.

`check` runs them all; `findings` gives the structured findings behind its diagnostics.
With a findings memo (`memo.py`, `sevbook check` with the content cache), the incidents
whose findings still hold are not judged again: their diagnostics come from the memo.
A cold `check` without the cache has its incidents judged in forked children
(`parallel_check.py`), whose findings are read the same way.
"""

from __future__ import annotations

from collections.abc import Container, Iterator
from datetime import UTC, datetime
from typing import Any

from ..diagnostics import Diagnostic, sort_key
from ..load import LoadResult
from ..model import KINDS, Handbook
from ..model.vocab import Kind
from ..status.checks import status_problems
from . import (
    acceptance,
    links,
    lists,
    obligations,
    publishing,
    record,
    references,
    required,
    runbooks,
    services,
    statuses,
    times,
)
from .context import RuleContext
from .memo import INCIDENT_KINDS, FindingsMemo, reused_findings
from .parallel_check import Prejudged
from .registry import HANDBOOK, RULES, Finding, Rule

__all__ = ["RULES", "Finding", "Rule", "check", "findings", "rules_for"]
_MODULES = (references, required, times, statuses, obligations, publishing, record, runbooks,
            lists, services, links, acceptance)
"""Imported for their `@rule` registrations (in this order)."""


def check(result: LoadResult, now: datetime | None = None,
          errors_only: bool = False) -> list[Diagnostic]:
    """Every diagnostic for a loaded handbook: load problems plus all rules, sorted.
    `errors_only`: only the errors (what a build or diff refuses), without finding the
    lines of warnings nobody prints (an imported history warns on every incident).
    A findings memo the load used (`result.reuse`) supplies the findings that still hold
    (with `errors_only`, their errors) and learns this run's (every finding of the files
    judged: `memo.save` writes it)."""
    now = now or datetime.now(UTC)
    memo = result.reuse if isinstance(result.reuse, FindingsMemo | Prejudged) else None
    out = [Diagnostic(f.file, f.line or result.line(f.file, f.path), f.field_name, f.severity,
                      f.code, f.message) for f in findings(result, now, memo, errors_only)
           if not errors_only or f.severity == "error"]
    if memo is not None:  # errors_only: the memo's errors (it holds every finding)
        out += reused_findings(memo.reused, errors_only)
    # What a status build would stop on (theme files, logo, ids): shown before the build.
    out += status_problems(result.handbook, result.line)
    found = result.diagnostics + out
    if errors_only:
        found = [d for d in found if d.severity == "error"]
    return sorted(found, key=sort_key)


def findings(result: LoadResult, now: datetime | None = None,
             memo: FindingsMemo | Prejudged | None = None,
             errors_only: bool = False) -> Iterator[Finding]:
    """What every registered rule finds in a loaded handbook at `now` (default: the time),
    without the warnings an incident has accepted (`acceptance.py`). With `memo`, the
    incidents whose memoised findings hold are not judged (`FindingsMemo.reusable`), and
    what each other incident's rules found and read is noted in it. `errors_only`
    (without a memo, which must learn every finding): the warning rules may be skipped
    (`rules_for`), so only the errors are sure to be there."""
    now = now or datetime.now(UTC)
    skip = set(memo.reusable(result, now)) if memo is not None else set()
    ctx = RuleContext(result.handbook, result.diagnostics, now)
    by_kind = _documents(result.handbook, skip)
    rules = rules_for(errors_only and memo is None)
    found = [f for r in rules if not r.after for f in _run(r, ctx, by_kind, memo)]
    ctx.fired = {(f.file, f.code) for f in found}
    if memo is not None:
        ctx.fired |= {(rel, t[2]) for rel, e in memo.reused.items() for _, t in e.found}
    found += [f for r in rules if r.after for f in _run(r, ctx, by_kind, memo)]
    found += _salvaged(ctx, result)
    yield from acceptance.unaccepted(ctx, found)


def rules_for(errors_only: bool, rules: list[Rule] | None = None) -> list[Rule]:
    """The rules to run (of `rules`, default `RULES` as it is now): all of them, or for
    `errors_only` those that can find an error. A finding's severity is its rule's
    (`Rule.stamp`; `--strict` promotes warnings only after the check), so a warning rule
    never gives an error; it must still run when an `after` rule that gives errors reads
    what every rule found (`RuleContext.fired`)."""
    rules = RULES if rules is None else rules
    if not errors_only or any(r.after and r.severity == "error" for r in rules):
        return rules
    return [r for r in rules if r.severity == "error"]


SALVAGE_CODES = frozenset({"unknown-severity", "unknown-service", "unknown-role",
                           "unknown-team", "unknown-runbook", "not-a-component", "out-of-order",
                           "self-dependency"})
"""What is also reported for a file that failed validation, from the keys that did
validate (`load.salvage`): errors that need only those keys. Warnings, missing-key and
status-mismatch wait until the file validates (a dropped key would look missing), and so
does anything inside a key that failed."""


def _salvaged(ctx: RuleContext, result: LoadResult) -> Iterator[Finding]:
    for kind, doc in result.salvaged:
        if kind == "incident":
            kind = "maintenance" if doc.kind == Kind.MAINTENANCE else "incident"
        for r in RULES:
            if r.code in SALVAGE_CODES and not r.after and kind in r.kinds:
                for f in r.func(ctx, doc):
                    yield r.stamp(f)


def _run(r: Rule, ctx: RuleContext, by_kind: dict[str, list[Any]],
         memo: FindingsMemo | Prejudged | None = None) -> Iterator[Finding]:
    for kind in r.kinds:
        if memo is None or kind not in INCIDENT_KINDS:
            for doc in by_kind[kind]:
                for f in r.func(ctx, doc):
                    yield r.stamp(f)
            continue
        for doc in by_kind[kind]:  # noted: what the rule found and read on each document
            ctx.reads = set()
            found = [r.stamp(f) for f in r.func(ctx, doc)]
            memo.note(r, ctx, doc, found)
            yield from found



def _documents(hb: Handbook, skip: Container[str] = ()) -> dict[str, list[Any]]:
    """The documents of each kind a rule may name, in file order (without the incident
    files in `skip`)."""
    out: dict[str, list[Any]] = {HANDBOOK: [hb]}
    for name, kind in KINDS.items():
        if name != "incident":
            out[name] = list(kind.documents(hb))
    incidents = [i for i in hb.incidents.values() if i.path not in skip]
    out["incident"] = [i for i in incidents if i.kind == Kind.INCIDENT]
    out["maintenance"] = [i for i in incidents if i.kind == Kind.MAINTENANCE]
    return out
