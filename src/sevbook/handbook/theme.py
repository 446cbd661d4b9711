"""What the plugin adds to the MkDocs theme: its template overrides, its stylesheet, and the
data the open-incident banner reads.

The overrides (`overrides/main.html`, the banner) ship with the package, so every handbook
has them, also one made by `sevbook init`. They go right after the repository's own
`theme.custom_dir` in the template search path: a `main.html` there still wins.
"""

from __future__ import annotations

from collections.abc import Callable
from importlib.resources import files as package_files
from pathlib import Path
from typing import Any

from .cadence import cadence
from .context import Context

OVERRIDES = Path(__file__).resolve().parent / "overrides"
CSS_URI = "assets/sevbook/handbook.css"
BANNER_KEY = "sevbook_open"
"""`config.extra` key holding the open incidents (see overrides/main.html)."""
RESTRICTED_KEY = "sevbook_restricted"
"""`config.extra` key set in the restricted build: the do-not-publish banner."""
RESTRICTED_NAME = " (restricted build)"
"""Added to site_name in the restricted build, so every page's header and title say it
even under a repository's own main.html."""


def add_overrides(theme: Any) -> None:
    """Put the package's template overrides after the theme's custom_dir, if any."""
    folder = str(OVERRIDES)
    if folder in theme.dirs:
        return
    theme.dirs.insert(1 if theme.custom_dir else 0, folder)


def mark_restricted(config: Any, restricted: bool) -> None:
    """Mark every page of the restricted build: the banner and the site name."""
    config.extra[RESTRICTED_KEY] = restricted
    if restricted and not config.site_name.endswith(RESTRICTED_NAME):
        config.site_name += RESTRICTED_NAME


def stylesheet() -> bytes:
    return package_files("sevbook.handbook").joinpath("assets/handbook.css").read_bytes()


def open_incidents(ctx: Context, url_of: Callable[[str], str | None]) -> list[dict[str, str]]:
    """Open incidents for the banner, most severe first; `url_of` maps a docs path to the
    page's URL (None when the page is not in the site)."""
    sev = ctx.handbook.severity
    out = []
    for inc in ctx.handbook.incidents.values():
        if inc.is_maintenance or not ctx.is_open(inc):
            continue
        url = url_of(ctx.incident_uri(inc))
        if url is not None:
            owed = cadence(ctx, inc)
            out.append({"severity": inc.severity or "", "title": inc.title, "url": url,
                        "rank": str(sev.rank(inc.severity) if sev else 0),
                        "cadence": f"{owed.last_text()}; {owed.due_text(ctx)}" if owed else "",
                        "overdue": "overdue" if owed and owed.overdue else ""})
    return sorted(out, key=lambda d: (int(d["rank"]), d["url"]))
