"""The data-loss window (issue 11): `data_loss: {from, until, description}` may start
before the impact, is shown on the incident page and never reaches the status page."""

from __future__ import annotations

import shutil
from datetime import UTC, datetime
from pathlib import Path

import pytest
from click.testing import CliRunner

from sevbook.cli import main
from sevbook.handbook.generate import generate, structured_prose
from sevbook.load import load
from sevbook.rules import check

DATA = Path(__file__).parent / "data" / "v2"
NOW = datetime(2019, 7, 10, tzinfo=UTC)
NOW_ARG = "2019-07-10T00:00:00Z"
GITLAB = "incidents/2017-01-31-database-deleted.md"


@pytest.fixture(scope="module")
def pages():
    result = load(DATA)
    return generate(result.handbook, NOW, check(result, NOW), structured_prose(result.handbook))


@pytest.fixture
def root(tmp_path) -> Path:
    dest = tmp_path / "v2"
    shutil.copytree(DATA, dest)
    return dest


def test_the_incident_page_shows_the_window_and_how_early_it_began(pages):
    assert (
        "## Data loss\n\nInternal; never on the status page.\n\n"
        "- **Lost data written:** 2017-01-31 17:20 UTC → 2017-01-31 23:27 UTC (6 h 7 min)\n"
        "- **Starts before the impact:** by 6 h 7 min (impact began 2017-01-31 23:27 UTC)\n"
        "- **What was lost:** Projects, issues, merge requests, users and comments written "
        "since the last good copy\n") in pages[GITLAB]


def test_without_a_window_there_is_no_section(pages):
    assert "## Data loss" not in pages["incidents/2019-07-02-waf-rule-cpu.md"]


def test_executive_briefings_are_marked_in_the_timeline(pages):
    assert ("| **Executive briefing:** Briefed the CTO: global outage, WAF suspected |"
            ) in pages["incidents/2019-07-02-waf-rule-cpu.md"]


def test_the_window_never_reaches_the_status_page(root):
    res = CliRunner().invoke(main, ["build", "--no-handbook", "--now", NOW_ARG, "--root",
                                    str(root)])
    assert res.exit_code == 0, res.output
    text = "\n".join(p.read_text(encoding="utf-8", errors="replace")
                     for p in (root / "site" / "status").rglob("*") if p.is_file())
    assert "last good copy" not in text
    assert "17:20" not in text


def test_until_before_from_is_a_located_error(root):
    path = root / GITLAB
    path.write_text(path.read_text().replace("until: 2017-01-31T23:27:00Z",
                                             "until: 2017-01-31T07:27:00Z"))
    res = CliRunner().invoke(main, ["check", "--now", NOW_ARG, "--root", str(root)])
    assert res.exit_code == 1
    assert res.output.splitlines()[0] == (
        f"{GITLAB}:33: error: [bad-value] data_loss: until (2017-01-31T07:27:00Z) is before from "
        "(2017-01-31T17:20:00Z); the window of lost data ends after it starts: swap them or "
        "correct the time")
