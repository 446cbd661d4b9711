"""`sevbook new`: the files written are valid, named by date and slug, and exactly as expected.

Expected files live in tests/data/edit/expected/new-*.md; regenerate them with
`SEVBOOK_REGEN=1 pytest tests/test_edit_new.py` and review the diff.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from click.testing import CliRunner

from conftest import NOW_ARG
from sevbook.cli import main

EXPECTED = Path(__file__).parent / "data" / "edit" / "expected"
REGEN = os.environ.get("SEVBOOK_REGEN") == "1"

CASES = {
    "new-incident-public": (
        ["new", "incident", "Checkout errors after v2.4 deploy", "--severity", "SEV2",
         "--service", "checkout-api", "--service", "payments-db", "--service", "auth",
         "--public"],
        "incidents/2026-11-22-checkout-errors-after-v2-4-deploy.md"),
    "new-incident-private": (
        ["new", "incident", "Suspicious admin logins: Überprüfung", "--severity", "SEV1",
         "--service", "auth", "--role", "incident-commander=Ana María",
         "--role", "scribe=O'Brien", "--at", "2026-11-22T10:15:00+01:00"],
        "incidents/2026-11-22-suspicious-admin-logins-uberprufung.md"),
    "new-maintenance": (
        ["new", "maintenance", "Auth database upgrade", "--from", "2026-11-25T02:00:00Z",
         "--until", "2026-11-25T04:00:00Z", "--service", "auth"],
        "incidents/2026-11-25-auth-database-upgrade.md"),
    "new-runbook": (
        ["new", "runbook", "Disk full on database hosts", "--service", "payments-db",
         "--owner", "payments", "--severity", "SEV3", "--alert", "disk_usage_high"],
        "content/runbooks/disk-full-on-database-hosts.md"),
}


def run(root: Path, args: list[str]):
    return CliRunner().invoke(main, [*args, "--root", str(root), "--now", NOW_ARG])


@pytest.mark.parametrize("name", sorted(CASES))
def test_new_writes_expected_file(example: Path, name: str) -> None:
    args, rel = CASES[name]
    res = run(example, args)
    assert res.exit_code == 0, res.output
    assert res.output == f"{example / rel}\n"
    got = (example / rel).read_bytes()
    expected = EXPECTED / f"{name}.md"
    if REGEN:
        expected.write_bytes(got)
    assert got == expected.read_bytes()


@pytest.mark.parametrize("name", sorted(CASES))
def test_new_file_passes_check(example: Path, name: str) -> None:
    args, rel = CASES[name]
    assert run(example, args).exit_code == 0
    res = CliRunner().invoke(main, ["check", "--root", str(example), "--now", NOW_ARG,
                                    "--format", "json"])
    errors = [d for d in __import__("json").loads(res.output) if d["file"] == rel]
    # The only complaints allowed are the empty role slots and the runbook skeleton's empty
    # sections, which are the point of them.
    allowed = {"empty-section"} if name == "new-runbook" else {"required-role"}
    assert {d["code"] for d in errors} <= allowed, errors


def test_roles_given_leave_no_warning(example: Path) -> None:
    args = ["new", "incident", "Cart empty", "--severity", "SEV2", "--service", "checkout-api",
            "--role", "incident-commander=kim", "--role", "scribe=lee"]
    assert run(example, args).exit_code == 0
    res = run(example, ["check"])
    assert res.exit_code == 0, res.output


def test_slug_is_unique(example: Path) -> None:
    args = ["new", "incident", "Cart empty", "--severity", "SEV3"]
    first, second = run(example, args), run(example, args)
    assert first.output.endswith("incidents/2026-11-22-cart-empty.md\n")
    assert second.output.endswith("incidents/2026-11-22-cart-empty-2.md\n")
    again = run(example, ["new", "runbook", "Login errors", "--service", "auth"])
    assert again.output.endswith("content/runbooks/login-errors-2.md\n")


ERRORS = [
    (["new", "incident", "x", "--severity", "SEV9"],
     "Error: Invalid value for '--severity': severity 'SEV9' does not exist; use one of: "
     "SEV0, SEV1, SEV2, SEV3, SEV4\n"),
    (["new", "incident", "x", "--severity", "SEV2", "--service", "chekout"],
     "Error: Invalid value for '--service': service 'chekout' does not exist; use one of: "
     "auth, cdn-edge, checkout-api, notifications, order-cache, payments-db, search, "
     "storefront-web\n"),
    (["new", "incident", "x", "--severity", "SEV2", "--role", "boss=me"],
     "Error: Invalid value for '--role': role 'boss' does not exist; use one of: comms-lead, "
     "deputy-incident-commander, executive-sponsor, incident-commander, ops-lead, scribe, "
     "subject-matter-expert, support-lead\n"),
    (["new", "incident", "x", "--severity", "SEV2", "--role", "scribe"],
     "Error: Invalid value for '--role': 'scribe' is not ROLE=NAME; write it like "
     "incident-commander=alice\n"),
    (["new", "incident", "  ", "--severity", "SEV2"],
     "Error: Invalid value for 'TITLE': the title is empty; give a short description, like "
     "'Checkout errors after deploy'\n"),
    (["new", "maintenance", "x", "--from", "2026-11-25T04:00:00Z",
      "--until", "2026-11-25T02:00:00Z"],
     "Error: Invalid value for '--until': 2026-11-25T02:00:00Z is not after --from "
     "2026-11-25T04:00:00Z; the window must end after it starts\n"),
    (["new", "maintenance", "x", "--from", "2026-11-21T02:00:00Z",
      "--until", "2026-11-25T02:00:00Z"],
     "Error: Invalid value for '--from': 2026-11-21T02:00:00Z is in the past (now "
     "2026-11-22T12:00:00Z); check the date, or pass --past to record a window that has "
     "already begun\n"),
    (["new", "runbook", "x", "--owner", "nobody"],
     "Error: Invalid value for '--owner': team 'nobody' is not declared in content/oncall.md; "
     "use one of: payments, storefront, identity, platform, data, security\n"),
]


@pytest.mark.parametrize(("args", "message"), ERRORS, ids=[a[1] + str(i) for i, (a, _) in
                                                          enumerate(ERRORS)])
def test_new_errors(example: Path, args: list[str], message: str) -> None:
    res = run(example, args)
    assert res.exit_code == 2, res.output
    assert res.output.endswith(message), res.output


def test_new_incident_needs_severity(example: Path) -> None:
    res = run(example, ["new", "incident", "x"])
    assert res.exit_code == 2
    assert "Missing option '--severity'" in res.output


def test_maintenance_message_uses_the_site_zone_across_a_dst_change(example: Path) -> None:
    # Europe/Berlin (the example's status.timezone) leaves CEST at 03:00 on 25 Oct 2026.
    res = run(example, ["new", "maintenance", "Night work", "--from", "2026-10-24T23:30:00Z",
                        "--until", "2026-10-25T02:00:00Z", "--past"])
    assert res.exit_code == 0, res.output
    text = Path(res.output.strip()).read_text()
    assert ("message: We will be performing scheduled maintenance from 01:30 CEST to "
            "03:00 CET on 25 October 2026.") in text
