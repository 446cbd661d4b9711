"""Folders and files that are not what they seem: each is a located error, never a hang,
never silently "nothing here"."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
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


def _edit(path: Path, old: str, new: str) -> int:
    """Replace the first line starting with `old`; return its 1-based line number."""
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    i = next(i for i, ln in enumerate(lines) if ln.startswith(old))
    lines[i] = new + "\n"
    path.write_text("".join(lines), encoding="utf-8")
    return i + 1


@pytest.mark.parametrize("old, new, field, message", [
    ("public:", "public: yes", "public", "[wrong-type] public: expected true or false, got string "
     "'yes'"),
    ("started_at:", "started_at: 0001-01-01T00:00:00+01:00", "started_at",
     "[bad-value] started_at: 0001-01-01T00:00:00+01:00 is out of range; write a time between "
     "1970 and 2999"),
    ("started_at:", "started_at: 9999-12-31T23:00:00-05:00", "started_at",
     "[bad-value] started_at: 9999-12-31T23:00:00-05:00 is out of range; write a time between "
     "1970 and 2999"),
])
def test_incident_values_that_used_to_crash_or_coerce(tmp_path, old, new, field, message):
    root = make_root(tmp_path)
    inc = next((root / "incidents").glob("*.md"))
    line = _edit(inc, old, new)
    res = run("check", "--now", NOW, "--root", str(root))
    assert res.exit_code == 1
    assert res.output.splitlines()[0] == f"incidents/{inc.name}:{line}: error: {message}"


@pytest.mark.parametrize("key, value, message", [
    ("tier:", "tier: true", "[wrong-type] tier: expected a whole number, got boolean True"),
    ("tier:", "tier: '2'", "[wrong-type] tier: expected a whole number, got string '2'"),
])
def test_service_integers_are_strict(tmp_path, key, value, message):
    root = make_root(tmp_path)
    svc = sorted((root / "content" / "services").glob("*.md"))[0]
    text = svc.read_text(encoding="utf-8")
    if key not in text:
        text = text.replace("---\n", f"---\n{key} 1\n", 1)
        svc.write_text(text, encoding="utf-8")
    line = _edit(svc, key, value)
    res = run("check", "--now", NOW, "--root", str(root))
    assert res.exit_code == 1
    mine = [ln for ln in res.output.splitlines() if ln.startswith(f"content/services/{svc.name}")]
    assert mine == [f"content/services/{svc.name}:{line}: error: {message}"]


def test_since_0001_is_out_of_range(tmp_path):
    root = make_root(tmp_path)
    svc = root / "content" / "services" / "checkout.md"
    line = _edit(svc, "status_page:", "status_page: {name: Checkout, group: Store, "
                 "since: 0001-01-01}")
    res = run("check", "--now", NOW, "--root", str(root))
    assert res.exit_code == 1
    mine = [ln for ln in res.output.splitlines() if ln.startswith("content/services/checkout")]
    assert mine == [
        f"content/services/checkout.md:{line}: error: [bad-value] status_page.since: 0001-01-01 "
        "is out of range; write a date between 1970 and 2999"]


def test_levels_differing_only_in_case_are_refused(tmp_path):
    root = make_root(tmp_path)
    sev = root / "content" / "severity.md"
    text = sev.read_text(encoding="utf-8").replace("id: SEV2", "id: sev1")
    sev.write_text(text, encoding="utf-8")
    res = run("check", "--now", NOW, "--root", str(root))
    assert res.exit_code == 1
    assert res.output.splitlines()[0] == (
        "content/severity.md:1: error: [bad-value] severity levels 'SEV1' and 'sev1' differ only "
        "in case, which reads as one level; rename or remove one")
