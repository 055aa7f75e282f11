"""The notebook API: kg.build, kg.open → query, plans, entity, to_networkx, rdflib."""

from __future__ import annotations

import importlib
from pathlib import Path

import pytest
from conftest_graph import *  # noqa: F403

from kg.api import NETWORK_KINDS
from kg.api import open as kg_open
from kg.errors import QueryError, StoreError


def test_public_names_are_lazy_exports() -> None:
    import runpy

    # read kg/__init__.py itself: inside tests/kg, ``import kg`` may find the test folder
    lazy = runpy.run_path(str(ROOT / "kg" / "__init__.py"))["_LAZY"]
    for name in ("build", "open", "build_records", "KnowledgeGraph"):
        module, _, attr = lazy[name].partition(":")
        assert callable(getattr(importlib.import_module(module), attr))


def test_plans(corpus_store: Path, gold) -> None:
    with kg_open(corpus_store) as g:
        plans = g.plans()
    assert [p["doc_id"] for p in plans] == sorted(p["doc_id"] for p in plans)
    assert len(plans) == 5
    by_doc = {p["doc_id"]: p for p in plans}
    for doc, labels in gold.items():  # metadata against the gold labels
        md = labels["metadata"]
        assert by_doc[doc]["region"] == md["region"]
        assert by_doc[doc]["start_year"] == md["start_year"]


def test_query_binds_parameters_and_reports_syntax_errors(corpus_store: Path) -> None:
    with kg_open(corpus_store) as g:
        rows = g.query("SELECT ?t WHERE { ?p a pkg:Plan ; pkg:docId ?doc ; dcterms:title ?t }",
                       doc="004_7f774147c20b4d40")
        assert rows == [{"t": "海宁市人力资源和社会保障事业发展“十四五”规划"}]
        assert g.query("ASK { ?p a pkg:Plan }") is True
        with pytest.raises(QueryError) as err:
            g.query("SELECT * WHERE {\n ?s ?p }")
        assert err.value.lineno == 2


def test_query_refuses_service_and_update_before_running(corpus_store: Path) -> None:
    with kg_open(corpus_store) as g:
        with pytest.raises(QueryError, match="SERVICE <http://127.0.0.1:9/sparql> is refused"):
            g.query("SELECT * WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }")
        with pytest.raises(QueryError, match=r"SPARQL Update \(INSERT\) is refused"):
            g.query("INSERT DATA { <http://e/s> <http://e/p> 1 }")


def test_entity_by_name_and_by_iri(corpus_store: Path) -> None:
    with kg_open(corpus_store) as g:
        e = g.entity("高校毕业生")
        assert e["type"] == "TargetGroup" and len(e["plans"]) == 5
        assert all(m["snippet"] for m in e["mentions"])
        again = g.entity(e["iri"])
        assert again["iri"] == e["iri"] and again["plans"] == e["plans"]
        assert g.entity("不存在的东西") is None


def test_to_networkx(corpus_store: Path) -> None:
    with kg_open(corpus_store) as g:
        bip = g.to_networkx("plan-entity")
        plans = [n for n, d in bip.nodes(data=True) if d["bipartite"] == 0]
        assert len(plans) == 5
        grads = g.entity("高校毕业生")["iri"]
        assert bip.degree(grads) == 5
        ent = g.to_networkx("entity")
        assert ent.nodes[grads]["label"] == "高校毕业生"
        rel = g.to_networkx("relation")
        assert rel.is_directed()
        with pytest.raises(ValueError, match="unknown network kind"):
            g.to_networkx("nope")
    assert NETWORK_KINDS == ("plan-entity", "entity", "relation")


def test_rdflib_dataset_sees_the_named_graphs(corpus_store: Path) -> None:
    import rdflib

    with kg_open(corpus_store) as g:
        ds = g.rdflib()
        names = {str(c.identifier) for c in ds.graphs()}
        assert "https://policykg.org/graph/canonical" in names
        plan_graph = next(n for n in names if "/graph/plan/" in n)
        graph = rdflib.Graph(ds.store, identifier=rdflib.URIRef(plan_graph))
        assert any(True for _ in graph.triples((None, rdflib.RDF.type, None)))


def test_open_missing_store(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="does not exist; build it first"):
        kg_open(tmp_path / "nope")


def test_stats_cli(corpus_store: Path) -> None:
    import json

    result = run_kg("stats", "--store", str(corpus_store), "--json")
    assert result.returncode == 0, result.stderr
    stats = json.loads(result.stdout)
    assert stats["classes"]["Plan"] == 5 and len(stats["plans"]) == 5


def test_resolve_report_cli(tmp_path: Path, seed_paths) -> None:
    result = run_kg("resolve", "--report", str(seed_paths[0]), str(seed_paths[3]))
    assert result.returncode == 0, result.stderr
    assert "merge indicator" in result.stdout and " ← " in result.stdout
    assert "distinct names →" in result.stderr
