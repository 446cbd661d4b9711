"""`sevbook check` reports every problem in one run: a schema error in a file does not hide
that file's reference and order errors (they are checked on the keys that did validate)."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from conftest import NOW_ARG
from sevbook.cli import main

FILE = "incidents/2026-10-14-checkout-slow-after-promotions-release.md"


def _edit(root: Path, *pairs: tuple[str, str]) -> None:
    path = root / FILE
    text = path.read_text(encoding="utf-8")
    for old, new in pairs:
        assert old in text
        text = text.replace(old, new, 1)
    path.write_text(text, encoding="utf-8")


def _check(root: Path) -> list[str]:
    result = CliRunner().invoke(main, ["check", "--root", str(root), "--now", NOW_ARG])
    assert result.exit_code == 1
    return result.output.splitlines()


def test_an_unknown_key_does_not_hide_severity_service_and_order_errors(example):
    _edit(example, ("kind: incident\n", "kind: incident\nstauts: open\n"),
          ("severity: SEV3\n", "severity: SEV9\n"),
          ("services: [checkout-api, payments-db]", "services: [checkout-api, paymnts-db]"),
          ("detected_at: 2026-10-14T11:20:00Z", "detected_at: 2026-10-14T10:20:00Z"))
    lines = _check(example)
    assert [line.split(" ", 3)[:3] for line in lines[:-1]] == [
        [f"{FILE}:4:", "error:", "[unknown-key]"],
        [f"{FILE}:5:", "error:", "[unknown-severity]"],
        [f"{FILE}:6:", "error:", "[unknown-service]"],
        [f"{FILE}:8:", "error:", "[out-of-order]"],
    ]
    assert lines[-1] == "4 errors, 0 warnings in 43 files"


def test_a_bad_timestamp_does_not_hide_an_unknown_severity(example):
    _edit(example, ("started_at: 2026-10-14T11:05:00Z", "started_at: yesterday"),
          ("severity: SEV3\n", "severity: SEV9\n"))
    lines = _check(example)
    assert [line.split(" ", 3)[:3] for line in lines[:-1]] == [
        [f"{FILE}:4:", "error:", "[unknown-severity]"],
        [f"{FILE}:6:", "error:", "[bad-timestamp]"],
    ]
    assert lines[-1] == "2 errors, 0 warnings in 43 files"
