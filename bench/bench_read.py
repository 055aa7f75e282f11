"""Benchmark: read + normalise + structure of the five seeds, against one regex pass.

Run by hand (not in CI):

    .venv/bin/python bench/bench_read.py [--runs 7]

Prints, for the embedded corpus, the median time of ``structure(read(path))`` over all
files (MB of file bytes per second, one core), the median time of a single compiled-regex
pass over the same decoded texts in the same run, their ratio, and the median wall time of
``kg --help`` in a fresh process (with a bare interpreter start for scale).
"""

from __future__ import annotations

import argparse
import re
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

# The reference pass: numbers with a unit, what a one-regex "extractor" would look for.
# sample match: "60万人次"
REFERENCE = re.compile(r"(\d+(?:\.\d+)?)\s*(万人次|万人|万元|亿元|%|个|家|人|名)")


def _median(fn, runs: int) -> float:
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7, help="runs per measurement (median)")
    args = parser.parse_args()

    from extract.read import read
    from extract.structure import structure
    from kg.resources import corpus_dir

    paths = sorted(corpus_dir().glob("*.txt"))
    size = sum(p.stat().st_size for p in paths)
    texts = [p.read_text(encoding="utf-8") for p in paths]
    chars = sum(len(t) for t in texts)
    for p in paths:  # warm up: imports, compiled patterns, the division table
        structure(read(p))

    def pipeline() -> None:
        for p in paths:
            structure(read(p))

    def read_only() -> None:
        for p in paths:
            read(p)

    def regex_pass() -> None:
        for t in texts:
            for _ in REFERENCE.finditer(t):
                pass

    t_pipe = _median(pipeline, args.runs)
    t_read = _median(read_only, args.runs)
    t_regex = _median(regex_pass, args.runs)

    def help_once() -> None:
        subprocess.run([sys.executable, "-m", "kg.cli", "--help"], check=True,
                       capture_output=True, cwd=ROOT)

    def bare_python() -> None:
        subprocess.run([sys.executable, "-c", "pass"], check=True, capture_output=True)

    t_help = _median(help_once, args.runs)
    t_python = _median(bare_python, args.runs)

    mb = size / 1e6
    print(f"corpus: {len(paths)} files, {size:,} bytes, {chars:,} characters; "
          f"median of {args.runs} runs")
    print(f"read + normalise + structure: {t_pipe * 1000:7.1f} ms  {mb / t_pipe:6.2f} MB/s")
    print(f"read + normalise only:        {t_read * 1000:7.1f} ms  {mb / t_read:6.2f} MB/s")
    print(f"one compiled-regex pass:      {t_regex * 1000:7.1f} ms  {mb / t_regex:6.2f} MB/s")
    print(f"ratio pipeline / regex:       {t_pipe / t_regex:7.1f}x")
    print(f"kg --help (fresh process):    {t_help * 1000:7.1f} ms  "
          f"(bare `python -c pass`: {t_python * 1000:.1f} ms)")


if __name__ == "__main__":
    main()
