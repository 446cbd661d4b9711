"""`sevbook init DIR`: a new handbook repository that `check --strict` and `build` accept.

The scaffold is package data under `scaffold/`:

* `scaffold/handbook/`: copied as is, with `@NAME@`, `@TODAY@`, `@VERSION@` and
  `@INSTALL@` (what `pip install` is given) replaced;
  `gitignore` becomes `.gitignore` (setuptools leaves dot-files out of package data).
* `scaffold/workflows/*.yml`: the GitHub Actions workflows, the single source for both this
  repository's `.github/workflows/` and every scaffolded repository's. Lines between
  `#%repo` and the next directive are kept only for this repository (install from the
  checkout, run the test suite), lines after `#%team` only for scaffolded ones (install the
  released package, `@INSTALL@`: `sevbook==<this version>` or `sevbook init --install`);
  `#%end` closes a block.

`python -m sevbook.init --sync-workflows [ROOT]` rewrites ROOT/.github/workflows from the
templates; a test checks they match.
"""

from __future__ import annotations

import re
import sys
from datetime import datetime
from importlib import resources
from pathlib import Path

from . import __version__
from .errors import BadInput, SevbookError
from .status.ids import KEY_FILE, new_key
from .times import current, utc_date

WORKFLOWS = ("ci.yml", "pr.yml", "publish.yml")
RENAMES = {"gitignore": ".gitignore"}

DEFAULT_INSTALL = f"sevbook=={__version__}"
"""What the scaffold's workflows install by default: the release this scaffold came with."""
_INSTALL_RE = re.compile(r"[A-Za-z0-9][A-Za-z0-9._~+\-\[\]=<>!,:/@#%&?*]*")
"""A pip requirement or URL (`sevbook==0.2.0`, `sevbook>=0.2,<0.3`,
`git+https://github.com/OWNER/sevbook@v0.2.0`): no quotes, spaces, `$`, `{`, `;` or
backslashes, so it stays one word inside the workflows' double-quoted shell line."""


def install_spec(spec: str | None) -> str:
    """The `pip install` argument for the workflows; BadInput when it is not one word a
    shell and YAML leave alone."""
    if spec is None:
        return DEFAULT_INSTALL
    if not _INSTALL_RE.fullmatch(spec):
        raise BadInput("--install", f"{spec!r} is not a pip requirement or URL the workflows "
                       "can quote; give one word such as sevbook==0.2.0 or "
                       "git+https://github.com/OWNER/sevbook@v0.2.0 (no spaces, quotes, $ "
                       "or braces)")
    return spec


def _scaffold():
    return resources.files("sevbook") / "scaffold"


def render_workflow(name: str, mode: str, install: str = DEFAULT_INSTALL) -> str:
    """Workflow `name` for `mode` "repo" (sevbook's own repository) or "team", the team's
    installing `install` (see `install_spec`)."""
    if mode not in ("repo", "team"):
        raise ValueError(mode)
    text = (_scaffold() / "workflows" / name).read_text(encoding="utf-8")
    out: list[str] = []
    keep = True
    for line in text.splitlines(keepends=True):
        directive = line.strip()
        if directive in ("#%repo", "#%team", "#%end"):
            keep = directive == "#%end" or directive == f"#%{mode}"
            continue
        if keep:
            out.append(line)
    return "".join(out).replace("@INSTALL@", install)


def _walk(node, rel: str = ""):
    for child in sorted(node.iterdir(), key=lambda c: c.name):
        path = f"{rel}{child.name}"
        if child.is_dir():
            yield from _walk(child, path + "/")
        elif not child.name.endswith((".pyc", ".pyo")):
            yield path, child


def init(dest: Path, name: str = "", now: datetime | None = None,
         install: str | None = None, url: str = "") -> list[Path]:
    """Create the handbook repository in `dest` (missing or empty); return the files.
    `install` is what its workflows `pip install` (default `sevbook==<this version>`);
    `url` is the status page's public address (empty: set it before the first public
    incident, when `check` warns `no-status-url`)."""
    dest = Path(dest)
    install = install_spec(install)
    url = status_url(url)
    if dest.exists() and (not dest.is_dir() or any(dest.iterdir())):
        raise SevbookError(f"{dest} already exists and is not empty; give a new folder name "
                           "(sevbook init never overwrites files)")
    now = current(now)
    name = " ".join(name.split()) or _title_from(dest)
    subst = {"@NAME@": name, "@TODAY@": utc_date(now).isoformat(),
             "@VERSION@": __version__, "@INSTALL@": install, "@URL@": url}
    written: list[Path] = []
    dest.mkdir(parents=True, exist_ok=True)
    for rel, src in _walk(_scaffold() / "handbook"):
        parts = rel.split("/")
        parts[-1] = RENAMES.get(parts[-1], parts[-1])
        target = dest.joinpath(*parts)
        target.parent.mkdir(parents=True, exist_ok=True)
        text = src.read_text(encoding="utf-8")
        for k, v in subst.items():
            text = text.replace(k, v)
        target.write_text(text, encoding="utf-8")
        written.append(target)
    key = dest / KEY_FILE  # the secret behind the status page's public ids
    key.parent.mkdir(parents=True, exist_ok=True)
    key.write_text(new_key(), encoding="ascii")
    written.append(key)
    wf = dest / ".github" / "workflows"
    wf.mkdir(parents=True, exist_ok=True)
    for w in WORKFLOWS:
        (wf / w).write_text(render_workflow(w, "team", install), encoding="utf-8")
        written.append(wf / w)
    return written


def status_url(url: str) -> str:
    """`--url` checked as mkdocs.yml's `status.url` would be (absolute http(s), or empty)."""
    from pydantic import ValidationError

    from .config import StatusOptions

    try:
        return StatusOptions(url=url).url
    except ValidationError as e:
        raise BadInput("--url", str(e.errors()[0]["ctx"]["error"])) from None


def _title_from(dest: Path) -> str:
    base = dest.resolve().name.replace("-", " ").replace("_", " ").strip()
    for suffix in (" handbook", " incidents", " status"):
        if base.lower().endswith(suffix) and len(base) > len(suffix):
            base = base[: -len(suffix)]
    return base.title() if base else "Our"


def sync_workflows(root: Path) -> list[Path]:
    """Write ROOT/.github/workflows/* from the templates (this repository's own mode)."""
    wf = Path(root) / ".github" / "workflows"
    wf.mkdir(parents=True, exist_ok=True)
    out = []
    for w in WORKFLOWS:
        (wf / w).write_text(render_workflow(w, "repo"), encoding="utf-8")
        out.append(wf / w)
    return out


if __name__ == "__main__":  # python -m sevbook.init --sync-workflows [ROOT]
    args = sys.argv[1:]
    if not args or args[0] != "--sync-workflows":
        sys.exit("usage: python -m sevbook.init --sync-workflows [ROOT]")
    for p in sync_workflows(Path(args[1] if len(args) > 1 else ".")):
        print(p)
