"""Reusing an earlier build's pages: the plugin's side of the page cache.

MkDocs renders every page on every build. With a cache folder (`sevbook build` and
`sevbook serve` pass `.cache/sevbook/pages/`), the plugin computes each page's keys
(`pagekeys.py`) and reuses what an earlier build stored under the same keys
(`pagecache.py`), so an edit to one incident re-renders that page and the pages whose
Markdown changed with it (the indexes and rollups), not the whole site. The output is
byte-identical to a full build; `tests/test_incremental.py` compares the trees.

How it hooks into MkDocs 1.6's build (`mkdocs/commands/build.py`), in build order:

* `before_render` (end of the plugin's `on_page_markdown`): when the render key matches,
  the page's `render` is replaced, for this one call, by restoring the stored body, table
  of contents, title and anchors; MkDocs' later steps see the same page as after a render.
* `rendered` (`on_page_content`): a page that was rendered keeps its new render part.
* `plan` (`on_env`: every page has been read, so every title in the navigation is known):
  the page keys; for a page whose key matches, its body is emptied (the search plugin then
  indexes nothing) and the theme's template returns the stored HTML instead of rendering.
* `built` (`on_post_page`): the search entries the page added (or, reused, the stored ones,
  appended in the same place) and the page's HTML, kept for `save` (`on_post_build`).

A page is stored only when nothing was logged while it was rendered or built (so a reused
page never hides a warning a full build prints). Only plugins whose page events are known
may run with the cache (`sevbook` and mkdocs-material's `search`); any other plugin or
hook, or a config value with no stable form, turns reuse off for that build.
"""

from __future__ import annotations

import logging
import threading
from pathlib import Path
from typing import Any

from . import pagekeys
from .pagecache import Entry, PageStore

log = logging.getLogger("mkdocs.plugins.sevbook")

SEARCH_PLUGIN = "material.plugins.search.plugin.SearchPlugin"
KNOWN_PLUGINS = {SEARCH_PLUGIN, "sevbook.handbook.plugin.SevbookPlugin"}


def refusal(config: Any) -> str | None:
    """Why this config cannot reuse pages, or None."""
    for name, plugin in config.plugins.items():
        cls = f"{type(plugin).__module__}.{type(plugin).__qualname__}"
        if cls not in KNOWN_PLUGINS:
            return f"plugin {name!r} is not known to the page cache"
    if config.hooks:
        return "mkdocs.yml has hooks:"
    return None


class Reuse:
    """One build's reuse of the pages in `folder` (and in `memory`: see `PageStore`)."""

    def __init__(self, folder: Path, config: Any,
                 memory: dict[str, Entry] | None = None) -> None:
        self.store = PageStore(folder, memory)
        self.search = next((p for p in config.plugins.values()
                            if f"{type(p).__module__}.{type(p).__qualname__}"
                            == SEARCH_PLUGIN), None)
        self.counter = _Counter()
        logging.getLogger("mkdocs").addHandler(self.counter)
        self._site_render: str | None = None
        self._fresh: dict[str, Entry] = {}
        """Pages of this build, by source path: their entry as it will be stored."""
        self._noisy: set[str] = set()
        self._restored: set[str] = set()
        self._reused: dict[str, Entry] = {}
        self._seen = 0
        self._mark = 0
        self.rendered_pages: list[str] = []
        self.reused_pages: list[str] = []

    # ---------------------------------------------------------------- render
    def before_render(self, page: Any, markdown: str, files: Any, config: Any) -> None:
        """Compute the render key; reuse the stored render part if it matches."""
        if self._site_render is None:
            self._site_render = pagekeys.site_render_key(config, files)
        uri = page.file.src_uri
        key = pagekeys.render_key(self._site_render, page, markdown)
        self._mark = self.counter.count
        old = self.store.get(uri)
        if old is not None and old.render_key == key:
            self._fresh[uri] = old
            self._restored.add(uri)
            _restore(page, old, files)
        else:
            self._fresh[uri] = Entry(render_key=key, title=None, toc=[], anchors=[],
                                     links={}, content="")

    def rendered(self, page: Any, html: str) -> None:
        """Keep a rendered page's render part (`html`: its body after `on_page_content`)."""
        uri = page.file.src_uri
        entry = self._fresh.get(uri)
        if self.counter.count != self._mark:
            self._noisy.add(uri)
        if entry is None or uri in self._restored:
            return
        entry.title = page._title_from_render
        entry.toc = [_anchor_data(a) for a in page.toc]
        entry.anchors = sorted(page.present_anchor_ids or ())
        entry.links = {f.src_uri: dict(links)
                       for f, links in (page.links_to_anchors or {}).items()}
        entry.content = html

    # ---------------------------------------------------------------- pages
    def plan(self, config: Any, nav: Any, files: Any, env: Any) -> Any:
        """Decide which pages are reused whole; make the theme return their HTML."""
        from mkdocs.utils import get_build_datetime

        site = pagekeys.site_page_key(config, nav, get_build_datetime().isoformat())
        keys = {}
        for file in files.documentation_pages():
            entry = self._fresh.get(file.src_uri)
            if file.page is not None and entry is not None \
                    and not file.inclusion.is_excluded():  # a draft in `serve`: a marker
                keys[file.src_uri] = pagekeys.page_key(site, entry.render_key, file.page)
        for file in files.documentation_pages():  # every key first: Unkeyable changes nothing
            entry, key = self._fresh.get(file.src_uri), keys.get(file.src_uri)
            if entry is None or key is None:
                continue
            if entry.page_key == key and entry.html:
                self._reused[file.src_uri] = entry
                file.page.content = ""
            else:
                self._fresh[file.src_uri] = Entry(
                    render_key=entry.render_key, title=entry.title, toc=entry.toc,
                    anchors=entry.anchors, links=entry.links, content=entry.content,
                    page_key=key)
        _serve_stored(env, self._reused)
        self._seen = len(self._entries())
        return env

    def start_page(self) -> None:
        self._mark = self.counter.count

    def built(self, page: Any, output: str) -> None:
        uri = page.file.src_uri
        entries = self._entries()
        reused = self._reused.get(uri)
        if reused is not None:
            entries.extend(reused.search)
            self.reused_pages.append(uri)
        else:
            self.rendered_pages.append(uri)
            entry = self._fresh.get(uri)
            if entry is not None and entry.page_key and uri not in self._noisy \
                    and self.counter.count == self._mark:
                entry.html = output
                entry.search = list(entries[self._seen:])
                self.store.put(uri, entry)
        self._seen = len(entries)

    def _entries(self) -> list[dict[str, Any]]:
        index = getattr(self.search, "search_index", None) if self.search else None
        return index.entries if index is not None else []

    def save(self) -> None:
        self.store.save()
        self.close()

    def close(self) -> None:
        logging.getLogger("mkdocs").removeHandler(self.counter)
        self.store.close()


def _restore(page: Any, entry: Entry, files: Any) -> None:
    """Make the next `page.render(...)` restore `entry` instead of rendering."""
    from mkdocs.structure.toc import TableOfContents

    def render(config: Any, files_: Any) -> None:
        del page.render  # back to the class's method
        page.content = entry.content
        page.toc = TableOfContents([_anchor(a) for a in entry.toc])
        page._title_from_render = entry.title
        page.present_anchor_ids = set(entry.anchors)
        links = {}
        for uri, anchors in entry.links.items():
            target = files.get_file_from_path(uri)
            if target is not None:
                links[target] = dict(anchors)
        page.links_to_anchors = links

    page.render = render


def _anchor_data(a: Any) -> dict[str, Any]:
    return {"title": a.title, "id": a.id, "level": a.level,
            "children": [_anchor_data(c) for c in a.children]}


def _anchor(d: dict[str, Any]) -> Any:
    from mkdocs.structure.toc import AnchorLink

    a = AnchorLink(d["title"], d["id"], d["level"])
    a.children = [_anchor(c) for c in d["children"]]
    return a


def _serve_stored(env: Any, reused: dict[str, Entry]) -> None:
    """Wrap `env.get_template` so a reused page's template gives its stored HTML."""
    get_template = env.get_template

    def wrapped(name: Any, *args: Any, **kwargs: Any) -> Any:
        return _Stored(get_template(name, *args, **kwargs), reused)

    env.get_template = wrapped


class _Stored:
    """A theme template that, for a reused page, returns the page's stored HTML."""

    def __init__(self, template: Any, reused: dict[str, Entry]) -> None:
        self._template, self._reused = template, reused

    def render(self, context: Any = None, /, **kwargs: Any) -> str:
        page = context.get("page") if isinstance(context, dict) else None
        entry = self._reused.get(page.file.src_uri) if page is not None else None
        if entry is not None:
            return entry.html
        if context is None:
            return self._template.render(**kwargs)
        return self._template.render(context, **kwargs)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._template, name)


class _Counter(logging.Handler):
    """Counts what MkDocs and its plugins log (INFO and up) in the building thread while
    the cache is in use (`serve`'s web server logs its requests from another thread)."""

    def __init__(self) -> None:
        super().__init__(logging.INFO)
        self.count = 0
        self.thread = threading.get_ident()

    def emit(self, record: logging.LogRecord) -> None:
        if record.thread == self.thread:
            self.count += 1
