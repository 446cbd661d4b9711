"""`sevbook check`: every error path gives its exact message, exit code, and no traceback.

Each case under tests/data/check/bad/<case>/ is laid over a valid base handbook
(tests/data/check/base/); `expected.txt` beside it is the exact output of `sevbook check`.
"""

from __future__ import annotations

import json
import shutil
from datetime import UTC
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from tests.conftest import NOW, NOW_ARG, REPO

from sevbook.cli import main

DATA = Path(__file__).parent / "data" / "check"
CASES = sorted(p.name for p in (DATA / "bad").iterdir() if p.is_dir())


def make_root(tmp_path: Path, case: str | None = None) -> Path:
    root = tmp_path / "hb"
    shutil.copytree(DATA / "base", root)
    if case:
        shutil.copytree(DATA / "bad" / case, root, dirs_exist_ok=True)
        (root / "expected.txt").unlink()
    return root


def run(*args: str):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def test_base_fixture_is_clean(tmp_path):
    res = run("check", "--strict", "--now", NOW_ARG, "--root", str(make_root(tmp_path)))
    assert res.output == "0 errors, 0 warnings in 6 files\n"
    assert res.exit_code == 0


def test_example_handbook_passes_strict():
    res = run("check", "--strict", "--now", NOW_ARG, "--root", str(REPO))
    assert res.exit_code == 0, res.output
    assert res.output.startswith("0 errors, 0 warnings in ")


@pytest.mark.parametrize("case", CASES)
def test_bad_input_exact_output(tmp_path, case):
    root = make_root(tmp_path, case)
    res = run("check", "--now", NOW_ARG, "--root", str(root))
    expected = (DATA / "bad" / case / "expected.txt").read_text(encoding="utf-8")
    assert res.output == expected
    assert "Traceback" not in res.output
    has_errors = "error:" in expected
    assert res.exit_code == (1 if has_errors else 0)


def test_strict_turns_warnings_into_errors(tmp_path):
    root = make_root(tmp_path, "warnings")
    res = run("check", "--strict", "--now", NOW_ARG, "--root", str(root))
    assert res.exit_code == 1
    assert res.output.splitlines()[-1] == "12 errors, 0 warnings in 10 files"
    assert "warning:" not in res.output


def test_public_title_missing_is_an_error_under_strict(tmp_path):
    root = make_root(tmp_path, "public-title-missing")
    res = run("check", "--strict", "--now", NOW_ARG, "--root", str(root))
    assert res.output.splitlines() == [
        "incidents/2026-11-02-pool-exhausted.md:9: error: [public-title-missing] public_title: "
        "public_title is empty, so the status page would show no title; write the words "
        "customers should read",
        "incidents/2026-11-30-db-upgrade.md:7: error: [public-title-missing] public: public "
        "record without public_title: the status page would show the internal title 'Postgres "
        "17 upgrade of payments-db (primary failover)'; add public_title: with the words "
        "customers should read (it may be the same)",
        "2 errors, 0 warnings in 8 files"]
    assert res.exit_code == 1


def test_private_incident_needs_no_public_title(tmp_path):
    root = make_root(tmp_path, "public-title-missing")
    for f in (root / "incidents").glob("2026-11-*.md"):
        f.write_text(f.read_text().replace("public: true", "public: false"))
    res = run("check", "--strict", "--now", NOW_ARG, "--root", str(root))
    assert res.output == "0 errors, 0 warnings in 8 files\n"
    assert res.exit_code == 0


def test_fifty_megabyte_file_is_refused_without_reading_it(tmp_path):
    root = make_root(tmp_path)
    big = root / "incidents" / "2026-11-02-huge.md"
    with big.open("wb") as f:
        f.truncate(50 * 1024 * 1024)
    res = run("check", "--now", NOW_ARG, "--root", str(root))
    assert res.output.splitlines()[0] == (
        "incidents/2026-11-02-huge.md: error: [too-large] file is 50.0 MB; sevbook reads files "
        "up to 2 MB, so move large material (logs, dumps) elsewhere and link to it")
    assert res.exit_code == 1


def test_symlink_outside_repository_is_refused(tmp_path):
    root = make_root(tmp_path)
    outside = tmp_path / "secret.md"
    outside.write_text("---\ntitle: Outside\n---\n")
    (root / "incidents" / "2026-11-02-link.md").symlink_to(outside)
    res = run("check", "--now", NOW_ARG, "--root", str(root))
    assert res.output.splitlines()[0] == (
        f"incidents/2026-11-02-link.md: error: [symlink-outside] symlink points outside the "
        f"repository (to {outside.resolve()}); copy the file into the repository instead")
    assert res.exit_code == 1


def test_symlink_inside_repository_is_read(tmp_path):
    root = make_root(tmp_path)
    (root / "incidents" / "2026-11-01-alias.md").symlink_to(
        root / "incidents" / "2026-11-01-checkout-down.md")
    res = run("check", "--now", NOW_ARG, "--root", str(root))
    assert res.exit_code == 0, res.output


def test_alias_bomb_is_refused_quickly(tmp_path):
    import time

    root = make_root(tmp_path, "alias-bomb")
    t0 = time.perf_counter()
    res = run("check", "--now", NOW_ARG, "--root", str(root))
    assert time.perf_counter() - t0 < 5
    assert "[yaml] YAML anchors and aliases" in res.output


def test_github_format_prints_annotations(tmp_path):
    root = make_root(tmp_path, "unknown-refs")
    res = run("check", "--format", "github", "--now", NOW_ARG, "--root", str(root))
    lines = res.output.splitlines()
    assert lines[0] == (
        "::error file=incidents/2026-11-02-refs.md,line=3,title=sevbook unknown-severity::"
        "[unknown-severity] severity: severity 'SEV9' does not exist; use one of: SEV1, SEV2")
    assert lines[-1] == "5 errors, 0 warnings in 7 files"
    assert res.exit_code == 1


def test_github_format_escapes_newlines_and_commas(tmp_path):
    from sevbook.diagnostics import Diagnostic

    d = Diagnostic("a,b:c.md", 3, "f", "warning", "x", "line one\nline two 100%")
    assert d.github() == ("::warning file=a%2Cb%3Ac.md,line=3,title=sevbook x::"
                          "[x] f: line one%0Aline two 100%25")


def test_json_format_lists_every_problem(tmp_path):
    root = make_root(tmp_path, "wrong-type")
    res = run("check", "--format", "json", "--now", NOW_ARG, "--root", str(root))
    data = json.loads(res.output)
    assert data == [
        {"file": "content/services/search.md", "line": 4, "field": "tier", "severity": "error",
         "code": "wrong-type", "message": "expected a whole number, got string 'high'"},
        {"file": "content/services/search.md", "line": 5, "field": "depends_on",
         "severity": "error", "code": "wrong-type",
         "message": "expected a list, got string 'checkout'"},
    ]
    assert res.exit_code == 1


def test_all_problems_of_all_files_in_one_run(tmp_path):
    root = make_root(tmp_path)
    for case in ("unknown-refs", "wrong-type", "broken-yaml", "naive-timestamp"):
        shutil.copytree(DATA / "bad" / case, root, dirs_exist_ok=True)
    (root / "expected.txt").unlink()
    res = run("check", "--now", NOW_ARG, "--root", str(root))
    assert res.output.splitlines()[-1] == "9 errors, 0 warnings in 10 files"


def test_missing_mkdocs_yml_is_a_clear_error(tmp_path):
    res = CliRunner().invoke(main, ["check", "--root", str(tmp_path)])
    assert res.exit_code == 1
    assert res.output == (
        f"Error: no mkdocs.yml in {tmp_path}; run sevbook from the handbook repository, pass "
        "--root DIR, or create one with `sevbook init DIR`\n")


@pytest.mark.parametrize("args, message", [
    (["check", "--now", "yesterday"],
     "Invalid value for '--now': 'yesterday' is not a timestamp; use ISO 8601 like "
     "2026-03-02T14:18:00Z"),
    (["check", "--now", "2026-11-22T12:00:00"],
     "Invalid value for '--now': '2026-11-22T12:00:00' has no UTC offset; write it like "
     "2026-03-02T14:18:00Z"),
    (["check", "--format", "xml"],
     "Invalid value for '--format': 'xml' is not one of 'text', 'github', 'json'."),
])
def test_usage_errors_exit_2(args, message):
    res = CliRunner().invoke(main, args)
    assert res.exit_code == 2
    assert res.output.splitlines()[-1] == f"Error: {message}"


def test_bad_sevbook_option_in_mkdocs_yml(tmp_path):
    root = make_root(tmp_path)
    cfg = root / "mkdocs.yml"
    cfg.write_text(cfg.read_text().replace("  - sevbook:\n", "  - sevbook:\n      incident_dir: x\n"))
    res = CliRunner().invoke(main, ["check", "--root", str(root)])
    assert res.exit_code == 1
    assert res.output == ("mkdocs.yml:8: error: [unknown-key] incident_dir: unknown key "
                          "'incident_dir'; did you mean 'incidents_dir'?\n"
                          "1 error, 0 warnings in 1 files\n")


def test_dangling_symlink_is_reported(tmp_path):
    root = make_root(tmp_path)
    (root / "incidents" / "2026-11-02-gone.md").symlink_to(tmp_path / "nowhere.md")
    res = run("check", "--now", NOW_ARG, "--root", str(root))
    assert res.output.splitlines()[0] == (
        "incidents/2026-11-02-gone.md: error: [unreadable] symlink points to a file that does "
        "not exist; fix or remove the link")


@settings(max_examples=150, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.text(max_size=300))
def test_no_input_gives_a_traceback(tmp_path, text):
    """Whatever an incident file holds, check reports and never crashes."""
    from datetime import datetime

    from sevbook.load import load
    from sevbook.rules import check

    root = tmp_path / "fuzz"
    if not root.exists():
        shutil.copytree(DATA / "base", root)
    (root / "incidents" / "2026-11-03-fuzz.md").write_text(
        "---\n" + text + "\n---\n", encoding="utf-8", errors="surrogatepass")
    check(load(root), datetime(2026, 11, 22, tzinfo=UTC))


def test_design_decision_tree_syntax_is_accepted(tmp_path):
    """The DESIGN's `no: {question: ...?, yes: SEV2, no: SEV3}` is valid YAML 1.2."""
    root = make_root(tmp_path)
    text = (root / "content" / "severity.md").read_text()
    assert "{question: Is anything degraded?, yes: SEV2, no: SEV2}" in text
    res = run("check", "--strict", "--now", NOW_ARG, "--root", str(root))
    assert res.exit_code == 0, res.output


def test_unknown_severity_in_decision_tree(tmp_path):
    root = make_root(tmp_path)
    p = root / "content" / "severity.md"
    p.write_text(p.read_text().replace("yes: SEV2, no: SEV2", "yes: SEV2, no: SEV5"))
    res = run("check", "--now", NOW_ARG, "--root", str(root))
    assert res.output.splitlines()[0] == (
        "content/severity.md:23: error: [unknown-severity] decision_tree.no.no: severity 'SEV5' "
        "does not exist; use one of: SEV1, SEV2")


def test_missing_severity_matrix_is_an_error(tmp_path):
    root = make_root(tmp_path)
    (root / "content" / "severity.md").unlink()
    res = run("check", "--now", NOW_ARG, "--root", str(root))
    assert res.output == (
        "content/severity.md: error: [missing-file] there is no severity matrix, so no "
        "incident's severity can be checked; create it (`sevbook init` writes a starting "
        "point)\n1 error, 0 warnings in 5 files\n")
    assert res.exit_code == 1


def test_runbook_section_inside_code_fence_does_not_count(tmp_path):
    root = make_root(tmp_path)
    rb = root / "content" / "runbooks" / "checkout-errors.md"
    rb.write_text(rb.read_text().replace("## Rollback\n", "```bash\n# Rollback\nkubectl rollout undo\n```\n"))
    res = run("check", "--now", NOW_ARG, "--root", str(root))
    assert res.output.splitlines()[0] == (
        "content/runbooks/checkout-errors.md:1: warning: [runbook-sections] runbook is missing "
        "the section(s) Rollback; add a '## Rollback' heading (even 'None' is an answer)")


# ------------------------------------------------------------------ the rule registry
def test_readme_table_of_codes_matches_the_registry():
    from sevbook.rules import RULES
    from sevbook.rules.__main__ import readme_table
    from sevbook.rules.registry import markdown_table

    readme = (REPO / "README.md").read_text(encoding="utf-8")
    assert readme_table(readme) == markdown_table(RULES), (
        "README.md's table of rule codes differs from the registry; run "
        "`python -m sevbook.rules --readme README.md` and review the diff")


def test_readme_table_lists_each_code_once():
    from sevbook.rules import RULES
    from sevbook.rules.__main__ import readme_table

    rows = readme_table((REPO / "README.md").read_text(encoding="utf-8")).splitlines()[2:]
    listed = [row.split("`")[1] for row in rows]
    assert listed == sorted(set(listed), key=listed.index)
    assert set(listed) == {r.code for r in RULES}


def test_markdown_option_prints_the_table(capsys):
    from sevbook.rules import RULES
    from sevbook.rules.__main__ import main as rules_main
    from sevbook.rules.registry import markdown_table

    assert rules_main(["--markdown"]) == 0
    assert capsys.readouterr().out == markdown_table(RULES)


def test_readme_option_rewrites_only_the_table(tmp_path):
    from sevbook.rules.__main__ import BEGIN, END
    from sevbook.rules.__main__ import main as rules_main

    readme = tmp_path / "README.md"
    readme.write_text(f"intro\n\n{BEGIN}\n| old |\n{END}\n\noutro\n", encoding="utf-8")
    assert rules_main(["--readme", str(readme)]) == 0
    text = readme.read_text(encoding="utf-8")
    assert text.startswith(f"intro\n\n{BEGIN}\n| code | severity | applies to | what it checks |\n")
    assert text.endswith(f"|\n{END}\n\noutro\n")
    assert "| old |" not in text


def test_every_rule_is_described_and_each_code_has_one_severity():
    from sevbook.rules import RULES

    assert len(RULES) >= 30
    severity: dict[str, str] = {}
    for r in RULES:
        assert r.description and "|" not in r.description, r.code
        assert r.severity in ("error", "warning"), r.code
        assert r.kinds, r.code
        assert severity.setdefault(r.code, r.severity) == r.severity, r.code


def test_registering_a_code_with_another_severity_is_refused():
    from sevbook.rules.registry import rule

    with pytest.raises(ValueError, match="rule stale-runbook: registered as warning and error"):
        rule("stale-runbook", "error", ["runbook"], "x")


def test_registering_an_unknown_kind_is_refused():
    from sevbook.rules.registry import rule

    with pytest.raises(ValueError, match=r"rule new-code: unknown kind\(s\) \['incidents'\]"):
        rule("new-code", "error", ["incidents"], "x")


def test_findings_carry_structured_data(tmp_path):
    from sevbook.load import load
    from sevbook.rules import findings

    found = list(findings(load(make_root(tmp_path, "warnings")), NOW))
    overdue = [f for f in found if f.code == "action-item-overdue"]
    assert [(f.file, f.path, f.severity, dict(f.data)) for f in overdue] == [
        ("incidents/2026-10-30-payments-slow.md", ("action_items", 0, "due"), "warning",
         {"index": 0})]
    assert overdue[0].field_name == "action_items[0].due"
    roles = [f for f in found if f.code == "required-role"]
    assert [dict(f.data) for f in roles] == [{"roles": ["incident-commander"]}]


def test_messages_name_the_configured_docs_dir(tmp_path):
    root = make_root(tmp_path, "unknown-refs")
    (root / "content").rename(root / "handbook")
    cfg = root / "mkdocs.yml"
    cfg.write_text(cfg.read_text().replace("docs_dir: content", "docs_dir: handbook"))
    sev = root / "handbook" / "severity.md"
    sev.write_text(sev.read_text().replace("roles: [incident-commander]",
                                           "roles: [incident-commander, ghost]", 1))
    res = run("check", "--now", NOW_ARG, "--root", str(root))
    assert res.output.splitlines()[0] == (
        "handbook/severity.md:8: error: [unknown-role] levels[0].roles[1]: role 'ghost' does "
        "not exist; add handbook/roles/ghost.md or use one of: incident-commander")
    assert res.output.splitlines()[-2] == (
        "incidents/2026-11-02-refs.md:10: error: [unknown-team] action_items[0].owner: team "
        "'platform' is not declared in handbook/oncall.md; use one of: payments")
    assert res.exit_code == 1


# ------------------------------------------------------------------ obligations on the model
def test_obligations_are_model_methods(tmp_path):
    from datetime import date, datetime

    from sevbook.load import load

    hb = load(make_root(tmp_path, "warnings")).handbook
    inc = hb.incidents["2026-10-30-payments-slow"]
    level = hb.level(inc.severity)
    utc = UTC
    assert inc.postmortem_due(level) == datetime(2026, 11, 4, 13, tzinfo=utc)
    assert inc.postmortem_overdue(level, datetime(2026, 11, 4, 13, tzinfo=utc)) is False
    assert inc.postmortem_overdue(level, datetime(2026, 11, 4, 13, 1, tzinfo=utc)) is True
    assert inc.postmortem_due(None) is None
    assert inc.overdue_action_items(date(2026, 11, 10)) == []
    assert inc.overdue_action_items(date(2026, 11, 11)) == [0]
    assert [(j, int(gap.total_seconds()) // 60) for j, gap in inc.update_gaps(level)] == [
        (1, 120), (2, 50)]
    assert inc.next_update_due(level) is None  # resolved: no update owed
    inc.resolved_at = None
    inc.updates.pop()
    assert inc.next_update_due(level) == datetime(2026, 11, 1, 12, 40, tzinfo=utc)
    rb = hb.runbooks["old-runbook"]
    assert rb.review_due() == date(2026, 4, 5)
    assert (rb.is_stale(date(2026, 4, 5)), rb.is_stale(date(2026, 4, 6))) == (False, True)


def test_team_declared_twice_is_an_error(tmp_path):
    root = make_root(tmp_path)
    oncall = root / "content" / "oncall.md"
    oncall.write_text(oncall.read_text().replace(
        '"#payments"}\n', '"#payments"}\n  - {id: payments, name: Payments again}\n'))
    res = run("check", "--now", NOW_ARG, "--root", str(root))
    assert res.output == (
        "content/oncall.md:4: error: [duplicate-id] teams[1].id: team id 'payments' is declared "
        "twice; remove or rename one\n1 error, 0 warnings in 6 files\n")
    assert res.exit_code == 1


def test_acceptance_needs_a_reason(tmp_path):
    root = make_root(tmp_path, "accepted")
    inc = root / "incidents" / "2026-11-03-payments-slow.md"
    inc.write_text(inc.read_text().replace('reason: "Typo"', "by: carol"))
    res = run("check", "--now", NOW_ARG, "--root", str(root))
    assert res.output.splitlines() == [
        "incidents/2026-11-03-payments-slow.md:22: error: [missing-key] accepted[4].reason: "
        "required key 'reason' is missing; add it",
        "1 error, 0 warnings in 7 files"]
    assert res.exit_code == 1


def test_accepted_warnings_pass_strict(tmp_path):
    root = make_root(tmp_path, "accepted")
    inc = root / "incidents" / "2026-11-03-payments-slow.md"
    lines = inc.read_text().splitlines(keepends=True)
    inc.write_text("".join(lines[:19] + lines[22:]))  # only the two acceptances that fire
    res = run("check", "--strict", "--now", NOW_ARG, "--root", str(root))
    assert res.output == "0 errors, 0 warnings in 7 files\n"
    assert res.exit_code == 0


LATE = """---
title: Checkout slow
severity: SEV1
services: [checkout]
started_at: 2026-11-22T09:00:00Z
roles: {incident-commander: alice}
public: true
public_title: Slow checkout
updates:
  - {at: 2026-11-22T09:05:00Z, status: investigating, message: Checkout is slow.}
  - {at: 2026-11-22T11:35:00Z, status: identified, message: Cause found.}
---
"""


@pytest.mark.parametrize("now, expected", [
    # the pull request that posts the late update passes: the gap it closes is not reported
    ("2026-11-22T11:40:00Z", []),
    # silent again: the silence now is reported
    ("2026-11-22T12:10:00Z", [
        "incidents/2026-11-22-checkout-slow.md:11: error: [silent-incident] updates[1].at: no "
        "public update for 35 min on an open incident; SEV1 promises one every 30 min — post "
        "one now with sevbook update 2026-11-22-checkout-slow"]),
])
def test_late_update_on_an_open_incident(tmp_path, now, expected):
    root = make_root(tmp_path)
    (root / "incidents" / "2026-11-22-checkout-slow.md").write_text(LATE)
    res = run("check", "--strict", "--now", now, "--root", str(root))
    assert res.output.splitlines() == [*expected, f"{len(expected)} error"
                                       f"{'s' if len(expected) != 1 else ''}, 0 warnings in 7 files"]


def test_gap_is_reported_once_resolved(tmp_path):
    root = make_root(tmp_path)
    resolved = LATE.replace("public: true", "resolved_at: 2026-11-22T11:50:00Z\npublic: true")
    resolved = resolved.replace("---\n\n", "").rstrip("-\n") + (
        "\n  - {at: 2026-11-22T11:45:00Z, status: monitoring, message: Fix out.}"
        "\n  - {at: 2026-11-22T11:50:00Z, status: resolved, message: Fixed.}\n---\n")
    (root / "incidents" / "2026-11-22-checkout-slow.md").write_text(resolved)
    res = run("check", "--now", "2026-11-22T12:00:00Z", "--root", str(root))
    assert res.output.splitlines() == [
        "incidents/2026-11-22-checkout-slow.md:12: warning: [silent-incident] updates[1].at: "
        "2 h 30 min passed between public updates 0 and 1; SEV1 promises an update every "
        "30 min — post even 'still investigating'",
        "0 errors, 1 warning in 7 files"]


def test_empty_status_url_with_a_public_record_warns_with_its_line(tmp_path):
    root = make_root(tmp_path)
    cfg = root / "mkdocs.yml"
    cfg.write_text(cfg.read_text().replace("url: https://status.example.com/", 'url: ""'))
    res = run("check", "--now", NOW_ARG, "--root", str(root))
    assert res.output == (
        "mkdocs.yml:9: warning: [no-status-url] status.url is empty, so the status page's "
        "feeds, calendar and API carry relative links that feed readers and calendar apps "
        "cannot follow; set url: to the page's public address, e.g. "
        "https://status.example.com/\n0 errors, 1 warning in 6 files\n")
    assert res.exit_code == 0
