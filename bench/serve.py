"""The live preview at scale: how long after saving an incident `sevbook serve` shows it.

    python bench/serve.py --incidents 2000 --runbooks 300 --repeat 5

Starts `sevbook serve` on a free loopback port on bench/generate.py's corpus (with a fixed
`--now`, so the open-incident banner and the pages that count time do not change between
rebuilds), waits for the first build, then `--repeat` times edits the newest public
incident (its body and its public title) and times, from the save, until the served
handbook page shows the new body and the status page preview's history shows the new
title. Prints each time and the median with min/max, and the CPU time the serve process
spent meanwhile (from /proc; the machine is shared, so wall-clock depends on the load).
Target: under 3 s at 2,000 incidents. `--no-cache` measures the preview rebuilding every
page; `--root DIR` serves an existing corpus folder (a copy, say) instead of the generated
one; `--body-only` edits only the body (what no status page shows: the preview then
renders no status page again, and the time is until the handbook page shows it). The last
line gives the load average, since wall-clock depends on it.
"""

from __future__ import annotations

import argparse
import os
import signal
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from run import NOW, SEVBOOK, corpus  # noqa: E402


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def shows(url: str, needle: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=5) as r:
            return needle in r.read().decode("utf-8")
    except OSError:
        return False


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of process `pid` so far (Linux /proc)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def wait(urls: dict[str, str], since: float, limit: float) -> float:
    """Seconds from `since` until every url shows its needle."""
    pending = dict(urls)
    while pending:
        if time.perf_counter() - since > limit:
            sys.exit(f"not shown within {limit:.0f} s: {sorted(pending)}")
        pending = {u: n for u, n in pending.items() if not shows(u, n)}
        if pending:
            time.sleep(0.05)
    return time.perf_counter() - since


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--incidents", type=int, default=2000)
    ap.add_argument("--runbooks", type=int, default=300)
    ap.add_argument("--services", type=int, default=50)
    ap.add_argument("--public-services", type=int, default=20)
    ap.add_argument("--updates", type=int, default=3)
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--no-cache", action="store_true")
    ap.add_argument("--root", type=Path, default=None)
    ap.add_argument("--body-only", action="store_true")
    a = ap.parse_args()
    root = a.root or corpus(a.incidents, a.runbooks, a.services, a.public_services, a.updates)
    path = sorted(p for p in (root / "incidents").glob("*.md")
                  if "\npublic: true\n" in p.read_text(encoding="utf-8"))[-1]
    original = path.read_text(encoding="utf-8")
    title = next(line for line in original.splitlines() if line.startswith("public_title: "))
    port = free_port()
    base = f"http://127.0.0.1:{port}/"
    page = f"{base}incidents/{path.stem}/"
    argv = [*SEVBOOK, "serve", "--root", str(root), "--port", str(port), "--now", NOW]
    proc = subprocess.Popen(argv + (["--no-cache"] if a.no_cache else []),
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            start_new_session=True)
    times, cpus = [], []
    try:
        t0 = time.perf_counter()
        first = wait({page: "<h1", f"{base}status/history/": "<h1"}, t0, 1200)
        print(f"first build served after {first:.1f} s")
        for i in range(a.repeat):
            time.sleep(2)  # let the watcher settle after the last rebuild
            marker = f"Serve edit {i} {time.time_ns()}"
            text = original if a.body_only else \
                original.replace(title, f"public_title: {marker} title", 1)
            text = text.rstrip("\n") + f"\n\n{marker} body.\n"
            needles = {page: f"{marker} body."}
            if not a.body_only:
                needles[f"{base}status/history/"] = f"{marker} title"
            since, cpu = time.perf_counter(), cpu_seconds(proc.pid)
            path.write_text(text, encoding="utf-8")
            took = wait(needles, since, 600)
            times.append(took)
            cpus.append(cpu_seconds(proc.pid) - cpu)
            shown = "handbook page shows" if a.body_only else "handbook page and status page show"
            print(f"edit {i}: {shown} it after {took:.2f} s "
                  f"(serve CPU {cpus[-1]:.2f} s)")
    finally:
        path.write_text(original, encoding="utf-8")
        os.killpg(proc.pid, signal.SIGINT)
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
    print(f"serve incidents={a.incidents} cache={'off' if a.no_cache else 'on'} "
          f"edit={'body' if a.body_only else 'title+body'} "
          f"median={statistics.median(times):.2f}s min={min(times):.2f}s "
          f"max={max(times):.2f}s cpu median={statistics.median(cpus):.2f}s "
          f"runs={len(times)} (target < 3 s) load average "
          + " ".join(f"{x:.1f}" for x in os.getloadavg()))


if __name__ == "__main__":
    main()
