"""Speed of the whole extraction (read + structure + spaCy pipeline) against read + structure.

Run by hand: ``.venv/bin/python bench/bench_extract.py [--runs 7] [--segmenters] [FILE…]``.
Builds the pipeline once (start-up, timed apart), then for ``--runs`` interleaved rounds
times read + structure of every file, and ``extract_many`` over the structured plans;
prints medians, the throughput of the pipeline in KB of UTF-8 text per second, and the
median over rounds of (read + structure + extract) / (read + structure), timed in the same
round; the pipeline's throughput is also given per CPU second of this process (the
machine is shared, so wall time depends on the load). ``--segmenters`` also times spaCy's character segmenter against jieba (if
installed) on the same texts: tokenising only, since the pipeline's offsets need
character tokens.
"""

from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path

from extract.read import read
from extract.structure import structure
from kg.resources import corpus_dir


def _segmenters(texts: list[str], runs: int) -> None:
    import spacy

    import extract.components.tokenizer  # noqa: F401  (registers policykg.CharTokenizer)

    cfg = {"nlp": {"tokenizer": {"@tokenizers": "policykg.CharTokenizer"}}}
    nlps = {"char": spacy.blank("zh"), "policykg": spacy.blank("zh", config=cfg)}
    try:
        import jieba  # noqa: F401

        nlps["jieba"] = spacy.blank("zh", config={"nlp": {"tokenizer": {"segmenter": "jieba"}}})
    except ImportError:
        print("jieba is not installed: only the character segmenter was timed")
    for nlp in nlps.values():
        nlp.make_doc(texts[0])  # warm up (jieba loads its dictionary here)
    times: dict[str, list[float]] = {k: [] for k in nlps}
    for _ in range(runs):
        for name, nlp in nlps.items():
            t0 = time.perf_counter()
            for t in texts:
                nlp.make_doc(t)
            times[name].append(time.perf_counter() - t0)
    base = statistics.median(times["char"])
    for name, ts in times.items():
        t = statistics.median(ts)
        print(f"segmenter {name:8s} {1000 * t:8.1f} ms  {t / base:5.2f}x char")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("files", nargs="*", type=Path)
    ap.add_argument("--runs", type=int, default=7)
    ap.add_argument("--segmenters", action="store_true")
    args = ap.parse_args(argv)
    paths = args.files or sorted(corpus_dir().glob("*.txt"))

    t0 = time.perf_counter()
    from extract.pipeline import extract_many, make_nlp

    nlp = make_nlp()
    plans = [structure(read(p)) for p in paths]
    list(extract_many(plans[:1], nlp=nlp))  # lexicons and the division table, once
    startup = time.perf_counter() - t0
    kb = sum(len(p.text.encode("utf-8")) for p in plans) / 1e3

    rs: list[float] = []
    ex: list[float] = []
    cpu: list[float] = []
    ratios: list[float] = []
    for _ in range(args.runs):
        t0 = time.perf_counter()
        plans = [structure(read(p)) for p in paths]
        t1 = time.perf_counter()
        c1 = time.process_time()
        records = list(extract_many(plans, nlp=nlp))
        cpu.append(time.process_time() - c1)
        t2 = time.perf_counter()
        rs.append(t1 - t0)
        ex.append(t2 - t1)
        ratios.append((t2 - t0) / (t1 - t0))
    entities = sum(len(r.entities) for r in records)
    print(f"{len(paths)} files, {kb:.1f} KB of normalised UTF-8 text, {entities} entities, "
          f"medians of {args.runs} interleaved rounds")
    print(f"start-up (import spaCy, build the pipeline, load lexicons): {startup:.2f} s")
    print(f"read + structure          {1000 * statistics.median(rs):8.1f} ms")
    print(f"extract (spaCy pipeline)  {1000 * statistics.median(ex):8.1f} ms  "
          f"{kb / statistics.median(ex):8.0f} KB/s wall, "
          f"{kb / statistics.median(cpu):.0f} KB/s per CPU second")
    print(f"(read + structure + extract) / (read + structure): "
          f"{statistics.median(ratios):.2f}x  (rounds {min(ratios):.2f}–{max(ratios):.2f})")
    if args.segmenters:
        _segmenters([p.text for p in plans], args.runs)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
