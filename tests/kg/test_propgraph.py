"""The property-graph projection on tiny graphs with hand-checkable answers, and on the
crafted two-plan store (tests/kg/conftest_export.py), whose facts are written by hand."""

from __future__ import annotations

import pyoxigraph as ox
import pytest

from conftest_export import (ALPHA, ALPHA_PROGRAM, INDICATOR, INSTITUTION, NASTY, PROVINCE,
                             REGION_A, SHARED_PROGRAM, TARGET_GROUP, crafted_store)
from kg.export.propgraph import PropType, project, to_networkx
from kg.vocab import PKG, RDF, RDFS, SKOS, XSD

B = "https://policykg.org/"
G1 = ox.NamedNode(B + "graph/plan/p1")


def _q(s: str, p: str, o: ox.NamedNode | ox.Literal | str, g: ox.NamedNode = G1) -> ox.Quad:
    obj = ox.NamedNode(o) if isinstance(o, str) else o
    return ox.Quad(ox.NamedNode(s), ox.NamedNode(p), obj, g)


def _store(*quads: ox.Quad) -> ox.Store:
    store = ox.Store()
    store.extend(quads)
    return store


def _plan(doc: str = "p1", g: ox.NamedNode = G1) -> list[ox.Quad]:
    return [_q(B + "plan/" + doc, RDF.type, PKG.Plan, g),
            _q(B + "plan/" + doc, PKG.docId, ox.Literal(doc), g)]


def test_typed_resources_become_nodes_labelled_by_class() -> None:
    pg = project(_store(*_plan(), _q(B + "x", RDF.type, PKG.Program),
                        _q(B + "x", PKG.programKind, ox.Literal("计划", language="zh"))))
    assert [(n.id, n.label) for n in pg.nodes] == [(B + "plan/p1", "Plan"), (B + "x", "Program")]
    x = pg.nodes[1]
    assert x.get("programKind") == "计划" and x.get("plans") == ("p1",)
    assert pg.node_schema["Program"] == {"iri": PropType.STRING, "plans": PropType.STRING_LIST,
                                         "programKind": PropType.STRING}


def test_untyped_resources_and_iri_links_to_them_are_left_out() -> None:
    pg = project(_store(*_plan(), _q(B + "plan/p1", PKG.region, B + "nowhere")))
    assert [n.label for n in pg.nodes] == ["Plan"]
    assert pg.edges == ()


def test_literals_keep_their_types() -> None:
    t = B + "t"
    pg = project(_store(*_plan(), _q(t, RDF.type, PKG.IndicatorTarget),
                        _q(t, PKG.value, ox.Literal("2.5", datatype=ox.NamedNode(XSD.decimal))),
                        _q(t, PKG.targetYear, ox.Literal("2025", datatype=ox.NamedNode(XSD.integer))),
                        _q(t, PKG.cumulative, ox.Literal("false", datatype=ox.NamedNode(XSD.boolean))),
                        _q(t, "http://purl.org/dc/terms/issued",
                           ox.Literal("2021-01-02", datatype=ox.NamedNode(XSD.date)))))
    node = next(n for n in pg.nodes if n.label == "IndicatorTarget")
    assert (node.get("value"), node.get("targetYear"), node.get("cumulative"),
            node.get("issued")) == (2.5, 2025, False, "2021-01-02")
    assert pg.node_schema["IndicatorTarget"]["issued"] == PropType.DATE


def test_a_malformed_number_stays_a_string() -> None:
    t = B + "t"
    pg = project(_store(*_plan(), _q(t, RDF.type, PKG.IndicatorTarget),
                        _q(t, PKG.value, ox.Literal("about 3", datatype=ox.NamedNode(XSD.decimal)))))
    node = next(n for n in pg.nodes if n.label == "IndicatorTarget")
    assert node.get("value") == "about 3"


def test_labels_prefer_skos_preflabel_by_language() -> None:
    x = B + "x"
    pg = project(_store(*_plan(), _q(x, RDF.type, PKG.Program),
                        _q(x, RDFS.label, ox.Literal("印刷名", language="zh")),
                        _q(x, SKOS.prefLabel, ox.Literal("规范名", language="zh")),
                        _q(x, SKOS.prefLabel, ox.Literal("Canonical", language="en"))))
    node = next(n for n in pg.nodes if n.label == "Program")
    assert (node.get("label_zh"), node.get("label_en"), node.get("label")) == \
        ("规范名", "Canonical", "印刷名")


def test_several_values_are_joined_sorted() -> None:
    x = B + "x"
    pg = project(_store(*_plan(), _q(x, RDF.type, PKG.Program),
                        _q(x, PKG.surface, ox.Literal("乙")), _q(x, PKG.surface, ox.Literal("甲"))))
    assert next(n for n in pg.nodes if n.label == "Program").get("surface") == "乙 | 甲"


def test_clashing_local_names_get_their_prefix() -> None:
    x = B + "x"
    pg = project(_store(*_plan(), _q(x, RDF.type, PKG.Program),
                        _q(x, PKG.number, ox.Literal("1")),
                        _q(x, "http://example.org/other#number", ox.Literal("2"))))
    node = next(n for n in pg.nodes if n.label == "Program")
    assert node.get("pkg_number") == "1" and node.get("ns_number") == "2"


def test_edge_types_are_upper_snake_and_never_a_node_label() -> None:
    r = B + "region/r"
    pg = project(_store(*_plan(), _q(B + "plan/p1", PKG.region, r), _q(r, RDF.type, PKG.Region),
                        _q(B + "plan/p1", PKG.hasIndicatorTarget, B + "t"),
                        _q(B + "t", RDF.type, PKG.IndicatorTarget)))
    assert sorted(e.type for e in pg.edges) == ["HAS_INDICATOR_TARGET", "HAS_REGION"]


def test_reified_relation_is_one_edge_with_its_evidence() -> None:
    rel, m, sec = B + "plan/p1/relation/r", B + "plan/p1/mention/5-9", B + "plan/p1/section/s"
    pg = project(_store(
        *_plan(), _q(B + "h", RDF.type, PKG.Program), _q(B + "t", RDF.type, PKG.TargetGroup),
        _q(rel, RDF.type, PKG.Relation), _q(rel, PKG.relationType, ox.Literal("targets")),
        _q(rel, PKG.head, B + "h"), _q(rel, PKG.tail, B + "t"), _q(rel, PKG.evidence, m),
        _q(m, RDF.type, PKG.Mention), _q(m, PKG.section, sec),
        _q(m, PKG.start, ox.Literal("5", datatype=ox.NamedNode(XSD.integer))),
        _q(m, PKG.end, ox.Literal("9", datatype=ox.NamedNode(XSD.integer))),
        _q(m, PKG.snippet, ox.Literal("四个字符")),
        _q(sec, RDF.type, PKG.Section), _q(sec, PKG.sectionPath, ox.Literal("第一章 > （一）"))))
    assert [n.label for n in pg.nodes] == ["Plan", "Program", "TargetGroup"]  # no Mention
    (edge,) = pg.edges
    assert (edge.source, edge.target, edge.type) == (B + "h", B + "t", "TARGETS")
    assert dict(edge.properties) == {"plan": "p1", "start": 5, "end": 9, "snippet": "四个字符",
                                     "section": "第一章 > （一）", "evidence": 1}


def test_plan_selection_keeps_shared_graphs() -> None:
    g2 = ox.NamedNode(B + "graph/plan/p2")
    canon = ox.NamedNode(B + "graph/canonical")
    x = B + "x"
    store = _store(*_plan(), *_plan("p2", g2), _q(x, RDF.type, PKG.Program, g2),
                   _q(B + "plan/p2", PKG.mentions, x, g2),
                   _q(x, SKOS.prefLabel, ox.Literal("名", language="zh"), canon))
    pg = project(store, plans=["p2"])
    assert [(n.label, n.get("plans")) for n in pg.nodes] == [("Plan", ("p2",)), ("Program", ("p2",))]
    assert pg.nodes[1].get("label_zh") == "名"


# ---------------------------------------------------------------- the crafted store


@pytest.fixture(scope="module")
def crafted():  # noqa: ANN201
    return project(crafted_store())


def test_shared_program_is_in_both_plans(crafted) -> None:  # noqa: ANN001
    nodes = {n.id: n for n in crafted.nodes}
    assert nodes[SHARED_PROGRAM].get("plans") == ("alpha", "beta")
    assert nodes[ALPHA_PROGRAM].get("plans") == ("alpha",)
    assert nodes[TARGET_GROUP].get("plans") == ("alpha", "beta")
    assert nodes[SHARED_PROGRAM].get("label_en") == "Youth employment programme"
    assert nodes[ALPHA_PROGRAM].get("label_zh") == NASTY
    assert nodes[PROVINCE].get("plans") is None  # only in the canonical graph


def test_mentions_carry_the_sentence(crafted) -> None:  # noqa: ANN001
    mentions = [e for e in crafted.edges if e.type == "MENTIONS" and e.get("plan") == "alpha"
                and e.get("start") is not None]
    assert {e.target for e in mentions} == {SHARED_PROGRAM, ALPHA_PROGRAM, TARGET_GROUP,
                                            INSTITUTION}
    for e in mentions:
        assert ALPHA.text[e.get("start"):e.get("end")] == e.get("snippet")
        assert e.get("section") == "第一章 总则 > （一）目标"


def test_indicator_chain_and_canonical_links(crafted) -> None:  # noqa: ANN001
    by_type = {}
    for e in crafted.edges:
        by_type.setdefault(e.type, []).append(e)
    (target_edge,) = by_type["HAS_INDICATOR"]
    assert target_edge.target == INDICATOR and target_edge.get("snippet") == "新增就业人数"
    assert {(e.source, e.target) for e in by_type["PART_OF"]} == {
        (REGION_A, PROVINCE), (B + "region/b-0007", PROVINCE)}
    assert all(e.get("plan") is None for e in by_type["PART_OF"])  # canonical graph
    (led,) = by_type["LED_BY"]
    assert (led.source, led.target, led.get("snippet")) == (SHARED_PROGRAM, INSTITUTION, "人社局")


def test_to_networkx_keeps_everything(crafted) -> None:  # noqa: ANN001
    g = to_networkx(crafted)
    assert (g.number_of_nodes(), g.number_of_edges()) == (len(crafted.nodes), len(crafted.edges))
    assert g.nodes[SHARED_PROGRAM]["type"] == "Program"
    assert g.nodes[SHARED_PROGRAM]["label"] == "青年就业计划"  # rdfs:label, the printed name


def test_projection_is_deterministic() -> None:
    assert project(crafted_store()) == project(crafted_store())
