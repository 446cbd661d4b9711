"""Write the whole public status page into a folder.

`sevbook build` calls `build_status(public_view(handbook, now), out)` inside an atomic
temporary folder (see `sevbook.build.atomic_dir`), so a failed build never leaves half a
site. The Handbook is turned into the frozen public view once, by `public.public_view` (the
privacy boundary); this module and every writer below receive only that view. Output
depends only on the view, so two builds with the same sources and `--now` are
byte-identical. Calling it again (as `sevbook serve` does on each change) does all the work
again from scratch; there is no state to reset.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

from ..diagnostics import Diagnostic
from ..errors import ContentError
from . import api, badges, calendar, feeds, render, uptime
from .gcpause import gc_paused
from .history import history_pages, recent_days
from .theme import Refused
from .view import PublicView

__all__ = ["build_status"]


def _write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8", newline="\n")


def _copy_assets(view: PublicView, out_dir: Path) -> None:
    """The package's assets, then the theme's (checked by `theme.scan_theme`; each file
    read again without following a symlink), then the logo."""
    assets = out_dir / "assets"
    shutil.copytree(render.PACKAGE_TEMPLATES / "assets", assets)
    files = view.files
    copies = list(files.assets) + ([files.logo] if files.logo else [])
    for name, rel in copies:
        try:
            data = files.read(rel)
        except Refused as e:
            raise ContentError([Diagnostic(rel, 0, "", "error", "unsafe-asset", str(e))],
                               ) from None
        dest = assets.joinpath(*name.split("/"))
        dest.parent.mkdir(parents=True, exist_ok=True)
        dest.write_bytes(data)


def build_status(view: PublicView, out: Path) -> None:
    """Render the public status page of `view` into `out`."""
    with gc_paused():
        _build(view, Path(out))


class _Pages:
    """Renders templates with what every page receives (`site`, `formula`, `root`)."""

    def __init__(self, view: PublicView, out_dir: Path) -> None:
        self.env = render.environment(view.files, view.timezone, view.words)
        self.common = {"site": view, "formula": uptime.FORMULA}
        self.out_dir = out_dir

    def write(self, template: str, path: str, root: str, **extra: Any) -> None:
        tpl = self.env.get_template(template)
        _write(self.out_dir / path, tpl.render(self.common, root=root, **extra))


def _html(view: PublicView, out_dir: Path) -> None:
    pages = _Pages(view, out_dir)
    pages.write("index.html", "index.html", "", recent=recent_days(view))
    pages.write("404.html", "404.html", urlparse(view.url).path or "/")
    for inc in view.incidents:
        pages.write("incident.html", inc.path + "index.html", "../../", inc=inc)
    for hp in history_pages(view):
        pages.write("history.html", hp.path + "index.html", "../" * hp.path.count("/"),
                    page=hp)
    for comp in view.components:
        pages.write("component.html", comp.path + "index.html", "../../", comp=comp)


def _component_files(view: PublicView, out_dir: Path) -> None:
    """Each component's feeds and badge."""
    words = view.words
    for comp in view.components:
        feed = feeds.Feed(
            title=f"{view.title}: {comp.name}",
            subtitle=words.gettext("Every public update about %(name)s") % {"name": comp.name},
            page=comp.path, atom=comp.path + "history.atom", rss=comp.path + "history.rss")
        feeds.write_feeds(view, feed, view.incidents_of(comp), out_dir)
        _write(out_dir / comp.path / "badge.svg",
               badges.badge(comp.name, words.lower(comp.status), comp.status))


def _build(view: PublicView, out_dir: Path) -> None:
    out_dir.mkdir(parents=True, exist_ok=True)
    _copy_assets(view, out_dir)
    _html(view, out_dir)
    _component_files(view, out_dir)
    words = view.words
    feeds.write_feeds(view, feeds.Feed(
        title=view.title, page="", atom="history.atom", rss="history.rss",
        subtitle=words.gettext("Every public update on %(title)s") % {"title": view.title},
    ), view.incidents, out_dir)
    _write(out_dir / "badge.svg", badges.badge(words.pgettext("badge", "status"),
                                               words.badge(view.banner), view.banner_state))
    calendar.write_calendar(view, out_dir)
    api.write_api(view, out_dir)
