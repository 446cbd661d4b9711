"""Field-by-field comparison of a Statuspage capture with the API sevbook builds from its
import (used by test_import_statuspage.py; run as a script to print the figures)."""

from __future__ import annotations

import html
import re
from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any


def text(body: str | None) -> str:
    """An update body as readers see it: tags and Markdown marks gone, spaces collapsed."""
    t = html.unescape(re.sub(r"<[^>]+>", " ", body or ""))
    t = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", t)
    return " ".join(t.replace("*", "").split())


def second(ts: str | None) -> str | None:
    if ts is None:
        return None
    t = datetime.fromisoformat(ts.replace("Z", "+00:00")).astimezone(UTC)
    return t.strftime("%Y-%m-%dT%H:%M:%SZ")


class Tally:
    """agree/total per field."""

    def __init__(self) -> None:
        self.fields: dict[str, list[int]] = {}
        self.diffs: dict[str, list[str]] = {}

    def add(self, field: str, want: Any, got: Any, where: str = "") -> None:
        a = self.fields.setdefault(field, [0, 0])
        a[1] += 1
        if want == got:
            a[0] += 1
        else:
            self.diffs.setdefault(field, []).append(f"{where}: {want!r} != {got!r}")

    def figures(self) -> dict[str, tuple[int, int]]:
        return {k: (v[0], v[1]) for k, v in self.fields.items()}


def _groups(comps: Iterable[dict[str, Any]]) -> dict[str, str]:
    return {c["id"]: c["name"] for c in comps if c.get("group")}


def compare_components(orig: list[dict[str, Any]], built: list[dict[str, Any]],
                       tally: Tally) -> None:
    og, bg = _groups(orig), _groups(built)
    ob = {c["name"]: c for c in built if not c.get("group")}
    members = [c for c in orig if not c.get("group")]
    for c in members:
        b = ob.get(c["name"])
        tally.add("component name", c["name"], b and b["name"], c["id"])
        if b is None:
            continue
        tally.add("component group", og.get(c.get("group_id") or ""),
                  bg.get(b.get("group_id") or ""), c["name"])
        tally.add("component status", c["status"], b["status"], c["name"])
        tally.add("component description", c.get("description") or None,
                  b.get("description"), c["name"])
        tally.add("component id", c["id"], b["id"], c["name"])
    want = [c["name"] for c in sorted(members, key=lambda c: (c.get("group_id") or "",
                                                               c.get("position") or 0))]
    got = [c["name"] for c in built if not c.get("group") and c["name"] in set(want)]
    tally.add("component order", want, got, "components")


def compare_incidents(orig: list[dict[str, Any]], built: list[dict[str, Any]],
                      tally: Tally) -> None:
    for i in orig:
        b = _match(i, built)
        tally.add("incident name", i["name"], b and b["name"], i["id"])
        if b is None:
            continue
        tally.add("incident id", i["id"], b["id"], i["name"])
        tally.add("incident status", i["status"], b["status"], i["name"])
        tally.add("incident impact", i["impact"], b["impact"], i["name"])
        if "components" in i:
            tally.add("incident component ids", sorted(c["id"] for c in i["components"]),
                      sorted(c["id"] for c in b["components"]), i["name"])
        for key in ("scheduled_for", "scheduled_until"):
            if key in i:
                tally.add(f"maintenance {key}", second(i[key]), second(b.get(key)), i["name"])
        if "scheduled_for" in i:  # the announcement, to the millisecond
            tally.add("maintenance started_at", i.get("started_at"), b.get("started_at"),
                      i["name"])
        _updates(i, b, tally)


def _times(i: dict[str, Any]) -> set[str | None]:
    return {second(u.get("display_at") or u.get("created_at")) for u in i["incident_updates"]}


def _match(i: dict[str, Any], built: list[dict[str, Any]]) -> dict[str, Any] | None:
    """The built incident for `i`: same name, most update times in common (names repeat)."""
    same = [b for b in built if b["name"] == i["name"]]
    return max(same, key=lambda b: len(_times(b) & _times(i)), default=None)


def _updates(i: dict[str, Any], b: dict[str, Any], tally: Tally) -> None:
    ours: dict[tuple[str | None, str], dict[str, Any]] = {
        (second(u["display_at"]), u["status"]): u for u in b["incident_updates"]}
    theirs = [u for u in i["incident_updates"] if u["status"] != "postmortem"]
    tally.add("update count", len(theirs), len(b["incident_updates"]), i["name"])
    for u in theirs:
        at = second(u.get("display_at") or u["created_at"])
        mine = ours.get((at, u["status"]))
        tally.add("update time", at, mine and at, f"{i['name']} {u['id']}")
        if mine is None:
            continue
        tally.add("update status", u["status"], mine["status"], u["id"])
        tally.add("update body", text(u["body"]), text(mine["body"]), u["id"])
        tally.add("update created_at", second(u["created_at"]), second(mine["created_at"]),
                  u["id"])
        want = sorted((a["name"], a["new_status"]) for a in u["affected_components"] or []
                      if a.get("code"))
        got = sorted((a["name"], a["new_status"]) for a in mine["affected_components"] or [])
        tally.add("update affected components", want, got, u["id"])
        tally.add("update affected component ids",
                  sorted(a["code"] for a in u["affected_components"] or [] if a.get("code")),
                  sorted(a["code"] for a in mine["affected_components"] or []), u["id"])
        tally.add("update deliver_notifications", u.get("deliver_notifications"),
                  mine["deliver_notifications"], u["id"])


def compare(original: dict[str, Any], built: dict[str, dict[str, Any]]) -> Tally:
    """Compare one captured document with the built endpoints it corresponds to."""
    tally = Tally()
    if "components" in original:
        compare_components(original["components"], built["components.json"]["components"],
                           tally)
    if "status" in original:
        tally.add("page indicator", original["status"]["indicator"],
                  built["summary.json"]["status"]["indicator"], "status")
        tally.add("page description", original["status"]["description"],
                  built["summary.json"]["status"]["description"], "status")
    if "incidents" in original:
        compare_incidents(original["incidents"], built["incidents.json"]["incidents"], tally)
    if "scheduled_maintenances" in original:
        compare_incidents(original["scheduled_maintenances"],
                          built["scheduled-maintenances.json"]["scheduled_maintenances"],
                          tally)
    return tally
