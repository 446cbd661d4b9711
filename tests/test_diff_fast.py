"""`sevbook diff`'s fast path (only incident files changed: the base is the working tree with
those files as they were, and both sides are cut down to the incidents that can matter,
`sevbook.diffing.narrow`) gives exactly what the full comparison gives (the whole base
extracted and loaded, every incident in every view)."""

from __future__ import annotations

import dataclasses
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner

from conftest import NOW, NOW_ARG
from sevbook import diff as diff_mod
from sevbook.cli import main
from sevbook.diffing import narrow
from sevbook.load import load

GIT_ENV = ["-c", "user.email=test@example.com", "-c", "user.name=test",
           "-c", "commit.gpgsign=false", "-c", "init.defaultBranch=main"]
SEARCH = "incidents/2026-11-22-search-errors-after-node-loss.md"
CERT = "incidents/2026-01-14-login-certificate-expired.md"
SPRING = "incidents/2026-02-09-search-missing-new-products.md"


def git(root: Path, *args: str) -> None:
    subprocess.run(["git", *GIT_ENV, "-C", str(root), *args], check=True, capture_output=True)


def sevbook(root: Path, *args: str) -> None:
    res = CliRunner().invoke(main, [*args, "--root", str(root), "--now", NOW_ARG])
    assert res.exit_code == 0, res.output


def replace(root: Path, rel: str, old: str, new: str) -> None:
    path = root / rel
    text = path.read_text(encoding="utf-8")
    assert old in text, (rel, old)
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def title_edit(root: Path) -> None:
    replace(root, CERT, "public_title: Customers unable to sign in",
            "public_title: Customers could not sign in")


def resolved(root: Path) -> None:
    sevbook(root, "resolve", "search-err", "--message", "Search works again.",
            "--component", "search=operational", "--at", "2026-11-22T11:55:00Z")


def new_incident(root: Path) -> None:
    """A second open incident on search, worse than the open one: the component's status
    comes from both (the narrowing must keep the unchanged open one)."""
    sevbook(root, "new", "incident", "Search cluster down", "--severity", "SEV1",
            "--service", "search", "--public", "--public-title", "Search unavailable",
            "--role", "incident-commander=Zoe")  # SEV1: search in major_outage


def deleted(root: Path) -> None:
    (root / CERT).unlink()


def settings_change(root: Path) -> None:
    replace(root, "mkdocs.yml", "site_name:", "site_name: Renamed -")


def service_change(root: Path) -> None:
    replace(root, "content/services/search.md", "  name: Search\n", "  name: Product search\n")


def timeline_only(root: Path) -> None:
    replace(root, SEARCH, "  - {at: 2026-11-22T11:40:00Z, event: \"Status page update",
            "  - {at: 2026-11-22T11:39:00Z, event: \"Errors at 5%\"}\n"
            "  - {at: 2026-11-22T11:40:00Z, event: \"Status page update")


def made_private(root: Path) -> None:
    replace(root, SPRING, "public: true", "public: false")


def direct_state(root: Path) -> None:
    """The open search incident resolved before the state set on search directly."""
    sevbook(root, "resolve", "search-err", "--message", "Search works again.",
            "--at", "2026-11-22T11:44:00Z")


def with_direct_state(root: Path) -> None:
    """Search is set operational directly at 11:45, but an incident resolved since (at
    11:55, unchanged by `direct_state`) has updates after that: the component's status
    then comes from its open incidents, so the narrowing must keep the resolved one."""
    replace(root, "content/services/search.md", "  since: 2025-06-01\n",
            "  since: 2025-06-01\n  status:\n"
            "    - {at: 2026-11-22T11:45:00Z, status: operational}\n")
    sevbook(root, "new", "incident", "Search suggestions slow", "--severity", "SEV3",
            "--service", "search", "--public", "--at", "2026-11-22T11:50:00Z",
            "--detected-at", "2026-11-22T11:50:00Z", "--role", "incident-commander=Zoe")
    replace(root, "incidents/2026-11-22-search-suggestions-slow.md",
            "  - at: 2026-11-22T12:00:00Z\n", "  - at: 2026-11-22T11:50:00Z\n")
    sevbook(root, "resolve", "search-suggestions-slow", "--message", "Fast again.",
            "--at", "2026-11-22T11:55:00Z")


def _repo(example: Path, before: Callable[[Path], None] | None,
          change: Callable[[Path], None]) -> Path:
    if before is not None:
        before(example)
    git(example, "init", "-q")
    git(example, "add", "-A")
    git(example, "commit", "-qm", "base")
    change(example)
    return example


def _both(root: Path, monkeypatch) -> tuple[diff_mod.PublicDiff, diff_mod.PublicDiff, list]:
    """(fast, full) diffs against HEAD, and what each `narrowed` call returned."""
    cuts: list = []
    real = narrow.narrowed

    def spy(*args):
        cuts.append(real(*args))
        return cuts[-1]

    monkeypatch.setattr(diff_mod, "narrowed", spy)
    fast = diff_mod.public_diff(root, "HEAD", NOW)
    monkeypatch.setattr(diff_mod, "changed_incidents", lambda *a: None)
    full = diff_mod.public_diff(root, "HEAD", NOW)
    return fast, full, cuts


CASES = {
    "title": (None, title_edit, True),
    "resolved": (None, resolved, True),
    "new": (None, new_incident, True),
    "deleted": (None, deleted, True),
    "mkdocs.yml": (None, settings_change, False),
    "service": (None, service_change, False),
    "timeline only": (None, timeline_only, True),
    "made private": (None, made_private, True),
    "direct state": (with_direct_state, direct_state, True),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_fast_path_equals_full_comparison(example: Path, monkeypatch, case: str) -> None:
    before, change, cut = CASES[case]
    root = _repo(example, before, change)
    fast, full, cuts = _both(root, monkeypatch)
    assert fast == full
    assert fast.to_json() == full.to_json()
    assert diff_mod.to_markdown(fast) == diff_mod.to_markdown(full)
    assert (len(cuts) == 1 and cuts[0] is not None) is cut


def test_what_the_fast_path_finds(example: Path, monkeypatch) -> None:
    """The comparisons above are not vacuous: each change shows as it should."""
    expect = {
        "title": ([], [("changed", "Customers could not sign in",
                        {"name": ["Customers unable to sign in",
                                  "Customers could not sign in"]})]),
        "resolved": ([("status", "Search", "degraded_performance", "operational")],
                     [("changed", "Search errors and slow search results",
                       {"resolved_at": [None, "2026-11-22T11:55:00Z"]})]),
        "new": ([("status", "Search", "degraded_performance", "major_outage")],
                [("added", "Search unavailable", {})]),
        "timeline only": ([], []),
        "direct state": ([("status", "Search", "degraded_performance", "operational")],
                         [("changed", "Search errors and slow search results",
                           {"resolved_at": [None, "2026-11-22T11:44:00Z"]})]),
    }
    for n, (case, (comps, incs)) in enumerate(sorted(expect.items())):
        before, change, _ = CASES[case]
        root = _repo(copy_of(example, n), before, change)
        fast, _, _ = _both(root, monkeypatch)
        monkeypatch.undo()
        assert [(c.change, c.name, c.before, c.after) for c in fast.components] == comps, case
        assert [(i.change, i.name, i.fields) for i in fast.incidents] == incs, case


def copy_of(example: Path, n: int) -> Path:
    from conftest import copy_example

    return copy_example(example.parent / f"copy-{n}")


def test_narrowing_keeps_only_what_can_matter(example: Path) -> None:
    """A new open incident on search: the base keeps the unchanged open search incident,
    whose component the new one shares, and the working tree both; every resolved
    incident (on search too) and every incident on other services is left out."""
    new_incident(example)
    after = load(example).handbook
    new = next(inc for inc in after.incidents.values() if inc.title == "Search cluster down")
    base = dataclasses.replace(after, incidents={
        i: inc for i, inc in after.incidents.items() if inc is not new})
    cut = narrow.narrowed(base, after, {new.path}, NOW)
    assert cut is not None
    assert len(after.incidents) == 16
    assert [inc.path for inc in cut[0].incidents.values()] == [SEARCH]
    assert sorted(inc.path for inc in cut[1].incidents.values()) == sorted([SEARCH, new.path])


def test_no_narrowing_when_not_the_same_handbook(example: Path) -> None:
    """Another handbook's base (not `after` with the changed files swapped) is not cut."""
    one, two = load(example).handbook, load(example).handbook
    assert narrow.narrowed(one, two, {CERT}, NOW) is None


def test_no_narrowing_when_a_changed_file_takes_another_incidents_public_id(
        example: Path) -> None:
    """Two public incidents with one public id stop the whole base view: the fast path
    then compares whole views, which raise that error as before."""
    after = load(example).handbook
    cert = next(i for i, inc in after.incidents.items() if inc.path == CERT)
    other = next(inc for inc in after.incidents.values() if inc.path == SPRING)
    same = load(example).handbook.incidents[cert]
    pinned = narrow.PublicIds.of(example).incident(other.id, other.public_id)
    replace(example, CERT, "public: true\n", f"public: true\npublic_id: {pinned}\n")
    clash = load(example).handbook.incidents[cert]
    assert clash.public_id == pinned
    base = dataclasses.replace(after, incidents={**after.incidents, cert: clash})
    assert narrow.narrowed(base, after, {CERT}, NOW) is None
    base = dataclasses.replace(after, incidents={**after.incidents, cert: same})
    assert narrow.narrowed(base, after, {CERT}, NOW) is not None


def test_the_garbage_collector_rests_during_a_diff_and_is_restored(example: Path,
                                                                   monkeypatch) -> None:
    import gc

    root = _repo(example, None, title_edit)
    seen = []
    check = diff_mod._errors
    monkeypatch.setattr(diff_mod, "_errors",
                        lambda *a: (seen.append(gc.isenabled()), check(*a))[1])
    assert gc.isenabled()
    diff_mod.public_diff(root, "HEAD", NOW)
    assert seen == [False, False] and gc.isenabled()
    with pytest.raises(diff_mod.SevbookError):
        diff_mod.public_diff(root, "no-such-ref", NOW)
    assert gc.isenabled()
