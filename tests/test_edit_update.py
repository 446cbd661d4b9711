"""`sevbook update` and `sevbook resolve`: byte-for-byte expected files, and every error path.

Inputs are in tests/data/edit/*.md, expected outputs in tests/data/edit/expected/. After a
deliberate change of output, regenerate them with

    SEVBOOK_REGEN=1 pytest tests/test_edit_update.py

and review the diff of the expected files before committing.
"""

from __future__ import annotations

import difflib
import os
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from conftest import NOW_ARG
from sevbook.cli import main

DATA = Path(__file__).parent / "data" / "edit"
EXPECTED = DATA / "expected"
REGEN = os.environ.get("SEVBOOK_REGEN") == "1"

CASES = {
    "block-update": ("block", ["update", "2026-11-20-bl", "--status", "monitoring", "--message",
                               "Payments work again: we're watching.", "--component",
                               "checkout-api=degraded_performance",
                               "--at", "2026-11-20T10:00:00Z"]),
    "block-resolve": ("block", ["resolve", "2026-11-20-block", "--at", "2026-11-20T10:30:00+01:00"
                                .replace("+01:00", "Z")]),
    "flow-update": ("flow", ["update", "2026-11-20-flow", "--status", "monitoring", "--message",
                             "Fix deployed, watching.", "--at", "2026-11-20T12:00:00+01:00"]),
    "flow-resolve": ("flow", ["resolve", "2026-11-20-flow", "--message",
                              "Logins are fast again.", "--at", "2026-11-20T11:30:00Z"]),
    "literal-update": ("literal", ["update", "2026-11-20-literal", "--status", "identified",
                                   "--message", "A node failed.\nRecovery is running.",
                                   "--component", "search=degraded_performance",
                                   "--at", "2026-11-20T11:30:00Z"]),
    "literal-resolve": ("literal", ["resolve", "2026-11-20-literal",
                                    "--at", "2026-11-20T12:00:00Z"]),
    "empty-update": ("empty", ["update", "2026-11-20-empty", "--status", "investigating",
                               "--message", "Order emails are delayed.",
                               "--at", "2026-11-20T12:10:00Z"]),
    "empty-resolve": ("empty", ["resolve", "2026-11-20-empty", "--at", "2026-11-20T13:00:00Z"]),
    "crlf-update": ("crlf", ["update", "2026-11-20-crlf", "--status", "identified",
                             "--message", "Replica promoted.", "--at", "2026-11-20T12:30:00Z"]),
    "crlf-resolve": ("crlf", ["resolve", "2026-11-20-crlf", "--at", "2026-11-20T13:00:00Z"]),
    "flowseq-update": ("flowseq", ["update", "2026-11-20-flowseq", "--status", "identified",
                                   "--message", "A CDN rule, rolled back: images return.",
                                   "--at", "2026-11-20T14:30:00Z"]),
    "flowseq-resolve": ("flowseq", ["resolve", "2026-11-20-flowseq",
                                    "--at", "2026-11-20T15:00:00Z"]),
    "maintenance-update": ("maintenance", ["update", "2026-11-20-maint", "--status",
                                           "in_progress", "--message", "Maintenance started.",
                                           "--component", "auth=under_maintenance",
                                           "--at", "2026-11-20T15:00:00Z"]),
    "maintenance-resolve": ("maintenance", ["resolve", "2026-11-20-maint",
                                            "--at", "2026-11-20T15:40:00Z"]),
}


def place(root: Path, case: str) -> Path:
    target = root / "incidents" / f"2026-11-20-{case}.md"
    shutil.copyfile(DATA / f"{case}.md", target)
    return target


def run(root: Path, args: list[str]):
    return CliRunner().invoke(main, [*args, "--root", str(root), "--now", NOW_ARG])


@pytest.mark.parametrize("name", sorted(CASES))
def test_edit_matches_expected_bytes(example: Path, name: str) -> None:
    case, args = CASES[name]
    target = place(example, case)
    res = run(example, args)
    assert res.exit_code == 0, res.output
    got = target.read_bytes()
    expected = EXPECTED / f"{name}.md"
    if REGEN:
        EXPECTED.mkdir(exist_ok=True)
        expected.write_bytes(got)
    assert got == expected.read_bytes()


@pytest.mark.parametrize("name", sorted(CASES))
def test_edit_only_adds_lines(name: str) -> None:
    """Every original line survives in order; the only lines not kept verbatim are an
    empty `updates: []` / `resolved_at: null` that the edit fills in."""
    case, _ = CASES[name]
    before = (DATA / f"{case}.md").read_bytes().decode().splitlines(keepends=True)
    after = (EXPECTED / f"{name}.md").read_bytes().decode().splitlines(keepends=True)
    removed = [ln for ln in difflib.ndiff(before, after) if ln.startswith("- ")]
    allowed = ("- updates: []", "- resolved_at: null", "- updates: [{")
    assert all(ln.startswith(allowed) for ln in removed), removed


def test_edited_example_still_checks(example: Path) -> None:
    for case in ("block", "flow", "literal", "empty", "crlf", "flowseq", "maintenance"):
        place(example, case)
    for name in ("block-update", "flow-resolve", "literal-update", "empty-resolve",
                 "crlf-resolve", "flowseq-update", "maintenance-resolve"):
        assert run(example, CASES[name][1]).exit_code == 0
    res = CliRunner().invoke(main, ["check", "--root", str(example), "--now", NOW_ARG])
    assert " 0 errors" in " " + res.output.splitlines()[-1], res.output


def test_update_then_resolve_the_open_example_incident(example: Path) -> None:
    path = example / "incidents" / "2026-11-22-search-errors-after-node-loss.md"
    before = path.read_text()
    assert run(example, ["update", "search-err", "--status", "monitoring", "--message",
                         "Search is recovering.", "--at", "2026-11-22T11:55:00Z"]).exit_code == 0
    res = run(example, ["resolve", "2026-11-22-search-errors"])
    assert res.exit_code == 0, res.output
    assert res.output == (f"{example}/incidents/2026-11-22-search-errors-after-node-loss.md: "
                          "resolved #5 (resolved at 2026-11-22T12:00:00Z; public: on the status "
                          "page after merge)\n")
    after = path.read_text()
    added = [ln for ln in difflib.ndiff(before.splitlines(), after.splitlines())
             if ln.startswith(("+ ", "- "))]
    assert added == [
        "+ resolved_at: 2026-11-22T12:00:00Z",
        "+   - at: 2026-11-22T11:55:00Z",
        "+     status: monitoring",
        "+     message: Search is recovering.",
        "+   - at: 2026-11-22T12:00:00Z",
        "+     status: resolved",
        "+     message: This incident has been resolved.",
        "+     components: {search: operational}",
    ]


# ---------------------------------------------------------------------- errors
ERRORS = [
    (["update", "nope", "--status", "identified", "--message", "x"], 2,
     "Error: Invalid value for 'ID': no incident matches 'nope'; ids are file names in "
     "incidents/ without .md, like 2026-12-06-payments-db-upgrade\n"),
    # A prefix matches open incidents only (issue 14); the example has two open.
    (["update", "2026-1", "--status", "identified", "--message", "x"], 2,
     "Error: Invalid value for 'ID': '2026-1' matches 2 open incidents: "
     "2026-11-22-search-errors-after-node-loss, 2026-12-06-payments-db-upgrade; give more "
     "of the id\n"),
    (["update", "search-miss", "--status", "identified", "--message", "x"], 2,
     "Error: Invalid value for 'ID': no open incident matches 'search-miss' (resolved: "
     "2026-02-09-search-missing-new-products); give the full id to edit a resolved one\n"),
    (["update", "search-err", "--status", "in_progress", "--message", "x"], 2,
     "Error: Invalid value for '--status': 'in_progress' is not a status for an incident; "
     "use one of: investigating, identified, monitoring (or `sevbook resolve "
     "2026-11-22-search-errors-after-node-loss` to end it)\n"),
    (["update", "search-err", "--status", "resolved", "--message", "x"], 2,
     "Error: Invalid value for '--status': 'resolved' ends the incident; use `sevbook resolve "
     "2026-11-22-search-errors-after-node-loss`, which also sets resolved_at\n"),
    (["update", "payments-db-up", "--status", "investigating", "--message", "x"], 2,
     "Error: Invalid value for '--status': 'investigating' is not a status for maintenance; "
     "use one of: scheduled, in_progress, verifying (or `sevbook resolve "
     "2026-12-06-payments-db-upgrade` to end it)\n"),
    (["update", "search-err", "--status", "identified", "--message", "x",
      "--component", "payments-db=major_outage"], 2,
     "Error: Invalid value for '--component': service 'payments-db' is not on the status page "
     "(it has no status_page block); public components are: auth, checkout-api, "
     "notifications, search, storefront-web\n"),
    (["update", "search-err", "--status", "identified", "--message", "x",
      "--component", "serch=major_outage"], 2,
     "Error: Invalid value for '--component': 'serch' is not a service; public components "
     "are: auth, checkout-api, notifications, search, storefront-web\n"),
    (["update", "search-err", "--status", "identified", "--message", "x",
      "--component", "search=down"], 2,
     "Error: Invalid value for '--component': 'down' is not a component status; use one of: "
     "operational, degraded_performance, partial_outage, major_outage, under_maintenance\n"),
    (["update", "search-err", "--status", "identified", "--message", "x",
      "--component", "search"], 2,
     "Error: Invalid value for '--component': 'search' is not ID=STATUS; write it like "
     "checkout-api=partial_outage\n"),
    (["update", "search-err", "--status", "identified", "--message", "  "], 2,
     "Error: Invalid value for '--message': the message is empty; say what is known, even "
     "'We are still investigating.'\n"),
    (["update", "search-err", "--status", "identified", "--message", "x",
      "--at", "2026-11-22T11:00:00Z"], 2,
     "Error: Invalid value for '--at': 2026-11-22T11:00:00Z is before the last update "
     "(2026-11-22T11:40:00Z, identified); updates are chronological, so give a later --at\n"),
    (["update", "search-err", "--status", "identified", "--message", "x",
      "--at", "2026-11-22T13:00:00"], 2,
     "Error: Invalid value for '--at': '2026-11-22T13:00:00' has no UTC offset; write it like "
     "2026-03-02T14:18:00Z\n"),
    (["resolve", "2026-11-20-done"], 1,
     "Error: 2026-11-20-done is already resolved (resolved_at: 2026-11-20T10:30:00Z); a "
     "resolved incident is not reopened: open a new one with `sevbook new incident` and link "
     "this one in its body\n"),
    (["update", "2026-11-20-done", "--status", "identified", "--message", "x"], 1,
     "Error: 2026-11-20-done is already resolved (resolved_at: 2026-11-20T10:30:00Z); a "
     "resolved incident is not reopened: open a new one with `sevbook new incident` and link "
     "this one in its body\n"),
]


@pytest.mark.parametrize(("args", "code", "message"), ERRORS, ids=[str(i) for i in range(len(ERRORS))])
def test_error_paths(example: Path, args: list[str], code: int, message: str) -> None:
    shutil.copyfile(EXPECTED / "block-resolve.md", example / "incidents" / "2026-11-20-done.md")
    before = {p.name: p.read_bytes() for p in (example / "incidents").iterdir()}
    res = run(example, args)
    assert res.exit_code == code, res.output
    assert res.output.endswith(message), res.output
    assert {p.name: p.read_bytes() for p in (example / "incidents").iterdir()} == before


def test_invalid_result_is_not_written(example: Path) -> None:
    """--at before started_at makes the file invalid: diagnostics, exit 1, nothing written."""
    path = place(example, "crlf")
    before = path.read_bytes()
    res = run(example, ["resolve", "2026-11-20-crlf", "--at", "2026-11-20T11:00:00Z"])
    assert res.exit_code == 1
    assert "out-of-order" in res.output
    assert res.output.rstrip().endswith("[edit-refused] the edit would leave this file invalid, "
                                        "so nothing was written\n3 errors, 0 warnings in 1 files")
    assert path.read_bytes() == before
    assert [p.name for p in path.parent.iterdir() if p.name.startswith(".")] == []


def test_broken_file_reports_its_errors(example: Path) -> None:
    path = example / "incidents" / "2026-11-20-broken.md"
    path.write_text("---\ntitle: x\nseverity: SEV9\nstarted_at: 2026-11-20T10:00:00\n---\n")
    res = run(example, ["update", "broken", "--status", "identified", "--message", "x"])
    assert res.exit_code == 1
    assert res.output.startswith("incidents/2026-11-20-broken.md:")
    assert "error: [naive-timestamp] started_at:" in res.output


def test_errors_in_other_files_do_not_block_an_edit(example: Path) -> None:
    """Under pressure, a broken file elsewhere must not stop a status update."""
    (example / "incidents" / "2026-11-20-broken.md").write_text("---\ntitle: [unclosed\n---\n")
    res = run(example, ["update", "search-err", "--status", "monitoring", "--message", "Better."])
    assert res.exit_code == 0, res.output


def test_prefix_skips_resolved_incidents(example: Path) -> None:
    # 'search' starts three incident slugs; two are resolved, so it names the open one.
    res = run(example, ["update", "search", "--status", "identified", "--message", "x"])
    assert res.exit_code == 0, res.output
    assert res.output.startswith(
        f"{example}/incidents/2026-11-22-search-errors-after-node-loss.md: added update #")


def test_full_id_still_finds_a_resolved_incident(example: Path) -> None:
    from sevbook.config import load_settings
    from sevbook.edit import find_incident

    ident, path = find_incident(load_settings(example), "2026-02-09-search-missing-new-products")
    assert (ident, path.name) == ("2026-02-09-search-missing-new-products",
                                  "2026-02-09-search-missing-new-products.md")
