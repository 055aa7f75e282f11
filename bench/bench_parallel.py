"""``kg extract -j N``: speed-up of N worker processes over one, on 50 plan documents.

Makes 50 documents (ten renamed copies of each seed plan), then runs the whole command
``kg extract DIR -j 1`` and ``kg extract DIR -j N`` in turn (A B A B …, so a drift in the
machine's speed hits both alike), and reports the median wall time of each, the median
of the per-pair ratios, and whether the outputs are byte-identical.

A run pays a fixed start-up (Python, importing spaCy, building the pipeline: about 0.6 s;
with ``-j N`` the parent reads and structures meanwhile) that more processes cannot
divide. So the same pairs also run on 100 documents, and the difference between the two
sizes (the time the 50 extra documents cost once everything is loaded) gives the
steady-state speed-up.

It also counts the CPU time of every process a run starts (on Linux this process becomes
a child subreaper, so the fork server and its workers, which outlive or are not children
of ``kg``, are reaped here and counted). With C cores, a run of CPU time T cannot take
less than T / C of wall time, so ``wall(-j 1) × C / cpu(-j N)`` bounds the whole-command
speed-up, however well the work is spread.

    .venv/bin/python bench/bench_parallel.py --runs 5 --jobs 2
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
KG = [sys.executable, "-m", "kg.cli"]


def corpus(folder: Path, copies: int) -> list[Path]:
    seeds = sorted((ROOT / "data").glob("*.txt"))
    out = []
    for i in range(copies):
        for seed in seeds:
            target = folder / f"{i:02d}_{seed.name}"
            shutil.copyfile(seed, target)
            out.append(target)
    return out


def _subreaper() -> bool:
    """Make this process reap (and count) the orphans of the runs: Linux only."""
    try:
        import ctypes

        return ctypes.CDLL(None).prctl(36, 1, 0, 0, 0) == 0  # PR_SET_CHILD_SUBREAPER
    except (OSError, AttributeError):
        return False


def _children_cpu() -> float:
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime


def run(folder: Path, jobs: int) -> tuple[float, float, bytes]:
    """Wall time, CPU time of all the processes of the run, and its output."""
    cpu0 = _children_cpu()
    t0 = time.perf_counter()
    done = subprocess.run([*KG, "extract", str(folder), "-j", str(jobs)], capture_output=True,
                          check=True, cwd=ROOT)
    wall = time.perf_counter() - t0
    while True:  # the fork server outlives `kg` by a moment: reap it (and count it)
        try:
            os.wait()
        except ChildProcessError:
            break
    return wall, _children_cpu() - cpu0, done.stdout


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--copies", type=int, default=10, help="copies of each seed (10 → 50 documents)")
    args = ap.parse_args()
    med = statistics.median
    counted = _subreaper()
    with tempfile.TemporaryDirectory() as small, tempfile.TemporaryDirectory() as big:
        docs = corpus(Path(small), args.copies)
        corpus(Path(big), 2 * args.copies)
        size = sum(p.stat().st_size for p in docs)
        run(Path(small), 1)  # warm-up: page cache, byte-compiled modules
        t = {(j, d): [] for j in (1, args.jobs) for d in ("small", "big")}
        ratios, marginal, same = [], [], True
        cpu: dict[int, list[float]] = {1: [], args.jobs: []}
        bounds = []
        cores = min(args.jobs, os.cpu_count() or 1)
        for _ in range(args.runs):
            a, cpu_a, out_a = run(Path(small), 1)
            b, cpu_b, out_b = run(Path(small), args.jobs)
            a2, _, _ = run(Path(big), 1)
            b2, _, _ = run(Path(big), args.jobs)
            cpu[1].append(cpu_a)
            cpu[args.jobs].append(cpu_b)
            bounds.append(a * cores / cpu_b)
            for key, value in (((1, "small"), a), ((args.jobs, "small"), b),
                               ((1, "big"), a2), ((args.jobs, "big"), b2)):
                t[key].append(value)
            ratios.append(a / b)
            marginal.append((a2 - a) / (b2 - b))
            same &= out_a == out_b
    n = len(docs)
    print(f"{n} documents, {size / 1e6:.2f} MB; medians of {args.runs} paired runs")
    print(f"kg extract -j 1   {n} docs {med(t[1, 'small']):6.2f} s   {2 * n} docs "
          f"{med(t[1, 'big']):6.2f} s")
    print(f"kg extract -j {args.jobs}   {n} docs {med(t[args.jobs, 'small']):6.2f} s   "
          f"{2 * n} docs {med(t[args.jobs, 'big']):6.2f} s")
    print(f"whole-command speed-up, {n} docs:  {med(ratios):.2f}x "
          f"(pairs {min(ratios):.2f}–{max(ratios):.2f})")
    print(f"steady-state speed-up (the extra {n} docs): {med(marginal):.2f}x "
          f"(pairs {min(marginal):.2f}–{max(marginal):.2f})")
    if counted:
        print(f"CPU time of all processes, {n} docs: -j 1 {med(cpu[1]):.2f} s, "
              f"-j {args.jobs} {med(cpu[args.jobs]):.2f} s "
              f"({med(cpu[args.jobs]) / med(cpu[1]):.2f}x)")
        print(f"bound on the whole-command speed-up on {cores} cores "
              f"(wall -j 1 x {cores} / cpu -j {args.jobs}): {med(bounds):.2f}x")
    print(f"outputs byte-identical (-j 1 vs -j {args.jobs}): {same}")


if __name__ == "__main__":
    main()
