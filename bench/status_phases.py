"""Where the status page build spends its time: load+check, then each status page's view
and `build_status`.

    python bench/status_phases.py --incidents 10000 20000 [--repeat 3] [--corpus messy]

Each run is a fresh process on the same corpora as `bench/run.py` (bench/out/). Prints the
median wall and CPU seconds of load+check (errors only, as `build --no-handbook` checks),
then for every status page of the corpus's `mkdocs.yml` (the default page, `status_pages`,
the internal page) the CPU seconds of its view (`pages.status_view`: uptime, ids, the
privacy boundary) and of `build_status` (every page, feeds, JSON, calendar, badges,
written to disk), and the 2x-size ratio. CPU time is reported because wall time on a
shared machine is dominated by other processes' I/O.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from run import corpus  # noqa: E402

CHILD = r"""
import json, shutil, sys, tempfile, time
from datetime import datetime, timezone
from pathlib import Path
from sevbook.config import load_settings
from sevbook.load import load
from sevbook.rules import check
from sevbook.status.build import build_status
from sevbook.status.pages import status_view
root = Path(sys.argv[1])
where = Path(sys.argv[2]) if len(sys.argv) > 2 else root
now = datetime(2026, 11, 22, 12, 0, tzinfo=timezone.utc)
w0, c0 = time.perf_counter(), time.process_time()
settings = load_settings(root)
result = load(root, settings)
check(result, now, errors_only=True)
w1, c1 = time.perf_counter(), time.process_time()
out = Path(tempfile.mkdtemp(dir=where))
trees = {}
for n, tree in enumerate(settings.status_trees):
    t0 = time.process_time()
    view = status_view(result.handbook, tree, now)
    t1 = time.process_time()
    build_status(view, out / str(n))
    t2 = time.process_time()
    trees[tree.label] = {"view": t1 - t0, "build": t2 - t1}
w2, c2 = time.perf_counter(), time.process_time()
files = sum(1 for p in out.rglob("*") if p.is_file())
shutil.rmtree(out)
print(json.dumps({"load": w1 - w0, "load_cpu": c1 - c0, "status": w2 - w1,
                  "status_cpu": c2 - c1, "files": files, "trees": trees}))
"""


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--incidents", type=int, nargs="+", default=[10000, 20000])
    ap.add_argument("--runbooks", type=int, default=1000)
    ap.add_argument("--services", type=int, default=200)
    ap.add_argument("--public-services", type=int, default=50)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--corpus", choices=["clean", "messy"], default="clean")
    ap.add_argument("--out-dir", type=Path, default=None,
                    help="write the site here (e.g. /dev/shm) to separate CPU from disk I/O")
    a = ap.parse_args()
    extra = [str(a.out_dir)] if a.out_dir else []
    medians = []
    for n in a.incidents:
        root = corpus(n, a.runbooks, a.services, a.public_services, 3, a.corpus)
        runs = [json.loads(subprocess.run([sys.executable, "-c", CHILD, str(root), *extra],
                                          check=True, capture_output=True, text=True).stdout)
                for _ in range(a.repeat)]
        med = {k: statistics.median(r[k] for r in runs)
               for k in ("load", "load_cpu", "status", "status_cpu")}
        medians.append(med)
        print(f"status-phases {a.corpus} incidents={n:<6} load+check wall={med['load']:5.2f}s "
              f"cpu={med['load_cpu']:5.2f}s status pages wall={med['status']:5.2f}s "
              f"cpu={med['status_cpu']:5.2f}s files={runs[0]['files']} runs={a.repeat}")
        for label in runs[0]["trees"]:
            view = statistics.median(r["trees"][label]["view"] for r in runs)
            build = statistics.median(r["trees"][label]["build"] for r in runs)
            print(f"  {label:32} view cpu={view:5.2f}s build_status cpu={build:5.2f}s")
    for i in range(1, len(medians)):
        for key in ("status", "status_cpu"):
            print(f"ratio {a.incidents[i]}/{a.incidents[0]} {key}: "
                  f"{medians[i][key] / medians[0][key]:.2f}x")


if __name__ == "__main__":
    main()
