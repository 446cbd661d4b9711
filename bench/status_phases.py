"""Where the status page build spends its time: load+check, then `build_status` alone.

    python bench/status_phases.py --incidents 10000 20000 [--repeat 3]

Each run is a fresh process on the same corpora as `bench/run.py` (bench/out/). Prints the
median wall and CPU seconds of `build_status` (the public view, uptime, every page, feeds,
JSON, calendar, badges, written to disk) next to load+check, and the 2x-size ratio. CPU time
is reported because wall time on a shared machine is dominated by other processes' I/O.
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
from sevbook.build import load_valid
from sevbook.config import load_settings
from sevbook.status.build import build_status
from sevbook.status.public import public_view
root = Path(sys.argv[1])
where = Path(sys.argv[2]) if len(sys.argv) > 2 else root
now = datetime(2026, 11, 22, 12, 0, tzinfo=timezone.utc)
w0, c0 = time.perf_counter(), time.process_time()
hb = load_valid(root, now, load_settings(root))
w1, c1 = time.perf_counter(), time.process_time()
out = Path(tempfile.mkdtemp(dir=where)) / "status"
build_status(public_view(hb, now), out)
w2, c2 = time.perf_counter(), time.process_time()
files = sum(1 for p in out.rglob("*") if p.is_file())
shutil.rmtree(out.parent)
print(json.dumps({"load": w1 - w0, "status": w2 - w1, "status_cpu": c2 - c1, "files": files}))
"""


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--incidents", type=int, nargs="+", default=[10000, 20000])
    ap.add_argument("--runbooks", type=int, default=1000)
    ap.add_argument("--services", type=int, default=200)
    ap.add_argument("--public-services", type=int, default=50)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--out-dir", type=Path, default=None,
                    help="write the site here (e.g. /dev/shm) to separate CPU from disk I/O")
    a = ap.parse_args()
    extra = [str(a.out_dir)] if a.out_dir else []
    medians = []
    for n in a.incidents:
        root = corpus(n, a.runbooks, a.services, a.public_services, 3)
        runs = [json.loads(subprocess.run([sys.executable, "-c", CHILD, str(root), *extra], check=True,
                                          capture_output=True, text=True).stdout)
                for _ in range(a.repeat)]
        med = {k: statistics.median(r[k] for r in runs) for k in ("load", "status", "status_cpu")}
        medians.append(med)
        print(f"status-phases incidents={n:<6} components={a.public_services} "
              f"load+check={med['load']:5.2f}s build_status wall={med['status']:5.2f}s "
              f"cpu={med['status_cpu']:5.2f}s files={runs[0]['files']} runs={a.repeat}")
    for i in range(1, len(medians)):
        for key in ("status", "status_cpu"):
            print(f"ratio {a.incidents[i]}/{a.incidents[0]} {key}: "
                  f"{medians[i][key] / medians[0][key]:.2f}x")


if __name__ == "__main__":
    main()
