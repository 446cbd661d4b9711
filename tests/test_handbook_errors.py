"""The handbook build's failure modes, its CLI, and the MkDocs-free page generation."""

from __future__ import annotations

import logging
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from conftest import NOW, NOW_ARG
from sevbook.cli import main
from sevbook.errors import ContentError, SevbookError
from sevbook.handbook import generate as registry
from sevbook.handbook import md
from sevbook.handbook.build import build_handbook, load_mkdocs_config
from sevbook.handbook.generate import Page, generate
from sevbook.handbook.serve import check_loopback
from sevbook.load import load
from sevbook.rules import check


def _break_an_incident(root: Path) -> Path:
    path = sorted((root / "incidents").glob("*.md"))[0]
    text = path.read_text(encoding="utf-8")
    text = re.sub(r"^severity: \S+$", "severity: SEV9", text, count=1, flags=re.M)
    path.write_text(text, encoding="utf-8")
    return path


def test_content_error_stops_the_build_with_the_check_messages(example, tmp_path):
    _break_an_incident(example)
    expected = CliRunner().invoke(main, ["check", "--root", str(example), "--now", NOW_ARG])
    assert expected.exit_code == 1
    error_lines = [line for line in expected.output.splitlines() if ": error: " in line]
    assert error_lines and "[unknown-severity]" in error_lines[0]
    out = tmp_path / "out"
    out.mkdir()
    with pytest.raises(ContentError) as info:
        build_handbook(example, out, NOW)
    assert [d.text() for d in info.value.diagnostics] == error_lines
    assert not (out / "index.html").exists()


def test_plain_mkdocs_build_stops_with_the_same_messages(example, caplog):
    from mkdocs.commands.build import build
    from mkdocs.exceptions import Abort

    _break_an_incident(example)
    cfg = load_mkdocs_config(example, example / "site-out", NOW)
    with caplog.at_level(logging.ERROR, logger="mkdocs"), pytest.raises(Abort):
        build(cfg)
    diags = [d for d in check(load(example), NOW) if d.severity == "error"]
    assert all(d.text() in caplog.text for d in diags)
    assert "1 error, 0 warnings in" in caplog.text or "1 error," in caplog.text


def test_a_broken_link_in_a_generated_page_fails_strict_mode(example, tmp_path, monkeypatch):
    def broken(ctx):
        yield Page("broken.md", "Broken", above="See [the runbook](runbooks/does-not-exist.md).")

    monkeypatch.setattr(registry, "GENERATORS", [*registry.GENERATORS, broken])
    out = tmp_path / "out"
    out.mkdir()
    with pytest.raises(SevbookError) as info:
        build_handbook(example, out, NOW)
    assert "runbooks/does-not-exist.md" in str(info.value)
    lax = tmp_path / "lax"
    lax.mkdir()
    build_handbook(example, lax, NOW, strict=False)
    assert (lax / "broken" / "index.html").exists()


def test_build_is_byte_identical(example, tmp_path):
    a, b = tmp_path / "a", tmp_path / "b"
    a.mkdir()
    b.mkdir()
    build_handbook(example, a, NOW)
    build_handbook(example, b, NOW)
    files_a = sorted(p.relative_to(a) for p in a.rglob("*") if p.is_file())
    files_b = sorted(p.relative_to(b) for p in b.rglob("*") if p.is_file())
    assert files_a == files_b
    different = [p for p in files_a if (a / p).read_bytes() != (b / p).read_bytes()]
    assert different == []


def test_sevbook_build_writes_site_handbook(example):
    result = CliRunner().invoke(main, ["build", "--root", str(example), "--no-status",
                                       "--now", NOW_ARG])
    assert result.exit_code == 0, result.output
    assert (example / "site/handbook/index.html").is_file()
    assert (example / "site/handbook/severity/index.html").is_file()
    assert not list((example / "site").glob(".handbook*"))  # no temp folder left


def test_failed_sevbook_build_keeps_the_previous_site(example):
    runner = CliRunner()
    args = ["build", "--root", str(example), "--no-status", "--now", NOW_ARG]
    assert runner.invoke(main, args).exit_code == 0
    before = (example / "site/handbook/index.html").read_bytes()
    _break_an_incident(example)
    result = runner.invoke(main, args)
    assert result.exit_code == 1
    assert "[unknown-severity]" in result.output
    assert (example / "site/handbook/index.html").read_bytes() == before


# ------------------------------------------------------------------ without MkDocs
def test_generate_returns_markdown_for_every_page(example):
    result = load(example)
    pages = generate(result.handbook, NOW, check(result, NOW))
    hb = result.handbook
    for path in ("severity.md", "roles/index.md", "oncall.md", "services/index.md",
                 "runbooks/index.md", "incidents/index.md", "action-items.md",
                 "postmortems.md", "templates.md"):
        assert pages[path].startswith("# "), path
    for inc in hb.incidents.values():
        assert f"incidents/{inc.id}.md" in pages
    for rb in hb.runbooks.values():
        assert f"runbooks/{rb.id}.md" in pages


def test_user_text_cannot_break_a_table(example):
    result = load(example)
    inc = next(iter(result.handbook.incidents.values()))
    inc.title = "Pipe | in the\ntitle <script>"
    index = generate(result.handbook, NOW)["incidents/index.md"]
    row = next(line for line in index.splitlines() if "Pipe" in line)
    assert "Pipe \\| in the title &lt;script&gt;" in row
    assert row.count(" | ") == 6  # seven cells, as many as the header


def test_markdown_helpers():
    assert md.cell("a|b\nc") == "a\\|b c"
    assert md.code("x`y") == "``x`y``"
    assert md.split_h1("\n# Title\n\nbody") == ("Title", "body")
    assert md.shift_headings("# A\n```\n# not\n```\n## B", 3) == "### A\n```\n# not\n```\n#### B"
    assert md.split_lead("lead\n\n## One\ntext") == ("lead\n", "## One\ntext")


def test_serve_refuses_non_loopback_addresses():
    assert check_loopback("127.0.0.1") == "127.0.0.1"
    assert check_loopback("::1") == "::1"
    assert check_loopback("localhost") == "127.0.0.1"
    for host in ("0.0.0.0", "192.168.1.5", "example.com", "::"):
        with pytest.raises(SevbookError):
            check_loopback(host)
