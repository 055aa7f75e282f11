"""Speed of read + normalise + structure on the embedded corpus, against one regex pass.

Run by hand: ``.venv/bin/python bench/bench_structure.py [--runs 15] [FILE…]``. Times every
stage once per round over all the files, for ``--runs`` rounds; prints the median CPU time of
each stage, its throughput in MB of UTF-8 text per second, and the median over rounds of its ratio
to a single compiled-regex pass (``finditer`` over runs of CJK characters) over the same
normalised text, timed in the same round.
"""

from __future__ import annotations

import argparse
import re
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

from extract.read import read
from extract.structure import structure
from kg.resources import corpus_dir

_CJK_RUN = re.compile(r"[\u4e00-\u9fff]+")


def _time(fn: Callable[[], object]) -> float:
    # CPU time of this process: "per core" throughput, and on a shared machine it does not
    # count the time spent waiting for a core
    t0 = time.process_time()
    fn()
    return time.process_time() - t0


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("files", nargs="*", type=Path)
    ap.add_argument("--runs", type=int, default=15)
    args = ap.parse_args(argv)
    paths = args.files or sorted(corpus_dir().glob("*.txt"))
    docs = [read(p) for p in paths]
    structure(docs[0])  # load the division table once, as a long-running process would
    mb = sum(len(d.text.encode("utf-8")) for d in docs) / 1e6

    stages: dict[str, Callable[[], object]] = {
        "regex pass": lambda: [sum(1 for _ in _CJK_RUN.finditer(d.text)) for d in docs],
        "structure": lambda: [structure(d) for d in docs],
        "read+normalise": lambda: [read(p) for p in paths],
        "read+normalise+structure": lambda: [structure(read(p)) for p in paths],
    }
    # interleaved rounds: each round times every stage, so a ratio compares like with like
    times: dict[str, list[float]] = {k: [] for k in stages}
    ratios: dict[str, list[float]] = {k: [] for k in stages}
    for _ in range(args.runs):
        this = {name: _time(fn) for name, fn in stages.items()}
        for name, t in this.items():
            times[name].append(t)
            ratios[name].append(t / this["regex pass"])
    print(f"{len(paths)} files, {mb:.3f} MB of normalised UTF-8 text, medians of {args.runs} "
          "interleaved rounds")
    for name in stages:
        t = statistics.median(times[name])
        print(f"{name:26s} {t * 1000:8.1f} ms {mb / t:8.2f} MB/s "
              f"{statistics.median(ratios[name]):6.1f}x regex")
    return 0


if __name__ == "__main__":
    sys.exit(main())
