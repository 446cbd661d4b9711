"""The content cache (`sevbook.cache`): a cached run prints byte for byte what an uncached
one does, reuses what it may, and trusts nothing it reads."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from conftest import NOW, NOW_ARG, REPO, copy_example
from sevbook import cache as cache_mod
from sevbook import yamlio
from sevbook.cli import main
from sevbook.load import load
from sevbook.rules import check

sys.path.insert(0, str(REPO / "bench"))
from messy import generate_messy  # noqa: E402


def run(root: Path, *args: str) -> tuple[int, str]:
    res = CliRunner().invoke(main, ["check", "--now", NOW_ARG, "--root", str(root), *args],
                             catch_exceptions=False)
    return res.exit_code, res.output


def entries(root: Path) -> list[Path]:
    return sorted((root / ".cache" / "sevbook").rglob("*.json"))


def _count_valid(root: Path) -> int:
    hb = load(root).handbook
    singles = sum(1 for d in (hb.severity, hb.oncall) if d is not None)
    return singles + len(hb.roles) + len(hb.services) + len(hb.runbooks) + len(hb.incidents)


@pytest.fixture
def messy(tmp_path: Path) -> Path:
    return generate_messy(tmp_path / "messy", incidents=60, runbooks=12, services=10)


@pytest.mark.parametrize("fmt", ["text", "github", "json"])
def test_example_cached_output_is_byte_identical(tmp_path: Path, fmt: str) -> None:
    root = copy_example(tmp_path / "hb")
    uncached = run(root, "--no-cache", "--format", fmt)
    assert entries(root) == []
    cold = run(root, "--format", fmt)
    assert len(entries(root)) == _count_valid(root)
    warm = run(root, "--format", fmt)
    assert uncached == cold == warm


def test_messy_cached_output_is_byte_identical_with_warning_lines(messy: Path) -> None:
    uncached = run(messy, "--no-cache")
    cold = run(messy)
    warm = run(messy)
    assert uncached == cold == warm
    assert uncached[1].endswith("\n0 errors, 180 warnings in 92 files\n")
    assert uncached[1].startswith("incidents/2016-10-25-imported-00000.md:11: warning: "
                                  "[required-role] roles: SEV0 requires the role(s) ")


def test_warm_run_parses_no_yaml_and_finds_no_line(messy: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    expected = run(messy)
    calls: list[str] = []
    real_load = yamlio.load_yaml
    monkeypatch.setattr(yamlio, "load_yaml", lambda t: calls.append("yaml") or real_load(t))
    monkeypatch.setattr(yamlio.LineFinder, "__call__",
                        lambda self, path: calls.append("line") or 0)
    assert run(messy) == expected
    assert calls == []


def test_editing_one_file_parses_only_that_file(messy: Path,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    run(messy)
    path = sorted((messy / "incidents").glob("2*.md"))[5]
    path.write_text(path.read_text(encoding="utf-8").replace("\ntitle: ", "\ntitle: Edited ", 1),
                    encoding="utf-8")
    parsed: list[str] = []
    real_load = yamlio.load_yaml
    monkeypatch.setattr(yamlio, "load_yaml", lambda t: parsed.append(t) or real_load(t))
    cached = run(messy)
    monkeypatch.undo()
    assert len(parsed) == 1 and "title: Edited " in parsed[0]
    assert cached == run(messy, "--no-cache")


@pytest.mark.parametrize("garbage", [
    b"", b"{", b"\xff\xfe", b"[]", b'{"format": 1}', b"null",
    b'{"format":1,"key":"0","data":{},"at":[0,0,0,1],"lines":[]}',
])
def test_corrupt_or_foreign_entries_are_ignored_and_replaced(messy: Path,
                                                             garbage: bytes) -> None:
    expected = run(messy, "--no-cache")
    run(messy)
    written = entries(messy)
    for p in written:
        p.write_bytes(garbage)
    assert run(messy) == expected
    assert entries(messy) == written
    assert all(json.loads(p.read_bytes())["key"] == p.parent.name + p.stem for p in written)


def test_entry_with_other_valid_data_under_the_right_key_is_validated(messy: Path) -> None:
    """An entry naming its key but holding data the models refuse is not used."""
    expected = run(messy, "--no-cache")
    run(messy)
    for p in entries(messy):
        obj = json.loads(p.read_bytes())
        if obj["data"].get("status") == "resolved":
            obj["data"]["status"] = "exploded"
            p.write_text(json.dumps(obj), encoding="utf-8")
    assert run(messy) == expected


def test_no_cache_and_the_setting_write_nothing(tmp_path: Path) -> None:
    root = copy_example(tmp_path / "hb")
    run(root, "--no-cache")
    assert not (root / ".cache").exists()
    cfg = root / "mkdocs.yml"
    cfg.write_text(cfg.read_text(encoding="utf-8").replace(
        "      incidents_dir: incidents\n", "      incidents_dir: incidents\n      cache: false\n"),
        encoding="utf-8")
    assert run(root)[0] == 0
    assert not (root / ".cache").exists()


def _set_cache_dir(root: Path, value: str) -> int:
    cfg = root / "mkdocs.yml"
    text = cfg.read_text(encoding="utf-8")
    text = text.replace("      incidents_dir: incidents\n",
                        f"      incidents_dir: incidents\n      cache_dir: {value}\n")
    cfg.write_text(text, encoding="utf-8")
    return text.splitlines().index(f"      cache_dir: {value}") + 1


@pytest.mark.parametrize(("value", "why"), [
    ("../elsewhere", "lies outside the repository"),
    (".", "is the repository itself"),
    ("incidents/.cache", "overlaps a source folder (docs_dir, incidents_dir, theme/ or .git)"),
    ("site/status/cache", "overlaps an output folder, which would publish it"),
])
def test_unsafe_cache_dir_is_a_located_error(tmp_path: Path, value: str, why: str) -> None:
    root = copy_example(tmp_path / "hb")
    line = _set_cache_dir(root, value)
    assert run(root) == (1, (
        f"mkdocs.yml:{line}: error: [unsafe-output] cache_dir: cache_dir '{value}' {why}; "
        "use a folder of its own inside the repository, like .cache/sevbook\n"
        "1 error, 0 warnings in 1 files\n"))
    assert not (tmp_path / "elsewhere").exists()


def test_cache_dir_through_a_symlink_out_is_a_located_error(tmp_path: Path) -> None:
    root = copy_example(tmp_path / "hb")
    (tmp_path / "outside").mkdir()
    (root / "cachelink").symlink_to(tmp_path / "outside")
    line = _set_cache_dir(root, "cachelink/sevbook")
    assert run(root) == (1, (
        f"mkdocs.yml:{line}: error: [unsafe-output] cache_dir: cache_dir 'cachelink/sevbook' "
        "lies outside the repository; use a folder of its own inside the repository, like "
        ".cache/sevbook\n1 error, 0 warnings in 1 files\n"))


def test_default_cache_dir_leading_out_turns_the_cache_off(tmp_path: Path) -> None:
    root = copy_example(tmp_path / "hb")
    (tmp_path / "outside").mkdir()
    (root / ".cache").symlink_to(tmp_path / "outside")
    expected = run(root, "--no-cache")
    assert run(root) == expected
    assert list((tmp_path / "outside").iterdir()) == []


def test_entry_folder_linked_out_is_neither_read_nor_written(messy: Path,
                                                             tmp_path: Path) -> None:
    expected = run(messy, "--no-cache")
    run(messy)
    shard = entries(messy)[0].parent
    outside = tmp_path / "outside"
    shard.rename(outside)
    shard.symlink_to(outside)
    for p in outside.iterdir():
        p.write_text("{}", encoding="utf-8")
    assert run(messy) == expected
    assert {p.read_text(encoding="utf-8") for p in outside.iterdir()} == {"{}"}


def test_a_new_code_version_starts_afresh_and_removes_the_old(
        messy: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    run(messy)
    (old,) = (messy / ".cache" / "sevbook").iterdir()
    (messy / ".cache" / "sevbook" / "notes.txt").write_text("mine", encoding="utf-8")
    monkeypatch.setattr(cache_mod, "_code_hash", lambda: "f" * 64)
    expected = run(messy, "--no-cache")
    assert run(messy) == expected
    assert sorted(p.name for p in (messy / ".cache" / "sevbook").iterdir()) == [
        "notes.txt", f"v{cache_mod.FORMAT}-{'f' * 24}"]
    assert not old.exists()


def test_version_covers_the_model_sources() -> None:
    here = Path(cache_mod.__file__).parent
    assert (here / "model" / "incident.py").exists()
    assert "model" in cache_mod._VERSION_MODULES


def test_library_load_does_not_cache_unless_asked(messy: Path) -> None:
    result = load(messy)
    assert result.cache is None
    check(result, NOW)
    assert not (messy / ".cache").exists()
    cached = load(messy, cache=True)
    assert check(cached, NOW) == check(result, NOW)
    cached.save_cache()
    assert len(entries(messy)) == _count_valid(messy)


def test_entries_are_plain_json_of_their_key(messy: Path) -> None:
    run(messy)
    for p in entries(messy)[:20]:
        obj = json.loads(p.read_bytes())
        assert sorted(obj) == ["at", "data", "format", "key", "lines"]
        assert obj["key"] == p.parent.name + p.stem
    assert oct(os.stat(entries(messy)[0]).st_mode & 0o777) == "0o644"


def test_scaffold_gitignore_lists_the_cache() -> None:
    text = (REPO / "src" / "sevbook" / "scaffold" / "handbook" / "gitignore").read_text(
        encoding="utf-8")
    assert "/.cache/" in text.splitlines()
    assert "/.cache/" in (REPO / ".gitignore").read_text(encoding="utf-8").splitlines()
