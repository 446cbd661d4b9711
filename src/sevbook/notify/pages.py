"""`sevbook notify --all-pages`: every public status page in one run.

Each page is on its own: its `site_dir` is the state just built, its previous state is
read from `--previous DIR` (the default page from DIR itself, a further page from
`DIR/<id>/`: page ids are never `api`, so the two never mix) or fetched from its `url`.
The internal page is never notified.
"""

from __future__ import annotations

from pathlib import Path

from ..config import Settings, StatusTree
from ..errors import SevbookError
from .state import PublicState, read_state


def previous_folder(previous: Path, tree: StatusTree) -> Path:
    """Where `--previous DIR` holds `tree`'s published API with --all-pages."""
    return previous / tree.name if tree.name else previous


def base_url(tree: StatusTree) -> str:
    """The page's `url` ending in '/' ('' when unset)."""
    url = tree.options.url or ""
    return url if not url or url.endswith("/") else url + "/"


def built_state(settings: Settings, tree: StatusTree) -> PublicState:
    """The page just built; SevbookError when its tree has no API yet."""
    current = read_state(settings.tree_site(tree))
    if current is None:
        raise SevbookError(f"{tree.options.site_dir} has no api/v2/summary.json; build the status page first "
                           "(sevbook build --no-handbook)")
    return current
