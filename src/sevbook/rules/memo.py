"""The findings memo: what `check` found in each incident file, reused while nothing it
depends on changed, so an unchanged file costs neither validation nor rules.

For each incident or maintenance file that validated, the memo keeps the diagnostics of
the per-document rules (kinds `incident`/`maintenance`, lines resolved) under the file's
content key (`cache.ContentCache.key`: kind, name, bytes), together with:

* a **base key**: the source of every sevbook module and the versions of Python, Pydantic
  and ryaml (`cache.package_hash`), mkdocs.yml's bytes and the repository's real path. A
  memo with another base is ignored whole, before loading. With the same base, a file with
  the same content key validates to the same document (validation reads nothing else), so
  a file matched by the memo is known valid without validating it;
* a **context key**, checked after loading: the base, the content key of every file that
  is not an incident (severity, on-call, roles, services, runbooks; a file that could not
  be read counts with an empty key) and the ids of the incidents in the handbook;
* a **validity window** [now of the run that judged it, horizon) and the UTC offset of
  that `now` (`today` is the date in that offset).

**What a per-document rule reads (the audit, 2026-12-02).** `ctx.handbook`: the severity
matrix, roles, teams (on-call), services, runbooks and the settings (custom fields,
workdays, incidents_dir: mkdocs.yml) — all in the context key through the content keys and
mkdocs.yml; of other incidents only whether an id exists (`record.related_exist`) — the
ids are in the context key; the document itself and its own file (content key);
`acceptance.py`'s accepted codes — a document with `accepted:` is never memoised, so the
acceptance filter and `stale-acceptance` never apply to a memoised file; the rule code
itself (base key). The run-dependent facts are tracked by the `RuleContext` (`reads`)
while each rule judges each document, so none can be missed: reading `ctx.loaded` or
`ctx.fired` makes the document not memoisable (no per-document rule does today); reading
`ctx.now`/`ctx.today` is allowed only to a rule with a registered `horizon`
(postmortem-overdue, postmortem-obligation-overdue, action-item-overdue), which narrows the
window; `silent-incident` has none, so an open incident is judged on every run. A
document is also not memoised when a rule on it reports on another file.

**What the rest of `check` reads of a reused incident** (handbook rules, `status_problems`,
duplicate ids): it stays in `Handbook.incidents` as a `StandIn` carrying the facts those
read (id, path, kind, public, public_id, severity, accepted), taken from the validated
document when it was judged. Any other attribute validates the real document on first use
(`StandIn.__getattr__`), so a reader the audit missed gets the truth, only slower; the
first incident is always real (the link check's page registry builds its pages), and a
line asked of a reused file loads it (`LoadResult.line`).

**Storage.** One file, `findings.memo` beside the content cache's entries: plain JSON
(never pickle), used only when its shape is exactly the one written; anything else is an
empty memo, never an error. Writes are atomic and only when something changed. Files are
first matched by (mtime_ns, ctime_ns, size, inode) as git's index does, so unchanged files
are not even read; a stat is stored only when the file's mtime is older than the scan
that took it by more than `RACY_NS` (a coarse clock could hide an edit in the same tick).
"""

from __future__ import annotations

import hashlib
import json
import os
import stat
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from itertools import chain
from pathlib import Path
from typing import Any

from ..cache import ContentCache, package_hash
from ..diagnostics import Diagnostic
from ..gcpause import gc_paused
from ..load import LoadResult
from ..model.vocab import Kind
from .context import RuleContext
from .registry import Finding, Rule

FORMAT = 1
FILE = "findings.memo"
RACY_NS = 2_000_000_000
"""A file modified this close to the scan is matched by its bytes, not by its stat."""
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
INCIDENT_KINDS = frozenset({"incident", "maintenance"})

Stat = tuple[int, int, int, int]
Template = tuple[str, str, str, str]
"""A diagnostic without file and line: field, severity, code, message (shared: a corpus
repeats a few hundred of them across thousands of files)."""
Found = tuple[int, Template]


def _us(t: datetime) -> int:
    return (t - EPOCH) // timedelta(microseconds=1)


def _offset(t: datetime) -> int | None:
    off = t.utcoffset()
    return None if off is None else off // timedelta(seconds=1)


def file_stat(path: str | Path) -> Stat | None:
    """(mtime_ns, ctime_ns, size, inode) of a regular file that is no symlink, else None."""
    try:
        st = os.lstat(path)
    except OSError:
        return None
    if not stat.S_ISREG(st.st_mode):
        return None
    return (st.st_mtime_ns, st.st_ctime_ns, st.st_size, st.st_ino)


@dataclass
class MemoEntry:
    """What `check` found in one incident file, and when that holds."""

    key: str
    stat: Stat | None
    facts: tuple[str, str, bool, str | None, str | None]
    """id, kind, public, public_id, severity of the validated document."""
    since: int
    until: int | None
    """The validity window in microseconds since the epoch: [since, until)."""
    offset: int
    """The UTC offset of `now` in seconds (the zone of `today`)."""
    found: list[Found]
    entry_stat: Stat | None = None
    """The stat of the file's content cache entry (None: it has none), from which the
    real document is loaded: an entry rewritten since (another cache restored, a foreign
    or corrupt entry replaced) ends the memo's word on the file."""
    flat: list[int] | None = field(default=None, compare=False, repr=False)
    """`found` as read: [line, template index, ...] into the memo file's templates (None:
    judged this run). `save` writes it back as it is, under the same template list."""

    def valid_at(self, t: int, offset: int | None) -> bool:
        """Whether it holds at `t` (microseconds since the epoch) in that UTC offset."""
        return (offset == self.offset and self.since <= t
                and (self.until is None or t < self.until))

    def diagnostics(self, rel: str) -> list[Diagnostic]:
        return [Diagnostic(rel, line, *t) for line, t in self.found]  # type: ignore[arg-type]

    def to_list(self, rel: str, index: dict[Template, int], same: bool = False) -> list[Any]:
        """The entry as JSON data, its diagnostics as [line, template index, ...];
        `same`: `index` starts with the templates the entry was read with."""
        flat: list[int] = []
        if same and self.flat is not None:
            flat = self.flat
        else:
            for line, t in self.found:
                flat += (line, index.setdefault(t, len(index)))
        return [rel, self.key, list(self.stat) if self.stat else None, list(self.facts),
                self.since, self.until, self.offset, flat,
                list(self.entry_stat) if self.entry_stat else None]


INTS: set[type] = {int}
NONE = type(None)


def _all(values: Iterable[Any], types: set[type]) -> bool:
    """Whether every value is of exactly one of `types` (no subclass: bool is not int)."""
    return set(map(type, values)) <= types


def _stats(column: Sequence[Any]) -> bool:
    """Whether each is None or a list of four ints (a `Stat` as written)."""
    given = [st for st in column if st is not None]
    return (_all(given, {list}) and set(map(len, given)) <= {4}
            and _all(chain.from_iterable(given), INTS))


def _entries(items: Any, templates: list[Template]) -> dict[str, MemoEntry] | None:
    """The entries `to_list` wrote (rel -> entry), or None when `items` is anything else.
    Checked column by column (a memo holds one row per incident file: 10,000 rows)."""
    if not (type(items) is list and _all(items, {list}) and set(map(len, items)) <= {9}):
        return None
    if not items:
        return {}
    rels, keys, sts, facts, since, until, offset, flats, ests = zip(*items, strict=True)
    if not (_all(rels, {str}) and _all(keys, {str}) and _all(since, INTS)
            and _all(offset, INTS) and _all(until, {int, NONE})
            and _stats(sts) and _stats(ests)):
        return None
    if not (_all(facts, {list}) and set(map(len, facts)) <= {5}):
        return None
    ids, kinds, public, public_ids, severities = zip(*facts, strict=True)
    if not (_all(ids, {str}) and set(kinds) <= INCIDENT_KINDS and _all(public, {bool})
            and _all(public_ids, {str, NONE}) and _all(severities, {str, NONE})):
        return None
    if not (_all(flats, {list}) and not any(len(f) % 2 for f in flats)):
        return None
    values = list(chain.from_iterable(flats))  # every row even: lines at even places
    if not _all(values, INTS):
        return None
    if values and (min(values[0::2]) < 0 or min(values[1::2]) < 0
                   or max(values[1::2]) >= len(templates)):
        return None
    return {rel: MemoEntry(key, tuple(st) if st else None, tuple(fs), t0, t1, off,
                           [(flat[k], templates[flat[k + 1]]) for k in range(0, len(flat), 2)],
                           tuple(est) if est else None, flat)
            for rel, key, st, fs, t0, t1, off, flat, est in items}


def _templates(data: Any) -> list[Template] | None:
    if type(data) is not list:
        return None
    out: list[Template] = []
    for t in data:
        if not (type(t) is list and len(t) == 4 and set(map(type, t)) <= {str}
                and t[1] in ("error", "warning")):
            return None
        out.append(tuple(t))
    return out


def parse(raw: bytes | None, base: str) -> tuple[str, dict[str, MemoEntry]]:
    """(context key, entries) of a memo file for `base`; ("", {}) when it is not one."""
    context, entries, _ = parse_file(raw, base)
    return context, entries


def parse_file(raw: bytes | None,
               base: str) -> tuple[str, dict[str, MemoEntry], list[Template]]:
    """`parse`, and the file's template list (which the entries' `flat` index)."""
    try:
        obj = json.loads(raw) if raw else None
    except (ValueError, RecursionError):
        return "", {}, []
    if not (type(obj) is dict
            and obj.keys() == {"format", "base", "context", "templates", "entries"}
            and obj["format"] == FORMAT and obj["base"] == base
            and type(obj["context"]) is str and type(obj["entries"]) is list):
        return "", {}, []
    templates = _templates(obj["templates"])
    if templates is None:
        return "", {}, []
    entries = _entries(obj["entries"], templates)
    if entries is None or len(entries) != len(obj["entries"]):
        return "", {}, []
    return obj["context"], entries, templates


class StandIn:
    """A reused incident in `Handbook.incidents`: the facts the handbook-wide rules read,
    and the real document, validated on first use of anything else."""

    __slots__ = ("id", "path", "kind", "public", "public_id", "severity", "accepted",
                 "_load", "_real")

    def __init__(self, facts: tuple[str, str, bool, str | None, str | None], path: str,
                 load: Callable[[], Any]):
        self.id, kind, self.public, self.public_id, self.severity = facts
        self.kind = Kind(kind)
        self.path = path
        self.accepted: tuple[()] = ()
        self._load = load
        self._real: Any = None

    def real(self) -> Any:
        """The validated document (None if the file no longer validates: it changed
        during the run)."""
        if self._real is None:
            self._real = self._load()
        return self._real

    def __getattr__(self, name: str) -> Any:
        real = self.real()
        if real is None:
            raise AttributeError(f"{self.path} changed during the run")
        return getattr(real, name)


@dataclass
class Judged:
    """What the rules found on one document this run, and until when it holds."""

    found: list[Finding] = field(default_factory=list)
    ok: bool = True
    until: datetime | None = None


class FindingsMemo:
    """The memo of one repository's cache folder (`open_memo`): the entries read, the
    files matched, and what this run judged (to write back)."""

    def __init__(self, cache: ContentCache, base: str):
        self.cache, self.base = cache, base
        self.scan_ns = time.time_ns()
        self.context, self.entries, self.templates = parse_file(cache.read_named(FILE), base)
        self.read_context = self.context
        self.stats: dict[str, Stat | None] = {}
        self.stand_ins: dict[str, StandIn] = {}
        self.judged: dict[str, Judged] = {}
        self.reused: dict[str, MemoEntry] = {}

    # ------------------------------------------------------------ loading (load.py)
    def by_stat(self, path: Path, rel: str, result: LoadResult) -> StandIn | None:
        """A stand-in for a file whose stat is the one memoised (not read at all)."""
        st = self.stats[rel] = file_stat(path)
        entry = self.entries.get(rel)
        if st is None or entry is None or entry.stat != st:
            return None
        return self._stand_in(entry, path, rel, result)

    def by_key(self, path: Path, rel: str, key: str, result: LoadResult) -> StandIn | None:
        """A stand-in for a file read whose content key is the one memoised."""
        entry = self.entries.get(rel)
        if entry is None or entry.key != key:
            return None
        return self._stand_in(entry, path, rel, result)

    def prepare(self, incidents: list[tuple[Path, str]], result: LoadResult) -> None:
        """Nothing to do before the incidents: each is matched as it comes."""

    def _stand_in(self, entry: MemoEntry, path: Path, rel: str,
                  result: LoadResult) -> StandIn | None:
        if file_stat(self.cache.entry_path(entry.key)) != entry.entry_stat:
            return None
        result.keys[rel] = ("incident", entry.key)
        doc = StandIn(entry.facts, rel, lambda: result.materialize(path, rel))
        result.lazy[rel] = doc.real
        self.stand_ins[rel] = doc
        return doc

    # ------------------------------------------------------------ checking
    def reusable(self, result: LoadResult, now: datetime,
                 reuse: bool = True) -> dict[str, MemoEntry]:
        """The entries whose findings hold for this run; every other stand-in is replaced
        by its real document, and so is the first incident (see the module docstring).
        `reuse=False`: none hold. A stand-in the load left out (its id was taken by a
        file found before it) is dropped: it is not part of this handbook."""
        hb = result.handbook
        self.stand_ins = {rel: doc for rel, doc in self.stand_ins.items()
                          if hb.incidents.get(doc.id) is doc}
        context = context_key(result, self.base)
        valid = reuse and self.context == context
        self.context = context
        t, offset = _us(now), _offset(now)
        out = {rel: self.entries[rel] for rel in self.stand_ins
               if valid and self.entries[rel].valid_at(t, offset)}
        first = next(iter(hb.incidents), None)
        for rel, doc in self.stand_ins.items():
            if rel not in out or doc.id == first:
                real = doc.real()
                if real is None:
                    del hb.incidents[doc.id]
                    out.pop(rel, None)
                else:
                    hb.incidents[doc.id] = real
        self.reused = out
        return out

    def note(self, r: Rule, ctx: RuleContext, doc: Any, found: list[Finding]) -> None:
        """Record what rule `r` found on `doc` and what it read (`ctx.reads`) doing so."""
        j = self.judged.setdefault(doc.path, Judged())
        j.found += found
        reads, ctx.reads = ctx.reads, set()
        if not j.ok:
            return
        if "loaded" in reads or "fired" in reads or doc.accepted \
                or any(f.file != doc.path for f in found):
            j.ok = False
        elif "now" in reads:
            horizon = r.horizon(ctx, doc) if r.horizon is not None else ctx.now
            ctx.reads = set()
            if horizon is not None:
                j.until = horizon if j.until is None else min(j.until, horizon)
                j.ok = horizon > ctx.now

    def save(self, result: LoadResult, now: datetime) -> None:
        """Write the memo (when it changed): the entries reused, and those judged this run
        that hold."""
        entries = dict(self.reused)
        offset = _offset(now)
        by_path = {inc.path: inc for inc in result.handbook.incidents.values()}
        for rel, j in self.judged.items():
            inc = by_path.get(rel)
            key = result.keys.get(rel, ("", ""))[1]
            if inc is None or not j.ok or not key or offset is None:
                continue
            found: list[Found] = [(f.line or result.line(f.file, f.path), (
                f.field_name, f.severity, f.code, f.message)) for f in j.found]
            entries[rel] = MemoEntry(
                key, None, (inc.id, str(inc.kind), bool(inc.public), inc.public_id,
                            inc.severity), _us(now),
                None if j.until is None else _us(j.until), offset, found)
        changed = self.context != self.read_context or entries.keys() != self.entries.keys()
        for rel, entry in entries.items():
            st = self.stats.get(rel)
            st = st if st is not None and st[0] < self.scan_ns - RACY_NS else None
            old = self.entries.get(rel)
            # A reused entry's cache entry was found unchanged when it was stood in for.
            est = (entry.entry_stat if entry is old and rel in self.stand_ins
                   else file_stat(self.cache.entry_path(entry.key)))
            changed = (changed or entry.stat != st or entry.entry_stat != est
                       or (entry is not old and entry != old))
            entry.stat, entry.entry_stat = st, est
        if not changed:
            return
        with gc_paused():  # 10,000 rows of new lists would set off full collections
            text = self._dump(entries)
        self.cache.write_named(FILE, text)

    def _dump(self, entries: dict[str, MemoEntry]) -> str:
        """The memo file's text. Entries read keep their diagnostics as read, under the
        template list read, unless fewer than half of its templates are still used (then
        every entry is written afresh, so the list does not grow without end)."""
        used: set[int] = set()
        for e in entries.values():
            if e.flat is not None:
                used.update(e.flat[1::2])
        same = 2 * len(used) >= len(self.templates)
        index: dict[Template, int] = (
            {t: i for i, t in enumerate(self.templates)} if same else {})
        items = [e.to_list(rel, index, same) for rel, e in sorted(entries.items())]
        return json.dumps(
            {"format": FORMAT, "base": self.base, "context": self.context,
             "templates": [list(t) for t in index], "entries": items},
            ensure_ascii=False, separators=(",", ":"))


def context_key(result: LoadResult, base: str) -> str:
    """The base, every non-incident file's content key and the incidents' ids."""
    h = hashlib.sha256(base.encode())
    others = sorted((rel, kind, key) for rel, (kind, key) in result.keys.items()
                    if kind != "incident")
    h.update("".join(f"\0{rel}\0{kind}\0{key}" for rel, kind, key in others).encode())
    h.update(b"\0ids")
    h.update("".join(f"\0{inc_id}" for inc_id in sorted(result.handbook.incidents)).encode())
    return h.hexdigest()


def base_key(root: Path) -> str:
    """sevbook's code, mkdocs.yml's bytes and the repository's real path."""
    h = hashlib.sha256(f"{FORMAT}\0{package_hash()}\0{os.path.realpath(root)}\0".encode())
    try:
        h.update((root / "mkdocs.yml").read_bytes())
    except OSError:
        h.update(b"\0no mkdocs.yml")
    return h.hexdigest()


def open_memo(root: Path, cache: ContentCache | None) -> FindingsMemo | None:
    """The memo in `cache`'s folder (None without a content cache: `--no-cache`, `cache:
    false`)."""
    return None if cache is None else FindingsMemo(cache, base_key(Path(root)))


def reused_findings(entries: dict[str, MemoEntry],
                    errors_only: bool = False) -> Iterable[Diagnostic]:
    """The diagnostics of `entries` (`errors_only`: their errors; the memo holds every
    finding of a file, so an errors-only check such as `diff`'s can use it too)."""
    for rel, entry in entries.items():
        if not errors_only:
            yield from entry.diagnostics(rel)
        elif any(t[1] == "error" for _, t in entry.found):
            yield from (d for d in entry.diagnostics(rel) if d.severity == "error")


def save(result: LoadResult, now: datetime) -> None:
    """Write the memo `result` was loaded with, if any (after `check` at `now`)."""
    if isinstance(result.reuse, FindingsMemo):
        result.reuse.save(result, now)
