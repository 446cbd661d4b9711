"""The two handbooks `sevbook diff` compares, cut down to what a few incident files can change.

When only incident files changed, the base handbook is the working tree's with those files
as they were at the base (`diff._base_from_changes`): every other incident is the very same
object on both sides. The diff compares, on every status page, the components (id, name,
status) and the public incidents (by id: their public fields and updates). What an
unchanged incident contributes to that is the same on both sides:

* its public record (`status.incidents.public_incident`) depends on the incident, the
  services, the settings, `now` and the page's ids only, never on another incident, so it
  is identical on both sides and gives no change;
* a component's status is the last state set on it directly (`status_page.status`) when
  that came after every published update of the public incidents that name it, else the
  worst state an *active* one of them holds it in (`components.public_component`); an
  incident resolved by `now` is not active (its public status is resolved or completed,
  `incidents._incident_outcome`, `model.incident.maintenance_status`). Private incidents
  count only in the uptime, which the diff does not compare, as it does not compare a
  component's times, uptime or the headline.

So each side keeps its own version of the changed files plus every unchanged public
incident that names a service one of the changed files names (as a service or in an
update, either version) and is not resolved by `now`, or names such a service that has
directly set states: every component whose status can differ then sees every incident
its status can come from, and every other component sees the same (empty or not) set on
both sides. The comparison of the two cut-down handbooks is the comparison of the whole
ones, at the cost of a few incidents instead of 10,000 per page and side.

One thing a whole base view does that a cut-down one could miss: refusing two public
incidents with one public id (`duplicate-public-id`). The working tree passed `check`, so
such a pair in the base involves a changed file; when a changed file's public id is also
an unchanged incident's on any page, nothing is cut (`narrowed` returns None) and the
whole views give their error as before.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Collection, Iterable
from datetime import datetime

from ..model import Handbook, Incident
from ..status.ids import PublicIds


def names(inc: Incident) -> set[str]:
    """The service ids `inc` names, as its services or in its updates' components: every
    public component it can show as affected, and more."""
    out = set(inc.services)
    for u in inc.updates:
        out.update(u.components)
    return out


Facts = tuple[datetime | None, frozenset[str]]
"""What the narrowing reads of an unchanged public incident: its resolved_at and `names`."""


def facts_of(inc: Incident) -> Facts:
    return inc.resolved_at, frozenset(names(inc))


def _page_ids(hb: Handbook) -> list[PublicIds]:
    """The id scheme of the default page and of every further page."""
    ids = PublicIds.of(getattr(hb, "root", None))
    return [ids, *(ids.for_page(p.id) for p in hb.settings.status_pages)]


def _collide(hb: Handbook, kept: Iterable[Incident], mine: Iterable[Incident]) -> bool:
    """Whether a public incident of `mine` has the public id of one of `kept` on a page.
    Two incidents without `public_id:` cannot: their ids hash distinct file ids in one
    scheme (the status page relies on it), so only those with one are compared unless a
    changed file has one (it could be another file's hash, typed in)."""
    mine = [inc for inc in mine if inc.public]
    if not mine:
        return False
    every = any(inc.public_id for inc in mine)
    kept = [inc for inc in kept if inc.public and (every or inc.public_id)]
    for ids in _page_ids(hb):
        own = {ids.incident(inc.id, inc.public_id) for inc in mine}
        if any(ids.incident(inc.id, inc.public_id) in own for inc in kept):
            return True
    return False


def _keep(hb: Handbook, keep: Collection[str]) -> Handbook:
    """`hb` with only the incidents whose id is in `keep` (in their order)."""
    return dataclasses.replace(hb, incidents={i: inc for i, inc in hb.incidents.items()
                                              if i in keep})


def _direct(hb: Handbook, sids: Iterable[str]) -> set[str]:
    """Those of `sids` that are public services with states set on them directly."""
    out = set()
    for sid in sids:
        svc = hb.services.get(sid)
        if svc is not None and svc.status_page is not None and svc.status_page.status:
            out.add(sid)
    return out


def narrowed(before: Handbook, after: Handbook, changed: Collection[str], now: datetime,
             facts: Callable[[Incident], Facts] = facts_of,
             ) -> tuple[Handbook, Handbook] | None:
    """`before` and `after` with only the incidents whose public views can differ and
    those a component's status shares with them at `now` (see the module); `changed`: the
    paths of the changed incident files. None when `before` is not `after` with those
    files swapped, or a changed file's public id is an unchanged incident's on some page.
    `facts`: what an unchanged public incident gives the narrowing (`facts.NarrowFacts`
    answers for a stand-in without loading it)."""
    mine_before = {i: inc for i, inc in before.incidents.items() if inc.path in changed}
    mine_after = {i: inc for i, inc in after.incidents.items() if inc.path in changed}
    kept = {i: inc for i, inc in after.incidents.items() if inc.path not in changed}
    if (any(getattr(before, f.name) is not getattr(after, f.name)
            for f in dataclasses.fields(Handbook) if f.name != "incidents")
            or len(before.incidents) != len(kept) + len(mine_before)
            or any(before.incidents.get(i) is not inc for i, inc in kept.items())
            or _collide(before, kept.values(), mine_before.values())):
        return None
    reach: set[str] = set()
    for inc in (*mine_before.values(), *mine_after.values()):
        reach |= names(inc)
    direct = _direct(after, reach)
    keep = mine_before.keys() | mine_after.keys()
    for i, inc in kept.items():
        if not inc.public:  # first: a stand-in (`rules.memo.StandIn`) knows it unloaded
            continue
        resolved_at, named = facts(inc)
        over = resolved_at is not None and resolved_at <= now
        if not (direct if over else reach).isdisjoint(named):
            keep.add(i)
    return _keep(before, keep), _keep(after, keep)
