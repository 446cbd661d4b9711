"""What `diff`'s narrowing reads of each unchanged incident, kept by the file's content key,
so that an incident the findings memo stands in for is not loaded to answer it.

`narrow.narrowed` asks of every unchanged public incident when it was resolved and which
services it names (`narrow.names`). With the findings memo (`rules.memo`) an unchanged
incident is a `StandIn` that knows whether it is public but not those; validating the
5,000 public incidents of a 10,000-incident history to answer cost more than the rest of a
one-file `diff`. So the answers are kept in one file, `narrow.facts` beside the content
cache's entries, under each file's content key (`cache.ContentCache.key`: kind, name and
bytes) and the memo's base key (sevbook's code, the versions of Python, Pydantic and
ryaml, mkdocs.yml's bytes, the repository's real path): with the same base, the same bytes
validate to the same document (what the memo relies on too), so they give the same answers.

Plain JSON (never pickle), used only when its shape is exactly the one written; anything
else is an empty store, never an error. Written atomically (`ContentCache.write_named`)
and only when this run asked of an incident it did not know, or no longer asked of one it
knew: it holds the answers of the last run's incidents only.
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from ..load import LoadResult
from ..model import Incident
from ..rules.memo import FindingsMemo
from .narrow import Facts, facts_of

FORMAT = 1
FILE = "narrow.facts"


def parse(raw: bytes | None, base: str) -> dict[str, Facts]:
    """Content key -> (resolved_at, service ids) of a facts file for `base` ({} when it is
    not one)."""
    try:
        obj = json.loads(raw) if raw else None
    except (ValueError, RecursionError):
        return {}
    if not (type(obj) is dict and obj.keys() == {"format", "base", "facts"}
            and obj["format"] == FORMAT and obj["base"] == base
            and type(obj["facts"]) is dict):
        return {}
    out: dict[str, Facts] = {}
    for key, item in obj["facts"].items():
        got = _facts(item)
        if got is None:
            return {}
        out[key] = got
    return out


def _facts(item: Any) -> Facts | None:
    if not (type(item) is list and len(item) == 2 and type(item[1]) is list
            and all(type(s) is str for s in item[1])):
        return None
    at = item[0]
    if at is None:
        return None, frozenset(item[1])
    if type(at) is not str:
        return None
    try:
        resolved = datetime.fromisoformat(at)
    except ValueError:
        return None
    if resolved.tzinfo is None or resolved.isoformat() != at:
        return None
    return resolved, frozenset(item[1])


class NarrowFacts:
    """The facts of one `diff`'s working tree: `facts(inc)` answers from the file when it
    knows the incident's content key, else from the incident (loading a stand-in)."""

    def __init__(self, result: LoadResult, memo: FindingsMemo):
        self.result, self.memo = result, memo
        self.known = parse(memo.cache.read_named(FILE), memo.base)
        self.asked: dict[str, Facts] = {}

    def __call__(self, inc: Incident) -> Facts:
        key = self.result.keys.get(inc.path, ("", ""))[1]
        got = self.known.get(key) if key else None
        if got is None:
            got = facts_of(inc)
        if key:
            self.asked[key] = got
        return got

    def save(self) -> None:
        if self.asked.keys() == self.known.keys():
            return  # every answer was read from the file: it holds exactly these
        self.memo.cache.write_named(FILE, json.dumps(
            {"format": FORMAT, "base": self.memo.base,
             "facts": {k: [None if at is None else at.isoformat(), sorted(names)]
                       for k, (at, names) in sorted(self.asked.items())}},
            ensure_ascii=False, separators=(",", ":")))


def open_facts(result: LoadResult) -> NarrowFacts | None:
    """The facts store of a working tree loaded with the findings memo (None without)."""
    memo = result.reuse
    return NarrowFacts(result, memo) if isinstance(memo, FindingsMemo) else None

