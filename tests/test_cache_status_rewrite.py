"""A rebuilt status page rewrites only the files whose bytes change (`swap.keep_unchanged`):
the others keep their inode and modification time."""

from __future__ import annotations

import os
from pathlib import Path

from click.testing import CliRunner

from conftest import NOW_ARG, copy_example
from sevbook import swap
from sevbook.cli import main


def build(root: Path, now: str = NOW_ARG) -> None:
    res = CliRunner().invoke(main, ["build", "--no-handbook", "--now", now, "--root",
                                    str(root)], catch_exceptions=False)
    assert res.exit_code == 0, res.output


def files(tree: Path) -> dict[str, tuple[int, int, bytes]]:
    """{relative path: (inode, mtime ns, bytes)} of every file."""
    out = {}
    for dirpath, _, names in os.walk(tree):
        for n in names:
            p = Path(dirpath, n)
            st = p.stat()
            out[p.relative_to(tree).as_posix()] = (st.st_ino, st.st_mtime_ns, p.read_bytes())
    return out


def test_same_sources_rewrite_nothing(tmp_path: Path) -> None:
    root = copy_example(tmp_path / "hb")
    build(root)
    before = files(root / "site" / "status")
    build(root)
    assert files(root / "site" / "status") == before
    assert len(before) > 40


def test_one_edited_incident_rewrites_only_the_files_that_change(tmp_path: Path) -> None:
    root = copy_example(tmp_path / "hb")
    build(root)
    before = files(root / "site" / "status")
    inc = next(p for p in sorted((root / "incidents").glob("*.md"))
               if "\npublic_title: " in p.read_text(encoding="utf-8"))
    inc.write_text(inc.read_text(encoding="utf-8").replace(
        "\npublic_title: ", "\npublic_title: Edited ", 1), encoding="utf-8")
    build(root)
    after = files(root / "site" / "status")
    assert after.keys() == before.keys()
    changed = {k for k in after if after[k][2] != before[k][2]}
    assert changed and len(changed) < len(after) // 2
    for k in after:
        if k in changed:
            assert after[k][0] != before[k][0], k
        else:
            assert after[k][:2] == before[k][:2], k


def test_without_hard_links_the_old_times_are_kept(tmp_path: Path, monkeypatch) -> None:
    old, new = tmp_path / "old", tmp_path / "new"
    for tree in (old, new):
        (tree / "a").mkdir(parents=True)
    (old / "a" / "same.html").write_text("same")
    (new / "a" / "same.html").write_text("same")
    (old / "a" / "other.html").write_text("old")
    (new / "a" / "other.html").write_text("new!")
    (new / "fresh.html").write_text("fresh")
    os.utime(old / "a" / "same.html", ns=(1_000_000_000, 2_000_000_000))

    def no_link(*a, **kw):
        raise OSError(1, "Operation not permitted")

    monkeypatch.setattr(os, "link", no_link)
    assert swap.keep_unchanged(new, old) == 1
    assert (new / "a" / "same.html").stat().st_mtime_ns == 2_000_000_000
    assert (new / "a" / "other.html").read_text() == "new!"
    assert sorted(p.name for p in new.rglob("*")) == ["a", "fresh.html", "other.html",
                                                      "same.html"]


def test_a_symlink_in_the_old_tree_is_not_followed(tmp_path: Path) -> None:
    old, new = tmp_path / "old", tmp_path / "new"
    old.mkdir()
    new.mkdir()
    (tmp_path / "secret").write_text("same")
    (old / "page.html").symlink_to(tmp_path / "secret")
    (new / "page.html").write_text("same")
    assert swap.keep_unchanged(new, old) == 0
    assert not (new / "page.html").is_symlink()
    assert (new / "page.html").stat().st_ino != (tmp_path / "secret").stat().st_ino
