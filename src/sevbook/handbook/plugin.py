"""The `sevbook` MkDocs plugin: validate the model once per build, add the generated pages.

Events, in build order:

* `on_config`: load and check the handbook (same rules and messages as `sevbook check`);
  any error stops the build with a `PluginError` listing every problem. Adds the Markdown
  extensions the generated pages need, the stylesheet and the template overrides
  (`theme.py`).
* `on_files`: add the generated pages (`generate.py`); incident pages are `NOT_IN_NAV`.
  Without a `nav:` in mkdocs.yml, order the automatic navigation for responders (`nav.py`).
  With `sevbook serve`'s session, the incident pages whose inputs did not change since the
  last rebuild are taken from it (`incidentmemo.py`), not generated again.
* `on_page_markdown`: pages that exist as files (the structured `severity.md`,
  `roles/<id>.md`, ...) get their generated parts around their prose; their frontmatter is
  data, so it is dropped from the page meta and never shown.
* `on_pre_page`, with `sevbook serve`'s session (`session.py`): the page's source is
  split into Markdown and meta once per distinct text in the session.
* `on_serve`: also watch `incidents/`, `theme/`, `templates/` and the `locale_dir`s.
* with a page cache (`prepare(page_cache=...)`), `on_page_content`, `on_nav`, `on_env`,
  `on_page_context`, `on_post_page`, `on_post_build` and `on_build_error` let `reuse.py`
  reuse the pages an earlier build made from the same inputs.

`sevbook build` and `sevbook serve` call `prepare(now=..., preloaded=..., page_cache=...,
content_cache=..., session=...)` on the plugin of the config they loaded; that is the only way in from
outside. Plain `mkdocs build`/`serve`
never call it: the time is then `SEVBOOK_NOW` if the user set it, else the current time.
MkDocs makes a new plugin instance for every config it loads (the plugin has no
`on_startup`), so what one build was prepared with never leaks into another.
"""

from __future__ import annotations

import os
from datetime import datetime
from pathlib import Path
from typing import Any

from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, get_plugin_logger
from mkdocs.structure.files import File, Files, InclusionLevel

from ..config import Settings, settings_from_options
from ..diagnostics import Diagnostic, summary
from ..errors import SevbookError
from ..load import LoadResult, load
from ..model import Handbook
from ..model.postmortem import TEMPLATE as POSTMORTEM_TEMPLATE
from ..rules import check
from ..times import current, parse_instant
from . import nav, theme
from .build import Preloaded
from .config import SevbookConfig, written_options
from .generate import Context, Page, generate_pages, structured_prose
from .pagekeys import Unkeyable
from .reuse import Reuse, refusal
from .session import Session

log = get_plugin_logger("sevbook")

EXTENSIONS: dict[str, dict[str, Any]] = {
    "admonition": {}, "attr_list": {}, "md_in_html": {},
}
"""Markdown extensions the generated pages rely on; added when mkdocs.yml lacks them."""


def now_from_env() -> datetime:
    """SEVBOOK_NOW (set by the user for plain `mkdocs build`), else the current time."""
    text = os.environ.get("SEVBOOK_NOW", "").strip()
    if not text:
        return current()
    try:
        return parse_instant(text)
    except ValueError as e:
        raise PluginError(f"SEVBOOK_NOW: {e}") from None


class SevbookPlugin(BasePlugin[SevbookConfig]):
    def __init__(self) -> None:
        self._prepared_now: datetime | None = None
        self._preloaded: Preloaded | None = None
        self.restricted = False
        """Built for the restricted audience (`sevbook build --restricted`): restricted
        incidents in full and a do-not-publish banner; otherwise they are stubs."""
        self.now: datetime | None = None
        """The time the current build is made as of (read only; set in on_config)."""
        self.result: LoadResult | None = None
        self.diagnostics: list[Diagnostic] = []
        self.errors: list[Diagnostic] = []
        self._pages: dict[str, Page] = {}
        self._bodies: dict[str, str] = {}
        self._auto_nav = False
        self._root = Path(".")
        self._page_cache: Path | None = None
        self._content_cache = False
        self._session: Session | None = None
        self.reuse: Reuse | None = None
        """This build's page reuse (None: every page is rendered)."""
        self.reused: list[str] = []
        self.rendered: list[str] = []
        """Source paths of the pages the last build reused and rendered (with a cache)."""
        self._nav: Any = None

    def prepare(self, *, now: datetime | None = None, preloaded: Preloaded | None = None,
                page_cache: Path | None = None, restricted: bool = False,
                content_cache: bool = False, session: Session | None = None) -> None:
        """Build as of `now` (default: SEVBOOK_NOW or the current time), reusing `preloaded`
        instead of loading and checking again (`sevbook build` has just done so), and the
        pages stored in the folder `page_cache` (None: render every page), for the
        restricted audience if `restricted` (never together with a page cache: a restricted
        page must never be stored where the build everyone reads could reuse it); with
        `content_cache`, loading reuses and keeps valid files' data in the content cache
        (`cache.py`), as `sevbook build` and `check` do; `session`: what `sevbook serve`
        keeps between rebuilds (`session.py`)."""
        if restricted and page_cache is not None:
            raise ValueError("a restricted build never uses the page cache")
        self._prepared_now = now
        self._preloaded = preloaded
        self._page_cache = page_cache
        self._content_cache = content_cache
        self._session = session
        self.restricted = restricted

    @property
    def handbook(self) -> Handbook | None:
        return self.result.handbook if self.result else None

    # ------------------------------------------------------------------ config
    def on_config(self, config):
        self._root = Path(config.config_file_path or "mkdocs.yml").resolve().parent
        self.now = self._prepared_now or now_from_env()
        self.result, self.diagnostics = self._load(self._settings(config), self.now)
        self.errors = [d for d in self.diagnostics if d.severity == "error"]
        if self.errors:
            raise PluginError("sevbook: the handbook has errors (same as `sevbook check`):\n"
                              + "\n".join(d.text() for d in self.errors) + "\n"
                              + summary(self.diagnostics, self.result.handbook.files))
        if self.diagnostics:
            # Warnings are the team's own record (stale runbooks, overdue items); they are
            # shown on the pages. Logging them as warnings would fail `mkdocs build --strict`.
            log.info(f"{len(self.diagnostics)} warning(s) in the handbook; run `sevbook check` "
                     "to list them")
        for name, opts in EXTENSIONS.items():
            if name not in config.markdown_extensions:
                config.markdown_extensions.append(name)
                config.mdx_configs.setdefault(name, opts)
        if theme.CSS_URI not in config.extra_css:
            config.extra_css.insert(0, theme.CSS_URI)
        theme.add_overrides(config.theme)
        theme.mark_restricted(config, self.restricted)
        self._auto_nav = config.nav is None
        if self._session is not None:
            self._session.start_build()
        self._start_reuse(config)
        return config

    def _start_reuse(self, config) -> None:
        if self.reuse is not None:
            self.reuse.close()
            self.reuse = None
        if self._page_cache is None:
            return
        why = refusal(config)
        if why is not None:
            log.info(f"page cache off: {why}; every page is rendered")
            return
        self.reuse = Reuse(self._page_cache, config,
                           self._session.pages if self._session is not None else None)

    def _stop_reuse(self, why: str) -> None:
        assert self.reuse is not None
        log.info(f"page cache off: {why}; every page is rendered")
        self.reuse.close()
        self.reuse = None

    def _settings(self, config) -> Settings:
        mk = {"site_name": config.site_name,
              "docs_dir": os.path.relpath(config.docs_dir, self._root),
              "site_dir": os.path.relpath(config.site_dir, self._root)}
        try:
            return settings_from_options(self._root, mk, written_options(self.config))
        except SevbookError as e:
            raise PluginError(str(e)) from None

    def _load(self, settings: Settings, now: datetime) -> Preloaded:
        if self._preloaded is not None:
            # `sevbook build` has just loaded and checked the same sources at the same now.
            preloaded, self._preloaded = self._preloaded, None
            return preloaded
        result = load(self._root, settings, cache=self._content_cache)
        diagnostics = check(result, now)
        result.save_cache()  # after check: it keeps the lines the rules looked up
        return result, diagnostics

    # ------------------------------------------------------------------ files
    def on_files(self, files: Files, *, config) -> Files:
        hb = self.handbook
        assert hb is not None and self.now is not None
        ctx = Context(hb, self.now, self.diagnostics, restricted=self.restricted,
                      incident_pages=self._session.incident_pages if self._session else None,
                      content_keys=self.result.keys if self.result else None)
        self._pages = generate_pages(ctx)
        self._bodies = structured_prose(hb)
        for path, page in self._pages.items():
            existing = files.get_file_from_path(path)
            if existing is not None and existing.is_documentation_page():
                continue  # composed in on_page_markdown around the file's prose
            if existing is not None:
                files.remove(existing)
            inclusion = InclusionLevel.UNDEFINED if page.in_nav else InclusionLevel.NOT_IN_NAV
            files.append(File.generated(config, path, content=page.markdown(),
                                        inclusion=inclusion))
        files.append(File.generated(config, theme.CSS_URI, content=theme.stylesheet()))
        config.extra[theme.BANNER_KEY] = theme.open_incidents(ctx, lambda uri: _url(files, uri))
        if self._auto_nav:
            nav.trim_sections(files, hb.settings.features.nav_section_limit)
            config.nav = nav.auto_nav(files)
        return files

    def on_nav(self, nav, *, config, files):
        self._nav = nav
        return nav

    # ------------------------------------------------------------------ pages
    def on_pre_page(self, page, *, config, files):
        if self._session is not None and not config.plugins.events["page_read_source"]:
            self._session.serve_source(page)
        return page

    def on_page_markdown(self, markdown: str, *, page, config, files) -> str:
        markdown = self._compose(markdown, page)
        if self.reuse is not None:
            try:
                self.reuse.before_render(page, markdown, files, config)
            except Unkeyable as e:
                self._stop_reuse(str(e))
        return markdown

    def on_page_content(self, html: str, *, page, config, files) -> str:
        if self.reuse is not None:
            self.reuse.rendered(page, html)
        return html

    def on_env(self, env, *, config, files):
        if self._session is not None:
            env.bytecode_cache = self._session.templates
        if self.reuse is not None:
            try:
                self.reuse.plan(config, self._nav, files, env)
            except Unkeyable as e:
                self._stop_reuse(str(e))
        return env

    def on_page_context(self, context, *, page, config, nav):
        if self.reuse is not None:
            self.reuse.start_page()
        return context

    def on_post_page(self, output: str, *, page, config) -> str:
        if self.reuse is not None:
            self.reuse.built(page, output)
        return output

    def on_post_build(self, *, config) -> None:
        if self.reuse is not None:
            r, self.reuse = self.reuse, None
            r.save()
            self.reused, self.rendered = r.reused_pages, r.rendered_pages
            log.info(f"page cache: {len(r.reused_pages)} page(s) reused, "
                     f"{len(r.rendered_pages)} rendered")

    def on_build_error(self, *, error) -> None:
        if self.reuse is not None:
            self.reuse.close()
            self.reuse = None

    def _compose(self, markdown: str, page) -> str:
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
        if uri in self._bodies:
            # A structured file: its frontmatter is data, not page meta. Keep only a title.
            title = page.meta.get("title")
            page.meta = {"title": title} if isinstance(title, str) else {}
            if gen.wide:
                page.meta["hide"] = ["toc"]
            markdown = self._bodies[uri]
        return gen.markdown(markdown)

    # ------------------------------------------------------------------ serve
    def on_serve(self, server, *, config, builder):
        incidents = str(self.config.get("incidents_dir") or "incidents")
        settings = self.handbook.settings if self.handbook else None
        for path in watched_paths(self._root, incidents, settings):
            server.watch(str(path))
        return server


def watched_paths(root: Path, incidents_dir: str, settings: Settings | None) -> list[Path]:
    """What `sevbook serve` watches besides docs_dir and mkdocs.yml: the incidents, the
    theme, the team's postmortem template (`templates/`) and every status page's
    `locale_dir` catalogues; only folders that exist, each once, in this order."""
    paths = [root / incidents_dir, root / "theme", root / Path(POSTMORTEM_TEMPLATE).parent]
    if settings is not None:
        paths += [root / tree.options.locale_dir for tree in settings.status_trees]
    return [p for p in dict.fromkeys(paths) if p.is_dir()]


def _url(files: Files, uri: str) -> str | None:
    f = files.get_file_from_path(uri)
    return f.url if f is not None else None
