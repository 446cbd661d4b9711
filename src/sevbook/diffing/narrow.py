"""The two handbooks `sevbook diff` compares, cut down to what a few incident files can change.

When only incident files changed, the base handbook is the working tree's with those files
as they were at the base (`diff._base_from_changes`): every other incident is the very same
object on both sides. The diff compares, on every status page, the components (id, name,
status) and the public incidents (by id: their public fields and updates). What an
unchanged incident contributes to that is the same on both sides:

* its public record (`status.incidents.public_incident`) depends on the incident, the
  services, the settings, `now` and the page's ids only, never on another incident, so it
  is identical on both sides and gives no change;
* a component's status depends on the public incidents that name it (`public_component`:
  the states they hold it in, the times of their updates against its directly set
  states) and on the service; private incidents count only in the uptime, which the diff
  does not compare.

So each side keeps its own version of the changed files plus every unchanged public
incident that names a service one of the changed files names (as a service or in an
update, both versions): every component whose status can differ then sees all of its
incidents, and every other component sees the same (empty or not) set on both sides. The
comparison of the two cut-down handbooks is the comparison of the whole ones, at the cost
of a few incidents instead of 10,000 per page and side.

One thing a whole base view does that a cut-down one could miss: refusing two public
incidents with one public id (`duplicate-public-id`). The working tree passed `check`, so
such a pair in the base involves a changed file; when a changed file's public id is also
an unchanged incident's on any page, nothing is cut (`narrowed` returns None) and the
whole views give their error as before.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Collection, Iterable

from ..model import Handbook, Incident
from ..status.ids import PublicIds


def names(inc: Incident) -> set[str]:
    """The service ids `inc` names, as its services or in its updates' components: every
    public component it can show as affected, and more."""
    out = set(inc.services)
    for u in inc.updates:
        out.update(u.components)
    return out


def _page_ids(hb: Handbook) -> list[PublicIds]:
    """The id scheme of the default page and of every further page."""
    ids = PublicIds.of(getattr(hb, "root", None))
    return [ids, *(ids.for_page(p.id) for p in hb.settings.status_pages)]


def _collide(hb: Handbook, kept: Iterable[Incident], mine: Iterable[Incident]) -> bool:
    """Whether a public incident of `mine` has the public id of one of `kept` on a page."""
    mine = [inc for inc in mine if inc.public]
    if not mine:
        return False
    kept = [inc for inc in kept if inc.public]
    for ids in _page_ids(hb):
        own = {ids.incident(inc.id, inc.public_id) for inc in mine}
        if any(ids.incident(inc.id, inc.public_id) in own for inc in kept):
            return True
    return False


def _keep(hb: Handbook, keep: Collection[str]) -> Handbook:
    """`hb` with only the incidents whose id is in `keep` (in their order)."""
    return dataclasses.replace(hb, incidents={i: inc for i, inc in hb.incidents.items()
                                              if i in keep})


def narrowed(before: Handbook, after: Handbook, changed: Collection[str],
             ) -> tuple[Handbook, Handbook] | None:
    """`before` and `after` with only the incidents whose public views can differ and
    those that share a component with them (see the module); `changed`: the paths of the
    changed incident files. None when `before` is not `after` with those files swapped,
    or a changed file's public id is an unchanged incident's on some page."""
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
    keep = mine_before.keys() | mine_after.keys()
    keep |= {i for i, inc in kept.items() if inc.public and not reach.isdisjoint(names(inc))}
    return _keep(before, keep), _keep(after, keep)
