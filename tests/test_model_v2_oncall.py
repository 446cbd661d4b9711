"""On-call v2 (issue 11): several rotations with an urgency and their own escalation
steps, steps for major incidents only; `rotation:`/`escalation:` stay valid."""

from __future__ import annotations

import shutil
from datetime import UTC, datetime
from pathlib import Path

import pytest
from click.testing import CliRunner

from conftest import NOW
from sevbook.cli import main
from sevbook.handbook.generate import generate, structured_prose
from sevbook.load import load
from sevbook.rules import check

DATA = Path(__file__).parent / "data" / "v2"
V2_NOW = datetime(2019, 7, 10, tzinfo=UTC)
NOW_ARG = "2019-07-10T00:00:00Z"
MAJOR = ("major incidents only ([<span class=\"sb-badge sb-sev sb-sev1\">SEV1</span>]"
         "(severity.md#sev1), [<span class=\"sb-badge sb-sev sb-sev2\">SEV2</span>]"
         "(severity.md#sev2))")


def _page(root: Path, now: datetime) -> str:
    result = load(root)
    return generate(result.handbook, now, check(result, now),
                    structured_prose(result.handbook))["oncall.md"]


@pytest.fixture
def root(tmp_path) -> Path:
    dest = tmp_path / "v2"
    shutil.copytree(DATA, dest)
    return dest


def _errors(root: Path) -> list[str]:
    res = CliRunner().invoke(main, ["check", "--now", NOW_ARG, "--root", str(root)])
    return [line for line in res.output.splitlines() if ": error: " in line]


def test_rotations_with_urgency_are_listed():
    page = _page(DATA, V2_NOW)
    assert (
        "| <span class=\"sb-l\">Rotation: </span><span id=\"rotation-infra-primary\"></span>"
        "**Infrastructure primary** | <span class=\"sb-l\">Team: </span>[Infrastructure]"
        "(oncall.md#team-infrastructure) | <span class=\"sb-l\">Urgency: </span>**High**: "
        "pages at once, day and night | <span class=\"sb-l\">Shift: </span>7 d | "
        "<span class=\"sb-l\">Handoff: </span>Monday 10:00 | <span class=\"sb-l\">Secondary: "
        "</span>yes |\n") in page
    assert "**Low**: notifies; handled in working hours" in page


def test_conditional_steps_say_when_they_apply():
    page = _page(DATA, V2_NOW)
    assert (
        "### Escalation: Infrastructure primary\n\nWhen a page of this rotation is not "
        "acknowledged, it goes on to:\n\n<div class=\"sb-cards\" markdown>\n\n"
        "| Step | After | Notify | When |\n|---|---|---|---|\n"
        "| <span class=\"sb-l\">Step: </span>1 | <span class=\"sb-l\">After: </span>5 min | "
        "<span class=\"sb-l\">Notify: </span>[on-call&nbsp;secondary](oncall.md) | "
        "<span class=\"sb-l\">When: </span>every incident |\n"
        "| <span class=\"sb-l\">Step: </span>2 | <span class=\"sb-l\">After: </span>15 min | "
        "<span class=\"sb-l\">Notify: </span>Head of infrastructure | "
        f"<span class=\"sb-l\">When: </span>{MAJOR} |\n") in page


def test_unconditional_steps_keep_the_three_columns():
    page = _page(DATA, V2_NOW)
    assert ("### Escalation: Infrastructure tickets\n\nWhen a page of this rotation is not "
            "acknowledged, it goes on to:\n\n| Step | After | Notify |\n|---|---|---|\n"
            "| 1 | 1 d | [Infrastructure](oncall.md#team-infrastructure) |\n") in page


def test_the_first_format_renders_as_before(example):
    page = _page(example, NOW)
    assert "## Escalation path\n\nWhen a page is not acknowledged, it goes on to:\n\n" in page
    assert "| Step | After | Notify |\n" in page
    assert "## Rotations" not in page


def test_a_conditional_step_in_the_first_format(example):
    oc = example / "content" / "oncall.md"
    text = oc.read_text()
    assert "notify: executive-sponsor}" in text
    oc.write_text(text.replace("notify: executive-sponsor}",
                               "notify: executive-sponsor, only: major}", 1))
    page = _page(example, NOW)
    assert "| Step | After | Notify | When |\n" in page


def test_a_rotation_of_an_unknown_team_is_an_error(root):
    oc = root / "content" / "oncall.md"
    oc.write_text(oc.read_text().replace("    team: infrastructure\n    urgency: low",
                                         "    team: platform\n    urgency: low"))
    assert _errors(root) == [
        "content/oncall.md:1: error: [bad-value] rotation 'infra-tickets' names the team "
        "'platform', which is not under teams:; use one of: infrastructure"]


def test_a_step_condition_must_be_known(root):
    oc = root / "content" / "oncall.md"
    oc.write_text(oc.read_text().replace("only: major}\n  ", "only: minor}\n  ", 1))
    assert _errors(root) == [
        "content/oncall.md:16: error: [bad-value] rotations[0].escalation[1].only: 'minor' is "
        "not allowed; use one of: 'major'"]


def test_a_rotation_id_may_be_paged(root):
    sev = root / "content" / "severity.md"
    sev.write_text(sev.read_text().replace("page: [incident-commander]",
                                           "page: [incident-commander, infra-primary]", 1))
    assert _errors(root) == []
    res = CliRunner().invoke(main, ["check", "--now", NOW_ARG, "--root", str(root)])
    assert "infra-primary" not in res.output
