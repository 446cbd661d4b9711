"""Folders and files that are not what they seem: each is a located error, never a hang,
never silently "nothing here"."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

from click.testing import CliRunner

from sevbook.cli import main

DATA = Path(__file__).resolve().parent / "data" / "check"
NOW = "2026-11-22T12:00:00Z"


def make_root(tmp_path: Path) -> Path:
    root = tmp_path / "hb"
    shutil.copytree(DATA / "base", root)
    return root


def run(*args: str):
    return CliRunner().invoke(main, list(args))


def test_missing_incidents_folder_is_an_error_not_all_clear(tmp_path):
    root = make_root(tmp_path)
    shutil.rmtree(root / "incidents")
    res = run("check", "--now", NOW, "--root", str(root))
    assert res.exit_code == 1
    assert res.output.splitlines()[0] == (
        "incidents/: error: [missing-folder] the incidents folder does not exist, so no "
        "incident could be published; create it (keep a README.md in it) or set incidents_dir "
        "in mkdocs.yml")
    build = run("build", "--no-handbook", "--now", NOW, "--root", str(root))
    assert build.exit_code == 1
    assert not (root / "site" / "status").exists()


def test_incidents_folder_symlinked_outside_the_repository(tmp_path):
    root = make_root(tmp_path)
    outside = tmp_path / "elsewhere"
    shutil.move(str(root / "incidents"), outside)
    (root / "incidents").symlink_to(outside, target_is_directory=True)
    res = run("check", "--now", NOW, "--root", str(root))
    assert res.exit_code == 1
    assert res.output.splitlines()[0] == (
        f"incidents/: error: [symlink-outside] the incidents folder leads outside the "
        f"repository (to {outside.resolve()}); keep incidents inside the repository")


def test_a_fifo_named_md_is_reported_without_hanging(tmp_path):
    root = make_root(tmp_path)
    os.mkfifo(root / "incidents" / "2026-11-03-pipe.md")
    res = subprocess.run([sys.executable, "-m", "sevbook", "check", "--now", NOW,
                          "--root", str(root)], capture_output=True, text=True, timeout=30)
    assert res.returncode == 1
    assert res.stdout.splitlines()[0] == (
        "incidents/2026-11-03-pipe.md: error: [not-a-file] this is not a regular file (a pipe, "
        "socket or device?); remove it or rename it so it does not end in .md")


def test_a_line_break_in_a_file_name_cannot_start_a_workflow_command(tmp_path):
    root = make_root(tmp_path)
    src = next((root / "incidents").glob("*.md"))
    (root / "incidents" / "2026-11-03-x\n::error::owned.md").write_bytes(src.read_bytes())
    res = run("check", "--now", NOW, "--root", str(root))
    assert res.exit_code == 1
    lines = res.output.splitlines()
    assert lines[0] == ("incidents/2026-11-03-x\\n::error::owned.md: error: [bad-filename] file "
                        "name '2026-11-03-x\\n::error::owned.md' contains control characters (a "
                        "line break?); rename it to lowercase letters, digits and dashes")
    gh = run("check", "--format", "github", "--now", NOW, "--root", str(root))
    assert [ln for ln in gh.output.splitlines() if ln.startswith("::error::owned")] == []


def test_control_characters_in_text_are_located_errors(tmp_path):
    root = make_root(tmp_path)
    inc = next((root / "incidents").glob("*.md"))
    text = inc.read_text(encoding="utf-8")
    lines = text.splitlines(keepends=True)
    title = next(i for i, ln in enumerate(lines) if ln.startswith("title:"))
    lines[title] = 'title: "Checkout\\vdown"\n'
    inc.write_text("".join(lines), encoding="utf-8")
    res = run("check", "--now", NOW, "--root", str(root))
    assert res.exit_code == 1
    assert res.output.splitlines()[0] == (
        f"incidents/{inc.name}:{title + 1}: error: [control-character] title: text contains the "
        "control character U+000B (vertical tab), which feeds and pages cannot carry; "
        "remove it (a paste from a terminal or word processor?)")
