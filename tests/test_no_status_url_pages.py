"""Issue 16 leftovers: `no-status-url` warns for a further public page without `url`,
located at the page's entry in mkdocs.yml; the internal page needs none."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from conftest import NOW_ARG
from sevbook.cli import main


def check(root: Path):
    return CliRunner().invoke(main, ["check", "--now", NOW_ARG, "--root", str(root)])


def drop(root: Path, line: str) -> int:
    """Remove `line` from mkdocs.yml; the 1-based line number it had."""
    mk = root / "mkdocs.yml"
    lines = mk.read_text().splitlines(keepends=True)
    at = lines.index(line)
    mk.write_text("".join(lines[:at] + lines[at + 1:]))
    return at + 1


def test_a_further_page_without_url_warns_at_its_entry(example):
    at = drop(example, "          url: https://accounts-status.example.com/\n")
    res = check(example)
    assert (res.exit_code, res.output) == (0, (
        f"mkdocs.yml:{at - 2}: warning: [no-status-url] status_pages[0].url is empty, so the "
        "feeds, calendar and API of the status page 'accounts' carry relative links that feed "
        "readers and calendar apps cannot follow; set url: to the page's public address, "
        "e.g. https://accounts-status.example.com/\n"
        f"0 errors, 1 warning in {_files(res.output)} files\n"))


def test_the_default_page_and_a_further_page_each_warn(example):
    drop(example, "          url: https://accounts-status.example.com/\n")
    default = drop(example, "        url: https://status.example.com/\n")
    res = check(example)
    warnings = [ln for ln in res.output.splitlines() if "[no-status-url]" in ln]
    assert warnings == [
        f"mkdocs.yml:{default - 2}: warning: [no-status-url] status.url is empty, so the "
        "status page's feeds, calendar and API carry relative links that feed readers and "
        "calendar apps cannot follow; set url: to the page's public address, e.g. "
        "https://status.example.com/",
        f"mkdocs.yml:{default + 5}: warning: [no-status-url] status_pages[0].url is empty, so "
        "the feeds, calendar and API of the status page 'accounts' carry relative links that "
        "feed readers and calendar apps cannot follow; set url: to the page's public "
        "address, e.g. https://accounts-status.example.com/"]


def _files(output: str) -> str:
    return output.rsplit(" in ", 1)[1].split(" ")[0]
