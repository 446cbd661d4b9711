"""`sevbook notify`: the events between the published page and the new one, exactly once.

The example's status page is built at two moments (the page published before, and the one
just built), and `sevbook notify` runs against real receivers on 127.0.0.1: an HTTP server
for the webhook channels and aiosmtpd for e-mail.
"""

from __future__ import annotations

import json
import shutil
from datetime import UTC, datetime
from pathlib import Path

import pytest
from click.testing import CliRunner

from conftest import copy_example
from notify_servers import MailServer, WebhookServer, publish, set_notify
from sevbook.cli import main
from status_support import example_root, load_example, public_id

T = "2026-11-22T{}:00Z"
INCIDENT = public_id("2026-11-22-search-errors-after-node-loss")
MAINTENANCE = public_id("2026-12-06-payments-db-upgrade")
HTTP_CHANNELS = ("statuspage", "slack", "teams", "discord")
BODY = ("Recovery is progressing and fewer searches are failing. To speed it up, search "
        "suggestions while typing are turned off for now; searching itself works. Next update "
        "by 12:40 UTC.")


def at(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00")).astimezone(UTC)


@pytest.fixture(scope="module")
def handbook():
    return load_example(example_root())


@pytest.fixture
def receivers():
    web, smtp = WebhookServer().start(), MailServer().start()
    yield web, smtp
    web.stop()
    smtp.stop()


def channels(web: WebhookServer, smtp: MailServer, **extra) -> dict:
    out = [{"name": n, "type": "webhook" if n == "statuspage" else n,
            "url_env": f"T_{n.upper()}"} for n in HTTP_CHANNELS]
    out.append({"name": "mail", "type": "email",
                "smtp": {"host": "127.0.0.1", "port": smtp.port, "security": "none"},
                "sender": "Acme Shop Status <status@example.com>",
                "to": "status-announce@example.com", "subscribers_env": "T_SUBSCRIBERS",
                "unsubscribe": "mailto:unsubscribe@example.com"})
    return {"channels": out, "backoff": 0, "timeout": 5, **extra}


def env(web: WebhookServer, subscribers: str = "ops@example.org") -> dict[str, str]:
    out = {f"T_{n.upper()}": web.url(f"/{n}") for n in HTTP_CHANNELS}
    out["T_SUBSCRIBERS"] = subscribers
    return out


@pytest.fixture
def root(tmp_path: Path) -> Path:
    return copy_example(tmp_path / "handbook")


def notify(root: Path, previous: Path | None, *args: str, environ: dict | None = None):
    cmd = ["notify", "--root", str(root), *args]
    if previous is not None:
        cmd += ["--previous", str(previous)]
    return CliRunner().invoke(main, cmd, env=environ or {})


def deploy(handbook, root: Path, when: str) -> Path:
    """Build the page at `when` into root/site/status, as the publish run does."""
    return publish(handbook, root / "site" / "status", at(when))


def published(root: Path, tmp: Path, name: str) -> Path:
    """A copy of the page just deployed (what the next run fetches before deploying)."""
    dest = tmp / name
    shutil.copytree(root / "site" / "status", dest)
    return dest


# --- planning -----------------------------------------------------------------------------

def test_dry_run_lists_the_new_update_and_its_message(handbook, root, tmp_path):
    prev = publish(handbook, tmp_path / "prev", at(T.format("11:00")))
    deploy(handbook, root, T.format("12:00"))
    result = notify(root, prev, "--dry-run")
    assert result.exit_code == 0, result.output
    api = json.loads((root / "site/status/api/v2/incidents.json").read_text())
    newest = next(i for i in api["incidents"] if i["id"] == INCIDENT)["incident_updates"][0]
    assert newest["body"] == BODY
    assert result.output == f"""dry run: 1 new event

incident.updated  incident {INCIDENT}  update {newest["id"]}  2026-11-22T11:40:00Z
    Identified: Search errors and slow search results

    Status: Identified
    Affected: Search (degraded performance)
    Posted: 2026-11-22 12:40 CET

    {BODY}

    https://status.example.com/incidents/{INCIDENT}/

no channel is configured (notify: channels: in mkdocs.yml): nothing is sent
"""


def test_dry_run_json_names_channel_event_and_ids(handbook, root, tmp_path, receivers):
    web, smtp = receivers
    set_notify(root, channels(web, smtp))
    prev = publish(handbook, tmp_path / "prev", at(T.format("10:30")))
    deploy(handbook, root, T.format("12:00"))
    result = notify(root, prev, "--dry-run", "--format", "json", environ=env(web))
    assert result.exit_code == 0, result.output
    doc = json.loads(result.output)
    api = json.loads((root / "site/status/api/v2/incidents.json").read_text())
    inc = next(i for i in api["incidents"] if i["id"] == INCIDENT)
    u1050, u1140 = inc["incident_updates"][1]["id"], inc["incident_updates"][0]["id"]
    assert [(e["event"], e["incident_id"], e["update_id"]) for e in doc["events"]] == [
        ("incident.updated", INCIDENT, u1050), ("incident.updated", INCIDENT, u1140)]
    assert [(d["channel"], d["event"], d["update_id"], d["to"]) for d in doc["deliveries"]] == [
        (c, "incident.updated", u, to) for c, tos in (
            ("statuspage", [None]), ("slack", [None]), ("teams", [None]),
            ("discord", [None]), ("mail", ["status-announce@example.com", "a subscriber"]))
        for u in (u1050, u1140) for to in tos]
    assert doc["deliveries"][-1]["message"]["subject"] == (
        "[Acme Shop Status] Identified: Search errors and slow search results")
    assert web.received == [] and smtp.mails == []  # a dry run sends nothing


def test_a_new_incident_is_created_then_updated(handbook, root, tmp_path):
    prev = publish(handbook, tmp_path / "prev", at(T.format("09:50")))
    deploy(handbook, root, T.format("10:55"))
    doc = json.loads(notify(root, prev, "--dry-run", "--format", "json").output)
    assert [(e["event"], e["incident_id"], e["at"]) for e in doc["events"]] == [
        ("incident.created", INCIDENT, "2026-11-22T10:00:00Z"),
        ("incident.updated", INCIDENT, "2026-11-22T10:50:00Z")]


@pytest.mark.parametrize(("before", "after", "event", "when"), [
    ("2026-11-20T14:00:00Z", "2026-11-20T16:00:00Z", "maintenance.scheduled",
     "2026-11-20T15:00:00Z"),
    ("2026-12-06T01:00:00Z", "2026-12-06T03:00:00Z", "maintenance.started",
     "2026-12-06T02:00:00Z"),
    ("2026-12-06T03:00:00Z", "2026-12-06T05:00:00Z", "maintenance.completed",
     "2026-12-06T04:00:00Z"),
])
def test_maintenance_is_announced_scheduled_started_and_completed(
        handbook, root, tmp_path, before, after, event, when):
    prev = publish(handbook, tmp_path / "prev", at(before))
    deploy(handbook, root, after)
    doc = json.loads(notify(root, prev, "--dry-run", "--format", "json").output)
    assert [(e["event"], e["incident_id"], e["at"]) for e in doc["events"]
            if e["incident_id"] == MAINTENANCE] == [(event, MAINTENANCE, when)]


def test_resolving_sends_incident_resolved(handbook, root, tmp_path):
    prev = publish(handbook, tmp_path / "prev", at(T.format("12:00")))
    resolved = CliRunner().invoke(main, ["resolve", "search-errors", "--root", str(root),
                                         "--at", T.format("12:30"), "--now", T.format("12:31")])
    assert resolved.exit_code == 0, resolved.output
    deploy(load_example(root), root, T.format("12:45"))
    doc = json.loads(notify(root, prev, "--dry-run", "--format", "json").output)
    assert [(e["event"], e["incident_id"], e["at"]) for e in doc["events"]] == [
        ("incident.resolved", INCIDENT, "2026-11-22T12:30:00Z")]


def test_a_component_change_without_an_incident_is_its_own_event(handbook, root, tmp_path):
    prev = publish(handbook, tmp_path / "prev", at(T.format("12:00")))
    (root / "incidents/2026-11-22-search-errors-after-node-loss.md").unlink()  # withdrawn
    deploy(load_example(root), root, T.format("12:15"))
    doc = json.loads(notify(root, prev, "--dry-run", "--format", "json").output)
    assert [(e["event"], e["component_id"]) for e in doc["events"]] == [
        ("component.updated", "search")]


def test_first_deploy_sends_nothing_unless_asked(handbook, root, tmp_path):
    (tmp_path / "nothing-published").mkdir()
    deploy(handbook, root, T.format("12:00"))
    result = notify(root, tmp_path / "nothing-published", "--dry-run")
    assert result.output == (
        "dry run: no previously published page (a first deploy): nothing is sent; pass "
        "--first-deploy-sends to announce what is active now\n\n"
        "no channel is configured (notify: channels: in mkdocs.yml): nothing is sent\n")
    asked = notify(root, tmp_path / "nothing-published", "--dry-run", "--format", "json",
                   "--first-deploy-sends")
    events = json.loads(asked.output)["events"]
    assert [(e["event"], e["incident_id"]) for e in events] == [
        ("maintenance.scheduled", MAINTENANCE), ("incident.created", INCIDENT),
        ("incident.updated", INCIDENT), ("incident.updated", INCIDENT)]


def _silence(site: Path, update_id: str) -> None:
    for path in (site / "api/v2").rglob("*.json"):
        text = path.read_text()
        doc = json.loads(text)

        def walk(node):
            if isinstance(node, dict):
                if node.get("id") == update_id and "deliver_notifications" in node:
                    node["deliver_notifications"] = False
                for v in node.values():
                    walk(v)
            elif isinstance(node, list):
                for v in node:
                    walk(v)
        walk(doc)
        path.write_text(json.dumps(doc))


# --- delivery, exactly once ---------------------------------------------------------------

def test_each_event_reaches_every_channel_once_across_reruns_and_scheduled_runs(
        handbook, root, tmp_path, receivers):
    web, smtp = receivers
    set_notify(root, channels(web, smtp))
    prev = publish(handbook, tmp_path / "prev", at(T.format("11:00")))
    deploy(handbook, root, T.format("12:00"))
    first = notify(root, prev, environ=env(web))
    assert first.exit_code == 0, first.output
    assert first.output.endswith(
        "statuspage (webhook): 1 sent, 0 skipped, 0 failed\n"
        "slack (slack): 1 sent, 0 skipped, 0 failed\n"
        "teams (teams): 1 sent, 0 skipped, 0 failed\n"
        "discord (discord): 1 sent, 0 skipped, 0 failed\n"
        "mail (email): 2 sent, 0 skipped, 0 failed\n")
    live = published(root, tmp_path, "live-1200")
    rerun = notify(root, live, environ=env(web))  # "Re-run all jobs": the page shows it all
    deploy(handbook, root, T.format("12:15"))  # the scheduled run a quarter later
    scheduled = notify(root, live, environ=env(web))
    for run in (rerun, scheduled):
        assert run.exit_code == 0
        assert run.output.startswith("0 new events\n")
    assert [r.path for r in web.received] == [f"/{n}" for n in HTTP_CHANNELS]
    assert sorted(m.recipients[0] for m in smtp.mails) == [
        "ops@example.org", "status-announce@example.com"]


def test_a_silent_update_is_listed_but_never_sent(handbook, root, tmp_path, receivers):
    web, smtp = receivers
    set_notify(root, channels(web, smtp))
    prev = publish(handbook, tmp_path / "prev", at(T.format("11:00")))
    site = deploy(handbook, root, T.format("12:00"))
    api = json.loads((site / "api/v2/incidents.json").read_text())
    newest = next(i for i in api["incidents"] if i["id"] == INCIDENT)["incident_updates"][0]
    _silence(site, newest["id"])
    result = notify(root, prev, environ=env(web))
    assert result.exit_code == 0
    assert result.output.startswith(
        f"1 new event (1 silent, not sent)\n\nincident.updated  incident {INCIDENT}  update "
        f"{newest['id']}  2026-11-22T11:40:00Z (silent: not sent)\n")
    assert web.received == [] and smtp.mails == []


def test_the_per_run_cap_skips_the_rest(handbook, root, tmp_path, receivers):
    web, smtp = receivers
    set_notify(root, {**channels(web, smtp), "max_events": 1})
    prev = publish(handbook, tmp_path / "prev", at(T.format("10:30")))
    deploy(handbook, root, T.format("12:00"))
    result = notify(root, prev, environ=env(web))
    assert result.exit_code == 0
    assert result.output.startswith(
        "2 new events (1 over the per-run cap (notify.max_events), not sent)\n")
    assert "slack (slack): 1 sent, 1 skipped, 0 failed\n" in result.output
    assert len(web.bodies("/slack")) == 1
    assert web.bodies("/slack")[0]["blocks"][0]["text"]["text"] == (
        "Identified: Search errors and slow search results")
