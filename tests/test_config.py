"""mkdocs.yml settings: one schema, every problem at once with its line, read safely."""

from __future__ import annotations

import shutil
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from sevbook.cli import main
from sevbook.config import MAX_NODES, load_settings
from sevbook.errors import ContentError

DATA = Path(__file__).resolve().parent / "data" / "check"

HEAD = "site_name: Test\ndocs_dir: content\nplugins:\n  - sevbook:\n"


def root_with(tmp_path: Path, config: str) -> Path:
    root = tmp_path / "hb"
    shutil.copytree(DATA / "base", root)
    (root / "mkdocs.yml").write_text(config, encoding="utf-8")
    return root


def check(root: Path) -> tuple[int, str]:
    res = CliRunner().invoke(main, ["check", "--now", "2026-11-22T12:00:00Z", "--root", str(root)])
    return res.exit_code, res.output


def test_every_config_problem_at_once_with_lines(tmp_path):
    root = root_with(tmp_path, HEAD + (
        "      status:\n"
        "        title: 123\n"
        "        url: 'javascript:alert(1)'\n"
        "        timezone: Mars/Olympus\n"
        "      features:\n"
        "        nav_sectoin_limit: 3\n"))
    code, out = check(root)
    assert code == 1
    assert out == (
        "mkdocs.yml:6: error: [wrong-type] status.title: expected a string, got number 123\n"
        "mkdocs.yml:7: error: [bad-value] status.url: 'javascript:alert(1)' is not an absolute "
        "http(s) URL; write it like https://status.example.com/\n"
        "mkdocs.yml:8: error: [bad-value] status.timezone: 'Mars/Olympus' is not an IANA time "
        "zone name; use e.g. UTC or Europe/Berlin\n"
        "mkdocs.yml:10: error: [unknown-key] features.nav_sectoin_limit: unknown key "
        "'nav_sectoin_limit'; did you mean 'nav_section_limit'?\n"
        "4 errors, 0 warnings in 1 files\n")


@pytest.mark.parametrize("value, message", [
    ("true", "expected a whole number, got boolean True"),
    ("'5'", "expected a whole number, got string '5'"),
    ("-1", "Input should be greater than or equal to 0 (got -1)"),
])
def test_integers_are_strict(tmp_path, value, message):
    root = root_with(tmp_path, HEAD + f"      features:\n        nav_section_limit: {value}\n")
    code, out = check(root)
    assert code == 1
    assert out.splitlines()[0].endswith(f"features.nav_section_limit: {message}")


def test_url_without_scheme_is_refused(tmp_path):
    root = root_with(tmp_path, HEAD + "      status:\n        url: status.example.com\n")
    with pytest.raises(ContentError) as e:
        load_settings(root)
    assert [d.text() for d in e.value.diagnostics] == [
        "mkdocs.yml:6: error: [bad-value] status.url: 'status.example.com' is not an absolute "
        "http(s) URL; write it like https://status.example.com/"]


def test_defaults_and_mkdocs_tags(tmp_path):
    root = root_with(tmp_path, "site_name: Test\ndocs_dir: content\nsite_dir: site/handbook\n"
                     "markdown_extensions:\n  - pymdownx.superfences:\n      custom_fences:\n"
                     "        - name: m\n          format: !!python/name:pymdownx.superfences.x\n"
                     "extra:\n  key: !ENV [HOME, x]\n"
                     "plugins:\n  - sevbook\n")
    s = load_settings(root)
    assert (s.site_name, s.docs_dir, s.site_dir, s.incidents_dir) == (
        "Test", "content", "site/handbook", "incidents")
    assert (s.status.title, s.status.url, s.status.timezone, s.status.site_dir) == (
        "Status", "", "UTC", "site/status")
    assert s.features.nav_section_limit == 50


def test_alias_bomb_in_site_name_is_refused_fast(tmp_path):
    levels = ["a: &a [x, x, x, x, x, x, x, x, x, x]"]
    for i in range(1, 9):
        prev = chr(ord("a") + i - 1)
        levels.append(f"{chr(ord('a') + i)}: &{chr(ord('a') + i)} [{', '.join(['*' + prev] * 10)}]")
    text = "\n".join(levels) + "\nsite_name: *i\nplugins:\n  - sevbook\n"
    assert len(text) < 3000
    root = root_with(tmp_path, text)
    t0 = time.perf_counter()
    code, out = check(root)
    assert time.perf_counter() - t0 < 2
    assert code == 1
    assert out == (f"mkdocs.yml: error: [config] anchors and aliases expand to more than "
                   f"{MAX_NODES:,} values; write the values out instead of nesting aliases\n"
                   "1 error, 0 warnings in 1 files\n")


def test_site_name_must_be_text(tmp_path):
    root = root_with(tmp_path, "site_name: [a, b]\ndocs_dir: content\nplugins:\n  - sevbook\n")
    code, out = check(root)
    assert (code, out) == (1, "mkdocs.yml:1: error: [wrong-type] site_name: expected a string, "
                              "got list\n1 error, 0 warnings in 1 files\n")


def test_build_reports_config_errors_with_the_summary(tmp_path):
    root = root_with(tmp_path, HEAD + "      incident_dir: x\n")
    res = CliRunner().invoke(main, ["build", "--root", str(root)])
    assert res.exit_code == 1
    assert res.output == ("mkdocs.yml:5: error: [unknown-key] incident_dir: unknown key "
                          "'incident_dir'; did you mean 'incidents_dir'?\n"
                          "1 error, 0 warnings in 1 files\n")


SAFE_HEAD = "site_name: Test\ndocs_dir: content\nsite_dir: {site}\nplugins:\n  - sevbook:\n"


@pytest.mark.parametrize("site, status, message", [
    ("site/handbook", "incidents",
     "mkdocs.yml:7: error: [unsafe-output] status.site_dir: status.site_dir 'incidents' overlaps "
     "the source folder incidents/ (incidents_dir); a build replaces its output folder and "
     "would destroy it; use a folder of its own inside the repository, like site/handbook or "
     "site/status"),
    ("content", "site/status",
     "mkdocs.yml:3: error: [unsafe-output] site_dir: site_dir 'content' overlaps the source "
     "folder content/ (docs_dir); a build replaces its output folder and would destroy it; use "
     "a folder of its own inside the repository, like site/handbook or site/status"),
    ("site/handbook", "content/status",
     "mkdocs.yml:7: error: [unsafe-output] status.site_dir: status.site_dir 'content/status' "
     "overlaps the source folder content/ (docs_dir); a build replaces its output folder and "
     "would destroy it; use a folder of its own inside the repository, like site/handbook or "
     "site/status"),
    ("site/handbook", "/tmp/elsewhere",
     "mkdocs.yml:7: error: [unsafe-output] status.site_dir: status.site_dir '/tmp/elsewhere' lies "
     "outside the repository, where a build would replace what is there; use a folder of its "
     "own inside the repository, like site/handbook or site/status"),
    ("site/handbook", "../status",
     "mkdocs.yml:7: error: [unsafe-output] status.site_dir: status.site_dir '../status' lies "
     "outside the repository, where a build would replace what is there; use a folder of its "
     "own inside the repository, like site/handbook or site/status"),
    (".", "site/status",
     "mkdocs.yml:3: error: [unsafe-output] site_dir: site_dir '.' is the repository itself; use "
     "a folder of its own inside the repository, like site/handbook or site/status"),
    ("site/status/internal", "site/status",
     "mkdocs.yml:7: error: [unsafe-output] status.site_dir: the status page (site/status) and the "
     "internal handbook (site/status/internal) overlap, so publishing one could publish or "
     "destroy the other; give each its own folder, like site/status and site/handbook"),
    ("site/handbook", ".git/x",
     "mkdocs.yml:7: error: [unsafe-output] status.site_dir: status.site_dir '.git/x' overlaps the "
     "source folder .git/ (.git); a build replaces its output folder and would destroy it; use "
     "a folder of its own inside the repository, like site/handbook or site/status"),
])
def test_unsafe_output_folders_are_refused_before_anything_is_written(tmp_path, site, status,
                                                                       message):
    root = root_with(tmp_path, SAFE_HEAD.format(site=site)
                     + f"      status:\n        site_dir: {status}\n")
    before = sorted(p.relative_to(root).as_posix() for p in root.rglob("*"))
    for command in ("check", "build"):
        res = CliRunner().invoke(main, [command, "--now", "2026-11-22T12:00:00Z",
                                        "--root", str(root)])
        assert res.exit_code == 1
        assert res.output == message + "\n1 error, 0 warnings in 1 files\n"
    assert sorted(p.relative_to(root).as_posix() for p in root.rglob("*")) == before


def test_a_symlinked_output_folder_into_the_sources_is_refused(tmp_path):
    root = root_with(tmp_path, SAFE_HEAD.format(site="site/handbook")
                     + "      status:\n        site_dir: public\n")
    (root / "public").symlink_to(root / "content", target_is_directory=True)
    code, out = check(root)
    assert code == 1
    assert out.splitlines()[0] == (
        "mkdocs.yml:7: error: [unsafe-output] status.site_dir: status.site_dir 'public' overlaps "
        "the source folder content/ (docs_dir); a build replaces its output folder and would "
        "destroy it; use a folder of its own inside the repository, like site/handbook or "
        "site/status")
