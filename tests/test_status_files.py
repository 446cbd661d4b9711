"""What the status page takes from the repository (issue 10 item 2): `status.logo`, SVG
files, special and oversized theme files; `status_problems` reports each for `check`."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from click.testing import CliRunner

from conftest import NOW_ARG
from sevbook.cli import main
from sevbook.status import theme
from sevbook.status.checks import status_problems
from sevbook.status.svg import svg_problems
from status_support import load_example, load_unchecked

LOGO_LINE = 48
"""The line `logo:` is written on by `set_logo` (after `status:` in the example)."""
SVG_FIX = ("an SVG the status page publishes must hold no script, event handler or external "
           "reference: remove it, or use a PNG")


def set_logo(root: Path, value: str) -> None:
    mk = root / "mkdocs.yml"
    text = mk.read_text()
    assert "        site_dir: site/status\n" in text
    mk.write_text(text.replace("        site_dir: site/status\n",
                               f"        site_dir: site/status\n        logo: {value}\n"))
    assert mk.read_text().splitlines()[LOGO_LINE - 1] == f"        logo: {value}"


def build(root: Path):
    return CliRunner().invoke(main, ["build", "--no-handbook", "--now", NOW_ARG,
                                     "--root", str(root)])


# --- the logo ------------------------------------------------------------------------

def test_a_local_logo_is_copied(example):
    logo = b'<svg xmlns="http://www.w3.org/2000/svg" width="8" height="8"><rect/></svg>'
    (example / "logo.svg").write_bytes(logo)
    set_logo(example, "logo.svg")
    assert build(example).exit_code == 0
    assert (example / "site/status/assets/logo.svg").read_bytes() == logo
    assert '<img src="assets/logo.svg" alt="" height="28">' in \
        (example / "site/status/index.html").read_text()


@pytest.mark.parametrize("value", ["../outside.png", "/etc/passwd", "content/../../x.svg"])
def test_a_logo_outside_the_repository_is_refused(example, value):
    (example.parent / "outside.png").write_bytes(b"\x89PNG")
    set_logo(example, value)
    res = build(example)
    assert res.exit_code == 1
    assert res.output == (
        f"mkdocs.yml:{LOGO_LINE}: error: [unsafe-asset] status.logo: {value!r} lies outside "
        "the repository; the logo must be a file in the repository, like "
        "theme/status/logo.svg\n1 error, 0 warnings in 43 files\n")
    assert not (example / "site" / "status").exists()


@pytest.mark.parametrize("value, link", [("logo.png", "logo.png"), ("img/logo.png", "img")])
def test_a_logo_through_a_symlink_is_refused(example, tmp_path, value, link):
    (tmp_path / "img").mkdir()
    (tmp_path / "img" / "logo.png").write_bytes(b"\x89PNG")
    (example / link).symlink_to(tmp_path / link)
    set_logo(example, value)
    res = build(example)
    assert res.exit_code == 1
    assert res.output == (
        f"mkdocs.yml:{LOGO_LINE}: error: [unsafe-asset] status.logo: {value!r} goes through "
        f"the symbolic link {link!r}; the logo must be a file of its own in the repository, "
        "like theme/status/logo.svg\n1 error, 0 warnings in 43 files\n")


@pytest.mark.parametrize("value", ["https://cdn.example/logo.png", "missing.png", "content"])
def test_a_remote_missing_or_folder_logo_is_no_logo_as_before(example, value):
    set_logo(example, value)
    assert build(example).exit_code == 0
    assert sorted(p.name for p in (example / "site/status/assets").iterdir()) == [
        "favicon.svg", "status.css"]


# --- SVG -----------------------------------------------------------------------------

SVG = '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink">\n{}\n</svg>'
HOSTILE_SVG = {
    "script": ("<script>alert(1)</script>", "contains a <script> element"),
    "script-ns": ('<s:script xmlns:s="http://www.w3.org/2000/svg">x</s:script>',
                  "contains a <script> element"),
    "onload": ('<rect onload="alert(1)"/>', "contains an event handler (onload=)"),
    "OnClick": ('<rect OnClick="x()"/>', "contains an event handler (onclick=)"),
    "js-href": ('<a href="java&#9;script:alert(1)"><rect/></a>',
                "contains a javascript: URL (href=)"),
    "xlink-external": ('<use xlink:href="https://evil.example/x.svg#a"/>',
                       'contains an external reference (href="https://evil.example/x.svg#a")'),
    "image-http": ('<image href="http://evil.example/t.png"/>',
                   'contains an external reference (href="http://evil.example/t.png")'),
    "foreign": ("<foreignObject><p>x</p></foreignObject>",
                "contains a <foreignobject> element"),
    "style-import": ("<style>@import url(https://evil.example/a.css);</style>",
                     "contains a style sheet that loads or runs something (@import, expression())"),
    "fill-url": ('<rect fill="url(https://evil.example/p.svg#g)"/>',
                 "contains an external reference url(https://evil.example/p.svg#g)"),
    "set-href": ('<a><set attributeName="href" to="#x"/></a>',
                 "contains an animation that changes href="),
    "stylesheet-pi": ('<?xml-stylesheet href="https://evil.example/a.css"?>',
                      "contains a processing instruction <?xml-stylesheet?>"),
}


@pytest.mark.parametrize("name", sorted(HOSTILE_SVG))
def test_a_hostile_svg_is_refused_with_its_line(name):
    body, problem = HOSTILE_SVG[name]
    assert svg_problems(SVG.format(body).encode()) == [(2, problem)]


def test_entities_and_doctype_are_refused_before_expanding():
    bomb = ('<?xml version="1.0"?>\n<!DOCTYPE svg [<!ENTITY a "aaaaaaaaaa">'
            '<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>\n<svg>&b;</svg>')
    assert svg_problems(bomb.encode()) == [(2, "contains a DOCTYPE or entity declaration")]


def test_malformed_svg_is_refused():
    assert svg_problems(b"<svg>\n<rect>\n</svg>") == [
        (3, "is not well-formed XML (mismatched tag)")]


def test_an_inert_svg_passes():
    ok = SVG.format('<defs><linearGradient id="g"/></defs><rect fill="url(#g)"/>'
                    '<use xlink:href="#g"/><image href="data:image/png;base64,iVBOR"/>'
                    "<style>rect{fill:#123}</style><title>Acme</title>")
    assert svg_problems(ok.encode()) == []


def test_an_svg_logo_with_a_script_stops_the_build(example):
    (example / "logo.svg").write_text(SVG.format('<rect onload="alert(1)"/>'))
    set_logo(example, "logo.svg")
    res = build(example)
    assert res.exit_code == 1
    assert res.output == (f"logo.svg:2: error: [unsafe-asset] contains an event handler "
                          f"(onload=); {SVG_FIX}\n1 error, 0 warnings in 43 files\n")


def test_an_svg_asset_with_a_script_stops_the_build(example):
    asset = example / "theme/status/assets/icon.svg"
    asset.parent.mkdir(parents=True)
    asset.write_text(SVG.format("<script>x</script>"))
    res = build(example)
    assert res.exit_code == 1
    assert res.output == (f"theme/status/assets/icon.svg:2: error: [unsafe-asset] contains "
                          f"a <script> element; {SVG_FIX}\n1 error, 0 warnings in 43 files\n")


# --- special and oversized files -----------------------------------------------------

def test_a_fifo_in_the_theme_is_refused_without_hanging(example):
    assets = example / "theme/status/assets"
    assets.mkdir(parents=True)
    os.mkfifo(assets / "pipe.css")
    res = build(example)
    assert res.exit_code == 1
    assert res.output == ("theme/status/assets/pipe.css: error: [unsafe-asset] is not a "
                          "regular file (a FIFO, socket or device); only regular files are "
                          "published\n1 error, 0 warnings in 43 files\n")


def test_theme_files_over_the_size_cap_are_refused(example, monkeypatch):
    monkeypatch.setattr(theme, "MAX_FILE_BYTES", 100)
    monkeypatch.setattr(theme, "MAX_THEME_BYTES", 150)
    assets = example / "theme/status/assets"
    assets.mkdir(parents=True)
    (assets / "big.png").write_bytes(b"x" * 101)
    (assets / "a.css").write_bytes(b"x" * 60)
    (assets / "b.css").write_bytes(b"x" * 60)
    _, problems = theme.scan_theme(example)
    assert [d.text() for d in problems] == [
        "theme/status/assets/big.png: error: [unsafe-asset] is 101 bytes; a theme file may "
        "have at most 100 bytes",
        "theme/status: error: [unsafe-asset] holds 221 bytes; the theme may have at most "
        "150 bytes in all",
    ]


def test_theme_templates_and_assets_still_override_the_package(example):
    status = example / "theme/status"
    (status / "assets").mkdir(parents=True)
    (status / "assets/status.css").write_text("/* ours */\n")
    (status / "assets/fonts").mkdir()
    (status / "assets/fonts/a.woff2").write_bytes(b"\0font")
    (status / "404.html").write_text("<p>{{ site.title }} lost</p>\n")
    assert build(example).exit_code == 0
    site = example / "site/status"
    assert (site / "assets/status.css").read_text() == "/* ours */\n"
    assert (site / "assets/fonts/a.woff2").read_bytes() == b"\0font"
    assert (site / "404.html").read_text() == "<p>Acme Shop Status lost</p>\n"


# --- check ---------------------------------------------------------------------------

def test_status_problems_reports_what_the_build_would_refuse(example):
    (example / "theme/status/assets").mkdir(parents=True)
    (example / "theme/status/assets/passwd").symlink_to("/etc/passwd")
    (example / "logo.svg").write_text(SVG.format("<script/>"))
    set_logo(example, "logo.svg")
    assert [d.text() for d in status_problems(load_unchecked(example))] == [
        "theme/status/assets/passwd: error: [unsafe-asset] is a symbolic link (to "
        "/etc/passwd); the status page never publishes through a link, which could reach "
        "secrets or private files: put a copy of the file there instead",
        f"logo.svg:2: error: [unsafe-asset] contains a <script> element; {SVG_FIX}",
    ]


def test_status_problems_of_the_example_is_empty():
    from status_support import example_root

    assert status_problems(load_example(example_root())) == []
