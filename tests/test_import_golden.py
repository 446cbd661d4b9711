"""The built `api/v2/` of each imported real page equals its golden files byte for byte
(tests/golden/imported/<page>/api/v2/; only `python tests/regen_golden.py` rewrites them).
The field-by-field agreement with the originals is tests/test_import_statuspage.py's."""

from __future__ import annotations

import difflib

import pytest

from import_golden import GOLDEN, PAGES, api_files, build_imported


@pytest.mark.parametrize("page", sorted(PAGES))
def test_imported_api_equals_golden(page, tmp_path):
    built = api_files(build_imported(page, tmp_path))
    golden = api_files(GOLDEN / page / "api" / "v2")
    assert sorted(built) == sorted(golden)
    for rel, data in built.items():
        if data != golden[rel]:
            diff = "".join(difflib.unified_diff(
                golden[rel].decode().splitlines(True), data.decode().splitlines(True),
                f"golden/{rel}", f"built/{rel}", n=2))
            pytest.fail(f"{page} api/v2/{rel} differs from its golden file "
                        f"(python tests/regen_golden.py rewrites it):\n{diff[:4000]}")


def test_every_page_has_golden_files():
    assert sorted(p.name for p in GOLDEN.iterdir()) == sorted(PAGES)
    assert all(api_files(GOLDEN / page / "api" / "v2") for page in PAGES)


def test_golden_api_keeps_statuspage_ids():
    """The goldens are imported pages, not sevbook's own ids: GitHub's components and
    incident keep the capture's ids (`website` is the fresh repository's own service)."""
    import json

    summary = json.loads((GOLDEN / "github-2022-11-25" / "api/v2/summary.json").read_text())
    original = json.loads((PAGES["github-2022-11-25"][1] / "summary.json").read_text())
    assert [c["id"] for c in summary["components"]] == [
        c["id"] for c in original["components"]] + ["website"]
    assert [i["id"] for i in summary["incidents"]] == [i["id"] for i in original["incidents"]]
