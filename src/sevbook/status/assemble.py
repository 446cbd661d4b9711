"""One status page's view from a selection of the Handbook: the assembly both builders share.

`public.public_view` (the public pages: public incidents and components only) and
`internal.internal_view` (the employees' page) each decide *what* a page may show by
handing over a Handbook whose `public_services` are the page's components and whose public
incidents are the page's incidents; this module turns that selection into the frozen
`PublicView`, the only thing the renderers see. It never widens the selection: a service
without `status_page` or an incident without `public` is not shown.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import datetime
from types import MappingProxyType
from zoneinfo import ZoneInfo

from .. import i18n
from ..config import StatusOptions
from ..diagnostics import Diagnostic
from ..errors import ContentError
from ..model import Handbook, Incident
from . import sanitize
from .components import Context, display_order, groups, public_component
from .headline import PageStatus, page_status
from .ids import PublicIds, duplicate_component_ids, duplicate_ids, opaque_id
from .incidents import ComponentRef, Language, public_incident
from .theme import THEME, load_theme
from .view import PublicComponent, PublicIncident, PublicView

Pair = tuple[PublicIncident, Incident]


@dataclass(frozen=True)
class Audience:
    """Who a page is for, and what that changes."""

    options: StatusOptions
    """The page's title, URL, time zone, logo and links."""
    ids: PublicIds
    """Its id scheme (per page: `PublicIds.for_page`)."""
    name: str = ""
    """'' for the default page, a `status_pages` id, or 'internal'."""
    internal: bool = False
    """The internal page: severities shown, not to be indexed."""
    only_named: bool = False
    """Leave out incidents that name none of the page's components (further pages)."""


def _safe_link(url: str) -> bool:
    """Footer links from the settings: web, mail or site-relative targets only."""
    scheme = url.split(":", 1)[0].lower() if ":" in url.split("/", 1)[0] else ""
    return scheme in ("", "http", "https", "mailto")


def _base_url(url: str) -> str:
    url = url.strip()
    return url + "/" if url and not url.endswith("/") else url


def _incidents(handbook: Handbook, comp_index: Mapping[str, ComponentRef], now: datetime,
               audience: Audience, lang: Language) -> list[Pair]:
    """The page's published incidents, newest first (by start), with their sources (their
    text in the page's language where the team translated it)."""
    pairs = []
    for inc in handbook.incidents.values():
        if inc.public:
            pi = public_incident(inc, handbook, comp_index, now, audience.ids, lang)
            if pi is None or (audience.only_named and not pi.component_ids):
                continue
            if audience.internal:
                pi = replace(pi, severity=sanitize.plain(inc.severity or ""))
            pairs.append((pi, inc))
    problems = duplicate_ids((pi.id, inc.path) for pi, inc in pairs)
    if problems:
        raise ContentError(problems)
    pairs.sort(key=lambda p: (p[0].started_at, p[0].created_at, p[0].id), reverse=True)
    return pairs


def _by_component(pairs: list[Pair], comp_index: Mapping[str, ComponentRef],
                  ) -> dict[str, list[Pair]]:
    """Public component id -> the incidents that name it, in the order of `pairs`."""
    out: dict[str, list[Pair]] = {ref.id: [] for ref in comp_index.values()}
    for pair in pairs:
        for c in pair[0].component_ids:
            out[c].append(pair)
    return out


def _words(root, st: StatusOptions) -> i18n.Messages:
    """The page's catalogue (`language`, the team's catalogue over the shipped one); a team
    catalogue that cannot be read or parsed stops the page, named."""
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


def assemble(handbook: Handbook, now: datetime, audience: Audience) -> PublicView:
    """The view of the page `audience` at `now` (UTC) from the selection `handbook`."""
    st = audience.options
    url = _base_url(st.url)
    root = getattr(handbook, "root", None)
    files = load_theme(root, st.logo or "", getattr(st, "theme", THEME))
    problems = duplicate_component_ids((svc.component_id, svc.path)
                                       for svc in handbook.public_services.values())
    if problems:
        raise ContentError(problems)
    comp_index = display_order(handbook.public_services)
    words = _words(root, st)
    pairs = _incidents(handbook, comp_index, now, audience,
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
        audience=audience.name,
        internal=audience.internal,
    )
