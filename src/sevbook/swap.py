"""Replacing output folders so that a reader always sees one whole tree, old or new.

`sevbook build` renders every tree into a sibling temporary folder (`.status.new-XXXXXXXX`
next to `site/status`), and only when all of them are complete does it put them in place:

* **Linux** (`renameat2` with `RENAME_EXCHANGE`, glibc 2.28+, most local filesystems): the
  new and the old folder trade names in one system call, so `site/status` is at every
  moment either the old tree or the new one. The old tree, now under the temporary name,
  is deleted afterwards.
* **Elsewhere** (no `renameat2`, or a filesystem that refuses the exchange): two renames,
  `site/status` -> `.status.old-XXXXXXXX`, then the new tree -> `site/status`. Between the
  two, for a moment, there is no `site/status`; if the second rename fails the first is
  undone, and if the process is killed in between, the next build puts the old tree back.

Before the swap, every file of the new tree whose bytes equal the file of the same name in
the old tree is replaced by a hard link to that old file (`keep_unchanged`), so a rebuild
rewrites only the files whose bytes change: the others keep their inode and modification
time (web servers' ETags, rsync and CDN uploads see them unchanged). Where a hard link is
refused, the old file's times are copied instead.

A folder that does not exist yet is created by one rename. When several trees are
replaced and a later swap fails, the earlier ones are swapped back, so the trees never
mix two builds. Temporary folders left by killed builds are removed by the next build:
only directories whose names sevbook itself makes (`.<name>.new-*`, `.<name>.old-*`)
next to a target, and only those older than the current run.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import errno
import os
import re
import secrets
import shutil
import stat
import tempfile
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cache
from pathlib import Path

AT_FDCWD = -100
RENAME_EXCHANGE = 2
_UNSUPPORTED = {errno.ENOSYS, errno.EINVAL, errno.ENOTSUP, errno.EOPNOTSUPP, errno.EXDEV}


@cache
def _renameat2():
    """libc's renameat2, or None where libc has none (macOS, old glibc, some musl)."""
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or None, use_errno=True)
        fn = libc.renameat2
    except (OSError, AttributeError):
        return None
    fn.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    fn.restype = ctypes.c_int
    return fn


def exchange(a: Path, b: Path) -> bool:
    """Swap the names of two existing paths in one step; False (nothing changed) when the
    platform or the filesystem cannot."""
    fn = _renameat2()
    if fn is None:
        return False
    if fn(AT_FDCWD, os.fsencode(a), AT_FDCWD, os.fsencode(b), RENAME_EXCHANGE) == 0:
        return True
    err = ctypes.get_errno()
    if err in _UNSUPPORTED:
        return False
    raise OSError(err, os.strerror(err), str(a), None, str(b))


def _temp_name(target: Path, role: str) -> str:
    return f".{target.name}.{role}-"


def _is_own_temp(path: Path, target: Path) -> bool:
    """A folder named like the ones sevbook makes next to `target` (a real directory)."""
    pattern = rf"\.{re.escape(target.name)}\.(new|old)-[a-z0-9_]{{8}}"
    if not re.fullmatch(pattern, path.name):
        return False
    try:
        return stat.S_ISDIR(path.lstat().st_mode)
    except OSError:
        return False


def clean_stale(target: Path, started: float) -> None:
    """Remove temporary trees of killed builds next to `target` (only sevbook's own, only
    those last changed before `started`); put the old tree back if a killed fallback swap
    left no `target`."""
    parent = target.parent
    if not parent.is_dir():
        return
    stale = [p for p in parent.iterdir()
             if _is_own_temp(p, target) and p.lstat().st_mtime < started]
    olds = sorted((p for p in stale if p.name.startswith(_temp_name(target, "old"))),
                  key=lambda p: p.lstat().st_mtime)
    if olds and not os.path.lexists(target):
        os.rename(olds[-1], target)
        stale.remove(olds[-1])
    for p in stale:
        shutil.rmtree(p, ignore_errors=True)


@dataclass
class _Swap:
    """One target and its new tree; after `apply`, `previous` holds the old tree (or None
    when there was none)."""

    target: Path
    new: Path
    previous: Path | None = None
    done: bool = False

    def apply(self) -> None:
        self.new.chmod(0o755)  # mkdtemp makes 0700; a site is world-readable
        if not os.path.lexists(self.target):
            os.rename(self.new, self.target)
        elif exchange(self.new, self.target):
            self.previous = self.new
        else:
            self._two_renames()
        self.done = True

    def _two_renames(self) -> None:
        old = self.target.parent / (_temp_name(self.target, "old") + secrets.token_hex(4))
        os.rename(self.target, old)
        try:
            os.rename(self.new, self.target)
        except BaseException:
            os.rename(old, self.target)
            raise
        self.previous = old

    def undo(self) -> None:
        """Put the previous tree back (best effort: called while another error unwinds)."""
        if not self.done:
            return
        if self.previous is None:
            os.rename(self.target, self.new)
        elif exchange(self.previous, self.target):
            self.new = self.previous
        else:
            os.rename(self.target, self.new)
            os.rename(self.previous, self.target)
        self.previous, self.done = None, False

    def discard(self) -> None:
        """Delete what is left over: the old tree after success, the new one after failure."""
        leftover = self.previous if self.done else self.new
        if leftover is not None:
            shutil.rmtree(leftover, ignore_errors=True)


def keep_unchanged(new: Path, old: Path) -> int:
    """Replace each regular file under `new` whose bytes equal those of the regular file at
    the same place under `old` by a hard link to the old one (its times copied when links
    are refused); return how many were kept. Symlinks are never followed."""
    kept = 0
    stack = [""]
    while stack:
        rel = stack.pop()
        try:
            items = list(os.scandir(os.path.join(new, rel)))
        except OSError:
            continue
        for item in items:
            sub = os.path.join(rel, item.name)
            if item.is_dir(follow_symlinks=False):
                stack.append(sub)
            elif item.is_file(follow_symlinks=False) and _same_file(item, old / sub):
                _link_old(old / sub, Path(item.path))
                kept += 1
    return kept


def _same_file(item: os.DirEntry, old: Path) -> bool:
    try:
        before = old.lstat()
        if not stat.S_ISREG(before.st_mode) or before.st_size != item.stat().st_size:
            return False
        with open(old, "rb", opener=_no_follow) as a, open(item.path, "rb") as b:
            return a.read() == b.read()
    except OSError:
        return False


def _no_follow(path: str, flags: int) -> int:
    return os.open(path, flags | os.O_NOFOLLOW)


def _link_old(old: Path, new: Path) -> None:
    """Put the old file in the new tree under its name (hard link), or its times on the
    new file when the filesystem refuses links."""
    tmp = new.with_name(f".{new.name}.keep-{secrets.token_hex(4)}")
    try:
        os.link(old, tmp, follow_symlinks=False)
    except OSError:
        st = old.lstat()
        os.utime(new, ns=(st.st_atime_ns, st.st_mtime_ns), follow_symlinks=False)
        return
    try:
        os.replace(tmp, new)
    except OSError:
        os.unlink(tmp)
        raise


@contextmanager
def replace_trees(targets: Sequence[Path]) -> Iterator[list[Path]]:
    """Yield one empty temporary folder per target; when the block succeeds, put them all
    in place (all or none); when it fails, delete them and leave every target as it was."""
    started = time.time()
    swaps: list[_Swap] = []
    try:
        for target in targets:
            target.parent.mkdir(parents=True, exist_ok=True)
            clean_stale(target, started)
            # Absolute: MkDocs reads a relative site_dir against mkdocs.yml's folder.
            new = Path(os.path.abspath(
                tempfile.mkdtemp(prefix=_temp_name(target, "new"), dir=target.parent)))
            swaps.append(_Swap(target, new))
        yield [s.new for s in swaps]
        _apply_all(swaps)
    finally:
        for s in swaps:
            s.discard()


def _apply_all(swaps: list[_Swap]) -> None:
    for s in swaps:  # every tree first, so the swaps themselves follow each other closely
        if os.path.isdir(s.target) and not os.path.islink(s.target):
            keep_unchanged(s.new, s.target)
    try:
        for s in swaps:
            s.apply()
    except BaseException:
        for s in reversed(swaps):
            try:
                s.undo()
            except OSError:  # pragma: no cover - the filesystem failed twice in a row
                pass
        raise
