"""Rebuilding `sevbook serve`'s preview over the files of an older one instead of into an
empty folder.

A rebuild of 2,000 incidents writes about 2,400 pages, each in a folder of its own. Into
an empty folder that is 2,400 new directories and files; on ext4, creating them within
minutes of deleting the folder of the rebuild before that (ialloc.c skips recently
deleted inodes) made the rebuild a fifth slower each time, and measured here 1.05 s
against 0.18–0.32 s for writing the same files over existing ones. So the preview keeps
the folder it stops serving and builds the next rebuild into it:

* `kept_files`: MkDocs' build empties `site_dir` first (`utils.clean_directory`); inside
  this block it leaves the files, and a page or static file whose bytes are already
  there is not written again, only given the time of now (`utils.write_file`,
  `utils.copy_file`, through `writes.py`);
* `stamp` before the build and `prune` after it: every file the build did not write (its
  modification time is older than the stamp: a page that no longer exists, a status
  preview of two rebuilds ago) is removed, and so is every folder left empty. MkDocs
  writes or copies every file of a build (`write_file`, `shutil.copyfile`: both set the
  modification time), so what remains is exactly what the build made.

The stamp is a file's own modification time, taken from the filesystem's clock as every
other file's is (a coarse clock may give a file written after the stamp the same time,
never an earlier one), as git's racy-index check does.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

from ..writes import touched_if_same

STAMP = ".sevbook-rebuild"
"""The stamp file, at the top of the folder (hidden: MkDocs never writes or cleans it)."""


@contextmanager
def kept_files() -> Iterator[None]:
    """MkDocs' builds inside the block do not empty their site_dir first and leave a file
    that already holds the bytes to write as it is (with the time of now)."""
    from mkdocs import utils

    saved = utils.clean_directory, utils.write_file, utils.copy_file
    write, copy = utils.write_file, utils.copy_file

    def write_file(content: bytes, output_path: str) -> None:
        if not touched_if_same(output_path, content):
            write(content, output_path)

    def copy_file(source_path: str, output_path: str) -> None:
        dest = (os.path.join(output_path, os.path.basename(source_path))
                if os.path.isdir(output_path) else output_path)
        if not _same_size(source_path, dest) or not touched_if_same(dest, _bytes(source_path)):
            copy(source_path, output_path)

    utils.clean_directory, utils.write_file, utils.copy_file = _keep, write_file, copy_file
    try:
        yield
    finally:
        utils.clean_directory, utils.write_file, utils.copy_file = saved


def _same_size(source: str, dest: str) -> bool:
    """Whether `dest` exists with `source`'s size (only then is reading `source` worth it:
    the first rebuild into a fresh folder has nothing to compare)."""
    try:
        return os.stat(source).st_size == os.lstat(dest).st_size
    except OSError:
        return False


def _bytes(path: str) -> bytes | None:
    try:
        with open(path, "rb") as f:
            return f.read()
    except OSError:
        return None


def _keep(directory: str) -> None:
    """What `utils.clean_directory` does inside `kept_files`: nothing (see `prune`)."""


def stamp(folder: Path) -> int:
    """Mark the start of a build into `folder`; its time in ns, by the filesystem's clock."""
    path = folder / STAMP
    path.write_bytes(b"")
    os.utime(path)
    return path.stat().st_mtime_ns


def prune(folder: Path, since: int, skip: Iterable[str] = ()) -> int:
    """Remove from `folder` every file older than `since` and every symlink (and the
    stamp), then every folder left empty; never follows a symlink, and leaves the folders
    `skip` names (relative, `/`-separated: trees moved in whole) as they are. Returns how
    many files it removed."""
    top = str(folder)
    skipped = {os.path.join(top, *p.strip("/").split("/")) for p in skip if p.strip("/")}
    removed = 0
    for dirpath, names in _bottom_up(top, skipped):
        for name in names:
            path = os.path.join(dirpath, name)
            try:
                st = os.lstat(path)
                if st.st_mtime_ns < since or stat.S_ISLNK(st.st_mode):
                    os.unlink(path)
                    removed += 1
            except FileNotFoundError:
                pass
        if dirpath != top:
            try:
                os.rmdir(dirpath)  # only when empty
            except OSError:
                pass
    try:
        os.unlink(folder / STAMP)
    except FileNotFoundError:
        pass
    return removed


def _bottom_up(top: str, skipped: set[str]) -> list[tuple[str, list[str]]]:
    """(folder, names of what is not a folder in it: files, symlinks) for `top` and every
    folder below it but `skipped` ones, each folder after those inside it."""
    found: list[tuple[str, list[str]]] = []
    stack = [top]
    while stack:
        here = stack.pop()
        try:
            with os.scandir(here) as it:
                entries = list(it)
        except OSError:
            continue
        others = []
        for e in entries:
            if e.is_dir(follow_symlinks=False):
                if e.path not in skipped:
                    stack.append(e.path)
            else:
                others.append(e.name)
        found.append((here, others))
    return found[::-1]
