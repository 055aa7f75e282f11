"""Time every library query (queries/*.rq) on the embedded corpus and on a 500-plan store.

Usage::

    .venv/bin/python bench/bench_query.py --runs 21                # embedded corpus only
    .venv/bin/python bench/bench_query.py --runs 7 --synthetic 500 # and a 500-plan store

The corpus is built with ``kg.build`` into a temporary folder (or give ``--store``). The
500-plan store is derived from it: each of the five plan graphs is copied 100 times under
new plan IRIs; in each copy, programs, cited policies and institutions are spread over 20
variants of their canonical IRI (so a program is shared by ~25 plans, not all 500), while
target groups, themes, regions and indicators keep theirs. A query's time is the median of
``--runs`` runs of parse + evaluate + serialise to SPARQL JSON (what the endpoint does).
"""

from __future__ import annotations

import argparse
import hashlib
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

PARAMS = {"entity_mentions": {"name": ["马兰花"]}, "region_changes": {"region": ["苏州市"]},
          "entity_search": {"q": ["malanhua"]}}
SPREAD = ("/program/", "/policy/", "/institution/")


def build_corpus(folder: Path) -> Path:
    from kg.api import build

    path = folder / "corpus.store"
    report = build(store=path)
    assert not report.failed, report.failed
    return path


def synthetic_store(corpus: Path, folder: Path, *, plans: int = 500, variants: int = 20
                    ) -> Path:
    """Copy the corpus's plan graphs until there are ``plans`` plans (see module doc)."""
    import pyoxigraph as ox

    src = ox.Store.read_only(str(corpus))
    graphs = sorted(g.value for g in src.named_graphs() if "/graph/plan/" in g.value)
    copies = plans // len(graphs)
    out = folder / f"synthetic-{plans}.store"
    dest = ox.Store(str(out))
    canonical = [q for q in src if q.graph_name.value.endswith("/graph/canonical")
                 or q.graph_name.value.endswith("/graph/ontology")]

    def variant(term, k: int):
        if isinstance(term, ox.NamedNode) and any(s in term.value for s in SPREAD) \
                and "/plan/" not in term.value:
            h = int(hashlib.sha256(f"{term.value}|{k}".encode()).hexdigest()[:8], 16)
            return ox.NamedNode(f"{term.value}-v{h % variants}")
        return term

    batch: list = []
    for graph in graphs:
        quads = list(src.quads_for_pattern(None, None, None, ox.NamedNode(graph)))
        doc = graph.rsplit("/", 1)[1]
        for k in range(copies):
            new_doc = f"{doc}-c{k:03d}"

            def move(term):
                if isinstance(term, ox.NamedNode) and f"/plan/{doc}" in term.value:
                    return ox.NamedNode(term.value.replace(f"/plan/{doc}", f"/plan/{new_doc}"))
                return variant(term, k)

            g = ox.NamedNode(graph.replace(doc, new_doc))
            for q in quads:
                obj = q.object
                if isinstance(obj, ox.Literal) and q.predicate.value.endswith("#docId"):
                    obj = ox.Literal(new_doc)
                batch.append(ox.Quad(move(q.subject), q.predicate, move(obj), g))
    for q in canonical:  # labels for every variant of a spread entity
        batch.append(q)
        if any(s in q.subject.value for s in SPREAD):
            for v in range(variants):
                batch.append(ox.Quad(ox.NamedNode(f"{q.subject.value}-v{v}"), q.predicate,
                                     q.object, q.graph_name))
    dest.bulk_extend(batch)
    dest.flush()
    dest.optimize()
    del dest, src
    return out


def time_queries(store_path: Path, runs: int, *, one_plan: bool = False
                 ) -> dict[str, tuple[float, int]]:
    """Median seconds and size of the SPARQL JSON answer of every library query.

    With ``one_plan``, only the queries taking an optional ``?plan`` are timed, bound to
    the first plan (how an analyst lists one plan's programs or targets).
    """
    import pyoxigraph as ox

    from kg.query import load_library, run_query

    store = ox.Store.read_only(str(store_path))
    first_plan = min(r["p"].value for r in store.query(
        "SELECT ?p WHERE { GRAPH ?g { ?p a <https://policykg.org/ontology#Plan> } }"))
    out = {}
    for name, q in load_library().items():
        params = dict(PARAMS.get(name, {}))
        if one_plan:
            if not any(p.name == "plan" for p in q.params):
                continue
            params["plan"] = [first_plan]
        times = []
        size = 0
        for _ in range(runs):
            t0 = time.perf_counter()
            result = run_query(store, q, params=params, use_default_graph_as_union=False)
            body = result.serialize(format=ox.QueryResultsFormat.JSON)
            times.append(time.perf_counter() - t0)
            size = len(body)
        out[name] = (statistics.median(times), size)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=21)
    parser.add_argument("--store", type=Path, help="an already built corpus store")
    parser.add_argument("--synthetic", type=int, default=0, help="also time on N plans")
    parser.add_argument("--synthetic-store", type=Path,
                        help="a synthetic store made before (skips making one)")
    args = parser.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="bench-query-"))
    try:
        corpus = args.store or build_corpus(tmp)
        results = {"corpus": time_queries(corpus, args.runs)}
        if args.synthetic:
            t0 = time.perf_counter()
            synth = args.synthetic_store or synthetic_store(corpus, tmp, plans=args.synthetic)
            import pyoxigraph as ox

            n = len(ox.Store.read_only(str(synth)))
            print(f"synthetic store: {args.synthetic} plans, {n} quads, made in "
                  f"{time.perf_counter() - t0:.1f} s")
            results["synthetic"] = time_queries(synth, max(5, args.runs // 3))
            results["one"] = time_queries(synth, max(5, args.runs // 3), one_plan=True)
        print(f"{'query':34} {'corpus ms':>10}" + (
            f" {'N plans ms':>11} {'JSON kB':>8} {'one plan ms':>12}" if args.synthetic else ""))
        for name in sorted(results["corpus"]):
            line = f"{name:34} {results['corpus'][name][0] * 1000:10.1f}"
            if args.synthetic:
                ms, size = results["synthetic"][name]
                one = results["one"].get(name)
                line += f" {ms * 1000:11.1f} {size / 1000:8.0f}" + (
                    f" {one[0] * 1000:12.1f}" if one else "")
            print(line)
        worst = max(v[0] for v in results["corpus"].values())
        print(f"slowest on the corpus: {worst * 1000:.1f} ms (target < 100 ms)")
        if args.synthetic:
            worst = max(v[0] for v in results["synthetic"].values())
            print(f"slowest on {args.synthetic} plans: {worst * 1000:.1f} ms (target < 1000 ms)")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
