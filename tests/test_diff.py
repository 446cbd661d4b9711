"""`sevbook diff BASE_REF`: the public status page difference between two commits of a
git repository made from the example handbook."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner

from conftest import NOW_ARG
from sevbook.cli import main

GIT_ENV = ["-c", "user.email=test@example.com", "-c", "user.name=test",
           "-c", "commit.gpgsign=false", "-c", "init.defaultBranch=main"]


def git(root: Path, *args: str) -> str:
    return subprocess.run(["git", *GIT_ENV, "-C", str(root), *args], check=True,
                          capture_output=True, text=True).stdout


def sevbook(root: Path, *args: str):
    return CliRunner().invoke(main, [*args, "--root", str(root), "--now", NOW_ARG])


@pytest.fixture
def repo(example: Path) -> Path:
    """The example in git: commit 1 as shipped; commit 2 posts an update to the open
    search incident, opens a public and a private incident, makes a past incident private
    and renames a component."""
    git(example, "init", "-q")
    git(example, "add", "-A")
    git(example, "commit", "-qm", "base")
    ok = [
        sevbook(example, "update", "search-err", "--status", "monitoring", "--message",
                "Search works again; we are watching it.", "--component",
                "search=operational", "--at", "2026-11-22T11:50:00Z"),
        sevbook(example, "new", "incident", "Checkout v9 rollout broke PSP tokens",
                "--severity", "SEV1", "--service", "checkout-api", "--public",
                "--public-title", "Card payments failing", "--role", "incident-commander=Zoe"),
        sevbook(example, "new", "incident", "Secret: leaked admin token", "--severity", "SEV2",
                "--service", "auth", "--role", "incident-commander=Mallory"),
    ]
    assert all(r.exit_code == 0 for r in ok), [r.output for r in ok]
    slow = example / "incidents" / "2026-10-14-checkout-slow-after-promotions-release.md"
    slow.write_text(slow.read_text().replace("public: true", "public: false", 1))
    notif = example / "content" / "services" / "notifications.md"
    assert "  name: Order emails\n" in notif.read_text()
    notif.write_text(notif.read_text().replace("  name: Order emails\n", "  name: Order e-mails\n"))
    git(example, "add", "-A")
    git(example, "commit", "-qm", "change")
    return example


def test_diff_json_lists_public_changes(repo: Path) -> None:
    res = sevbook(repo, "diff", "HEAD~1", "--format", "json")
    assert res.exit_code == 0, res.output
    d = json.loads(res.output)
    assert d["base"] == "HEAD~1" and d["now"] == "2026-11-22T12:00:00Z"
    comps = {(c["change"], c["name"], c["before"], c["after"]) for c in d["components"]}
    assert ("status", "Checkout", "operational", "major_outage") in comps
    assert ("status", "Search", "degraded_performance", "operational") in comps
    assert [c for c in d["components"] if c["change"] == "renamed"] == [{
        "change": "renamed", "name": "Order e-mails", "before": "operational",
        "after": "operational", "name_before": "Order emails"}]
    incs = {(i["change"], i["name"]): i for i in d["incidents"]}
    assert set(incs) == {
        ("added", "Card payments failing"),
        ("changed", "Search errors and slow search results"),
        ("removed", "Slow checkout"),
        # its updates name the renamed component
        ("changed", "Delayed order confirmation emails"),
    }
    search = incs[("changed", "Search errors and slow search results")]
    assert (search["status_before"], search["status_after"]) == ("identified", "monitoring")
    assert search["updates"] == [{
        "change": "added", "at": "2026-11-22T11:50:00Z", "status": "monitoring",
        "text": "Search works again; we are watching it.",
        "components": {"Search": "operational"},
    }]


def test_diff_markdown_for_the_job_summary(repo: Path) -> None:
    res = sevbook(repo, "diff", "HEAD~1")
    assert res.exit_code == 0, res.output
    md = res.output
    assert md.startswith("## Status page changes\n")
    assert "| Checkout | Operational | Major outage |" in md
    assert "- **New incident:** Card payments failing (Investigating)" in md
    assert ("- **Changed incident:** Search errors and slow search results "
            "(Identified → Monitoring)") in md
    assert ("  - 2026-11-22 11:50 UTC · **Monitoring** · Search works again; we are watching "
            "it. · Search → Operational") in md
    assert "- **Removed from the status page:** Slow checkout (incident)" in md


def test_diff_never_shows_internal_data(repo: Path) -> None:
    out = sevbook(repo, "diff", "HEAD~1").output + sevbook(
        repo, "diff", "HEAD~1", "--format", "json").output
    for secret in ("Secret", "leaked", "Mallory", "Zoe", "SEV1", "SEV2", "PSP tokens",
                   "checkout-api", "2026-11-22-", "N+1", "Login and accounts"):
        assert secret not in out, secret


def test_no_changes(repo: Path) -> None:
    res = sevbook(repo, "diff", "HEAD")
    assert res.exit_code == 0
    assert res.output.endswith("\nNo changes to the public status page.\n")


def test_base_without_handbook_lists_everything_as_new(repo: Path) -> None:
    empty = git(repo, "commit-tree", "-m", "empty", git(repo, "mktree").strip() or
                "4b825dc642cb6eb9a060e54bf8d69288fbee4904").strip()
    d = json.loads(sevbook(repo, "diff", empty, "--format", "json").output)
    assert {c["change"] for c in d["components"]} == {"added"}
    assert {i["change"] for i in d["incidents"]} == {"added"}


def test_unknown_ref(repo: Path) -> None:
    res = sevbook(repo, "diff", "no-such-branch")
    assert res.exit_code == 1
    assert res.output == ("Error: git does not know the ref 'no-such-branch'; fetch it first "
                          "(in GitHub Actions: actions/checkout with fetch-depth: 0)\n")


def test_not_a_git_repository(example: Path) -> None:
    res = sevbook(example, "diff", "main")
    assert res.exit_code == 1
    assert res.output == (f"Error: {example} is not inside a git repository; sevbook diff "
                          "compares with a git ref\n")


def test_handbook_in_a_subfolder(tmp_path: Path, example: Path) -> None:
    """The handbook need not be at the top of the repository."""
    git(tmp_path, "init", "-q")
    git(tmp_path, "add", "-A")
    git(tmp_path, "commit", "-qm", "base")
    sevbook(example, "update", "search-err", "--status", "monitoring", "--message", "Better.")
    d = json.loads(sevbook(example, "diff", "HEAD", "--format", "json").output)
    assert [i["name"] for i in d["incidents"]] == ["Search errors and slow search results"]


@pytest.mark.parametrize("fmt, expected", [
    ("json", '  "now": "2026-11-22T12:00:00Z",\n'),
    ("markdown", "Compared with `HEAD`, both evaluated at 2026-11-22 12:00 UTC. Only what the "
                 "public status page shows is listed.\n"),
])
def test_now_with_an_offset_is_shown_in_utc(repo: Path, fmt: str, expected: str) -> None:
    """`--now 13:00+01:00` is 12:00 UTC (it used to be printed as 13:00 UTC)."""
    res = CliRunner().invoke(main, ["diff", "HEAD", "--format", fmt, "--root", str(repo),
                                    "--now", "2026-11-22T13:00:00+01:00"])
    assert res.exit_code == 0, res.output
    assert res.output.splitlines(keepends=True)[2] == expected


def test_incident_only_changes_read_only_those_files(example: Path, monkeypatch) -> None:
    """When only incident files changed, the base is the working tree with those files as
    they were: the same comparison as extracting the whole base, from one file each."""
    from conftest import NOW
    from sevbook import diff as diff_mod

    git(example, "init", "-q")
    git(example, "add", "-A")
    git(example, "commit", "-qm", "base")
    assert sevbook(example, "update", "search-err", "--status", "monitoring", "--message",
                   "Search works again.", "--at", "2026-11-22T11:50:00Z").exit_code == 0
    slow = example / "incidents" / "2026-10-14-checkout-slow-after-promotions-release.md"
    slow.write_text(slow.read_text().replace("public: true", "public: false", 1))
    (example / "incidents" / "2026-01-14-login-certificate-expired.md").unlink()
    assert sevbook(example, "new", "incident", "Untracked and new", "--severity", "SEV2",
                   "--service", "auth", "--public", "--public-title", "Login failing",
                   "--role", "incident-commander=Zoe").exit_code == 0
    read: list[list[str]] = []
    extract = diff_mod._extract
    monkeypatch.setattr(diff_mod, "_extract", lambda repo, ref, prefix, paths, dest: (
        read.append(sorted(paths)), extract(repo, ref, prefix, paths, dest))[1])
    fast = diff_mod.public_diff(example, "HEAD", NOW)
    assert read == [["incidents/2026-01-14-login-certificate-expired.md",
                     "incidents/2026-10-14-checkout-slow-after-promotions-release.md",
                     "incidents/2026-11-22-search-errors-after-node-loss.md"]]
    monkeypatch.setattr(diff_mod, "changed_incidents", lambda *a: None)
    full = diff_mod.public_diff(example, "HEAD", NOW)
    assert read[1:] == [[".sevbook/id-key", "content", "incidents"]]
    assert [(i.change, i.name) for i in fast.incidents] == [
        ("added", "Login failing"), ("changed", "Search errors and slow search results"),
        ("removed", "Slow checkout"), ("removed", "Customers unable to sign in")]
    assert fast == full
