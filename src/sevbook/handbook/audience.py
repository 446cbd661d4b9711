"""Who a handbook build is for: everyone, or the responders of restricted incidents.

A restricted incident (`restricted: true`, security incidents) is kept to its responders.
The handbook every reader gets shows it as a **stub**: its id, times, severity, status and
role holders, nothing of its title, body, timeline, updates' wording, postmortem text,
action item titles, links, labels, custom fields, data-loss window or related incidents.

The stub is not a rule every page must remember: `for_everyone` replaces each restricted
incident of the handbook by a stub model before any page sees it (`Context` calls it), so a
page that reads `inc.title` or `inc.body` reads the stub's words. The stub is built from an
allow-list (`KEPT`): a field added to `Incident` later is left out of it until someone
decides otherwise (`tests/test_restricted.py` fails until every field is classified).
Counts and durations stay right: the stub keeps every time, severity, service, impact
phase and action item state the metrics read.

Warnings `sevbook check` reports about a restricted incident's file keep their line, code
and field but not their message (a message may quote a title).
"""

from __future__ import annotations

import dataclasses
from typing import Any

from ..diagnostics import Diagnostic
from ..model import ActionItem, Handbook, Incident, Postmortem, Update
from ..model.record import SeverityChange

STUB_TITLE = "Restricted incident"
"""What every page of the everyone build calls a restricted incident."""
STUB_ACTION = "Restricted action item"
"""What the action-items rollup calls an action item of a restricted incident."""
STUB_MESSAGE = ("(the message is about a restricted incident and is not in this handbook; "
                "`sevbook check` prints it)")

KEPT = frozenset({
    "kind", "severity", "services", "started_at", "detected_at", "acknowledged_at",
    "mitigated_at", "resolved_at", "roles", "runbooks", "public", "public_id",
    "scheduled_for", "scheduled_until", "maintenance_impact", "public_impact", "type",
    "time_precision", "impact", "count_in_uptime", "restricted", "announced_at",
})
"""Incident fields a stub keeps as they are: times, ids, states and names, no prose."""
REWRITTEN = frozenset({"title", "updates", "postmortem", "action_items", "severity_history"})
"""Fields a stub keeps in part: their times and states, without their words."""
DROPPED = frozenset({"public_title", "timeline", "accepted", "labels", "links", "related",
                     "fields", "data_loss", "translations"})
"""Fields a stub leaves at their defaults."""


def stub(inc: Incident) -> Incident:
    """The stub of a restricted incident: only what `KEPT` and `REWRITTEN` allow."""
    kept: dict[str, Any] = {name: getattr(inc, name) for name in KEPT}
    kept["title"] = STUB_TITLE
    kept["updates"] = [Update.model_construct(
        at=u.at, status=u.status, components=u.components, created_at=u.created_at,
        notify=u.notify) for u in inc.updates]
    pm = inc.postmortem
    kept["postmortem"] = Postmortem.model_construct(status=pm.status, owner=pm.owner,
                                                    published_at=pm.published_at)
    kept["action_items"] = [ActionItem.model_construct(
        title=STUB_ACTION, owner=ai.owner, due=ai.due, status=ai.status, type=ai.type,
        done_at=ai.done_at, priority=ai.priority) for ai in inc.action_items]
    kept["severity_history"] = [SeverityChange.model_construct(at=c.at, severity=c.severity)
                                for c in inc.severity_history]
    return Incident.model_construct(**kept).bind(inc.id, inc.path, "")


def for_everyone(handbook: Handbook,
                 diagnostics: list[Diagnostic]) -> tuple[Handbook, list[Diagnostic]]:
    """The handbook and warnings as every reader may see them: each restricted incident
    replaced by its `stub`, and the messages about its file left out. Without restricted
    incidents both are returned as they are."""
    restricted = {inc.path for inc in handbook.incidents.values() if inc.restricted}
    if not restricted:
        return handbook, diagnostics
    incidents = {k: stub(inc) if inc.restricted else inc
                 for k, inc in handbook.incidents.items()}
    diags = [dataclasses.replace(d, message=STUB_MESSAGE) if d.file in restricted else d
             for d in diagnostics]
    return dataclasses.replace(handbook, incidents=incidents), diags
