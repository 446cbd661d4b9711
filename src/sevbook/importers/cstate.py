"""A cState (Hugo) status site -> records.

Reads `config.yml` (`params.systems`, each with `name`, `description`, `category`;
`params.categories` for the groups, in their order) and `content/issues/*.md`
(frontmatter `title`, `date`, `resolved`, `resolvedWhen`, `severity`, `affected`,
`section: issue`; the body's updates `*Investigating* - text {{< track "2018-06-13 14:00:00" >}}`,
newest first, with an optional post-mortem before a `---` line).

Mapping: a system becomes a service (its category the group, unless the category is
`untitled`); an issue an incident whose `affected` systems take the state its `severity`
means (down: major outage, disrupted: partial outage, notice: degraded performance) from
the first update until the resolution. cState times carry no zone: they are read as UTC.
Updates whose marker is `*Update*` keep the status before them. Informational posts
(`informational: true`) have no state and are left out.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from .. import yamlio
from ..errors import SevbookError
from ..model.common import slugify
from ..model.vocab import ComponentStatus, Impact, IncidentStatus, Kind
from .records import Imported, Record, ServiceRecord, UpdateRecord

SEVERITY = {"down": (Impact.CRITICAL, ComponentStatus.MAJOR_OUTAGE),
            "disrupted": (Impact.MAJOR, ComponentStatus.PARTIAL_OUTAGE),
            "notice": (Impact.MINOR, ComponentStatus.DEGRADED_PERFORMANCE)}

_MARK = re.compile(r"^\s*\*([A-Za-z][A-Za-z -]*)\*\s*-\s*", re.M)
_TRACK = re.compile(r"\{\{<\s*track\s+\"([^\"]+)\"\s*>\}\}")


def _yaml(path: Path) -> Any:
    try:
        return yamlio.load_yaml(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yamlio.YamlProblem) as e:
        raise SevbookError(f"{path} cannot be read as YAML ({e})") from None


def when(value: Any) -> datetime | None:
    """A cState time (`2018-04-13 15:54:00`, no zone: UTC), or None."""
    if value is None or value == "":
        return None
    try:
        t = datetime.fromisoformat(str(value).strip().replace("Z", "+00:00"))
    except ValueError:
        return None
    return t if t.tzinfo else t.replace(tzinfo=UTC)


def read_cstate(site: Path) -> Imported:
    """Read a cState site folder (the one with `config.yml`) into records."""
    site = Path(site)
    config = site / "config.yml"
    if not config.is_file():
        raise SevbookError(f"{site} has no config.yml; give the folder of a cState site")
    out = Imported("cstate")
    params = (_yaml(config) or {}).get("params") or {}
    names = _systems(params, out)
    issues = site / "content" / "issues"
    for path in sorted(issues.glob("*.md")) if issues.is_dir() else []:
        rec = _issue(path, names, out)
        if rec is not None:
            out.records.append(rec)
    times = [t for r in out.records for t in (r.resolved_at, r.updates[-1].at) if t]
    out.captured_at = max(times) if times else None
    out.note("cState times have no zone; read as UTC")
    out.note("cState systems have no start date; services have no since:")
    return out


def _systems(params: dict[str, Any], out: Imported) -> dict[str, str]:
    """Services for `params.systems`; system name -> slug."""
    untitled = {c.get("name") for c in params.get("categories") or [] if c.get("untitled")}
    names: dict[str, str] = {}
    for s in params.get("systems") or []:
        name = str(s.get("name") or "").strip()
        if not name:
            continue
        slug, n = slugify(name, "system"), 1
        while slug in names.values():
            n += 1
            slug = f"{slugify(name, 'system')}-{n}"
        names[name] = slug
        cat = s.get("category")
        out.services.append(ServiceRecord(name, slug, name,
                                          None if cat in untitled else cat,
                                          str(s.get("description") or "").strip()))
        if s.get("link"):
            out.note(f"system link {s['link']} is not shown on the status page", name)
    return names


def _frontmatter(path: Path, out: Imported) -> tuple[dict[str, Any], str] | None:
    parts = yamlio.split_frontmatter(path.read_text(encoding="utf-8"))
    if parts is None:
        out.note("no frontmatter; left out", path.name)
        return None
    try:
        meta = yamlio.load_yaml(parts[0]) or {}
    except yamlio.YamlProblem as e:
        out.note(f"frontmatter is not valid YAML ({e}); left out", path.name)
        return None
    return meta, parts[1]


def _issue(path: Path, names: dict[str, str], out: Imported) -> Record | None:
    """One `content/issues/*.md` as an incident (None for informational posts)."""
    parsed = _frontmatter(path, out)
    if parsed is None:
        return None
    meta, body = parsed
    where = path.name
    if meta.get("informational") or meta.get("severity") is None:
        out.note("informational post (no severity, no state): left out", where)
        return None
    start = when(meta.get("date"))
    if start is None:
        out.note("no readable date:; left out", where)
        return None
    impact, state = SEVERITY.get(str(meta.get("severity")), (Impact.NONE,
                                                            ComponentStatus.OPERATIONAL))
    if str(meta.get("severity")) not in SEVERITY:
        out.note(f"severity {meta.get('severity')!r} is not down/disrupted/notice; "
                 "mapped as impact none", where)
    affected = [names[a] for a in meta.get("affected") or [] if a in names]
    for a in meta.get("affected") or []:
        if a not in names:
            out.note(f"affected system {a!r} is not in config.yml; left out", where)
    summary, updates = _updates(body, start, where, out)
    rec = Record(path.stem, str(meta.get("title") or path.stem).strip(), Kind.INCIDENT,
                 impact, min([start] + [u.at for u in updates[:1]]), None, updates,
                 affected, public_summary=summary)
    if affected:
        rec.updates[0].components = {s: state.value for s in affected}
    if meta.get("resolved"):
        _resolve(rec, when(meta.get("resolvedWhen")) or rec.updates[-1].at, affected,
                 where, out)
    return rec


def _updates(body: str, start: datetime, where: str,
             out: Imported) -> tuple[str | None, list[UpdateRecord]]:
    """(post-mortem text, updates oldest first) from an issue body."""
    summary = None
    if re.search(r"^\s*\*Post-mortem\*", body, re.M) and re.search(r"^---\s*$", body, re.M):
        head, body = re.split(r"^---\s*$", body, maxsplit=1, flags=re.M)
        summary = re.sub(r"^\s*\*Post-mortem\*\s*", "", head).strip() or None
    marks = list(_MARK.finditer(body))
    if not marks:
        return summary, [UpdateRecord(start, IncidentStatus.INVESTIGATING, body.strip())]
    found: list[tuple[str, str, datetime | None]] = []
    for m, nxt in zip(marks, marks[1:] + [None], strict=True):
        text = body[m.end(): nxt.start() if nxt else len(body)]
        track = _TRACK.search(text)
        found.append((m.group(1).strip().lower(), _TRACK.sub("", text).strip(),
                      when(track.group(1)) if track else None))
    if any(t is None for _, _, t in found):
        out.note("updates without a {{< track >}} time are placed at the issue's date", where)
    ups: list[UpdateRecord] = []
    status = IncidentStatus.INVESTIGATING.value
    for word, text, at in reversed(found):  # cState lists them newest first
        status = word if word in IncidentStatus.words() else status
        ups.append(UpdateRecord(at or start, status, text))
    ups.sort(key=lambda u: u.at)
    return summary, ups


def _resolve(rec: Record, resolved: datetime, affected: list[str], where: str,
             out: Imported) -> None:
    """Make the last update the resolution (cState marks an issue resolved in its
    frontmatter, not always with an update), at or after every update."""
    last = rec.updates[-1]
    if resolved < last.at:
        out.note(f"resolvedWhen {resolved.isoformat()} is before its last update; resolved "
                 "at the last update instead", where)
        resolved = last.at
    if last.at == resolved or last.status == IncidentStatus.RESOLVED:
        last.status = IncidentStatus.RESOLVED.value
        resolved = last.at
    else:
        rec.updates.append(UpdateRecord(resolved, IncidentStatus.RESOLVED.value, ""))
        out.note("resolved without a resolving update; one without a message was added at "
                 "resolvedWhen", where)
    rec.updates[-1].components = {s: ComponentStatus.OPERATIONAL.value for s in affected}
    rec.resolved_at = resolved
