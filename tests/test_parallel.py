"""`parallel.fork_map`: the serial result, in order, whatever the jobs; failures redone."""

from __future__ import annotations

import os
import threading

import pytest

from sevbook import parallel
from sevbook.errors import BadInput

pytestmark = pytest.mark.usefixtures("forks_allowed")

PARENT = os.getpid()


def squares(part):
    return [(x * x, os.getpid()) for x in part]


def values(pairs):
    return [v for v, _ in pairs]


def pids(pairs):
    return {p for _, p in pairs}


@pytest.mark.parametrize("n", [0, 1, 2, 7, 100, 1001])
@pytest.mark.parametrize("njobs", [1, 2, 3, 5])
def test_the_result_is_the_serial_result_in_order(n, njobs):
    got = parallel.fork_map(squares, list(range(n)), njobs=njobs, min_items=1)
    assert values(got) == [x * x for x in range(n)]


def test_the_work_is_really_shared_with_children():
    got = parallel.fork_map(squares, list(range(100)), njobs=3, min_items=1)
    assert len(pids(got)) == 3
    assert PARENT in pids(got)
    # the first slice is the parent's own
    assert got[0][1] == PARENT and got[-1][1] != PARENT


def test_slices_are_contiguous_near_equal_and_cover_everything():
    cuts = parallel.slices(10, 3)
    assert [list(c) for c in cuts] == [[0, 1, 2, 3], [4, 5, 6], [7, 8, 9]]
    assert parallel.slices(2, 5) == [range(0, 1), range(1, 2)]
    assert parallel.slices(0, 3) == [range(0, 0)]


def test_min_items_limits_the_number_of_jobs():
    got = parallel.fork_map(squares, list(range(10)), njobs=4, min_items=8)
    assert pids(got) == {PARENT}
    got = parallel.fork_map(squares, list(range(16)), njobs=4, min_items=8)
    assert len(pids(got)) == 2


def fails_in_children(part):
    if os.getpid() != PARENT:
        raise RuntimeError("child trouble")
    return squares(part)


def crashes_in_children(part):
    if os.getpid() != PARENT:
        os._exit(3)
    return squares(part)


def unpicklable_in_children(part):
    if os.getpid() != PARENT:
        return [lambda x=x: x for x in part]
    return squares(part)


@pytest.mark.parametrize("fn", [fails_in_children, crashes_in_children,
                                unpicklable_in_children])
def test_a_failed_child_slice_is_redone_by_the_parent(fn):
    got = parallel.fork_map(fn, list(range(50)), njobs=3, min_items=1)
    assert values(got) == [x * x for x in range(50)]
    assert pids(got) == {PARENT}


def raises_on_thirteen(part):
    if 13 in part:
        raise KeyError("thirteen")
    return squares(part)


@pytest.mark.parametrize("where", [5, 40])
def test_an_error_is_the_one_a_serial_run_raises_and_no_child_is_left(where, monkeypatch):
    forked = []
    real_fork = os.fork

    def recording_fork():
        pid = real_fork()
        if pid:
            forked.append(pid)
        return pid

    monkeypatch.setattr(os, "fork", recording_fork)
    items = list(range(50))
    items[where] = 13
    with pytest.raises(KeyError, match="thirteen"):
        parallel.fork_map(raises_on_thirteen, items, njobs=3, min_items=1)
    assert len(forked) == 2
    for pid in forked:  # each of fork_map's children is reaped (another test's may live on)
        with pytest.raises(ChildProcessError):
            os.waitpid(pid, os.WNOHANG)


def test_a_wrong_number_of_results_is_a_bug_not_a_silent_loss():
    with pytest.raises(ValueError, match="gave 1 results for 3 items"):
        parallel.fork_map(lambda part: [0], [1, 2, 3], njobs=1)


def test_with_other_threads_running_nothing_forks(monkeypatch):
    monkeypatch.undo()  # the real check, not forks_allowed's
    stop = threading.Event()
    other = threading.Thread(target=stop.wait)
    other.start()
    try:
        got = parallel.fork_map(squares, list(range(100)), njobs=3, min_items=1)
    finally:
        stop.set()
        other.join()
    assert values(got) == [x * x for x in range(100)]
    assert pids(got) == {PARENT}


def test_jobs_comes_from_the_environment(monkeypatch):
    monkeypatch.setenv("SEVBOOK_JOBS", "1")
    assert parallel.jobs() == 1
    got = parallel.fork_map(squares, list(range(100)), min_items=1)
    assert pids(got) == {PARENT}
    monkeypatch.setenv("SEVBOOK_JOBS", "3")
    assert parallel.jobs() == 3
    monkeypatch.delenv("SEVBOOK_JOBS")
    assert 1 <= parallel.jobs() <= parallel.MAX_JOBS


@pytest.mark.parametrize("raw", ["0", "two", "-1", "1.5"])
def test_a_bad_jobs_value_is_a_usage_error_with_its_fix(monkeypatch, raw):
    monkeypatch.setenv("SEVBOOK_JOBS", raw)
    with pytest.raises(BadInput) as e:
        parallel.jobs()
    assert e.value.param == "SEVBOOK_JOBS"
    assert e.value.message == (f"SEVBOOK_JOBS={raw!r} is not a whole number of jobs; set it "
                               f"to 1 or more (1 runs everything in one process), or unset it")
