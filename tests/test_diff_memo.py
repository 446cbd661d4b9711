"""`sevbook diff` through the findings memo (`rules.memo`) and the narrowing's facts
(`diffing.facts`): a cached diff prints exactly what an uncached one prints, after every
kind of change, with the memo filled before the change or not; it loads no unchanged
incident the narrowing leaves out; and a broken or hostile facts file is a miss."""

from __future__ import annotations

import json
import shutil
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from conftest import NOW, NOW_ARG, REPO, copy_example
from sevbook import diff as diff_mod
from sevbook.cli import main
from sevbook.diffing import facts as facts_mod
from sevbook.diffing.narrow import facts_of
from sevbook.load import LoadResult, load
from sevbook.rules import check, memo
from test_diff_fast import CASES, _repo, git, title_edit

sys.path.insert(0, str(REPO / "bench"))
from messy import generate_messy  # noqa: E402

DATA = Path(__file__).parent / "data"


def run(root: Path, *args: str) -> tuple[int, str]:
    res = CliRunner().invoke(main, [*args, "--root", str(root), "--now", NOW_ARG],
                             catch_exceptions=False)
    return res.exit_code, res.output


def diffs(root: Path, *args: str) -> dict[str, tuple[int, str]]:
    return {fmt: run(root, "diff", "HEAD", "--format", fmt, *args)
            for fmt in ("markdown", "json")}


def cache_file(root: Path, name: str) -> Path:
    found = list((root / ".cache" / "sevbook").glob(f"v*/{name}"))
    assert len(found) == 1, found
    return found[0]


@pytest.mark.parametrize("filled", [True, False], ids=["memo-before-change", "no-memo"])
@pytest.mark.parametrize("case", sorted(CASES))
def test_a_cached_diff_prints_what_an_uncached_one_prints(example: Path, case: str,
                                                          filled: bool) -> None:
    before, change, _ = CASES[case]
    if filled:  # memo, content cache and facts from the committed state, then the change
        root = _repo(example, before, lambda root: None)
        assert run(root, "check")[0] == 0
        assert run(root, "diff", "HEAD")[0] == 0
        change(root)
    else:
        root = _repo(example, before, change)
    expected = diffs(root, "--no-cache")
    assert all(code == 0 for code, _ in expected.values())
    assert diffs(root) == expected  # fills (or updates) the memo and the facts
    assert diffs(root) == expected  # reuses them


def test_a_messy_history_diffs_the_same_cached(tmp_path: Path) -> None:
    root = tmp_path / "hb"
    generate_messy(root, incidents=60, runbooks=12, services=10)
    git(root, "init", "-q")
    git(root, "add", "-A")
    git(root, "commit", "-qm", "base")
    path = next(p for p in sorted((root / "incidents").glob("*.md"))
                if "\npublic_title: " in p.read_text(encoding="utf-8"))
    path.write_text(path.read_text(encoding="utf-8").replace(
        "\npublic_title: ", "\npublic_title: Edited ", 1), encoding="utf-8")
    expected = diffs(root, "--no-cache")
    assert "Edited" in expected["markdown"][1]
    assert diffs(root) == expected
    assert diffs(root) == expected


def test_a_diff_teaches_the_memo_every_finding(example: Path) -> None:
    """The memo a diff (an errors-only check) wrote serves a full check: the warnings and
    their lines are all there."""
    root = _repo(example, None, title_edit)
    assert run(root, "diff", "HEAD")[0] == 0
    expected = run(root, "check", "--no-cache")
    assert "warning" in expected[1]
    assert run(root, "check") == expected
    result = load(root, cache=True, reuse=memo.open_memo)
    check(result, NOW)
    assert isinstance(result.reuse, memo.FindingsMemo) and result.reuse.reused


def _bad_corpora() -> list[str]:
    return sorted(p.name for p in (DATA / "check" / "bad").iterdir() if p.is_dir())


@pytest.mark.parametrize("bad", _bad_corpora())
def test_an_errors_only_check_with_the_memo_finds_the_errors_of_one_without(
        tmp_path: Path, bad: str) -> None:
    root = tmp_path / "hb"
    shutil.copytree(DATA / "check" / "base", root)
    shutil.copytree(DATA / "check" / "bad" / bad, root, dirs_exist_ok=True)
    expected = check(load(root), NOW, errors_only=True)
    for _ in range(2):  # the memo filled by the first, reused by the second
        result = load(root, cache=True, reuse=memo.open_memo)
        assert check(result, NOW, errors_only=True) == expected
        result.save_cache()
        memo.save(result, NOW)
    assert isinstance(result.reuse, memo.FindingsMemo)
    assert result.reuse.reused or not result.reuse.judged


def test_a_working_tree_with_errors_is_refused_alike_cached(example: Path) -> None:
    root = _repo(example, None, title_edit)
    assert run(root, "check")[0] == 0
    bad = root / "incidents" / "2026-01-14-login-certificate-expired.md"
    bad.write_text(bad.read_text(encoding="utf-8").replace("severity: SEV", "severity: XSEV", 1),
                   encoding="utf-8")
    expected = run(root, "diff", "HEAD", "--no-cache")
    assert expected[0] != 0 and "unknown-severity" in expected[1]
    assert run(root, "diff", "HEAD") == expected


def _materialized(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    seen: list[str] = []
    real = LoadResult.materialize

    def spy(self: LoadResult, path: Path, rel: str):
        seen.append(rel)
        return real(self, path, rel)

    monkeypatch.setattr(LoadResult, "materialize", spy)
    return seen


def test_with_the_facts_a_diff_loads_no_unchanged_public_incident(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A title edit on a resolved incident of a messy history (every incident resolved, no
    state set on a service directly): the narrowing keeps no unchanged incident, so the
    stand-ins loaded are the first incident (`FindingsMemo.reusable` always loads it) and
    the edited one (the first diff memoised it); without the facts every public one was."""
    root = tmp_path / "hb"
    generate_messy(root, incidents=60, runbooks=12, services=10)
    git(root, "init", "-q")
    git(root, "add", "-A")
    git(root, "commit", "-qm", "base")
    assert run(root, "check")[0] == 0  # the memo
    first = load(root).handbook
    public = {inc.path for inc in first.incidents.values() if inc.public}
    edited = sorted(public)[3]
    path = root / edited
    path.write_text(path.read_text(encoding="utf-8").replace(
        "\npublic_title: ", "\npublic_title: Edited ", 1), encoding="utf-8")
    seen = _materialized(monkeypatch)
    first_path = next(iter(first.incidents.values())).path
    diff_mod.public_diff(root, "HEAD", NOW, cache=True)  # learns the facts
    assert public - set(seen) <= {edited, first_path}  # every other public one was loaded
    seen.clear()
    diff_mod.public_diff(root, "HEAD", NOW, cache=True)
    assert sorted(seen) == sorted({first_path, edited})  # the edited one: the memo's now


def _facts_file(tmp_path: Path) -> tuple[Path, dict[str, tuple[int, str]]]:
    root = _repo(copy_example(tmp_path / "hb"), None, title_edit)
    expected = diffs(root, "--no-cache")
    assert diffs(root) == expected
    return root, expected


@pytest.mark.parametrize("garbage", [
    b"", b"\xff\xfe", b"[]", b"{\"format\": 1}", b"null", b"{" * 100_000,
])
def test_a_corrupt_facts_file_is_a_miss(tmp_path: Path, garbage: bytes) -> None:
    root, expected = _facts_file(tmp_path)
    cache_file(root, facts_mod.FILE).write_bytes(garbage)
    assert diffs(root) == expected
    assert json.loads(cache_file(root, facts_mod.FILE).read_bytes())["facts"]  # rewritten


def _rewrite(path: Path, change) -> None:
    obj = json.loads(path.read_bytes())
    change(obj)
    path.write_text(json.dumps(obj), encoding="utf-8")


def _first_fact(obj: dict, value) -> None:
    key = next(iter(obj["facts"]))
    obj["facts"][key] = value


@pytest.mark.parametrize("change", [
    lambda o: _first_fact(o, ["2026-11-22T10:00:00", []]),  # naive time
    lambda o: _first_fact(o, ["yesterday", []]),
    lambda o: _first_fact(o, [None, [1]]),
    lambda o: _first_fact(o, [None]),
    lambda o: _first_fact(o, {"at": None}),
    lambda o: o.update(base="another sevbook"),
    lambda o: o.update(format=2),
    lambda o: o.update(extra=1),
], ids=["naive", "not-a-time", "not-a-name", "short", "dict", "base", "format", "extra-key"])
def test_a_facts_file_of_the_wrong_shape_or_base_is_ignored_whole(tmp_path: Path,
                                                                  change) -> None:
    root, expected = _facts_file(tmp_path)
    path = cache_file(root, facts_mod.FILE)
    _rewrite(path, change)
    raw = path.read_bytes()
    result = load(root, cache=True, reuse=memo.open_memo)
    assert isinstance(result.reuse, memo.FindingsMemo)
    assert facts_mod.parse(raw, result.reuse.base) == {}
    assert diffs(root) == expected


def test_a_symlinked_facts_file_is_not_read(tmp_path: Path) -> None:
    root, expected = _facts_file(tmp_path)
    path = cache_file(root, facts_mod.FILE)
    lie = tmp_path / "lie.json"
    lie.write_bytes(path.read_bytes())
    _rewrite(lie, lambda o: [o["facts"].__setitem__(k, [None, []]) for k in o["facts"]])
    path.unlink()
    path.symlink_to(lie)
    result = load(root, cache=True, reuse=memo.open_memo)
    assert isinstance(result.reuse, memo.FindingsMemo)
    known = facts_mod.open_facts(result)
    assert known is not None and known.known == {}
    assert diffs(root) == expected
    assert not path.is_symlink()  # replaced by a real file, the link's target untouched
    assert all(v == [None, []] for v in json.loads(lie.read_bytes())["facts"].values())


def test_the_facts_round_trip(example: Path) -> None:
    """What the file gives back for each public incident is what the incident says."""
    root = _repo(example, None, title_edit)
    assert run(root, "diff", "HEAD")[0] == 0
    result = load(root, cache=True, reuse=memo.open_memo)
    assert isinstance(result.reuse, memo.FindingsMemo)
    known = facts_mod.parse(cache_file(root, facts_mod.FILE).read_bytes(), result.reuse.base)
    hb = load(root).handbook
    asked = {result.keys[inc.path][1]: facts_of(inc) for inc in hb.incidents.values()
             if inc.public and inc.path != "incidents/2026-01-14-login-certificate-expired.md"}
    assert known == asked
    assert any(at is not None for at, _ in known.values())
    assert any(names for _, names in known.values())
