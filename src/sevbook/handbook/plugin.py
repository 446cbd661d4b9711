"""The `sevbook` MkDocs plugin: validate the model once per build, add the generated pages.

Events, in build order:

* `on_config`: load and check the handbook (same rules and messages as `sevbook check`);
  any error stops the build with a `PluginError` listing every problem.
* `on_files`: add the generated pages (`generate.py`); incident pages are `NOT_IN_NAV`.
  Without a `nav:` in mkdocs.yml, order the automatic navigation for responders.
* `on_page_markdown`: pages that exist as files (the structured `severity.md`,
  `roles/<id>.md`, ...) get their generated parts around their prose; their frontmatter is
  data, so it is dropped from the page meta and never shown.
* `on_serve`: also watch `incidents/` and `theme/`.

`now` comes from `SEVBOOK_NOW` (ISO 8601) when set, else the current time;
`sevbook build` sets it on the plugin instance directly.
"""

from __future__ import annotations

import os
import time
from collections import defaultdict
from datetime import datetime, timezone
from importlib.resources import files as package_files
from pathlib import Path
from typing import Any

from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, get_plugin_logger
from mkdocs.structure.files import File, Files, InclusionLevel, file_sort_key
from mkdocs.utils import nest_paths

from ..config import settings_from_options
from ..diagnostics import Diagnostic, SevbookError, summary
from ..load import LoadResult, load
from ..model import Handbook
from ..model.kinds import CONTENT_KINDS
from ..rules import check
from .config import SevbookConfig
from .generate import Context, Page, generate_pages

log = get_plugin_logger("sevbook")

CSS_URI = "assets/sevbook/handbook.css"
NAV_ORDER = ("index.md", "severity.md", "oncall.md", "roles", "services", "runbooks",
             "incidents", "action-items.md", "postmortems.md", "metrics.md", "templates.md")
"""Top of the automatic navigation: what a responder needs first. Other pages follow."""
NAV_SECTIONS = ("roles", "services", "runbooks")
NAV_SECTION_LIMIT = 50
"""A generated section with more pages than this keeps only its index in the navigation
(`features: {nav_section_limit: N}` changes it). Every page renders the whole nav, so a nav
of hundreds of runbooks costs more build time than everything else together; the section
index lists and links them all."""

EXTENSIONS: dict[str, dict[str, Any]] = {
    "admonition": {}, "attr_list": {}, "md_in_html": {},
}
"""Markdown extensions the generated pages rely on; added when mkdocs.yml lacks them."""


def now_from_env() -> datetime:
    """SEVBOOK_NOW as an aware datetime, or the current time."""
    text = os.environ.get("SEVBOOK_NOW", "").strip()
    if not text:
        return datetime.now(timezone.utc)
    try:
        dt = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        raise PluginError(f"SEVBOOK_NOW={text!r} is not a timestamp; use ISO 8601 like "
                          "2026-03-02T14:18:00Z") from None
    if dt.tzinfo is None:
        raise PluginError(f"SEVBOOK_NOW={text!r} has no UTC offset; write it like "
                          "2026-03-02T14:18:00Z")
    return dt


class SevbookPlugin(BasePlugin[SevbookConfig]):
    def __init__(self) -> None:
        self.now: datetime | None = None
        """Set by `sevbook build`/tests; otherwise SEVBOOK_NOW or the current time."""
        self.result: LoadResult | None = None
        self.preloaded: tuple[LoadResult, list[Diagnostic]] | None = None
        """(load result, diagnostics) handed over by `sevbook build`, so it loads once."""
        self.diagnostics: list[Diagnostic] = []
        self.errors: list[Diagnostic] = []
        self.timings: dict[str, float] = defaultdict(float)
        """Seconds spent in sevbook's own work during the last build, by step."""
        self.command: str | None = None
        self.serve_status: bool = False
        """Also build the status page into <site>/status/ (set by `sevbook serve`)."""
        self._pages: dict[str, Page] = {}
        self._bodies: dict[str, str] = {}
        self._auto_nav = False
        self._root = Path(".")

    # Keeps the instance across `mkdocs serve` rebuilds (MkDocs does so when it exists).
    def on_startup(self, *, command: str, dirty: bool) -> None:
        self.command = command
        if command == "serve" and os.environ.get("SEVBOOK_SERVE_STATUS"):
            self.serve_status = True

    @property
    def handbook(self) -> Handbook | None:
        return self.result.handbook if self.result else None

    # ------------------------------------------------------------------ config
    def on_config(self, config):
        t0 = time.perf_counter()
        self.timings.clear()
        self._root = Path(config.config_file_path or "mkdocs.yml").resolve().parent
        mk = {"site_name": config.site_name,
              "docs_dir": os.path.relpath(config.docs_dir, self._root),
              "site_dir": os.path.relpath(config.site_dir, self._root)}
        try:
            settings = settings_from_options(self._root, mk, dict(self.config))
        except SevbookError as e:
            raise PluginError(str(e)) from None
        now = self.now or now_from_env()
        self._now = now
        if self.preloaded is not None:
            # `sevbook build` has just loaded and checked the same sources at the same now.
            self.result, self.diagnostics = self.preloaded
            self.preloaded = None
            t1 = time.perf_counter()
        else:
            self.result = load(self._root, settings)
            t1 = time.perf_counter()
            self.diagnostics = check(self.result, now)
        self.errors = [d for d in self.diagnostics if d.severity == "error"]
        self.timings["load"] += t1 - t0
        self.timings["check"] += time.perf_counter() - t1
        if self.errors:
            lines = [d.text() for d in self.diagnostics if d.severity == "error"]
            raise PluginError("sevbook: the handbook has errors (same as `sevbook check`):\n"
                              + "\n".join(lines) + "\n"
                              + summary(self.diagnostics, self.result.handbook.files))
        warnings = len(self.diagnostics)
        if warnings:
            # Warnings are the team's own record (stale runbooks, overdue items); they are
            # shown on the pages. Logging them as warnings would fail `mkdocs build --strict`.
            log.info(f"{warnings} warning(s) in the handbook; run `sevbook check` to list them")
        for name, opts in EXTENSIONS.items():
            if name not in config.markdown_extensions:
                config.markdown_extensions.append(name)
                config.mdx_configs.setdefault(name, opts)
        if CSS_URI not in config.extra_css:
            config.extra_css.insert(0, CSS_URI)
        self._auto_nav = config.nav is None
        return config

    # ------------------------------------------------------------------ files
    def on_files(self, files: Files, *, config) -> Files:
        t0 = time.perf_counter()
        hb = self.handbook
        assert hb is not None
        ctx = Context(hb, self._now, self.diagnostics)
        self._pages = generate_pages(ctx)
        docs_prefix = hb.settings.docs_dir.strip("/") + "/"
        self._bodies = {}
        for doc in _structured(hb):
            if doc.path.startswith(docs_prefix):
                self._bodies[doc.path[len(docs_prefix):]] = doc.body
        self.timings["generate"] += time.perf_counter() - t0
        t1 = time.perf_counter()
        for path, page in self._pages.items():
            existing = files.get_file_from_path(path)
            if existing is not None and existing.is_documentation_page():
                continue  # composed in on_page_markdown around the file's prose
            if existing is not None:
                files.remove(existing)
            inclusion = InclusionLevel.UNDEFINED if page.in_nav else InclusionLevel.NOT_IN_NAV
            files.append(File.generated(config, path, content=page.markdown(),
                                        inclusion=inclusion))
        css = package_files("sevbook.handbook").joinpath("assets/handbook.css").read_bytes()
        files.append(File.generated(config, CSS_URI, content=css))
        config.extra["sevbook_open"] = self.open_incidents(ctx, files)
        if self._auto_nav:
            self.trim_nav_sections(files)
            config.nav = self.auto_nav(files)
        self.timings["files"] += time.perf_counter() - t1
        return files

    @staticmethod
    def open_incidents(ctx: Context, files: Files) -> list[dict[str, str]]:
        """Open incidents for the banner of theme/handbook/main.html, most severe first."""
        out = []
        for inc in ctx.handbook.incidents.values():
            if inc.is_maintenance or not ctx.is_open(inc):
                continue
            f = files.get_file_from_path(ctx.incident_uri(inc))
            if f is not None:
                out.append({"severity": inc.severity or "", "title": inc.title, "url": f.url,
                            "rank": str(ctx.handbook.severity.rank(inc.severity)
                                        if ctx.handbook.severity else 0)})
        return sorted(out, key=lambda d: (int(d["rank"]), d["url"]))

    def trim_nav_sections(self, files: Files) -> None:
        limit = self.config.features.get("nav_section_limit", NAV_SECTION_LIMIT)
        if not isinstance(limit, int) or limit < 0:
            raise PluginError("mkdocs.yml: sevbook features.nav_section_limit must be a "
                              f"whole number of pages (0 or more), not {limit!r}")
        for section in NAV_SECTIONS:
            pages = [f for f in files.documentation_pages()
                     if f.src_uri.startswith(section + "/") and f.name != "index"
                     and f.inclusion.is_in_nav()]
            if len(pages) > limit:
                log.info(f"{len(pages)} pages under {section}/: only its index is in the "
                         f"navigation (features.nav_section_limit: {limit})")
                for f in pages:
                    f.inclusion = InclusionLevel.NOT_IN_NAV

    def auto_nav(self, files: Files) -> list:
        """The nav MkDocs would build, reordered so a responder finds the urgent pages first."""
        pages = [f for f in files.documentation_pages()
                 if f.inclusion.is_in_nav() and not f.inclusion.is_excluded()]

        def key(f: File):
            top = f.src_uri.split("/", 1)[0]
            rank = NAV_ORDER.index(top) if top in NAV_ORDER else len(NAV_ORDER)
            return (rank, file_sort_key(f))

        return nest_paths(f.src_uri for f in sorted(pages, key=key))

    # ------------------------------------------------------------------ pages
    def on_page_markdown(self, markdown: str, *, page, config, files) -> str:
        uri = page.file.src_uri
        gen = self._pages.get(uri)
        if gen is None:
            return markdown
        if gen.wide:
            hide = page.meta.setdefault("hide", [])
            if isinstance(hide, list) and "toc" not in hide:
                hide.append("toc")
        if page.file.generated_by:
            return markdown
        t0 = time.perf_counter()
        if uri in self._bodies:
            # A structured file: its frontmatter is data, not page meta. Keep only a title.
            title = page.meta.get("title")
            page.meta = {"title": title} if isinstance(title, str) else {}
            if gen.wide:
                page.meta["hide"] = ["toc"]
            markdown = self._bodies[uri]
        out = gen.markdown(markdown)
        self.timings["compose"] += time.perf_counter() - t0
        return out

    # ------------------------------------------------------------------ serve
    def on_serve(self, server, *, config, builder):
        for path in (self._root / (self.config.incidents_dir or "incidents"), self._root / "theme"):
            if path.is_dir():
                server.watch(str(path))
        return server

    def on_post_build(self, *, config) -> None:
        if not (self.serve_status and self.handbook is not None):
            return
        try:
            from ..status.build import build_status
            from ..status.public import public_view
        except ImportError:
            log.info("status page preview unavailable (sevbook.status is not installed)")
            return
        out = Path(config.site_dir) / "status"
        out.mkdir(parents=True, exist_ok=True)
        try:
            build_status(public_view(self.handbook, self._now), out)
        except Exception as e:  # a preview must keep serving the handbook
            log.warning(f"status page preview failed: {type(e).__name__}: {e}")


def _structured(hb: Handbook):
    for kind in CONTENT_KINDS:
        yield from kind.documents(hb)
