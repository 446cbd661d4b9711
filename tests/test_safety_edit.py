"""Issue 10, items 7 and 8 (edit side): concurrent edits all land or fail clearly, and an
option text with a control character is refused before anything is written."""

from __future__ import annotations

import fcntl
import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from tests.conftest import NOW_ARG, REPO

from sevbook import locks
from sevbook.cli import main
from sevbook.yamlio import load_yaml, split_frontmatter

OPEN = "2026-11-22-search-errors-after-node-loss"


def run(root: Path, args: list[str]):
    return CliRunner().invoke(main, [*args, "--root", str(root), "--now", NOW_ARG])


def messages(path: Path) -> list[str]:
    fm = split_frontmatter(path.read_text())
    assert fm is not None
    return [u["message"] for u in load_yaml(fm[0])["updates"]]


def test_five_updates_at_once_all_land(example: Path) -> None:
    path = example / "incidents" / f"{OPEN}.md"
    before = messages(path)
    env = {**os.environ, "PYTHONPATH": str(REPO / "src")}
    cmd = [sys.executable, "-m", "sevbook", "update", "search-err", "--root", str(example),
           "--now", NOW_ARG, "--status", "monitoring", "--message"]
    procs = [subprocess.Popen([*cmd, f"Update {i} from responder {i}."], env=env,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
             for i in range(5)]
    results = [(p.wait(timeout=120), p.stdout.read(), p.stderr.read()) for p in procs]
    for p in procs:
        p.stdout.close()
        p.stderr.close()
    shown = f"{example}/incidents/{OPEN}.md"
    lines = sorted(out for _, out, _ in results)
    assert [(code, err) for code, _, err in results] == [(0, "")] * 5
    assert lines == [f"{shown}: added update #{n} (monitoring at 2026-11-22T12:00:00Z; public: "
                     "on the status page after merge)\n" for n in range(4, 9)]
    after = messages(path)
    assert after[:len(before)] == before
    assert sorted(after[len(before):]) == [f"Update {i} from responder {i}." for i in range(5)]
    assert run(example, ["check"]).exit_code == 0


def test_an_edit_waiting_too_long_fails_clearly(example: Path, monkeypatch) -> None:
    path = example / "incidents" / f"{OPEN}.md"
    before = path.read_bytes()
    monkeypatch.setattr(locks, "EDIT_TIMEOUT", 0.3)
    with open(path, "rb") as held:
        fcntl.flock(held, fcntl.LOCK_EX)
        res = run(example, ["update", "search-err", "--status", "monitoring", "--message", "x"])
    assert (res.exit_code, res.output) == (
        1, f"Error: incidents/{OPEN}.md is being edited by another sevbook command (waited "
           "0.3 s); try again when it has finished\n")
    assert path.read_bytes() == before


def test_a_build_waiting_too_long_fails_clearly(example: Path, monkeypatch) -> None:
    monkeypatch.setattr(locks, "BUILD_TIMEOUT", 0.3)
    site = example / "site"
    site.mkdir()
    with open(site / locks.BUILD_LOCK, "wb") as held:
        fcntl.flock(held, fcntl.LOCK_EX)
        res = CliRunner().invoke(main, ["build", "--root", str(example), "--now", NOW_ARG])
    assert (res.exit_code, res.output) == (
        1, f"Error: another `sevbook build` is writing {site} (waited 0.3 s); try again when "
           "it has finished\n")
    assert sorted(p.name for p in site.iterdir()) == [locks.BUILD_LOCK]


@pytest.mark.parametrize(("text", "shown"), [
    ("Fixed.\vMore", "U+000B, vertical tab) at position 7"),
    ("\x1b[31mred", "U+001B, escape) at position 1"),
    ("next\x85line", "U+0085, next line) at position 5"),
    ("bell\x07", "U+0007, bell) at position 5"),
    ("C1\x9b", "U+009B) at position 3"),
])
def test_update_message_with_a_control_character_is_refused(example: Path, text: str,
                                                             shown: str) -> None:
    before = {p.name: p.read_bytes() for p in (example / "incidents").iterdir()}
    for args in (["update", "search-err", "--status", "monitoring", "--message", text],
                 ["resolve", "search-err", "--message", text]):
        res = run(example, args)
        assert (res.exit_code, res.output.splitlines()[-1]) == (
            2, f"Error: Invalid value for '--message': contains a control character ({shown}; "
               "remove it (only tab and newline are allowed)")
    assert {p.name: p.read_bytes() for p in (example / "incidents").iterdir()} == before


def test_tab_and_newline_stay_allowed(example: Path) -> None:
    res = run(example, ["update", "search-err", "--status", "monitoring", "--message",
                        "Line one.\n\tIndented line two."])
    assert res.exit_code == 0, res.output
    assert messages(example / "incidents" / f"{OPEN}.md")[-1] == ("Line one.\n\tIndented line "
                                                                  "two.")
