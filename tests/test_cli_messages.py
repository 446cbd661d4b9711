"""Clean messages where the CLI said "internal error … report it", and counts people read."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from pathlib import Path

from click.testing import CliRunner

from conftest import NOW_ARG, REPO
from sevbook.cli import main

OPEN = "2026-11-22-search-errors-after-node-loss"


def test_check_into_a_closed_pipe_is_silent(example):
    env = {**os.environ, "PYTHONPATH": str(REPO / "src")}
    p = subprocess.Popen([sys.executable, "-m", "sevbook", "check", "--root", str(example),
                          "--now", "2027-07-01T00:00:00Z"], env=env,
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert p.stdout is not None and p.stderr is not None
    p.stdout.close()  # like `| head` that has read enough
    err = p.stderr.read()
    p.stderr.close()
    assert (p.wait(timeout=120), err) == (1, b"")


def test_serve_on_a_busy_port_says_so(example):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        s.listen()
        port = s.getsockname()[1]
        res = CliRunner().invoke(main, ["serve", "--root", str(example), "--port", str(port),
                                        "--now", NOW_ARG])
    assert res.exit_code == 1
    assert res.output.splitlines()[-1] == (
        f"Error: 127.0.0.1:{port} is already in use (another `sevbook serve`?); stop it or "
        "pick another port with --port")


def test_update_numbers_count_from_one(example: Path):
    res = CliRunner().invoke(main, ["update", OPEN, "--root", str(example), "--now", NOW_ARG,
                                    "--status", "monitoring", "--message", "Recovering."])
    assert res.exit_code == 0, res.output
    assert res.output == (f"{example}/incidents/{OPEN}.md: added update #4 (monitoring at "
                          "2026-11-22T12:00:00Z; public: on the status page after merge)\n")


def test_init_says_to_git_init(tmp_path):
    dest = tmp_path / "ours"
    res = CliRunner().invoke(main, ["init", str(dest), "--now", NOW_ARG])
    assert res.exit_code == 0, res.output
    n = sum(1 for p in dest.rglob("*") if p.is_file())
    assert res.output == (f"created {n} files in {dest}; next: cd {dest} && git init && "
                          "git add -A && sevbook check --strict && sevbook build (see README.md)\n")
