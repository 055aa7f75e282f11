"""Benchmark: read + normalise + structure of the five seeds, against one regex pass.

Run by hand (not in CI):

    .venv/bin/python bench/bench_read.py [--runs 7]
    .venv/bin/python bench/bench_read.py --pdf-readers   # pdfplumber vs PyMuPDF quality

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


def _pymupdf_text(data: bytes) -> str:
    """The text of a PDF as PyMuPDF gives it, tables as tab rows (for comparison only)."""
    import pymupdf

    lines: list[str] = []
    with pymupdf.open(stream=data, filetype="pdf") as doc:
        for page in doc:
            tables = page.find_tables().tables
            boxes = [pymupdf.Rect(t.bbox) for t in tables]
            items = []
            for block in page.get_text("dict")["blocks"]:
                for line in block.get("lines", []):
                    rect = pymupdf.Rect(line["bbox"])
                    if any(box.contains(rect) or box.intersects(rect) for box in boxes):
                        continue
                    text = "".join(span["text"] for span in line["spans"])
                    if text.strip():
                        items.append((rect.y0, [text]))
            for t in tables:
                rows = ["\t".join(" ".join((c or "").split()) for c in row if c is not None)
                        for row in t.extract()]
                items.append((t.bbox[1], [r for r in rows if r.strip()]))
            for _, item_lines in sorted(items, key=lambda x: x[0]):
                lines.extend(item_lines)
    return "\n".join(lines)


def pdf_readers() -> None:
    """Read PDFs made from the seeds with both libraries; compare with the .txt reading."""
    sys.path.insert(0, str(ROOT / "tests"))
    from conftest_read import make_pdf

    from extract.formats.pdf import pdf_text
    from extract.model import Document
    from extract.normalise import normalise
    from extract.read import read
    from extract.structure import structure
    from kg.resources import corpus_dir

    def shape(plan):  # noqa: ANN001, ANN202
        return ([(s.kind, s.number, s.title) for s in plan.sections],
                [tuple(c.text for c in r.cells) for t in plan.tables for r in t.rows])

    print("seed  reader      sections equal  table rows equal  seconds")
    for path in sorted(corpus_dir().glob("*.txt")):
        ref = shape(structure(read(path)))
        data = make_pdf(path.read_text(encoding="utf-8"))
        for name, reader in (("pdfplumber", lambda d: pdf_text(d, source="x.pdf")),
                             ("pymupdf", _pymupdf_text)):
            t0 = time.perf_counter()
            raw = reader(data)
            elapsed = time.perf_counter() - t0
            text, offsets = normalise(raw)
            got = shape(structure(Document(text=text, source="x.pdf", sha256="",
                                           original=raw, offsets=offsets, format="pdf")))
            same_rows = sum(a == b for a, b in zip(got[1], ref[1]))
            print(f"{path.name[:3]}   {name:10}  {got[0] == ref[0]!s:5} "
                  f"({len(got[0])}/{len(ref[0])})  {same_rows}/{len(ref[1])}"
                  f"{'' if len(got[1]) == len(ref[1]) else f' (found {len(got[1])})'}"
                  f"  {elapsed:.2f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7, help="runs per measurement (median)")
    parser.add_argument("--pdf-readers", action="store_true",
                        help="compare pdfplumber and PyMuPDF on PDFs made from the seeds")
    args = parser.parse_args()
    if args.pdf_readers:
        pdf_readers()
        return

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
