"""Cross-file rules and the warnings that name the classic failure modes of incident response.

Per-file shape (keys, types, enums, timestamps) is the models' job; everything that needs
more than one field, more than one file, or the current time is here, in one place.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date, datetime, timezone

from .diagnostics import Diagnostic, sort_key
from .durations import human
from .load import LoadResult
from .mdscan import heading_titles
from .model import REQUIRED_SECTIONS, Handbook, Incident
from .model.oncall import ROTATION_TARGETS

DATE_PREFIX = re.compile(r"^(\d{4}-\d{2}-\d{2})-")
ORDERED_TIMES = ("started_at", "detected_at", "acknowledged_at", "mitigated_at", "resolved_at")


class _Emitter:
    def __init__(self, result: LoadResult):
        self.result = result
        self.out: list[Diagnostic] = []

    def __call__(self, severity: str, code: str, file: str, path: tuple, message: str) -> None:
        fld = ""
        for p in path:
            fld += f"[{p}]" if isinstance(p, int) else ("." if fld else "") + str(p)
        self.out.append(Diagnostic(file, self.result.line(file, path), fld, severity, code, message))


def check(result: LoadResult, now: datetime | None = None) -> list[Diagnostic]:
    """Every diagnostic for a loaded handbook: load problems plus all rules, sorted."""
    now = now or datetime.now(timezone.utc)
    emit = _Emitter(result)
    hb = result.handbook
    _severity_rules(hb, emit)
    _oncall_rules(hb, emit)
    _service_rules(hb, emit)
    _runbook_rules(hb, emit, now)
    for inc in hb.incidents.values():
        _incident_rules(hb, inc, emit, now)
    return sorted(result.diagnostics + emit.out, key=sort_key)


def _known(hb: Handbook, kind: str) -> Iterator[str]:
    if kind == "severity":
        return iter([lv.id for lv in hb.severity.levels] if hb.severity else [])
    return iter(getattr(hb, kind))


def _ids(hb: Handbook, kind: str) -> str:
    ids = list(_known(hb, kind))
    return ", ".join(ids[:12]) + (" …" if len(ids) > 12 else "") if ids else "(none defined)"


def _severity_rules(hb: Handbook, emit: _Emitter) -> None:
    sev = hb.severity
    if sev is None:
        path = f"{hb.settings.docs_dir}/severity.md"
        failed = any(d.file == path for d in emit.result.diagnostics)
        if not failed and any(i.severity for i in hb.incidents.values()):
            emit("error", "missing-file", path, (),
                 "there is no severity matrix, so no incident's severity can be checked; "
                 "create it (`sevbook init` writes a starting point)")
        return
    teams = hb.teams
    for i, lv in enumerate(sev.levels):
        for j, r in enumerate(lv.roles):
            if r not in hb.roles:
                emit("error", "unknown-role", sev.path, ("levels", i, "roles", j),
                     f"role '{r}' does not exist; add content/roles/{r}.md or use one of: "
                     f"{_ids(hb, 'roles')}")
        for j, target in enumerate(lv.page):
            if target not in hb.roles and target not in teams and target not in ROTATION_TARGETS:
                emit("error", "unknown-page-target", sev.path, ("levels", i, "page", j),
                     f"'{target}' is not a role, a team or a rotation target "
                     f"({', '.join(ROTATION_TARGETS)}); fix the id or declare it")
        if lv.postmortem.required and lv.postmortem.due is None:
            emit("error", "missing-key", sev.path, ("levels", i, "postmortem"),
                 "a required postmortem needs a 'due' duration, like due: 5d")

    def walk(node, path: tuple) -> None:
        for answer in ("yes", "no"):
            value = getattr(node, answer)
            if isinstance(value, str):
                if sev.level(value) is None:
                    emit("error", "unknown-severity", sev.path, path + (answer,),
                         f"severity '{value}' does not exist; use one of: {_ids(hb, 'severity')}")
            else:
                walk(value, path + (answer,))

    if sev.decision_tree is not None:
        walk(sev.decision_tree, ("decision_tree",))


def _oncall_rules(hb: Handbook, emit: _Emitter) -> None:
    if hb.oncall is None:
        return
    seen: set[str] = set()
    for i, t in enumerate(hb.oncall.teams):
        if t.id in seen:
            emit("error", "duplicate-id", hb.oncall.path, ("teams", i, "id"),
                 f"team id '{t.id}' is declared twice; remove or rename one")
        seen.add(t.id)


def _check_team(hb: Handbook, emit: _Emitter, file: str, path: tuple, owner: str | None) -> None:
    teams = hb.teams
    if owner and teams and owner not in teams:
        emit("error", "unknown-team", file, path,
             f"team '{owner}' is not declared in content/oncall.md; use one of: "
             f"{', '.join(teams)}")


def _service_rules(hb: Handbook, emit: _Emitter) -> None:
    used_by_runbook = {s for rb in hb.runbooks.values() for s in rb.services}
    # A runbook that failed to load may be the one covering a service: say nothing then,
    # rather than a warning that goes away once the runbook's own error is fixed.
    runbooks_dir = f"{hb.settings.docs_dir}/runbooks/"
    runbook_failed = any(d.severity == "error" and d.file.startswith(runbooks_dir)
                         for d in emit.result.diagnostics)
    for sid, svc in hb.services.items():
        _check_team(hb, emit, svc.path, ("owner",), svc.owner)
        for j, dep in enumerate(svc.depends_on):
            if dep not in hb.services:
                emit("error", "unknown-service", svc.path, ("depends_on", j),
                     f"service '{dep}' does not exist; add content/services/{dep}.md or fix the id")
            elif dep == sid:
                emit("error", "self-dependency", svc.path, ("depends_on", j),
                     "a service cannot depend on itself; remove this entry")
        if not svc.owner:
            emit("warning", "service-no-owner", svc.path, (),
                 "service has no owner; add 'owner:' with the team that is paged for it")
        if sid not in used_by_runbook and not runbook_failed:
            emit("warning", "service-no-runbook", svc.path, (),
                 f"no runbook covers this service; write one with `sevbook new runbook "
                 f"TITLE --service {sid}`")


def _runbook_rules(hb: Handbook, emit: _Emitter, now: datetime) -> None:
    today = now.date()
    for rb in hb.runbooks.values():
        _check_team(hb, emit, rb.path, ("owner",), rb.owner)
        for j, s in enumerate(rb.services):
            if s not in hb.services:
                emit("error", "unknown-service", rb.path, ("services", j),
                     f"service '{s}' does not exist; use one of: {_ids(hb, 'services')}")
        if rb.severity and hb.severity and hb.severity.level(rb.severity) is None:
            emit("error", "unknown-severity", rb.path, ("severity",),
                 f"severity '{rb.severity}' does not exist; use one of: {_ids(hb, 'severity')}")
        due = rb.review_due()
        if rb.last_reviewed is None:
            emit("warning", "stale-runbook", rb.path, (),
                 "runbook has never been reviewed; test it, then add last_reviewed: "
                 f"{today.isoformat()}")
        elif due is not None and due < today:
            emit("warning", "stale-runbook", rb.path, ("last_reviewed",),
                 f"runbook is stale: last reviewed {rb.last_reviewed}, review was due {due} "
                 f"(every {rb.review_every.days} days); walk through it and update last_reviewed")
        headings = {h.lower() for h in heading_titles(rb.body)}
        missing = [s for s in REQUIRED_SECTIONS if s.lower() not in headings]
        if missing:
            emit("warning", "runbook-sections", rb.path, (),
                 f"runbook is missing the section(s) {', '.join(missing)}; add a '## "
                 f"{missing[0]}' heading (even 'None' is an answer)")


def _incident_rules(hb: Handbook, inc: Incident, emit: _Emitter, now: datetime) -> None:
    f = inc.path
    maint = inc.is_maintenance
    level = hb.level(inc.severity)
    # references
    if inc.severity is None:
        if not maint:
            emit("error", "missing-key", f, ("severity",),
                 f"required key 'severity' is missing; add one of: {_ids(hb, 'severity')}")
    elif hb.severity is not None and level is None:
        emit("error", "unknown-severity", f, ("severity",),
             f"severity '{inc.severity}' does not exist; use one of: {_ids(hb, 'severity')}")
    for j, s in enumerate(inc.services):
        if s not in hb.services:
            emit("error", "unknown-service", f, ("services", j),
                 f"service '{s}' does not exist; use one of: {_ids(hb, 'services')}")
    for r in inc.roles:
        if r not in hb.roles:
            emit("error", "unknown-role", f, ("roles", r),
                 f"role '{r}' does not exist; use one of: {_ids(hb, 'roles')}")
    for j, r in enumerate(inc.runbooks):
        if r not in hb.runbooks:
            emit("error", "unknown-runbook", f, ("runbooks", j),
                 f"runbook '{r}' does not exist; use one of: {_ids(hb, 'runbooks')}")
    for j, ai in enumerate(inc.action_items):
        _check_team(hb, emit, f, ("action_items", j, "owner"), ai.owner)
        if ai.done_at is not None and ai.status == "open":
            emit("error", "status-mismatch", f, ("action_items", j, "done_at"),
                 f"action item '{ai.title}' has done_at but status: open; set status: done "
                 "(or wontfix), or remove done_at")
        if ai.done_at is not None and inc.begins and ai.done_at < inc.begins.date():
            emit("error", "out-of-order", f, ("action_items", j, "done_at"),
                 f"done_at {ai.done_at} is before the incident began "
                 f"({inc.begins.date()}); fix the date")
    pm = inc.postmortem
    if pm.published_at is not None:
        if pm.status != "published":
            emit("error", "status-mismatch", f, ("postmortem", "published_at"),
                 f"published_at is set but the postmortem is '{pm.status}'; set status: "
                 "published or remove published_at")
        if inc.resolved_at is not None and pm.published_at < inc.resolved_at.date():
            emit("error", "out-of-order", f, ("postmortem", "published_at"),
                 f"published_at {pm.published_at} is before the incident was resolved "
                 f"({inc.resolved_at.date()}); fix the date")
    for j, up in enumerate(inc.updates):
        for comp in up.components:
            svc = hb.services.get(comp)
            if svc is None:
                emit("error", "unknown-service", f, ("updates", j, "components", comp),
                     f"service '{comp}' does not exist; use one of: {_ids(hb, 'services')}")
            elif svc.status_page is None:
                emit("error", "not-a-component", f, ("updates", j, "components", comp),
                     f"service '{comp}' is not on the status page; add a status_page block to "
                     f"{svc.path} or remove it from this update")
    # required times
    if not maint and inc.started_at is None:
        emit("error", "missing-key", f, ("started_at",),
             "required key 'started_at' is missing; add the time impact began, like "
             "started_at: 2026-03-02T14:18:00Z")
    if maint and (inc.scheduled_for is None or inc.scheduled_until is None):
        miss = [k for k in ("scheduled_for", "scheduled_until") if getattr(inc, k) is None]
        emit("error", "maintenance-window", f, (miss[0],),
             f"maintenance needs its window: add {' and '.join(miss)} (timestamps with offset)")
    if not maint and (inc.scheduled_for or inc.scheduled_until):
        key = "scheduled_for" if inc.scheduled_for else "scheduled_until"
        emit("error", "not-maintenance", f, (key,),
             f"'{key}' is for maintenance only; add kind: maintenance or remove it")
    if inc.scheduled_for and inc.scheduled_until and inc.scheduled_until <= inc.scheduled_for:
        emit("error", "out-of-order", f, ("scheduled_until",),
             f"scheduled_until ({_iso(inc.scheduled_until)}) must be after scheduled_for "
             f"({_iso(inc.scheduled_for)})")
    # order of key times
    prev: tuple[str, datetime] | None = None
    for key in ORDERED_TIMES:
        t = getattr(inc, key)
        if t is None:
            continue
        if prev is not None and t < prev[1]:
            emit("error", "out-of-order", f, (key,),
                 f"{key} ({_iso(t)}) is before {prev[0]} ({_iso(prev[1])}); "
                 f"times must go {' ≤ '.join(k.removesuffix('_at') for k in ORDERED_TIMES)}")
        prev = (key, t)
    for name, items in (("updates", inc.updates), ("timeline", inc.timeline)):
        for j in range(1, len(items)):
            if items[j].at < items[j - 1].at:
                emit("error", "out-of-order", f, (name, j, "at"),
                     f"{name}[{j}] at {_iso(items[j].at)} is earlier than the entry before "
                     f"it ({_iso(items[j - 1].at)}); keep {name} in chronological order")
    if inc.started_at and inc.updates and inc.updates[0].at < inc.started_at and not maint:
        emit("error", "out-of-order", f, ("updates", 0, "at"),
             f"the first update ({_iso(inc.updates[0].at)}) is before started_at "
             f"({_iso(inc.started_at)}); fix one of them")
    # resolved <-> status
    terminal = inc.kind.terminal
    if inc.updates:
        last = inc.updates[-1].status
        if inc.resolved_at is not None and last != terminal:
            emit("error", "status-mismatch", f, ("resolved_at",),
                 f"resolved_at is set but the last update is '{last}'; add a final update with "
                 f"status: {terminal} (sevbook resolve {inc.id}) or remove resolved_at")
        if inc.resolved_at is None and last == terminal:
            emit("error", "status-mismatch", f, ("updates", len(inc.updates) - 1, "status"),
                 f"the last update is '{terminal}' but resolved_at is missing; add resolved_at: "
                 f"{_iso(inc.updates[-1].at)}")
        for j, up in enumerate(inc.updates[:-1]):
            if up.status == terminal:
                emit("error", "status-mismatch", f, ("updates", j, "status"),
                     f"update {j} says '{terminal}' but later updates follow; reopening needs "
                     "a new incident, or change this status")
    if inc.public and not inc.updates:
        emit("error", "public-without-updates", f, ("public",),
             "public incident has no updates, so the status page would show nothing; add an "
             "update (sevbook update ID --status investigating --message TEXT) or set public: false")
    # --- warnings ---
    if maint:
        _date_prefix(inc, emit, inc.scheduled_for)
        return
    _date_prefix(inc, emit, inc.started_at)
    if level is not None:
        missing = [r for r in level.roles if r not in inc.roles or not str(inc.roles[r]).strip()]
        if missing:
            emit("warning", "required-role", f, ("roles",),
                 f"{inc.severity} requires the role(s) {', '.join(missing)}; record who held "
                 f"them under roles:, e.g. {missing[0]}: NAME")
        if level.update_every and inc.public and inc.updates:
            gap_limit = level.update_every
            ups = inc.updates
            end = inc.resolved_at
            if end is None and ups[-1].status == "resolved":
                end = ups[-1].at  # resolved_at missing is reported above; not open either
            for j in range(1, len(ups)):
                if end is not None and ups[j - 1].at >= end:
                    break
                gap = ups[j].at - ups[j - 1].at
                if gap > gap_limit:
                    emit("warning", "silent-incident", f, ("updates", j, "at"),
                         f"{human(gap)} passed between public updates {j - 1} and {j}; "
                         f"{inc.severity} promises an update every {human(gap_limit)} — post "
                         "even 'still investigating'")
            if end is None and now - ups[-1].at > gap_limit:
                emit("warning", "silent-incident", f, ("updates", len(ups) - 1, "at"),
                     f"no public update for {human(now - ups[-1].at)} on an open incident; "
                     f"{inc.severity} promises one every {human(gap_limit)} — post one now with "
                     f"sevbook update {inc.id}")
        pm = level.postmortem
        if pm.required and pm.due and inc.resolved_at is not None:
            due_at = inc.resolved_at + pm.due
            if now > due_at and inc.postmortem.status != "published":
                emit("warning", "postmortem-overdue", f, ("postmortem",),
                     f"postmortem was due {due_at.date()} ({inc.severity}: {human(pm.due)} after "
                     f"resolution) and is '{inc.postmortem.status}'; publish it or agree a new "
                     "date with the owner")
    if inc.resolved_at is not None and inc.updates:
        if not any(u.status == "monitoring" for u in inc.updates):
            emit("warning", "no-monitoring", f, ("updates",),
                 "resolved without a 'monitoring' update: the fix was never shown to hold; "
                 "post status: monitoring before resolving next time")
    if inc.postmortem.status == "published" and not inc.action_items:
        emit("warning", "no-action-items", f, ("postmortem", "status"),
             "published postmortem has no action items, so nothing will change; add "
             "action_items with owners and due dates")
    today = now.date()
    for j, ai in enumerate(inc.action_items):
        if ai.status == "open" and ai.due is not None and ai.due < today:
            emit("warning", "action-item-overdue", f, ("action_items", j, "due"),
                 f"action item '{ai.title}' was due {ai.due} and is still open; finish it, "
                 "set a new due date, or mark it wontfix with a reason")


def _date_prefix(inc: Incident, emit: _Emitter, when: datetime | None) -> None:
    name = inc.path.rsplit("/", 1)[-1]
    m = DATE_PREFIX.match(name)
    if when is None:
        return
    expected = when.astimezone(timezone.utc).date().isoformat()
    if m is None:
        emit("warning", "date-prefix", inc.path, (),
             f"file name should start with the date it began; rename it to "
             f"{expected}-{inc.id}.md")
    elif m.group(1) != expected:
        emit("warning", "date-prefix", inc.path,
             ("scheduled_for" if inc.is_maintenance else "started_at",),
             f"file name starts with {m.group(1)} but it began on {expected} (UTC); rename the "
             f"file to {expected}-{inc.id[11:]}.md or fix the time")


def _iso(t: datetime) -> str:
    """A timestamp as people write it here: UTC with Z, others with their offset."""
    return t.isoformat().replace("+00:00", "Z")


def as_date(d: date | datetime) -> date:
    return d.date() if isinstance(d, datetime) else d
