"""What every rule may read: the handbook, the load problems, the time, and message helpers.

The context notes which of the run-dependent facts a rule read (`reads`: `now`, `loaded`,
`fired`), so the findings memo (`memo.py`) knows whether a document's findings can be
reused at another time: a rule that read the time is reused only within its `horizon`."""

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
    _loaded: list[Diagnostic]
    _now: datetime
    _fired: set[tuple[str, str]] = field(default_factory=set)
    _memo: dict[Callable[..., Any], tuple[Any, frozenset[str]]] = field(default_factory=dict)
    reads: set[str] = field(default_factory=set)
    """Which of `now`, `loaded`, `fired` were read since the runner last cleared it (`today`
    is `now`; a fact of `once` counts with what computing it read)."""

    @property
    def loaded(self) -> list[Diagnostic]:
        """The problems found while loading (a rule may stay silent about a file that failed)."""
        self.reads.add("loaded")
        return self._loaded

    @property
    def now(self) -> datetime:
        self.reads.add("now")
        return self._now

    @property
    def today(self) -> date:
        return self.now.date()

    @property
    def fired(self) -> set[tuple[str, str]]:
        """(file, code) of every finding of the rules that run first; read by `after` rules."""
        self.reads.add("fired")
        return self._fired

    @fired.setter
    def fired(self, value: set[tuple[str, str]]) -> None:
        self._fired = value

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
        """`compute(self)`, computed once per run (facts several documents' rules share).
        Each use counts as reading what the computation read (`reads`)."""
        if compute not in self._memo:
            before, self.reads = self.reads, set()
            value = compute(self)
            self._memo[compute] = (value, frozenset(self.reads))
            self.reads = before
        value, read = self._memo[compute]
        self.reads |= read
        return value


def iso(t: datetime) -> str:
    """A timestamp as people write it here: UTC with Z, others with their offset."""
    return t.isoformat().replace("+00:00", "Z")
