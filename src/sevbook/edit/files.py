"""Finding the file to edit, checking an edited text before it is written, writing safely."""

from __future__ import annotations

import os
import tempfile
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from ..config import Settings
from ..diagnostics import Diagnostic
from ..errors import BadInput, ContentError, SevbookError, YamlProblem
from ..load import CONTROL_NAMES, CONTROL_RE, LoadResult, discover
from ..rules import check
from ..yamlio import load_yaml, split_frontmatter


def refuse_controls(param: str, value: str) -> None:
    """Refuse the control characters `sevbook check` refuses in content (C0/C1 other than
    tab, CR and LF) in an option's text, before anything is written."""
    m = CONTROL_RE.search(value)
    if m:
        c = m.group()
        name = CONTROL_NAMES.get(c)
        what = f"U+{ord(c):04X}" + (f", {name}" if name else "")
        raise BadInput(param, f"contains a control character ({what}) at position "
                       f"{m.start() + 1}; remove it (only tab and newline are allowed)")


def utc_text(t: datetime) -> str:
    """A timestamp as written by sevbook: UTC, second precision, with Z."""
    return t.astimezone(UTC).replace(microsecond=0).strftime("%Y-%m-%dT%H:%M:%SZ")


def utc(t: datetime) -> datetime:
    return t.astimezone(UTC).replace(microsecond=0)


# ---------------------------------------------------------------------- ids
def incident_files(settings: Settings) -> dict[str, Path]:
    """Every incident file by id (the file name without .md), sorted."""
    return {p.stem: p for p, kind in discover(settings) if kind == "incident"}


def _undated(ident: str) -> str:
    """`2026-03-02-db-pool` -> `db-pool`: people remember the slug, not the date."""
    parts = ident.split("-", 3)
    if len(parts) == 4 and all(p.isdigit() for p in parts[:3]):
        return parts[3]
    return ident


def find_incident(settings: Settings, query: str) -> tuple[str, Path]:
    """The incident named by a full id or a path to its file (open or resolved), or by a
    unique prefix of the id or of its slug (the id without the date) among the incidents
    still open: a resolved one is only edited by its full id."""
    files = incident_files(settings)
    q = query.strip()
    if q.endswith(".md") or "/" in q:
        q = Path(q).stem if q.endswith(".md") else q.rstrip("/").rsplit("/", 1)[-1]
    if q in files:
        return q, files[q]
    matching = [i for i in files if i.startswith(q) or _undated(i).startswith(q)] if q else []
    found = [i for i in matching if not _resolved(files[i])]
    if len(found) == 1:
        return found[0], files[found[0]]
    if not found:
        raise BadInput("ID", _no_match(settings, query, files, matching))
    shown = ", ".join(found[:10]) + (f" and {len(found) - 10} more" if len(found) > 10 else "")
    raise BadInput("ID", f"'{query}' matches {len(found)} open incidents: {shown}; give more "
                         "of the id")


def _no_match(settings: Settings, query: str, files: dict[str, Path],
              resolved: list[str]) -> str:
    where = settings.incidents_dir
    if resolved:
        shown = ", ".join(resolved[:3]) + (f" and {len(resolved) - 3} more"
                                           if len(resolved) > 3 else "")
        return (f"no open incident matches '{query}' (resolved: {shown}); give the full id "
                "to edit a resolved one")
    hint = (f"; ids are file names in {where}/ without .md, like {next(reversed(files))}"
            if files else f"; {where}/ has no incidents yet")
    return f"no incident matches '{query}'{hint}"


def _resolved(path: Path) -> bool:
    """Whether the file's frontmatter has a `resolved_at` (read only for prefix matches;
    a file that cannot be read counts as open, so the edit reports its problem)."""
    try:
        split = split_frontmatter(path.read_text(encoding="utf-8"))
        data = load_yaml(split[0]) if split else None
    except (OSError, UnicodeError, YamlProblem):
        return False
    return isinstance(data, dict) and data.get("resolved_at") not in (None, "")


# ---------------------------------------------------------------------- loading
def load_for_edit(root: Path, incident: Path | None = None) -> LoadResult:
    """The content files and at most one incident: all the rules need to judge that one
    file. Incident rules look only at the incident itself and the content (severity,
    services, roles, runbooks, teams), so the other incidents are not read and an edit
    costs the same with 10 or 10,000 incidents."""
    from .. import load as load_mod

    def keep(path: Path, kind: str) -> bool:
        return kind != "incident" or (incident is not None and path == incident)

    return load_mod.load(Path(root), select=keep)


# ---------------------------------------------------------------------- validation
def errors_with(root: Path, path: Path, text: str, now: datetime, kind: str,
                result: LoadResult | None = None) -> list[Diagnostic]:
    """The errors `sevbook check` would report in `path` if it held `text`.

    The rest of the handbook is loaded as it is, so references (services, severity, roles)
    are checked too; errors in *other* files do not block an edit of this one.
    """
    from .. import load as load_mod

    root = Path(root)
    result = result or load_for_edit(root, path)
    rel = path.relative_to(root).as_posix()
    result.diagnostics = [d for d in result.diagnostics if d.file != rel]
    result.sources.pop(rel, None)
    hb = result.handbook
    stores: dict[str, dict[str, Any]] = {"incident": hb.incidents, "runbook": hb.runbooks}
    store = stores[kind]
    store.pop(path.stem, None)
    with tempfile.TemporaryDirectory(prefix="sevbook-edit-") as td:
        tmp = Path(td) / path.name
        tmp.write_bytes(text.encode("utf-8"))
        doc = load_mod.load_file(tmp, rel, kind, Path(td).resolve(), result)
    if doc is not None:
        store[doc.id] = doc
    return [d for d in check(result, now) if d.file == rel and d.severity == "error"]


def validate_or_raise(root: Path, path: Path, text: str, now: datetime, kind: str,
                      result: LoadResult | None = None) -> None:
    errors = errors_with(root, path, text, now, kind, result)
    if errors:
        raise ContentError(errors + [Diagnostic(
            path.relative_to(root).as_posix(), 0, "", "error", "edit-refused",
            "the edit would leave this file invalid, so nothing was written")])


# ---------------------------------------------------------------------- writing
def write_atomic(path: Path, text: str, new: bool = False) -> None:
    """Write via a temporary file in the same folder and a rename: a crash or a full disk
    leaves either the old file or the new one, never half of each."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(text.encode("utf-8"))
            f.flush()
            os.fsync(f.fileno())
        if not new:
            os.chmod(tmp, path.stat().st_mode & 0o7777)
        else:
            umask = os.umask(0)
            os.umask(umask)
            os.chmod(tmp, 0o666 & ~umask)
            if path.exists():
                raise SevbookError(f"{path} already exists; not overwriting it")
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
