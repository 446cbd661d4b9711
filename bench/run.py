"""Time sevbook commands on synthetic corpora; print medians, peak memory and ratios.

    python bench/run.py check --incidents 10000 20000 --runbooks 1000 --services 200
    python bench/run.py status --incidents 10000 20000 --services 50 --public-services 50
    python bench/run.py handbook --incidents 2000 4000 --runbooks 300
    python bench/run.py report --incidents 10000
    python bench/run.py check --corpus messy --incidents 10000 20000 --repeat 5
    python bench/run.py diff --corpus messy --incidents 10000 --repeat 5
    python bench/run.py check --corpus messy --incidents 10000 --repeat 5 --cached

`--corpus clean` (default) is `generate.py`'s corpus, valid and without warnings; `messy`
is `messy.py`'s: the example's ids, three warnings on every incident (an imported
history). `diff` puts the corpus in git, changes one incident's public title in a second
commit and times `sevbook diff HEAD~1`. Each size gets its own corpus under bench/out/
(made once, reused). Every run is a fresh process, timed wall-clock; peak RSS and user and
system CPU time come from wait4(). The machines are shared and noisy: read medians with
their min/max and the CPU times, and the ratio between sizes for linearity.

Every run reads every file afresh (`--no-cache`), except with `--cached`: one untimed run
fills the content cache (`.cache/sevbook/`), then before each timed run one incident file
is edited (a different one each time), so each run is "check after editing one file";
with `--cached --unchanged` nothing is edited (a check run twice on the same tree).

`--workdir DIR` runs on a copy of each corpus in DIR (made once with `cp -a`, reused), so
the shared corpora under bench/out/ are never written: `diff` commits into its corpus,
`--cached` edits it and fills its `.cache/`, and every build writes `site/` there.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from generate import generate  # noqa: E402
from messy import generate_messy  # noqa: E402

NOW = "2026-11-22T12:00:00Z"
SEVBOOK = [sys.executable, "-m", "sevbook"]

COMMANDS = {
    "check": ["check", "--strict", "--now", NOW],
    "status": ["build", "--no-handbook", "--now", NOW],
    "handbook": ["build", "--no-status", "--now", NOW],
    "build": ["build", "--now", NOW],
    "report": ["report", "--format", "json"],
    "diff": ["diff", "HEAD~1", "--now", NOW],
}
MESSY = {"check": ["check", "--now", NOW]}
"""Commands that differ on the messy corpus (`check --strict` fails on its warnings)."""
GIT = ["git", "-c", "user.email=bench@example.com", "-c", "user.name=bench",
       "-c", "commit.gpgsign=false", "-c", "init.defaultBranch=main"]


def corpus(incidents: int, runbooks: int, services: int, public: int, updates: int,
           kind: str = "clean") -> Path:
    if kind == "messy":
        out = HERE / "out" / f"messy-i{incidents}-r{runbooks}-s{services}"
    else:
        out = HERE / "out" / f"i{incidents}-r{runbooks}-s{services}-p{public}-u{updates}"
    if not (out / ".complete").exists():
        if kind == "messy":
            generate_messy(out, incidents, runbooks, services)
        else:
            generate(out, incidents, runbooks, services, updates, public)
        (out / ".complete").write_text("ok")
    return out


def in_git(root: Path) -> None:
    """Commit the corpus, then change one public incident's public_title in a second commit
    (once per corpus): what `diff HEAD~1` compares."""
    if (root / ".git").exists():
        return
    (root / ".gitignore").write_text("/site/\n/.complete\n")
    subprocess.run([*GIT, "init", "-q"], cwd=root, check=True)
    subprocess.run([*GIT, "add", "-A"], cwd=root, check=True)
    subprocess.run([*GIT, "commit", "-qm", "base"], cwd=root, check=True)
    path = next(p for p in sorted((root / "incidents").glob("*.md"))
                if "\npublic_title: " in p.read_text(encoding="utf-8"))
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("\npublic_title: ", "\npublic_title: Edited ", 1),
                    encoding="utf-8")
    subprocess.run([*GIT, "commit", "-qam", "edit one incident"], cwd=root, check=True)


def copied(root: Path, workdir: Path) -> Path:
    """`root` copied into `workdir` (once: a complete copy is reused)."""
    out = workdir / root.name
    if not out.exists():
        part = workdir / f"{root.name}.part"
        shutil.rmtree(part, ignore_errors=True)
        workdir.mkdir(parents=True, exist_ok=True)
        subprocess.run(["cp", "-a", str(root), str(part)], check=True)
        part.rename(out)
    return out


CACHEABLE = {"check", "status", "handbook", "build", "diff"}
"""Commands that take --no-cache."""


def edit_one(root: Path, i: int) -> None:
    """Change the bytes of the i-th incident file (a trailing line in its body), which
    changes no diagnostic."""
    files = sorted((root / "incidents").glob("2*.md"))
    path = files[(i * 7919) % len(files)]
    with path.open("a", encoding="utf-8") as f:
        f.write(f"\nEdited for the cached benchmark ({i}).\n")


def run_once(argv: list[str], cwd: Path) -> tuple[float, int, int, float, float]:
    """(wall s, peak RSS MB, exit code, user CPU s, system CPU s) of one fresh process."""
    t0 = time.perf_counter()
    proc = subprocess.Popen(argv, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - t0
    proc.returncode = os.waitstatus_to_exitcode(status)
    err = proc.stderr.read().decode() if proc.stderr else ""
    if proc.returncode != 0:
        sys.stderr.write(err[-2000:])
    return wall, usage.ru_maxrss // 1024, proc.returncode, usage.ru_utime, usage.ru_stime


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("command", choices=sorted(COMMANDS))
    ap.add_argument("--incidents", type=int, nargs="+", default=[10000, 20000])
    ap.add_argument("--runbooks", type=int, default=1000)
    ap.add_argument("--services", type=int, default=200)
    ap.add_argument("--public-services", type=int, default=50)
    ap.add_argument("--updates", type=int, default=3)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--corpus", choices=["clean", "messy"], default="clean")
    ap.add_argument("--cached", action="store_true",
                    help="time runs with the content cache filled, each after editing one "
                         "incident (default: every run reads every file, --no-cache)")
    ap.add_argument("--unchanged", action="store_true",
                    help="with --cached: edit nothing between runs")
    ap.add_argument("--workdir", type=Path,
                    help="run on copies of the corpora in this folder (made once), "
                         "leaving bench/out/ untouched")
    ap.add_argument("--keep-site", action="store_true",
                    help="build over the previous run's site (then the time includes "
                         "swapping in the new tree and deleting the old one)")
    a = ap.parse_args()
    medians: list[float] = []
    trash = (a.workdir or HERE / "out") / "trash"
    shutil.rmtree(trash, ignore_errors=True)
    trash.mkdir(parents=True)
    for n in a.incidents:
        root = corpus(n, a.runbooks, a.services, a.public_services, a.updates, a.corpus)
        if a.workdir is not None:
            root = copied(root, a.workdir)
        if a.command == "diff":
            in_git(root)
        argv = (MESSY if a.corpus == "messy" else {}).get(a.command, COMMANDS[a.command])
        if a.command in CACHEABLE and not a.cached:
            argv = [*argv, "--no-cache"]
        elif a.cached:
            run_once(SEVBOOK + argv, root)  # fills the cache
        times, mems, users, syss = [], [], [], []
        for i in range(a.repeat):
            if a.cached and not a.unchanged:
                edit_one(root, i)
            if not a.keep_site and (root / "site").exists():
                # Move the last run's site aside instead of deleting it now: ext4 without a
                # journal skips inodes deleted in the last minutes when it allocates new
                # ones (ialloc.c, recently_deleted), so deleting 5,000 files just before a
                # run makes file creation in that run several times slower. A build on a
                # fresh checkout (CI) never sees that; the trash goes after all runs.
                (root / "site").rename(trash / f"site-{len(list(trash.iterdir()))}")
                os.sync()
            wall, mem, code, user, sys_cpu = run_once(SEVBOOK + argv, root)
            if code != 0:
                sys.exit(f"sevbook {a.command} failed on {root} (exit {code})")
            times.append(wall)
            mems.append(mem)
            users.append(user)
            syss.append(sys_cpu)
        med = statistics.median(times)
        medians.append(med)
        label = a.corpus + ("+cache" if a.cached else "") + ("+same" if a.unchanged else "")
        print(f"{a.command:9} {label:11} incidents={n:<6} runbooks={a.runbooks:<5} "
              f"services={a.services:<4} "
              f"median={med:6.2f}s min={min(times):6.2f}s max={max(times):6.2f}s "
              f"user={statistics.median(users):.2f}s sys={statistics.median(syss):.2f}s "
              f"peak_rss={max(mems)}MB runs={a.repeat}")
        if a.command in ("status", "handbook", "build"):
            (root / "site").rename(trash / f"site-{len(list(trash.iterdir()))}")
    shutil.rmtree(trash, ignore_errors=True)
    for i in range(1, len(medians)):
        ratio = medians[i] / medians[0]
        print(f"ratio {a.incidents[i]}/{a.incidents[0]} incidents: {ratio:.2f}x "
              f"(size ratio {a.incidents[i] / a.incidents[0]:.1f}x)")


if __name__ == "__main__":
    main()
