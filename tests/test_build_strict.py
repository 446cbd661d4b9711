"""`sevbook build` and hand-written pages: link problems are warnings unless --strict, content
errors always stop the build, and the build ends by counting the warnings."""

from __future__ import annotations

import re
from pathlib import Path

from click.testing import CliRunner

from conftest import NOW_ARG
from sevbook.cli import main

OWN_PAGE = """# Our old escalation policy

Imported from the wiki: see [the pager rota](#pager-rota) and [the old runbook](old.md).
"""


def _add_own_page(root: Path) -> None:
    (root / "content" / "process" / "old-escalation.md").write_text(OWN_PAGE, encoding="utf-8")


def _build(root: Path, *extra: str):
    return CliRunner().invoke(main, ["build", "--root", str(root), "--no-status",
                                     "--now", NOW_ARG, *extra])


def test_a_page_with_broken_links_builds_and_the_warnings_are_counted(example):
    _add_own_page(example)
    result = _build(example)
    assert result.exit_code == 0, result.output
    assert (example / "site/handbook/process/old-escalation/index.html").is_file()
    assert result.output.splitlines()[-1] == "2 warnings (run `sevbook check`)"


def test_strict_fails_on_the_same_page_and_keeps_no_site(example):
    _add_own_page(example)
    result = _build(example, "--strict")
    assert result.exit_code == 1
    assert "old.md" in result.output
    assert not (example / "site/handbook/index.html").exists()


def test_a_clean_build_prints_no_warnings_line(example):
    result = _build(example)
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[-1] == f"built handbook: {example / 'site/handbook'}"


def test_a_content_error_still_stops_the_build_without_strict(example):
    path = sorted((example / "incidents").glob("*.md"))[0]
    text = re.sub(r"^severity: \S+$", "severity: SEV9", path.read_text(encoding="utf-8"),
                  count=1, flags=re.M)
    path.write_text(text, encoding="utf-8")
    result = _build(example)
    assert result.exit_code == 1
    assert "[unknown-severity]" in result.output
    assert not (example / "site/handbook/index.html").exists()
