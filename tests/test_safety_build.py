"""Issue 10, item 6: `sevbook build` replaces both trees or neither, and a failure or a crash
at any write or rename leaves the previous site whole."""

from __future__ import annotations

import builtins
import errno
import io
import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from click.testing import CliRunner
from tests.conftest import NOW_ARG, REPO
from tests.test_build import built_lines, tree_digest

from sevbook import swap
from sevbook.cli import main
from sevbook.errors import SevbookError


def build(root: Path, *extra: str):
    return CliRunner().invoke(main, ["build", "--now", NOW_ARG, "--root", str(root), *extra])


def dotfiles(root: Path) -> list[str]:
    return sorted(p.name for p in (root / "site").iterdir() if p.name.startswith("."))


@pytest.fixture
def built(example: Path) -> Path:
    res = build(example)
    assert res.exit_code == 0, res.output
    return example


def test_handbook_failure_keeps_the_previous_status_page(built, monkeypatch):
    """The named bug: the status tree used to be swapped in before the handbook ran."""
    before = tree_digest(built / "site")
    (built / "incidents" / "2026-01-14-login-certificate-expired.md").touch()

    def broken_handbook(root, out_dir, now, **kw):
        (out_dir / "index.html").write_text("half")
        raise SevbookError("handbook build failed: boom")

    monkeypatch.setattr("sevbook.handbook.build.build_handbook", broken_handbook)
    res = build(built)
    assert (res.exit_code, res.output) == (1, "Error: handbook build failed: boom\n")
    assert tree_digest(built / "site") == before
    assert dotfiles(built) == []


def test_real_handbook_error_keeps_both_trees(built):
    before = tree_digest(built / "site")
    index = built / "content" / "index.md"
    index.write_text(index.read_text() + "\nSee [the missing page](nowhere.md).\n")
    res = build(built, "--strict")  # without --strict a broken link is a warning
    assert res.exit_code == 1
    assert res.output.splitlines()[0] == ("Error: handbook build failed: Aborted with 1 "
                                          "warnings in strict mode!")
    assert tree_digest(built / "site") == before
    assert dotfiles(built) == []


class Faults:
    """Counts file writes, renames and exchanges; raises ENOSPC at call number `fail_at`."""

    def __init__(self, fail_at: int | None = None, only: str | None = None):
        self.calls: list[tuple[str, str]] = []
        self.fail_at, self.only = fail_at, only

    def hit(self, op: str, path) -> None:
        if self.only is not None and op != self.only:
            return
        self.calls.append((op, str(path)))
        if len(self.calls) - 1 == self.fail_at:
            raise OSError(errno.ENOSPC, "No space left on device", str(path))

    def install(self, monkeypatch, exchange: bool = True) -> None:
        real_open, real_rename, real_exchange = builtins.open, os.rename, swap.exchange

        def fake_open(file, mode="r", *a, **kw):
            if isinstance(mode, str) and any(c in mode for c in "wax+"):
                self.hit("write", file)
            return real_open(file, mode, *a, **kw)

        def fake_rename(src, dst, *a, **kw):
            self.hit("rename", dst)
            return real_rename(src, dst, *a, **kw)

        def fake_exchange(a, b):
            if not exchange:
                return False
            self.hit("exchange", b)
            return real_exchange(a, b)

        monkeypatch.setattr(builtins, "open", fake_open)
        monkeypatch.setattr(io, "open", fake_open)
        monkeypatch.setattr(os, "rename", fake_rename)
        monkeypatch.setattr(swap, "exchange", fake_exchange)


def _count(built: Path, monkeypatch, **kw) -> list[tuple[str, str]]:
    with monkeypatch.context() as m:
        faults = Faults(only=kw.pop("only", None))
        faults.install(m, **kw)
        assert build(built).exit_code == 0
    return faults.calls


def _fail_each(built: Path, monkeypatch, indexes, only=None, exchange=True) -> list[str]:
    """Fail each call in `indexes` in turn; return the outputs."""
    before = tree_digest(built / "site")
    outputs = []
    for i in indexes:
        with monkeypatch.context() as m:
            faults = Faults(i, only)
            faults.install(m, exchange)
            res = build(built)
        where = f"{faults.calls[i][0]} #{i} ({faults.calls[i][1]})"
        assert res.exit_code == 1, where
        assert res.output.startswith("Error: "), (where, res.output)
        assert "internal error" not in res.output and "Traceback" not in res.output, where
        assert tree_digest(built / "site") == before, where
        assert dotfiles(built) == [], where
        outputs.append(res.output.replace(faults.calls[i][1], "PATH"))
    return outputs


def test_fault_at_every_rename_and_exchange_keeps_the_site(built, monkeypatch):
    calls = _count(built, monkeypatch)
    swaps = [i for i, (op, _) in enumerate(calls) if op in ("rename", "exchange")]
    assert [calls[i][0] for i in swaps] == ["exchange"] * 4  # three status pages, the handbook
    _fail_each(built, monkeypatch, swaps)


def test_fault_at_every_rename_of_the_fallback_swap_keeps_the_site(built, monkeypatch):
    calls = _count(built, monkeypatch, only="rename", exchange=False)
    assert len(calls) == 8  # four trees (three status pages, the handbook), two renames each
    _fail_each(built, monkeypatch, range(len(calls)), only="rename", exchange=False)


def test_fault_at_writes_keeps_the_site(built, monkeypatch):
    writes = _count(built, monkeypatch, only="write")
    status = [i for i, (_, p) in enumerate(writes) if "/.status.new-" in p]
    handbook = [i for i, (_, p) in enumerate(writes) if "/.handbook.new-" in p]
    assert len(status) > 40 and len(handbook) > 100
    picks = [status[0], status[-1], handbook[0], handbook[-1]]
    outputs = _fail_each(built, monkeypatch, picks, only="write")
    site = built / "site"
    unchanged = (f"{site / 'status'} and {site / 'status-accounts'} and "
                 f"{site / 'internal-status'} and {site / 'handbook'} are unchanged")
    assert outputs[0] == ("Error: the build failed: No space left on device (PATH); "
                          f"{unchanged}\n")
    assert outputs[1:] == [outputs[0]] * 3


def test_a_reader_always_finds_the_status_page(built):
    index = built / "site" / "status" / "index.html"
    missing: list[float] = []
    done = threading.Event()

    def read() -> None:
        while not done.is_set():
            if not index.is_file():
                missing.append(time.monotonic())

    reader = threading.Thread(target=read)
    reader.start()
    try:
        for _ in range(4):
            assert build(built, "--no-handbook").exit_code == 0
    finally:
        done.set()
        reader.join()
    assert missing == []


KILL_AT_SECOND_RENAME = """
import os, sys
from sevbook import swap
from sevbook.cli import main
swap.exchange = lambda a, b: False
real = os.rename
n = [0]
def rename(a, b):
    n[0] += 1
    if n[0] == 2:
        os._exit(9)
    real(a, b)
os.rename = rename
main(["build", "--no-handbook", "--now", sys.argv[2], "--root", sys.argv[1]])
"""


def test_killed_fallback_swap_is_repaired_by_the_next_build(built):
    status = built / "site" / "status"
    before = tree_digest(status)
    env = {**os.environ, "PYTHONPATH": f"{REPO / 'src'}{os.pathsep}{REPO}"}
    proc = subprocess.run([sys.executable, "-c", KILL_AT_SECOND_RENAME, str(built), NOW_ARG],
                          env=env, capture_output=True, text=True)
    assert proc.returncode == 9, proc.stderr
    assert not status.exists()
    left = dotfiles(built)  # the lock file stays, but the kernel released its lock
    # the example's other status pages were rendered aside and never swapped in
    assert [n[:12] for n in left] == [".internal-st", ".sevbook-bui", ".status-acco",
                                      ".status.new-", ".status.old-"]
    swap.clean_stale(status, time.time() + 1)
    assert tree_digest(status) == before
    assert [n[:12] for n in dotfiles(built)] == [".internal-st", ".sevbook-bui", ".status-acco"]
    assert build(built, "--no-handbook").exit_code == 0
    assert dotfiles(built) == []


def test_stale_cleanup_removes_only_sevbooks_own_old_folders(built, tmp_path):
    site = built / "site"
    before = tree_digest(site / "status")
    outside = tmp_path / "precious"
    outside.mkdir()
    (outside / "keep.txt").write_text("keep")
    for name in (".status.new-abcd1234", ".status.old-0000ffff", ".handbook.new-zz_9zz9z"):
        (site / name).mkdir()
        (site / name / "page.html").write_text("stale")
    (site / ".status.new-short").mkdir()                   # not a name sevbook makes
    (site / ".status.old-12345678").write_text("a file, not our folder")
    (site / ".status.new-linklink").symlink_to(outside)     # a link, not our folder
    (site / "notes.new-abcd1234").write_text("mine")        # a user's file
    old = time.time() - 60
    for p in site.iterdir():
        os.utime(p, (old, old), follow_symlinks=False)
    res = build(built)
    assert res.exit_code == 0, res.output
    assert sorted(p.name for p in site.iterdir()) == [
        ".status.new-linklink", ".status.new-short", ".status.old-12345678",
        "handbook", "internal-status", "notes.new-abcd1234", "status", "status-accounts"]
    assert (outside / "keep.txt").read_text() == "keep"
    assert tree_digest(site / "status") == before


def test_two_builds_at_once_both_succeed(built):
    before = tree_digest(built / "site")
    env = {**os.environ, "PYTHONPATH": str(REPO / "src")}
    cmd = [sys.executable, "-m", "sevbook", "build", "--now", NOW_ARG, "--root", str(built)]
    procs = [subprocess.Popen(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                              text=True) for _ in range(2)]
    outs = [p.communicate(timeout=300) for p in procs]
    expected = (built_lines(built), "")
    assert [(p.returncode, *o) for p, o in zip(procs, outs, strict=True)] == [
        (0, *expected), (0, *expected)]
    assert tree_digest(built / "site") == before
    assert dotfiles(built) == []
