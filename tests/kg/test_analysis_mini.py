"""kg.analysis on the hand-written three-plan store of tests/compare_fixtures.py.

Every expected value is worked out by reading the three short texts in that file.
"""

from __future__ import annotations

import math

import networkx as nx
import pytest
from compare_fixtures import JOBS, PLANS, RATE, XSS, entity_iri, mini_store

from kg.analysis import (Facet, Measure, bipartite_graph, compare_facts, cooccurrence_graph,
                         indicator_comparison, load_facts, parse_unit, shared_and_divergent,
                         similarity, similarity_graph, theme_profile)
from kg.errors import StoreError

FACETS = ("Program", "Event", "TargetGroup", "Indicator", "Theme")


@pytest.fixture(scope="module")
def facts():
    return load_facts(mini_store())


def test_plans_and_metadata(facts) -> None:
    assert facts.plan_keys == ("plan_a", "plan_b", "plan_xss")
    a = facts.plan("plan_a")
    assert (a.title, a.region, a.start_year, a.end_year, a.years) == (
        "甲市人社规划", "甲市", 2021, 2025, 5)
    assert a.text_length == len(PLANS[0].text)


def test_mention_counts_and_first_evidence(facts) -> None:
    by = {(m.plan, facts.items[m.item].label): m for m in facts.memberships}
    # 就业创业 is printed twice in plan_a: in the chapter title and in the body
    assert by[("plan_a", "就业创业")].count == 2
    assert by[("plan_b", "人才队伍")].count == 2
    ev = by[("plan_a", "青年启航计划")].evidence
    text = PLANS[0].text
    assert text[ev.start:ev.end] == "青年启航计划"
    assert ev.sentence == "实施青年启航计划，帮扶高校毕业生和退役军人就业。"
    assert ev.section == "第一章 就业创业"
    # an indicator's evidence is its target row
    jobs = by[("plan_a", JOBS)].evidence
    assert text[jobs.start:jobs.end] == "城镇新增就业人数 [6] 万人"


def test_jaccard_by_hand_and_against_networkx(facts) -> None:
    m = similarity(facts)
    # plan_a: 青年启航计划 全民参保计划 高校毕业生 退役军人 灵活就业人员 就业创业 社会保险 + 2 indicators = 9
    # plan_b: 青年启航计划 工匠培育工程 高校毕业生 就业创业 人才队伍 + 2 indicators = 7
    # common: 青年启航计划 高校毕业生 就业创业 + 2 indicators = 5 → 5 / (9 + 7 - 5)
    assert m["plan_a", "plan_b"] == pytest.approx(5 / 11, abs=1e-6)
    # plan_xss: XSS计划 高校毕业生 退役军人 就业创业 = 4; common with a: 3 → 3 / 10
    assert m["plan_a", "plan_xss"] == pytest.approx(0.3, abs=1e-6)
    assert m["plan_b", "plan_xss"] == pytest.approx(2 / 9, abs=1e-6)
    assert [m[p, p] for p in m.plans] == [1.0, 1.0, 1.0]
    b = bipartite_graph(facts, types=FACETS)
    iri = {p.key: p.iri for p in facts.plans}
    pairs = [(iri[x], iri[y]) for x, y, _ in m.pairs()]
    expected = {frozenset((u, v)): w for u, v, w in nx.jaccard_coefficient(b, pairs)}
    for x, y, w in m.pairs():
        assert w == pytest.approx(expected[frozenset((iri[x], iri[y]))], abs=1e-6)


def test_cosine_by_hand(facts) -> None:
    m = similarity(facts, measure=Measure.COSINE)
    # mention counts: a = 1,1,1,1,1, 就业创业 2, 社会保险 2, 2 indicators 1 → |a|² = 15
    # b = 1,1,1, 就业创业 1, 人才队伍 2, 2 indicators 1 → |b|² = 10; a·b = 1+1+2+1+1 = 6
    assert m["plan_a", "plan_b"] == pytest.approx(6 / math.sqrt(150), abs=1e-6)


def test_single_facet(facts) -> None:
    m = similarity(facts, facets=[Facet.TARGET_GROUPS])
    assert m["plan_a", "plan_xss"] == pytest.approx(2 / 3, abs=1e-6)  # {高校,退役} vs +灵活
    assert m["plan_b", "plan_xss"] == pytest.approx(1 / 2, abs=1e-6)


def test_similarity_graph(facts) -> None:
    g = similarity_graph(similarity(facts), threshold=0.25)
    assert set(g.edges) == {("plan_a", "plan_b"), ("plan_a", "plan_xss")}


def test_theme_profiles(facts) -> None:
    by_facts = theme_profile(facts, basis="facts").by_label()
    # plan_a has no hasTheme relations: its mentions count (就业创业 2, 社会保险 2)
    assert by_facts["plan_a"]["就业创业"] == pytest.approx(0.5)
    # plan_b files two items under 就业创业 and one under 人才队伍
    assert by_facts["plan_b"]["就业创业"] == pytest.approx(2 / 3, abs=1e-6)
    assert by_facts["plan_b"]["人才队伍"] == pytest.approx(1 / 3, abs=1e-6)
    assert by_facts["plan_xss"]["就业创业"] == 1.0
    by_text = theme_profile(facts, basis="text").by_label()
    text = PLANS[0].text
    # 就业创业 is only in chapter 1, 社会保险 only in chapter 2
    assert by_text["plan_a"]["就业创业"] == pytest.approx(text.index("第二章") / len(text),
                                                       abs=1e-6)


def test_shared_and_divergent(facts) -> None:
    sets = shared_and_divergent(facts, k=2)
    groups = sets["TargetGroup"]
    assert [(s.item.label, s.plans) for s in groups.shared] == [
        ("高校毕业生", ("plan_a", "plan_b", "plan_xss")), ("退役军人", ("plan_a", "plan_xss"))]
    assert [s.item.label for s in groups.divergent["plan_a"]] == ["灵活就业人员"]
    assert groups.divergent["plan_b"] == ()
    programs = sets["Program"]
    assert [s.item.label for s in programs.shared] == ["青年启航计划"]
    assert [s.item.label for s in programs.divergent["plan_xss"]] == [f"{XSS}计划"]
    three = shared_and_divergent(facts, k=3)
    assert [s.item.label for s in three["TargetGroup"].shared] == ["高校毕业生"]
    with pytest.raises(ValueError, match="k=1"):
        shared_and_divergent(facts, k=1)


def test_by_theme(facts) -> None:
    c = compare_facts(facts)
    employment = c.theme_sets["就业创业"]
    assert {s.item.label for s in employment.shared} == {"高校毕业生", "退役军人", "青年启航计划"}
    assert [s.item.label for s in employment.divergent["plan_xss"]] == [f"{XSS}计划"]
    assert [s.item.label for s in c.theme_sets["人才队伍"].divergent["plan_b"]] == ["工匠培育工程"]
    insurance = c.theme_sets["社会保险"]
    assert {s.item.label for s in insurance.divergent["plan_a"]} == {"全民参保计划", "灵活就业人员"}


def test_indicator_normalisation(facts) -> None:
    table = {c.indicator.label: c for c in indicator_comparison(facts)}
    jobs = table[JOBS]
    assert jobs.unit == "万人"  # one plan prints 万人, one 人: the larger magnitude wins
    a, b = jobs.targets
    # plan_a: [6] 万人 over five years → 1.2 万人 a year; plan_b: 50000 人 = 5 万人 as stated
    assert (a.plan, a.target.cumulative, a.period_total, a.annual) == ("plan_a", True, 6.0, 1.2)
    assert (b.plan, b.target.cumulative, b.value, b.annual, b.period_total) == (
        "plan_b", False, 5.0, 5.0, None)
    assert b.target.authority == "省"
    rate = table[RATE]
    ra = rate.targets[0]
    assert (ra.value, ra.baseline, ra.change, ra.change_pct) == (3.0, 2.5, 0.5, None)
    assert ra.target.comparator == "<=" and ra.target.attribute == "Expected"


def test_parse_unit() -> None:
    assert parse_unit("万人次").base == "人次" and parse_unit("万人次").factor == 1e4
    assert parse_unit("亿元").factor == 1e8
    assert parse_unit("%").is_rate and not parse_unit("人").is_rate


def test_projections(facts) -> None:
    b = bipartite_graph(facts)
    plan_nodes = [n for n, d in b.nodes(data=True) if d["type"] == "Plan"]
    assert len(plan_nodes) == 3
    grads = entity_iri("TargetGroup", "高校毕业生")
    assert b.nodes[grads]["plans"] == ["plan_a", "plan_b", "plan_xss"]
    assert b.degree(grads) == 3
    co = cooccurrence_graph(facts, types=["TargetGroup"])
    vets = entity_iri("TargetGroup", "退役军人")
    assert co[grads][vets]["weight"] == 2  # plan_a and plan_xss name both
    assert co.number_of_nodes() == 3


def test_plan_selection_and_errors(tmp_path) -> None:
    store = mini_store()
    only = load_facts(store, plans=["乙市", "plan_a"])
    assert only.plan_keys == ("plan_a", "plan_b")
    with pytest.raises(StoreError, match="no plan matches '丁市'.*plan_a"):
        load_facts(store, plans=["丁市"])
    with pytest.raises(StoreError, match="missing.store does not exist; build it first"):
        load_facts(tmp_path / "missing.store")
    import pyoxigraph

    with pytest.raises(StoreError, match="holds no plan"):
        load_facts(pyoxigraph.Store())


def test_comparison_is_deterministic() -> None:
    one = compare_facts(load_facts(mini_store())).summary()
    two = compare_facts(load_facts(mini_store())).summary()
    assert one == two


def test_a_plan_with_nothing_and_a_single_plan() -> None:
    from compare_fixtures import PlanSpec

    from viz.report import report_html

    empty = PlanSpec(doc="empty", title="空规划", region="丁市", text="第一章 总则\n无。\n",
                     sections=["第一章 总则"], entities=[])
    store = mini_store([PLANS[0], empty])
    c = compare_facts(load_facts(store))
    assert c.similarity.values == ((0.0, 0.0), (0.0, 1.0))  # nothing is like nothing
    assert c.sets["TargetGroup"].shared == ()
    assert "空规划" in report_html(c)
    alone = compare_facts(load_facts(store, plans=["plan_a"]))
    assert alone.similarity.values == ((1.0,),) and alone.similarity.pairs() == []


def test_cooccurrence_threshold_drops_lonely_items(facts) -> None:
    co = cooccurrence_graph(facts, types=["TargetGroup", "Program"], min_plans=2)
    labels = {facts.items[v].label for v in co.nodes}
    # 高校毕业生 + 青年启航计划 (plans a, b) and 高校毕业生 + 退役军人 (plans a, xss)
    assert labels == {"高校毕业生", "青年启航计划", "退役军人"}
    assert all(w >= 2 for _, _, w in co.edges(data="weight"))


def test_names_without_the_canonical_graph() -> None:
    import pyoxigraph as ox
    from compare_fixtures import CANONICAL

    store = mini_store()
    store.remove_graph(ox.NamedNode(CANONICAL))
    facts = load_facts(store)
    # display names fall back to the names the plans print (rdfs:label in plan graphs)
    assert {i.label for i in facts.items.values() if i.type == "TargetGroup"} == {
        "高校毕业生", "退役军人", "灵活就业人员"}


def test_sets_only_load_gives_the_same_jaccard(facts) -> None:
    light = load_facts(mini_store(), evidence=False, targets=False, themes=False, counts=False)
    assert {m.count for m in light.memberships} == {1}
    assert similarity(light).values == similarity(facts).values
