"""`sevbook check`: every error path gives its exact message, exit code, and no traceback.

Each case under tests/data/check/bad/<case>/ is laid over a valid base handbook
(tests/data/check/base/); `expected.txt` beside it is the exact output of `sevbook check`.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from tests.conftest import NOW_ARG, REPO

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
    cfg.write_text(cfg.read_text().replace("  - sevbook\n", "  - sevbook:\n      incident_dir: x\n"))
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
    from datetime import datetime, timezone

    from sevbook.load import load
    from sevbook.rules import check

    root = tmp_path / "fuzz"
    if not root.exists():
        shutil.copytree(DATA / "base", root)
    (root / "incidents" / "2026-11-03-fuzz.md").write_text(
        "---\n" + text + "\n---\n", encoding="utf-8", errors="surrogatepass")
    check(load(root), datetime(2026, 11, 22, tzinfo=timezone.utc))


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
