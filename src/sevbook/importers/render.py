"""Records -> the text of service and incident files, in the style `sevbook new` writes.

Files are written as text (not dumped by a YAML library) so they read like the rest of the
repository, and every scalar goes through `edit.yamltext.scalar`, which quotes exactly when
YAML 1.1 or 1.2 would otherwise read the value differently.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime

from ..edit.yamltext import scalar
from ..model.vocab import Kind
from .records import Record, ServiceRecord

ACCEPTED_BY = "sevbook import"
"""The `by:` of the acceptances an import writes."""


def instant(t: datetime) -> str:
    """UTC with `Z`, keeping milliseconds when the source had them (Statuspage does)."""
    t = t.astimezone(UTC)
    if t.microsecond:
        return t.strftime("%Y-%m-%dT%H:%M:%S.") + f"{t.microsecond // 1000:03d}Z"
    return t.strftime("%Y-%m-%dT%H:%M:%SZ")


def _kv(key: str, value: str, indent: int = 0) -> str:
    pad = " " * indent
    return f"{pad}{key}: {scalar(value, indent=indent + 2)}"


def service_text(svc: ServiceRecord, owner: str | None, source: str) -> str:
    lines = ["---", _kv("name", svc.name)]
    if owner:
        lines.append(_kv("owner", owner))
    lines += ["status_page:", _kv("name", svc.name, 2)]
    if svc.public_id:
        lines.append(_kv("public_id", svc.public_id, 2))
    if svc.group:
        lines.append(_kv("group", svc.group, 2))
    if svc.description:
        lines.append(_kv("description", svc.description, 2))
    if svc.since:
        lines.append(f"  since: {svc.since.isoformat()}")
    if svc.position is not None:
        lines.append(f"  position: {svc.position}")
    if svc.group_position is not None:
        lines.append(f"  group_position: {svc.group_position}")
    if not svc.showcase:
        lines.append("  showcase: false")
    if svc.status:
        lines.append("  status:")
        lines += [f"    - {{at: {instant(at)}, status: {state}}}" for at, state in svc.status]
    lines += ["---", "", f"# {svc.name}", "",
              f"Imported from {source} (component `{svc.source_id}`). Describe what the "
              "service does, who runs it and its dashboards here.", ""]
    return "\n".join(lines)


def _update_lines(rec: Record) -> list[str]:
    out = ["updates:"]
    for u in rec.updates:
        out += [f"  - at: {instant(u.at)}", f"    status: {u.status}"]
        if u.message:
            out.append(_kv("message", u.message, 4))
        if u.components:
            pairs = ", ".join(f"{k}: {v}" for k, v in u.components.items())
            out.append(f"    components: {{{pairs}}}")
        if u.created_at is not None:
            out.append(f"    created_at: {instant(u.created_at)}")
        if not u.notify:
            out.append("    notify: false")
    return out


def _accepted_lines(accepted: Sequence[tuple[str, str]]) -> list[str]:
    """`accepted:` with one entry per (code, reason), or nothing."""
    out = ["accepted:"] if accepted else []
    for code, why in accepted:
        out += [f"  - code: {code}", _kv("reason", why, 4), _kv("by", ACCEPTED_BY, 4)]
    return out


def record_text(rec: Record, severity: str | None, source: str,
                public_impact: str | None = None,
                accepted: Sequence[tuple[str, str]] = ()) -> str:
    """The incident file for `rec`, with the source's id as `public_id:`. `public_impact`: the
    impact to publish when the severity level's differs; `accepted`: (code, reason) of the
    warnings it accepts as history."""
    lines = ["---", _kv("title", rec.title)]
    lines.append(_kv("public_id", rec.source_id))
    if rec.kind == Kind.MAINTENANCE:
        lines.append("kind: maintenance")
    if severity:
        lines.append(_kv("severity", severity))
    if public_impact:
        lines.append(f"public_impact: {public_impact}")
    if rec.services:
        lines.append("services: [" + ", ".join(rec.services) + "]")
    if rec.kind == Kind.MAINTENANCE and rec.scheduled_for and rec.scheduled_until:
        lines += [f"scheduled_for: {instant(rec.scheduled_for)}",
                  f"scheduled_until: {instant(rec.scheduled_until)}"]
    if rec.kind == Kind.MAINTENANCE and rec.announced_at:
        lines.append(f"announced_at: {instant(rec.announced_at)}")
    if rec.maintenance_impact:
        lines.append(f"maintenance_impact: {rec.maintenance_impact}")
    if rec.started_at:
        lines.append(f"started_at: {instant(rec.started_at)}")
    if rec.resolved_at:
        lines.append(f"resolved_at: {instant(rec.resolved_at)}")
    lines += ["public: true", _kv("public_title", rec.title)]
    lines += _accepted_lines(accepted)
    lines += _update_lines(rec)
    if rec.public_summary:
        lines += ["postmortem:", _kv("public_summary", rec.public_summary, 2)]
    where = f" ({rec.link})" if rec.link else ""
    lines += ["---", "", f"Imported from {source}: {rec.source_id}{where}. The public record "
              "above is as it was published; add the internal timeline, roles and "
              "postmortem here.", ""]
    return "\n".join(lines)
