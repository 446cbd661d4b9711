"""`sevbook serve`'s rebuilds in one process, without the HTTP server and file watcher:
how long each of many edits takes to rebuild, and whether that grows from edit to edit.

    python bench/serve_rebuilds.py --incidents 2000 --runbooks 300 --edits 12

Builds a `Preview` of a copy of bench/generate.py's corpus (or `--root DIR`, used as it
is), then `--edits` times changes the newest public incident's public title and body and
rebuilds, printing each rebuild's wall-clock and CPU time and the median with min/max.
`bench/serve.py` times the same from the save to the served pages (watcher included);
this one shows the rebuild alone and its trend over a longer session.
"""

from __future__ import annotations

import argparse
import logging
import shutil
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from run import corpus  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--incidents", type=int, default=2000)
    ap.add_argument("--runbooks", type=int, default=300)
    ap.add_argument("--edits", type=int, default=12)
    ap.add_argument("--root", type=Path, default=None)
    a = ap.parse_args()
    from sevbook.handbook.serve import Preview

    logging.getLogger("mkdocs").setLevel(logging.ERROR)
    work = None
    if a.root is None:
        work = Path(tempfile.mkdtemp(prefix="sevbook-bench-"))
        root = work / "corpus"
        shutil.copytree(corpus(a.incidents, a.runbooks, 50, 20, 3), root,
                        ignore=shutil.ignore_patterns(".cache", "site", ".complete"))
    else:
        root = a.root
    try:
        p = Preview(root, "127.0.0.1", 0, datetime(2026, 11, 22, 12, tzinfo=UTC), True)
        config = p.config()
        config.plugins.on_startup(command="serve", dirty=False)
        t = time.perf_counter()
        p.build(config)
        print(f"first build {time.perf_counter() - t:.2f} s", flush=True)
        target = [f for f in sorted((root / "incidents").rglob("*.md"))
                  if "\npublic: true" in f.read_text(encoding="utf-8")][-1]
        walls = []
        for i in range(a.edits):
            text = target.read_text(encoding="utf-8")
            target.write_text(text.replace("\npublic_title: ", f"\npublic_title: E{i} ", 1)
                              + f"\nEdited for the benchmark ({i}).\n", encoding="utf-8")
            t, c = time.perf_counter(), time.process_time()
            p.build()
            walls.append(time.perf_counter() - t)
            print(f"edit {i}: rebuild {walls[-1]:.2f} s, CPU {time.process_time() - c:.2f} s",
                  flush=True)
        print(f"serve rebuilds incidents={a.incidents} median={statistics.median(walls):.2f}s "
              f"min={min(walls):.2f}s max={max(walls):.2f}s first={walls[0]:.2f}s "
              f"last={walls[-1]:.2f}s edits={a.edits}")
        getattr(p, "wait_removals", lambda: None)()  # (older sevbooks: threads)
        shutil.rmtree(p.folder, ignore_errors=True)
    finally:
        if work is not None:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
