"""`sevbook import cstate` on a copy of cState's own example site (tests/data/cstate/)."""

from __future__ import annotations

import json
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

from click.testing import CliRunner

from sevbook.cli import main
from sevbook.init import init

SITE = Path(__file__).parent / "data" / "cstate" / "example"
NOW = "2019-10-05T16:58:00Z"


def run(*args: str):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def imported(tmp_path: Path) -> tuple[Path, str]:
    repo = tmp_path / "repo"
    init(repo, "Acme", datetime(2026, 1, 1, tzinfo=UTC), url="https://status.example.com/")
    result = run("import", "cstate", "--root", str(repo), str(SITE))
    assert result.exit_code == 0, result.output
    return repo, result.output


REPORT = """\
wrote content/services/gateway.md
wrote content/services/backup-gateway.md
wrote content/services/api.md
wrote content/services/media-proxy.md
wrote incidents/2017-12-17-issues-sending-dms.md
wrote incidents/2018-04-13-unavailable-guilds-connection-issues.md
wrote incidents/2018-04-25-us-east-connection-issues.md
wrote incidents/2019-10-05-new-pipeline-rollout.md
skipped content/services/website.md: exists and was not written by this import
not mapped:
  - Website: system link https://example.com/ is not shown on the status page
  - 2018-01-17-sending-dms-impacted.md: updates without a {{< track >}} time are placed at \
the issue's date
  - 2018-01-17-sending-dms-impacted.md, 2019-10-08-testing-new-pipeline.md: resolved \
without a resolving update; one without a message was added at resolvedWhen
  - 2018-05-25-us-east-conn-issues.md: resolvedWhen 2018-04-25T04:13:59+00:00 is before \
its last update; resolved at the last update instead
  - 2024-02-24-maintenance-window.md, i-testing-cstate-functions.md: informational post \
(no severity, no state): left out
  - cState times have no zone; read as UTC
  - cState systems have no start date; services have no since:
imported from cstate: 8 written, 0 unchanged, 1 skipped, 7 kinds of things not mapped; \
check and build with --now 2019-10-05T16:58:00Z
"""


def test_report(tmp_path):
    assert imported(tmp_path)[1] == REPORT


def test_system_category_becomes_the_group(tmp_path):
    repo, _ = imported(tmp_path)
    text = (repo / "content" / "services" / "gateway.md").read_text()
    assert text.splitlines()[2:7] == ["name: Gateway", "owner: engineering", "status_page:",
                                      "  name: Gateway", "  group: North Coast"]
    api = (repo / "content" / "services" / "api.md").read_text()
    assert "  group:" not in api  # category "Uncategorized" is untitled


def test_tracked_updates_severity_and_post_mortem(tmp_path):
    repo, _ = imported(tmp_path)
    text = (repo / "incidents" / "2018-04-13-unavailable-guilds-connection-issues.md").read_text()
    lines = text.splitlines()
    assert lines[4:33] == [
        "severity: SEV1",
        "services: [api, media-proxy]",
        "started_at: 2018-04-13T15:54:00Z",
        "resolved_at: 2018-04-13T17:30:00Z",
        "public: true",
        "public_title: Unavailable Guilds & Connection Issues",
        "accepted:",
        "  - code: postmortem-overdue",
        "    reason: 'imported from cState: no record of the postmortem process'",
        "    by: sevbook import",
        "  - code: required-role",
        "    reason: 'imported from cState: no record of who held the roles'",
        "    by: sevbook import",
        "  - code: silent-incident",
        "    reason: 'imported from cState: its public updates are all there is, at the "
        "times they were published'",
        "    by: sevbook import",
        "updates:",
        "  - at: 2018-04-13T15:54:00Z",
        "    status: investigating",
        "    message: We're aware of users experiencing unavailable guilds and issues when "
        "attempting to connect. We're currently investigating.",
        "    components: {api: major_outage, media-proxy: major_outage}",
        "  - at: 2018-04-13T16:50:00Z",
        "    status: monitoring",
        "    message: After hitting the ole reboot button Example Chat App is now recovering. "
        "We're going to continue to monitor as everyone reconnects.",
        "  - at: 2018-04-13T17:30:00Z",
        "    status: resolved",
        "    message: A fix has been implemented and we are monitoring the results. Looks like "
        "this has been fixed.",
        "    components: {api: operational, media-proxy: operational}",
        "postmortem:",
    ]
    assert lines[33].startswith("  public_summary: At approximately 14:01, a Redis instance")


def test_check_has_no_errors_and_the_page_builds(tmp_path):
    repo, _ = imported(tmp_path)
    result = run("check", "--root", str(repo), "--now", NOW, "--format", "json")
    assert result.exit_code == 0
    found = json.loads(result.output)
    # the history warnings are accepted in the incident files; services have no runbook
    assert Counter((d["severity"], d["code"]) for d in found) == {
        ("warning", "service-no-runbook"): 4}
    assert run("build", "--no-handbook", "--root", str(repo), "--now", NOW).exit_code == 0
    comps = json.loads((repo / "site/status/api/v2/components.json").read_text())["components"]
    groups = {c["id"]: c["name"] for c in comps if c["group"]}
    assert sorted((c["name"], groups.get(c["group_id"])) for c in comps if not c["group"]) == [
        ("API", None), ("Backup Gateway", "North Coast"), ("Gateway", "North Coast"),
        ("Media Proxy", None), ("Website", None)]


def test_rerun_is_idempotent(tmp_path):
    repo, _ = imported(tmp_path)
    again = run("import", "cstate", "--root", str(repo), str(SITE))
    assert again.output.splitlines()[-1].startswith(
        "imported from cstate: 0 written, 8 unchanged, 1 skipped")


def test_not_a_cstate_site(tmp_path):
    repo, _ = imported(tmp_path)
    result = CliRunner().invoke(main, ["import", "cstate", "--root", str(repo), str(tmp_path)])
    assert result.exit_code == 1
    assert result.output == (f"Error: {tmp_path} has no config.yml; give the folder of a "
                             "cState site\n")
