"""Saved Statuspage v2 responses -> records.

Reads any of `summary.json`, `components.json`, `incidents.json`,
`incidents/unresolved.json`, `scheduled-maintenances.json` (and its `upcoming`/`active`
views), given as files or as folders holding them, plus `history.atom` (`feed.py`) for
incidents beyond the API's last 50. Documents are recognised by their keys, not their
names; an incident seen in several documents is taken from the one updated last.

Mapping (what cannot be carried over is added to the notes the report prints):

* a component becomes a service with a `status_page` block: name, group (the name of its
  group component), description, `since` = the date it was created, `position` (and its
  group's as `group_position`), `showcase`, and `public_id` = Statuspage's component id
  (also in the file's import marker), so the API keeps publishing it;
* an incident or maintenance becomes `incidents/<date>-<slug>.md` with `public_id:` = the
  Statuspage id, every update (time = `display_at`, what the page shows; status; body as
  Markdown; affected components with their new status), `started_at`, `resolved_at`, and
  for maintenance the window;
* `postmortem` updates become `postmortem.public_summary`.
"""

from __future__ import annotations

import json
import re
from datetime import datetime
from pathlib import Path
from typing import Any

from ..errors import SevbookError
from ..model.common import PUBLIC_ID_PATTERN, slugify, unique_slug
from ..model.vocab import ComponentStatus, Impact, Kind, MaintenanceImpact
from ..times import utc_precise
from .feed import read_feed
from .html import to_markdown
from .records import Imported, Record, ServiceRecord, UpdateRecord

KNOWN = ("summary.json", "components.json", "incidents.json", "incidents/unresolved.json",
         "scheduled-maintenances.json", "scheduled-maintenances/upcoming.json",
         "scheduled-maintenances/active.json", "history.atom")


def _files(paths: list[Path]) -> list[Path]:
    out: list[Path] = []
    for p in paths:
        if p.is_dir():
            found = [p / k for k in KNOWN if (p / k).is_file()]
            found += [p / "api" / "v2" / k for k in KNOWN if (p / "api" / "v2" / k).is_file()]
            if not found:
                raise SevbookError(f"{p} holds none of {', '.join(KNOWN)}")
            out += found
        elif p.is_file():
            out.append(p)
        else:
            raise SevbookError(f"{p} does not exist; give saved Statuspage responses "
                               "(summary.json, incidents.json, ...) or a folder of them")
    return out


def _json(path: Path) -> dict[str, Any]:
    try:
        doc = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as e:
        raise SevbookError(f"{path} is not a readable JSON document ({e})") from None
    if not isinstance(doc, dict):
        raise SevbookError(f"{path} is not a Statuspage response (expected an object)")
    return doc


def ts(value: Any) -> datetime | None:
    """A Statuspage timestamp (`2022-11-25T15:50:04.967Z`, `...-06:00`), or None."""
    if not value:
        return None
    return datetime.fromisoformat(str(value).replace("Z", "+00:00"))


class _Capture:
    """Every document of one page, merged."""

    def __init__(self) -> None:
        self.page: dict[str, Any] = {}
        self.components: dict[str, dict[str, Any]] = {}
        self.incidents: dict[str, dict[str, Any]] = {}
        self.maintenance_ids: set[str] = set()

    def add(self, doc: dict[str, Any]) -> None:
        self.page = self.page or doc.get("page") or {}
        for c in doc.get("components") or []:
            self.components.setdefault(c["id"], c)
        for i in doc.get("incidents") or []:
            self._incident(i)
        for m in doc.get("scheduled_maintenances") or []:
            self.maintenance_ids.add(m["id"])
            self._incident(m)

    def _incident(self, inc: dict[str, Any]) -> None:
        old = self.incidents.get(inc["id"])
        if old is None or str(inc.get("updated_at") or "") > str(old.get("updated_at") or ""):
            self.incidents[inc["id"]] = inc
        for c in inc.get("components") or []:
            self.components.setdefault(c["id"], c)


def read_statuspage(paths: list[Path]) -> Imported:
    """Read saved Statuspage responses (files or folders of them) into records."""
    cap, out = _Capture(), Imported("statuspage")
    for path in _files([Path(p) for p in paths]):
        if path.suffix == ".atom":
            for inc in read_feed(path, out):
                if inc["id"] not in cap.incidents:
                    cap.incidents[inc["id"]] = inc
        else:
            cap.add(_json(path))
    ids = _services(cap, out)
    for inc in sorted(cap.incidents.values(), key=lambda i: (i.get("created_at") or "", i["id"])):
        rec = _record(inc, inc["id"] in cap.maintenance_ids, ids, out)
        if rec is not None:
            out.records.append(rec)
    _current_states(cap, ids, out)
    out.captured_at = _captured_at(cap, out)
    return out


def _referenced(cap: _Capture) -> dict[str, str]:
    """Components that updates name but no components list has (older or partial
    captures): id -> name."""
    refs: dict[str, str] = {}
    for inc in cap.incidents.values():
        for u in inc.get("incident_updates") or []:
            for a in u.get("affected_components") or []:
                if a.get("code") and a["code"] not in cap.components:
                    refs.setdefault(a["code"], a.get("name") or a["code"])
    return refs


def _services(cap: _Capture, out: Imported) -> dict[str, str]:
    """Services for every component (groups become group names); component id -> slug."""
    groups = {i: c for i, c in cap.components.items() if c.get("group")}
    members = sorted((c for c in cap.components.values() if not c.get("group")),
                     key=lambda c: (c.get("position") or 0, c.get("name") or "", c["id"]))
    taken: set[str] = set()
    ids: dict[str, str] = {}
    for c in members:
        slug = unique_slug(slugify(c.get("name") or "", c["id"]), taken)
        ids[c["id"]] = slug
        group = _group(c, groups, out)
        in_capture = not c.get("group_id") or group is not None
        out.services.append(ServiceRecord(
            c["id"], slug, c.get("name") or c["id"], group,
            (c.get("description") or "").strip(), _day(c.get("created_at")),
            _position(c) if in_capture else None,
            _position(groups[c["group_id"]]) if group is not None else None,
            c.get("showcase") is not False, public_id=_public_id(c["id"], out)))
        _component_notes(c, out)
    for cid, name in sorted(_referenced(cap).items()):
        slug = unique_slug(slugify(name, cid), taken)
        ids[cid] = slug
        out.services.append(ServiceRecord(cid, slug, name, public_id=_public_id(cid, out)))
        out.note("known only from incident updates (no components list in the capture): "
                 "imported without group, description or start date", cid)
    for g in groups.values():
        if g.get("group_id"):
            out.note(f"group '{g.get('name')}' is inside another group; sevbook groups are "
                     "one level, so it is a top-level group", g["id"])
    return ids


def _public_id(cid: str, out: Imported) -> str | None:
    """Statuspage's component id, kept as `status_page.public_id` when it is a valid
    public id (Statuspage's are 12 lowercase letters and digits)."""
    if re.match(PUBLIC_ID_PATTERN, cid):
        return cid
    out.note("its id is not a valid public id (6 to 80 lowercase letters, digits and "
             "dashes); published under the service id", cid)
    return None


def _position(c: dict[str, Any]) -> int | None:
    pos = c.get("position")
    return pos if isinstance(pos, int) and not isinstance(pos, bool) and pos >= 0 else None


def _group(c: dict[str, Any], groups: dict[str, dict[str, Any]], out: Imported) -> str | None:
    gid = c.get("group_id")
    if not gid:
        return None
    if gid in groups:
        return groups[gid].get("name") or gid
    out.note(f"its group {gid} is not in the capture (a hidden group, or components.json "
             "was not saved); imported without a group", c["id"])
    return None


def _component_notes(c: dict[str, Any], out: Imported) -> None:
    if c.get("only_show_if_degraded"):
        out.note("only_show_if_degraded is not supported: the component is always shown",
                 c["id"])
    start = c.get("start_date")
    created = _day(c.get("created_at"))
    if start and created and start != created.isoformat():
        out.note(f"start_date {start} differs from created_at {created}; since: is "
                 "the creation date", c["id"])




def _day(value: Any):
    t = ts(value)
    return t.date() if t else None


def _record(inc: dict[str, Any], listed_as_maintenance: bool, ids: dict[str, str],
            out: Imported) -> Record | None:
    """One Statuspage incident or maintenance as a record (None if it has nothing to show)."""
    iid = inc["id"]
    maintenance = listed_as_maintenance or bool(inc.get("scheduled_for")) \
        or inc.get("impact") == "maintenance"
    kind = Kind.MAINTENANCE if maintenance else Kind.INCIDENT
    updates, summary = _updates(inc, kind, ids, out)
    if not updates:
        out.note("has no updates to show; not imported", iid)
        return None
    rec = Record(iid, (inc.get("name") or iid).strip(), kind, _impact(inc, kind, out),
                 ts(inc.get("started_at")) or ts(inc.get("created_at")), None, updates,
                 public_summary=summary, link=inc.get("shortlink"))
    rec.services = sorted({ids[c["id"]] for c in inc.get("components") or [] if c["id"] in ids}
                          | {s for u in updates for s in u.components})
    if kind == Kind.MAINTENANCE:
        rec.scheduled_for, rec.scheduled_until = (ts(inc.get("scheduled_for")),
                                                  ts(inc.get("scheduled_until")))
        # Statuspage's started_at of a maintenance is when it was announced: sevbook's
        # announced_at (its API's started_at); sevbook's started_at is when the work
        # began, which the window gives.
        rec.announced_at = _announcement(rec, iid, out)
        rec.started_at = None
        if rec.impact is not None and rec.impact != Impact.MAINTENANCE:
            rec.maintenance_impact = rec.impact.value
        for flag in ("scheduled_auto_in_progress", "scheduled_auto_completed",
                     "scheduled_remind_prior", "reminder_intervals"):
            if inc.get(flag):
                out.note(f"{flag} is not supported (the window decides the status)", iid)
    elif rec.started_at and updates[0].at < rec.started_at:
        rec.started_at = updates[0].at  # a backdated first update: impact began by then
    _resolution(inc, rec, out)
    return rec


def _announcement(rec: Record, iid: str, out: Imported) -> datetime | None:
    """A maintenance's announcement time (its Statuspage `started_at`, else `created_at`,
    already in `rec.started_at`), kept when it is at or before the window opens."""
    announced, start = rec.started_at, rec.scheduled_for
    if announced is not None and start is not None and announced > start:
        out.note(f"started_at {utc_precise(announced)} (the announcement) is after "
                 f"scheduled_for {utc_precise(start)}; no announced_at (the first update "
                 "announces it)", iid)
        return None
    return announced


def _impact(inc: dict[str, Any], kind: Kind, out: Imported) -> Impact | None:
    word = inc.get("impact")
    if kind == Kind.MAINTENANCE:
        if word not in (None, *MaintenanceImpact.words()):
            out.note(f"maintenance impact {word!r} is not one of "
                     f"{', '.join(MaintenanceImpact.words())}; published as maintenance",
                     inc["id"])
            return Impact.MAINTENANCE
        return Impact(word or "maintenance")
    if "impact" in inc and word is None:
        return None  # unknown (history.atom): mapped like none, not published as none
    if word in Impact.words() and word != "maintenance":
        return Impact(word)
    out.note(f"impact {word!r} is not one of none/minor/major/critical; mapped as none",
             inc["id"])
    return Impact.NONE


def _updates(inc: dict[str, Any], kind: Kind, ids: dict[str, str],
             out: Imported) -> tuple[list[UpdateRecord], str | None]:
    """Updates oldest first (Statuspage lists them newest first), and the postmortem text."""
    statuses = kind.statuses.words()
    raw = sorted(inc.get("incident_updates") or [],
                 key=lambda u: (u.get("display_at") or u.get("created_at") or "",
                                u.get("created_at") or "", u.get("id") or ""))
    ups: list[UpdateRecord] = []
    summary: str | None = None
    for u in raw:
        body = to_markdown(u.get("body") or "")
        if u.get("status") == "postmortem":
            summary = body
            continue
        if u.get("status") not in statuses:
            out.note(f"update {u.get('id')} has status {u.get('status')!r}, not one of "
                     f"{', '.join(statuses)}; left out", inc["id"])
            continue
        at = ts(u.get("display_at")) or ts(u.get("created_at"))
        if at is None:
            out.note(f"update {u.get('id')} has no time; left out", inc["id"])
            continue
        created = ts(u.get("created_at"))
        ups.append(UpdateRecord(at, u["status"], body, _changes(u, ids),
                                created if created is not None and created != at else None,
                                u.get("deliver_notifications") is not False))
    if summary is not None:
        out.note("its postmortem update became postmortem.public_summary", inc["id"])
    return ups, summary


def _changes(u: dict[str, Any], ids: dict[str, str]) -> dict[str, str]:
    """Component slug -> the status this update set (entries without a component, like
    "No components were affected by this update.", are left out)."""
    out: dict[str, str] = {}
    for a in u.get("affected_components") or []:
        code, new = a.get("code"), a.get("new_status")
        if code in ids and new in ComponentStatus.words():
            out[ids[code]] = new
    return out


def _resolution(inc: dict[str, Any], rec: Record, out: Imported) -> None:
    """`resolved_at` = the time of the final update, which check requires to be last; a
    resolved incident without one gets an empty final update at its resolved_at."""
    final = rec.kind.terminal
    done = inc.get("status") in (final, "postmortem") or inc.get("resolved_at") is not None
    if rec.updates[-1].status == final:
        rec.resolved_at = rec.updates[-1].at
    elif done:
        at = ts(inc.get("resolved_at")) or rec.updates[-1].at
        at = max(at, rec.updates[-1].at)
        rec.updates.append(UpdateRecord(at, final, ""))
        rec.resolved_at = at
        out.note(f"was {final} without a final '{final}' update; one without a message was "
                 "added at its resolved_at", inc["id"])
    elif any(u.status == final for u in rec.updates):
        out.note(f"has a '{final}' update that is not its last; check will say so", inc["id"])


def _open_states(cap: _Capture) -> dict[str, str]:
    """Component id -> the state the open incidents' latest updates leave it in (the
    worst, when several hold it)."""
    held: dict[str, str] = {}
    for inc in cap.incidents.values():
        if inc.get("status") in ("resolved", "postmortem", "completed"):
            continue
        ups = sorted(inc.get("incident_updates") or [],
                     key=lambda u: u.get("display_at") or u.get("created_at") or "")
        for u in ups:  # oldest first: a later update overrides
            for a in u.get("affected_components") or []:
                if a.get("code") and a.get("new_status") in ComponentStatus.words():
                    held[a["code"]] = a["new_status"]
        for c in inc.get("components") or []:
            held.setdefault(c["id"], c.get("status") or "operational")
    return held


def _current_states(cap: _Capture, ids: dict[str, str], out: Imported) -> None:
    """Components whose status at capture time no open incident explains (set directly
    on Statuspage) get that status as a `status_page.status` entry at their updated_at."""
    held = _open_states(cap)
    by_id = {s.source_id: s for s in out.services}
    for cid, c in cap.components.items():
        state, at = c.get("status"), ts(c.get("updated_at"))
        if c.get("group") or cid not in by_id or state not in ComponentStatus.words():
            continue
        if state != held.get(cid, "operational") and at is not None:
            by_id[cid].status.append((at, state))
            out.note(f"is {state} at capture time, which no open incident explains; "
                     "written as a status set without an incident", cid)


def _captured_at(cap: _Capture, out: Imported) -> datetime | None:
    times = [ts(cap.page.get("updated_at"))]
    times += [u.at for r in out.records for u in r.updates]
    times += [t for r in out.records for t in (r.resolved_at,)]
    found = [t for t in times if t is not None]
    return max(found) if found else None
