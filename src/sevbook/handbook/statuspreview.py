"""The status pages of `sevbook serve`'s preview, rendered again only when they change.

Each rebuild of the preview is made in a fresh folder (`serve.py`). A status page whose
inputs are the same as in the previous rebuild is moved over from the previous folder
instead of being rendered again: its output depends only on its view (`status.build`:
the frozen `PublicView`, compared by value, catalogues included) and on the bytes of the
theme files the view names (`theme/status/` templates, assets and logo, read again for
every comparison), so equal inputs give the same bytes. An edit to an incident that the
status pages do not show (its body, an internal field, a runbook) therefore re-renders no
status page; an edit to what they show re-renders the pages that show it.
"""

from __future__ import annotations

import hashlib
import logging
import os
import shutil
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from ..config import StatusTree
from ..model import Handbook
from ..status.view import PublicView

log = logging.getLogger("mkdocs.sevbook.serve")


def preview_path(tree: StatusTree) -> str:
    """Where `sevbook serve` shows a status page: status/, status/<id>/, internal-status/."""
    if tree.internal:
        return "internal-status/"
    return f"status/{tree.name}/" if tree.name else "status/"


@dataclass(frozen=True)
class TreeKey:
    """Everything one status page's output depends on."""

    paths: tuple[str, ...]
    """The preview path of every status page (nested pages share folders)."""
    view: PublicView
    theme: str
    """Digest of the bytes of the theme files `view.files` names."""


def theme_digest(view: PublicView) -> str | None:
    """A hash of every theme file the status page reads, or None if one cannot be read
    (the page is then rendered, and says what is wrong, as a full build does)."""
    files = view.files
    if files.root is None:
        return ""
    rels = [*files.templates.values(), *(rel for _, rel in files.assets)]
    if files.logo:
        rels.append(files.logo[1])
    h = hashlib.blake2b(digest_size=20)
    try:
        for rel in rels:
            data = files.read(rel)
            for part in (rel.encode("utf-8"), data):
                h.update(len(part).to_bytes(8, "little"))
                h.update(part)
    except Exception:  # Refused, OSError: not reusable
        return None
    return h.hexdigest()


class StatusPreviews:
    """The status pages of one preview session, and what each was last rendered from."""

    def __init__(self) -> None:
        self._keys: dict[str, TreeKey] = {}
        self.rendered: list[str] = []
        self.moved: list[str] = []
        """Preview paths the last `build` rendered and took over from the previous folder."""

    def build(self, handbook: Handbook, trees: Iterable[StatusTree], now: datetime,
              site: Path, previous: Path | None, since: int | None = None,
              discard: Callable[[Path], None] | None = None) -> None:
        """Every status page into `site`, each under its `preview_path`; an unchanged one
        moved over from the folder of the previous rebuild, `previous` (None: render all).
        `since`: `site` is an older preview written over (`recycle.py`) since this time;
        a status page it still holds from then is rendered over, or handed to `discard`
        (which moves it away) before the unchanged one is moved in."""
        from ..status.build import build_status
        from ..status.pages import status_view

        trees = tuple(trees)
        paths = tuple(preview_path(t) for t in trees)
        keys: dict[str, TreeKey] = {}
        self.rendered, self.moved = [], []
        for tree, path in zip(trees, paths, strict=True):
            out = site / path
            stale = since is not None and not self._carried(path) and _older(out, since)
            try:
                view = status_view(handbook, tree, now)
                theme = theme_digest(view)
                key = TreeKey(paths, view, theme) if theme is not None else None
                if key is not None and previous is not None and self._keys.get(path) == key \
                        and self._take_over(previous, site, path, discard if stale else None):
                    keys[path] = key
                    continue
                if self._carried(path) and out.exists():
                    shutil.rmtree(out)  # the old one, moved in with its parent page
                own = stale or not out.exists()  # nothing of the handbook's own in it
                out.mkdir(parents=True, exist_ok=True)
                build_status(view, out)
                self.rendered.append(path)
                if key is not None and own:
                    keys[path] = key
            except Exception as e:  # a preview must keep serving the handbook
                log.warning(f"{tree.label} preview failed: {type(e).__name__}: {e}")
        self._keys = keys

    def _carried(self, path: str) -> bool:
        """Whether `path` lies inside a page moved over in this build."""
        return any(path != m and path.startswith(m) for m in self.moved)

    def _take_over(self, previous: Path, site: Path, path: str,
                   discard: Callable[[Path], None] | None = None) -> bool:
        """Move `path`'s output from `previous` into `site`; False if it cannot be.
        `discard`: what `site` holds at `path` is an older status page, to move away."""
        out = site / path
        if self._carried(path) and out.is_dir():
            self.moved.append(path)
            return True
        if not (previous / path).is_dir():
            return False
        if discard is not None and out.is_dir() and not out.is_symlink():
            discard(out)
        if out.exists():
            return False
        out.parent.mkdir(parents=True, exist_ok=True)
        os.replace(previous / path, out)
        self.moved.append(path)
        return True


def _older(folder: Path, since: int) -> bool:
    """Whether `folder` is a folder (no symlink) holding nothing modified at or after
    `since`: no file the handbook build that began then wrote into it."""
    try:
        if not folder.is_dir() or folder.is_symlink():
            return False
        for dirpath, _dirs, files in os.walk(folder):
            for name in files:
                if os.lstat(os.path.join(dirpath, name)).st_mtime_ns >= since:
                    return False
    except OSError:
        return False
    return True
