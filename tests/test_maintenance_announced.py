"""`announced_at:` on maintenance: the status page shows a maintenance as scheduled from its
announcement, before any update is written, and the API's `started_at` (Statuspage's
announcement time) is it. Without the key nothing changes."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

from click.testing import CliRunner

from sevbook.cli import main
from sevbook.init import init

MAINTENANCE = """\
---
title: Database upgrade
kind: maintenance
services: [website]
scheduled_for: 2026-01-10T02:00:00Z
scheduled_until: 2026-01-10T04:00:00Z
{extra}public: true
public_title: Database upgrade
---
"""
FILE = "incidents/2026-01-10-database-upgrade.md"


def run(*args: str):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def repo_with(tmp_path: Path, extra: str) -> Path:
    repo = tmp_path / "repo"
    init(repo, "Acme", datetime(2026, 1, 1, tzinfo=UTC), url="https://status.example.com/")
    (repo / FILE).write_text(MAINTENANCE.format(extra=extra))
    return repo


def maintenances(repo: Path, now: str) -> list[dict]:
    built = run("build", "--no-handbook", "--root", str(repo), "--now", now)
    assert built.exit_code == 0, built.output
    api = repo / "site" / "status" / "api" / "v2" / "scheduled-maintenances.json"
    return json.loads(api.read_text())["scheduled_maintenances"]


def shown(m: dict) -> tuple:
    return (m["status"], m["created_at"], m["started_at"],
            [(u["status"], u["display_at"], u["body"]) for u in m["incident_updates"]])


ANNOUNCED = "announced_at: 2026-01-03T09:00:00Z\n"
SCHEDULED = ("scheduled", "2026-01-03T09:00:00Z",
             "We will be undergoing scheduled maintenance during this time.")


def test_visible_as_scheduled_from_the_announcement_without_updates(tmp_path):
    repo = repo_with(tmp_path, ANNOUNCED)
    assert maintenances(repo, "2026-01-03T08:59:59Z") == []
    assert [shown(m) for m in maintenances(repo, "2026-01-05T00:00:00Z")] == [
        ("scheduled", "2026-01-03T09:00:00Z", "2026-01-03T09:00:00Z", [SCHEDULED])]
    assert [shown(m) for m in maintenances(repo, "2026-01-10T03:00:00Z")] == [
        ("in_progress", "2026-01-03T09:00:00Z", "2026-01-03T09:00:00Z", [
            ("in_progress", "2026-01-10T02:00:00Z", "Scheduled maintenance is currently in "
             "progress. We will provide updates as necessary."), SCHEDULED])]


def test_a_public_maintenance_with_announced_at_needs_no_update(tmp_path):
    repo = repo_with(tmp_path, ANNOUNCED)
    result = run("check", "--strict", "--root", str(repo), "--now", "2026-01-05T00:00:00Z")
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[-1] == "0 errors, 0 warnings in 8 files"


def test_without_announced_at_a_public_maintenance_still_needs_an_update(tmp_path):
    repo = repo_with(tmp_path, "")
    result = run("check", "--root", str(repo), "--now", "2026-01-05T00:00:00Z")
    assert result.exit_code == 1
    assert result.output.splitlines()[0] == (
        f"{FILE}:7: error: [public-without-updates] public: public incident has no updates, "
        "so the status page would show nothing; add an update (sevbook update ID --status "
        "investigating --message TEXT) or set public: false")


def test_written_updates_stay_and_started_at_is_the_announcement(tmp_path):
    update = ("updates:\n  - at: 2026-01-04T10:00:00Z\n    status: scheduled\n"
              "    message: Payments pause for two hours.\n")
    repo = repo_with(tmp_path, ANNOUNCED + update)
    assert [shown(m) for m in maintenances(repo, "2026-01-05T00:00:00Z")] == [
        ("scheduled", "2026-01-04T10:00:00Z", "2026-01-03T09:00:00Z",
         [("scheduled", "2026-01-04T10:00:00Z", "Payments pause for two hours.")])]


def test_without_announced_at_started_at_is_the_first_update(tmp_path):
    update = ("updates:\n  - at: 2026-01-04T10:00:00Z\n    status: scheduled\n"
              "    message: Payments pause for two hours.\n")
    repo = repo_with(tmp_path, update)
    assert [shown(m) for m in maintenances(repo, "2026-01-05T00:00:00Z")] == [
        ("scheduled", "2026-01-04T10:00:00Z", "2026-01-04T10:00:00Z",
         [("scheduled", "2026-01-04T10:00:00Z", "Payments pause for two hours.")])]


def test_announced_after_the_window_opens_is_an_error(tmp_path):
    repo = repo_with(tmp_path, "announced_at: 2026-01-10T03:00:00Z\n")
    result = run("check", "--root", str(repo), "--now", "2026-01-05T00:00:00Z")
    assert result.exit_code == 1
    assert result.output == (
        f"{FILE}:7: error: [bad-value] announced_at: 2026-01-10T03:00:00Z is after the window "
        "opens (scheduled_for 2026-01-10T02:00:00Z); a maintenance is announced before it "
        "begins: set announced_at at or before scheduled_for\n"
        "1 error, 0 warnings in 8 files\n")


def test_announced_at_on_an_incident_is_an_error(tmp_path):
    repo = tmp_path / "repo"
    init(repo, "Acme", datetime(2026, 1, 1, tzinfo=UTC), url="https://status.example.com/")
    path = repo / "incidents" / "2026-01-04-slow-pages.md"
    path.write_text("---\ntitle: Slow pages\nseverity: SEV3\nservices: [website]\n"
                    "started_at: 2026-01-04T10:00:00Z\nannounced_at: 2026-01-04T10:05:00Z\n---\n")
    result = run("check", "--root", str(repo), "--now", "2026-01-05T00:00:00Z")
    assert result.exit_code == 1
    assert result.output.splitlines()[0] == (
        "incidents/2026-01-04-slow-pages.md:6: error: [bad-value] announced_at: only a "
        "maintenance (kind: maintenance) is announced ahead; an incident is announced by its "
        "first update: remove announced_at")
