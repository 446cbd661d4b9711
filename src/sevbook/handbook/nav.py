"""The automatic navigation, ordered for responders (used only without a `nav:`).

Every page renders the whole navigation, so a nav of hundreds of runbooks costs more build
time than everything else together: a roles/services/runbooks section with more pages than
`features.nav_section_limit` keeps only its index in the navigation (the index lists and
links them all). Incident pages are never in it.
"""

from __future__ import annotations

from mkdocs.plugins import get_plugin_logger
from mkdocs.structure.files import File, Files, InclusionLevel, file_sort_key
from mkdocs.utils import nest_paths

log = get_plugin_logger("sevbook")

NAV_ORDER = ("index.md", "severity.md", "oncall.md", "roles", "services", "runbooks",
             "incidents", "action-items.md", "postmortems.md", "metrics.md", "templates.md")
"""Top of the automatic navigation: what a responder needs first. Other pages follow."""
NAV_SECTIONS = ("roles", "services", "runbooks")


def trim_sections(files: Files, limit: int) -> None:
    """Leave the pages of a section with more than `limit` pages out of the navigation."""
    for section in NAV_SECTIONS:
        pages = [f for f in files.documentation_pages()
                 if f.src_uri.startswith(section + "/") and f.name != "index"
                 and f.inclusion.is_in_nav()]
        if len(pages) > limit:
            log.info(f"{len(pages)} pages under {section}/: only its index is in the "
                     f"navigation (features.nav_section_limit: {limit})")
            for f in pages:
                f.inclusion = InclusionLevel.NOT_IN_NAV


def auto_nav(files: Files) -> list:
    """The nav MkDocs would build, reordered so a responder finds the urgent pages first."""
    pages = [f for f in files.documentation_pages()
             if f.inclusion.is_in_nav() and not f.inclusion.is_excluded()]

    def key(f: File):
        top = f.src_uri.split("/", 1)[0]
        rank = NAV_ORDER.index(top) if top in NAV_ORDER else len(NAV_ORDER)
        return (rank, file_sort_key(f))

    return nest_paths(f.src_uri for f in sorted(pages, key=key))
