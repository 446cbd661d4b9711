"""`sevbook new incident --at T`: impact began at T, but detection, the first public update
and the "declared" entry are at the real time; --detected-at, --ack, --acknowledged-at."""

from __future__ import annotations

import re
from pathlib import Path

from click.testing import CliRunner

from conftest import NOW_ARG
from sevbook.cli import main

BASE = ["new", "incident", "Cart empty", "--severity", "SEV2", "--service", "checkout-api",
        "--public", "--at", "2026-11-22T11:20:00Z"]


def _new(root: Path, *extra: str):
    return CliRunner().invoke(main, [*BASE, *extra, "--root", str(root), "--now", NOW_ARG])


def _times(path: Path) -> dict[str, str]:
    text = path.read_text(encoding="utf-8")
    keys = dict(re.findall(r"^(\w+_at): (\S+)", text, flags=re.M))
    keys["update"] = re.search(r"^  - at: (\S+)", text, flags=re.M)[1]
    keys["declared"] = re.search(r"^  - \{at: (\S+), event: Incident declared", text,
                                 flags=re.M)[1]
    return keys


def test_at_sets_only_the_start(example):
    res = _new(example)
    assert res.exit_code == 0, res.output
    assert _times(Path(res.output.strip())) == {
        "started_at": "2026-11-22T11:20:00Z", "detected_at": "2026-11-22T12:00:00Z",
        "update": "2026-11-22T12:00:00Z", "declared": "2026-11-22T12:00:00Z"}


def test_detected_at_and_ack(example):
    res = _new(example, "--detected-at", "2026-11-22T11:30:00Z", "--ack")
    assert res.exit_code == 0, res.output
    assert _times(Path(res.output.strip())) == {
        "started_at": "2026-11-22T11:20:00Z", "detected_at": "2026-11-22T11:30:00Z",
        "acknowledged_at": "2026-11-22T12:00:00Z",
        "update": "2026-11-22T12:00:00Z", "declared": "2026-11-22T12:00:00Z"}


def test_acknowledged_at_earlier_is_also_the_default_detection(example):
    res = _new(example, "--acknowledged-at", "2026-11-22T11:45:00Z")
    assert res.exit_code == 0, res.output
    assert _times(Path(res.output.strip())) == {
        "started_at": "2026-11-22T11:20:00Z", "detected_at": "2026-11-22T11:45:00Z",
        "acknowledged_at": "2026-11-22T11:45:00Z",
        "update": "2026-11-22T12:00:00Z", "declared": "2026-11-22T12:00:00Z"}


def test_ack_and_acknowledged_at_together_is_a_usage_error(example):
    res = _new(example, "--ack", "--acknowledged-at", "2026-11-22T11:45:00Z")
    assert res.exit_code == 2
    assert res.output.splitlines()[-1] == ("Error: Invalid value for '--ack': give --ack "
                                           "(acknowledged now) or --acknowledged-at TIME, not both")


def test_detection_before_impact_is_a_usage_error(example):
    res = _new(example, "--detected-at", "2026-11-22T11:00:00Z")
    assert res.exit_code == 2
    assert res.output.splitlines()[-1] == (
        "Error: Invalid value for '--detected-at': 2026-11-22T11:00:00Z is before impact "
        "began (--at 2026-11-22T11:20:00Z)")


def test_impact_in_the_future_is_a_usage_error(example):
    res = CliRunner().invoke(main, ["new", "incident", "Later", "--severity", "SEV3", "--at",
                                    "2026-11-22T13:00:00Z", "--root", str(example),
                                    "--now", NOW_ARG])
    assert res.exit_code == 2
    assert res.output.splitlines()[-1] == (
        "Error: Invalid value for '--at': 2026-11-22T13:00:00Z is after now "
        "(2026-11-22T12:00:00Z); impact cannot begin in the future")
