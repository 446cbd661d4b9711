"""The registry of rules: each rule is a small function registered with `@rule(...)`.

A rule function takes the `RuleContext` and one document of a kind it applies to (an
incident, a runbook, ...; the `Handbook` itself for `HANDBOOK` rules) and yields
`Finding`s. The decorator records the rule's code, default severity, kinds and a one-line
description; the runner (`sevbook.rules.check`) stamps code and severity on each finding (`Rule.stamp`)
and turns it into a `Diagnostic` with its line. The README's table of codes is rendered
from here (`python -m sevbook.rules --markdown`).

A rule that reads the time (`ctx.now`, `ctx.today`) may register a `horizon`: a function
of the same context and document giving the next instant its answer on that document can
change (None: never again). With one, a document's findings are reused by later runs
until then (`memo.py`); without one, a document the rule read the time for is judged
afresh on every run.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any

from ..diagnostics import Level

if TYPE_CHECKING:
    from .context import RuleContext

HANDBOOK = "handbook"
"""The pseudo-kind of rules that look at the handbook as a whole (called once)."""

KIND_ORDER = (HANDBOOK, "severity", "oncall", "role", "service", "runbook", "incident",
              "maintenance")
"""Every kind a rule may name: the file kinds, with incident files split by their `kind:`."""


@dataclass(frozen=True)
class Finding:
    """One problem a rule found: where (file and key path), what, and structured facts
    (`data`, e.g. the action item's index) for whoever needs more than the text."""

    file: str
    path: tuple[str | int, ...]
    message: str
    data: Mapping[str, Any] = field(default_factory=dict)
    code: str = ""
    severity: Level = "error"
    line: int = 0
    """The file line when the rule knows it (a link in a page's prose); 0: found from
    `path` in the frontmatter."""

    @property
    def field_name(self) -> str:
        """The key path as messages show it: `action_items[0].due`."""
        out = ""
        for p in self.path:
            out += f"[{p}]" if isinstance(p, int) else ("." if out else "") + str(p)
        return out


RuleFunc = Callable[["RuleContext", Any], Iterable[Finding]]
Horizon = Callable[["RuleContext", Any], datetime | None]
"""The next instant at or after `ctx.now` when the rule's findings on the document may
differ from those at `ctx.now` (None: they stay as they are)."""


@dataclass(frozen=True)
class Rule:
    code: str
    severity: Level
    kinds: tuple[str, ...]
    description: str
    func: RuleFunc
    after: bool = False
    """Runs after every other rule, when `RuleContext.fired` holds what they found."""
    horizon: Horizon | None = None
    """Until when its findings at `now` hold (rules that read the time; see above)."""

    def stamp(self, f: Finding) -> Finding:
        """A finding of this rule's function, with the rule's code and severity."""
        return Finding(f.file, f.path, f.message, f.data, self.code, self.severity, f.line)

RULES: list[Rule] = []
"""Every registered rule, in registration order."""


def rule(code: str, severity: Level, kinds: Iterable[str], description: str,
         after: bool = False, horizon: Horizon | None = None,
         ) -> Callable[[RuleFunc], RuleFunc]:
    """Register the decorated function as a rule. Several functions may share a code (a
    family: `unknown-service` on services, runbooks and incidents); they must agree on its
    severity. `after`: the rule reads what the others found (`RuleContext.fired`).
    `horizon`: until when its findings on a document hold, for a rule reading the time."""
    kinds = tuple(kinds)
    unknown = [k for k in kinds if k not in KIND_ORDER]
    if unknown:
        raise ValueError(f"rule {code}: unknown kind(s) {unknown}")
    for other in RULES:
        if other.code == code and other.severity != severity:
            raise ValueError(f"rule {code}: registered as {other.severity} and {severity}")

    def register(func: RuleFunc) -> RuleFunc:
        RULES.append(Rule(code, severity, kinds, description, func, after, horizon))
        return func

    return register


@dataclass
class CodeDoc:
    """What the README says about one code: all rules that share it, merged."""

    code: str
    severity: Level
    kinds: list[str]
    descriptions: list[str]


def codes(rules: Iterable[Rule] = RULES) -> list[CodeDoc]:
    """One entry per code: errors first, then warnings, each by code."""
    by_code: dict[str, CodeDoc] = {}
    for r in rules:
        doc = by_code.setdefault(r.code, CodeDoc(r.code, r.severity, [], []))
        doc.kinds = sorted(set(doc.kinds) | set(r.kinds), key=KIND_ORDER.index)
        if r.description not in doc.descriptions:
            doc.descriptions.append(r.description)
    return sorted(by_code.values(), key=lambda d: (d.severity != "error", d.code))


def markdown_table(rules: Iterable[Rule] = RULES) -> str:
    """The README's table of rule codes."""
    lines = ["| code | severity | applies to | what it checks |", "|---|---|---|---|"]
    for d in codes(rules):
        lines.append(f"| `{d.code}` | {d.severity} | {', '.join(d.kinds)} | "
                     f"{'; '.join(d.descriptions)} |")
    return "\n".join(lines) + "\n"
