"""The plugin's one way in (`prepare`) and what it leaves behind: nothing."""

from __future__ import annotations

import os
from datetime import UTC, datetime, timedelta
from pathlib import Path

from mkdocs.config import load_config

from conftest import NOW
from sevbook.handbook.build import build_handbook, load_mkdocs_config
from sevbook.handbook.theme import OVERRIDES


def plain_config(root: Path):
    """mkdocs.yml loaded the way `mkdocs build` does it (no sevbook CLI)."""
    return load_config(str(root / "mkdocs.yml"))


def test_a_prepared_now_stays_with_its_config(example, monkeypatch):
    monkeypatch.delenv("SEVBOOK_NOW", raising=False)
    prepared = load_mkdocs_config(example, now=NOW)
    plain = plain_config(example)
    assert plain.plugins["sevbook"] is not prepared.plugins["sevbook"]
    prepared.plugins.on_config(prepared)
    plain.plugins.on_config(plain)
    assert prepared.plugins["sevbook"].now == NOW
    assert abs(plain.plugins["sevbook"].now - datetime.now(UTC)) < timedelta(minutes=5)


def test_plain_mkdocs_reads_sevbook_now(example, monkeypatch):
    monkeypatch.setenv("SEVBOOK_NOW", "2026-11-22")
    cfg = plain_config(example)
    cfg.plugins.on_config(cfg)
    assert cfg.plugins["sevbook"].now == datetime(2026, 11, 22, tzinfo=UTC)


def test_overrides_follow_the_repository_theme(example):
    cfg = load_mkdocs_config(example, now=NOW)
    cfg.plugins.on_config(cfg)
    assert cfg.theme.dirs[:2] == [str(example / "theme" / "handbook"), str(OVERRIDES)]


def test_a_build_leaves_the_environment_as_it_was(example, tmp_path):
    before = dict(os.environ)
    out = tmp_path / "out"
    out.mkdir()
    build_handbook(example, out, NOW)
    assert (out / "index.html").is_file()
    assert dict(os.environ) == before
