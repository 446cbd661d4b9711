"""Handbooks to compare a fast path of `check` with its slow path on: the example, every
corpus under tests/data (the check base alone, with its links page, with each bad case and
with all of them at once), and a small messy corpus (`bench/messy.py`)."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

from tests.conftest import REPO, copy_example

sys.path.insert(0, str(REPO / "bench"))
from messy import generate_messy  # noqa: E402

DATA = Path(__file__).parent / "data"
CHECK = DATA / "check"
BAD = sorted(p.name for p in (CHECK / "bad").iterdir() if p.is_dir())
NAMES = ["example", "metrics", "v2", "base", "links", "all-bad", "messy",
         *(f"bad/{case}" for case in BAD)]
"""Every corpus `make` builds, by name (for `pytest.mark.parametrize`)."""


def make(name: str, tmp_path: Path) -> Path:
    """The corpus `name`, copied to `tmp_path` (nothing under tests/data is written)."""
    root = tmp_path / "hb"
    if name == "example":
        return copy_example(root)
    if name == "messy":
        return generate_messy(root, incidents=60, runbooks=12, services=10)
    if name in ("metrics", "v2"):
        shutil.copytree(DATA / name, root)
        return root
    shutil.copytree(CHECK / "base", root)
    overlays = {"base": [], "links": [CHECK / "links"],
                "all-bad": [CHECK / "bad" / case for case in BAD]}
    for overlay in overlays.get(name, [CHECK / name]):
        shutil.copytree(overlay, root, dirs_exist_ok=True)
    return root
