"""Every status page of a repository and the view builder that makes each one.

`sevbook build`, `serve`, `diff` and `notify` go through `status_view`: a public page
(the default `status:` page or one of `status_pages`) only ever from `public.public_view`,
the internal page only from `internal.internal_view`.
"""

from __future__ import annotations

from datetime import datetime

from ..config import Settings, StatusTree
from ..model import Handbook
from .internal import internal_view
from .public import public_view
from .view import PublicView

__all__ = ["status_view", "trees"]


def trees(settings: Settings, internal: bool = True) -> tuple[StatusTree, ...]:
    """The status pages to build (`internal=False`: the public ones only)."""
    return settings.status_trees if internal else settings.public_trees


def status_view(handbook: Handbook, tree: StatusTree, now: datetime) -> PublicView:
    """The view of status page `tree` at `now`."""
    if tree.internal:
        return internal_view(handbook, now)
    return public_view(handbook, now, tree.name)
