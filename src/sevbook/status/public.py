"""THE privacy boundary: the Handbook in, one frozen public view out.

Everything under `site/status/` is rendered from the `PublicView` made here by
`public_view(handbook, now)`, and from nothing else: templates, feeds, the JSON API, the
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
`opaque_id("incident", file_id)`, 12 base32 characters of a SHA-256, stable across builds.

Everything is evaluated at `now`: updates dated after `now` are not published yet, an
incident resolved after `now` is still open.

The boundary is this module with `incidents` (one incident) and `components` (one
component, its spans and uptime, the groups); they are the only modules of
`sevbook.status` that read the model. Everything that renders imports `sevbook.status.view`.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from types import MappingProxyType
from urllib.parse import urlparse
from zoneinfo import ZoneInfo

from ..model import Handbook, Incident
from ..model.vocab import Impact
from . import sanitize
from .components import Context, display_order, groups, public_component
from .gcpause import gc_paused
from .ids import opaque_id
from .incidents import public_incident
from .view import PublicComponent, PublicIncident, PublicView

__all__ = ["PublicView", "opaque_id", "public_view"]

LOGO_SUFFIXES = {".svg", ".png", ".jpg", ".jpeg", ".gif", ".webp"}


def _safe_link(url: str) -> bool:
    """Footer links from the settings: web, mail or site-relative targets only."""
    scheme = url.split(":", 1)[0].lower() if ":" in url.split("/", 1)[0] else ""
    return scheme in ("", "http", "https", "mailto")


def _base_url(url: str) -> str:
    url = url.strip()
    return url + "/" if url and not url.endswith("/") else url


def _logo(root: Path | None, logo: str) -> Path | None:
    """The local logo image to copy, if the setting names one: the status page never loads
    anything from another host."""
    if not logo or root is None or urlparse(logo).scheme:
        return None
    src = (Path(root) / logo).resolve()
    return src if src.is_file() and src.suffix.lower() in LOGO_SUFFIXES else None


def _incidents(handbook: Handbook, comp_index, now: datetime,
               ) -> list[tuple[PublicIncident, Incident]]:
    """The published public incidents, newest first (by start), with their sources."""
    pairs = []
    for inc in handbook.incidents.values():
        if inc.public:
            pi = public_incident(inc, handbook, comp_index, now)
            if pi is not None:
                pairs.append((pi, inc))
    pairs.sort(key=lambda p: (p[0].started_at, p[0].created_at, p[0].id), reverse=True)
    return pairs


def _by_component(pairs: list[tuple[PublicIncident, Incident]], comp_index,
                  ) -> dict[str, list[tuple[PublicIncident, Incident]]]:
    """Component id -> the incidents that name it, in the order of `pairs`."""
    out: dict[str, list[tuple[PublicIncident, Incident]]] = {sid: [] for sid in comp_index}
    for pair in pairs:
        for c in pair[0].component_ids:
            out[c].append(pair)
    return out


def _indicator(components: tuple[PublicComponent, ...],
               incidents: list[PublicIncident]) -> Impact:
    """The page indicator: the worst of what the components' states imply and the impact
    of the active incidents (maintenance counts through its components)."""
    levels = [Impact(c.status.indicator) for c in components]
    levels += [i.impact for i in incidents if i.active and not i.is_maintenance]
    return max(levels, key=lambda i: i.rank, default=Impact.NONE)


def public_view(handbook: Handbook, now: datetime) -> PublicView:
    """The public view of `handbook` at `now`. The only function that reads the Handbook
    for the status page."""
    with gc_paused():
        return _public_view(handbook, now.astimezone(UTC))


def _public_view(handbook: Handbook, now: datetime) -> PublicView:
    st = handbook.settings.status
    url = _base_url(st.url)
    root = getattr(handbook, "root", None)
    comp_index = display_order(handbook.public_services)
    pairs = _incidents(handbook, comp_index, now)
    ctx = Context.at(handbook, now, ZoneInfo(st.timezone))
    named = _by_component(pairs, comp_index)
    components = tuple(public_component(sid, ref, ctx, named[sid])
                       for sid, ref in comp_index.items())
    incidents = [pi for pi, _ in pairs]
    logo_file = _logo(root, st.logo or "")
    return PublicView(
        title=sanitize.plain(st.title),
        # The page's public name is its title: `name` defaults to the handbook's site_name,
        # which is an internal site.
        name=sanitize.plain(st.title),
        url=url,
        timezone=st.timezone,
        links=MappingProxyType({sanitize.plain(k): v for k, v in (st.links or {}).items()
                                if _safe_link(v)}),
        now=now,
        page_id=opaque_id("page", url or st.title),
        updated_at=max((i.updated_at for i in incidents), default=now),
        components=components,
        groups=groups(components),
        incidents=tuple(incidents),
        indicator=_indicator(components, incidents),
        logo=f"assets/logo{logo_file.suffix.lower()}" if logo_file else "",
        logo_file=logo_file,
        theme_dir=Path(root) / "theme" / "status" if root is not None else None,
    )
