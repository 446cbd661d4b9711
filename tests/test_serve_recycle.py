"""`handbook/recycle.py`: a rebuild written over an older site keeps exactly what it wrote."""

from __future__ import annotations

import os
from pathlib import Path

from mkdocs import utils

from sevbook.handbook.recycle import STAMP, kept_files, prune, stamp


def files(folder: Path) -> list[str]:
    return sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*")
                  if p.is_file() or p.is_symlink())


def test_prune_keeps_what_was_written_after_the_stamp(tmp_path: Path) -> None:
    site = tmp_path / "site"
    (site / "old" / "deep").mkdir(parents=True)
    (site / "kept").mkdir()
    for rel in ("old/deep/index.html", "old/index.html", "kept/index.html", "stale.txt"):
        (site / rel).write_text("before")
        os.utime(site / rel, ns=(1_000_000_000, 1_000_000_000))  # long ago
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "precious.txt").write_text("not ours")
    (site / "link").symlink_to(outside, target_is_directory=True)
    since = stamp(site)
    assert (site / STAMP).is_file()
    (site / "kept" / "index.html").write_text("rewritten")  # over the old file
    (site / "new.html").write_text("new")
    assert prune(site, since) == 4
    assert files(site) == ["kept/index.html", "new.html"]
    assert not (site / "old").exists()  # emptied folders go too
    assert (outside / "precious.txt").read_text() == "not ours"  # a symlink is not followed


def test_a_build_inside_kept_files_does_not_empty_the_site(tmp_path: Path) -> None:
    (tmp_path / "page.html").write_text("x")
    original = utils.clean_directory
    with kept_files():
        utils.clean_directory(str(tmp_path))
        assert (tmp_path / "page.html").exists()
    assert utils.clean_directory is original
    utils.clean_directory(str(tmp_path))
    assert not (tmp_path / "page.html").exists()


def test_unchanged_files_are_not_written_again_but_count_as_written(tmp_path: Path,
                                                                     monkeypatch) -> None:
    calls = []
    monkeypatch.setattr(utils, "write_file", lambda content, path: calls.append(("w", path)))
    monkeypatch.setattr(utils, "copy_file", lambda src, path: calls.append(("c", path)))
    site = tmp_path / "site"
    site.mkdir()
    page, asset, source = site / "page.html", site / "app.js", tmp_path / "app.js"
    for path, data in ((page, b"<p>same</p>"), (asset, b"let a;"), (source, b"let a;")):
        path.write_bytes(data)
        os.utime(path, ns=(1_000_000_000, 1_000_000_000))
    since = stamp(site)
    with kept_files():
        utils.write_file(b"<p>same</p>", str(page))  # the same bytes: only touched
        utils.copy_file(str(source), str(site))  # into a folder, as MkDocs may
        utils.write_file(b"<p>new</p>", str(site / "other.html"))
        utils.write_file(b"<p>changed</p>", str(page.with_name("gone.html")))
    assert calls == [("w", str(site / "other.html")), ("w", str(site / "gone.html"))]
    assert page.stat().st_mtime_ns >= since and asset.stat().st_mtime_ns >= since
    assert page.read_bytes() == b"<p>same</p>"
    assert prune(site, since) == 0  # touched files are this build's


def test_a_symlink_with_the_same_bytes_is_written_not_touched(tmp_path: Path,
                                                               monkeypatch) -> None:
    calls = []
    monkeypatch.setattr(utils, "write_file", lambda content, path: calls.append(path))
    target = tmp_path / "elsewhere.html"
    target.write_bytes(b"x")
    (tmp_path / "page.html").symlink_to(target)
    with kept_files():
        utils.write_file(b"x", str(tmp_path / "page.html"))
    assert calls == [str(tmp_path / "page.html")]
