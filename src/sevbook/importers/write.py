"""Write imported records into the repository, idempotently, never over someone's edits.

How it knows: every file it writes carries one comment line right after the opening `---`:

    # imported from statuspage <source id> sha256:<hash of the rest of the file>

(the id percent-encoded, so a cState system name with spaces is one word).

On a re-run, a file whose bytes (without that line) still hash to the recorded value is the
import's own and may be rewritten; if the new text is the same it is left untouched
(`unchanged`). A file whose hash differs was edited since (by a person or by `sevbook
update`) and is skipped, as is any file at the target path that has no marker. The marker
travels with the file (no manifest to lose or merge), and a re-run finds a record's file by
the source id in the marker, so a renamed title does not create a second file.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from datetime import UTC
from pathlib import Path
from urllib.parse import quote, unquote

from ..edit.files import write_atomic
from ..errors import SevbookError
from ..load import load
from ..model import Handbook
from ..model.common import slugify, unique_slug
from ..model.vocab import Impact, Kind, SeverityImpact
from .accept import Accepted, history_warnings
from .records import Imported, Note, Record
from .render import instant, record_text, service_text
from .report import ImportReport

MARKER = re.compile(r"^# imported from (\S+) (\S+) sha256:([0-9a-f]{64})\n", re.M)


def digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def stamp(text: str, source: str, source_id: str) -> str:
    """`text` with the marker line inserted after its opening `---` line."""
    head, _, rest = text.partition("\n")
    return f"{head}\n# imported from {source} {quote(source_id, safe='')} " \
           f"sha256:{digest(text)}\n{rest}"


def unstamped(text: str) -> tuple[str, str, str, str] | None:
    """(source, id, recorded hash, text without the marker) of an imported file, or None."""
    m = MARKER.search(text)
    if m is None or not text.startswith("---"):
        return None
    return m.group(1), unquote(m.group(2)), m.group(3), text[:m.start()] + text[m.end():]


def choose_level(impact: Impact, hb: Handbook) -> str | None:
    """The severity level whose `public_impact` is closest to `impact` (same rank first;
    on a tie, the more severe level, so nothing is published as milder than it was). None
    when the matrix has no levels."""
    if hb.severity is None or not hb.severity.levels:
        return None
    want = impact.rank
    best = min(hb.severity.levels,
               key=lambda lv: (abs(SeverityImpact(lv.public_impact).impact.rank - want),
                               -SeverityImpact(lv.public_impact).impact.rank))
    return best.id


class _Writer:
    """Decides, for each target file, write / unchanged / skip, and records it."""

    def __init__(self, root: Path, source: str, report: ImportReport):
        self.root, self.source, self.report = root, source, report

    def existing(self, folder: Path) -> dict[str, Path]:
        """Files in `folder` (recursively) imported from this source, by source id."""
        found: dict[str, Path] = {}
        for p in sorted(folder.rglob("*.md")) if folder.is_dir() else []:
            try:
                head = p.read_text(encoding="utf-8")[:400]
            except (OSError, UnicodeDecodeError):
                continue
            m = MARKER.search(head)
            if m and m.group(1) == self.source:
                found.setdefault(unquote(m.group(2)), p)
        return found

    def put(self, path: Path, text: str, source_id: str) -> None:
        rel = path.relative_to(self.root).as_posix()
        final = stamp(text, self.source, source_id)
        if path.exists() or path.is_symlink():
            if not path.is_file() or path.is_symlink():
                self.report.skipped.append((rel, "not a regular file"))
                return
            current = path.read_text(encoding="utf-8", errors="replace")
            parts = unstamped(current)
            if parts is None or parts[0] != self.source:
                self.report.skipped.append((rel, "exists and was not written by this import"))
                return
            if digest(parts[3]) != parts[2]:
                self.report.skipped.append((rel, "edited since it was imported; delete it "
                                                 "to import it again"))
                return
            if current == final:
                self.report.unchanged.append(rel)
                return
        write_atomic(path, final, new=not path.exists())
        self.report.written.append(rel)




def _record_paths(records: Iterable[Record], folder: Path,
                  known: dict[str, Path]) -> dict[str, Path]:
    """A stable file per record: the one already imported for its id, else
    `<date>-<slug>.md`, numbered when two records (or another file) share the name."""
    taken = {p.stem for p in folder.rglob("*.md")} if folder.is_dir() else set()
    out: dict[str, Path] = {}
    for rec in sorted(records, key=lambda r: (r.begins, r.source_id)):
        if rec.source_id in known:
            out[rec.source_id] = known[rec.source_id]
            continue
        day = rec.begins.astimezone(UTC).date().isoformat()
        stem = unique_slug(f"{day}-{slugify(rec.title, 'imported')}", taken)
        out[rec.source_id] = folder / f"{stem}.md"
    return out


def _owner(hb: Handbook, owner: str | None) -> str | None:
    if owner is not None:
        if hb.teams and owner not in hb.teams:
            raise SevbookError(f"--owner '{owner}' is not a team in oncall.md; use one of: "
                               f"{', '.join(hb.teams)}")
        return owner
    return next(iter(hb.teams), None)


def write_import(root: Path, imported: Imported, owner: str | None = None,
                 accepted: Accepted | None = None) -> ImportReport:
    """Write `imported` into the repository at `root`; return what happened. Incidents
    accept the warnings `accepted` gives them (default: those of `accept.REASONS` that
    check reports at the capture time; `accept.py` says how)."""
    root = Path(root)
    if accepted is None:
        accepted = {} if imported.captured_at is None else history_warnings(
            root, imported, owner, imported.captured_at, write_import, _source_id)
    result = load(root)
    hb = result.handbook
    report = ImportReport(imported.source, notes=list(imported.notes),
                          captured_at=instant(imported.captured_at)
                          if imported.captured_at else None)
    writer = _Writer(root, imported.source, report)
    team = _owner(hb, owner)
    if team is None:
        report.notes.append(Note("no team is declared in oncall.md, so imported services "
                                  "have no owner (check warns: service-no-owner)"))
    services_dir = hb.settings.content_path / "services"
    known = writer.existing(services_dir)
    for svc in imported.services:
        path = known.get(svc.source_id, services_dir / f"{svc.slug}.md")
        writer.put(path, service_text(svc, team, imported.source), svc.source_id)
    _write_records(writer, hb, imported, accepted)
    return report


def _source_id(text: str) -> str | None:
    parts = unstamped(text)
    return parts[1] if parts is not None else None


def _write_records(writer: _Writer, hb: Handbook, imported: Imported,
                   accepted: Accepted) -> None:
    folder = hb.settings.incidents_path
    paths = _record_paths(imported.records, folder, writer.existing(folder))
    for rec in imported.records:
        level, stated = None, None
        if rec.kind == Kind.INCIDENT:
            level = choose_level(rec.impact or Impact.NONE, hb)
            if level is None:
                writer.report.notes.append(Note(
                    "no severity level to map its impact onto (content/severity.md has "
                    "none); not imported", rec.source_id))
                continue
            stated = _note_level(writer.report, rec, level, hb)
        text = record_text(rec, level, imported.source, stated,
                           accepted.get(rec.source_id, []))
        writer.put(paths[rec.source_id], text, rec.source_id)


def _note_level(report: ImportReport, rec: Record, level: str, hb: Handbook) -> str | None:
    """The `public_impact:` to write when a known impact had no level of its own and was
    mapped to another level (which the report says), else None."""
    lv, impact = hb.level(level), rec.impact
    if lv is None or impact is None or SeverityImpact(lv.public_impact).impact == impact:
        return None  # (an unknown impact: the report says so already)
    report.notes.append(Note(f"impact {impact} has no severity level of its own; mapped "
                             f"to {lv.id} (public_impact {lv.public_impact}), with "
                             f"public_impact: {impact} to publish it as it was",
                             rec.source_id))
    return impact.value
