"""Work split over the machine's cores: `fork_map`, the one place sevbook runs in parallel.

CPU-bound passes over many independent documents or pages (loading and judging incidents,
rendering status pages) can use every core. Threads cannot (the GIL), and `multiprocessing`
with `spawn` would re-import sevbook and pickle the whole handbook into each worker. So
`fork_map` forks: each child inherits the parent's memory as it is (the loaded handbook,
compiled templates), works one contiguous slice of the items and sends its results back
pickled through a pipe; the parent works the first slice itself meanwhile.

The result is the serial result, in order, whatever the number of jobs:

- slices are contiguous and results are concatenated in item order, so output that is
  reproducible serially stays byte-identical in parallel;
- a child that fails in any way (an exception, a crash, a result that won't pickle) is not
  trusted: the parent works that slice again itself, so the error the user sees is the one
  a serial run raises, with the same message and exit code;
- where forking is unsafe or pointless, the parent does all the work: one job, fewer items
  than `min_items`, a platform without `fork`, or a process with other threads running
  (`serve`'s watcher and HTTP server: a forked child gets only the calling thread, and a
  lock another thread held would stay locked in the child forever).

Side effects in a child (caches it fills, counters it bumps, files it writes unless the
caller planned for that) are lost with the child: the function given must return
everything the parent needs.

How many jobs: `SEVBOOK_JOBS` if set (a whole number, 1 means serial), else the cores this
process may run on, at most `MAX_JOBS`.
"""

from __future__ import annotations

import gc
import os
import pickle
import sys
import threading
from bisect import bisect_left
from collections.abc import Callable, Sequence
from itertools import accumulate
from typing import TypeVar

from .errors import BadInput

T = TypeVar("T")
R = TypeVar("R")

MAX_JOBS = 4
"""Most processes `fork_map` uses by default (more rarely pays for the forks and pickling)."""

ENV = "SEVBOOK_JOBS"


def jobs() -> int:
    """How many processes to use: `SEVBOOK_JOBS`, else the usable cores (at most MAX_JOBS)."""
    raw = os.environ.get(ENV, "").strip()
    if raw:
        if not raw.isdigit() or int(raw) < 1:
            raise BadInput(ENV, f"{ENV}={raw!r} is not a whole number of jobs; set it to 1 "
                           f"or more (1 runs everything in one process), or unset it")
        return int(raw)
    try:
        cores = len(os.sched_getaffinity(0))
    except (AttributeError, OSError):  # not on Linux
        cores = os.cpu_count() or 1
    return max(1, min(cores, MAX_JOBS))


def can_fork() -> bool:
    """Whether forking is possible and safe here (see the module docstring)."""
    return hasattr(os, "fork") and sys.platform != "darwin" and not other_threads()


def other_threads() -> bool:
    """Whether threads besides this one run (then a fork could inherit a held lock)."""
    return threading.active_count() > 1


def slices(n: int, parts: int) -> list[range]:
    """`range(n)` cut into `parts` contiguous slices of near-equal size, none empty."""
    parts = max(1, min(parts, n))
    size, extra = divmod(n, parts)
    out, start = [], 0
    for k in range(parts):
        stop = start + size + (1 if k < extra else 0)
        out.append(range(start, stop))
        start = stop
    return out


def weighted_slices(weights: Sequence[float], parts: int) -> list[range]:
    """`range(len(weights))` cut into at most `parts` contiguous slices of near-equal total
    weight, none empty: for `fork_map` over items whose costs differ (hand it each slice's
    items as one item). Each cut is the boundary whose prefix weight is nearest its share;
    deterministic, and only the balance depends on it, never a result."""
    n = len(weights)
    parts = max(1, min(parts, n))
    prefix = list(accumulate(weights, initial=0.0))
    total = prefix[-1]
    bounds = [0]
    for k in range(1, parts):
        target = total * k / parts
        at = bisect_left(prefix, target)  # first boundary with prefix >= target
        if at > 0 and target - prefix[at - 1] < prefix[min(at, n)] - target:
            at -= 1
        at = max(bounds[-1] + 1, min(at, n - (parts - k)))
        bounds.append(at)
    bounds.append(n)
    out = [range(lo, hi) for lo, hi in zip(bounds, bounds[1:], strict=False) if hi > lo]
    return out or [range(0, 0)]


def fork_map(fn: Callable[[Sequence[T]], list[R]], items: Sequence[T], *,
             min_items: int = 2, njobs: int | None = None) -> list[R]:
    """`fn(items)`, the work split over processes: `fn` maps a slice to one result per item.

    Returns the list `fn(items)` would: each slice's results, concatenated in item order.
    `min_items`: below this many items per job, fewer jobs are used (at least one slice of
    `min_items`), down to the parent alone.
    """
    want = jobs() if njobs is None else max(1, njobs)
    parts = min(want, max(1, len(items) // max(1, min_items)))
    if parts <= 1 or not can_fork():
        return _checked(fn, items)
    cuts = slices(len(items), parts)
    children = [_spawn(fn, items[c.start:c.stop]) for c in cuts[1:]]
    try:
        results = _checked(fn, items[cuts[0].start:cuts[0].stop])
    except BaseException:
        _abandon(children)
        raise
    for k, (cut, child) in enumerate(zip(cuts[1:], children, strict=True)):
        try:
            part = _collect(child, len(cut))
            results.extend(part if part is not None
                           else _checked(fn, items[cut.start:cut.stop]))
        except BaseException:
            _abandon(children[k + 1:])
            raise
    return results


def _checked(fn: Callable[[Sequence[T]], list[R]], part: Sequence[T]) -> list[R]:
    out = list(fn(part))
    if len(out) != len(part):
        raise ValueError(f"fork_map: {fn!r} gave {len(out)} results for {len(part)} items")
    return out


def _spawn(fn: Callable[[Sequence[T]], list[R]], part: Sequence[T]) -> tuple[int, int] | None:
    """Fork a child that works `part` and writes its pickled results to a pipe."""
    try:
        read, write = os.pipe()
    except OSError:
        return None
    sys.stdout.flush()
    sys.stderr.flush()
    try:
        pid = os.fork()
    except OSError:
        os.close(read)
        os.close(write)
        return None
    if pid == 0:  # the child: never returns
        code = 1
        try:
            os.close(read)
            gc.disable()  # the child lives briefly; cycle collection would only touch pages
            data = pickle.dumps(_checked(fn, part), protocol=pickle.HIGHEST_PROTOCOL)
            with os.fdopen(write, "wb") as out:
                out.write(data)
            code = 0
        except BaseException:  # noqa: BLE001 - any failure: the parent redoes the slice
            pass
        finally:
            os._exit(code)
    os.close(write)
    return pid, read


def _abandon(children: list[tuple[int, int] | None]) -> None:
    """Stop and reap children whose results are no longer wanted (the parent failed)."""
    for child in children:
        if child is None:
            continue
        pid, read = child
        os.close(read)
        try:
            os.kill(pid, 9)
            os.waitpid(pid, 0)
        except (ProcessLookupError, ChildProcessError):
            pass


def _collect(child: tuple[int, int] | None, n: int) -> list | None:
    """A child's results, or None when it failed (the caller redoes its slice)."""
    if child is None:
        return None
    pid, read = child
    with os.fdopen(read, "rb") as pipe:
        data = pipe.read()
    _, status = os.waitpid(pid, 0)
    if not os.WIFEXITED(status) or os.WEXITSTATUS(status) != 0:
        return None
    try:
        out = pickle.loads(data)
    except Exception:  # noqa: BLE001 - a truncated result is a failed child
        return None
    return out if isinstance(out, list) and len(out) == n else None
