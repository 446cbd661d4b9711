"""`sevbook report`: exact output (golden files, hand-checked) and exit codes.

Regenerate the golden files only on purpose:
    SEVBOOK_REGEN=1 pytest tests/test_metrics_cli.py
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from click.testing import CliRunner

from conftest import NOW_ARG
from sevbook.cli import main

DATA = Path(__file__).parent / "data" / "metrics"
EXPECTED = Path(__file__).parent / "data" / "metrics-expected"


def run(*args: str):
    return CliRunner().invoke(main, ["report", "--root", str(DATA), "--now", NOW_ARG, *args])


def golden(name: str, text: str) -> None:
    path = EXPECTED / name
    if os.environ.get("SEVBOOK_REGEN"):
        path.write_text(text, encoding="utf-8")
    assert text == path.read_text(encoding="utf-8")


@pytest.mark.parametrize(("name", "args"), [
    ("report.json", ["--format", "json"]),
    ("report.txt", []),
    ("report-search.csv", ["--format", "csv", "--service", "search", "--since", "2026-11-01"]),
])
def test_golden_output(name, args):
    r = run(*args)
    assert r.exit_code == 0, r.output
    golden(name, r.output)


def test_json_numbers():
    d = json.loads(run("--format", "json").output)
    assert d["overall"]["mttr"] == {"n": 4, "missing": 1, "open": 1, "approximate": 0,
                                    "mean_minutes": 57.5, "median_minutes": 60.0,
                                    "p90_minutes": 60.0}
    assert d["error_budgets"]["search"]["state"] == "warning"
    assert d["error_budgets"]["db"]["consumed_minutes"] == 48.5


def test_csv_rows():
    lines = run("--format", "csv").output.splitlines()
    assert lines[0] == "group_by,group,metric,value"
    assert "error_budget,api,state,exhausted" in lines
    assert "service,db,mttr.p90_minutes,60.0" in lines
    assert "all,all,mtta.median_minutes,10.0" in lines


def test_until_evaluates_budgets_at_its_end():
    d = json.loads(run("--format", "json", "--until", "2026-11-10").output)
    assert d["overall"]["incidents"] == 4  # A, B, C, E
    assert d["error_budgets"]["search"]["end"] == "2026-11-11T00:00:00Z"


@pytest.mark.parametrize(("args", "message"), [
    (["--since", "2026-13-01"], "Invalid value for '--since': '2026-13-01' is not a date; "
                                "write it like 2026-03-02"),
    (["--until", "yesterday"], "Invalid value for '--until': 'yesterday' is not a date; "
                               "write it like 2026-03-02"),
    (["--since", "2026-11-02", "--until", "2026-11-01"],
     "--since 2026-11-02 is after --until 2026-11-01; swap them"),
    (["--service", "nope"], "Invalid value for '--service': service 'nope' does not exist; "
                            "use one of: api, db, search, web"),
    (["--format", "xml"], "Invalid value for '--format'"),
])
def test_usage_errors_exit_2(args, message):
    r = run(*args)
    assert r.exit_code == 2
    assert message in r.output


def test_invalid_handbook_exits_1(tmp_path):
    import shutil

    root = tmp_path / "hb"
    shutil.copytree(DATA, root)
    bad = root / "incidents" / "2026-11-21-web-glitch.md"
    bad.write_text(bad.read_text().replace("severity: SEV3", "severity: SEV9"))
    r = CliRunner().invoke(main, ["report", "--root", str(root), "--now", NOW_ARG])
    assert r.exit_code == 1
    assert "severity 'SEV9' does not exist" in r.output


def test_no_mkdocs_yml_exits_1(tmp_path):
    r = CliRunner().invoke(main, ["report", "--root", str(tmp_path)])
    assert r.exit_code == 1
    assert "no mkdocs.yml" in r.output
