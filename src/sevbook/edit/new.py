"""`sevbook new`: start an incident, a maintenance window or a runbook from the handbook's
own data (severity matrix, services, teams), so the first commit is already valid.

Files are written as text, not dumped by a YAML library, so they read like a person wrote
them and later edits by `update`/`resolve` follow the same style.

* Incidents and maintenance go to `incidents/<date>-<slug>.md`. The date is the UTC date
  the incident started (now, or `--at`) or the maintenance window opens, which is what the
  `date-prefix` rule expects. The slug comes from the title; if the name is taken, `-2`,
  `-3`... is added.
* An incident gets the roles its severity requires as empty slots (`sevbook check` warns
  until they are filled), a first `investigating` update that names the affected public
  components, one timeline entry and the postmortem headings in its body (`model.postmortem`:
  the repository's `templates/postmortem.md`, else the built-in sections). Impact began at
  `--at`; the update and the "declared" entry are at the real time (now), as is detection
  unless `--detected-at` says otherwise; `--ack`/`--acknowledged-at` record acknowledgement
  (MTTA).
* Runbooks go to `content/runbooks/<slug>.md` with the six sections `check` looks for.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from ..errors import BadInput, SevbookError
from ..model import Handbook, postmortem
from ..model.common import slugify
from ..times import Clock, format_duration
from .files import (
    incident_files,
    load_for_edit,
    utc,
    utc_text,
    validate_or_raise,
    write_atomic,
)
from .yamltext import scalar

RUNBOOK_SECTIONS = (
    ("Trigger", "Which alerts fire, their thresholds, and the severity to start at."),
    ("Diagnosis", "Steps and queries that tell the likely causes apart."),
    ("Mitigation", "What to do for each cause, safest first. Commands ready to copy."),
    ("Verification", "How to tell it worked: the graph or query that must recover."),
    ("Rollback", "How to undo each mitigation."),
    ("Escalation", "Who to call next, and when."),
)

MAINTENANCE_SECTIONS = (
    ("Plan", "What is done, step by step, and by whom."),
    ("Risk", "What can go wrong and what customers would notice."),
    ("Rollback", "How to undo it, and the point of no return."),
    ("Verification", "How we know it worked."),
)


def unique_path(folder: Path, stem: str, taken: set[str]) -> Path:
    """`folder/stem.md`, or `stem-2.md`, `stem-3.md`... if the file or id exists."""
    n, candidate = 1, stem
    while candidate in taken or (folder / f"{candidate}.md").exists():
        n += 1
        candidate = f"{stem}-{n}"
    return folder / f"{candidate}.md"


def _title(title: str) -> str:
    title = " ".join(title.split())
    if not title:
        raise BadInput("TITLE", "the title is empty; give a short description, like "
                       "'Checkout errors after deploy'")
    return title


def _check_services(hb: Handbook, services: tuple[str, ...] | list[str]) -> list[str]:
    out = []
    for s in services:
        if s not in hb.services:
            known = ", ".join(hb.services) or "(none defined)"
            raise BadInput("--service", f"service '{s}' does not exist; use one of: {known}")
        if s not in out:
            out.append(s)
    return out


def _flow_list(items: list[str]) -> str:
    return "[" + ", ".join(scalar(i, flow=True) for i in items) + "]"


def _load(root: Path):
    result = load_for_edit(root)
    return result, result.handbook


def _body(title: str, intro: str, sections) -> str:
    out = [intro, ""]
    for name, hint in sections:
        out += [f"## {name}", ""]
        if hint:
            out += [f"<!-- {hint} -->", ""]
    return "\n".join(out)


def _roles(hb: Handbook, level, given: dict[str, str]) -> dict[str, str]:
    roles = {r: "" for r in (level.roles if level else [])}
    for r, name in given.items():
        if r not in hb.roles:
            known = ", ".join(hb.roles) or "(none defined)"
            raise BadInput("--role", f"role '{r}' does not exist; use one of: {known}")
        roles[r] = name
    return roles


def parse_roles(values: tuple[str, ...] | list[str]) -> dict[str, str]:
    out = {}
    for raw in values:
        role, sep, name = raw.partition("=")
        if not sep or not role.strip() or not name.strip():
            raise BadInput("--role", f"'{raw}' is not ROLE=NAME; write it like "
                           "incident-commander=alice")
        out[role.strip()] = name.strip()
    return out


def _incident_times(now: datetime, at: datetime | None, detected_at: datetime | None,
                    acknowledged_at: datetime | None, ack: bool) -> dict[str, datetime | None]:
    """started, detected and acknowledged times of a new incident. Impact began at `--at`
    (default now); it was detected at `--detected-at`, else when acknowledged if that was
    earlier, else now: declaring is when the team knows, never when impact began (the
    status page would say customers were told then)."""
    if ack and acknowledged_at is not None:
        raise BadInput("--ack", "give --ack (acknowledged now) or --acknowledged-at TIME, "
                       "not both")
    started = utc(at) if at else now
    if started > now:
        raise BadInput("--at", f"{utc_text(started)} is after now ({utc_text(now)}); impact "
                       "cannot begin in the future")
    acked = utc(acknowledged_at) if acknowledged_at else (now if ack else None)
    # Detected no later than acknowledged: an earlier --acknowledged-at moves the default.
    detected = utc(detected_at) if detected_at else min(now, acked or now)
    for name, t in (("--detected-at", detected), ("--acknowledged-at", acked)):
        if t is not None and t > now:
            raise BadInput(name, f"{utc_text(t)} is after now ({utc_text(now)})")
    if detected < started:
        raise BadInput("--detected-at", f"{utc_text(detected)} is before impact began "
                       f"(--at {utc_text(started)})")
    if acked is not None and acked < detected:
        raise BadInput("--acknowledged-at", f"{utc_text(acked)} is before detection "
                       f"({utc_text(detected)})")
    return {"started": started, "detected": detected, "acknowledged": acked}


def _first_message(hb: Handbook, public_svcs: list[str]) -> str:
    names = [hb.services[s].public_name for s in public_svcs]
    what = (" and ".join([", ".join(names[:-1]), names[-1]]) if len(names) > 1 else
            names[0]) if names else ""
    return (f"We are investigating reports of problems with {what}." if what else
            "We are investigating reports of a problem.")


def _incident_lines(hb: Handbook, level, title: str, svcs: list[str], roles: dict[str, str],
                    public: bool, public_title: str | None,
                    times: dict[str, datetime | None], now: datetime) -> list[str]:
    """The frontmatter lines of a new incident."""
    ts, declared = utc_text(times["started"]), utc_text(now)  # type: ignore[arg-type]
    acked = times["acknowledged"]
    lines = [
        f"title: {scalar(title)}",
        f"severity: {level.id}",
        f"services: {_flow_list(svcs)}",
        f"started_at: {ts}    # when impact began: correct it once known",
        f"detected_at: {utc_text(times['detected'])}",  # type: ignore[arg-type]
    ]
    if acked is not None:
        lines.append(f"acknowledged_at: {utc_text(acked)}")
    if roles:
        lines.append("roles:")
        lines += [f"  {r}: {scalar(n) if n else chr(34) * 2}" for r, n in roles.items()]
    else:
        lines.append("roles: {}")
    lines.append(f"public: {'true' if public else 'false'}"
                 + ("" if public else "    # true puts it on the status page"))
    if public:
        lines.append(f"public_title: {scalar(public_title or title)}"
                     "    # what the status page shows")
    public_svcs = [s for s in svcs if s in hb.public_services]
    lines += [
        "updates:",
        f"  - at: {declared}",
        "    status: investigating",
        f"    message: {scalar(_first_message(hb, public_svcs), indent=6)}",
    ]
    if public_svcs and level.component_status != "operational":
        comps = ", ".join(f"{s}: {level.component_status}" for s in public_svcs)
        lines.append(f"    components: {{{comps}}}")
    pm = level.postmortem
    due = f"required, due {format_duration(pm.due)} after resolution" if pm.required and pm.due else (
        "required" if pm.required else "optional")
    return lines + [
        "timeline:",
        f"  - {{at: {declared}, event: {scalar(f'Incident declared at {level.id}', flow=True)}}}",
        "postmortem:",
        f"  status: none    # {level.id}: postmortem {due}; {postmortem.status_words()}",
        "  owner:",
        "action_items: []",
    ]


def new_incident(root: Path, title: str, severity: str, services=(), public: bool = False,
                 public_title: str | None = None, roles=(), at: datetime | None = None,
                 now: datetime | None = None, detected_at: datetime | None = None,
                 acknowledged_at: datetime | None = None, ack: bool = False) -> Path:
    """Write a new open incident; return its path. Impact began at `at` (default now);
    the first update and the "declared" entry are at `now`, detection at `detected_at`
    (default now), acknowledgement at `acknowledged_at`, or now with `ack`."""
    root = Path(root)
    now = utc(now or datetime.now(UTC))
    times = _incident_times(now, at, detected_at, acknowledged_at, ack)
    title = _title(title)
    result, hb = _load(root)
    level = hb.level(severity)
    if hb.severity is None:
        raise SevbookError("content/severity.md is missing or invalid; run `sevbook check`")
    if level is None:
        raise BadInput("--severity", f"severity '{severity}' does not exist; use one of: "
                       f"{', '.join(lv.id for lv in hb.severity.levels)}")
    svcs = _check_services(hb, services)
    role_slots = _roles(hb, level, parse_roles(roles))
    lines = _incident_lines(hb, level, title, svcs, role_slots, public, public_title, times, now)
    intro = ("<!-- The internal postmortem. It never reaches the status page; only "
             "postmortem.public_summary may. -->")
    text = ("---\n" + "\n".join(lines) + "\n---\n\n" + intro + "\n\n"
            + postmortem.body(hb.settings.root))
    folder = hb.settings.incidents_path
    started = times["started"]
    assert started is not None
    path = unique_path(folder, f"{started.date().isoformat()}-{slugify(title, 'incident')}",
                       set(incident_files(hb.settings)))
    validate_or_raise(root, path, text, now, "incident", result)
    write_atomic(path, text, new=True)
    return path


def new_maintenance(root: Path, title: str, start: datetime, until: datetime, services=(),
                    public: bool = True, public_title: str | None = None,
                    now: datetime | None = None, past: bool = False) -> Path:
    """Write a scheduled maintenance window; return its path. A window that starts before
    `now` is refused (a typo in a date would announce it as already running) unless
    `past` says it is meant."""
    root = Path(root)
    now = utc(now or datetime.now(UTC))
    title = _title(title)
    start, until = utc(start), utc(until)
    if until <= start:
        raise BadInput("--until", f"{utc_text(until)} is not after --from {utc_text(start)}; "
                       "the window must end after it starts")
    if start < now and not past:
        raise BadInput("--from", f"{utc_text(start)} is in the past (now {utc_text(now)}); "
                       "check the date, or pass --past to record a window that has already "
                       "begun")
    result, hb = _load(root)
    svcs = _check_services(hb, services)
    names = [hb.services[s].public_name for s in svcs if s in hb.public_services]
    on = f" on {', '.join(names)}" if names else ""
    message = f"We will be performing scheduled maintenance{on} from " \
              f"{_window(Clock(hb.settings.status.timezone), start, until)}."
    lines = [
        f"title: {scalar(title)}",
        "kind: maintenance",
        f"services: {_flow_list(svcs)}",
        f"public: {'true' if public else 'false'}",
    ]
    if public:
        lines.append(f"public_title: {scalar(public_title or title)}"
                     "    # what the status page shows")
    lines += [
        "updates:",
        f"  - at: {utc_text(now)}",
        "    status: scheduled",
        f"    message: {scalar(message, indent=6)}",
        "timeline: []",
        f"scheduled_for: {utc_text(start)}",
        f"scheduled_until: {utc_text(until)}",
    ]
    intro = "<!-- Internal notes for the people doing the work. Never published. -->"
    text = "---\n" + "\n".join(lines) + "\n---\n\n" + _body(title, intro, MAINTENANCE_SECTIONS)
    path = unique_path(hb.settings.incidents_path,
                       f"{start.date().isoformat()}-{slugify(title, 'maintenance')}",
                       set(incident_files(hb.settings)))
    validate_or_raise(root, path, text, now, "incident", result)
    write_atomic(path, text, new=True)
    return path


def _window(clock: Clock, start: datetime, until: datetime) -> str:
    """`02:00 to 04:00 CET on 25 November 2026` in the site's zone (the zone the status page
    shows), with both dates when the window crosses midnight there."""
    a, b = clock.local(start), clock.local(until)
    if a.date() == b.date():
        first = f"{a:%H:%M}" if a.tzname() == b.tzname() else f"{a:%H:%M} {a.tzname()}"
        return f"{first} to {b:%H:%M} {b.tzname()} on {a.day} {a:%B %Y}"
    return f"{clock.time(start)} to {clock.time(until)}"


def new_runbook(root: Path, title: str, services=(), owner: str | None = None,
                severity: str | None = None, alerts=(), now: datetime | None = None) -> Path:
    """Write a runbook skeleton with the six sections; return its path."""
    root = Path(root)
    now = utc(now or datetime.now(UTC))
    title = _title(title)
    result, hb = _load(root)
    svcs = _check_services(hb, services)
    if owner and hb.teams and owner not in hb.teams:
        raise BadInput("--owner", f"team '{owner}' is not declared in content/oncall.md; use "
                       f"one of: {', '.join(hb.teams)}")
    if severity and hb.severity and hb.level(severity) is None:
        raise BadInput("--severity", f"severity '{severity}' does not exist; use one of: "
                       f"{', '.join(lv.id for lv in hb.severity.levels)}")
    lines = [
        f"title: {scalar(title)}",
        f"services: {_flow_list(svcs)}",
        f"alerts: {_flow_list(list(alerts))}",
    ]
    if severity:
        lines.append(f"severity: {severity}")
    lines.append(f"owner: {scalar(owner)}" if owner else "owner:    # the team that keeps it true")
    lines += [
        f"last_reviewed: {now.date().isoformat()}    # update after every walk-through",
        "review_every: 90d",
    ]
    body = "\n".join(x for name, hint in RUNBOOK_SECTIONS
                     for x in (f"## {name}", "", f"<!-- {hint} -->", ""))
    text = "---\n" + "\n".join(lines) + "\n---\n\n" + body
    folder = hb.settings.content_path / "runbooks"
    path = unique_path(folder, slugify(title, "runbook"), set(hb.runbooks))
    validate_or_raise(root, path, text, now, "runbook", result)
    write_atomic(path, text, new=True)
    return path
