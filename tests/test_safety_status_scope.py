"""The status page publishes alone: only an error in what it publishes stops it (issue 10,
item 5); `sevbook check` still reports everything, and a whole build still needs it all."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from sevbook.cli import main

DATA = Path(__file__).resolve().parent / "data" / "check"
NOW = "2026-11-22T12:00:00Z"
PUBLIC = "incidents/2026-11-01-checkout-down.md"
PRIVATE = "incidents/2026-11-05-private.md"


@pytest.fixture
def root(tmp_path: Path) -> Path:
    root = tmp_path / "hb"
    shutil.copytree(DATA / "base", root)
    text = (root / PUBLIC).read_text(encoding="utf-8")
    (root / PRIVATE).write_text(
        text.replace("public: true\n", "public: false\n")
            .replace("2026-11-01T", "2026-11-05T"), encoding="utf-8")
    return root


def run(*args: str):
    return CliRunner().invoke(main, list(args))


def status_build(root: Path):
    return run("build", "--no-handbook", "--now", NOW, "--root", str(root))


def break_file(root: Path, rel: str, old: str, new: str) -> None:
    p = root / rel
    text = p.read_text(encoding="utf-8")
    assert old in text
    p.write_text(text.replace(old, new, 1), encoding="utf-8")


@pytest.mark.parametrize("rel, old, new", [
    ("content/runbooks/checkout-errors.md", "title:", "titel:"),
    ("content/roles/incident-commander.md", "name:", "naem:"),
    (PRIVATE, "severity: SEV1", "severity: SEV9"),
    (PRIVATE, "---\ntitle", "---\ntitle: [unclosed\ntitle2"),
    (PUBLIC, "roles: {incident-commander: alice}", "roles: {nobody: alice}"),
    (PUBLIC, "due: 2026-12-01", "due: someday"),
])
def test_errors_outside_what_is_published_do_not_stop_the_status_page(root, rel, old, new):
    break_file(root, rel, old, new)
    if rel == PUBLIC and "due:" in old:
        # an invalid internal field still makes the whole file unreadable: that blocks
        res = status_build(root)
        assert res.exit_code == 1
        assert f"{PUBLIC}:16: error: [bad-date] action_items[0].due" in res.output
        return
    checked = run("check", "--now", NOW, "--root", str(root))
    assert checked.exit_code == 1
    res = status_build(root)
    assert res.exit_code == 0, res.output
    lines = res.output.splitlines()
    count = len([ln for ln in checked.output.splitlines() if ": error: " in ln])
    assert lines[0] == (f"status page built despite {count} error(s) in what it does not "
                        "publish (the handbook's problems; `sevbook check` lists them and fails "
                        "until they are fixed):")
    assert all(ln.startswith("  ") and ": error: " in ln for ln in lines[1:count + 1])
    reported = {ln.split(":", 1)[0].strip() for ln in lines[1:count + 1]}
    # a role that fails to load also leaves every reference to it dangling (the matrix, the
    # incidents' roles: fields): all of them internal
    expected = {rel, "content/severity.md", PUBLIC, PRIVATE} if rel.startswith(
        "content/roles/") else {rel}
    assert reported == expected
    # a status-only build checks errors only (fast during an incident): no warnings line
    assert lines[count + 1:] == [f"built status page: {root / 'site/status'}"]
    assert (root / "site/status/index.html").is_file()


@pytest.mark.parametrize("rel, old, new, line", [
    (PUBLIC, "severity: SEV1", "severity: SEV9",
     f"{PUBLIC}:3: error: [unknown-severity] severity: severity 'SEV9' does not exist; use one "
     "of: SEV1, SEV2"),
    ("content/severity.md", "name:", "naem:", None),
    ("content/services/checkout.md", "name:", "naem:", None),
])
def test_errors_in_what_is_published_stop_it(root, rel, old, new, line):
    break_file(root, rel, old, new)
    res = status_build(root)
    assert res.exit_code == 1
    if line is not None:
        assert res.output.splitlines()[0] == line
    errors = len([ln for ln in res.output.splitlines() if ": error: " in ln])
    plural = "error" if errors == 1 else "errors"
    assert res.output.splitlines()[-1] == f"{errors} {plural}, 0 warnings in 7 files"
    assert not (root / "site/status").exists()


def test_a_whole_build_still_needs_every_file(root):
    break_file(root, "content/runbooks/checkout-errors.md", "title:", "titel:")
    res = run("build", "--now", NOW, "--root", str(root))
    assert res.exit_code == 1
    assert res.output.splitlines()[:2] == [
        "content/runbooks/checkout-errors.md:1: error: [missing-key] title: required key "
        "'title' is missing; add it",
        "content/runbooks/checkout-errors.md:2: error: [unknown-key] titel: unknown key 'titel'; "
        "did you mean 'title'?"]
    assert not (root / "site").exists() or not (root / "site/status").exists()
