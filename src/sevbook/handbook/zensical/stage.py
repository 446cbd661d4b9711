"""The docs folder Zensical builds: the team's pages and the generated ones, composed.

Zensical runs no MkDocs plugin, so the pages the `sevbook` plugin would add or compose in
memory are written out here, exactly as the plugin hands them to MkDocs: a generated page
as `Page.markdown()`; a structured file (`severity.md`, `roles/<id>.md`, ...) as its
generated parts around its prose, its data frontmatter dropped but for a `title`; a
hand-written page the generators add to (`incidents/index.md`) with its own frontmatter;
every other file of the docs_dir unchanged. A wide page gets `hide: [toc]` as the plugin
sets it.

The folder is kept between builds and only files whose bytes change are written, so
Zensical's own cache (in the staging folder) makes the next build warm.
"""

from __future__ import annotations

import os
import posixpath
from dataclasses import dataclass
from pathlib import Path

import yaml
from mkdocs.utils import is_markdown_file
from mkdocs.utils.meta import get_data

from ...model import Handbook
from ..context import Context
from ..generate import generate_pages, structured_prose
from ..nav import is_index
from ..page import Page
from ..theme import CSS_URI, stylesheet


@dataclass
class StagedDocs:
    """What was written: every file (docs paths -> bytes) and which are pages in the nav."""

    files: dict[str, bytes]
    in_nav: list[str]

    @property
    def pages(self) -> list[str]:
        """Every Markdown page, sorted: each must become one HTML page."""
        return sorted(p for p in self.files if is_markdown_file(p))


def excluded(uri: str) -> bool:
    """Files MkDocs leaves out of a build by default (`.*`, `/templates/`)."""
    parts = uri.split("/")
    return any(p.startswith(".") for p in parts) or parts[0] == "templates" and len(parts) > 1


def page_html(uri: str, directory_urls: bool = True) -> str:
    """The HTML file a docs page becomes (`roles/scribe.md` -> `roles/scribe/index.html`)."""
    folder, name = posixpath.split(uri)
    stem = posixpath.splitext(name)[0]
    if is_index(uri):
        return posixpath.join(folder, "index.html")
    if directory_urls:
        return posixpath.join(folder, stem, "index.html")
    return posixpath.join(folder, stem + ".html")


def page_url(uri: str, directory_urls: bool = True) -> str:
    """The page's URL relative to the site root, as MkDocs' `File.url` gives it."""
    html = page_html(uri, directory_urls)
    if directory_urls and html.endswith("index.html"):
        return html[: -len("index.html")] or "./"
    return html


def _front(meta: dict) -> str:
    if not meta:
        return ""
    return "---\n" + yaml.safe_dump(meta, sort_keys=False, allow_unicode=True) + "---\n\n"


def _composed(page: Page, source: str | None, prose: str | None) -> str:
    """The page as the plugin gives it to MkDocs (see `plugin.on_page_markdown`)."""
    if source is None:  # generated: no file of the team's at this path
        return _front({"hide": ["toc"]} if page.wide else {}) + page.markdown()
    body, meta = get_data(source)
    if prose is not None:  # a structured file: its frontmatter is data, not page meta
        title = meta.get("title")
        meta = {"title": title} if isinstance(title, str) else {}
        body = prose
    if page.wide:
        hide = meta.setdefault("hide", [])
        if isinstance(hide, list) and "toc" not in hide:
            hide.append("toc")
    return _front(meta) + page.markdown(body)


def team_files(docs: Path) -> dict[str, bytes]:
    """Every file of the docs_dir that MkDocs would build (docs paths -> bytes)."""
    out: dict[str, bytes] = {}
    for folder, dirs, names in os.walk(docs):
        dirs.sort()
        rel = Path(folder).relative_to(docs).as_posix()
        for name in sorted(names):
            uri = name if rel == "." else f"{rel}/{name}"
            if not excluded(uri):
                out[uri] = (Path(folder) / name).read_bytes()
    return out


def compose(ctx: Context, docs: Path) -> StagedDocs:
    """The docs folder's files with the generated pages added and composed."""
    files = team_files(docs)
    pages = generate_pages(ctx)
    prose = structured_prose(ctx.handbook)
    for path, page in pages.items():
        source = files[path].decode("utf-8") if path in files else None
        files[path] = _composed(page, source, prose.get(path)).encode("utf-8")
    files[CSS_URI] = stylesheet()
    generated_out = {p for p, page in pages.items() if not page.in_nav}
    in_nav = [p for p in files if is_markdown_file(p) and p not in generated_out]
    return StagedDocs(files, in_nav)


def sync(files: dict[str, bytes], folder: Path) -> None:
    """Make `folder` hold exactly `files`, writing only those whose bytes differ."""
    folder.mkdir(parents=True, exist_ok=True)
    for uri, data in files.items():
        path = folder / uri
        try:
            if path.read_bytes() == data:
                continue
        except OSError:
            path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    for sub, _dirs, names in os.walk(folder, topdown=False):
        rel = Path(sub).relative_to(folder)
        for name in names:
            if (rel / name).as_posix() not in files:
                (Path(sub) / name).unlink()
        if sub != str(folder) and not os.listdir(sub):
            os.rmdir(sub)


def stage_docs(handbook: Handbook, ctx: Context, staging_docs: Path) -> StagedDocs:
    """Write the composed docs folder of `handbook` to `staging_docs`."""
    staged = compose(ctx, handbook.settings.content_path)
    sync(staged.files, staging_docs)
    return staged
