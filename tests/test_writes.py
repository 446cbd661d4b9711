"""`writes.py`: a file is written over only when its bytes differ, and counts as written."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from sevbook import writes

OLD = 1_000_000_000  # ns since the epoch: long ago


@pytest.fixture
def written(monkeypatch) -> list[Path]:
    calls: list[Path] = []
    real = Path.write_bytes

    def recording(self: Path, data: bytes) -> int:
        calls.append(self)
        return real(self, data)

    monkeypatch.setattr(Path, "write_bytes", recording)
    return calls


def test_the_same_bytes_are_touched_not_written(tmp_path: Path, written) -> None:
    page = tmp_path / "page.html"
    page.write_bytes(b"<p>same</p>")
    os.utime(page, ns=(OLD, OLD))
    written.clear()
    writes.write_if_changed(page, b"<p>same</p>")
    assert written == [] and page.stat().st_mtime_ns > OLD


@pytest.mark.parametrize("old", [b"<p>other</p>", b"<p>samE</p>", None])
def test_other_bytes_or_no_file_are_written(tmp_path: Path, written, old) -> None:
    page = tmp_path / "deep" / "page.html"
    if old is not None:
        page.parent.mkdir()
        page.write_bytes(old)
    written.clear()
    writes.write_if_changed(page, b"<p>same</p>")
    assert written == [page] and page.read_bytes() == b"<p>same</p>"


def test_a_symlink_is_never_taken_for_the_file(tmp_path: Path) -> None:
    target = tmp_path / "target.html"
    target.write_bytes(b"x")
    os.utime(target, ns=(OLD, OLD))
    (tmp_path / "link.html").symlink_to(target)
    assert not writes.touched_if_same(tmp_path / "link.html", b"x")
    assert target.stat().st_mtime_ns == OLD
