"""Cross-plan resolution: pairs of names read from the seed documents that must (or must
not) resolve to one node, and the corpus-level checks of issue 5."""

from __future__ import annotations

import pytest
from conftest_graph import *  # noqa: F403  (session fixtures)

from extract.model import Entity, IndicatorRow, Metadata
from kg.api import open as kg_open
from kg.evaluate import norm
from kg.resolve import load_resolver, resolution_report

# The seeds' regions as the documents state them (and the manifest lists them).
PLANS = {
    "000": Metadata(region="吴中区", parent_regions=("苏州市", "江苏省")),
    "001": Metadata(region="徐州市", parent_regions=("江苏省",)),
    "002": Metadata(region="苏州市", parent_regions=("江苏省",)),
    "003": Metadata(region="南通市", parent_regions=("江苏省",)),
    "004": Metadata(region="海宁市", parent_regions=("嘉兴市", "浙江省")),
}

# (type, name in plan A, plan A, name in plan B, plan B, same thing?) — every name is
# printed in that plan (see the comments for the sentence it comes from).
PAIRS = [
    # programs: level prefix, quotes
    ("Program", "省乡土人才“三带”行动计划", "003", "乡土人才“三带”行动计划", "003", True),
    ("Program", "全民参保计划", "000", "全民参保计划", "004", True),
    ("Program", "“春风行动”", "000", "春风行动", "001", True),
    ("Program", "“马兰花计划”", "001", "马兰花计划", "004", True),
    ("Program", "乡土人才“三带”行动计划", "003", "全民参保计划", "003", False),
    # institutions: abbreviations, region and level prefixes, national bodies
    ("Institution", "吴中区人社局", "000", "吴中区人力资源和社会保障局", "000", True),
    ("Institution", "市人力资源和社会保障局", "002", "苏州市人社局", "000", True),
    ("Institution", "区人社局", "000", "吴中区人社局", "000", True),
    ("Institution", "市人社局", "000", "苏州市人社局", "000", True),
    ("Institution", "人社部", "001", "人力资源社会保障部", "003", True),
    ("Institution", "国务院", "000", "国务院", "002", True),
    ("Institution", "苏州工业园区", "000", "苏州工业园区", "002", True),
    ("Institution", "吴中技师学院", "000", "海宁技师学院", "004", False),
    ("Institution", "技师学院", "001", "技师学院", "004", False),
    ("Institution", "南通工贸技师学院", "003", "海宁技师学院", "004", False),
    ("Institution", "市级创业示范基地", "001", "市级创业示范基地", "003", False),
    ("Institution", "省级创业示范基地", "000", "省级创业示范基地", "003", False),
    ("Institution", "创业孵化基地", "000", "创业孵化基地", "002", False),
    ("Institution", "吴中区人社局", "000", "苏州市人社局", "000", False),
    ("Institution", "省人社厅", "001", "人社部", "003", False),
    ("Institution", "吴中高级技工学校", "000", "吴中技师学院", "000", False),
    # target groups: SKOS aliases, place and status qualifiers, distinct categories
    ("TargetGroup", "吴中籍高校毕业生", "000", "高校毕业生", "001", True),
    ("TargetGroup", "离校未就业高校毕业生", "003", "高校毕业生", "002", True),
    ("TargetGroup", "困难家庭高校毕业生", "000", "高校毕业生", "004", True),
    ("TargetGroup", "登记失业人员", "000", "失业人员", "002", True),
    ("TargetGroup", "城乡就业困难人员", "001", "就业困难人员", "004", True),
    ("TargetGroup", "农民工", "000", "农民工", "003", True),
    ("TargetGroup", "灵活就业人员", "001", "灵活就业人员", "004", True),
    ("TargetGroup", "返乡农民工", "001", "农民工", "001", False),
    ("TargetGroup", "高技能人才", "000", "技能人才", "001", False),
    ("TargetGroup", "失业人员", "002", "就业困难人员", "002", False),
    # regions
    ("Region", "苏州市", "000", "苏州市", "002", True),
    ("Region", "江苏省", "000", "江苏省", "003", True),
    ("Region", "苏州市", "000", "吴中区", "000", False),
    ("Region", "南通市", "003", "海宁市", "004", False),
]


def _key(typ: str, name: str, plan: str) -> tuple[str, str]:
    r = load_resolver()
    res = r.entity(Entity("x", typ, name, (name,), ()), r.context(PLANS[plan]))
    return res.kind.value, res.key


def test_at_least_thirty_pairs_both_ways() -> None:
    assert len(PAIRS) >= 30
    assert sum(p[-1] for p in PAIRS) >= 10 and sum(not p[-1] for p in PAIRS) >= 10


@pytest.mark.parametrize("typ,a,pa,b,pb,same", PAIRS,
                         ids=[f"{p[1]}~{p[3]}" for p in PAIRS])
def test_pair(typ: str, a: str, pa: str, b: str, pb: str, same: bool) -> None:
    ka, kb = _key(typ, a, pa), _key(typ, b, pb)
    assert (ka == kb) is same, (ka, kb)


def _row(name: str, canonical: str | None = None) -> IndicatorRow:
    return IndicatorRow(name=name, canonical=canonical, unit=None, target_text=None,
                        target_value=None, comparator=None, cumulative=False,
                        baseline_text=None, baseline_value=None, attribute=None,
                        kind="target", table=None, start=0, end=1)


def test_indicator_aliases() -> None:
    r = load_resolver()
    # 003 prints "城镇新增就业累计 50.7 万人" in prose and 城镇新增就业人数 in its table
    assert r.indicator(_row("城镇新增就业")).key == r.indicator(_row("城镇新增就业人数")).key
    assert r.indicator(_row("城镇新增就业人数")).key != r.indicator(_row("城镇登记失业率")).key


def test_report_explains_every_merge() -> None:
    from extract.model import Record

    def rec(doc: str, names: list[tuple[str, str]]) -> Record:
        ents = tuple(Entity(f"e{i}", t, n, (n,), ()) for i, (t, n) in enumerate(names))
        return Record(doc_id=doc, source=doc, sha256="0" * 64, metadata=PLANS[doc],
                      entities=ents)

    report = resolution_report([
        rec("003", [("Program", "省乡土人才“三带”行动计划"), ("Institution", "技师学院")]),
        rec("001", [("Institution", "技师学院")]),
        rec("000", [("Program", "乡土人才“三带”行动计划"), ("TargetGroup", "吴中籍高校毕业生")]),
        rec("002", [("TargetGroup", "高校毕业生")]),
    ])
    merged = {m.key: m for m in report.merges}
    assert "乡土人才三带行动计划" in merged
    reasons = [r for _, _, rs in merged["乡土人才三带行动计划"].names for r in rs]
    assert any("level word 省" in r for r in reasons)
    assert any("吴中籍" in r for _, _, rs in merged["高校毕业生"].names for r in rs)
    apart = {a.name: a for a in report.apart}
    assert norm("技师学院") in apart and len({k for k, _ in apart["技师学院"].keys}) == 2


# ---------------------------------------------------------------- on the built corpus

def test_new_urban_jobs_is_one_indicator_with_a_target_per_plan(corpus_store) -> None:
    with kg_open(corpus_store) as g:
        rows = g.query("""
          SELECT DISTINCT ?ind ?doc WHERE { GRAPH ?g {
            ?plan pkg:docId ?doc ; pkg:hasIndicatorTarget ?t . ?t pkg:indicator ?ind }
            GRAPH ?c { ?ind skos:prefLabel "城镇新增就业人数"@zh } }""", union=False)
    # Read from the documents: the target tables of 000, 001, 003 and 004 list
    # 城镇新增就业人数; 002 (a 十二五 plan) has no such row.
    assert len({r["ind"] for r in rows}) == 1
    assert {r["doc"][:3] for r in rows} >= {"000", "001", "003", "004"}


def test_graduates_is_one_target_group_in_all_five(corpus_store) -> None:
    with kg_open(corpus_store) as g:
        rows = g.query("""
          SELECT DISTINCT ?e ?doc WHERE { GRAPH ?g { ?plan pkg:docId ?doc ; pkg:mentions ?e .
                                                     ?e a pkg:TargetGroup }
            GRAPH ?c { ?e skos:prefLabel "高校毕业生"@zh } }""", union=False)
    assert len({r["e"] for r in rows}) == 1
    assert len({r["doc"] for r in rows}) == 5


def test_a_program_printed_two_ways_is_one_node_across_plans(corpus_store) -> None:
    # DESIGN.md's example: 001 prints “马兰花创业培训项目” (line 242) and “马兰花计划”
    # (line 250); 004 prints “马兰花计划” (lines 147, 439). One Program node, in both plans,
    # whose evidence in 001 includes the descriptive name.
    with kg_open(corpus_store) as g:
        rows = g.query("""
          SELECT DISTINCT ?e ?doc ?surface WHERE { GRAPH ?g {
            ?plan pkg:docId ?doc ; pkg:mentions ?e . ?e a pkg:Program ; pkg:surface ?surface
            FILTER(CONTAINS(STR(?surface), "马兰花")) } }""", union=False)
    assert len({r["e"] for r in rows}) == 1, rows
    assert {r["doc"][:3] for r in rows} == {"001", "004"}
    assert {r["surface"] for r in rows if r["doc"].startswith("001")} == {
        "“马兰花创业培训项目”", "“马兰花计划”"}
