"""Cadence per stage and the executives' cadence (issue 11), on a copy of `tests/data/v2`
(SEV1: internal 10 min; customers 20 min while investigating or identified, 1 h while
monitoring; executives 30 min). Every message is exact."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from sevbook.cli import main
from sevbook.model.severity import Level
from sevbook.model.vocab import Audience, IncidentStatus

DATA = Path(__file__).parent / "data" / "v2"
NAME = "2019-08-01-queue-backlog.md"

HEAD = """\
---
title: Queue backlog delays deliveries
services: [cdn]
severity: SEV1
started_at: 2019-08-01T10:00:00Z
detected_at: 2019-08-01T10:00:00Z
roles: {incident-commander: Riley Chen, scribe: Kai Novak}
fields: {detection: monitoring}
public: true
public_title: Delayed deliveries
"""


@pytest.fixture
def root(tmp_path) -> Path:
    dest = tmp_path / "v2"
    shutil.copytree(DATA, dest)
    return dest


def _check(root: Path, text: str, now: str) -> list[str]:
    (root / "incidents" / NAME).write_text(text, encoding="utf-8")
    res = CliRunner().invoke(main, ["check", "--now", now, "--root", str(root)])
    return [line for line in res.output.splitlines() if line.startswith(f"incidents/{NAME}")]


def test_the_three_shapes_stay_valid():
    plain = Level(id="A", name="a", update_every="30m")
    audiences = Level(id="B", name="b", update_every={"customers": "20m", "internal": "10m"})
    stages = Level(id="C", name="c", update_every={
        "customers": {"investigating": "20m", "monitoring": "1h"}})
    assert plain.cadence(Audience.CUSTOMERS, IncidentStatus.MONITORING).seconds == 1800
    assert audiences.cadence(Audience.CUSTOMERS, IncidentStatus.MONITORING).seconds == 1200
    assert stages.cadence(Audience.CUSTOMERS, IncidentStatus.MONITORING).seconds == 3600
    assert stages.cadence(Audience.CUSTOMERS).seconds == 1200
    assert stages.cadence(Audience.CUSTOMERS, IncidentStatus.IDENTIFIED) is None
    assert stages.cadence(Audience.CUSTOMERS, IncidentStatus.RESOLVED) is None
    assert (plain.by_stage(Audience.CUSTOMERS), stages.by_stage(Audience.CUSTOMERS)) == (
        False, True)


def test_a_stage_that_is_not_one_is_a_located_error(root):
    sev = root / "content" / "severity.md"
    sev.write_text(sev.read_text().replace(
        "customers: {investigating: 20m, identified: 20m, monitoring: 1h}",
        "customers: {investigating: 20m, resolved: 1h}"))
    res = CliRunner().invoke(main, ["check", "--now", "2019-07-10T00:00:00Z", "--root",
                                    str(root)])
    assert res.exit_code == 1
    assert res.output.splitlines()[0] == (
        "content/severity.md:17: error: [unknown-key] levels[0].update_every.customers."
        "resolved: unknown key 'resolved'; valid keys here: identified, investigating, "
        "monitoring")


def test_a_gap_is_held_to_the_stage_in_force_when_it_began(root):
    text = HEAD + """\
updates:
  - {at: 2019-08-01T10:05:00Z, status: investigating, message: Deliveries are delayed.}
  - {at: 2019-08-01T10:30:00Z, status: identified, message: A consumer is stuck.}
  - {at: 2019-08-01T10:55:00Z, status: monitoring, message: Backlog is draining.}
  - {at: 2019-08-01T11:50:00Z, status: resolved, message: Resolved.}
resolved_at: 2019-08-01T11:50:00Z
mitigated_at: 2019-08-01T10:55:00Z
---
"""
    assert _check(root, text, "2019-08-02T00:00:00Z") == [
        f"incidents/{NAME}:13: warning: [silent-incident] updates[1].at: 25 min passed "
        "between public updates 0 and 1; SEV1 promises customers an update every 20 min "
        "while investigating — post even 'still investigating'",
        f"incidents/{NAME}:14: warning: [silent-incident] updates[2].at: 25 min passed "
        "between public updates 1 and 2; SEV1 promises customers an update every 20 min "
        "while identified — post even 'still investigating'",
    ]


def test_the_silence_now_uses_the_current_stage(root):
    text = HEAD + """\
updates:
  - {at: 2019-08-01T10:05:00Z, status: investigating, message: Deliveries are delayed.}
  - {at: 2019-08-01T10:15:00Z, status: monitoring, message: Backlog is draining.}
---
"""
    assert _check(root, text, "2019-08-01T11:00:00Z") == []
    assert _check(root, text, "2019-08-01T11:20:00Z") == [
        f"incidents/{NAME}:13: warning: [silent-incident] updates[1].at: no public update "
        "for 1 h 5 min on an open incident; SEV1 promises customers one every 1 h while "
        "monitoring — post one now with sevbook update 2019-08-01-queue-backlog"]


BRIEFED = HEAD + """\
updates:
  - {at: 2019-08-01T10:05:00Z, status: investigating, message: Deliveries are delayed.}
timeline:
  - {at: 2019-08-01T10:05:00Z, event: Declared SEV1}
  - {at: 2019-08-01T10:10:00Z, event: Briefed the CTO, audience: executives}
  - {at: 2019-08-01T10:14:00Z, event: Consumer restarted}
---
"""


def test_an_open_incident_owes_executives_a_briefing(root):
    assert _check(root, BRIEFED, "2019-08-01T10:22:00Z") == []
    assert _check(root, BRIEFED, "2019-08-01T10:41:00Z") == [
        f"incidents/{NAME}:12: warning: [silent-incident] updates[0].at: no public update "
        "for 36 min on an open incident; SEV1 promises customers one every 20 min while "
        "investigating — post one now with sevbook update 2019-08-01-queue-backlog",
        f"incidents/{NAME}:15: warning: [silent-incident] timeline[1].at: no executive "
        "briefing for 31 min on an open incident; SEV1 promises executives a briefing every "
        "30 min — brief them now and log it with audience: executives",
        f"incidents/{NAME}:16: warning: [silent-incident] timeline[2].at: no timeline entry "
        "for 27 min on an open incident; SEV1 promises the responders an update every 10 min "
        "— add one to the timeline now"]


def test_without_a_briefing_recorded_the_executives_cadence_is_not_judged(root):
    text = BRIEFED.replace(", audience: executives", "")
    assert _check(root, text, "2019-08-01T12:00:00Z") == [
        f"incidents/{NAME}:12: warning: [silent-incident] updates[0].at: no public update "
        "for 1 h 55 min on an open incident; SEV1 promises customers one every 20 min while "
        "investigating — post one now with sevbook update 2019-08-01-queue-backlog",
        f"incidents/{NAME}:16: warning: [silent-incident] timeline[2].at: no timeline entry "
        "for 1 h 46 min on an open incident; SEV1 promises the responders an update every "
        "10 min — add one to the timeline now"]


def test_customers_are_not_briefed_in_the_timeline(root):
    text = BRIEFED.replace("audience: executives", "audience: customers")
    assert _check(root, text, "2019-08-01T10:12:00Z") == [
        f"incidents/{NAME}:15: error: [bad-value] timeline[1].audience: customers are "
        "told through updates:, not the timeline; write audience: executives for a "
        "briefing, or leave it out"]
