"""Write the whole public status page into a folder.

`sevbook build` calls `build_status(public_view(handbook, now), out)` inside an atomic
temporary folder (see `sevbook.build.atomic_dir`), so a failed build never leaves half a
site. The Handbook is turned into the frozen public view once, by `public.public_view` (the
privacy boundary); this module and every writer below receive only that view. Output
depends only on the view, so two builds with the same sources and `--now` are
byte-identical. Calling it again (as `sevbook serve` does on each change) does all the work
again from scratch; there is no state to reset.

The files are written by independent steps (`Write`: a page, a component's feeds and
badge, the API...), each the only writer of its files; `write_all` splits a large site's
steps over the cores with `sevbook.parallel.fork_map` (children inherit the view and the
compiled templates and write their own files into `out`), a small one is written here.
Every file depends only on the view and its step, so the tree is byte-identical whoever
wrote it, with `SEVBOOK_JOBS=1` or not.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

from .. import parallel
from ..diagnostics import Diagnostic
from ..errors import ContentError
from ..gcpause import gc_paused
from ..writes import write_if_changed
from . import api, badges, calendar, feeds, render, uptime
from .history import history_pages, recent_days
from .theme import Refused
from .view import PublicComponent, PublicIncident, PublicView

__all__ = ["build_status"]


def _write(path: Path, text: str) -> None:
    # over an older tree's file (a preview rebuild, `handbook/recycle.py`) only if it differs
    write_if_changed(path, text.encode("utf-8"))


def _copy_assets(view: PublicView, out_dir: Path) -> None:
    """The package's assets, then the theme's (checked by `theme.scan_theme`; each file
    read again without following a symlink), then the logo."""
    assets = out_dir / "assets"
    # over an older tree's files (a preview rebuild, `handbook/recycle.py`), each with the
    # time it is written (copy2 would keep the package's, and `prune` would remove it)
    shutil.copytree(render.PACKAGE_TEMPLATES / "assets", assets, dirs_exist_ok=True,
                    copy_function=shutil.copyfile)
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


PARALLEL_WEIGHT = 20_000
"""Below this total weight (about two seconds of rendering) every file is written by this
process: a fork of a process holding a loaded handbook costs more than a small site."""


@dataclass(frozen=True)
class Write:
    """One step of the build: writes its own files (no other step writes them) and
    returns nothing. `weight`: its rough cost (about a tenth of a millisecond each), used
    only to give each process an equal share."""

    weight: float
    run: Callable[[], None]


class _Pages:
    """Renders templates with what every page receives (`site`, `formula`, `root`)."""

    TEMPLATES = ("base.html", "macros.html", "index.html", "404.html", "incident.html",
                 "history.html", "component.html")

    def __init__(self, view: PublicView, out_dir: Path) -> None:
        self.env = render.environment(view.files, view.timezone, view.words)
        self.common = {"site": view, "formula": uptime.FORMULA}
        self.out_dir = out_dir
        for name in self.TEMPLATES:  # compiled once, here, before any fork
            self.env.get_template(name)

    def write(self, template: str, path: str, root: str, **extra: Any) -> None:
        tpl = self.env.get_template(template)
        _write(self.out_dir / path, tpl.render(self.common, root=root, **extra))

    def step(self, weight: float, template: str, path: str, root: str,
             **extra: Any) -> Write:
        return Write(weight, partial(self.write, template, path, root, **extra))


def _feed_weight(incidents: Sequence[PublicIncident]) -> float:
    updates = sum(len(i.updates) for i in incidents)
    return 20 + 1.2 * min(updates, feeds.LIMIT) + 0.01 * updates


def _html(view: PublicView, out_dir: Path) -> list[Write]:
    pages = _Pages(view, out_dir)
    steps = [pages.step(1000 + 8 * len(view.components), "index.html", "index.html", "",
                        recent=recent_days(view)),
             pages.step(5, "404.html", "404.html", urlparse(view.url).path or "/")]
    steps += [pages.step(2 + len(inc.updates), "incident.html", inc.path + "index.html",
                         "../../", inc=inc) for inc in view.incidents]
    steps += [pages.step(2 + 0.5 * sum(len(m.incidents) for m in hp.months), "history.html",
                         hp.path + "index.html", "../" * hp.path.count("/"), page=hp)
              for hp in history_pages(view)]
    steps += [pages.step(20 + 0.25 * len(comp.incident_ids), "component.html",
                         comp.path + "index.html", "../../", comp=comp)
              for comp in view.components]
    return steps


def _component_steps(view: PublicView, out_dir: Path) -> list[Write]:
    """Each component's feeds and badge."""
    words = view.words

    def write(comp: PublicComponent, incidents: tuple[PublicIncident, ...]) -> None:
        feed = feeds.Feed(
            title=f"{view.title}: {comp.name}",
            subtitle=words.gettext("Every public update about %(name)s") % {"name": comp.name},
            page=comp.path, atom=comp.path + "history.atom", rss=comp.path + "history.rss")
        feeds.write_feeds(view, feed, incidents, out_dir)
        _write(out_dir / comp.path / "badge.svg",
               badges.badge(comp.name, words.lower(comp.status), comp.status))

    steps = []
    for comp in view.components:
        incidents = view.incidents_of(comp)
        steps.append(Write(_feed_weight(incidents), partial(write, comp, incidents)))
    return steps


def _site_steps(view: PublicView, out_dir: Path) -> list[Write]:
    """The page's own feeds, badge, calendar and JSON API."""
    words = view.words
    feed = feeds.Feed(
        title=view.title, page="", atom="history.atom", rss="history.rss",
        subtitle=words.gettext("Every public update on %(title)s") % {"title": view.title})

    def badge() -> None:
        _write(out_dir / "badge.svg", badges.badge(words.pgettext("badge", "status"),
                                                   words.badge(view.banner),
                                                   view.banner_state))

    return [Write(_feed_weight(view.incidents),
                  partial(feeds.write_feeds, view, feed, view.incidents, out_dir)),
            Write(5, badge),
            Write(100 + len(view.maintenance), partial(calendar.write_calendar, view, out_dir)),
            Write(200 + 2 * len(view.components), partial(api.write_api, view, out_dir))]


def _run(chunks: Sequence[Sequence[Write]]) -> list[None]:
    for chunk in chunks:
        for step in chunk:
            step.run()
    return [None] * len(chunks)


def write_all(steps: Sequence[Write]) -> None:
    """Run `steps`, split over processes (`parallel.fork_map`) when they weigh enough:
    contiguous runs of near-equal weight, one per job. Each file is written by exactly one
    step and depends on its step alone, so the files are the same whoever writes them; a
    failed child's run is redone here, in order, so an error is the one a serial build
    raises."""
    weights = [s.weight for s in steps]
    jobs = parallel.jobs() if sum(weights) >= PARALLEL_WEIGHT else 1
    cuts = parallel.weighted_slices(weights, jobs)
    chunks = [steps[c.start:c.stop] for c in cuts]
    parallel.fork_map(_run, chunks, min_items=1, njobs=len(chunks))


def _build(view: PublicView, out_dir: Path) -> None:
    out_dir.mkdir(parents=True, exist_ok=True)
    _copy_assets(view, out_dir)
    write_all(_html(view, out_dir) + _component_steps(view, out_dir)
              + _site_steps(view, out_dir))
