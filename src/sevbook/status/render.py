"""Jinja2 environment for the status page: package templates, overridable file by file.

Lookup order: `<root>/theme/status/<name>` first (the view's `theme_dir`), then the
package's `sevbook/templates/status/<name>`. A team overrides one template (say
`index.html`) by dropping a file of the same name into `theme/status/`; everything else
stays built in. Times are written by `sevbook.times` (site zone named, UTC in `datetime=`).
Templates only ever receive the frozen public view of
`sevbook.status.view` (as `site`), `root` and `formula`.
"""

from __future__ import annotations

from datetime import date, datetime
from functools import partial
from pathlib import Path

from jinja2 import ChoiceLoader, Environment, FileSystemLoader, StrictUndefined
from markupsafe import Markup, escape

from ..times import Clock, utc_z

PACKAGE_TEMPLATES = Path(__file__).resolve().parent.parent / "templates" / "status"


def time_tag(clock: Clock, dt: datetime | None, short: bool = False) -> Markup:
    """`<time datetime="2026-03-02T14:30:00Z">2 Mar 2026, 15:30 CET</time>` (or '')."""
    if dt is None:
        return Markup("")
    text = clock.short(dt) if short else clock.long(dt)
    # Both parts are made here from a datetime (digits, month and zone names), never
    # from content, so plain formatting is safe and much faster than Markup.format.
    return Markup(f'<time datetime="{utc_z(dt)}">{text}</time>')


def long_day(d: date) -> str:
    """`2 March 2026`."""
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
    clock = Clock(tz_name)
    env.filters["time"] = partial(time_tag, clock)
    env.filters["timetext"] = clock.long
    env.filters["longday"] = long_day
    env.filters["utc"] = utc_z
    env.filters["safe_html"] = lambda html: Markup(html)  # sanitized at the boundary
    env.globals["escape"] = escape
    return env


def theme_assets(theme_dir: Path | None) -> Path | None:
    """`theme/status/assets/` when the handbook has one (its files override the package's)."""
    if theme_dir is None:
        return None
    path = theme_dir / "assets"
    return path if path.is_dir() else None
