"""Generate a messy handbook: an imported ten-year history, warnings on every incident.

    python bench/messy.py OUT_DIR --incidents 10000 --runbooks 1000 --services 200

Made from the example handbook of this repository (its mkdocs.yml, severity matrix, roles,
on-call, process pages, services, runbooks, theme and id key) plus generated services and
runbooks named after the example's, up to `--services` and `--runbooks`. Every generated
incident has exactly three warnings at --now 2026-11-22T12:00:00Z, as imported histories
do: resolved without a `monitoring` update (`no-monitoring`), a published postmortem
without action items (`no-action-items`) and one required role unfilled
(`required-role`). Every kind of record is there: public and private incidents of SEV0 to
SEV3 with updates, timelines and postmortems, and (besides the incidents) completed
public maintenance, one per `MAINTENANCE_EVERY` incidents, which warns about nothing. No
errors: `check` exits 0 (1 under --strict). The corpus is deterministic (fixed seed).
"""

from __future__ import annotations

import argparse
import random
import shutil
from datetime import UTC, datetime, timedelta
from pathlib import Path

EXAMPLE = Path(__file__).resolve().parent.parent
"""The repository's example handbook, the corpus's base."""

NOW = datetime(2026, 11, 22, 12, 0, tzinfo=UTC)
WARNINGS = ("no-action-items", "no-monitoring", "required-role")
"""The codes every generated incident gets once each (sorted)."""

MAINTENANCE_EVERY = 100
LEVEL_ROLES = {
    "SEV0": ["incident-commander", "deputy-incident-commander", "comms-lead", "ops-lead",
             "scribe", "support-lead", "executive-sponsor"],
    "SEV1": ["incident-commander", "comms-lead", "ops-lead", "scribe", "support-lead"],
    "SEV2": ["incident-commander", "scribe"],
    "SEV3": ["incident-commander"],
}
"""The example's required roles per level (content/severity.md)."""

COMPONENT_STATE = {"SEV0": "major_outage", "SEV1": "major_outage", "SEV2": "partial_outage",
                   "SEV3": "degraded_performance"}
PUBLIC_SERVICES = ["auth", "checkout-api", "notifications", "search", "storefront-web"]
"""The example's services with a status_page block."""

EXAMPLE_SERVICES = PUBLIC_SERVICES + ["cdn-edge", "order-cache", "payments-db"]
EXAMPLE_RUNBOOKS = ["api-latency", "cache-miss-storm", "certificate-expiry",
                    "checkout-error-rate", "credential-stuffing", "db-pool-exhaustion",
                    "edge-errors", "email-delivery-backlog", "login-errors", "search-degraded"]
TEAMS = ["payments", "storefront", "identity", "platform", "data"]
PEOPLE = ["Carla Mendes", "Priya Raman", "Sam Whitfield", "Dmitri Volkov", "Ben Okafor",
          "Tomás Ortega", "Aiko Tanaka", "Lena Fischer"]
SECTIONS = ["Trigger", "Diagnosis", "Mitigation", "Verification", "Rollback", "Escalation"]


def ts(t: datetime) -> str:
    return t.strftime("%Y-%m-%dT%H:%M:%SZ")


def _copy_example(out: Path) -> None:
    """The example without its incidents: settings, content, theme and id key."""
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    shutil.copy(EXAMPLE / "mkdocs.yml", out / "mkdocs.yml")
    for folder in ("content", "theme", ".sevbook"):
        shutil.copytree(EXAMPLE / folder, out / folder)
    (out / "incidents").mkdir()
    (out / "incidents" / "README.md").write_text("# Incidents\n", encoding="utf-8")


def _services(out: Path, count: int) -> list[str]:
    """The example's services and generated ones named after them, `count` in all."""
    ids = list(EXAMPLE_SERVICES)
    folder = out / "content" / "services"
    for i in range(count - len(ids)):
        sid = f"{EXAMPLE_SERVICES[i % len(EXAMPLE_SERVICES)]}-{i:04d}"
        ids.append(sid)
        (folder / f"{sid}.md").write_text(
            f"---\nname: Service {sid}\nowner: {TEAMS[i % len(TEAMS)]}\ntier: {1 + i % 4}\n"
            f"depends_on: [{EXAMPLE_SERVICES[i % len(EXAMPLE_SERVICES)]}]\n"
            "slo: {target: 99.5, window: 28d}\n---\n\nA generated service.\n",
            encoding="utf-8")
    return ids


def _runbooks(out: Path, count: int, services: list[str], rnd: random.Random) -> list[str]:
    """The example's runbooks and generated ones, `count` in all; together they cover
    every generated service (so no service warns that it has no runbook)."""
    ids = list(EXAMPLE_RUNBOOKS)
    generated = services[len(EXAMPLE_SERVICES):]
    body = "\n".join(f"## {s}\n\nDo the {s.lower()} step.\n" for s in SECTIONS)
    folder = out / "content" / "runbooks"
    n = count - len(ids)
    for i in range(n):
        rid = f"{EXAMPLE_RUNBOOKS[i % len(EXAMPLE_RUNBOOKS)]}-{i:04d}"
        ids.append(rid)
        covered = {generated[i % len(generated)]} if generated else {services[0]}
        if i == n - 1:
            covered |= set(generated[n:])  # leftovers when services outnumber runbooks
        reviewed = (NOW - timedelta(days=rnd.randrange(60))).date()
        (folder / f"{rid}.md").write_text(
            f"---\ntitle: Runbook {rid}\nservices: [{', '.join(sorted(covered))}]\n"
            f"alerts: [alert_{i}]\nseverity: SEV{i % 4}\nowner: {TEAMS[i % len(TEAMS)]}\n"
            f"last_reviewed: {reviewed}\nreview_every: 90d\n---\n\n{body}", encoding="utf-8")
    return ids


def incident_text(n: int, started: datetime, level: str, service: str, public: bool,
                  runbook: str) -> str:
    """One incident with exactly the three warnings of `WARNINGS`."""
    det = started + timedelta(minutes=5)
    ack, mit, res = (det + timedelta(minutes=m) for m in (2, 15, 24))
    required = LEVEL_ROLES[level]
    # One required role unfilled (the last one); others held, plus one that is not required.
    roles = {r: PEOPLE[(n + k) % len(PEOPLE)] for k, r in enumerate(required[:-1])}
    roles["subject-matter-expert"] = PEOPLE[(n + 3) % len(PEOPLE)]
    state = COMPONENT_STATE[level]
    ups = []
    for at, status, comp in ((det + timedelta(minutes=3), "investigating", state),
                             (det + timedelta(minutes=12), "identified", state),
                             (res, "resolved", "operational")):
        comps = f", components: {{{service}: {comp}}}" if public else ""
        ups.append(f"  - {{at: {ts(at)}, status: {status}, message: \"Update on {service}: "
                   f"{status}.\"{comps}}}")
    role_lines = "".join(f"  {r}: {who}\n" for r, who in roles.items())
    public_title = f"public_title: Problems with {service}\n" if public else ""
    return (
        f"---\ntitle: Incident {n} on {service} (imported)\nkind: incident\nseverity: {level}\n"
        f"services: [{service}]\nstarted_at: {ts(started)}\ndetected_at: {ts(det)}\n"
        f"acknowledged_at: {ts(ack)}\nmitigated_at: {ts(mit)}\nresolved_at: {ts(res)}\n"
        f"roles:\n{role_lines}runbooks: [{runbook}]\npublic: {str(public).lower()}\n"
        f"{public_title}updates:\n" + "\n".join(ups) + "\n"
        f"timeline:\n  - {{at: {ts(started)}, event: \"Deploy begins\"}}\n"
        f"  - {{at: {ts(det)}, event: \"Alert fires\"}}\n"
        f"  - {{at: {ts(mit)}, event: \"Rolled back\"}}\n"
        f"postmortem:\n  status: published\n  owner: {PEOPLE[n % len(PEOPLE)]}\n"
        f"  published_at: {(res + timedelta(days=1)).date()}\n"
        f"  public_summary: \"A fault in {service} was fixed.\"\n"
        f"---\n\n## Summary\n\nImported incident {n}.\n"
    )


def maintenance_text(n: int, start: datetime, service: str) -> str:
    """Completed public maintenance (no warnings)."""
    end = start + timedelta(hours=2)
    return (
        f"---\ntitle: Maintenance {n} of {service}\nkind: maintenance\nservices: [{service}]\n"
        f"scheduled_for: {ts(start)}\nscheduled_until: {ts(end)}\nstarted_at: {ts(start)}\n"
        f"resolved_at: {ts(end)}\n"
        f"roles:\n  incident-commander: {PEOPLE[n % len(PEOPLE)]}\npublic: true\n"
        f"public_title: Scheduled maintenance of {service}\nupdates:\n"
        f"  - {{at: {ts(start - timedelta(days=3))}, status: scheduled, message: \"Planned "
        f"work on {service}.\", components: {{{service}: operational}}}}\n"
        f"  - {{at: {ts(start)}, status: in_progress, message: \"Work has started.\", "
        f"components: {{{service}: under_maintenance}}}}\n"
        f"  - {{at: {ts(end)}, status: completed, message: \"Work is done.\", "
        f"components: {{{service}: operational}}}}\n---\n\n## Plan\n\nPlanned work.\n"
    )


def generate_messy(out: Path, incidents: int, runbooks: int = 1000, services: int = 200,
                   seed: int = 1) -> Path:
    rnd = random.Random(seed)
    _copy_example(out)
    svc_ids = _services(out, services)
    rb_ids = _runbooks(out, runbooks, svc_ids, rnd)
    years = timedelta(days=3650)
    start0 = NOW - years - timedelta(days=30)
    folder = out / "incidents"
    for n in range(incidents):
        started = (start0 + years * n / incidents).replace(second=0, microsecond=0)
        started += timedelta(minutes=rnd.randrange(60))
        level = f"SEV{rnd.randrange(4)}"
        public = n % 2 == 0
        service = PUBLIC_SERVICES[n % len(PUBLIC_SERVICES)] if public \
            else svc_ids[len(EXAMPLE_SERVICES) + n % (len(svc_ids) - len(EXAMPLE_SERVICES))]
        (folder / f"{started.date()}-imported-{n:05d}.md").write_text(
            incident_text(n, started, level, service, public, rb_ids[n % len(rb_ids)]),
            encoding="utf-8")
        if n % MAINTENANCE_EVERY == MAINTENANCE_EVERY - 1:
            at = (started + timedelta(hours=6)).replace(minute=0)
            (folder / f"{at.date()}-maintenance-{n:05d}.md").write_text(
                maintenance_text(n, at, PUBLIC_SERVICES[n % len(PUBLIC_SERVICES)]),
                encoding="utf-8")
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("out", type=Path)
    ap.add_argument("--incidents", type=int, default=10000)
    ap.add_argument("--runbooks", type=int, default=1000)
    ap.add_argument("--services", type=int, default=200)
    ap.add_argument("--seed", type=int, default=1)
    a = ap.parse_args()
    generate_messy(a.out, a.incidents, a.runbooks, a.services, a.seed)
    print(a.out)


if __name__ == "__main__":
    main()
