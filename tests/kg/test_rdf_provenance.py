"""Provenance: every fact leads, in one SPARQL query, to its plan, section path, offsets and
the exact snippet of the normalised text; and the RDF of a hand-written record."""

from __future__ import annotations

import random

import pyoxigraph as ox
import pytest
from conftest_graph import *  # noqa: F403

from extract.model import IndicatorRow, Relation, Section
from extract.read import read
from kg.api import open as kg_open
from kg.errors import RecordError
from kg.rdf import Iris, plan_graph, slug, sorted_nquads
from kg.vocab import PKG

PROVENANCE = """
SELECT ?doc ?path ?start ?end ?snippet WHERE {
  GRAPH ?g {
    ?plan pkg:docId ?doc .
    { ?plan pkg:mentions ?fact } UNION { ?plan pkg:hasIndicatorTarget|pkg:hasIndicatorResult ?fact }
    ?fact pkg:evidence ?m .
    ?m pkg:inPlan ?plan ; pkg:start ?start ; pkg:end ?end ; pkg:snippet ?snippet .
    OPTIONAL { ?m pkg:section/pkg:sectionPath ?path }
  }
} ORDER BY ?start"""


def test_fifty_random_facts_lead_to_their_sentence(corpus_store, seed_paths) -> None:
    texts = {p.stem: read(p).text for p in seed_paths}
    with kg_open(corpus_store) as g:
        facts = g.query("""SELECT DISTINCT ?plan ?fact WHERE { GRAPH ?g {
            { ?plan pkg:mentions ?fact } UNION
            { ?plan pkg:hasIndicatorTarget|pkg:hasIndicatorResult ?fact } } }
            ORDER BY ?plan ?fact""", union=False)
        assert len(facts) > 200
        sample = random.Random(5).sample(facts, 50)
        with_path = 0
        for f in sample:
            rows = g.query(PROVENANCE, union=False, plan=f["plan"], fact=f["fact"])
            assert rows, f
            for r in rows:
                assert r["snippet"] == texts[r["doc"]][r["start"]:r["end"]], (f, r)
                with_path += r["path"] is not None
        assert with_path > 25  # most mentions sit inside a section


TEXT = "第一章 总体要求\n实施“乡土人才”计划，帮扶高校毕业生。城镇新增就业人数\t万人\t8\t预期性"


def _record(**kw):
    s1 = Section(id="s1", kind="chapter", number="第一章", title="总体要求", level=1,
                 start=0, end=len(TEXT), title_start=4, title_end=8)
    prog = TEXT.index("“乡土人才”计划")
    tg = TEXT.index("高校毕业生")
    row = TEXT.index("城镇新增就业人数")
    rows = [IndicatorRow(name="城镇新增就业人数", canonical=None, unit="万人", target_text="8",
                         target_value=8.0, comparator="=", cumulative=False, baseline_text=None,
                         baseline_value=None, attribute="预期性", kind="target", table="表1",
                         start=row, end=len(TEXT), section="s1")]
    return make_record("unit_plan", TEXT, sections=[s1], indicators=rows,
                       entities=[("Program", "“乡土人才”计划", [(prog, prog + 8)]),
                                 ("TargetGroup", "高校毕业生", [(tg, tg + 5)])],
                       relations=[Relation("targets", "e0", "e1", prog, tg + 5)], **kw)


def test_plan_graph_of_a_hand_written_record() -> None:
    pg = plan_graph(_record())
    s = ox.Store()
    s.extend(pg.quads)
    rows = list(s.query(f"""SELECT ?snip ?path WHERE {{ GRAPH ?g {{
        ?e a <{PKG.Program}> ; <{PKG.evidence}> ?m . ?m <{PKG.snippet}> ?snip ;
           <{PKG.section}>/<{PKG.sectionPath}> ?path }} }}"""))
    assert [(r["snip"].value, r["path"].value) for r in rows] == [("“乡土人才”计划", "第一章 总体要求")]
    value = list(s.query(f"""SELECT ?v ?attr WHERE {{ GRAPH ?g {{
        ?t a <{PKG.IndicatorTarget}> ; <{PKG.value}> ?v ; <{PKG.attribute}> ?attr }} }}"""))
    assert value[0]["v"] == ox.Literal("8", datatype=ox.NamedNode(
        "http://www.w3.org/2001/XMLSchema#decimal"))
    assert value[0]["attr"].value == PKG.Expected
    assert any(q.predicate.value == PKG.relationType for q in pg.quads)
    # no blank nodes, every quad in the plan's graph, ASCII IRIs
    assert all(q.graph_name.value == pg.graph for q in pg.quads)
    for q in pg.quads:
        for t in (q.subject, q.object):
            assert not isinstance(t, ox.BlankNode)
            if isinstance(t, ox.NamedNode):
                assert t.value.isascii(), t


def test_same_record_same_bytes_and_base_moves_data_only() -> None:
    a, b = plan_graph(_record()), plan_graph(_record())
    assert sorted_nquads(a.quads) == sorted_nquads(b.quads)
    c = plan_graph(_record(), iris=Iris("https://example.org/kg/"))
    text = sorted_nquads(c.quads).decode()
    assert "https://policykg.org/plan/" not in text
    assert "https://example.org/kg/plan/unit_plan" in text
    assert "https://policykg.org/ontology#Plan" in text  # terms do not move


def test_readable_ascii_iris() -> None:
    pg = plan_graph(_record())
    programs = {q.subject.value for q in pg.quads
                if q.object == ox.NamedNode(PKG.Program)}
    assert [p.rsplit("/", 1)[-1].rsplit("-", 1)[0] for p in programs] == [slug("乡土人才计划")]
    assert slug("乡土人才计划") == "xiangturencaijihua"


@pytest.mark.parametrize("change,message", [
    (dict(text=None), "has no text"),
    (dict(sha256="xyz"), "sha256"),
])
def test_bad_record_names_the_document(change, message) -> None:
    import dataclasses

    rec = dataclasses.replace(_record(), **change)
    with pytest.raises(RecordError, match=rf"unit_plan.*{message}"):
        plan_graph(rec)


def test_offsets_outside_the_text_name_the_document() -> None:
    rec = make_record("bad_offsets", "很短的文本", entities=[("Program", "计划", [(3, 99)])])
    with pytest.raises(RecordError, match=r"'bad_offsets'.*span 3-99.*outside the text"):
        plan_graph(rec)


def test_unknown_entity_type_names_the_document() -> None:
    rec = make_record("bad_type", "某某计划", entities=[("Gadget", "某某计划", [(0, 4)])])
    with pytest.raises(RecordError, match=r"'bad_type'.*unknown type 'Gadget'"):
        plan_graph(rec)
