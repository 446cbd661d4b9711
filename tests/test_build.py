"""`sevbook build`: both sites, atomic, reproducible, and a failed build loses nothing."""

from __future__ import annotations

import hashlib
from pathlib import Path

from click.testing import CliRunner
from tests.conftest import NOW_ARG

from sevbook.cli import main


def tree_digest(root: Path) -> dict[str, str]:
    return {p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(root.rglob("*")) if p.is_file()}


EXAMPLE_STATUS_TREES = ("status page", "site/status"), \
    ("status page 'accounts'", "site/status-accounts"), \
    ("internal status page", "site/internal-status")
"""The example's status pages (its status_pages: and internal_status:), in build order."""


def built_lines(root: Path, handbook: bool = True) -> str:
    """What `sevbook build` prints for the example at `root`."""
    return "".join(f"built {label}: {root / path}\n" for label, path in EXAMPLE_STATUS_TREES) \
        + (f"built handbook: {root / 'site/handbook'}\n" if handbook else "")


def build(root: Path, *extra: str):
    return CliRunner().invoke(main, ["build", "--now", NOW_ARG, "--root", str(root), *extra])


def test_build_writes_two_separate_trees_and_is_reproducible(example):
    res = build(example)
    assert res.exit_code == 0, res.output
    assert res.output == built_lines(example)
    handbook, status = example / "site/handbook", example / "site/status"
    assert (handbook / "index.html").is_file() and (status / "index.html").is_file()
    first = (tree_digest(handbook), tree_digest(status))
    assert build(example).exit_code == 0
    assert (tree_digest(handbook), tree_digest(status)) == first
    leftovers = [p.name for p in (example / "site").iterdir() if p.name.startswith(".")]
    assert leftovers == []


def test_failed_build_leaves_previous_site_untouched(example):
    assert build(example).exit_code == 0
    before = tree_digest(example / "site")
    incident = next((example / "incidents").glob("*-search-errors-*.md"))
    incident.write_text(incident.read_text().replace("severity: SEV2", "severity: SEV9", 1))
    res = build(example)
    assert res.exit_code == 1
    assert "[unknown-severity] severity: severity 'SEV9' does not exist" in res.output
    assert "Traceback" not in res.output
    assert tree_digest(example / "site") == before
    assert sorted(p.name for p in (example / "site").iterdir()) == [
        "handbook", "internal-status", "status", "status-accounts"]


def test_status_only_build_does_not_touch_handbook(example):
    res = build(example, "--no-handbook")
    assert res.exit_code == 0, res.output
    assert (example / "site/status/index.html").is_file()
    assert not (example / "site/handbook").exists()
