"""`sevbook build`: both sites, each rendered aside and swapped in only on success.

`site/handbook/` and `site/status/` are separate trees so publishing one can never publish
the other. A failed build leaves the previous site untouched.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path

from .config import Settings, load_settings
from .diagnostics import ContentError, Diagnostic
from .load import LoadResult, load
from .model import Handbook
from .rules import check


@contextmanager
def atomic_dir(target: Path) -> Iterator[Path]:
    """Yield an empty sibling folder; on success it replaces `target`, on failure it goes."""
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{target.name}.new-", dir=target.parent))
    try:
        yield tmp
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    os.chmod(tmp, 0o755)
    old = target.parent / f".{target.name}.old"
    if old.exists():
        shutil.rmtree(old)
    if target.exists():
        target.rename(old)
    tmp.rename(target)
    shutil.rmtree(old, ignore_errors=True)


def load_checked(root: Path, now: datetime,
                 settings: Settings | None = None) -> tuple[LoadResult, list[Diagnostic]]:
    """Load and check; raise ContentError (every error) if anything is wrong."""
    result = load(root, settings)
    diags = check(result, now)
    errors = [d for d in diags if d.severity == "error"]
    if errors:
        raise ContentError(errors)
    return result, diags


def load_valid(root: Path, now: datetime, settings: Settings | None = None) -> Handbook:
    """The valid model of `root`; raise ContentError (every error) if anything is wrong."""
    return load_checked(root, now, settings)[0].handbook


def build(root: Path, now: datetime, handbook: bool = True, status: bool = True,
          log: Callable[[str], None] = lambda s: None) -> list[Path]:
    """Build the requested sites; return the folders written."""
    root = Path(root)
    settings = load_settings(root)
    result, diags = load_checked(root, now, settings)
    model = result.handbook
    written: list[Path] = []
    if status:
        from .status.build import build_status
        from .status.public import public_view

        target = settings.status_site
        with atomic_dir(target) as tmp:
            build_status(public_view(model, now), tmp)
        written.append(target)
        log(f"status page: {target}")
    if handbook:
        from .handbook.build import build_handbook

        target = settings.handbook_site
        with atomic_dir(target) as tmp:
            build_handbook(root, tmp, now, preloaded=(result, diags))
        written.append(target)
        log(f"handbook: {target}")
    return written
