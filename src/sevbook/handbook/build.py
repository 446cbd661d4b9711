"""Build the handbook with MkDocs into a given folder, reproducibly.

`sevbook.build.build` calls `build_handbook` inside an atomic folder swap; this module only
runs MkDocs: the same sources and `now` give byte-identical output (SOURCE_DATE_EPOCH is
set from `now`, so sitemap dates and the gzip header do not depend on the clock).
"""

from __future__ import annotations

import logging
import os
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from ..diagnostics import Diagnostic
from ..errors import ContentError, SevbookError
from ..load import LoadResult

if TYPE_CHECKING:
    from .session import Session

Preloaded = tuple[LoadResult, list[Diagnostic]]
"""A load result and its diagnostics, of the same sources at the same `now`."""


@contextmanager
def source_date_epoch(now: datetime) -> Iterator[None]:
    """Set SOURCE_DATE_EPOCH to `now` for the duration of a build."""
    old = os.environ.get("SOURCE_DATE_EPOCH")
    os.environ["SOURCE_DATE_EPOCH"] = str(int(now.timestamp()))
    try:
        yield
    finally:
        if old is None:
            os.environ.pop("SOURCE_DATE_EPOCH", None)
        else:
            os.environ["SOURCE_DATE_EPOCH"] = old


def load_mkdocs_config(root: Path, out_dir: Path | None = None, now: datetime | None = None,
                       preloaded: Preloaded | None = None, page_cache: Path | None = None,
                       restricted: bool = False, content_cache: bool = False,
                       session: Session | None = None, **overrides):
    """mkdocs.yml of `root` as a validated MkDocs config, its sevbook plugin prepared to
    build as of `now` (None: SEVBOOK_NOW or the current time) from `preloaded` if given,
    reusing the pages stored in the folder `page_cache` if given (`reuse.py`), for the
    restricted audience if `restricted`, loading through the content cache (`cache.py`)
    if `content_cache`, keeping what `sevbook serve` reuses between rebuilds in `session`."""
    from mkdocs.config import load_config
    from mkdocs.exceptions import ConfigurationError

    kwargs = dict(overrides)
    if out_dir is not None:
        kwargs["site_dir"] = str(out_dir)
    try:
        cfg = load_config(str(Path(root) / "mkdocs.yml"), **kwargs)
    except ConfigurationError as e:
        raise SevbookError(f"mkdocs.yml: {e}") from None
    plugin = cfg.plugins.get("sevbook")
    if plugin is None:
        raise SevbookError("mkdocs.yml has no `sevbook` plugin; add `- sevbook` under plugins:")
    plugin.prepare(now=now, preloaded=preloaded, page_cache=page_cache, restricted=restricted,
                   content_cache=content_cache, session=session)
    return cfg


def build_handbook(root: Path, out_dir: Path, now: datetime, strict: bool = True,
                   preloaded: Preloaded | None = None, page_cache: Path | None = None,
                   restricted: bool = False) -> None:
    """Build the handbook of `root` into `out_dir` (an empty folder) as of `now`.

    `preloaded` is an optional (LoadResult, diagnostics) pair of the same sources at the
    same `now`, so a caller that has already loaded and checked them does not pay twice.
    `page_cache` is the folder of the page cache (`pagecache.page_cache_folder`; None:
    render every page); the output is the same either way.
    `restricted`: for the restricted audience (restricted incidents in full, a banner).

    Raises ContentError with every diagnostic when the content has errors, SevbookError for
    any other failure (a broken link under strict mode, a bad mkdocs.yml).
    """
    from mkdocs.commands.build import build
    from mkdocs.exceptions import Abort, MkDocsException

    cfg = load_mkdocs_config(root, out_dir, now, preloaded, page_cache, restricted,
                             strict=strict)
    plugin = cfg.plugins["sevbook"]
    collector = _Collect()
    logger = logging.getLogger("mkdocs")
    logger.addHandler(collector)
    try:
        with source_date_epoch(now):
            cfg.plugins.on_startup(command="build", dirty=False)
            try:
                build(cfg)
            finally:
                cfg.plugins.on_shutdown()
    except (Abort, MkDocsException) as e:
        if plugin.errors:
            raise ContentError(plugin.errors) from None
        detail = "\n".join(collector.messages)
        raise SevbookError(f"handbook build failed: {e}" + (f"\n{detail}" if detail else "")) \
            from None
    finally:
        logger.removeHandler(collector)


class _Collect(logging.Handler):
    """Keeps MkDocs' warnings and errors, to explain a failed build."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())
