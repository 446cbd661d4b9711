"""Same sources and --now give byte-identical output, whatever the process's hash seed."""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
from pathlib import Path

from tests.conftest import NOW_ARG


def digests(tree: Path) -> dict[str, str]:
    return {p.relative_to(tree).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(tree.rglob("*")) if p.is_file()}


def build(root: Path, seed: str) -> None:
    env = {**os.environ, "PYTHONHASHSEED": seed}
    # --no-cache: both builds render every page (a reused page would prove nothing here)
    res = subprocess.run([sys.executable, "-m", "sevbook", "build", "--no-cache", "--now",
                          NOW_ARG, "--root", str(root)], env=env, capture_output=True, text=True,
                         timeout=300)
    assert res.returncode == 0, res.stderr


def test_two_processes_with_different_hash_seeds_build_identical_sites(example, tmp_path):
    build(example, "1")
    first = {name: digests(example / "site" / name) for name in ("handbook", "status")}
    shutil.rmtree(example / "site")
    build(example, "4242")
    second = {name: digests(example / "site" / name) for name in ("handbook", "status")}
    assert len(first["status"]) > 40 and len(first["handbook"]) > 40
    differing = sorted(
        f"{name}/{rel}" for name in first
        for rel in set(first[name]) | set(second[name])
        if first[name].get(rel) != second[name].get(rel))
    assert differing == []
