"""Benchmark ``kg export`` against the floors it is built on (run by hand, not in CI).

* each RDF export of a store vs pyoxigraph's own ``Store.dump`` of the same store to the
  same format (for Turtle and N-Triples, which have no named graphs, the dump of every
  graph in turn, since ``dump`` writes one graph at a time in those formats);
* the LadybugDB export (projection + CSV + schema + COPY FROM) vs LadybugDB's raw
  ``COPY FROM`` of the same CSV files into a fresh database (schema creation timed apart);
* for information, the other property-graph exports and the projection alone.

Every figure is the median of ``--runs`` runs; baseline and export alternate within each
run, so the ratios compare like with like on a noisy machine.

Usage: .venv/bin/python bench/bench_export.py [--store DIR] [--runs 5]
(without --store, the embedded corpus is built into a temporary store first)
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import pyoxigraph as ox

from kg.export import FORMATS, export
from kg.export.ladybug import copy_statements, schema_statements, write_csvs
from kg.export.propgraph import project
from kg.export.rdf import RDF_FORMATS


def _timed(fn: Callable[[], object]) -> float:
    started = time.perf_counter()
    fn()
    return time.perf_counter() - started


def _dump(store: ox.Store, out: Path, fmt: ox.RdfFormat) -> None:
    if fmt.supports_datasets:
        store.dump(str(out), fmt)
        return
    with out.open("wb") as handle:
        for graph in [ox.DefaultGraph(), *store.named_graphs()]:
            store.dump(handle, fmt, from_graph=graph)


def _raw_copy(path: Path, ddl: list[str], copy: list[str]) -> tuple[float, float]:
    """Seconds to create the schema, then seconds to run the COPY FROM statements."""
    import ladybug

    db = ladybug.Database(str(path))
    conn = ladybug.Connection(db)
    try:
        schema = _timed(lambda: [conn.execute(s) for s in ddl])
        copying = _timed(lambda: [conn.execute(s) for s in copy])
    finally:
        conn.close()
        db.close()
    return schema, copying


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--store", type=Path, help="a store built by `kg build`")
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args(argv)

    work = Path(tempfile.mkdtemp(prefix="bench-export-"))
    try:
        store_path = args.store
        if store_path is None:
            from kg.graph import build

            store_path = work / "store"
            print("building the embedded corpus …", file=sys.stderr)
            build(None, store=store_path)
        store = ox.Store.read_only(str(store_path))
        print(f"store {store_path}: {len(store)} quads, "
              f"{sum(1 for _ in store.named_graphs())} named graphs; "
              f"median of {args.runs} runs\n")

        print(f"{'format':10} {'dump s':>8} {'export s':>9} {'ratio':>6}")
        for name, fmt in RDF_FORMATS.items():
            base, ours = [], []
            for i in range(args.runs):
                base.append(_timed(lambda: _dump(store, work / f"dump{i}", fmt)))
                ours.append(_timed(lambda: export(store, work / f"ours{i}", format=name)))
            b, o = statistics.median(base), statistics.median(ours)
            print(f"{name:10} {b:8.3f} {o:9.3f} {o / b:6.2f}")

        print()
        proj = [_timed(lambda: project(store)) for _ in range(args.runs)]
        print(f"projection alone: {statistics.median(proj):.3f} s")
        pg = project(store)
        print(f"  {len(pg.nodes)} nodes, {len(pg.edges)} edges, {len(pg.labels())} labels, "
              f"{len(pg.edge_types())} edge types")
        for name in ("graphml", "gexf", "neo4j"):
            t = [_timed(lambda: export(store, work / f"{name}{i}{FORMATS[name].suffix}",
                                       format=name)) for i in range(args.runs)]
            print(f"{name} export: {statistics.median(t):.3f} s")

        print()
        ddl = schema_statements(pg)
        copies, schemas, ours = [], [], []
        for i in range(args.runs):
            csv_dir = work / f"csv{i}"
            copy = copy_statements(write_csvs(pg, csv_dir), csv_dir)
            schema_s, copy_s = _raw_copy(work / f"raw{i}.lbug", ddl, copy)
            schemas.append(schema_s)
            copies.append(copy_s)
            ours.append(_timed(lambda: export(store, work / f"lbug{i}", format="ladybug")))
        c, s, o = (statistics.median(x) for x in (copies, schemas, ours))
        print(f"LadybugDB raw COPY FROM of the CSVs: {c:.3f} s (schema creation {s:.3f} s)")
        print(f"LadybugDB export (projection + CSV + schema + COPY): {o:.3f} s")
        print(f"ratio export / raw COPY FROM: {o / c:.2f}   "
              f"export / (schema + COPY): {o / (c + s):.2f}")
        return 0
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
