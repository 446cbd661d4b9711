"""The handbook engines side by side: cold MkDocs, cold Zensical, warm Zensical.

    python bench/engines.py --example --repeat 5
    python bench/engines.py --incidents 2000 --runbooks 300 --repeat 3

Every run is a fresh `sevbook build --no-status --engine ENGINE` process (load, check, page
generation and the engine), timed wall-clock, with user and system CPU time and peak RSS of
the process and the engine's child from wait4(). Cold: no staging folder (MkDocs has no
cache, so every MkDocs build is cold). Warm: the staging folder and Zensical's cache of the
previous build are kept and nothing changed (one unmeasured build first). The previous
site is moved aside, not deleted (see run.py on ext4). `--example` times this repository's
example instead of a generated corpus.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from run import NOW, SEVBOOK, corpus, run_once  # noqa: E402

REPO = HERE.parent
MODES = (("mkdocs", "cold"), ("zensical", "cold"), ("zensical", "warm"))


def example() -> Path:
    """A copy of the example handbook under bench/out/ (made once)."""
    out = HERE / "out" / "example"
    if not (out / ".complete").exists():
        shutil.rmtree(out, ignore_errors=True)
        out.mkdir(parents=True)
        shutil.copy2(REPO / "mkdocs.yml", out / "mkdocs.yml")
        for name in ("content", "incidents", "theme", ".sevbook"):
            if (REPO / name).is_dir():
                shutil.copytree(REPO / name, out / name)
        (out / ".complete").write_text("ok")
    return out


def aside(path: Path, trash: Path) -> None:
    if path.exists():
        path.rename(trash / f"{path.name}-{len(list(trash.iterdir()))}")


def time_mode(root: Path, engine: str, warm: bool, repeat: int, trash: Path) -> str:
    site = root / "site"
    staging = site / ".handbook.zensical"
    argv = [*SEVBOOK, "build", "--no-status", "--engine", engine, "--now", NOW]
    if warm:
        aside(site, trash)
        if run_once(argv, root)[2] != 0:  # the build that fills the cache, not measured
            sys.exit(f"sevbook build --engine {engine} failed on {root}")
    times, users, syss, mems = [], [], [], []
    for _ in range(repeat):
        if warm:
            aside(site / "handbook", trash)
        else:
            aside(site, trash)
        wall, mem, code, user, sys_cpu = run_once(argv, root)
        if code != 0:
            sys.exit(f"sevbook build --engine {engine} failed on {root} (exit {code})")
        times.append(wall)
        users.append(user)
        syss.append(sys_cpu)
        mems.append(mem)
        assert warm or engine == "mkdocs" or staging.is_dir()
    return (f"{engine:8} {'warm' if warm else 'cold':4} median={statistics.median(times):6.2f}s "
            f"min={min(times):6.2f}s max={max(times):6.2f}s "
            f"user={statistics.median(users):.2f}s sys={statistics.median(syss):.2f}s "
            f"peak_rss={max(mems)}MB runs={repeat}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--example", action="store_true", help="time the example handbook")
    ap.add_argument("--incidents", type=int, default=2000)
    ap.add_argument("--runbooks", type=int, default=300)
    ap.add_argument("--services", type=int, default=200)
    ap.add_argument("--repeat", type=int, default=5)
    a = ap.parse_args()
    root = example() if a.example else corpus(a.incidents, a.runbooks, a.services, 50, 3)
    trash = HERE / "out" / "trash-engines"
    shutil.rmtree(trash, ignore_errors=True)
    trash.mkdir(parents=True)
    what = "example" if a.example else (f"incidents={a.incidents} runbooks={a.runbooks} "
                                        f"services={a.services}")
    for engine, mode in MODES:
        print(f"{what} {time_mode(root, engine, mode == 'warm', a.repeat, trash)}", flush=True)
    aside(root / "site", trash)
    shutil.rmtree(trash, ignore_errors=True)


if __name__ == "__main__":
    main()
