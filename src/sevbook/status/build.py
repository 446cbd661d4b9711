"""Write the whole public status page into a folder.

`sevbook build` calls `build_status` inside an atomic temporary folder (see
`sevbook.build.atomic_dir`), so a failed build never leaves half a site. The Handbook is
turned into public view objects once (`public.public_site`, the privacy boundary); every
writer below receives only those. Output depends only on the sources and `now`, so two
builds with the same `--now` are byte-identical. Calling it again (as `sevbook serve`
does on each change) does all the work again from scratch; there is no state to reset.
"""

from __future__ import annotations

import gc
import shutil
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from urllib.parse import urlparse

from ..model import Handbook
from . import api, badges, calendar, feeds, render, uptime
from .public import PublicIncident, PublicSite, public_site

HISTORY_PAGE_SIZE = 50
"""Incidents per history page (grouped by month inside a page)."""
LOGO_SUFFIXES = {".svg", ".png", ".jpg", ".jpeg", ".gif", ".webp"}


@dataclass
class Month:
    label: str
    incidents: list[PublicIncident] = field(default_factory=list)
    continued: bool = False


@dataclass
class HistoryPage:
    number: int
    count: int
    months: list[Month]

    @property
    def path(self) -> str:
        return history_path(self.number)

    @property
    def newer(self) -> str | None:
        return history_path(self.number - 1) if self.number > 1 else None

    @property
    def older(self) -> str | None:
        return history_path(self.number + 1) if self.number < self.count else None


def history_path(n: int) -> str:
    return "history/" if n == 1 else f"history/{n}/"


def history_pages(site: PublicSite, size: int = HISTORY_PAGE_SIZE) -> list[HistoryPage]:
    """Past and current incidents and maintenance, newest first, `size` per page, with
    month headings. Maintenance still to come is on the front page, not in the history."""
    tz = site.tz
    items = [i for i in site.incidents if i.status != "scheduled"]
    count = max(1, -(-len(items) // size))
    pages: list[HistoryPage] = []
    for n in range(count):
        months: list[Month] = []
        for inc in items[n * size:(n + 1) * size]:
            local = inc.started_at.astimezone(tz)
            label = f"{local:%B %Y}"
            if not months or months[-1].label != label:
                cont = bool(not months and pages and pages[-1].months
                            and pages[-1].months[-1].label == label)
                months.append(Month(label, continued=cont))
            months[-1].incidents.append(inc)
        pages.append(HistoryPage(n + 1, count, months))
    return pages


def _write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8", newline="\n")


def _copy_assets(root: Path | None, out_dir: Path, site: PublicSite,
                 logo: str) -> None:
    assets = out_dir / "assets"
    shutil.copytree(render.PACKAGE_TEMPLATES / "assets", assets)
    override = render.theme_assets(root)
    if override is not None:
        shutil.copytree(override, assets, dirs_exist_ok=True)
    # The logo must be a local file: the status page never loads anything from elsewhere.
    if logo and root is not None and not urlparse(logo).scheme:
        src = (Path(root) / logo).resolve()
        if src.is_file() and src.suffix.lower() in LOGO_SUFFIXES:
            shutil.copyfile(src, assets / f"logo{src.suffix.lower()}")
            site.logo = f"assets/logo{src.suffix.lower()}"


def build_status(handbook: Handbook, out_dir: Path, now: datetime) -> None:
    """Render the public status page of `handbook` at `now` into `out_dir`."""
    # The loaded handbook is hundreds of thousands of long-lived objects; every cyclic GC
    # pass would walk all of them again (half a second per pass at 10,000 incidents).
    # Rendering makes almost no reference cycles, so the collector can rest meanwhile.
    enabled = gc.isenabled()
    gc.disable()
    try:
        _build(handbook, out_dir, now)
    finally:
        if enabled:
            gc.enable()


def _build(handbook: Handbook, out_dir: Path, now: datetime) -> None:
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    root = getattr(handbook, "root", None)
    logo = handbook.settings.status.logo or ""
    site = public_site(handbook, now)  # the privacy boundary: nothing else is read below
    del handbook
    uptime.compute(site)
    _copy_assets(root, out_dir, site, logo)

    env = render.environment(root, site.timezone)
    common = {"site": site, "formula": uptime.FORMULA}

    def page(template: str, path: str, depth: int, **extra) -> None:
        tpl = env.get_template(template)
        _write(out_dir / path, tpl.render(common, root="../" * depth, **extra))

    page("index.html", "index.html", 0)
    base_path = urlparse(site.url).path or "/"
    tpl404 = env.get_template("404.html")
    _write(out_dir / "404.html", tpl404.render(common, root=base_path))

    tpl = env.get_template("incident.html")
    for inc in site.incidents:
        _write(out_dir / inc.path / "index.html", tpl.render(common, root="../../", inc=inc))

    for hp in history_pages(site):
        page("history.html", hp.path + "index.html", hp.path.count("/"), page=hp)

    tpl = env.get_template("component.html")
    for comp in site.components:
        _write(out_dir / comp.path / "index.html", tpl.render(common, root="../../", comp=comp))
        feed = feeds.Feed(
            title=f"{site.title}: {comp.name}",
            subtitle=f"Every public update about {comp.name}",
            page=comp.path, atom=comp.path + "history.atom", rss=comp.path + "history.rss")
        feeds.write_feeds(site, feed, site.incidents_of(comp), out_dir)
        _write(out_dir / comp.path / "badge.svg",
               badges.badge(comp.name, comp.status_label.lower(), comp.status))

    feeds.write_feeds(site, feeds.Feed(
        title=site.title, subtitle=f"Every public update on {site.title}", page="",
        atom="history.atom", rss="history.rss"), site.incidents, out_dir)
    _write(out_dir / "badge.svg", badges.badge("status", site.banner.lower(), site.banner_state))
    calendar.write_calendar(site, out_dir)
    api.write_api(site, out_dir)
