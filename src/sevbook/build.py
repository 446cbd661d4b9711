"""`sevbook build`: both sites, rendered aside and swapped in together, only on success.

`site/handbook/` and `site/status/` are separate trees so publishing one can never publish
the other. A failed build leaves both previous trees untouched (see `swap.py` for what a
reader of the folder sees while a build replaces them).
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from .config import Settings, StatusTree, load_settings
from .diagnostics import Diagnostic
from .errors import ContentError, SevbookError
from .load import LoadResult, load
from .locks import build_lock
from .model import Handbook
from .rules import check
from .status.scope import status_errors
from .swap import replace_trees


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
          log: Callable[[str], None] = lambda s: None, strict: bool = False,
          engine: str | None = None, cache: bool = False,
          restricted: bool = False) -> list[Path]:
    """Build the requested sites, all or nothing; return the folders written.

    `restricted` builds only the handbook for the restricted audience (restricted incidents
    in full, a do-not-publish banner) into its own folder (`restricted_dir`), instead of
    the two sites.

    Content errors always stop the build. Link problems in hand-written pages (what MkDocs
    warns about) stop the handbook only when `strict` (`sevbook build --strict`, as CI runs
    it); otherwise they are warnings, counted in the last line with every `check` warning.

    `cache`: use the content cache (`sevbook.cache`), as the CLI does unless --no-cache.
    Every tree is rendered into a temporary folder first; only when all of them are
    complete are they swapped in (`swap.replace_trees`), so a failure at any step leaves
    every previous tree as it was. One build at a time writes a site folder (`locks`).
    `engine` (mkdocs or zensical) overrides the `engine:` setting for the handbook.
    With `cache`, MkDocs reuses the pages an earlier build made from the same inputs
    (`handbook/reuse.py`; the output is the same); without, every page is rendered.
    """
    root = Path(root)
    settings = load_settings(root, restricted=restricted)
    if restricted:
        handbook, status = True, False
    engine = _engine(engine or settings.engine, handbook, restricted, log)
    result = load(root, settings, cache=cache)
    # The handbook shows warnings on its pages; the status page alone needs only errors.
    diags = check(result, now, errors_only=not handbook)
    result.save_cache()
    errors = [d for d in diags if d.severity == "error"]
    # The status page alone publishes despite errors in what it does not publish
    # (`status/scope.py`); the handbook shows everything, so any error stops it.
    blocking = errors if handbook else status_errors(errors, result)
    if blocking:
        raise ContentError(blocking, result.handbook.files)
    if errors:
        log(f"status page built despite {len(errors)} error(s) in what it does not publish "
            "(the handbook's problems; `sevbook check` lists them and fails until they are "
            "fixed):")
        for d in errors:
            log("  " + d.text())
    steps: list[tuple[str, Path, Callable[[Path], None]]] = []
    if status:
        steps += _status_steps(result.handbook, settings, now)
    if handbook:
        from .handbook.build import build_handbook
        from .handbook.pagecache import page_cache_folder
        from .handbook.zensical import build_zensical

        # The restricted build never reads or writes the page cache: a page it made must
        # never be reused by the build everyone reads.
        pages = page_cache_folder(root, settings.cache_dir) \
            if cache and settings.cache and not restricted else None
        audience = {"restricted": True} if restricted else {}
        steps.append(("restricted handbook (do not publish)" if restricted else "handbook",
                      settings.restricted_site if restricted else settings.handbook_site,
                      (lambda out: build_zensical(root, out, now, strict=strict,
                                                  preloaded=(result, diags)))
                      if engine == "zensical" else
                      (lambda out: build_handbook(root, out, now, strict=strict,
                                                  preloaded=(result, diags),
                                                  page_cache=pages, **audience))))
    targets = [target for _, target, _ in steps]
    try:
        with build_lock([t.parent for t in targets]), replace_trees(targets) as outs:
            for (_, _, render), out in zip(steps, outs, strict=True):
                render(out)
    except OSError as e:
        raise SevbookError(_write_failed(e, targets)) from None
    for label, target, _ in steps:
        log(f"built {label}: {target}")
    warnings = sum(d.severity == "warning" for d in diags)
    if warnings:
        log(f"{warnings} warning{'s' if warnings != 1 else ''} (run `sevbook check`)")
    return targets


def _status_steps(hb: Handbook, settings: Settings, now: datetime,
                  ) -> list[tuple[str, Path, Callable[[Path], None]]]:
    """One build step per status page: the default page, `status_pages`, the internal page."""
    from .status.build import build_status
    from .status.pages import status_view

    def render(tree: StatusTree) -> Callable[[Path], None]:
        return lambda out: build_status(status_view(hb, tree, now), out)

    return [(tree.label, settings.tree_site(tree), render(tree))
            for tree in settings.status_trees]


def _engine(engine: str, handbook: bool, restricted: bool, log: Callable[[str], None]) -> str:
    """The engine that builds the handbook: MkDocs for the restricted build; Zensical is
    checked to be installed before anything is loaded or written."""
    if restricted and engine == "zensical":
        log("the restricted handbook is built with MkDocs (the Zensical engine builds only "
            "the handbook everyone reads)")
        return "mkdocs"
    if handbook and engine == "zensical":
        from .handbook.zensical import require

        require()
    return engine


def _write_failed(e: OSError, targets: list[Path]) -> str:
    if isinstance(e, shutil.Error) and e.args and isinstance(e.args[0], list):
        # copytree collects (src, dst, "[Errno N] text: 'path'") for every file
        why = str(e.args[0][0][2])
        m = re.fullmatch(r"\[Errno \d+\] (.*): '(.*)'", why)
        what = f"{m[1]} ({m[2]})" if m else why
    else:
        what = f"{e.strerror or e}" + (f" ({e.filename})" if e.filename else "")
    folders = " and ".join(str(t) for t in targets)
    return (f"the build failed: {what}; {folders} "
            f"{'are' if len(targets) > 1 else 'is'} unchanged")
