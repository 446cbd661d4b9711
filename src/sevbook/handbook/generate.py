"""The registry of generated handbook pages: Handbook + now -> {path: Markdown}.

Each generator is a plain function `(ctx) -> Iterable[Page]` in `pages/`; `GENERATORS`
lists them in order. Several generators may add to the same path: their parts are merged
in registry order (see `page.Page`). Paths are relative to the docs_dir.

Nothing here imports MkDocs. The generators import `context` and `page`, never this
module, so the registry imports them at the top like any other module.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import datetime

from ..diagnostics import Diagnostic
from ..model import Handbook
from ..model.kinds import CONTENT_KINDS
from .context import Context
from .page import Page
from .pages import (
    action_items,
    incidents,
    metrics,
    oncall,
    postmortems,
    roles,
    runbooks,
    services,
    severity,
    templates,
    warnings,
)

__all__ = ["GENERATORS", "PATHS", "Context", "Generator", "Page", "generate", "generate_page",
           "generate_pages", "page_paths", "structured_prose"]

Generator = Callable[[Context], Iterable[Page]]

GENERATORS: list[Generator] = [
    severity.pages, roles.pages, oncall.pages, services.pages, runbooks.pages,
    incidents.pages, action_items.pages, postmortems.pages, templates.pages,
    metrics.pages, warnings.pages,
]
"""Every page generator, in order. A new page or section: add its function here."""

PathsFn = Callable[[Context], Iterable[str]]

PATHS: dict[Generator, PathsFn] = {
    severity.pages: severity.paths, roles.pages: roles.paths, oncall.pages: oncall.paths,
    services.pages: services.paths, runbooks.pages: runbooks.paths,
    incidents.pages: incidents.paths, action_items.pages: action_items.paths,
    postmortems.pages: postmortems.paths, templates.pages: templates.paths,
    metrics.pages: metrics.paths, warnings.pages: warnings.paths,
}
"""The paths each generator yields, found without rendering a page (the link check asks
which pages exist). A generator missing here is run to learn its paths."""


def generate_pages(ctx: Context) -> dict[str, Page]:
    """Every generated page, merged by path, in a stable order."""
    out: dict[str, Page] = {}
    for gen in list(GENERATORS):
        for page in gen(ctx):
            if page.path in out:
                out[page.path].merge(page)
            else:
                out[page.path] = page
    return out


def page_paths(ctx: Context) -> list[str]:
    """The paths of `generate_pages(ctx)`, in its order, without rendering the pages."""
    out: dict[str, None] = {}
    for gen in list(GENERATORS):
        paths = PATHS.get(gen)
        for path in paths(ctx) if paths else (page.path for page in gen(ctx)):
            out.setdefault(path, None)
    return list(out)


def generate_page(ctx: Context, path: str) -> Page | None:
    """`generate_pages(ctx).get(path)`, running only the generators that yield `path`."""
    out: Page | None = None
    for gen in list(GENERATORS):
        paths = PATHS.get(gen)
        if paths is not None and path not in paths(ctx):
            continue
        for page in gen(ctx):
            if page.path != path:
                continue
            if out is None:
                out = page
            else:
                out.merge(page)
    return out


def structured_prose(handbook: Handbook) -> dict[str, str]:
    """{docs path: body} of the structured files in the docs_dir (`severity.md`,
    `roles/<id>.md`, ...): the prose their generated parts go around."""
    prefix = handbook.settings.docs_dir.strip("/") + "/"
    return {doc.path[len(prefix):]: doc.body
            for kind in CONTENT_KINDS for doc in kind.documents(handbook)
            if doc.path.startswith(prefix)}


def generate(handbook: Handbook, now: datetime,
             diagnostics: list[Diagnostic] | None = None,
             prose: dict[str, str] | None = None, restricted: bool = False) -> dict[str, str]:
    """{docs path: Markdown} for a handbook at `now`; `prose` holds existing page bodies;
    `restricted`: for the restricted audience (restricted incidents in full)."""
    prose = prose or {}
    pages = generate_pages(Context(handbook, now, diagnostics or [], restricted=restricted))
    return {path: p.markdown(prose.get(path)) for path, p in pages.items()}
