"""The links MkDocs would warn about in the hand-written pages, found without running MkDocs.

Every `*.md` file in the docs_dir is a source (free pages, and the prose of structured files
such as runbooks). A relative link must name a file of the docs_dir or a page sevbook
generates (`severity.md`, `incidents/<id>.md`, `action-items.md`, ...: asked of the page
registry, `sevbook.handbook.generate`); a `#anchor` must be an id of the target page, as
MkDocs' toc extension makes them (its `slugify`, or the one mkdocs.yml sets under `toc:`),
or an `id`/`<a name>` written in the page. Links inside fenced code or inline code,
absolute URLs and absolute paths are not checked.

Which problems are reported follows mkdocs.yml's `validation:` block, read with MkDocs'
defaults: a missing target (`not_found`, default warn), a link without an extension that
matches no file (`unrecognized_links`, default info) and a missing anchor (`anchors`,
default info) are reported only when their level is `warn`, i.e. when `mkdocs build`
would warn. Incident bodies (outside the docs_dir) are not checked.

Cost: one read of each docs page. Only when a link needs it, the page registry lists its
paths without rendering a page (`generate.page_paths`), and renders the pages an anchor
points into (only the generators of that path, `generate.generate_page`), on the handbook
with at most one incident, so a corpus of 10,000 incidents costs nothing extra.
"""

from __future__ import annotations

import dataclasses
import difflib
import importlib
import os
import posixpath
import re
import stat
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from functools import cached_property
from html.parser import HTMLParser
from itertools import islice
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

import yaml

from .mdscan import prose_or_code
from .model import Handbook

MAX_BYTES = 2 * 1024 * 1024
"""Pages larger than this are not read (the loader refuses such files too)."""

META = re.compile(r"^-{3}[ \t]*\n.*?\n(?:\.{3}|-{3})[ \t]*\n", re.S)
"""MkDocs' frontmatter block (mkdocs.utils.meta)."""
INLINE_CODE = re.compile(r"(`+)(?!`).+?(?<!`)\1(?!`)")
INLINE_LINK = re.compile(r"!?\[(?:[^\[\]]|\[[^\[\]]*\])*\]\(\s*<?([^\s<>()]*)>?[^)]*\)")
REFERENCE = re.compile(r"^ {0,3}\[([^\]]+)\]:\s*<?([^\s<>]+)>?")
REF_USE = re.compile(r"\[([^\]]*)\]\[([^\]]*)\]|\[([^\]]+)\](?![(\[:])")
"""`[text][label]`, `[label][]` and the shortcut `[label]`."""
SLUG_MODULES = ("markdown.", "pymdownx.")
"""Where a `toc: slugify:` function may come from (imported only from these packages)."""
VALIDATION_DEFAULTS = {"not_found": "warn", "unrecognized_links": "info", "anchors": "info"}
"""MkDocs 1.6's levels for `validation.links`."""
EXTENSIONS = ["attr_list", "md_in_html", "admonition", "fenced_code", "tables", "def_list",
              "footnotes", "abbr"]
"""Built-in Markdown extensions used to find a page's ids (with `toc`): those that make
ids, and those that keep code and blocks from being read as headings."""


@dataclass(frozen=True)
class Link:
    line: int
    url: str


@dataclass(frozen=True)
class LinkProblem:
    file: str
    """Repository-relative path of the page, as messages name files."""
    line: int
    code: str
    """`broken-link` or `broken-anchor`."""
    message: str


# ------------------------------------------------------------------ finding links
def page_links(text: str) -> Iterator[Link]:
    """The links and images of a Markdown page, with their file lines; frontmatter, fenced
    code and inline code are skipped, and a reference definition counts only when a
    reference link uses it (otherwise it renders no link)."""
    refs: dict[str, Link] = {}
    used: set[str] = set()
    for n, line in _prose_lines(text):
        for url in INLINE_LINK.findall(line):
            yield Link(n, url)
        ref = REFERENCE.match(line)
        if ref:
            refs.setdefault(ref.group(1).lower(), Link(n, ref.group(2)))
            line = line[ref.end():]
        used.update(label.lower() for pair in REF_USE.findall(line) for label in pair if label)
    yield from (link for label, link in refs.items() if label in used)


def _prose_lines(text: str) -> Iterator[tuple[int, str]]:
    """(file line, text without inline code) of the lines outside frontmatter and fenced
    code that may hold a link."""
    start = 0
    meta = META.match(text)
    if meta:
        start = text.count("\n", 0, meta.end())
    for n, (line, prose) in enumerate(prose_or_code(text.split("\n")[start:]), start + 1):
        if prose and "]" in line:
            yield n, INLINE_CODE.sub("", line)


def checked(url: str) -> bool:
    """Whether MkDocs validates this URL as a relative link (not a URL with a scheme or
    host, not an absolute path, not empty)."""
    parts = urlsplit(url)
    return bool(url) and not (parts.scheme or parts.netloc) and not url.startswith(("/", "\\"))


# ------------------------------------------------------------------ mkdocs.yml
class PyName:
    """`!!python/name:X` or `!!python/object/apply:X` as written in mkdocs.yml."""

    def __init__(self, name: str, kwds: dict[str, Any] | None = None, apply: bool = False):
        self.name, self.kwds, self.apply = name, kwds or {}, apply

    def resolve(self) -> Callable[..., str] | None:
        """The function, imported only from the packages in SLUG_MODULES."""
        if not self.name.startswith(SLUG_MODULES):
            return None
        module, _, attr = self.name.rpartition(".")
        try:
            func = getattr(importlib.import_module(module), attr)
            return func(**self.kwds) if self.apply else func
        except Exception:  # a name that does not import: anchors are not checked
            return None


class _TagLoader(yaml.SafeLoader):
    """Keeps python tags as PyName; other tags (`!ENV`, ...) become None."""


def _python_tag(loader: yaml.SafeLoader, suffix: str, node: yaml.Node) -> Any:
    if suffix.startswith("name:"):
        return PyName(suffix[5:])
    if suffix.startswith("object/apply:") and isinstance(node, yaml.MappingNode):
        kwds = loader.construct_mapping(node, deep=True).get("kwds") or {}
        return PyName(suffix[13:], kwds if isinstance(kwds, dict) else {}, apply=True)
    return None


_TagLoader.add_multi_constructor("tag:yaml.org,2002:python/", _python_tag)
_TagLoader.add_multi_constructor("!", lambda loader, suffix, node: None)


@dataclass
class MkdocsFacts:
    """What link checking reads from mkdocs.yml: validation levels and the toc settings."""

    levels: dict[str, str] = field(default_factory=lambda: dict(VALIDATION_DEFAULTS))
    toc: dict[str, Any] = field(default_factory=dict)

    def reports(self, kind: str) -> bool:
        return self.levels.get(kind) == "warn"

    @classmethod
    def read(cls, path: Path) -> MkdocsFacts:
        """The facts of `path` (which `sevbook.config` has already read and vetted)."""
        try:
            data = yaml.load(path.read_text(encoding="utf-8"), Loader=_TagLoader)  # noqa: S506
        except (OSError, UnicodeDecodeError, yaml.YAMLError):
            return cls()
        data = data if isinstance(data, dict) else {}
        return cls(_levels(data.get("validation")), _toc_config(data.get("markdown_extensions")))


def _levels(validation: Any) -> dict[str, str]:
    """`validation:` in MkDocs' flat form (`anchors: warn`) or nested (`links: {...}`)."""
    levels = dict(VALIDATION_DEFAULTS)
    if not isinstance(validation, dict):
        return levels
    nested = validation.get("links")
    for source in (validation, nested if isinstance(nested, dict) else {}):
        for key in levels:
            if isinstance(source.get(key), str):
                levels[key] = source[key]
    return levels


def _toc_config(extensions: Any) -> dict[str, Any]:
    entries = extensions if isinstance(extensions, list) else [extensions or {}]
    for entry in entries:
        if isinstance(entry, dict):
            for name in ("toc", "markdown.extensions.toc"):
                if isinstance(entry.get(name), dict):
                    return dict(entry[name])
    return {}


# ------------------------------------------------------------------ page ids
class _Ids(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.ids: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for k, v in attrs:
            if v and (k == "id" or (k == "name" and tag == "a")):
                self.ids.add(v)


class IdFinder:
    """The ids of a page's HTML as MkDocs would render it (headings through the toc
    extension with the configured slugify); None from `ids` when that slugify is unknown."""

    def __init__(self, toc: dict[str, Any]):
        self.toc = {k: v for k, v in toc.items() if k in ("slugify", "separator")}

    @cached_property
    def _markdown(self) -> Any:
        import markdown

        toc = dict(self.toc)
        if isinstance(toc.get("slugify"), PyName):
            toc["slugify"] = toc["slugify"].resolve()
            if toc["slugify"] is None:
                return None
        elif "slugify" in toc and not callable(toc["slugify"]):
            return None
        return markdown.Markdown(extensions=["toc", *EXTENSIONS], extension_configs={"toc": toc})

    def ids(self, text: str) -> set[str] | None:
        md = self._markdown
        if md is None:
            return None
        md.reset()
        parser = _Ids()
        parser.feed(md.convert(text))
        parser.feed(text)  # raw HTML ids, as MkDocs collects them before rendering
        parser.close()
        return parser.ids


# ------------------------------------------------------------------ the docs site
def _read(path: Path, root: Path, walked: bool = False) -> str | None:
    """A page's text, or None when the loader would refuse it (not a regular file, a
    symlink leaving the repository, too large, not UTF-8). `walked`: `path` was found by
    walking a docs_dir inside `root` without following symlinked folders, so unless the
    file itself is a symlink it lies inside `root` (one lstat instead of resolving every
    component)."""
    if walked:
        try:
            st = os.lstat(path)
        except OSError:
            return None
        if stat.S_ISREG(st.st_mode):
            if st.st_size > MAX_BYTES:
                return None
            try:
                return path.read_bytes().decode("utf-8")
            except (OSError, UnicodeDecodeError):
                return None
        if not stat.S_ISLNK(st.st_mode):
            return None
    try:
        real = path.resolve(strict=True)
        if not real.is_relative_to(root) or not real.is_file():
            return None
        if real.stat().st_size > MAX_BYTES:
            return None
        return real.read_bytes().decode("utf-8")
    except (OSError, RuntimeError, UnicodeDecodeError):
        return None


class DocsSite:
    """The docs_dir's files and the generated pages, as MkDocs' `Files` would hold them."""

    def __init__(self, handbook: Handbook, now: datetime):
        self.handbook, self.now = handbook, now
        settings = handbook.settings
        self.root = settings.root.resolve()
        self.docs = settings.content_path
        self.files: set[str] = set()
        try:  # walked files of a docs_dir inside the repository are read by one lstat
            self._walked = self.docs.resolve(strict=True).is_relative_to(self.root)
        except (OSError, RuntimeError):
            self._walked = False
        for dirpath, dirnames, filenames in os.walk(self.docs):
            dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
            rel = os.path.relpath(dirpath, self.docs).replace(os.sep, "/")
            for f in filenames:
                if not f.startswith("."):
                    self.files.add(f if rel == "." else f"{rel}/{f}")
        self.facts = MkdocsFacts.read(settings.root / "mkdocs.yml")
        self.id_finder = IdFinder(self.facts.toc)
        self._texts: dict[str, str | None] = {}
        self._ids: dict[str, set[str] | None] = {}
        self._incidents: dict[str, Any] = {}

    def text(self, uri: str) -> str | None:
        if uri not in self._texts:
            self._texts[uri] = (_read(self.docs / uri, self.root, self._walked)
                                if uri in self.files else None)
        return self._texts[uri]

    def pages(self) -> list[str]:
        """The Markdown files of the docs_dir, sorted."""
        return sorted(u for u in self.files if u.endswith(".md"))

    @cached_property
    def _registry(self) -> tuple[Any, set[str]] | None:
        """The page registry's context on the handbook with at most one incident, and the
        paths it generates, found without rendering a page (None when the registry fails
        on this model)."""
        from .handbook.generate import Context, page_paths

        hb = self.handbook
        one = dataclasses.replace(hb, incidents=dict(islice(hb.incidents.items(), 1)))
        try:
            ctx = Context(one, self.now, [])
            return ctx, set(page_paths(ctx))
        except Exception:  # an incomplete model (check reports why): do not guess
            return None

    @cached_property
    def generated(self) -> set[str] | None:
        """The paths of the generated pages on the handbook with at most one incident,
        plus every incident's page path (None when the registry fails on this model)."""
        if self._registry is None:
            return None
        ctx, paths = self._registry
        out = set(paths)
        for inc in self.handbook.incidents.values():
            uri = ctx.incident_uri(inc)
            self._incidents[uri] = inc
            out.add(uri)
        return out

    def exists(self, uri: str) -> bool | None:
        """Whether MkDocs would have a file at `uri` (None: cannot tell)."""
        if uri in self.files:
            return True
        gen = self.generated
        return None if gen is None else uri in gen

    def ids(self, uri: str) -> set[str] | None:
        """The anchor ids of the page at `uri` (None: cannot tell)."""
        if uri not in self._ids:
            self._ids[uri] = self._page_ids(uri)
        return self._ids[uri]

    def _page_ids(self, uri: str) -> set[str] | None:
        text = self.text(uri) or ""
        meta = META.match(text)
        prose = text[meta.end():] if meta else text
        gen = self.generated
        if gen is not None and uri in gen:
            page = self._page(uri)
            if page is None:
                return None
            prose = page.markdown(prose or None)
        elif uri not in self.files:
            return None
        return self.id_finder.ids(prose)

    def _page(self, uri: str) -> Any:
        """The generated page at `uri`: rendered on the one-incident handbook when that
        has it, else (another incident's page) on the handbook with just that incident.
        Only the generators that yield `uri` run."""
        from .handbook.generate import Context, generate_page

        assert self._registry is not None
        ctx, paths = self._registry
        try:
            if uri in paths:
                return generate_page(ctx, uri)
            inc = self._incidents.get(uri)
            if inc is None:
                return None
            one = dataclasses.replace(self.handbook, incidents={inc.id: inc})
            return generate_page(Context(one, self.now, []), uri)
        except Exception:
            return None


# ------------------------------------------------------------------ checking
def link_problems(handbook: Handbook, now: datetime) -> list[LinkProblem]:
    """Every link problem of the docs_dir's pages that mkdocs.yml's validation warns about."""
    site = DocsSite(handbook, now)
    prefix = handbook.settings.docs_dir.strip("/")
    out: list[LinkProblem] = []
    for uri in site.pages():
        text = site.text(uri)
        if not text or ("](" not in text and "]:" not in text):
            continue
        for link in page_links(text):
            if checked(link.url):
                for code, message in _problems(site, uri, link.url):
                    out.append(LinkProblem(f"{prefix}/{uri}", link.line, code, message))
    return out


def _problems(site: DocsSite, uri: str, url: str) -> Iterator[tuple[str, str]]:
    parts = urlsplit(url)
    docs = site.handbook.settings.docs_dir.strip("/")
    if not parts.path:
        target = uri
    else:
        target = posixpath.normpath(posixpath.join(posixpath.dirname(uri),
                                                   unquote(parts.path)).lstrip("/"))
        found = site.exists(target) if not target.startswith("../") else False
        if found is None:
            return
        if not found:
            yield from _missing(site, url, target, docs)
            return
    if parts.fragment and target.endswith(".md") and site.facts.reports("anchors"):
        ids = site.ids(target)
        if ids is not None and parts.fragment not in ids:
            yield "broken-anchor", _anchor_message(url, target, uri, parts.fragment, ids)


def _missing(site: DocsSite, url: str, target: str, docs: str) -> Iterator[tuple[str, str]]:
    if not posixpath.splitext(target)[1]:
        if site.facts.reports("unrecognized_links"):
            index = posixpath.join(target, "index.md")
            hint = (f"did you mean '{urlsplit(url).path.rstrip('/')}/index.md'?"
                    if site.exists(index) else "link a page with its .md name")
            yield "broken-link", (f"link '{url}' does not name a file (no extension) and "
                                  f"{docs}/{target} is not one, so MkDocs leaves it as is; "
                                  f"{hint}")
    elif site.facts.reports("not_found"):
        yield "broken-link", (f"link '{url}' points to {docs}/{target}, which is neither a "
                              "file in the docs nor a generated page; fix the path (it is "
                              "relative to this page) or remove the link")


def _anchor_message(url: str, target: str, uri: str, anchor: str, ids: set[str]) -> str:
    where = "this page has" if target == uri else f"{target} has"
    close = difflib.get_close_matches(anchor, sorted(ids), n=1)
    hint = f"did you mean '#{close[0]}'?" if close else \
        "link a heading of that page (its id is the heading text in lowercase with dashes)"
    return f"link '{url}': {where} no heading or id '{anchor}'; {hint}"
