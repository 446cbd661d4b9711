"""The status build split over processes writes the same bytes as the serial build.

`sevbook.status.build.write_all` hands contiguous runs of its steps to forked children
(`parallel.fork_map`); these tests force that on small corpora (the weight threshold set
to 0), check that children really wrote files, and compare every file with a serial build
(`SEVBOOK_JOBS=1`). An error in a step is the one the serial build raises.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import pytest
from jinja2 import UndefinedError
from tests.rule_corpora import generate_messy, make

from conftest import NOW
from sevbook import parallel
from sevbook.config import load_settings
from sevbook.load import load
from sevbook.rules import check
from sevbook.status import build as status_build
from sevbook.status.pages import status_view

pytestmark = pytest.mark.usefixtures("forks_allowed")


def digests(tree: Path) -> dict[str, str]:
    return {p.relative_to(tree).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(tree.rglob("*")) if p.is_file()}


def folders(tree: Path) -> list[str]:
    return sorted(p.relative_to(tree).as_posix() for p in tree.rglob("*") if p.is_dir())


class Spy:
    """Records how many runs `write_all` hands to `fork_map` and which processes wrote."""

    def __init__(self, monkeypatch) -> None:
        self.runs: list[int] = []
        real = parallel.fork_map

        def fork_map(fn, items, **kw):
            self.runs.append(len(items))
            return real(fn, items, **kw)

        monkeypatch.setattr(parallel, "fork_map", fork_map)


def views(root: Path):
    settings = load_settings(root)
    result = load(root, settings)
    assert not [d for d in check(result, NOW, errors_only=True)]
    return [(tree.label, status_view(result.handbook, tree, NOW))
            for tree in settings.status_trees]


@pytest.mark.parametrize("corpus", ["example", "messy", "v2", "metrics"])
def test_parallel_and_serial_builds_write_identical_trees(corpus, tmp_path, monkeypatch):
    root = make(corpus, tmp_path)
    trees = views(root)
    assert trees, "the corpus has no status page"
    monkeypatch.setattr(status_build, "PARALLEL_WEIGHT", 0)
    spy = Spy(monkeypatch)
    for n, (label, view) in enumerate(trees):
        monkeypatch.setenv("SEVBOOK_JOBS", "1")
        status_build.build_status(view, tmp_path / f"serial-{n}")
        monkeypatch.setenv("SEVBOOK_JOBS", "3")
        status_build.build_status(view, tmp_path / f"parallel-{n}")
        serial, forked = tmp_path / f"serial-{n}", tmp_path / f"parallel-{n}"
        assert digests(forked) == digests(serial), label
        assert folders(forked) == folders(serial), label
        assert len(digests(serial)) > 10
    # each tree once serially (one run), once in three runs (the parent and two children)
    assert spy.runs == [1, 3] * len(trees)


def writers(view, out: Path, monkeypatch, jobs: str = "3") -> dict[str, int]:
    """Build `view` into `out` in `jobs` processes: each file's path -> the pid that wrote it."""
    monkeypatch.setattr(status_build, "PARALLEL_WEIGHT", 0)
    monkeypatch.setenv("SEVBOOK_JOBS", jobs)
    real = status_build._write

    def write(path: Path, text: str) -> None:
        real(path, text)
        (path.parent / (path.name + ".pid")).write_text(str(os.getpid()))

    monkeypatch.setattr(status_build, "_write", write)
    status_build.build_status(view, out)
    monkeypatch.setattr(status_build, "_write", real)
    return {p.relative_to(out).as_posix()[:-4]: int(p.read_text()) for p in out.rglob("*.pid")}


def test_children_write_their_share_of_the_files(tmp_path, monkeypatch):
    (_, view), *_ = views(make("messy", tmp_path))
    by = writers(view, tmp_path / "out", monkeypatch)
    assert os.getpid() in by.values() and len(set(by.values())) == 3


def test_a_small_site_is_written_by_this_process_alone(example, monkeypatch):
    spy = Spy(monkeypatch)
    monkeypatch.delenv("SEVBOOK_JOBS", raising=False)
    label, view = views(example)[0]
    status_build.build_status(view, example / "out")
    assert spy.runs == [1]


def test_an_error_in_a_step_is_the_one_the_serial_build_raises(tmp_path, monkeypatch):
    """Two incident pages fail differently: the first and the last, which the child
    writes. Serial and parallel both raise the first's error; with only the last failing,
    the parallel build redoes the child's run and raises its error."""
    root = generate_messy(tmp_path / "hb", incidents=200, runbooks=12, services=10)
    (_, view), *_ = views(root)
    by = writers(view, tmp_path / "probe", monkeypatch, jobs="2")
    first, last = view.incidents[0], view.incidents[-1]
    assert by[first.path + "index.html"] == os.getpid() != by[last.path + "index.html"]
    theme = root / "theme" / "status"
    theme.mkdir(parents=True, exist_ok=True)
    source = (status_build.render.PACKAGE_TEMPLATES / "incident.html").read_text()

    def fail(failing: dict[str, str]) -> None:
        tests = "".join(f'{{% if inc.id == "{i}" %}}{{{{ {name} }}}}{{% endif %}}'
                        for i, name in failing.items())
        (theme / "incident.html").write_text(
            source.replace("{% block main %}", "{% block main %}" + tests, 1))

    for failing, message in (({first.id: "undefined_first", last.id: "undefined_last"},
                               "'undefined_first' is undefined"),
                              ({last.id: "undefined_last"}, "'undefined_last' is undefined")):
        fail(failing)
        (_, view), *_ = views(root)
        for jobs in ("1", "2"):
            monkeypatch.setenv("SEVBOOK_JOBS", jobs)
            with pytest.raises(UndefinedError) as raised:
                status_build.build_status(view, tmp_path / f"out-{jobs}-{len(failing)}")
            assert str(raised.value) == message, (failing, jobs)


@pytest.mark.parametrize("weights,parts,want", [
    ([1] * 10, 3, [range(0, 3), range(3, 7), range(7, 10)]),
    ([1, 1, 1, 100], 2, [range(0, 3), range(3, 4)]),
    ([100, 1, 1, 1], 2, [range(0, 1), range(1, 4)]),
    ([1, 2, 3, 4, 5, 6], 2, [range(0, 4), range(4, 6)]),
    ([5], 3, [range(0, 1)]),
    ([1] * 3, 5, [range(0, 1), range(1, 2), range(2, 3)]),
    ([0, 0, 0], 2, [range(0, 1), range(1, 3)]),
    ([], 2, [range(0, 0)]),
])
def test_weighted_slices_are_contiguous_balanced_and_never_empty(weights, parts, want):
    assert parallel.weighted_slices(weights, parts) == want


def test_weighted_slices_balance_a_page_set():
    """Many cheap pages then a few heavy feeds: each of two runs gets about half."""
    weights = [5.0] * 1000 + [120.0] * 40
    cuts = parallel.weighted_slices(weights, 2)
    assert [c.start for c in cuts] == [0, cuts[0].stop] and cuts[-1].stop == len(weights)
    shares = [sum(weights[c.start:c.stop]) for c in cuts]
    assert abs(shares[0] - shares[1]) <= 120
