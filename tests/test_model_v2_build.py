"""The handbook of `tests/data/v2` builds in strict mode: MkDocs knows every setting of
the sevbook block (work_week, metrics, incident_fields, notify), so a repository using
them does not fail `mkdocs build --strict` with "Unrecognised configuration name"."""

from __future__ import annotations

import shutil
from datetime import UTC, datetime
from pathlib import Path

from sevbook.handbook.build import build_handbook

DATA = Path(__file__).parent / "data" / "v2"


def test_the_v2_handbook_builds_strictly(tmp_path):
    root = tmp_path / "v2"
    shutil.copytree(DATA, root)
    out = root / "site" / "handbook"
    out.mkdir(parents=True)
    build_handbook(root, out, datetime(2019, 7, 10, tzinfo=UTC), strict=True)
    html = (out / "oncall" / "index.html").read_text(encoding="utf-8")
    assert 'id="rotation-infra-primary"' in html
