"""Exclusive locks between sevbook processes: one edit of a file at a time, one build of a
site folder at a time.

`flock` on a file: the kernel releases it when the process ends, however it ends, so a
killed command never leaves a lock behind. The path is checked again once the lock is
held: an edit replaces the file it edits (write to a temporary file, rename), and a build
deletes its lock file when it is done, so a process that waited on the old file starts
over on the new one instead of working beside whoever locked that.
"""

from __future__ import annotations

import fcntl
import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from .errors import SevbookError

EDIT_TIMEOUT = 30.0
"""Seconds an edit waits for another edit of the same file."""
BUILD_TIMEOUT = 600.0
"""Seconds a build waits for another build of the same site folder."""
BUILD_LOCK = ".sevbook-build.lock"
_POLL = 0.02


class LockTimeout(SevbookError):
    """Another sevbook process held the lock for longer than we were willing to wait."""


def _same_file(fd: int, path: Path) -> bool:
    try:
        st = path.stat()
    except FileNotFoundError:
        return False
    mine = os.fstat(fd)
    return (st.st_dev, st.st_ino) == (mine.st_dev, mine.st_ino)


def _acquire(path: Path, create: bool, deadline: float) -> int | None:
    """An fd holding the lock of `path`, or None when the deadline passed."""
    flags = os.O_RDONLY | os.O_CLOEXEC | (os.O_CREAT if create else 0)
    while True:
        fd = os.open(path, flags, 0o644)
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    os.close(fd)
                    return None
                time.sleep(_POLL)
        if _same_file(fd, path):
            return fd
        os.close(fd)  # replaced or removed while we waited: lock the file there now


@contextmanager
def exclusive(path: Path, timeout: float, busy: str, create: bool = False,
              remove: bool = False) -> Iterator[None]:
    """Hold an exclusive lock on `path` for the block.

    `busy` is the message when the lock is not free within `timeout` seconds. `create`
    makes the file if missing; `remove` deletes it before the lock is released (a lock
    file that exists only while someone holds it)."""
    fd = _acquire(Path(path), create, time.monotonic() + timeout)
    if fd is None:
        raise LockTimeout(f"{busy} (waited {timeout:g} s); try again when it has finished")
    try:
        yield
    finally:
        if remove:
            Path(path).unlink(missing_ok=True)
        os.close(fd)


@contextmanager
def build_lock(folders: list[Path]) -> Iterator[None]:
    """One build at a time per output folder: `folder/.sevbook-build.lock` for each (sorted,
    so two builds never wait on each other in a circle)."""
    with _nested(sorted(set(folders))):
        yield


@contextmanager
def _nested(folders: list[Path]) -> Iterator[None]:
    if not folders:
        yield
        return
    first, rest = folders[0], folders[1:]
    first.mkdir(parents=True, exist_ok=True)
    busy = f"another `sevbook build` is writing {first}"
    with exclusive(first / BUILD_LOCK, BUILD_TIMEOUT, busy, create=True, remove=True):
        with _nested(rest):
            yield
