"""A cold `check` on every core: the incident files loaded, validated and judged in forked
children, the handbook-wide rest in the parent.

Most of a cold `check` of a big handbook is per incident file: reading and validating it,
the per-document incident rules, and finding the lines of what they found. The findings
memo (`memo.py`) already checks an incident without the parent holding its model: a
`StandIn` carries the facts the handbook-wide rules read, and the per-document findings
come with their lines. `Prejudged` fills such entries for every incident at once, with
`parallel.fork_map`: load (`load.py`) loads every other file first (the incident rules read
the severity matrix, roles, on-call, services, runbooks and settings), then calls
`prepare`; each child loads and judges a contiguous slice of the incident files against
that handbook and returns per file only what a memo entry holds (facts, findings with
lines, the incident ids it asked about), small and cheap to pickle. The parent then stands
in for those files, runs the handbook-wide rules, `status_problems` and the duplicate-id
check as always, and never holds every incident's model at once.

The output is the serial output (`SEVBOOK_JOBS=1`: the plain path), because whatever a
child cannot judge exactly is left to the parent, which loads and judges that file itself
as a serial run does:

- a file that does not load cleanly (unreadable, refused symlink, bad YAML, fails
  validation: its diagnostics, salvage and line lookups are the loader's own);
- a document whose rules read `ctx.loaded` or `ctx.fired` (the child has neither: they are
  the whole run's), report on another file, or that has `accepted:` (the acceptance filter
  and `stale-acceptance` need every finding of the run);
- a document whose rules read the incidents other than asking whether an id exists: a
  child only knows the ids. It assumes every incident file's name is an id in the
  handbook; a document that asked about an id whose file did not make it into the
  handbook (it failed to load, or its id was taken) is judged again by the parent;
- the first incident (the link check's page registry builds its pages: `memo.reusable`);
- anything, when a child fails: `fork_map` redoes the slice in the parent.

Only cold runs come here: without the content cache (`--no-cache`, `cache: false`), when
more than one job may run (`parallel.jobs`) and there are at least `MIN_ITEMS` incidents
per job; with the cache, the findings memo (`memo.py`) does this work, serially.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterator, Mapping, Sequence
from datetime import datetime
from pathlib import Path
from typing import Any, NamedTuple

from .. import parallel
from ..cache import ContentCache
from ..load import LoadResult, Reuse, load_file
from ..model.vocab import Kind
from .context import RuleContext
from .memo import INCIDENT_KINDS, MemoEntry, StandIn, Template, open_memo
from .registry import Rule

MIN_ITEMS = 250
"""Fewest incidents per job worth a fork (fewer: fewer jobs, down to the plain serial path)."""

NOT_IN_CHILD = frozenset({"loaded", "fired", "incidents"})
"""What a document's rules may not read to be judged in a child (see the module docstring)."""

ASKED = "incident:"
"""`RuleContext.reads` entry prefix: the id asked of `Handbook.incidents` (`_Ids`)."""

Facts = tuple[str, str, bool, str | None, str | None]


class Verdict(NamedTuple):
    """What a child found in one incident file: a memo entry's worth (a tuple: a tenth of
    a dataclass's pickling time, which the child spends on its way out)."""

    facts: Facts
    found: list[tuple[int, Template]]
    asked: frozenset[str]
    """The ids its rules asked `Handbook.incidents` about."""


def opener(now: datetime, rules: Sequence[Rule]
           ) -> Callable[[Path, ContentCache | None], Reuse | None]:
    """`load`'s `reuse` for `check` at `now`: the findings memo with the content cache,
    else `Prejudged` where more than one job may run. `rules`: those `rules.findings` runs
    (`rules.rules_for(False)`; passed in, as the package imports this module)."""

    def open_reuse(root: Path, cache: ContentCache | None) -> Reuse | None:
        if cache is not None:
            return open_memo(root, cache)
        if parallel.jobs() > 1 and parallel.can_fork():
            return Prejudged(now, rules)
        return None

    return open_reuse


class Prejudged:
    """The incidents judged in forked children at `now` (`prepare`), and the stand-ins the
    load put in the handbook for them. Read like a `FindingsMemo` by `rules.check`."""

    def __init__(self, now: datetime, rules: Sequence[Rule]):
        self.now = now
        self.rules = list(rules)
        self.assumed: frozenset[str] = frozenset()
        self.verdicts: dict[str, Verdict] = {}
        self.stand_ins: dict[str, StandIn] = {}
        self.reused: dict[str, MemoEntry] = {}

    # ------------------------------------------------------------ loading (load.py)
    def prepare(self, incidents: list[tuple[Path, str]], result: LoadResult) -> None:
        """Judge every incident file, in forked children when there are enough of them."""
        if len(incidents) < 2 * MIN_ITEMS:
            return  # not worth a fork: every file is loaded and judged as usual
        assert result.root is not None
        self.assumed = frozenset(path.stem for path, _ in incidents)
        hb = dataclasses.replace(result.handbook, incidents=_Ids(self.assumed))  # type: ignore[arg-type]
        root = result.root

        def judge(part: Sequence[tuple[Path, str]]) -> list[Verdict | None]:
            return list(_judge_files(part, hb, root, self.now, self.rules))

        got = parallel.fork_map(judge, incidents, min_items=MIN_ITEMS)
        self.verdicts = {rel: v for (_, rel), v in zip(incidents, got, strict=True)
                         if v is not None}

    def by_stat(self, path: Path, rel: str, result: LoadResult) -> StandIn | None:
        """A stand-in for a file a child judged (None: the parent loads it)."""
        v = self.verdicts.get(rel)
        if v is None:
            return None
        doc = StandIn(v.facts, rel, lambda: result.materialize(path, rel))
        result.lazy[rel] = doc.real
        self.stand_ins[rel] = doc
        return doc

    def by_key(self, path: Path, rel: str, key: str, result: LoadResult) -> StandIn | None:
        return None  # only without the content cache: there are no content keys

    # ------------------------------------------------------------ checking
    def reusable(self, result: LoadResult, now: datetime,
                 reuse: bool = True) -> dict[str, MemoEntry]:
        """The judged files whose findings stand (every other stand-in is replaced by its
        real document, to be judged by the parent): judged at this `now`, not the first
        incident, and every id the rules asked about is in the handbook exactly when the
        child assumed it was. A stand-in the load left out (its id taken) is dropped."""
        hb = result.handbook
        self.stand_ins = {rel: doc for rel, doc in self.stand_ins.items()
                          if hb.incidents.get(doc.id) is doc}
        first = next(iter(hb.incidents), None)
        out: dict[str, MemoEntry] = {}
        for rel, doc in self.stand_ins.items():
            v = self.verdicts[rel]
            if (reuse and now == self.now and doc.id != first
                    and all((i in hb.incidents) == (i in self.assumed) for i in v.asked)):
                out[rel] = MemoEntry("", None, v.facts, 0, None, 0, v.found)
                continue
            real = doc.real()
            if real is None:
                del hb.incidents[doc.id]
            else:
                hb.incidents[doc.id] = real
        self.reused = out
        return out

    def note(self, r: Rule, ctx: RuleContext, doc: Any, found: list[Any]) -> None:
        """Nothing to learn: this run's judgements are not kept."""


class _Ids(Mapping[str, Any]):
    """A child's `Handbook.incidents`: the ids only. Asking whether an id exists is noted
    in `reads` (`ASKED`); anything else (iterating, reading a document) notes `incidents`,
    which leaves the document to the parent."""

    def __init__(self, ids: frozenset[str]):
        self.ids = ids
        self.ctx: RuleContext | None = None

    def _read(self, what: str) -> None:
        if self.ctx is not None:
            self.ctx.reads.add(what)

    def __contains__(self, key: object) -> bool:
        self._read(f"{ASKED}{key}")
        return key in self.ids

    def __getitem__(self, key: str) -> Any:
        self._read("incidents")
        raise KeyError(key)

    def __iter__(self) -> Iterator[str]:
        self._read("incidents")
        return iter(())

    def __len__(self) -> int:
        self._read("incidents")
        return 0


def _judge_files(part: Sequence[tuple[Path, str]], hb: Any, root: Path,
                 now: datetime, rules: list[Rule]) -> Iterator[Verdict | None]:
    """Load and judge each file (None: left to the parent). Runs in a child, and in the
    parent for the first slice: it touches nothing of the parent's but `hb`'s caches."""
    scratch = LoadResult(handbook=hb, root=root)
    ctx = RuleContext(hb, scratch.diagnostics, now)
    ctx.fired = set()
    ids: _Ids = hb.incidents
    ids.ctx = ctx
    by_kind = {k: [r for r in rules if k in r.kinds and not r.after]
               + [r for r in rules if k in r.kinds and r.after] for k in INCIDENT_KINDS}
    real_root = root.resolve()
    templates: dict[Template, Template] = {}
    try:
        for path, rel in part:
            doc = load_file(path, rel, "incident", real_root, scratch)
            if doc is None or scratch.diagnostics or scratch.salvaged:
                scratch.diagnostics.clear()
                scratch.salvaged.clear()
                yield None
            else:
                yield _judge(ctx, by_kind, doc, scratch, templates)
            scratch.sources.pop(rel, None)
    finally:
        ids.ctx = None


def _judge(ctx: RuleContext, by_kind: dict[str, list[Rule]], doc: Any, scratch: LoadResult,
           templates: dict[Template, Template]) -> Verdict | None:
    """Every incident rule on one document, as `rules.findings` runs them (None: the
    parent must judge it)."""
    if doc.accepted:
        return None
    kind = "maintenance" if doc.kind == Kind.MAINTENANCE else "incident"
    found, reads = [], set()
    try:
        for r in by_kind[kind]:
            ctx.reads = set()
            found += [r.stamp(f) for f in r.func(ctx, doc)]
            reads |= ctx.reads
    except Exception:  # noqa: BLE001 - a child's view (`_Ids`) a rule did not expect: the
        return None  # parent judges the document, and raises what a serial run raises
    if reads & NOT_IN_CHILD or any(f.file != doc.path for f in found):
        return None
    lines = []
    for f in found:
        t = (f.field_name, f.severity, f.code, f.message)
        lines.append((f.line or scratch.line(f.file, f.path), templates.setdefault(t, t)))
    asked = frozenset(r[len(ASKED):] for r in reads if r.startswith(ASKED))
    return Verdict((doc.id, str(doc.kind), bool(doc.public), doc.public_id, doc.severity),
                   lines, asked)
