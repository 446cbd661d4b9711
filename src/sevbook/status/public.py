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
its `public_id:` or an HMAC of the file id keyed with the repository's secret id key
(`sevbook.status.ids`), stable across builds. Files come from the repository only through
`sevbook.status.theme` (regular files inside it, never through a symlink).

Everything is evaluated at `now`: updates dated after `now` are not published yet, an
incident resolved after `now` is still open.

The boundary is this module with `incidents` (one incident) and `components` (one
component, its spans and uptime, the groups); they are the only modules of
`sevbook.status` that read the model. Everything that renders imports `sevbook.status.view`.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime
from types import MappingProxyType
from zoneinfo import ZoneInfo

from .. import i18n
from ..diagnostics import Diagnostic
from ..errors import ContentError
from ..model import Handbook, Incident
from . import sanitize
from .components import Context, display_order, groups, public_component
from .gcpause import gc_paused
from .headline import PageStatus, page_status
from .ids import PublicIds, duplicate_component_ids, duplicate_ids, opaque_id
from .incidents import Language, public_incident
from .theme import load_theme
from .view import PublicComponent, PublicIncident, PublicView

__all__ = ["PublicView", "opaque_id", "public_view"]

def _safe_link(url: str) -> bool:
    """Footer links from the settings: web, mail or site-relative targets only."""
    scheme = url.split(":", 1)[0].lower() if ":" in url.split("/", 1)[0] else ""
    return scheme in ("", "http", "https", "mailto")


def _base_url(url: str) -> str:
    url = url.strip()
    return url + "/" if url and not url.endswith("/") else url


def _incidents(handbook: Handbook, comp_index, now: datetime, ids: PublicIds,
               lang: Language) -> list[tuple[PublicIncident, Incident]]:
    """The published public incidents, newest first (by start), with their sources (their
    text in the page's language where the team translated it)."""
    pairs = []
    for inc in handbook.incidents.values():
        if inc.public:
            pi = public_incident(inc, handbook, comp_index, now, ids, lang)
            if pi is not None:
                pairs.append((pi, inc))
    problems = duplicate_ids((pi.id, inc.path) for pi, inc in pairs)
    if problems:
        raise ContentError(problems)
    pairs.sort(key=lambda p: (p[0].started_at, p[0].created_at, p[0].id), reverse=True)
    return pairs


def _by_component(pairs: list[tuple[PublicIncident, Incident]], comp_index,
                  ) -> dict[str, list[tuple[PublicIncident, Incident]]]:
    """Public component id -> the incidents that name it, in the order of `pairs`."""
    out: dict[str, list[tuple[PublicIncident, Incident]]] = {
        ref.id: [] for ref in comp_index.values()}
    for pair in pairs:
        for c in pair[0].component_ids:
            out[c].append(pair)
    return out


def _words(root, st) -> i18n.Messages:
    """The page's catalogue (`status.language`, the team's catalogue over the shipped
    one); a team catalogue that cannot be read or parsed stops the page, named."""
    try:
        return i18n.messages(root, st.language, st.locale_dir, st.content_language)
    except i18n.CatalogueError as e:
        raise ContentError([Diagnostic(e.file, e.line, "", "error", "bad-catalogue",
                                       e.reason)]) from None


def _headline(components: tuple[PublicComponent, ...],
              incidents: list[PublicIncident]) -> PageStatus:
    """The top-level status from the components' states now and the open incidents."""
    return page_status([c.status for c in components],
                       [i.impact for i in incidents if i.active and not i.is_maintenance])


def public_view(handbook: Handbook, now: datetime) -> PublicView:
    """The public view of `handbook` at `now`. The only function that reads the Handbook
    for the status page."""
    with gc_paused():
        return _public_view(handbook, now.astimezone(UTC))


def _public_view(handbook: Handbook, now: datetime) -> PublicView:
    st = handbook.settings.status
    url = _base_url(st.url)
    root = getattr(handbook, "root", None)
    files = load_theme(root, st.logo or "")
    problems = duplicate_component_ids((svc.component_id, svc.path)
                                       for svc in handbook.public_services.values())
    if problems:
        raise ContentError(problems)
    comp_index = display_order(handbook.public_services)
    words = _words(root, st)
    pairs = _incidents(handbook, comp_index, now, PublicIds.of(root),
                       Language(words.language, words.content_language))
    ctx = replace(Context.at(handbook, now, ZoneInfo(st.timezone)),
                  epoch=min((pi.created_at for pi, _ in pairs), default=None))
    named = _by_component(pairs, comp_index)
    components = tuple(public_component(sid, ref, ctx, named[ref.id])
                       for sid, ref in comp_index.items())
    incidents = [pi for pi, _ in pairs]
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
        headline=_headline(components, incidents),
        logo=f"assets/{files.logo[0]}" if files.logo else "",
        files=files,
        words=words,
    )
