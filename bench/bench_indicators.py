"""Speed of indicator extraction (tables and prose goals) against the structure stage.

Run by hand: ``.venv/bin/python bench/bench_indicators.py [--runs 15] [FILE…]``. Reads the
files once, then for ``--runs`` interleaved rounds times ``structure`` and
``extract_indicators`` over all of them; prints each stage's median time, its throughput
in MB of UTF-8 text per second, and the median over rounds of the ratio of indicator
extraction to structuring, timed in the same round.
"""

from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path

from extract.indicators import extract_indicators
from extract.read import read
from extract.structure import structure
from kg.resources import corpus_dir


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("files", nargs="*", type=Path)
    ap.add_argument("--runs", type=int, default=15)
    args = ap.parse_args(argv)
    paths = args.files or sorted(corpus_dir().glob("*.txt"))
    docs = [read(p) for p in paths]
    plans = [structure(d) for d in docs]
    extract_indicators(plans[0])  # load the indicator lexicon once, as a process would
    mb = sum(len(d.text.encode("utf-8")) for d in docs) / 1e6
    rows = sum(len(extract_indicators(p)[0]) for p in plans)
    times: dict[str, list[float]] = {"structure": [], "extract_indicators": []}
    ratios: list[float] = []
    for _ in range(args.runs):
        t0 = time.perf_counter()
        for d in docs:
            structure(d)
        t1 = time.perf_counter()
        for p in plans:
            extract_indicators(p)
        t2 = time.perf_counter()
        times["structure"].append(t1 - t0)
        times["extract_indicators"].append(t2 - t1)
        ratios.append((t2 - t1) / (t1 - t0))
    print(f"{len(paths)} files, {mb:.3f} MB of normalised UTF-8 text, {rows} indicator rows, "
          f"medians of {args.runs} interleaved rounds")
    for name, ts in times.items():
        t = statistics.median(ts)
        print(f"{name:20s} {1000 * t:8.1f} ms  {mb / t:7.2f} MB/s")
    print(f"extract_indicators / structure: {statistics.median(ratios):.3f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
