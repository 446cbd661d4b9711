"""Generate a synthetic handbook: N incidents, M runbooks, S services, valid by construction.

    python bench/generate.py OUT_DIR --incidents 10000 --runbooks 1000 --services 200

The corpus is deterministic (fixed seed) and valid at --now 2026-11-22T12:00:00Z, so
`sevbook check --strict --now 2026-11-22T12:00:00Z OUT_DIR` reports nothing: timings then
measure the normal path, not error reporting.
"""

from __future__ import annotations

import argparse
import random
import shutil
from datetime import UTC, datetime, timedelta
from pathlib import Path

NOW = datetime(2026, 11, 22, 12, 0, tzinfo=UTC)
TEAMS = ["payments", "storefront", "identity", "platform", "data", "search"]
ROLES = ["incident-commander", "comms-lead", "scribe", "subject-matter-expert"]
LEVELS = [
    ("SEV1", "Critical", "15m", "30m", "3d", "critical", "major_outage"),
    ("SEV2", "Major", "1h", "1h", "5d", "major", "partial_outage"),
    ("SEV3", "Minor", "4h", "4h", None, "minor", "degraded_performance"),
]
SECTIONS = ["Trigger", "Diagnosis", "Mitigation", "Verification", "Rollback", "Escalation"]


def ts(t: datetime) -> str:
    return t.strftime("%Y-%m-%dT%H:%M:%SZ")


def write(path: Path, text: str) -> None:
    path.write_text(text, encoding="utf-8")


def severity() -> str:
    out = ["---", "levels:"]
    for lid, name, resp, every, due, impact, comp in LEVELS:
        out += [
            f"  - id: {lid}", f"    name: {name}", f"    summary: {name} impact",
            "    criteria: [\"users affected\"]", "    examples: [\"Example\"]",
            f"    response_time: {resp}", f"    update_every: {every}",
            "    page: [incident-commander, on-call-primary]",
            "    roles: [incident-commander]",
            f"    postmortem: {{required: {'true' if due else 'false'}"
            + (f", due: {due}}}" if due else "}"),
            f"    public_impact: {impact}", f"    component_status: {comp}",
        ]
    out += ["decision_tree:", "  question: Is production down?", "  yes: SEV1",
            "  no: {question: Is a major feature degraded?, yes: SEV2, no: SEV3}", "---",
            "", "How to pick a severity.", ""]
    return "\n".join(out)


def generate(out: Path, incidents: int, runbooks: int, services: int, updates: int = 3,
             public_services: int = 50, seed: int = 1) -> Path:
    rnd = random.Random(seed)
    if out.exists():
        shutil.rmtree(out)
    (out / "content" / "roles").mkdir(parents=True)
    (out / "content" / "services").mkdir()
    (out / "content" / "runbooks").mkdir()
    (out / "incidents").mkdir()
    write(out / "mkdocs.yml", "site_name: Bench Handbook\ndocs_dir: content\n"
          "site_dir: site/handbook\ntheme:\n  name: material\n  font: false\n"
          "plugins:\n  - search\n  - sevbook:\n      status:\n        title: Bench Status\n"
          "        timezone: UTC\n        url: https://status.example.com/\n")
    write(out / "content" / "index.md", "# Bench handbook\n")
    # A fixed id key (keyed public ids, as `sevbook init` sets up; without one check warns).
    (out / ".sevbook").mkdir()
    write(out / ".sevbook" / "id-key", f"{rnd.getrandbits(256):064x}\n")
    write(out / "content" / "severity.md", severity())
    for r in ROLES:
        write(out / "content" / "roles" / f"{r}.md",
              f"---\nname: {r.replace('-', ' ').title()}\nsummary: The {r}.\n"
              "responsibilities: [Coordinate]\nchecklist: [Join the channel]\n---\n\nAbout.\n")
    teams = "\n".join(f"  - {{id: {t}, name: {t.title()}, channel: \"#{t}\"}}" for t in TEAMS)
    write(out / "content" / "oncall.md", f"---\nteams:\n{teams}\n"
          "rotation: {length: 1w, handoff: \"Monday 10:00\", secondary: true}\n"
          "escalation: [{after: 5m, notify: on-call-secondary}]\n---\n\nOn-call.\n")
    svc_ids = [f"svc-{i:04d}" for i in range(services)]
    public = set(svc_ids[:public_services])
    for i, sid in enumerate(svc_ids):
        deps = "" if i == 0 else f"depends_on: [{svc_ids[rnd.randrange(i)]}]\n"
        sp = (f"status_page:\n  name: Component {i}\n  group: Group {i % 5}\n"
              f"  description: Public component {i}\n  since: 2024-01-01\n") if sid in public else ""
        write(out / "content" / "services" / f"{sid}.md",
              f"---\nname: Service {i}\nowner: {TEAMS[i % len(TEAMS)]}\ntier: {1 + i % 5}\n"
              f"{deps}slo: {{target: 99.9, window: 28d}}\n{sp}---\n\nService {i}.\n")
    rb_ids = [f"runbook-{i:04d}" for i in range(runbooks)]
    body = "\n".join(f"## {s}\n\nDo the {s.lower()} step.\n" for s in SECTIONS)
    for i, rid in enumerate(rb_ids):
        # every service is covered by at least one runbook
        covered = {svc_ids[i % services], svc_ids[(i * 7 + 3) % services]}
        if i == runbooks - 1:
            covered |= set(svc_ids[runbooks:])  # leftovers when services > runbooks
        reviewed = (NOW - timedelta(days=rnd.randrange(60))).date()
        write(out / "content" / "runbooks" / f"{rid}.md",
              f"---\ntitle: Runbook {i}\nservices: [{', '.join(sorted(covered))}]\n"
              f"alerts: [alert_{i}]\nseverity: SEV{1 + i % 3}\nowner: {TEAMS[i % len(TEAMS)]}\n"
              f"last_reviewed: {reviewed}\nreview_every: 90d\n---\n\n{body}")
    span = timedelta(days=720)
    start0 = NOW - span - timedelta(days=2)
    statuses = ["investigating", "identified", "monitoring", "resolved"]
    for n in range(incidents):
        lid, _, _, every, _, _, comp = LEVELS[rnd.randrange(3)]
        started = start0 + span * n / incidents + timedelta(minutes=rnd.randrange(60))
        started = started.replace(second=0, microsecond=0)
        det = started + timedelta(minutes=rnd.randrange(1, 20))
        ack = det + timedelta(minutes=rnd.randrange(1, 10))
        mit = ack + timedelta(minutes=rnd.randrange(5, 20))
        res = mit + timedelta(minutes=rnd.randrange(5, 20))
        svc = svc_ids[rnd.randrange(min(services, public_services * 2))]
        pub_ok = svc in public
        ups = []
        k = max(2, updates)
        for j in range(k):
            st = statuses[-1] if j == k - 1 else statuses[min(j, 2)]
            if j == k - 2 and k > 2:
                st = "monitoring"
            at = det + (res - det) * j / (k - 1)
            comps = f", components: {{{svc}: {comp if st != 'resolved' else 'operational'}}}" \
                if pub_ok else ""
            ups.append(f"  - {{at: {ts(at)}, status: {st}, message: \"Update {j} on the "
                       f"incident; we are working on it.\"{comps}}}")
        slug = f"incident-{n:05d}"
        text = (
            f"---\ntitle: Incident {n} on {svc}\nseverity: {lid}\nservices: [{svc}]\n"
            f"started_at: {ts(started)}\ndetected_at: {ts(det)}\nacknowledged_at: {ts(ack)}\n"
            f"mitigated_at: {ts(mit)}\nresolved_at: {ts(res)}\n"
            f"roles: {{incident-commander: person-{n % 40}, scribe: person-{(n + 7) % 40}}}\n"
            f"runbooks: [{rb_ids[n % runbooks]}]\npublic: {'true' if pub_ok else 'false'}\n"
            + (f"public_title: Problem with component {svc}\n" if pub_ok else "")
            + "updates:\n" + "\n".join(ups) + "\n"
            f"timeline:\n  - {{at: {ts(started)}, event: Deploy begins}}\n"
            f"  - {{at: {ts(det)}, event: Alert fires}}\n"
            f"postmortem: {{status: published, owner: person-{n % 40}, public_summary: "
            f"\"A fault in component {svc} was fixed.\"}}\n"
            f"action_items:\n  - {{title: Add alert {n}, owner: {TEAMS[n % len(TEAMS)]}, "
            f"due: {(res + timedelta(days=14)).date()}, status: done, type: detect}}\n"
            f"---\n\n## Summary\n\nSynthetic incident {n}.\n"
        )
        write(out / "incidents" / f"{started.date()}-{slug}.md", text)
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("out", type=Path)
    ap.add_argument("--incidents", type=int, default=10000)
    ap.add_argument("--runbooks", type=int, default=1000)
    ap.add_argument("--services", type=int, default=200)
    ap.add_argument("--public-services", type=int, default=50)
    ap.add_argument("--updates", type=int, default=3)
    ap.add_argument("--seed", type=int, default=1)
    a = ap.parse_args()
    generate(a.out, a.incidents, a.runbooks, a.services, a.updates, a.public_services, a.seed)
    print(a.out)


if __name__ == "__main__":
    main()
