"""What `sevbook notify` prints: the events, on a dry run the messages, and the summary
(sent / skipped / failed per channel), as text or JSON."""

from __future__ import annotations

import json
from typing import Any

from ..times import utc_z
from .events import Event
from .run import ChannelResult, Report
from .state import PublicState
from .wording import message, text


def event_ids(e: Event) -> dict[str, Any]:
    return {"event": str(e.kind), "id": e.id,
            "incident_id": e.incident.id if e.incident else None,
            "update_id": e.update.id if e.update else None,
            "component_id": e.component.id if e.component else None,
            "at": utc_z(e.at)}


def _ids_text(e: Event) -> str:
    parts = [str(e.kind)]
    if e.incident:
        parts.append(f"incident {e.incident.id}")
    if e.update:
        parts.append(f"update {e.update.id}")
    if e.component:
        parts.append(f"component {e.component.id}")
    return "  ".join(parts + [utc_z(e.at)])


def _channel_line(c: ChannelResult, dry_run: bool) -> str:
    if dry_run:
        return (f"{c.name} ({c.type}): {len(c.planned)} would be sent, {c.skipped} skipped"
                + "".join(f"\n  problem: {err}" for err in c.errors))
    return (f"{c.name} ({c.type}): {c.sent} sent, {c.skipped} skipped, {c.failed} failed"
            + "".join(f"\n  {err}" for err in c.errors))


def _headline(report: Report) -> str:
    if report.first_deploy and not report.events:
        return ("no previously published page (a first deploy): nothing is sent; pass "
                "--first-deploy-sends to announce what is active now")
    n = len(report.events)
    extra = []
    if report.silent:
        extra.append(f"{len(report.silent)} silent, not sent")
    if report.over_cap:
        extra.append(f"{len(report.over_cap)} over the per-run cap (notify.max_events), "
                     "not sent")
    tail = f" ({'; '.join(extra)})" if extra else ""
    return f"{n} new event{'' if n == 1 else 's'}{tail}"


def _page_name(report: Report, name_default: bool) -> str:
    if report.page:
        return f"status page {report.page!r}: "
    return "default status page: " if name_default else ""


def to_text(report: Report, state: PublicState, name_default: bool = False) -> str:
    """The summary; `name_default` (with --all-pages) names the default page too."""
    lines = [("dry run: " if report.dry_run else "") + _page_name(report, name_default)
             + _headline(report)]
    for e in report.events:
        mark = " (silent: not sent)" if e.silent else (
            " (over the cap: not sent)" if e in report.over_cap else "")
        lines.append(f"\n{_ids_text(e)}{mark}")
        if report.dry_run:
            lines += ["    " + line if line else "" for line in
                      text(message(e, state)).rstrip("\n").split("\n")]
            for c in report.channels:
                to = [d.to for d in c.planned if d.event is e]
                if to:
                    who = f" ({', '.join(dict.fromkeys(to))})" if any(to) else ""
                    lines.append(f"  -> {c.name} ({c.type}): {len(to)} message"
                                 f"{'' if len(to) == 1 else 's'}{who}")
    if not report.channels:
        lines.append("\nno channel is configured (notify: channels: in mkdocs.yml): "
                     "nothing is sent")
    else:
        lines.append("")
        lines += [_channel_line(c, report.dry_run) for c in report.channels]
    return "\n".join(lines)


def _delivery(d: Any, c: ChannelResult) -> dict[str, Any]:
    return {"channel": c.name, "type": c.type, **event_ids(d.event), "to": d.to or None,
            "message": d.shown_body()}


def to_json(report: Report) -> str:
    return json.dumps(_json_doc(report), indent=2, ensure_ascii=False)


def to_json_pages(reports: list[Report]) -> str:
    """--all-pages: `{"pages": [...]}`, one object per page, each with its `page` id ('' the
    default page)."""
    docs = [{"page": r.page} | _json_doc(r) for r in reports]
    return json.dumps({"pages": docs}, indent=2, ensure_ascii=False)


def _json_doc(report: Report) -> dict[str, Any]:
    doc: dict[str, Any] = {"page": report.page} if report.page else {}
    doc |= {
        "dry_run": report.dry_run,
        "first_deploy": report.first_deploy,
        "events": [{**event_ids(e), "silent": e.silent,
                    "over_cap": e in report.over_cap} for e in report.events],
        "channels": [{"name": c.name, "type": c.type, "sent": c.sent, "skipped": c.skipped,
                      "failed": c.failed, "errors": c.errors} for c in report.channels],
    }
    if report.dry_run:
        doc["deliveries"] = [_delivery(d, c) for c in report.channels for d in c.planned]
    return doc
