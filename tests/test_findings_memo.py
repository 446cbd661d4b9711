"""The findings memo (`sevbook.rules.memo`): a `check` that reuses what it found in unchanged
incident files prints byte for byte what a check without any cache prints, and judges a
file again whenever anything its findings depend on changed."""

from __future__ import annotations

import json
import os
import shutil
import sys
from datetime import datetime
from pathlib import Path

import pytest
from click.testing import CliRunner

from conftest import NOW, NOW_ARG, REPO, copy_example
from sevbook import load as load_mod
from sevbook.cli import main
from sevbook.load import load
from sevbook.rules import check, memo
from sevbook.rules import registry as registry_mod
from sevbook.rules.context import RuleContext
from sevbook.times import parse_instant

sys.path.insert(0, str(REPO / "bench"))
from messy import generate_messy  # noqa: E402

DATA = Path(__file__).parent / "data"
LOCKOUTS = "incidents/2026-11-18-mobile-network-login-lockouts.md"
"""SEV2, resolved 2026-11-18T10:10Z, postmortem a draft (due 7d later: 11-25T10:10Z), an
open action item due 2026-12-02."""
OPEN = "incidents/2026-11-22-search-errors-after-node-loss.md"
"""Open at NOW: `silent-incident` reads the time and has no horizon."""
OLD = 1_600_000_000_000_000_000
"""An mtime (2020) well before any scan: the stat shortcut may be stored."""


def run(root: Path, *args: str, now: str = NOW_ARG) -> tuple[int, str]:
    res = CliRunner().invoke(main, ["check", "--now", now, "--root", str(root), *args],
                             catch_exceptions=False)
    return res.exit_code, res.output


def judge(root: Path, now: datetime = NOW) -> tuple[set[str], set[str]]:
    """One cached check through the library: (files reused, files judged)."""
    result = load(root, cache=True, reuse=memo.open_memo)
    check(result, now)
    result.save_cache()
    memo.save(result, now)
    m = result.reuse
    assert isinstance(m, memo.FindingsMemo)
    return set(m.reused), set(m.judged)


def incidents(root: Path) -> set[str]:
    return {f"incidents/{p.name}" for p in (root / "incidents").glob("*.md")
            if p.name != "README.md"}


def memo_file(root: Path) -> Path:
    found = list((root / ".cache" / "sevbook").glob(f"v*/{memo.FILE}"))
    assert len(found) == 1
    return found[0]


def same_as_uncached(root: Path, now: str = NOW_ARG) -> str:
    """Assert a cached check prints what an uncached one does; return the output."""
    expected = run(root, "--no-cache", now=now)
    assert run(root, now=now) == expected
    return expected[1]


def edit(root: Path, rel: str, old: str, new: str) -> None:
    path = root / rel
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


@pytest.fixture
def example(tmp_path: Path) -> Path:
    root = copy_example(tmp_path / "hb")
    run(root)  # fills the content cache and the memo
    return root


# ------------------------------------------------------------------ byte-identical output
def _corpora() -> list[str]:
    return ["example", "check-base", "v2", "metrics", "messy"] + [
        f"check-bad/{p.name}" for p in sorted((DATA / "check" / "bad").iterdir()) if p.is_dir()]


@pytest.mark.parametrize("corpus", _corpora())
def test_reused_findings_print_exactly_what_an_uncached_check_prints(tmp_path: Path,
                                                                     corpus: str) -> None:
    root = tmp_path / "hb"
    if corpus == "example":
        copy_example(root)
    elif corpus == "messy":
        generate_messy(root, incidents=60, runbooks=12, services=10)
    elif corpus.startswith("check-"):
        shutil.copytree(DATA / "check" / "base", root)
        if corpus.startswith("check-bad/"):
            shutil.copytree(DATA / "check" / "bad" / corpus.split("/")[1], root,
                            dirs_exist_ok=True)
    else:
        shutil.copytree(DATA / corpus, root)
    for fmt in ("text", "json"):
        expected = run(root, "--no-cache", "--format", fmt)
        assert run(root, "--format", fmt) == expected  # fills the memo
        assert run(root, "--format", fmt) == expected  # reuses it
        assert run(root, "--strict", "--format", fmt) == run(root, "--no-cache", "--strict",
                                                             "--format", fmt)


def test_an_unchanged_example_judges_only_its_open_incident(example: Path) -> None:
    reused, judged = judge(example)
    assert judged == {OPEN}
    assert reused == incidents(example) - {OPEN}


def test_messy_corpus_reuses_every_incident(tmp_path: Path) -> None:
    root = generate_messy(tmp_path / "messy", incidents=60, runbooks=12, services=10)
    expected = same_as_uncached(root)
    reused, judged = judge(root)
    assert (len(reused), judged) == (60, set())
    assert run(root) == (0, expected)


# ------------------------------------------------------------------ edits of one incident
@pytest.mark.parametrize("old,new,code", [
    ("  scribe: Omar Said\n", "", "required-role"),  # SEV2 requires a scribe: a warning added
    ("severity: SEV2\n", "severity: SEV9\n", "unknown-severity"),  # an error introduced
    ("postmortem:\n", "# a comment\npostmortem:\n", None),  # new bytes, still no finding
])
def test_editing_one_incident_judges_that_file_again(example: Path, old: str, new: str,
                                                     code: str | None) -> None:
    before = run(example, "--no-cache")[1]
    original = (example / LOCKOUTS).read_bytes()
    edit(example, LOCKOUTS, old, new)
    out = same_as_uncached(example)
    mine = [ln for ln in out.splitlines() if ln.startswith(LOCKOUTS)]
    assert [c for c in [code] if c] == sorted({ln.split("[")[1].split("]")[0] for ln in mine})
    (example / LOCKOUTS).write_bytes(original)  # and back
    assert same_as_uncached(example) == before


def test_a_warning_fixed_disappears(example: Path) -> None:
    edit(example, LOCKOUTS, "  scribe: Omar Said\n", "")
    before = same_as_uncached(example)
    assert f"{LOCKOUTS}:11: warning: [required-role]" in before
    edit(example, LOCKOUTS, "roles:\n", "roles:\n  scribe: Omar Said\n")
    after = same_as_uncached(example)
    assert "[required-role]" not in after
    reused, judged = judge(example)
    assert LOCKOUTS in reused and judged == {OPEN}


def test_only_the_edited_file_and_the_open_incident_are_judged(example: Path) -> None:
    edit(example, LOCKOUTS, "  scribe: Omar Said\n", "")
    reused, judged = judge(example)
    assert judged == {OPEN, LOCKOUTS}
    assert reused == incidents(example) - judged


# ------------------------------------------------------------------ the context key
@pytest.mark.parametrize("rel,old,new", [
    ("content/services/auth.md", "name: ", "name: Renamed "),
    ("content/severity.md", "roles: [incident-commander, scribe]",
     "roles: [incident-commander, scribe, executive-sponsor]"),
    ("mkdocs.yml", "incidents_dir: incidents\n",
     "incidents_dir: incidents\n      incident_fields:\n        - {name: region, type: text, "
     "required_from: SEV4}\n"),
])
def test_editing_a_file_that_is_no_incident_judges_every_incident(example: Path, rel: str,
                                                                 old: str, new: str) -> None:
    edit(example, rel, old, new)
    reused, judged = judge(example)
    assert reused == set() and judged == incidents(example)
    same_as_uncached(example)


def test_a_removed_service_is_reported_by_reused_incidents_too(example: Path) -> None:
    (example / "content/services/search.md").unlink()
    out = same_as_uncached(example)
    assert "[unknown-service]" in out


def test_adding_and_removing_a_related_incident(example: Path) -> None:
    other = example / "incidents/2026-12-20-later-follow-up.md"
    text = (example / LOCKOUTS).read_text(encoding="utf-8")
    other.write_text(text.replace("runbooks: [", "related: [{incident: 2026-12-21-gone, "
                                  "relation: caused_by}]\nrunbooks: [", 1), encoding="utf-8")
    assert "'2026-12-21-gone' does not exist" in same_as_uncached(example)
    gone = example / "incidents/2026-12-21-gone.md"
    shutil.copy(example / LOCKOUTS, gone)
    out = same_as_uncached(example)
    assert "'2026-12-21-gone' does not exist" not in out
    gone.unlink()
    assert "'2026-12-21-gone' does not exist" in same_as_uncached(example)


def test_a_reused_file_whose_id_another_file_takes_is_a_duplicate(example: Path) -> None:
    edit(example, LOCKOUTS, "  scribe: Omar Said\n", "")  # a finding to be reused
    assert "[required-role]" in same_as_uncached(example)
    (example / "incidents/2020").mkdir()
    shutil.copy(example / OPEN, example / "incidents/2020" / Path(LOCKOUTS).name)
    out = same_as_uncached(example)
    assert f"{LOCKOUTS}:1: error: [duplicate-id]" in out
    assert f"{LOCKOUTS}:11: warning" not in out


# ------------------------------------------------------------------ time
@pytest.mark.parametrize("later,code", [
    ("2026-11-25T10:09:00Z", None),
    ("2026-11-25T10:11:00Z", "postmortem-overdue"),  # 7 days after 11-18T10:10Z
    ("2026-12-02T23:59:00Z", None),
    ("2026-12-03T00:00:00Z", "action-item-overdue"),  # due 2026-12-02
    ("2026-11-22T12:00:00+05:00", None),  # another offset: another `today`
])
def test_moving_now_across_a_due_date(example: Path, later: str, code: str | None) -> None:
    out = same_as_uncached(example, now=later)
    lines = [ln for ln in out.splitlines() if ln.startswith(LOCKOUTS)]
    if code:
        assert any(f"[{code}]" in ln for ln in lines)
    assert same_as_uncached(example) == run(example, "--no-cache")[1]  # and back


def test_the_window_ends_at_the_first_horizon(example: Path) -> None:
    entry = memo.parse(memo_file(example).read_bytes(),
                       memo.base_key(example))[1][LOCKOUTS]
    due = parse_instant("2026-11-25T10:10:00Z")
    assert (entry.since, entry.until) == (memo._us(NOW), memo._us(due))
    assert LOCKOUTS in judge(example, parse_instant("2026-11-25T10:09:59Z"))[0]
    assert LOCKOUTS in judge(example, parse_instant("2026-11-25T10:10:00Z"))[1]


def _add_rule(monkeypatch: pytest.MonkeyPatch, extra: registry_mod.Rule) -> None:
    """Run `extra` too, as new code would (new code: another base key)."""
    from sevbook import rules as rules_pkg
    monkeypatch.setattr(rules_pkg, "RULES", [*registry_mod.RULES, extra])
    monkeypatch.setattr(memo, "package_hash", lambda: "code with one more rule")


def test_a_time_reading_rule_without_horizon_is_never_reused(
        example: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def reads_now(ctx: RuleContext, inc) -> list:
        return [] if ctx.now.year > 3000 else []

    extra = registry_mod.Rule("reads-now", "warning", ("incident", "maintenance"), "test",
                              reads_now)
    _add_rule(monkeypatch, extra)
    judge(example)
    assert judge(example) == (set(), incidents(example))


def test_a_rule_reading_the_load_problems_is_never_reused(
        example: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    extra = registry_mod.Rule("reads-loaded", "warning", ("incident", "maintenance"), "test",
                              lambda ctx, inc: [] if ctx.loaded else [])
    _add_rule(monkeypatch, extra)
    judge(example)
    assert judge(example)[0] == set()


# ------------------------------------------------------------------ the store
@pytest.mark.parametrize("garbage", [
    b"", b"{", b"\xff\xfe", b"[]", b"null", b'{"format": 1}',
    b'{"format":1,"base":"x","context":"","templates":[],"entries":[]}',
])
def test_a_corrupt_or_foreign_memo_is_a_miss(example: Path, garbage: bytes) -> None:
    path = memo_file(example)
    path.write_bytes(garbage)
    assert judge(example)[0] == set()
    assert memo.parse(path.read_bytes(), memo.base_key(example))[1]  # rewritten
    same_as_uncached(example)


def test_an_entry_of_the_wrong_shape_spoils_the_whole_memo(example: Path) -> None:
    path = memo_file(example)
    obj = json.loads(path.read_bytes())
    obj["entries"][0][7] = [1, 10**6]  # a template index that does not exist
    path.write_text(json.dumps(obj), encoding="utf-8")
    assert judge(example)[0] == set()


def test_another_sevbook_ignores_the_memo(example: Path,
                                          monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(memo, "package_hash", lambda: "another version")
    assert judge(example)[0] == set()


def test_an_unchanged_run_does_not_rewrite_the_memo(example: Path) -> None:
    judge(example)
    path = memo_file(example)
    before = path.stat().st_mtime_ns, path.read_bytes()
    judge(example)
    assert (path.stat().st_mtime_ns, path.read_bytes()) == before


def test_no_cache_neither_reads_nor_writes_the_memo(tmp_path: Path) -> None:
    root = copy_example(tmp_path / "hb")
    run(root, "--no-cache")
    assert not (root / ".cache").exists()


# ------------------------------------------------------------------ the stat shortcut
def _age(root: Path) -> None:
    for p in (root / "incidents").glob("*.md"):
        os.utime(p, ns=(OLD, OLD))


def test_unchanged_old_files_are_not_read(example: Path,
                                          monkeypatch: pytest.MonkeyPatch) -> None:
    _age(example)
    judge(example)  # stores their stats
    judge(example)
    read: list[str] = []
    real = load_mod._read_bytes
    monkeypatch.setattr(load_mod, "_read_bytes",
                        lambda path, *a: read.append(path.name) or real(path, *a))
    expected = run(example, "--no-cache")
    read.clear()
    assert run(example) == expected
    first = sorted(incidents(example))[0]  # real for the link check's page registry
    assert sorted(n for n in read if f"incidents/{n}" in incidents(example)) \
        == [Path(first).name, Path(OPEN).name]


def test_recent_files_are_matched_by_their_bytes_not_their_stat(example: Path) -> None:
    for p in (example / "incidents").glob("*.md"):
        p.touch()
    judge(example)
    entries = memo.parse(memo_file(example).read_bytes(), memo.base_key(example))[1]
    assert all(e.stat is None for e in entries.values())  # just copied: too recent
    _age(example)
    judge(example)
    entries = memo.parse(memo_file(example).read_bytes(), memo.base_key(example))[1]
    assert all(e.stat is not None for e in entries.values())


def test_an_edit_that_keeps_size_and_mtime_is_still_seen(example: Path) -> None:
    _age(example)
    judge(example)
    path = example / LOCKOUTS
    edit(example, LOCKOUTS, "severity: SEV2\n", "severity: SEV9\n")  # same size
    os.utime(path, ns=(OLD, OLD))  # the ctime still moves
    assert "[unknown-severity]" in same_as_uncached(example)


# ------------------------------------------------------------------ stand-ins
def test_a_stand_in_gives_the_real_document_for_anything_else(example: Path) -> None:
    judge(example)
    result = load(example, cache=True, reuse=memo.open_memo)
    hb = result.handbook
    inc_id = Path(LOCKOUTS).stem
    stand_in = hb.incidents[inc_id]
    assert isinstance(stand_in, memo.StandIn)
    real = load(example).handbook.incidents[inc_id]
    assert (stand_in.id, stand_in.path, stand_in.kind, stand_in.public, stand_in.public_id,
            stand_in.severity) == (real.id, real.path, real.kind, real.public, real.public_id,
                                   real.severity)
    assert stand_in.title == real.title and stand_in.updates == real.updates
    assert result.line(LOCKOUTS, ("severity",)) == 4


def decoded(root: Path) -> dict[str, list]:
    """Each memo entry's diagnostics as (line, field, severity, code, message)."""
    entries = memo.parse(memo_file(root).read_bytes(), memo.base_key(root))[1]
    assert entries
    return {rel: sorted(e.found) for rel, e in entries.items()}


def test_entries_written_back_as_read_decode_to_what_a_fresh_memo_holds(example: Path,
                                                                      tmp_path: Path) -> None:
    judge(example)
    edit(example, LOCKOUTS, "\ntitle: ", "\ntitle: Edited ")
    judge(example)  # reused entries go back as read, under the templates read
    fresh = tmp_path / "fresh"
    shutil.copytree(example, fresh, ignore=shutil.ignore_patterns(".cache"))
    judge(fresh)  # every entry judged and written afresh
    assert decoded(example) == decoded(fresh)


def with_unused_templates(root: Path, n: int) -> int:
    """Append `n` templates no entry uses to the memo file; return how many it had."""
    path = memo_file(root)
    raw = json.loads(path.read_bytes())
    had = len(raw["templates"])
    raw["templates"] += [["field", "warning", "code", f"unused {k}"] for k in range(n)]
    path.write_text(json.dumps(raw), encoding="utf-8")
    return had


def used_templates(root: Path) -> tuple[int, int]:
    raw = json.loads(memo_file(root).read_bytes())
    return len({i for row in raw["entries"] for i in row[7][1::2]}), len(raw["templates"])


@pytest.mark.parametrize("extra", [1, 10_000])
def test_templates_no_entry_uses_are_dropped_once_they_are_most(tmp_path: Path,
                                                                  extra: int) -> None:
    root = generate_messy(tmp_path / "messy", incidents=60, runbooks=12, services=10)
    judge(root)
    had = with_unused_templates(root, extra)
    assert had > 2
    first = sorted((root / "incidents").glob("*.md"))[0]
    edit(root, f"incidents/{first.name}", "\ntitle: ", "\ntitle: Edited ")
    expected = run(root, "--no-cache")
    assert run(root) == expected  # the memo with unused templates still decodes
    used, written = used_templates(root)
    if extra == 1:  # a few unused: the list is written back as read (plus any new)
        assert written >= had + extra
    else:
        assert written == used
    assert run(root) == expected


def _set(row: int, col: int, value: object, sub: int | None = None):
    def change(entries: list) -> None:
        if sub is None:
            entries[row][col] = value
        else:
            entries[row][col][sub] = value
    return change


SPOILED = {
    "row not a list": lambda e: e.__setitem__(0, "x"),
    "row of 8 fields": lambda e: e[0].pop(),
    "path not a string": _set(0, 0, 7),
    "key not a string": _set(0, 1, None),
    "stat of 3": _set(0, 2, [1, 2, 3]),
    "stat with a string": _set(0, 2, [1, 2, 3, "4"]),
    "stat with a bool": _set(0, 2, [1, 2, 3, True]),
    "entry stat of 5": _set(0, 8, [1, 2, 3, 4, 5]),
    "facts of 4": _set(0, 3, ["a", "incident", True, None]),
    "facts kind runbook": _set(0, 3, "runbook", 1),
    "facts public not bool": _set(0, 3, 1, 2),
    "facts public id a number": _set(0, 3, 5, 3),
    "facts severity a list": _set(0, 3, ["SEV1"], 4),
    "facts id None": _set(0, 3, None, 0),
    "since a float": _set(0, 4, 1.5),
    "until a string": _set(0, 5, "x"),
    "offset None": _set(0, 6, None),
    "flat of odd length": _set(0, 7, [1]),
    "flat with a string": _set(0, 7, ["1", 0]),
    "flat with a bool": _set(0, 7, [True, 0]),
    "negative line": _set(0, 7, [-1, 0]),
    "negative template": _set(0, 7, [1, -1]),
    "template out of range": _set(0, 7, [1, 10**6]),
    "flat not a list": _set(0, 7, {"1": 0}),
    "last row spoiled": lambda e: e[-1].__setitem__(6, "0"),
    "a path twice": lambda e: e.append(list(e[0])),
}


@pytest.mark.parametrize("how", SPOILED)
def test_each_wrong_shape_spoils_the_whole_memo(example: Path, how: str) -> None:
    obj = json.loads(memo_file(example).read_bytes())
    base = memo.base_key(example)
    assert len(obj["entries"]) > 1
    assert memo.parse(json.dumps(obj).encode(), base)[1]  # the file as written parses
    SPOILED[how](obj["entries"])
    assert memo.parse(json.dumps(obj).encode(), base) == ("", {})
