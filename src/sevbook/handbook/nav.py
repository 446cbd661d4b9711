"""The automatic navigation, ordered for responders (used only without a `nav:`).

Every page renders the whole navigation, so a nav of hundreds of runbooks costs more build
time than everything else together: a roles/services/runbooks section with more pages than
`features.nav_section_limit` keeps only its index in the navigation (the index lists and
links them all). Incident pages are never in it.

The order and the trimming are worked out on docs paths (`ordered`, `trimmed`), so an
engine other than MkDocs (`zensical/`) writes the same navigation into its config.
"""

from __future__ import annotations

import posixpath
from collections.abc import Iterable, Sequence

from mkdocs.plugins import get_plugin_logger
from mkdocs.structure.files import Files, InclusionLevel
from mkdocs.utils import nest_paths

log = get_plugin_logger("sevbook")

NAV_ORDER = ("index.md", "severity.md", "oncall.md", "roles", "services", "runbooks",
             "incidents", "action-items.md", "postmortems.md", "metrics.md", "templates.md")
"""Top of the automatic navigation: what a responder needs first. Other pages follow."""
NAV_SECTIONS = ("roles", "services", "runbooks")


def is_index(uri: str) -> bool:
    """Whether a docs path is its folder's index page (`index.md`, or `README.md`)."""
    return posixpath.splitext(posixpath.basename(uri))[0] in ("index", "README")


def trimmed(uris: Sequence[str], limit: int) -> set[str]:
    """The pages (docs paths, all in the navigation) of each section with more than `limit`
    pages, which leave the navigation."""
    out: set[str] = set()
    for section in NAV_SECTIONS:
        pages = [u for u in uris if u.startswith(section + "/") and not is_index(u)]
        if len(pages) > limit:
            log.info(f"{len(pages)} pages under {section}/: only its index is in the "
                     f"navigation (features.nav_section_limit: {limit})")
            out.update(pages)
    return out


def trim_sections(files: Files, limit: int) -> None:
    """Leave the pages of a section with more than `limit` pages out of the navigation."""
    in_nav = [f for f in files.documentation_pages() if f.inclusion.is_in_nav()]
    left_out = trimmed([f.src_uri for f in in_nav], limit)
    for f in in_nav:
        if f.src_uri in left_out:
            f.inclusion = InclusionLevel.NOT_IN_NAV


def _key(uri: str) -> tuple:
    """Responders' order first, then MkDocs' own (`file_sort_key`: index first, folders
    last)."""
    top = uri.split("/", 1)[0]
    rank = NAV_ORDER.index(top) if top in NAV_ORDER else len(NAV_ORDER)
    parts = tuple(uri.split("/"))
    return (rank, (parts[:-1], not is_index(uri), parts[-1]))


def ordered(uris: Iterable[str]) -> list:
    """The nested nav (as in mkdocs.yml) of these docs paths, in the responders' order."""
    return nest_paths(sorted(uris, key=_key))


def auto_nav(files: Files) -> list:
    """The nav MkDocs would build, reordered so a responder finds the urgent pages first."""
    return ordered(f.src_uri for f in files.documentation_pages()
                   if f.inclusion.is_in_nav() and not f.inclusion.is_excluded())
