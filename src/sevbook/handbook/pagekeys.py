"""What a handbook page's HTML depends on, as hashes (the page cache's keys).

MkDocs makes a page in two steps, and the cache keys each one on everything it reads:

* **render** (Markdown → body HTML, table of contents, title, anchors): the page's final
  Markdown (after sevbook composed it) and meta, its source path and URL, the Markdown
  settings and the whole config except what only templates read (`extra`, `nav`), the
  list of files with their URLs (links resolve against it), and the versions of the
  libraries that render (`site_render_key` + `render_key`);
* **page** (body in the theme → the HTML file and its search entries): the render key,
  the whole config (the open-incident banner is `extra.sevbook_open`), every file of
  the theme (the installed mkdocs-material by its version), the navigation with every
  title and URL (so each page's place, its previous/next links and its section), the
  build date when a template can read it, and the page's own URL, title and meta
  (`site_page_key` + `page_key`).

A value that cannot be written down stably (an object shown only by its address) makes
the config unkeyable: `Unkeyable`, and the build renders every page.
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
from collections.abc import Iterable, Mapping
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any

from .pagecache import FORMAT

RENDERERS = ("mkdocs", "markdown", "pymdown-extensions", "pygments", "mkdocs-material")
"""Distributions whose version changes how a page renders."""

TEMPLATE_ONLY = ("extra", "nav")
"""Config keys the Markdown render never reads (only the theme's templates do)."""

VOLATILE = ("site_dir", "strict")
"""Config keys that no page shows: the output folder (`sevbook build` renders into a fresh
temporary one) and whether warnings abort (only pages built without a warning are
stored)."""

BUILD_DATE_NAMES = ("build_date_utc", "update_date")
"""How a template reads the build time (MkDocs' context variable and page attribute)."""


class Unkeyable(Exception):
    """A config value with no stable written form."""


def digest(*parts: Any, root: str | None = None) -> str:
    """A hash of `parts`; with `root`, paths inside it count relative to it (a checkout
    moved or cloned elsewhere, as CI does, keeps its keys)."""
    text = json.dumps([stable(p) for p in parts], sort_keys=True, separators=(",", ":"),
                      ensure_ascii=False)
    if root:
        text = text.replace(json.dumps(root, ensure_ascii=False)[1:-1], "<root>")
    return hashlib.blake2b(text.encode("utf-8"), digest_size=20).hexdigest()


def root_of(config: Mapping[str, Any]) -> str | None:
    """The folder of mkdocs.yml, where the repository's paths start."""
    path = config.get("config_file_path")
    return str(Path(path).resolve().parent) if path else None


def stable(value: Any) -> Any:
    """`value` as JSON data that is equal for equal settings, in any process."""
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    if isinstance(value, Path):
        return str(value)
    if isinstance(value, Mapping):
        return {str(k): stable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, set, frozenset)):
        items = [stable(v) for v in value]
        return sorted(items, key=repr) if isinstance(value, (set, frozenset)) else items
    if callable(value) and hasattr(value, "__qualname__"):
        return f"{getattr(value, '__module__', '?')}.{value.__qualname__}"
    config = getattr(value, "config", None)
    if isinstance(config, Mapping):  # a plugin: its class and its options
        return {"class": f"{type(value).__module__}.{type(value).__qualname__}",
                "config": stable(config)}
    text = repr(value)
    if " at 0x" in text or " object at " in text:
        raise Unkeyable(f"{type(value).__qualname__} has no stable form")
    return f"{type(value).__qualname__}:{text}"


def config_data(config: Mapping[str, Any], leave_out: Iterable[str] = ()) -> dict[str, Any]:
    """The config as stable data, without `VOLATILE` keys and `leave_out`."""
    skip = set(VOLATILE) | set(leave_out)
    out: dict[str, Any] = {}
    for key in config:
        if key in skip:
            continue
        value = config[key]
        out[key] = theme_data(value) if key == "theme" else stable(value)
    return out


def theme_data(theme: Any) -> dict[str, Any]:
    return {"name": theme.name, "dirs": list(theme.dirs),
            "static_templates": sorted(theme.static_templates),
            "options": stable(dict(theme.items()))}


def versions() -> dict[str, str]:
    out = {"python": sys.version}
    for name in RENDERERS:
        try:
            out[name] = version(name)
        except PackageNotFoundError:
            out[name] = "-"
    return out


def files_data(files: Iterable[Any]) -> list[list[Any]]:
    """Every file's source path, destination, URL and inclusion: what links resolve to."""
    return sorted([f.src_uri, f.dest_uri, f.url, f.inclusion.name, f.is_documentation_page()]
                  for f in files)


def site_render_key(config: Mapping[str, Any], files: Iterable[Any]) -> str:
    return digest("render", FORMAT, versions(), config_data(config, TEMPLATE_ONLY),
                  files_data(files), root=root_of(config))


def render_key(site: str, page: Any, markdown: str) -> str:
    return digest(site, page.file.src_uri, page.file.dest_uri, page.url, markdown,
                  page.meta)


def theme_files(theme: Any) -> tuple[dict[str, str], bool]:
    """({file: content hash} of every theme folder, whether a page's template may read the
    build date). The installed mkdocs-material counts by its version (`versions`), not by
    its thousands of files. The static templates (`sitemap.xml`, which shows the build
    date, and `404.html`) are rendered afresh on every build, so what they read does not
    count."""
    installed = _material_dir()
    hashes: dict[str, str] = {}
    reads_date = False
    fresh = set(theme.static_templates)
    for folder in theme.dirs:
        if installed is not None and Path(folder).resolve() == installed:
            reads_date = reads_date or _reads_build_date(Path(folder), fresh)
            continue
        for path in sorted(Path(folder).rglob("*")):
            if path.is_file():
                data = path.read_bytes()
                rel = path.relative_to(folder).as_posix()
                hashes[f"{folder}/{rel}"] = hashlib.blake2b(data, digest_size=20).hexdigest()
                if path.suffix in (".html", ".xml", ".j2", ".jinja") and rel not in fresh:
                    reads_date = reads_date or any(n.encode() in data for n in BUILD_DATE_NAMES)
    return hashes, reads_date


def _material_dir() -> Path | None:
    try:
        import material
    except ImportError:
        return None
    return (Path(material.__file__).resolve().parent / "templates").resolve()


_MATERIAL_READS_DATE: dict[Path, bool] = {}


def _reads_build_date(folder: Path, fresh: set[str]) -> bool:
    """Whether one of the installed theme's page templates names the build date (once per
    process; the installed package does not change while it runs)."""
    if folder not in _MATERIAL_READS_DATE:
        found = False
        for dirpath, dirnames, names in os.walk(folder):
            dirnames[:] = [d for d in dirnames if d != ".icons"]  # only SVG icons there
            for name in names:
                rel = (Path(dirpath) / name).relative_to(folder).as_posix()
                if name.endswith((".html", ".xml")) and rel not in fresh:
                    data = (Path(dirpath) / name).read_bytes()
                    if any(n.encode() in data for n in BUILD_DATE_NAMES):
                        found = True
        _MATERIAL_READS_DATE[folder] = found
    return _MATERIAL_READS_DATE[folder]


def nav_data(nav: Any) -> dict[str, Any]:
    """The navigation as every page sees it: each item's kind, title and URL, in order,
    and the home page."""
    def item(it: Any) -> list[Any]:
        kind = "section" if it.is_section else "page" if it.is_page else "link"
        url = getattr(it, "url", None)
        src = it.file.src_uri if it.is_page else None
        return [kind, it.title, url, src, [item(c) for c in (it.children or [])]]

    home = nav.homepage.url if nav.homepage is not None else None
    return {"items": [item(i) for i in nav.items], "home": home}


def site_page_key(config: Mapping[str, Any], nav: Any, build_date: str) -> str:
    """The part of every page's key that the whole site shares."""
    hashes, reads_date = theme_files(config["theme"])
    return digest("page", FORMAT, versions(), config_data(config), hashes, nav_data(nav),
                  build_date if reads_date else "", root=root_of(config))


def page_key(site: str, render: str, page: Any) -> str:
    return digest(site, render, page.url, page.canonical_url, page.edit_url, page.title,
                  page.meta, page.is_homepage)
