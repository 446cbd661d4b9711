"""`sevbook build --engine zensical`: stage, build with Zensical, check every page is there.

1. Stage (in `.<site folder name>.zensical/` next to the handbook's output folder, kept
   between builds so Zensical's cache makes the next build warm): the composed docs
   (`stage.py`), the template overrides and a derived `mkdocs.yml` (`derive.py`).
2. Run Zensical on it in a child process (`python -m zensical build`), with
   SOURCE_DATE_EPOCH from `now`, like the MkDocs build.
3. Count: every staged Markdown page must have become its HTML page. Zensical skips what
   it cannot do without failing (run on this repository as is, it builds 34 of 57 pages
   with exit status 0), so a missing page stops the build with the expected and built
   counts and the first missing pages.
4. Move the built site into `out_dir`, the folder `sevbook.build` swaps in atomically.
"""

from __future__ import annotations

import importlib.util
import os
import re
import subprocess
import sys
from datetime import datetime
from pathlib import Path

import yaml

from ...config import Settings, load_settings
from ...errors import ContentError, SevbookError
from ...load import load
from ...rules import check
from ..build import Preloaded, source_date_epoch
from ..context import Context
from ..theme import open_incidents
from .derive import STAGED_DOCS, STAGED_OVERRIDES, STAGED_SITE, derive, overrides, read_mkdocs_yml
from .stage import StagedDocs, page_html, page_url, stage_docs, sync

INSTALL_HINT = "install it with pip install 'sevbook[zensical]', or build with --engine mkdocs"
SHOWN_MISSING = 5
_ANSI = re.compile(r"\x1b\[[0-9;]*m")


def require() -> None:
    """Raise SevbookError unless Zensical is installed."""
    if importlib.util.find_spec("zensical") is None:
        raise SevbookError(f"the zensical engine needs Zensical, which is not installed; "
                           f"{INSTALL_HINT}")


def staging_folder(handbook_site: Path) -> Path:
    """Where the handbook is staged for Zensical: next to its output folder, under a name
    the atomic swap never uses (`swap.py` cleans only `.<name>.new-*`/`.old-*`)."""
    return handbook_site.parent / f".{handbook_site.name}.zensical"


def _loaded(root: Path, now: datetime, preloaded: Preloaded | None) -> Preloaded:
    """`preloaded`, or the sources loaded and checked now; raise ContentError on errors."""
    if preloaded is None:
        result = load(root, load_settings(root))
        preloaded = result, check(result, now)
    errors = [d for d in preloaded[1] if d.severity == "error"]
    if errors:
        raise ContentError(errors, preloaded[0].handbook.files)
    return preloaded


def _stage(root: Path, now: datetime, preloaded: Preloaded) -> tuple[Path, StagedDocs, bool]:
    """Write the staging folder; return it, the staged docs and use_directory_urls."""
    result, diagnostics = preloaded
    handbook = result.handbook
    settings = handbook.settings
    staging = staging_folder(settings.handbook_site)
    ctx = Context(handbook, now, diagnostics)
    staged = stage_docs(handbook, ctx, staging / STAGED_DOCS)
    mk = read_mkdocs_yml(root)
    directory_urls = mk.get("use_directory_urls", True) is not False
    pages = set(staged.pages)
    banner = open_incidents(ctx, lambda uri: page_url(uri, directory_urls)
                            if uri in pages else None)
    cfg = derive(mk, staged.in_nav, settings.features.nav_section_limit, banner)
    sync(overrides(settings, mk), staging / STAGED_OVERRIDES)
    text = yaml.safe_dump(cfg, sort_keys=False, allow_unicode=True)
    config = staging / "mkdocs.yml"
    if not config.is_file() or config.read_text(encoding="utf-8") != text:
        config.write_text(text, encoding="utf-8")
    return staging, staged, directory_urls


def run(staging: Path, strict: bool) -> None:
    """Build the staging folder with Zensical into its `site/`; raise ZensicalFailed with
    its output when it fails."""
    site = staging / STAGED_SITE
    if site.exists():
        sync({}, site)
    cmd = [sys.executable, "-m", "zensical", "build", "-f", "mkdocs.yml"]
    if strict:
        cmd.append("--strict")
    env = {**os.environ, "NO_COLOR": "1"}
    proc = subprocess.run(cmd, cwd=staging, env=env, capture_output=True, text=True)
    if proc.returncode != 0:
        raise ZensicalFailed(proc.returncode, _ANSI.sub("", proc.stdout + proc.stderr))


class ZensicalFailed(Exception):
    """Zensical exited with an error; `output` is what it printed (colours removed)."""

    def __init__(self, status: int, output: str):
        super().__init__(output)
        self.status, self.output = status, output


_WARNING = re.compile(r"^Warning: (?P<what>.*)$")
_WHERE = re.compile(r"\[ (?P<path>[^\s:]+):(?P<line>\d+):\d+ \]")
_SOURCE = re.compile(r"^\s*(?P<line>\d+) │ (?P<text>.*)$")


def _located(settings: Settings, path: str, line: int, text: str | None) -> str:
    """`file:line` in the repository of a line Zensical names in a staged page. A team's
    page may have been composed (generated parts above its prose), so its line is looked up
    by the text Zensical quotes."""
    source = settings.content_path / path
    if not source.is_file():
        return f"{path}:{line} (a generated page)"
    if text is not None:
        found = [i for i, ln in enumerate(source.read_text(encoding="utf-8").splitlines(), 1)
                 if ln == text]
        if len(found) == 1:
            line = found[0]
    return f"{settings.docs_dir}/{path}:{line}"


def explain(failed: ZensicalFailed, settings: Settings) -> str:
    """Zensical's failure as sevbook says it: each warning as `file:line: what` with the
    repository's path of a team's page; else Zensical's own output, minus its traceback."""
    found: list[str] = []
    what, where = "", None
    for line in [*failed.output.splitlines(), "Warning: (end)"]:
        if where and (m := _SOURCE.match(line)) and int(m["line"]) == where[1]:
            found.append(f"{_located(settings, where[0], where[1], m['text'])}: {what}")
            what, where = "", None
        elif m := _WARNING.match(line.strip()):
            if where:  # no quoted line
                found.append(f"{_located(settings, where[0], where[1], None)}: {what}")
            what, where = m["what"], None
        elif what and (m := _WHERE.search(line)):
            where = (m["path"], int(m["line"]))
    if found:
        return (f"handbook build failed: zensical --strict stopped on {len(found)} "
                f"warning{'s' if len(found) != 1 else ''} (`sevbook check` lists the links "
                "with their fixes):\n" + "\n".join(found))
    text = failed.output.split("Traceback (most recent call last):")[0].strip()
    return f"handbook build failed: zensical exited with status {failed.status}:\n{text}"


def verify(staged: StagedDocs, site: Path, directory_urls: bool, target: str) -> None:
    """Raise SevbookError unless every staged page has its HTML page in `site`."""
    missing = [p for p in staged.pages if not (site / page_html(p, directory_urls)).is_file()]
    if not missing:
        return
    expected = len(staged.pages)
    shown = ", ".join(f"{p} ({page_html(p, directory_urls)})" for p in missing[:SHOWN_MISSING])
    more = f" and {len(missing) - SHOWN_MISSING} more" if len(missing) > SHOWN_MISSING else ""
    raise SevbookError(f"zensical built {expected - len(missing)} of {expected} pages; "
                       f"missing: {shown}{more}; {target} is unchanged")


def build_zensical(root: Path, out_dir: Path, now: datetime, strict: bool = True,
                   preloaded: Preloaded | None = None) -> None:
    """Build the handbook of `root` with Zensical into `out_dir` (an empty folder that
    replaces the handbook's output folder once every site is built), as of `now`."""
    require()
    preloaded = _loaded(root, now, preloaded)
    staging, staged, directory_urls = _stage(root, now, preloaded)
    try:
        with source_date_epoch(now):
            run(staging, strict)
    except ZensicalFailed as e:
        raise SevbookError(explain(e, preloaded[0].handbook.settings)) from None
    site = staging / STAGED_SITE
    verify(staged, site, directory_urls, preloaded[0].handbook.settings.site_dir)
    for entry in sorted(os.listdir(site)):
        os.replace(site / entry, out_dir / entry)
