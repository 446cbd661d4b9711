"""Jinja2 environment for the status page: package templates, overridable file by file.

Lookup order: `<root>/theme/status/<name>` first (the view's checked `files`, read
without following symlinks by `ThemeLoader`), then the package's
`sevbook/templates/status/<name>`. A team overrides one template (say
`index.html`) by dropping a file of the same name into `theme/status/`; everything else
stays built in. Times are written by `sevbook.times` (site zone named, UTC in `datetime=`).
Templates only ever receive the frozen public view of
`sevbook.status.view` (as `site`), `root` and `formula`.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from functools import partial
from pathlib import Path

from jinja2 import (
    BaseLoader,
    ChoiceLoader,
    Environment,
    FileSystemLoader,
    StrictUndefined,
    TemplateNotFound,
)
from markupsafe import Markup, escape

from ..diagnostics import Diagnostic
from ..errors import ContentError
from ..times import Clock, human, utc_z
from .theme import Refused, ThemeFiles

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


class ThemeLoader(BaseLoader):
    """The repository's `theme/status/` templates: only the files `scan_theme` listed,
    each read again without following a symlink (`ThemeFiles.read`)."""

    def __init__(self, files: ThemeFiles) -> None:
        self.files = files

    def get_source(self, environment: Environment, template: str,
                   ) -> tuple[str, str | None, Callable[[], bool] | None]:
        rel = self.files.templates.get(template)
        if rel is None:
            raise TemplateNotFound(template)
        try:
            data = self.files.read(rel)
        except Refused as e:
            raise ContentError([Diagnostic(rel, 0, "", "error", "unsafe-asset", str(e))],
                               ) from None
        return data.decode("utf-8"), rel, lambda: True


def environment(files: ThemeFiles, tz_name: str) -> Environment:
    """The template environment: the theme's templates over the package's."""
    env = Environment(
        loader=ChoiceLoader([ThemeLoader(files), FileSystemLoader(str(PACKAGE_TEMPLATES))]),
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
    env.filters["duration"] = human
    env.filters["safe_html"] = lambda html: Markup(html)  # sanitized at the boundary
    env.globals["escape"] = escape
    return env

