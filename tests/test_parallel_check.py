"""A cold `check` judged in forked children (`sevbook.rules.parallel_check`) prints byte for
byte what the plain serial check prints (`SEVBOOK_JOBS=1`), exit code included, and leaves
to the parent every file a child cannot judge exactly."""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from conftest import NOW_ARG, REPO, copy_example
from sevbook import parallel
from sevbook.cli import main
from sevbook.rules import parallel_check
from sevbook.rules import registry as registry_mod
from sevbook.rules.registry import Finding

sys.path.insert(0, str(REPO / "bench"))
from messy import generate_messy  # noqa: E402

pytestmark = pytest.mark.usefixtures("forks_allowed")

DATA = Path(__file__).parent / "data"
CORPORA = ["example", "metrics", "v2", "check/base", "messy"]
"""The example, every corpus under tests/data/ with a mkdocs.yml, and a small messy one."""
FORMATS = [[], ["--format", "json"], ["--format", "github"], ["--strict"],
           ["--strict", "--format", "json"]]
FIRST = "incidents/2025-12-01-cyber-monday-checkout-pool-exhaustion.md"
CERT = "incidents/2026-01-14-login-certificate-expired.md"


@pytest.fixture
def spy(monkeypatch: pytest.MonkeyPatch) -> list[parallel_check.Prejudged]:
    """Fork for any number of incidents; every `Prejudged` that prepared, in order."""
    monkeypatch.setattr(parallel_check, "MIN_ITEMS", 1)
    seen: list[parallel_check.Prejudged] = []
    prepare = parallel_check.Prejudged.prepare

    def spying(self, incidents, result):
        seen.append(self)
        prepare(self, incidents, result)

    monkeypatch.setattr(parallel_check.Prejudged, "prepare", spying)
    return seen


def corpus(name: str, tmp_path: Path) -> Path:
    dest = tmp_path / name.replace("/", "-")
    if name == "example":
        return copy_example(dest)
    if name == "messy":
        return generate_messy(dest, 40, runbooks=20, services=10)
    shutil.copytree(DATA / name, dest, symlinks=True)
    return dest


def run(monkeypatch: pytest.MonkeyPatch, root: Path, jobs: int, *args: str) -> tuple[int, str]:
    monkeypatch.setenv("SEVBOOK_JOBS", str(jobs))
    res = CliRunner().invoke(main, ["check", "--now", NOW_ARG, "--root", str(root), *args],
                             catch_exceptions=False)
    return res.exit_code, res.output


def same_as_serial(monkeypatch: pytest.MonkeyPatch, root: Path, *args: str,
                   jobs: int = 3) -> str:
    serial = run(monkeypatch, root, 1, "--no-cache", *args)
    assert run(monkeypatch, root, jobs, "--no-cache", *args) == serial
    return serial[1]


@pytest.mark.parametrize("name", CORPORA)
def test_output_and_exit_code_are_the_serial_ones(
        name: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        spy: list[parallel_check.Prejudged]) -> None:
    assert parallel.can_fork()  # else every run below would be serial
    root = corpus(name, tmp_path)
    for args in FORMATS:
        same_as_serial(monkeypatch, root, *args)
        # with the content cache the findings memo judges (first run cold, then reused)
        cached = [run(monkeypatch, root, jobs, *args) for jobs in (1, 3, 1)]
        assert cached == [run(monkeypatch, root, 1, "--no-cache", *args)] * 3
    judged = spy[-1]
    if name == "check/base":  # a single incident file: nothing to share
        assert judged.verdicts == {}
        return
    assert judged.verdicts and judged.reused  # the children's work was used
    assert set(judged.reused) <= set(judged.verdicts)


def test_the_incidents_are_judged_in_children(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        spy: list[parallel_check.Prejudged]) -> None:
    judge = parallel_check._judge

    def marked(*args):  # which process judged: an id nobody has, so harmless
        v = judge(*args)
        return v and v._replace(asked=v.asked | {f"pid {os.getpid()}"})

    monkeypatch.setattr(parallel_check, "_judge", marked)
    same_as_serial(monkeypatch, copy_example(tmp_path / "hb"), jobs=3)
    pids = {i for v in spy[-1].verdicts.values() for i in v.asked if i.startswith("pid ")}
    assert len(pids) == 3 and f"pid {os.getpid()}" in pids


def test_small_handbooks_stay_serial(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    seen = []
    prepare = parallel_check.Prejudged.prepare
    monkeypatch.setattr(parallel_check.Prejudged, "prepare",
                        lambda self, inc, result: seen.append(self) or prepare(self, inc, result))
    example = copy_example(tmp_path / "hb")  # 15 incidents < 2 * MIN_ITEMS
    same_as_serial(monkeypatch, example, jobs=2)
    assert len(seen) == 1 and seen[0].verdicts == {} and seen[0].reused == {}


def _write(root: Path, rel: str, text: str) -> None:
    path = root / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def test_what_a_child_cannot_judge_is_judged_by_the_parent(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        spy: list[parallel_check.Prejudged]) -> None:
    root = copy_example(tmp_path / "hb")
    cert = (root / CERT).read_text(encoding="utf-8")
    # the same id as the first incident, found last (another slice): a duplicate
    _write(root, "incidents/zz/" + Path(FIRST).name, cert)
    # does not parse
    _write(root, "incidents/2026-05-01-bad-yaml.md", "---\ntitle: [unclosed\n---\nbody\n")
    # fails validation; salvaged: its unknown service is reported too
    _write(root, "incidents/2026-05-02-bad-time.md", cert.replace(
        "started_at: 2026-01-14T06:00:00Z", "started_at: not-a-time").replace(
        "services: [auth, cdn-edge]", "services: [auth, nowhere]"))
    # names an incident whose file does not load: the child assumed it exists
    asks = "incidents/2026-05-03-asks-bad.md"
    _write(root, asks, cert.replace("runbooks: [", "related: [{incident: 2026-05-01-bad-yaml, "
                                    "relation: caused_by}]\nrunbooks: [", 1))
    # names one that does not exist at all: the child knows that much
    missing = "incidents/2026-05-04-asks-missing.md"
    _write(root, missing, cert.replace("runbooks: [", "related: [{incident: 2026-05-09-none, "
                                       "relation: caused_by}]\nrunbooks: [", 1))
    # accepts a warning, and one that no longer fires
    accepts = "incidents/2026-05-05-accepts.md"
    _write(root, accepts, cert.replace("public: true", "accepted:\n"
           "  - {code: silent-incident, reason: test, by: review}\n"
           "  - {code: no-monitoring, reason: test, by: review}\npublic: true", 1))
    # refused by the loader
    outside = tmp_path / "outside.md"
    outside.write_text(cert, encoding="utf-8")
    (root / "incidents/2026-05-06-outside.md").symlink_to(outside)

    for args in ([], ["--format", "json"], ["--strict"]):
        out = same_as_serial(monkeypatch, root, *args, jobs=4)
    for needle in ("duplicate-id", "[yaml]", "2026-05-02-bad-time.md", "'nowhere'",
                   "'2026-05-01-bad-yaml' does not exist", "'2026-05-09-none' does not exist",
                   "stale-acceptance", "symlink-outside"):
        assert needle in out, needle
    judged = spy[-1]
    reused = set(judged.reused)
    assert missing in reused and CERT in reused
    assert asks in judged.verdicts and asks not in reused  # judged again by the parent
    assert FIRST not in reused  # the first incident is always real
    for rel in (accepts, "incidents/2026-05-01-bad-yaml.md", "incidents/2026-05-02-bad-time.md",
                "incidents/2026-05-06-outside.md"):
        assert rel not in judged.verdicts, rel
    assert "incidents/zz/" + Path(FIRST).name not in reused  # dropped with its id


def test_a_rule_reading_the_incidents_is_run_by_the_parent(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        spy: list[parallel_check.Prejudged]) -> None:
    from sevbook import rules as rules_pkg

    def counts(ctx, inc):  # a child sees no incidents but the ids
        if len(ctx.handbook.incidents) > 3:
            yield Finding(inc.path, ("title",), "more than three incidents")

    extra = registry_mod.Rule("counts", "warning", ("incident", "maintenance"), "test", counts)
    monkeypatch.setattr(rules_pkg, "RULES", [*registry_mod.RULES, extra])
    out = same_as_serial(monkeypatch, copy_example(tmp_path / "hb"))
    assert out.count("more than three incidents") == 15
    assert spy[-1].reused == {}


def test_a_rule_failing_on_a_childs_view_is_run_by_the_parent(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        spy: list[parallel_check.Prejudged]) -> None:
    from sevbook import rules as rules_pkg

    def first_title(ctx, inc):  # raises KeyError in a child: it has no documents
        first = ctx.handbook.incidents[min(ctx.handbook.incidents)]
        yield Finding(inc.path, ("title",), f"first: {first.title[:10]}")

    extra = registry_mod.Rule("first", "warning", ("incident", "maintenance"), "test",
                              first_title)
    monkeypatch.setattr(rules_pkg, "RULES", [*registry_mod.RULES, extra])
    out = same_as_serial(monkeypatch, copy_example(tmp_path / "hb"))
    assert out.count("first: ") == 15


def test_children_that_fail_change_nothing(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        spy: list[parallel_check.Prejudged]) -> None:
    parent, judge = os.getpid(), parallel_check._judge_files

    def crash(*args):
        if os.getpid() != parent:
            os._exit(3)
        return judge(*args)

    monkeypatch.setattr(parallel_check, "_judge_files", crash)
    same_as_serial(monkeypatch, copy_example(tmp_path / "hb"), jobs=3)
    assert spy[-1].reused  # the parent did the children's slices itself


def test_a_bad_jobs_setting_is_a_clear_error(tmp_path: Path,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    code, out = run(monkeypatch, copy_example(tmp_path / "hb"), 0, "--no-cache")
    assert code == 1
    assert out == ("Error: SEVBOOK_JOBS='0' is not a whole number of jobs; set it to 1 or "
                   "more (1 runs everything in one process), or unset it\n")
