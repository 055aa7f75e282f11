"""Benchmarks of the comparison area (run by hand, not in CI).

1. ``report``: ``kg report`` on the five seed plans against the SPARQL queries that feed it,
   measured in the same run (the queries alone, then facts + comparison + HTML).
2. ``similarity``: the similarity matrix over a 500-plan synthetic store (``--store`` to use
   another one, e.g. the graph area's synthetic store).
3. ``browser``: the graph page of 2,000 nodes in headless Chromium, from navigation start
   until the layout has settled and the first frame is drawn (``window.kgReadyMs``).

Every figure is the median of ``--runs`` runs (default 5).

    .venv/bin/python bench/bench_compare.py [--runs 5] [--only report,similarity,browser]
        [--graph-synthetic 500]
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def _median(xs: list[float]) -> float:
    return statistics.median(xs)


def _query_seconds(ox) -> float:
    """Seconds the SPARQL queries behind ``compare`` take, each result read to the end
    (the queries ``kg.analysis.facts.load_facts`` runs, with the fill it gives them)."""
    import kg.analysis.facts as facts

    spent = 0.0
    original = facts._rows

    def timed(ox_, name, prefixes, *fill):
        nonlocal spent
        t = time.perf_counter()
        rows = list(original(ox_, name, prefixes, *fill))
        spent += time.perf_counter() - t
        return rows

    facts._rows = timed
    try:
        facts.load_facts(ox)
    finally:
        facts._rows = original
    return spent


def bench_report(runs: int, store: Path | None) -> None:
    from kg.analysis import compare
    from kg.analysis.facts import open_store
    from viz.report import report_html

    tmp = None
    if store is None:
        from kg.api import build

        tmp = tempfile.TemporaryDirectory()
        store = Path(tmp.name) / "policykg.store"
        report = build(store=store)
        assert not report.failed, report.failed
    ox = open_store(store)
    report_html(compare(ox))  # warm-up: imports, caches
    rows = []
    for _ in range(runs):
        queries = _query_seconds(ox)
        t = time.perf_counter()
        html = report_html(compare(ox))
        full = time.perf_counter() - t
        rows.append((queries, full, full / queries))
    queries, full, ratio = (_median([r[k] for r in rows]) for k in range(3))
    print(f"report (5 plans, {len(html) // 1024} KiB): queries {queries:.3f} s, "
          f"report {full:.3f} s, ratio {ratio:.2f}x "
          f"(per run: {', '.join(f'{r[2]:.2f}' for r in rows)})")
    if tmp is not None:
        del ox
        tmp.cleanup()


def synthetic_store(n_plans: int = 500, *, seed: int = 7):
    """An in-memory store of ``n_plans`` plans in the graph model's shape: each mentions
    ~80 items (programs, target groups, themes, policies, institutions) drawn from
    Zipf-distributed pools, and sets targets for ~15 of 60 indicators."""
    import pyoxigraph as ox

    from kg.vocab import PKG, RDF, RDFS, SKOS, XSD, DCTERMS

    rng = random.Random(seed)
    B = "https://policykg.org/"
    pools = {"Program": 4000, "TargetGroup": 120, "Theme": 12, "PolicyDocument": 1500,
             "Institution": 2500}
    per_plan = {"Program": 25, "TargetGroup": 25, "Theme": 8, "PolicyDocument": 12,
                "Institution": 12}
    canon = ox.NamedNode(B + "graph/canonical")
    quads = []
    nn = ox.NamedNode

    def lit(v, dt=None):
        return ox.Literal(str(v), datatype=nn(dt)) if dt else ox.Literal(str(v))

    for kind, size in pools.items():
        for i in range(size):
            e = nn(f"{B}{kind.lower()}/{i}")
            quads.append(ox.Quad(e, nn(SKOS.prefLabel), ox.Literal(f"{kind}{i}", language="zh"),
                                 canon))
    for i in range(60):
        quads.append(ox.Quad(nn(f"{B}indicator/{i}"), nn(SKOS.prefLabel),
                             ox.Literal(f"指标{i}", language="zh"), canon))
    weights = {kind: [1.0 / (i + 1) for i in range(size)] for kind, size in pools.items()}
    for p in range(n_plans):
        g = nn(f"{B}graph/plan/p{p:04d}")
        plan = nn(f"{B}plan/p{p:04d}")
        add = lambda s, pr, o: quads.append(ox.Quad(s, nn(pr), o, g))  # noqa: E731
        add(plan, RDF.type, nn(PKG.Plan))
        add(plan, PKG.docId, lit(f"p{p:04d}"))
        add(plan, DCTERMS.title, ox.Literal(f"规划{p}", language="zh"))
        pos = 0
        for kind, k in per_plan.items():
            chosen = set(rng.choices(range(pools[kind]), weights[kind], k=k))
            for i in sorted(chosen):
                e = nn(f"{B}{kind.lower()}/{i}")
                add(plan, PKG.mentions, e)
                add(e, RDF.type, nn(PKG[kind]))
                add(e, RDFS.label, ox.Literal(f"{kind}{i}", language="zh"))
                for _ in range(rng.randint(1, 3)):
                    m = nn(f"{B}plan/p{p:04d}/mention/{pos}-{pos + 4}")
                    add(e, PKG.evidence, m)
                    add(m, PKG.start, lit(pos, XSD.integer))
                    add(m, PKG.end, lit(pos + 4, XSD.integer))
                    add(m, PKG.snippet, lit(f"{kind}{i}"))
                    pos += 10
        for i in rng.sample(range(60), 15):
            t = nn(f"{B}plan/p{p:04d}/target/{pos}-{pos + 9}")
            add(plan, PKG.hasIndicatorTarget, t)
            add(t, PKG.indicator, nn(f"{B}indicator/{i}"))
            add(t, PKG.rowName, ox.Literal(f"指标{i}", language="zh"))
            add(t, PKG.cumulative, lit("false", XSD.boolean))
            add(t, PKG.value, lit(rng.randint(1, 100), XSD.decimal))
            pos += 10
    store = ox.Store()
    store.bulk_extend(quads)
    return store


def graph_area_synthetic(n_plans: int, folder: Path) -> Path:
    """The graph area's synthetic store (bench/bench_build.py): the seed records
    recombined under ``n_plans`` other cities, built with ``kg.graph.build_records``."""
    sys.path.insert(0, str(ROOT / "bench"))
    from bench_build import seed_records, synthetic

    from kg.graph import build_records

    import dataclasses

    def own_relations(rec):  # synthetic() renames doc_id; drop relations to the old id
        ids = {e.id for e in rec.entities}
        return dataclasses.replace(rec, relations=tuple(
            r for r in rec.relations if r.head in ids and r.tail in ids))

    path = folder / f"synthetic-{n_plans}.store"
    records = [own_relations(r) for r in synthetic(seed_records(), n_plans)]
    report = build_records(records, store=path)
    assert report.ok, report.failed[:3]
    return path


def bench_similarity(runs: int, store: Path | None) -> None:
    from kg.analysis import load_facts, similarity
    from kg.analysis.facts import open_store

    ox = open_store(store) if store else synthetic_store()
    rows: dict[str, list[tuple[float, float]]] = {"jaccard": [], "cosine": []}
    for _ in range(runs):
        for measure, counts in (("jaccard", False), ("cosine", True)):
            t = time.perf_counter()
            facts = load_facts(ox, evidence=False, targets=False, themes=False, counts=counts)
            load = time.perf_counter() - t
            t = time.perf_counter()
            m = similarity(facts, measure=measure)
            rows[measure].append((load, time.perf_counter() - t))
    print(f"similarity ({len(m.plans)} plans, {len(facts.items)} items, "
          f"{len(facts.memberships)} plan-item pairs):")
    for measure, r in rows.items():
        load, matrix = _median([a for a, _ in r]), _median([b for _, b in r])
        total = _median([a + b for a, b in r])
        print(f"  {measure:7s} store reads {load:.3f} s + matrix {matrix:.3f} s = {total:.3f} s "
              f"(per run: {', '.join(f'{a + b:.2f}' for a, b in r)})")


def bench_browser(runs: int, nodes: int = 2000) -> None:
    import networkx as nx
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    from viz.graph import write_graph_page

    rng = random.Random(3)
    g = nx.Graph(plans={f"p{i}": f"规划{i}" for i in range(40)})
    kinds = ["Program", "TargetGroup", "Theme", "PolicyDocument", "Institution", "Indicator"]
    for i in range(40):
        g.add_node(f"p{i}", type="Plan", label=f"规划{i}", plans=[f"p{i}"])
    for j in range(nodes - 40):
        plans = rng.sample(range(40), min(40, int(rng.paretovariate(1.3))))
        g.add_node(f"e{j}", type=rng.choice(kinds), label=f"条目{j}",
                   plans=[f"p{i}" for i in plans], snippet="出处句子" * 5, source="规划 · 第一章")
        for i in plans:
            g.add_edge(f"p{i}", f"e{j}")
    with tempfile.TemporaryDirectory() as tmp:
        page = Path(tmp) / "graph.html"
        t = time.perf_counter()
        write_graph_page(g, page)
        write = time.perf_counter() - t
        size_kib = page.stat().st_size // 1024
        opts = webdriver.ChromeOptions()
        for a in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                  "--proxy-server=http://127.0.0.1:9", "--proxy-bypass-list=<-loopback>"):
            opts.add_argument(a)
        opts.binary_location = "/usr/bin/chromium"
        ready = []
        driver = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=opts)
        try:
            driver.set_window_size(1400, 900)
            for _ in range(runs):
                driver.get(page.as_uri())
                ready.append(driver.execute_async_script(
                    "const done = arguments[arguments.length - 1];"
                    "window.kg.ready.then(ms => done(ms));"))
        finally:
            driver.quit()
    print(f"graph page ({g.number_of_nodes()} nodes, {g.number_of_edges()} edges, "
          f"{size_kib} KiB): written in {write:.2f} s; "
          f"interactive after {_median(ready) / 1000:.2f} s in Chromium "
          f"(per run: {', '.join(f'{r / 1000:.2f}' for r in ready)})")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--only", default="report,similarity,browser")
    ap.add_argument("--corpus-store", type=Path, help="a built store of the five seeds")
    ap.add_argument("--store", type=Path, help="a large store for the similarity bench")
    ap.add_argument("--graph-synthetic", type=int, metavar="N",
                    help="also time the similarity on the graph area's N-plan synthetic store")
    args = ap.parse_args()
    only = set(args.only.split(","))
    if "report" in only:
        bench_report(args.runs, args.corpus_store)
    if "similarity" in only:
        bench_similarity(args.runs, args.store)
        if args.graph_synthetic:
            with tempfile.TemporaryDirectory() as tmp:
                t = time.perf_counter()
                path = graph_area_synthetic(args.graph_synthetic, Path(tmp))
                print(f"graph area's synthetic store: {args.graph_synthetic} plans built in "
                      f"{time.perf_counter() - t:.0f} s")
                bench_similarity(args.runs, path)
    if "browser" in only:
        bench_browser(args.runs)


if __name__ == "__main__":
    main()
