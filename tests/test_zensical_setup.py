"""The zensical engine's parts that need no Zensical: the setting, the error without it, the
derived config and the page paths. (Building with Zensical: tests/test_zensical.py.)"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from conftest import NOW_ARG, REPO
from sevbook.cli import main
from sevbook.errors import ContentError
from sevbook.handbook.theme import BANNER_KEY, CSS_URI
from sevbook.handbook.zensical.derive import derive, read_mkdocs_yml
from sevbook.handbook.zensical.stage import excluded, page_html, page_url

WITHOUT_ZENSICAL = ("import sys; sys.modules['zensical'] = None  # as if not installed\n"
                    "from sevbook.cli import main; main()")


def sevbook_without_zensical(*args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(REPO / "src"),
                                                         os.environ.get("PYTHONPATH", "")])}
    return subprocess.run([sys.executable, "-c", WITHOUT_ZENSICAL, *args], env=env,
                          capture_output=True, text=True)


def test_without_zensical_the_build_says_what_to_install_and_writes_nothing(example):
    res = sevbook_without_zensical("build", "--root", str(example), "--now", NOW_ARG,
                                   "--engine", "zensical")
    assert res.returncode == 1
    assert res.stdout == ""
    assert res.stderr == ("Error: the zensical engine needs Zensical, which is not installed; "
                          "install it with pip install 'sevbook[zensical]', or build with "
                          "--engine mkdocs\n")
    assert not (example / "site").exists()


def test_without_zensical_the_default_engine_still_builds(example):
    res = sevbook_without_zensical("build", "--root", str(example), "--now", NOW_ARG,
                                   "--no-status")
    assert res.returncode == 0, res.stderr
    assert (example / "site" / "handbook" / "index.html").is_file()


def set_engine(root: Path, value: str) -> None:
    cfg = root / "mkdocs.yml"
    cfg.write_text(cfg.read_text(encoding="utf-8").replace(
        "  - sevbook:\n", f"  - sevbook:\n      engine: {value}\n"), encoding="utf-8")


def test_an_unknown_engine_is_a_located_error(example):
    set_engine(example, "zensicle")
    res = CliRunner().invoke(main, ["build", "--root", str(example), "--now", NOW_ARG])
    assert res.exit_code == 1
    assert res.output == ("mkdocs.yml:42: error: [bad-value] engine: 'zensicle' is not "
                          "allowed; use one of: 'mkdocs', 'zensical'\n"
                          "1 error, 0 warnings in 1 files\n")


def test_the_engine_option_takes_only_known_engines(example):
    res = CliRunner().invoke(main, ["build", "--root", str(example), "--engine", "hugo"])
    assert res.exit_code == 2
    assert res.output.splitlines()[-1] == ("Error: Invalid value for '--engine': 'hugo' is not "
                                           "one of 'mkdocs', 'zensical'.")


def test_a_python_object_tag_is_refused_with_its_line(example):
    cfg = example / "mkdocs.yml"
    text = cfg.read_text(encoding="utf-8")
    assert "format: !!python/name:pymdownx.superfences.fence_code_format\n" in text
    cfg.write_text(text.replace("!!python/name:pymdownx.superfences.fence_code_format",
                                "!!python/object/apply:pymdownx.superfences.fence_code_format []"),
                   encoding="utf-8")
    with pytest.raises(ContentError) as info:
        read_mkdocs_yml(example)
    assert str(info.value) == (
        "mkdocs.yml:84: error: [zensical-config] markdown_extensions[13].pymdownx.superfences"
        ".custom_fences[0].format: the tag !!python/object/apply:pymdownx.superfences."
        "fence_code_format cannot be passed to Zensical; write the value without it, or build "
        "with --engine mkdocs\n1 error, 0 warnings in 1 files")


def test_inherit_is_refused_with_its_line(example):
    cfg = example / "mkdocs.yml"
    cfg.write_text("INHERIT: base.yml\n" + cfg.read_text(encoding="utf-8"), encoding="utf-8")
    with pytest.raises(ContentError) as info:
        read_mkdocs_yml(example)
    assert str(info.value) == (
        "mkdocs.yml:1: error: [zensical-config] INHERIT: the zensical engine does not follow "
        "INHERIT; write the inherited settings into mkdocs.yml, or build with --engine mkdocs"
        "\n1 error, 0 warnings in 1 files")


def test_the_derived_config_of_the_example(example, monkeypatch):
    monkeypatch.setenv("SITE_AUTHOR", "Ops")
    (example / "mkdocs.yml").write_text((example / "mkdocs.yml").read_text(encoding="utf-8")
                                        + "site_author: !ENV [SITE_AUTHOR, nobody]\n",
                                        encoding="utf-8")
    mk = read_mkdocs_yml(example)
    banner = [{"url": "incidents/x/"}]
    cfg = derive(mk, ["index.md", "runbooks/b.md", "runbooks/index.md", "runbooks/a.md",
                      "zz.md", "severity.md"], 50, banner)
    assert cfg["site_author"] == "Ops"
    assert (cfg["docs_dir"], cfg["site_dir"]) == ("docs", "site")
    assert cfg["plugins"] == ["search"]
    assert cfg["theme"]["custom_dir"] == "overrides"
    assert cfg["theme"]["font"] is False
    assert cfg["extra_css"] == [CSS_URI]
    assert cfg["extra"] == {BANNER_KEY: banner}
    fence = cfg["markdown_extensions"][13]["pymdownx.superfences"]["custom_fences"][0]
    assert fence["format"] == "pymdownx.superfences.fence_code_format"
    assert cfg["nav"] == ["index.md", "severity.md",
                          {"Runbooks": ["runbooks/index.md", "runbooks/a.md", "runbooks/b.md"]},
                          "zz.md"]
    assert derive(mk, ["index.md", "runbooks/b.md", "runbooks/index.md", "runbooks/a.md"], 1,
                  banner)["nav"] == ["index.md", {"Runbooks": ["runbooks/index.md"]}]


def test_the_derived_config_keeps_a_nav_and_adds_missing_extensions():
    mk = {"site_name": "x", "nav": ["a.md"], "markdown_extensions": ["toc"],
          "plugins": {"search": {}, "sevbook": {}}, "theme": "material", "hooks": ["h.py"]}
    cfg = derive(mk, ["a.md", "b.md"], 50, [])
    assert cfg["nav"] == ["a.md"]
    assert cfg["markdown_extensions"] == ["toc", "admonition", "attr_list", "md_in_html"]
    assert cfg["plugins"] == {"search": {}}
    assert cfg["theme"] == {"name": "material", "custom_dir": "overrides"}
    assert "hooks" not in cfg


@pytest.mark.parametrize(("uri", "html", "url"), [
    ("index.md", "index.html", "./"),
    ("severity.md", "severity/index.html", "severity/"),
    ("roles/index.md", "roles/index.html", "roles/"),
    ("roles/README.md", "roles/index.html", "roles/"),
    ("incidents/2026-01-01-x.md", "incidents/2026-01-01-x/index.html", "incidents/2026-01-01-x/"),
])
def test_page_paths_as_mkdocs_makes_them(uri, html, url):
    assert page_html(uri) == html
    assert page_url(uri) == url


def test_page_paths_without_directory_urls():
    assert page_html("roles/scribe.md", directory_urls=False) == "roles/scribe.html"
    assert page_url("roles/scribe.md", directory_urls=False) == "roles/scribe.html"
    assert page_url("index.md", directory_urls=False) == "index.html"


@pytest.mark.parametrize(("uri", "out"), [(".hidden.md", True), ("a/.git/x", True),
                                          ("templates/x.html", True), ("templates.md", False),
                                          ("roles/templates/x.md", False)])
def test_files_mkdocs_leaves_out(uri, out):
    assert excluded(uri) is out


def test_a_zensical_failure_without_located_warnings_shows_its_output(example):
    from sevbook.config import load_settings
    from sevbook.handbook.zensical.build import ZensicalFailed, explain

    failed = ZensicalFailed(1, "Build started\nError: Missing required setting: site_name\n"
                               "Traceback (most recent call last):\n  File \"x\", line 1\n")
    assert explain(failed, load_settings(example)) == (
        "handbook build failed: zensical exited with status 1:\nBuild started\n"
        "Error: Missing required setting: site_name")


def test_zensical_warnings_are_located_in_the_repository(example):
    """Zensical's report (the shape 0.0.73 prints with NO_COLOR) names staged pages: a team's
    page is found by the quoted text (composed pages have lines above the prose)."""
    from sevbook.config import load_settings
    from sevbook.handbook.zensical.build import ZensicalFailed, explain

    quoted = "[Declaring an incident](process/declaring.md)."
    lines = (example / "content" / "index.md").read_text(encoding="utf-8").splitlines()
    line = next(i for i, ln in enumerate(lines, 1) if quoted in ln)
    output = "\n".join([
        "Build started",
        "Warning: page does not exist",
        "    ╭─[ index.md:99:5 ]", "    │", f" 99 │ {lines[line - 1]}", "────╯",
        "Warning: anchor does not exist",
        "    ╭─[ incidents/x.md:7:1 ]", "────╯",
        "2 issues found"])
    assert explain(ZensicalFailed(1, output), load_settings(example)) == (
        "handbook build failed: zensical --strict stopped on 2 warnings (`sevbook check` "
        "lists the links with their fixes):\n"
        f"content/index.md:{line}: page does not exist\n"
        "incidents/x.md:7 (a generated page): anchor does not exist")
