"""Incremental handbook builds: pages reused from the page cache give the same bytes as a
full build (every page, the search index and the sitemap), and a cache that is corrupt,
tampered with or unusable is never trusted."""

from __future__ import annotations

import hashlib
import logging
import shutil
import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner
from tests.conftest import NOW, NOW_ARG, copy_example

from sevbook.cli import main
from sevbook.handbook.build import load_mkdocs_config, source_date_epoch
from sevbook.handbook.pagecache import FILE, page_cache_folder

INCIDENT = "2026-02-09-search-missing-new-products"
INCIDENT_PAGE = f"incidents/{INCIDENT}.md"


def digests(tree: Path) -> dict[str, str]:
    return {p.relative_to(tree).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(tree.rglob("*")) if p.is_file()}


def build(root: Path, out: Path, cache: bool = True):
    """Build the handbook of `root` into `out` as `sevbook build` does (strict off); return
    the sevbook plugin, which knows which pages it reused and rendered."""
    from mkdocs.commands.build import build as mkdocs_build

    cfg = load_mkdocs_config(root, out, NOW, page_cache=page_cache_folder(root) if cache
                             else None, strict=False)
    with source_date_epoch(NOW):
        mkdocs_build(cfg)
    return cfg.plugins["sevbook"]


@pytest.fixture(scope="module")
def cached_example(tmp_path_factory) -> Path:
    """The example, built once with the page cache (so the cache holds every page)."""
    root = copy_example(tmp_path_factory.mktemp("incremental") / "handbook")
    plugin = build(root, root / "site" / "first")
    assert plugin.reused == [] and len(plugin.rendered) > 50
    return root


@pytest.fixture
def example_with_cache(cached_example: Path, tmp_path: Path) -> Path:
    root = tmp_path / "handbook"
    shutil.copytree(cached_example, root, ignore=shutil.ignore_patterns("site"))
    return root


def edit(root: Path, old: str, new: str) -> None:
    path = root / "incidents" / f"{INCIDENT}.md"
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1
    path.write_text(text.replace(old, new), encoding="utf-8")


def assert_same_as_full_build(root: Path, incremental: Path, tmp_path: Path) -> None:
    full = tmp_path / "full"
    plugin = build(root, full, cache=False)
    assert plugin.reuse is None and plugin.reused == []
    inc, ref = digests(incremental), digests(full)
    assert "search/search_index.json" in ref and "sitemap.xml.gz" in ref
    assert sorted(k for k in inc.keys() | ref.keys() if inc.get(k) != ref.get(k)) == []


def test_an_edited_postmortem_body_re_renders_only_its_page(example_with_cache, tmp_path):
    root = example_with_cache
    edit(root, "## Summary\n", "## Summary\n\nEdited after the review: one more sentence.\n")
    out = tmp_path / "incremental"
    plugin = build(root, out)
    assert plugin.rendered == [INCIDENT_PAGE]
    assert len(plugin.reused) > 50
    assert "Edited after the review: one more sentence." in \
        (out / "incidents" / INCIDENT / "index.html").read_text(encoding="utf-8")
    assert_same_as_full_build(root, out, tmp_path)


def test_an_edited_title_re_renders_the_pages_that_list_it(example_with_cache, tmp_path):
    root = example_with_cache
    edit(root, "\ntitle: New spring collection missing from search",
         "\ntitle: Spring collection absent from search")
    out = tmp_path / "incremental"
    plugin = build(root, out)
    assert INCIDENT_PAGE in plugin.rendered and "incidents/index.md" in plugin.rendered
    assert "index.md" in plugin.reused and "severity.md" in plugin.reused
    assert_same_as_full_build(root, out, tmp_path)


def test_a_second_build_of_the_same_sources_reuses_every_page(example_with_cache, tmp_path):
    plugin = build(example_with_cache, tmp_path / "again")
    assert plugin.rendered == []
    assert_same_as_full_build(example_with_cache, tmp_path / "again", tmp_path)


def test_a_corrupt_cache_file_is_ignored_and_replaced(example_with_cache, tmp_path):
    db = page_cache_folder(example_with_cache) / FILE
    db.write_bytes(b"this is not a database" * 100)
    plugin = build(example_with_cache, tmp_path / "out")
    assert plugin.reused == [] and len(plugin.rendered) > 50
    assert_same_as_full_build(example_with_cache, tmp_path / "out", tmp_path)
    assert build(example_with_cache, tmp_path / "after").rendered == []


def test_a_tampered_row_is_not_used(example_with_cache, tmp_path):
    db = sqlite3.connect(page_cache_folder(example_with_cache) / FILE)
    with db:
        db.execute("UPDATE page SET html = CAST(? AS BLOB) WHERE uri = ?",
                   ("<p>planted</p>", INCIDENT_PAGE))
    db.close()
    plugin = build(example_with_cache, tmp_path / "out")
    assert plugin.rendered == [INCIDENT_PAGE]
    assert "planted" not in (tmp_path / "out" / "incidents" / INCIDENT / "index.html") \
        .read_text(encoding="utf-8")


def test_a_page_with_a_warning_is_rendered_every_time(example_with_cache, tmp_path, caplog):
    page = example_with_cache / "content" / "broken.md"
    page.write_text("# Broken\n\nSee [the missing page](missing.md).\n", encoding="utf-8")
    build(example_with_cache, tmp_path / "one")
    warned = []
    for out, cache in (("two", True), ("full", False)):
        caplog.clear()
        with caplog.at_level(logging.WARNING, logger="mkdocs"):
            plugin = build(example_with_cache, tmp_path / out, cache=cache)
        warned.append([r.getMessage() for r in caplog.records])
        if cache:
            assert plugin.rendered == ["broken.md"]
    assert warned[0] == warned[1]
    assert set(warned[0]) == {
        "Doc file 'broken.md' contains a link 'missing.md', but the target is not found "
        "among documentation files."}


def test_a_hook_turns_the_cache_off(example_with_cache, tmp_path, caplog):
    (example_with_cache / "hooks.py").write_text("def on_page_markdown(markdown, **kw):\n"
                                                "    return markdown\n", encoding="utf-8")
    yml = example_with_cache / "mkdocs.yml"
    yml.write_text(yml.read_text(encoding="utf-8") + "hooks:\n  - hooks.py\n",
                   encoding="utf-8")
    with caplog.at_level(logging.INFO, logger="mkdocs.plugins.sevbook"):
        plugin = build(example_with_cache, tmp_path / "out")
    assert plugin.reuse is None and plugin.reused == [] and plugin.rendered == []
    assert [r.getMessage() for r in caplog.records if "page cache" in r.getMessage()] == [
        "sevbook: page cache off: plugin 'hooks.py' is not known to the page cache; every "
        "page is rendered"]


def test_sevbook_build_keeps_the_cache_and_no_cache_leaves_it_alone(example):
    args = ["build", "--root", str(example), "--now", NOW_ARG]
    first = CliRunner().invoke(main, [*args, "--no-cache"])
    assert first.exit_code == 0, first.output
    assert not (example / ".cache").exists()
    handbook = digests(example / "site" / "handbook")
    second = CliRunner().invoke(main, args)
    assert second.exit_code == 0, second.output
    assert second.output == first.output
    assert (page_cache_folder(example) / FILE).is_file()
    assert digests(example / "site" / "handbook") == handbook


def test_the_build_date_counts_only_when_a_page_template_reads_it(example):
    from mkdocs.config import load_config

    from sevbook.handbook.pagekeys import theme_files

    theme = load_config(str(example / "mkdocs.yml")).theme
    assert theme_files(theme)[1] is False  # only sitemap.xml reads it: rendered every build
    (example / "theme" / "handbook" / "partials").mkdir(parents=True, exist_ok=True)
    (example / "theme" / "handbook" / "partials" / "copyright.html").write_text(
        "Built {{ build_date_utc }}\n", encoding="utf-8")
    assert theme_files(load_config(str(example / "mkdocs.yml")).theme)[1] is True
