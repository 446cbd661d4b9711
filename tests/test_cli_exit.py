"""The `sevbook` process itself ends `check` at once after flushing (`cli._finish`): what it
prints and its exit code are exactly what `main` gives a caller, to a pipe or a file."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from conftest import NOW_ARG, REPO
from sevbook.cli import main

sys.path.insert(0, str(REPO / "bench"))
from messy import generate_messy  # noqa: E402

ENV = {**os.environ, "PYTHONPATH": str(REPO / "src")}


@pytest.fixture(scope="module")
def messy(tmp_path_factory) -> Path:
    """A history with 600 warnings (more output than any stdio buffer holds)."""
    return generate_messy(tmp_path_factory.mktemp("m") / "messy", incidents=200, runbooks=12,
                          services=10)


def in_process(root: Path, *args: str) -> tuple[int, str]:
    res = CliRunner().invoke(
        main, ["check", "--root", str(root), "--now", NOW_ARG, "--no-cache", *args])
    return res.exit_code, res.stdout


@pytest.mark.parametrize("fmt", ["text", "json"])
def test_the_command_prints_to_a_pipe_what_main_returns(messy: Path, fmt: str) -> None:
    expected = in_process(messy, "--format", fmt)
    assert expected[0] == 0 and expected[1].count("\n") > 600
    p = subprocess.run([sys.executable, "-m", "sevbook", "check", "--root", str(messy),
                        "--now", NOW_ARG, "--no-cache", "--format", fmt],
                       env=ENV, capture_output=True, text=True, timeout=300)
    assert (p.returncode, p.stdout, p.stderr) == (*expected, "")


def test_errors_exit_1_and_all_output_reaches_a_file(messy: Path, tmp_path: Path) -> None:
    first = sorted((messy / "incidents").glob("*.md"))[0]
    text = first.read_text(encoding="utf-8")
    try:
        first.write_text(text.replace("\nseverity: ", "\nseverity: X", 1), encoding="utf-8")
        expected = in_process(messy)
        assert expected[0] == 1 and "[unknown-severity]" in expected[1]
        out = tmp_path / "out.txt"
        with out.open("w") as f:  # a file: block-buffered, lost if not flushed
            code = subprocess.run([sys.executable, "-m", "sevbook", "check", "--root",
                                   str(messy), "--now", NOW_ARG, "--no-cache"], env=ENV,
                                  stdout=f, stderr=subprocess.PIPE, timeout=300).returncode
        assert (code, out.read_text()) == expected
    finally:
        first.write_text(text, encoding="utf-8")
