"""The incident pages a `sevbook serve` session generated, reused while their inputs are
equal by value.

Generating the Markdown of every incident page is the largest part of a preview rebuild
at thousands of incidents, and an edit changes one of them. `IncidentPages` (kept in the
session, `session.py`) remembers each incident page's Markdown with what it was made
from, and the next rebuild takes it back only when all of that is equal:

* **the site**, once per rebuild: `now`, whether the build is for the restricted
  audience, every setting but the handbook's output folder (`site_dir`: each rebuild has
  a fresh one, and no incident page shows it) and every other field of the `Handbook`
  but its incidents and file count (the severity matrix, roles, on-call and teams,
  services, runbooks). Any difference forgets every remembered page;
* **the incident**: its file's content key (`cache.ContentCache.key`: kind, path and
  bytes) when the load gave one: with the same settings and code (the site), the same
  bytes validate to the same model, id, path and body, and the stub the build for
  everyone shows follows from it and the site. Without a key, the model as the page sees
  it (a restricted incident's stub, in the build for everyone), with its id, path and
  body;
* **the incidents it names** (`related:`): each one's id and title, or that it is missing;
* **the diagnostics of its file** (no incident page shows them today; a page that did
  would still be right).

What `incidents.incident_page` reads (the audit, 2026-12-02): the incident and its
methods; of the context the time (`now`, `today`), the time zone and settings, the
restricted flag, the severity levels, services, runbooks, roles and teams (links and
names), and of other incidents only the related ones' ids and titles. A page that comes
to read anything else must add it to `inputs` or `site_inputs`;
`tests/test_serve_rebuild.py` compares rebuilt previews against fresh ones after each
kind of edit.

Equality is strict (`same`): models compare by type and every attribute, including the
id, path and body `bind` keeps in slots, which pydantic's own `==` never compares, and
times by their offset too (`==` compares instants). A
false "different" only costs generating the page again.
"""

from __future__ import annotations

import dataclasses
import functools
from collections.abc import Callable
from datetime import datetime
from typing import Any

from pydantic import BaseModel

from ..model import Incident
from .context import Context


def same(a: Any, b: Any) -> bool:
    """Whether `a` and `b` are equal in every attribute, recursively (see the docstring)."""
    if a is b:
        return True
    if type(a) is not type(b):
        return False
    if isinstance(a, BaseModel):
        return (same(a.__dict__, b.__dict__)
                and all(same(getattr(a, n, None), getattr(b, n, None)) for n in _slots(type(a)))
                and same(getattr(a, "__pydantic_private__", None),
                         getattr(b, "__pydantic_private__", None))
                and same(a.__pydantic_extra__ or {}, b.__pydantic_extra__ or {}))
    if isinstance(a, dict):
        return a.keys() == b.keys() and all(same(v, b[k]) for k, v in a.items())
    if isinstance(a, (list, tuple)):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, datetime):  # == compares instants: the same one in another offset
        return a == b and a.tzinfo == b.tzinfo
    if dataclasses.is_dataclass(a) and not isinstance(a, type):
        return all(same(getattr(a, f.name), getattr(b, f.name))
                   for f in dataclasses.fields(a))
    return bool(a == b)


@functools.cache
def _slots(cls: type) -> tuple[str, ...]:
    """The attributes a model keeps in slots of its own (`bind`'s id, path and body)."""
    return tuple(n for c in cls.__mro__ if c not in BaseModel.__mro__
                 for n in getattr(c, "__slots__", ()) if not n.startswith("__"))


def site_inputs(ctx: Context) -> tuple[Any, ...]:
    """What every incident page shares: the time, the audience, the handbook but its
    incidents."""
    hb = ctx.handbook
    return (ctx.now, ctx.restricted, _fields(hb.settings, leave_out=("site_dir",)),
            _fields(hb, leave_out=("incidents", "settings", "files")))


def _fields(obj: Any, leave_out: tuple[str, ...]) -> tuple[tuple[str, Any], ...]:
    return tuple((f.name, getattr(obj, f.name)) for f in dataclasses.fields(obj)
                 if f.name not in leave_out)


def inputs(ctx: Context, inc: Incident, diagnostics: tuple[Any, ...]) -> tuple[Any, ...]:
    """What one incident's page is made from, besides the site."""
    related = tuple((r.incident, o.title if (o := ctx.handbook.incidents.get(r.incident))
                     is not None else None) for r in inc.related)
    key = ctx.content_keys.get(inc.path) if ctx.content_keys is not None else None
    if key is not None and key[1]:  # the file's bytes stand for the model
        return (("file", inc.path, key), related, diagnostics)
    return (inc, inc.id, inc.path, inc.body, related, diagnostics)


class IncidentPages:
    """One session's incident pages: {incident id: (inputs, Markdown)}."""

    def __init__(self) -> None:
        self._site: tuple[Any, ...] | None = None
        self._last: dict[str, tuple[tuple[Any, ...], str]] = {}
        self._next: dict[str, tuple[tuple[Any, ...], str]] = {}
        self._diagnostics: dict[str, list[Any]] = {}
        self.reused = 0
        self.made = 0
        """How many pages this rebuild took back and generated."""

    def start(self, ctx: Context) -> None:
        """Begin a rebuild for `ctx` (its handbook as the pages see it): keep the pages
        the previous rebuild used, if the site is the same."""
        site = site_inputs(ctx)
        kept = self._next or self._last
        self._last = kept if self._site is not None and same(site, self._site) else {}
        self._site, self._next = site, {}
        self._diagnostics = {}
        for d in ctx.diagnostics:
            self._diagnostics.setdefault(d.file, []).append(d)
        self.reused = self.made = 0

    def page(self, ctx: Context, inc: Incident, make: Callable[[], str]) -> str:
        """The Markdown of `inc`'s page: the remembered one if its inputs are equal, else
        `make()`."""
        key = inputs(ctx, inc, tuple(self._diagnostics.get(inc.path, ())))
        old = self._last.get(inc.id)
        if old is not None and same(old[0], key):
            self._next[inc.id] = old
            self.reused += 1
            return old[1]
        text = make()
        self._next[inc.id] = (key, text)
        self.made += 1
        return text
