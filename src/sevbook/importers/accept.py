"""Acceptances for imported history: the warnings `sevbook check` gives on an imported
incident that only say what the source never recorded (roles, postmortems, update cadence,
monitoring) are written into its file as `accepted:` entries, so the import passes
`check --strict` at the capture time without inventing roles, postmortems or updates.

How it knows which fire: the import is first made in a throwaway copy of the repository
(without acceptances), checked there at the capture time, and the codes below that fire on
each imported incident are accepted in the real files. The same input gives the same
acceptances, so a re-run still leaves every file unchanged. Every other warning (and
`service-no-runbook` on services, which cannot accept warnings) is still reported.
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from ..load import load
from ..rules import findings
from .records import Imported
from .report import ImportReport

SOURCES = {"statuspage": "Statuspage", "cstate": "cState"}
"""How the reasons name the source of an import."""

REASONS = {
    "required-role": "no record of who held the roles",
    "silent-incident": "its public updates are all there is, at the times they were "
                       "published",
    "late-first-update": "its first public update is as it was published",
    "postmortem-overdue": "no record of the postmortem process",
    "postmortem-obligation-overdue": "no record of the postmortem process",
    "no-monitoring": "resolved without a monitoring update",
}
"""The warnings that are true of imported history, with why they are accepted."""

Accepted = dict[str, list[tuple[str, str]]]
"""Source id -> (code, reason) of each warning its incident file accepts."""

Write = Callable[[Path, Imported, str | None, Accepted], ImportReport]


def reason(code: str, source: str) -> str:
    return f"imported from {SOURCES.get(source, source)}: {REASONS[code]}"


def history_warnings(root: Path, imported: Imported, owner: str | None, now: datetime,
                     write: Write, marker: Callable[[str], str | None]) -> Accepted:
    """What to accept on each imported incident: the codes of `REASONS` that `check` at
    `now` reports on it after `write` (the import without acceptances) in a copy of `root`.
    `marker(text)` gives the source id an imported file's text carries."""
    with tempfile.TemporaryDirectory(prefix="sevbook-import-") as tmp:
        stage = Path(tmp) / "repo"
        shutil.copytree(root, stage, symlinks=True,
                        ignore=shutil.ignore_patterns(".git", "site", ".cache"))
        report = write(stage, imported, owner, {})
        ours = {}
        for rel in report.written + report.unchanged:
            sid = marker((stage / rel).read_text(encoding="utf-8"))
            if sid is not None:
                ours[rel] = sid
        out: Accepted = {}
        for f in findings(load(stage), now):
            if f.severity == "warning" and f.code in REASONS and f.file in ours:
                codes = out.setdefault(ours[f.file], [])
                if all(c != f.code for c, _ in codes):
                    codes.append((f.code, reason(f.code, imported.source)))
    return {sid: sorted(codes) for sid, codes in out.items()}
