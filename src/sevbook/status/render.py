"""Jinja2 environment for the status page: package templates, overridable file by file.

Lookup order: `<root>/theme/status/<name>` first (the view's `theme_dir`), then the
package's `sevbook/templates/status/<name>`. A team overrides one template (say
`index.html`) by dropping a file of the same name into `theme/status/`; everything else
stays built in. Templates only ever receive the frozen public view of
`sevbook.status.view` (as `site`), `root` and `formula`.
"""

from __future__ import annotations

from datetime import date, datetime, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

from jinja2 import ChoiceLoader, Environment, FileSystemLoader, StrictUndefined
from markupsafe import Markup, escape

PACKAGE_TEMPLATES = Path(__file__).resolve().parent.parent / "templates" / "status"


def utc_iso(dt: datetime) -> str:
    """`2026-03-02T14:30:00Z`: the machine-readable form used in `datetime=` and the API."""
    return dt.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


class Formatter:
    """Human times in the site's time zone, with the zone named (CET, CEST, UTC…)."""

    def __init__(self, tz_name: str) -> None:
        self.tz = ZoneInfo(tz_name)

    def text(self, dt: datetime) -> str:
        local = dt.astimezone(self.tz)
        return f"{local.day} {local:%b %Y, %H:%M} {local:%Z}"

    def short(self, dt: datetime) -> str:
        local = dt.astimezone(self.tz)
        return f"{local.day} {local:%b, %H:%M} {local:%Z}"

    def time_tag(self, dt: datetime | None, short: bool = False) -> Markup:
        if dt is None:
            return Markup("")
        text = self.short(dt) if short else self.text(dt)
        # Both parts are made here from a datetime (digits, month and zone names), never
        # from content, so plain formatting is safe and much faster than Markup.format.
        return Markup(f'<time datetime="{utc_iso(dt)}">{text}</time>')

    def day(self, d: date) -> str:
        return f"{d.day} {d:%B %Y}"


def environment(theme_dir: Path | None, tz_name: str) -> Environment:
    """The template environment: `theme_dir` (when it exists) over the package's."""
    loaders = []
    if theme_dir is not None and theme_dir.is_dir():
        loaders.append(FileSystemLoader(str(theme_dir)))
    loaders.append(FileSystemLoader(str(PACKAGE_TEMPLATES)))
    env = Environment(
        loader=ChoiceLoader(loaders),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        auto_reload=False,
    )
    fmt = Formatter(tz_name)
    env.filters["time"] = fmt.time_tag
    env.filters["timetext"] = fmt.text
    env.filters["longday"] = fmt.day
    env.filters["utc"] = utc_iso
    env.filters["safe_html"] = lambda html: Markup(html)  # sanitized at the boundary
    env.globals["escape"] = escape
    return env


def theme_assets(theme_dir: Path | None) -> Path | None:
    """`theme/status/assets/` when the handbook has one (its files override the package's)."""
    if theme_dir is None:
        return None
    path = theme_dir / "assets"
    return path if path.is_dir() else None
