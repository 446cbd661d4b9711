"""The handbook build: sevbook's own share of it, and linearity in the number of incidents.

    python bench/handbook.py --incidents 2000 4000 --runbooks 300 --repeat 3

Each run is a fresh process that builds the corpus's handbook with MkDocs (strict, as
`sevbook build` does) and reports the whole build time and the time spent inside the
sevbook plugin (load, check, generate, the rest of its config and files events, compose
structured pages): the child process wraps the plugin's events and the functions they call
with timers, so the plugin itself carries no timing code. Targets: plugin share under 10%;
twice the incidents at most 2.2 times the whole build time. Corpora come from
bench/generate.py (shared with run.py).

    python bench/handbook.py --incremental --incidents 2000 --runbooks 300 --repeat 5

times `sevbook build --no-status` as a user runs it, in fresh processes: a full build
(`--no-cache`) and, after editing one incident's body, a build that reuses the page cache
(`.cache/sevbook/pages/`), each `--repeat` times (a different incident each time), with
wall-clock and user/system CPU (the machine is shared: read the CPU times too). After
each pair it checks that the two handbook trees are byte-identical. Target: the
incremental build under 20 % of the full one.
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from run import SEVBOOK, corpus  # noqa: E402
from run import run_once as run_process  # noqa: E402

CHILD = r"""
import json, logging, sys, time
from collections import defaultdict
from datetime import datetime
from functools import wraps
from pathlib import Path
from mkdocs.commands.build import build
from sevbook.handbook import plugin
from sevbook.handbook.build import load_mkdocs_config, source_date_epoch

timings = defaultdict(float)
inner = defaultdict(float)  # time of the steps timed inside an event, to report the rest


def timed(owner, name, step, within=None):
    # Wrap owner.name so its calls add their seconds to timings[step] (minus nested steps).
    fn = getattr(owner, name)

    @wraps(fn)
    def wrapper(*args, **kwargs):
        before = inner[step]
        t0 = time.perf_counter()
        try:
            return fn(*args, **kwargs)
        finally:
            spent = time.perf_counter() - t0
            timings[step] += spent - (inner[step] - before)
            if within:
                inner[within] += spent

    setattr(owner, name, wrapper)


timed(plugin, "load", "load", within="config")
timed(plugin, "check", "check", within="config")
timed(plugin, "generate_pages", "generate", within="files")
timed(plugin.SevbookPlugin, "on_config", "config")
timed(plugin.SevbookPlugin, "on_files", "files")
timed(plugin.SevbookPlugin, "on_page_markdown", "compose")

logging.getLogger("mkdocs").setLevel(logging.ERROR)
root, out, now = Path(sys.argv[1]), Path(sys.argv[2]), datetime.fromisoformat(sys.argv[3])
t0 = time.perf_counter()
cfg = load_mkdocs_config(root, out, now, strict=True)
with source_date_epoch(now):
    build(cfg)
total = time.perf_counter() - t0
print(json.dumps({"total": total, "plugin": sum(timings.values()), "steps": dict(timings),
                  "pages": sum(1 for _ in out.rglob("index.html"))}))
"""

NOW = "2026-11-22T12:00:00+00:00"


def run_once(root: Path) -> dict:
    with tempfile.TemporaryDirectory(prefix="sevbook-bench-") as out:
        proc = subprocess.run([sys.executable, "-c", CHILD, str(root), out, NOW],
                              capture_output=True, text=True, check=False)
    if proc.returncode != 0:
        sys.exit(f"handbook build failed on {root}:\n{proc.stderr[-3000:]}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


def timed_build(root: Path, trash: Path, *extra: str) -> tuple[float, float, float]:
    """(wall, user CPU, system CPU) of one `sevbook build --no-status` in `root`, the last
    site moved aside first (see run.py: deleting thousands of files slows the next run)."""
    if (root / "site").exists():
        (root / "site").rename(trash / f"site-{len(list(trash.iterdir()))}")
    wall, _, code, user, sys_cpu = run_process(
        [*SEVBOOK, "build", "--no-status", "--now", NOW, *extra], root)
    if code != 0:
        sys.exit(f"sevbook build failed on {root} (exit {code})")
    return wall, user, sys_cpu


def same_tree(a: Path, b: Path) -> bool:
    files_a = sorted(p.relative_to(a) for p in a.rglob("*") if p.is_file())
    files_b = sorted(p.relative_to(b) for p in b.rglob("*") if p.is_file())
    return files_a == files_b and all((a / f).read_bytes() == (b / f).read_bytes()
                                      for f in files_a)


def incremental(root: Path, repeat: int) -> None:
    """Full builds and incremental builds after one edit, alternating; print medians."""
    trash = HERE / "out" / "trash-incremental"
    shutil.rmtree(trash, ignore_errors=True)
    trash.mkdir(parents=True)
    incidents = sorted((root / "incidents").glob("*.md"))
    originals = {p: p.read_bytes() for p in incidents[:repeat]}
    full, inc = [], []
    try:
        timed_build(root, trash)  # fill the cache for the sources as they are
        for i, path in enumerate(originals):
            path.write_bytes(originals[path] + f"\nEdited for run {i}.\n".encode())
            inc.append(timed_build(root, trash))
            kept = trash / f"incremental-{i}"
            (root / "site" / "handbook").rename(kept)
            full.append(timed_build(root, trash, "--no-cache"))
            if not same_tree(kept, root / "site" / "handbook"):
                sys.exit(f"run {i}: the incremental handbook differs from the full build")
            print(f"  run {i}: incremental {inc[-1][0]:.2f}s (user {inc[-1][1]:.2f}s), full "
                  f"{full[-1][0]:.2f}s (user {full[-1][1]:.2f}s), trees identical", flush=True)
    finally:
        for path, data in originals.items():
            path.write_bytes(data)
        shutil.rmtree(trash, ignore_errors=True)
    for label, runs in (("full (--no-cache)", full), ("incremental, 1 edit", inc)):
        walls = [r[0] for r in runs]
        print(f"{label:20} median={statistics.median(walls):6.2f}s min={min(walls):6.2f}s "
              f"max={max(walls):6.2f}s user={statistics.median(r[1] for r in runs):.2f}s "
              f"sys={statistics.median(r[2] for r in runs):.2f}s runs={len(runs)}")
    ratio = statistics.median(r[0] for r in inc) / statistics.median(r[0] for r in full)
    cpu = statistics.median(r[1] for r in inc) / statistics.median(r[1] for r in full)
    print(f"incremental / full: wall {ratio:.1%}, user CPU {cpu:.1%} (target < 20 %); "
          "trees byte-identical in every run")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--incidents", type=int, nargs="+", default=[2000, 4000])
    ap.add_argument("--runbooks", type=int, default=300)
    ap.add_argument("--services", type=int, default=50)
    ap.add_argument("--public-services", type=int, default=20)
    ap.add_argument("--updates", type=int, default=3)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--incremental", action="store_true",
                    help="full vs incremental `sevbook build --no-status` (see above)")
    a = ap.parse_args()
    if a.incremental:
        for n in a.incidents:
            print(f"handbook incidents={n} runbooks={a.runbooks} services={a.services}",
                  flush=True)
            incremental(corpus(n, a.runbooks, a.services, a.public_services, a.updates),
                        a.repeat)
        return
    medians = []
    for n in a.incidents:
        root = corpus(n, a.runbooks, a.services, a.public_services, a.updates)
        runs = [run_once(root) for _ in range(a.repeat)]
        total = statistics.median(r["total"] for r in runs)
        plugin = statistics.median(r["plugin"] for r in runs)
        steps = {k: statistics.median(r["steps"].get(k, 0.0) for r in runs)
                 for k in runs[0]["steps"]}
        medians.append(total)
        print(f"handbook incidents={n:<6} runbooks={a.runbooks:<4} services={a.services:<4} "
              f"pages={runs[0]['pages']:<6} build median={total:6.2f}s plugin median="
              f"{plugin:5.2f}s share={plugin / total:5.1%} runs={a.repeat}")
        print("  plugin steps (median s): "
              + ", ".join(f"{k}={v:.2f}" for k, v in steps.items()))
    for i in range(1, len(medians)):
        print(f"ratio {a.incidents[i]}/{a.incidents[0]} incidents: "
              f"{medians[i] / medians[0]:.2f}x (size ratio {a.incidents[i] / a.incidents[0]:.1f}x,"
              " target <= 2.2x for 2x)")


if __name__ == "__main__":
    main()
