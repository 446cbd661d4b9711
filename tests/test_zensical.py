"""`sevbook build --engine zensical`: the example built with the real Zensical, compared with
the MkDocs build of the same sources (conftest's `example_handbook_site`).

Skipped, with the reason shown, where Zensical is not installed; `scripts/test` (and so
CI) installs the `zensical` extra, so there it runs.
"""

from __future__ import annotations

import hashlib
import re
import shutil
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from click.testing import CliRunner

from conftest import NOW_ARG, copy_example, screenshot_dir, served
from sevbook.cli import main
from sevbook.handbook.zensical import build as zbuild

pytest.importorskip("zensical", reason="Zensical is not installed: pip install "
                    "'sevbook[zensical]' (scripts/test does) to test the zensical engine")

OPEN = "2026-11-22-search-errors-after-node-loss"
BANNER = ('<span class="sb-announce"> <strong>1 open incident:</strong> <a href="{up}incidents/'
          f'{OPEN}/">SEV2 · Search errors and timeouts after loss of OpenSearch node '
          'opensearch-2</a> <span class="sb-cadence">(last public update 20 min ago — SEV2 '
          'promises one every 1 h; next update due 13:40 CET)</span> </span>')
KEY_PAGES = {
    "severity": "Severity levels", "oncall": "On-call",
    "roles": "Roles", "roles/incident-commander": "Incident Commander (IC)",
    "services": "Services", "services/checkout-api": "Checkout API",
    "runbooks": "Runbooks", "incidents": "Incidents",
    f"incidents/{OPEN}": "Search errors and timeouts after loss of OpenSearch node opensearch-2",
    "action-items": "Open action items", "postmortems": "Postmortems",
    "metrics": "Metrics", "templates": "Templates",
}


def build(root: Path, *extra: str):
    return CliRunner().invoke(main, ["build", "--now", NOW_ARG, "--root", str(root),
                                     "--no-status", *extra])


def html_pages(site: Path) -> list[str]:
    return sorted(p.relative_to(site).as_posix() for p in site.rglob("*.html"))


def digest(site: Path) -> dict[str, str]:
    return {p.relative_to(site).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(site.rglob("*")) if p.is_file()}


def title(site: Path, page: str) -> str:
    html = (site / page / "index.html").read_text(encoding="utf-8")
    m = re.search(r"<title>(.*?)</title>", html)
    assert m, page
    return m.group(1)


def banner(site: Path, page: str) -> str:
    html = (site / page).read_text(encoding="utf-8")
    m = re.search(r'<span class="sb-announce">.*?</span>\s*</span>', html, re.S)
    assert m, f"no banner on {page}"
    return re.sub(r"\s+", " ", m.group(0))


@pytest.fixture(scope="module")
def zroot(tmp_path_factory) -> Path:
    root = copy_example(tmp_path_factory.mktemp("zensical") / "handbook")
    res = build(root, "--engine", "zensical", "--strict")
    assert res.exit_code == 0, res.output
    assert res.output == f"built handbook: {root / 'site/handbook'}\n"
    return root


@pytest.fixture(scope="module")
def zsite(zroot: Path) -> Path:
    return zroot / "site" / "handbook"


def test_zensical_builds_every_page_mkdocs_builds(zsite, example_handbook_site):
    assert html_pages(zsite) == html_pages(example_handbook_site)
    assert len(html_pages(zsite)) > 50


def test_only_pages_and_theme_files_are_published(zsite):
    # theme/handbook/README.md (the team's note on its overrides) stays out, as with MkDocs
    assert sorted(p.name for p in zsite.iterdir() if p.is_file()) == [
        "404.html", "index.html", "search.json", "sitemap.xml"]


@pytest.mark.parametrize("page", sorted(KEY_PAGES))
def test_key_pages_have_their_titles(zsite, example_handbook_site, page):
    expected = f"{KEY_PAGES[page]} - Acme Shop Incident Handbook"
    assert title(zsite, page) == expected
    assert title(example_handbook_site, page) == expected


@pytest.mark.parametrize(("page", "up"), [("index.html", "./"),
                                          ("roles/scribe/index.html", "../../")])
def test_the_open_incident_banner_is_on_every_page(zsite, page, up):
    assert banner(zsite, page) == BANNER.format(up=up)


def test_the_incident_page_banner_links_to_itself(zsite):
    # MkDocs writes "./"; Zensical's url filter "././": the same page.
    assert banner(zsite, f"incidents/{OPEN}/index.html") == BANNER.replace(
        f"{{up}}incidents/{OPEN}/", "././")


def toc_hidden(site: Path, page: str) -> bool:
    html = (site / page / "index.html").read_text(encoding="utf-8")
    m = re.search(r'<div class="md-sidebar md-sidebar--secondary"[^>]*>', html)
    assert m, page
    return m.group(0).endswith(" hidden>")


@pytest.mark.parametrize(("page", "hidden"), [("action-items", True), ("services", True),
                                              ("incidents", True), ("severity", False)])
def test_wide_pages_hide_the_table_of_contents_as_with_mkdocs(zsite, example_handbook_site,
                                                               page, hidden):
    assert toc_hidden(zsite, page) is hidden
    assert toc_hidden(example_handbook_site, page) is hidden


def test_the_banner_says_what_mkdocs_says(zsite, example_handbook_site):
    page = "services/search/index.html"
    assert banner(zsite, page) == banner(example_handbook_site, page)


def test_staging_sits_next_to_the_handbook_and_a_warm_build_is_byte_identical(zroot, zsite):
    staging = zroot / "site" / ".handbook.zensical"
    assert (staging / "mkdocs.yml").is_file()
    assert (staging / ".cache").is_dir()  # Zensical's cache: the next build is warm
    before = digest(zsite)
    res = build(zroot, "--engine", "zensical")
    assert res.exit_code == 0, res.output
    assert digest(zsite) == before


def test_a_page_zensical_does_not_build_fails_the_build(example, monkeypatch):
    real_run = zbuild.run

    def run_without_metrics(staging: Path, strict: bool) -> None:
        (staging / "docs" / "metrics.md").unlink()
        real_run(staging, strict)

    assert build(example).exit_code == 0  # a MkDocs build first: it must survive
    before = digest(example / "site" / "handbook")
    monkeypatch.setattr(zbuild, "run", run_without_metrics)
    res = build(example, "--engine", "zensical")
    assert res.exit_code == 1
    assert res.output == ("Error: zensical built 55 of 56 pages; missing: metrics.md "
                          "(metrics/index.html); site/handbook is unchanged\n")
    assert digest(example / "site" / "handbook") == before


def test_the_engine_setting_chooses_zensical_and_the_flag_wins(example):
    cfg = example / "mkdocs.yml"
    cfg.write_text(cfg.read_text(encoding="utf-8").replace(
        "  - sevbook:\n", "  - sevbook:\n      engine: zensical\n"), encoding="utf-8")
    assert build(example).exit_code == 0
    site = example / "site" / "handbook"
    assert (site / "search.json").is_file()  # Zensical's search index
    assert not (site / "search").exists()
    shutil.rmtree(site)
    assert build(example, "--engine", "mkdocs").exit_code == 0
    assert (site / "search" / "search_index.json").is_file()  # MkDocs' search plugin


@pytest.fixture(scope="module")
def zurl(zsite: Path) -> Iterator[str]:
    with served(zsite) as url:
        yield url


@pytest.mark.browser
def test_in_chromium_the_banner_leads_to_the_open_incident(browser, zurl):
    host = urlsplit(zurl).netloc
    foreign: list[str] = []
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.on("request", lambda r: foreign.append(r.url)
            if urlsplit(r.url).netloc not in (host, "") and not r.url.startswith("data:")
            else None)
    page.goto(zurl)
    link = page.locator(".sb-announce a")
    assert link.is_visible()
    shots = screenshot_dir()
    shots.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(shots / "handbook-zensical-home-1280.png"))
    link.click()
    page.wait_for_url(f"**/incidents/{OPEN}/")
    assert page.title() == ("Search errors and timeouts after loss of OpenSearch node "
                            "opensearch-2 - Acme Shop Incident Handbook")
    page.goto(zurl + "severity/")
    assert page.locator("article table").first.is_visible()
    page.screenshot(path=str(shots / "handbook-zensical-severity-1280.png"))
    page.close()
    assert foreign == []


def test_strict_stops_on_zensicals_link_warnings_with_the_repository_path(example):
    page = example / "content" / "process" / "declaring.md"
    page.write_text(page.read_text(encoding="utf-8") + "\nSee [the runbook](nope.md).\n",
                    encoding="utf-8")
    line = page.read_text(encoding="utf-8").count("\n")
    res = build(example, "--engine", "zensical", "--strict")
    assert res.exit_code == 1
    assert res.output == ("Error: handbook build failed: zensical --strict stopped on 1 "
                          "warning (`sevbook check` lists the links with their fixes):\n"
                          f"content/process/declaring.md:{line}: page does not exist\n")
    assert not (example / "site" / "handbook").exists()
    res = build(example, "--engine", "zensical")  # without --strict: built, warned
    assert res.exit_code == 0, res.output
    assert res.output == (f"built handbook: {example / 'site/handbook'}\n"
                          "1 warning (run `sevbook check`)\n")
