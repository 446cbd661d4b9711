"""What every rule may read: the handbook, the load problems, the time, and message helpers."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import cached_property
from typing import Any, TypeVar

from ..diagnostics import Diagnostic
from ..model import KINDS, Handbook
from ..model.severity import Level

T = TypeVar("T")

MAX_IDS = 12
"""How many ids a "use one of: ..." hint lists before it says "…"."""


@dataclass
class RuleContext:
    handbook: Handbook
    loaded: list[Diagnostic]
    """The problems found while loading (a rule may stay silent about a file that failed)."""
    now: datetime
    fired: set[tuple[str, str]] = field(default_factory=set)
    """(file, code) of every finding of the rules that run first; read by `after` rules."""
    _memo: dict[Callable[..., Any], Any] = field(default_factory=dict)

    @property
    def today(self) -> date:
        return self.now.date()

    def level(self, level_id: str | None) -> Level | None:
        """The severity level of that id (None when there is no such level)."""
        return self._levels.get(level_id)

    @cached_property
    def _levels(self) -> dict[str | None, Level]:
        sev = self.handbook.severity
        return {lv.id: lv for lv in sev.levels} if sev else {}

    def ids(self, attr: str) -> str:
        """The ids of one `Handbook` collection (`roles`, `services`, `runbooks`) or of the
        severity levels (`severity`), for a "use one of: ..." hint."""
        hb = self.handbook
        if attr == "severity":
            ids = hb.severity.ids() if hb.severity else []
        else:
            ids = list(getattr(hb, attr))
        if not ids:
            return "(none defined)"
        return ", ".join(ids[:MAX_IDS]) + (" …" if len(ids) > MAX_IDS else "")

    def doc_dir(self, kind: str) -> str:
        """Where files of `kind` live, as messages name them: `content/roles` (with the
        configured docs_dir), or `content/oncall.md` for a one-file kind."""
        return f"{self.handbook.settings.docs_dir}/{KINDS[kind].place}"

    def doc_path(self, kind: str, doc_id: str | None = None) -> str:
        """The file of one document: `content/roles/<id>.md`, `content/oncall.md`."""
        return f"{self.doc_dir(kind)}/{doc_id}.md" if KINDS[kind].many else self.doc_dir(kind)

    def once(self, compute: Callable[[RuleContext], T]) -> T:
        """`compute(self)`, computed once per run (facts several documents' rules share)."""
        if compute not in self._memo:
            self._memo[compute] = compute(self)
        return self._memo[compute]


def iso(t: datetime) -> str:
    """A timestamp as people write it here: UTC with Z, others with their offset."""
    return t.isoformat().replace("+00:00", "Z")
