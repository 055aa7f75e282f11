"""Parity: analyst questions get the same answer from SPARQL on the store, from Cypher on
the LadybugDB export and from networkx on the GraphML export of the embedded corpus.

Each question is written three times, in each system's own terms, and the three answers
must be equal and non-empty. One fact is also checked against the documents: 高校毕业生
(college graduates) is a target group of all five plans (read in each seed by hand).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from pathlib import Path

import networkx as nx
import pyoxigraph as ox
import pytest

from conftest_export import open_seed_store
from kg.export import export
from kg.vocab import sparql_prefixes

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def routes(tmp_path_factory: pytest.TempPathFactory):  # noqa: ANN201
    import ladybug

    store = open_seed_store()
    folder = tmp_path_factory.mktemp("parity")
    export(store, folder / "lbug", format="ladybug")
    export(store, folder / "g.graphml", format="graphml")
    db = ladybug.Database(str(folder / "lbug" / "policykg.lbug"), read_only=True)
    conn = ladybug.Connection(db)
    graph = nx.read_graphml(folder / "g.graphml", force_multigraph=True)
    yield store, conn, graph
    conn.close()
    db.close()


def sparql(store: ox.Store, query: str) -> set[tuple]:
    rows = store.query(sparql_prefixes() + query)
    return {tuple(_py(row[v]) for v in rows.variables) for row in rows}


def _py(term: ox.NamedNode | ox.Literal | None):  # noqa: ANN202
    if term is None:
        return None
    if isinstance(term, ox.Literal):
        dt = term.datatype.value.rsplit("#", 1)[-1]
        if dt in ("integer", "int", "long"):
            return int(term.value)
        if dt in ("decimal", "double", "float"):
            return float(term.value)
    return term.value


def cypher(conn, query: str) -> set[tuple]:  # noqa: ANN001
    result = conn.execute(query)
    rows = set()
    while result.has_next():
        rows.add(tuple(result.get_next()))
    return rows


def _nx_edges(g: nx.MultiDiGraph, kind: str, src: str, dst: str):  # noqa: ANN202
    for u, v, d in g.edges(data=True):
        if d["type"] == kind and g.nodes[u]["type"] == src and g.nodes[v]["type"] == dst:
            yield u, v, d


# ---------------------------------------------------------------- the questions


def q1_programs_shared_by_two_plans(store, conn, g) -> tuple[set, set, set]:  # noqa: ANN001
    """Programs mentioned by at least two plans, with how many."""
    a = sparql(store, """
        SELECT ?p (COUNT(DISTINCT ?plan) AS ?n) WHERE {
          GRAPH ?g { ?plan a pkg:Plan ; pkg:mentions ?p . ?p a pkg:Program } }
        GROUP BY ?p HAVING (COUNT(DISTINCT ?plan) >= 2)""")
    b = cypher(conn, """
        MATCH (pl:`Plan`)-[:`MENTIONS`]->(p:`Program`)
        WITH p, count(DISTINCT pl) AS n WHERE n >= 2 RETURN p.`iri`, n""")
    plans = defaultdict(set)
    for u, v, _ in _nx_edges(g, "MENTIONS", "Plan", "Program"):
        plans[v].add(u)
    c = {(p, len(s)) for p, s in plans.items() if len(s) >= 2}
    return a, b, c


def q2_target_groups_per_plan(store, conn, g) -> tuple[set, set, set]:  # noqa: ANN001
    """Each plan's target groups (document id, canonical Chinese label)."""
    a = sparql(store, """
        SELECT ?doc ?label WHERE {
          GRAPH ?g { ?plan a pkg:Plan ; pkg:docId ?doc ; pkg:mentions ?t . ?t a pkg:TargetGroup }
          GRAPH <https://policykg.org/graph/canonical> {
            ?t skos:prefLabel ?label FILTER(LANG(?label) = "zh") } }""")
    b = cypher(conn, """
        MATCH (pl:`Plan`)-[:`MENTIONS`]->(t:`TargetGroup`) RETURN pl.`docId`, t.`label_zh`""")
    c = {(g.nodes[u]["docId"], g.nodes[v]["label_zh"])
         for u, v, _ in _nx_edges(g, "MENTIONS", "Plan", "TargetGroup")}
    return a, b, c


def q3_indicator_targets(store, conn, g) -> tuple[set, set, set]:  # noqa: ANN001
    """Each plan's indicator targets: indicator, value, unit, cumulative flag."""
    a = sparql(store, """
        SELECT ?doc ?i ?v ?u ?c WHERE {
          GRAPH ?g { ?plan a pkg:Plan ; pkg:docId ?doc ; pkg:hasIndicatorTarget ?t .
                     ?t pkg:indicator ?i ; pkg:cumulative ?cum .
                     OPTIONAL { ?t pkg:value ?v } OPTIONAL { ?t pkg:unit ?u } }
          BIND(STR(?cum) AS ?c) }""")
    a = {(d, i, v, u, c == "true") for d, i, v, u, c in a}
    b = cypher(conn, """
        MATCH (pl:`Plan`)-[:`HAS_INDICATOR_TARGET`]->(t:`IndicatorTarget`)
              -[:`HAS_INDICATOR`]->(i:`Indicator`)
        RETURN pl.`docId`, i.`iri`, t.`value`, t.`unit`, t.`cumulative`""")
    c = set()
    for plan, t, _ in _nx_edges(g, "HAS_INDICATOR_TARGET", "Plan", "IndicatorTarget"):
        for _, i, _ in _nx_edges(g.subgraph([t] + list(g.successors(t))), "HAS_INDICATOR",
                                 "IndicatorTarget", "Indicator"):
            d = g.nodes[t]
            c.add((g.nodes[plan]["docId"], i, d.get("value"), d.get("unit"), d["cumulative"]))
    return a, b, c


def q4_indicators_in_several_plans(store, conn, g) -> tuple[set, set, set]:  # noqa: ANN001
    """Indicators with a target in at least two plans, with how many plans."""
    a = sparql(store, """
        SELECT ?i (COUNT(DISTINCT ?g) AS ?n) WHERE {
          GRAPH ?g { ?plan pkg:hasIndicatorTarget ?t . ?t pkg:indicator ?i } }
        GROUP BY ?i HAVING (COUNT(DISTINCT ?g) >= 2)""")
    b = cypher(conn, """
        MATCH (pl:`Plan`)-[:`HAS_INDICATOR_TARGET`]->(:`IndicatorTarget`)
              -[:`HAS_INDICATOR`]->(i:`Indicator`)
        WITH i, count(DISTINCT pl) AS n WHERE n >= 2 RETURN i.`iri`, n""")
    plans = defaultdict(set)
    for plan, t, _ in _nx_edges(g, "HAS_INDICATOR_TARGET", "Plan", "IndicatorTarget"):
        for i in g.successors(t):
            if g.nodes[i]["type"] == "Indicator":
                plans[i].add(plan)
    c = {(i, len(s)) for i, s in plans.items() if len(s) >= 2}
    return a, b, c


def q5_who_targets_whom(store, conn, g) -> tuple[set, set, set]:  # noqa: ANN001
    """Program → target group relations (each relation the plan states), with the plan and
    the offset of the relation's first evidence."""
    a = sparql(store, """
        SELECT ?doc ?h ?t (MIN(?s) AS ?start) WHERE {
          GRAPH ?g { ?plan a pkg:Plan ; pkg:docId ?doc .
                     ?r a pkg:Relation ; pkg:relationType "targets" ; pkg:head ?h ;
                        pkg:tail ?t ; pkg:evidence ?m . ?m pkg:start ?s .
                     ?h a pkg:Program . ?t a pkg:TargetGroup } }
        GROUP BY ?r ?doc ?h ?t""")
    b = cypher(conn, """
        MATCH (h:`Program`)-[r:`TARGETS`]->(t:`TargetGroup`)
        RETURN r.`plan`, h.`iri`, t.`iri`, r.`start`""")
    c = {(d["plan"], u, v, d["start"])
         for u, v, d in _nx_edges(g, "TARGETS", "Program", "TargetGroup")}
    return a, b, c


def q6_themes_per_plan(store, conn, g) -> tuple[set, set, set]:  # noqa: ANN001
    """How many themes each plan touches."""
    a = sparql(store, """
        SELECT ?doc (COUNT(DISTINCT ?t) AS ?n) WHERE {
          GRAPH ?g { ?plan a pkg:Plan ; pkg:docId ?doc ; pkg:mentions ?t . ?t a pkg:Theme } }
        GROUP BY ?doc""")
    b = cypher(conn, """
        MATCH (pl:`Plan`)-[:`MENTIONS`]->(t:`Theme`) RETURN pl.`docId`, count(DISTINCT t)""")
    themes = defaultdict(set)
    for u, v, _ in _nx_edges(g, "MENTIONS", "Plan", "Theme"):
        themes[g.nodes[u]["docId"]].add(v)
    c = {(d, len(s)) for d, s in themes.items()}
    return a, b, c


QUESTIONS: list[Callable] = [q1_programs_shared_by_two_plans, q2_target_groups_per_plan,
                             q3_indicator_targets, q4_indicators_in_several_plans,
                             q5_who_targets_whom, q6_themes_per_plan]


@pytest.mark.parametrize("question", QUESTIONS, ids=lambda q: q.__name__)
def test_three_routes_agree(routes, question: Callable) -> None:  # noqa: ANN001
    by_sparql, by_cypher, by_networkx = question(*routes)
    assert by_sparql, f"{question.__name__}: SPARQL found nothing; the question tests nothing"
    assert by_cypher == by_sparql, f"{question.__name__}: LadybugDB differs from the store"
    assert by_networkx == by_sparql, f"{question.__name__}: GraphML differs from the store"


def test_college_graduates_are_a_target_group_of_every_plan(routes) -> None:  # noqa: ANN001
    # Read in the documents: each of the five seeds names 高校毕业生 as a group it serves.
    for answer in q2_target_groups_per_plan(*routes):
        plans = {doc for doc, label in answer if label == "高校毕业生"}
        assert len(plans) == 5, plans


def test_parity_fixture_is_the_embedded_corpus(routes) -> None:  # noqa: ANN001
    store, _, _ = routes
    plans = sparql(store, "SELECT ?doc WHERE { GRAPH ?g { ?p a pkg:Plan ; pkg:docId ?doc } }")
    stems = {p.stem for p in (Path(__file__).resolve().parents[2] / "data").glob("*.txt")}
    assert {d for (d,) in plans} == stems
