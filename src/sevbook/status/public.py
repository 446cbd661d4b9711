"""THE privacy boundary: the Handbook in, one frozen public view out.

Everything under `site/status/` (and under the tree of every further public page of
`status_pages`) is rendered from the `PublicView` made here by `public_view(handbook, now,
page)`, and from nothing else: templates, feeds, the JSON API, the
calendar and the badges never see a `Handbook`, an `Incident` or a `Service`, and nothing
changes the view once it is made (`sevbook.status.view`: frozen dataclasses and tuples).
DESIGN.md allows exactly these fields out:

* public incidents (`public: true`): `public_title` (default: `title`), `kind`, `started_at`,
  `resolved_at`, the maintenance window, `postmortem.public_summary`, and their updates
  (time, status, sanitized message, component changes);
* public components: services with a `status_page` block, by their public name,
  description and group.

Never: internal titles (when `public_title` is set), severity ids, roles or names, the
internal timeline, runbooks, action items, the body, private incidents, services without
`status_page`, and the incident file id (it often names the cause): public incident ids are
its `public_id:` or an HMAC of the file id keyed with the repository's secret id key
(`sevbook.status.ids`), stable across builds. Files come from the repository only through
`sevbook.status.theme` (regular files inside it, never through a symlink).

Everything is evaluated at `now`: updates dated after `now` are not published yet, an
incident resolved after `now` is still open.

A further page (`status_pages`) shows only the public components it lists (by service id
or group) and the public incidents that name one of them, with ids of its own
(`PublicIds.for_page`), so two pages' ids cannot be matched up.

The boundary is this module with `assemble` (a selection -> the view), `incidents` (one
incident) and `components` (one component, its spans and uptime, the groups); with
`internal` (the employees' page, never a public tree) they are the only modules of
`sevbook.status` that read the model. Everything that renders imports `sevbook.status.view`.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

from ..config import PageOptions
from ..gcpause import gc_paused
from ..model import Handbook, Incident
from .assemble import Audience, assemble
from .ids import PublicIds, opaque_id
from .view import PublicView

__all__ = ["PublicView", "opaque_id", "page_selection", "public_view"]


def page_selection(handbook: Handbook, page: PageOptions) -> set[str]:
    """The ids of the public services page `page` shows (its services, its groups' and
    those with one of its labels)."""
    return {sid for sid, svc in handbook.public_services.items()
            if sid in page.services
            or (svc.status_page is not None and svc.status_page.group in page.groups)
            or set(page.labels).intersection(svc.labels)}


def _names(inc: Incident, services: set[str]) -> bool:
    """Whether incident `inc` names one of `services` (as the page's components)."""
    return bool(services.intersection(inc.services)) or any(
        services.intersection(u.components) for u in inc.updates)


def _page_handbook(handbook: Handbook, page: PageOptions) -> Handbook:
    """`handbook` seen by page `page`: only its services are public, only the public
    incidents that name one of them are left (private ones stay: some count in uptime)."""
    shown = page_selection(handbook, page)
    services = {sid: svc for sid, svc in handbook.services.items()
                if svc.status_page is None or sid in shown}
    incidents = {iid: inc for iid, inc in handbook.incidents.items()
                 if not inc.public or _names(inc, shown)}
    return replace(handbook, services=services, incidents=incidents)


def _page(handbook: Handbook, name: str) -> PageOptions:
    for page in handbook.settings.status_pages:
        if page.id == name:
            return page
    raise KeyError(f"no status page {name!r} in status_pages")


def public_view(handbook: Handbook, now: datetime, page: str = "") -> PublicView:
    """The public view of `handbook` at `now` for the default status page (`page` '') or
    the further page `page` of `status_pages`. The only function that reads the Handbook
    for a public status page."""
    with gc_paused():
        ids = PublicIds.of(getattr(handbook, "root", None))
        if not page:
            return assemble(handbook, now.astimezone(UTC),
                            Audience(handbook.settings.status, ids))
        options = _page(handbook, page)
        return assemble(_page_handbook(handbook, options), now.astimezone(UTC),
                        Audience(options, ids.for_page(page), page, only_named=True))
