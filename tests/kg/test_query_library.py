"""Every library query on the built embedded corpus, checked against facts read in the plans.

Each expected value below was read by hand in ``data/*.txt`` (file and line noted), never
copied from a query's output. Where a fact is about the text, the test also re-reads it.
"""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path

import pyoxigraph as ox
import pytest

from conftest_export import seed_store_path
from kg.query import load_library, run_query

DATA = Path(__file__).resolve().parents[2] / "data"
WUZHONG, XUZHOU, SUZHOU12, NANTONG, HAINING = (
    "000_7e436999a8e03779", "001_22cd41b2f7035d09", "002_b5922f56b63f245e",
    "003_9aec27e272238e9b", "004_7f774147c20b4d40")
B = "https://policykg.org/"
LIBRARY = load_library()
CHECKED: set[str] = set()


@pytest.fixture(scope="module")
def store() -> ox.Store:
    return ox.Store.read_only(str(seed_store_path()))


def text_of(doc: str) -> str:
    return (DATA / f"{doc}.txt").read_text(encoding="utf-8")


def rows(store: ox.Store, query: str, /, **params: str | list[str]) -> list[dict[str, str]]:
    CHECKED.add(query)
    values = {k: v if isinstance(v, list) else [v] for k, v in params.items()}
    result = run_query(store, LIBRARY[query], params=values)
    names = [v.value for v in result.variables]
    return [{n: (r[n].value if r[n] is not None else None) for n in names} for r in result]


def plan(doc: str) -> str:
    return f"{B}plan/{doc}"


def test_plans(store) -> None:
    got = {r["plan"].rsplit("/", 1)[1]: r for r in rows(store, "plans")}
    assert sorted(got) == [WUZHONG, XUZHOU, SUZHOU12, NANTONG, HAINING]
    # covering notices: 000 line 5, 001 line 5, 003 line 5; 002's „‟ brackets normalised
    assert got[WUZHONG]["docNumber"] == "吴政办〔2021〕144号"
    assert got[XUZHOU]["docNumber"] == "徐政办发〔2021〕78号"
    assert got[NANTONG]["docNumber"] == "通政办发〔2021〕71号"
    assert got[SUZHOU12]["period"] == "十二五" and got[SUZHOU12]["startYear"] == "2011"
    assert got[HAINING]["level"] == "county-level-city" and got[WUZHONG]["level"] == "district"
    assert got[WUZHONG]["region"] == "吴中区"
    assert all(int(r["programs"]) > 0 for r in got.values())


def test_programs_per_plan(store) -> None:
    nantong = {r["programLabel"] for r in rows(store, "programs_per_plan", plan=plan(NANTONG))}
    assert "同舟计划" in nantong and "同舟计划" in text_of(NANTONG)  # 003 quotes “同舟计划”
    everyone = rows(store, "programs_per_plan")
    xuzhou = [r["programLabel"] for r in everyone if r["plan"] == plan(XUZHOU)]
    assert any("555" in label for label in xuzhou)  # 001 line 284: “555”人才引进工程
    assert {r["plan"] for r in everyone} == {plan(d) for d in (WUZHONG, XUZHOU, SUZHOU12,
                                                              NANTONG, HAINING)}


def test_programs_shared(store) -> None:
    shared = {r["programLabel"]: r for r in rows(store, "programs_shared")}
    # 全民参保计划: once each in 000, 001, 003, 004 and not in 002
    assert [d for d in (WUZHONG, XUZHOU, SUZHOU12, NANTONG, HAINING)
            if "全民参保计划" in text_of(d)] == [WUZHONG, XUZHOU, NANTONG, HAINING]
    assert shared["全民参保计划"]["plans"] == "4"
    # 马兰花计划: 001 line 250 and 004 lines 147, 439
    assert "马兰花计划" in shared and int(shared["马兰花计划"]["plans"]) == 2
    assert all(int(r["plans"]) >= 2 for r in shared.values())


def test_programs_unique(store) -> None:
    unique = {r["programLabel"]: r["plan"] for r in rows(store, "programs_unique")}
    assert unique["同舟计划"] == plan(NANTONG)  # only 003 names it
    assert "全民参保计划" not in unique and "马兰花计划" not in unique
    only_haining = rows(store, "programs_unique", plan=plan(HAINING))
    assert only_haining and {r["plan"] for r in only_haining} == {plan(HAINING)}


def test_target_groups_by_plan(store) -> None:
    cells = rows(store, "target_groups_by_plan")
    graduates = {r["plan"] for r in cells if r["groupLabel"] == "高校毕业生"}
    # every plan names 高校毕业生 (000 ×7, 001 ×8, 002 ×6, 003 ×4, 004 ×2)
    assert all("高校毕业生" in text_of(d) for d in (WUZHONG, XUZHOU, SUZHOU12, NANTONG,
                                                 HAINING))
    assert graduates == {plan(d) for d in (WUZHONG, XUZHOU, SUZHOU12, NANTONG, HAINING)}
    assert all(int(r["mentions"]) >= 1 for r in cells)


def test_indicators_in_every_plan(store) -> None:
    got = rows(store, "indicators_in_every_plan")
    rate = {r["planTitle"][:2]: r for r in got if r["indicatorLabel"] == "城镇登记失业率"}
    # the targets tables: 000 line 124 "3以内", 001 line 163 "4以内", 002 lines 391-392
    # "控制在 4%以内", 003 line 121 "<4", 004 line 87 "<3.0"
    assert {k: v["valueText"] for k, v in rate.items()} == {
        "吴中": "3以内", "徐州": "4以内", "苏州": "4%以内", "南通": "<4", "海宁": "<3.0"}
    assert {v["normalisedUnit"] for v in rate.values()} == {"%"}
    assert {v["basis"] for v in rate.values()} == {"年度/期末 annual"}
    # only indicators that all five plans set a target for
    labels = {r["indicatorLabel"] for r in got}
    assert "城镇新增就业人数" not in labels  # 002 has no such row in its target table


def test_indicators_in_every_plan_normalises_units_and_flags_cumulative(tmp_path) -> None:
    """Two plans written here: 3.5 万人 cumulative against 20000 人 annual."""
    s = ox.Store()
    pkg = "https://policykg.org/ontology#"
    for doc, value, unit, cum in (("a", "3.5", "万人", True), ("b", "20000", "人", False)):
        g = ox.NamedNode(f"{B}graph/plan/{doc}")
        p, t = ox.NamedNode(f"{B}plan/{doc}"), ox.NamedNode(f"{B}plan/{doc}/target/1-2")
        i = ox.NamedNode(f"{B}indicator/x")
        for q in ((p, "http://www.w3.org/1999/02/22-rdf-syntax-ns#type", ox.NamedNode(pkg + "Plan")),
                  (p, "http://purl.org/dc/terms/title", ox.Literal(f"规划{doc}", language="zh")),
                  (p, pkg + "hasIndicatorTarget", t), (t, pkg + "indicator", i),
                  (t, pkg + "value", ox.Literal(value, datatype=ox.NamedNode(
                      "http://www.w3.org/2001/XMLSchema#decimal"))),
                  (t, pkg + "unit", ox.Literal(unit)), (t, pkg + "cumulative", ox.Literal(cum))):
            s.add(ox.Quad(q[0], ox.NamedNode(q[1]), q[2], g))
    s.add(ox.Quad(ox.NamedNode(f"{B}indicator/x"),
                  ox.NamedNode("http://www.w3.org/2004/02/skos/core#prefLabel"),
                  ox.Literal("新增就业", language="zh"), ox.NamedNode(f"{B}graph/canonical")))
    got = {r["planTitle"]: r for r in rows(s, "indicators_in_every_plan")}
    assert Decimal(got["规划a"]["normalisedValue"]) == Decimal(35000)
    assert got["规划a"]["normalisedUnit"] == got["规划b"]["normalisedUnit"] == "人"
    assert got["规划a"]["basis"].startswith("累计") and got["规划b"]["basis"].startswith("年度")


def test_indicator_ambition(store) -> None:
    got = [r for r in rows(store, "indicator_ambition")
           if r["indicatorLabel"] == "劳动人事争议调解成功率"]
    # 004 line 105: 83.4 -> 84 (up 0.7 %); 001 line 180: 70 -> 70 (no change)
    by_rank = {r["rank"]: r for r in got}
    assert by_rank["最高 most"]["planTitle"].startswith("海宁市")
    assert (Decimal(by_rank["最高 most"]["baseline"]), Decimal(by_rank["最高 most"]["value"])) \
        == (Decimal("83.4"), Decimal("84"))
    assert by_rank["最低 least"]["planTitle"].startswith("徐州市")
    assert Decimal(by_rank["最低 least"]["ambition"]) == 0


def test_themes_by_weight(store) -> None:
    got = rows(store, "themes_by_weight")
    per_plan: dict[str, float] = {}
    for r in got:
        per_plan[r["plan"]] = per_plan.get(r["plan"], 0.0) + float(r["share"])
    assert len(per_plan) == 5
    assert all(abs(total - 100) < 1.0 for total in per_plan.values()), per_plan
    # 004's target table is grouped 一、就业 二、社会保障 三、人才队伍 四、劳动关系 (lines 85-104)
    haining = {r["themeLabel"] for r in rows(store, "themes_by_weight", plan=plan(HAINING))}
    assert {"人才队伍", "劳动关系"} <= haining


def test_institutions_in_programs(store) -> None:
    got = rows(store, "institutions_in_programs")
    # 004: 实施新时代工匠培育工程，……助力海宁技师学院建成长三角一流技师学院 (one sentence)
    assert re.search("实施新时代工匠培育工程[^。]*海宁技师学院", text_of(HAINING))
    row = next(r for r in got if r["institutionLabel"] == "海宁技师学院")
    assert row["role"] == "involved" and "新时代工匠培育工程" in row["programLabels"]
    assert rows(store, "institutions_in_programs", role="lead") == [] or all(
        r["role"] == "lead" for r in rows(store, "institutions_in_programs", role="lead"))


def test_cited_policies(store) -> None:
    got = {r["policyLabel"]: r for r in rows(store, "cited_policies")}
    # 《保障农民工工资支付条例》 once in 000, 001 and 003; 《公务员法》 only in 002 (line 1117)
    assert got["保障农民工工资支付条例"]["plans"] == "3"
    assert got["公务员法"]["plans"] == "1" and "苏州市" in got["公务员法"]["citedBy"]
    haining = rows(store, "cited_policies", plan=plan(HAINING))
    assert all("海宁市" in r["citedBy"] for r in haining)


def test_entity_mentions(store) -> None:
    from extract.read import read

    got = rows(store, "entity_mentions", name="马兰花")
    # 001 lines 242 and 250, 004 lines 147 and 439
    assert {r["plan"] for r in got} == {plan(XUZHOU), plan(HAINING)}
    texts = {d: read(DATA / f"{d}.txt").text for d in (XUZHOU, HAINING)}
    for r in got:
        doc = r["plan"].rsplit("/", 1)[1]
        start, end = int(r["start"]), int(r["end"])
        assert texts[doc][start:end] == r["snippet"] and "马兰花" in r["snippet"]
        assert r["context"] and "马兰花" in r["context"] and r["section"]
    assert len([r for r in got if r["plan"] == plan(HAINING)]) >= 2


def test_region_changes(store) -> None:
    got = {r["label"]: r for r in rows(store, "region_changes", region="苏州市")}
    # 苏州市's own 十二五 plan (002, 2011) and its district 吴中区's 十四五 plan (000, 2021)
    assert "《公务员法》" in text_of(SUZHOU12) and "公务员法" not in text_of(WUZHONG)
    assert got["公务员法"]["status"] == "dropped"
    assert "全民参保计划" in text_of(WUZHONG) and "全民参保计划" not in text_of(SUZHOU12)
    assert got["全民参保计划"]["status"] == "new" and got["全民参保计划"]["firstYear"] == "2021"
    assert got["高校毕业生"]["status"] == "kept"
    assert got["高校毕业生"]["periods"] in ("十二五, 十四五", "十四五, 十二五")
    assert "马兰花计划" not in got  # 徐州 and 海宁 are not in 苏州


def test_regions(store) -> None:
    got = {r["label"]: r for r in rows(store, "regions")}
    assert (got["吴中区"]["code"], got["吴中区"]["parentLabel"]) == ("320506", "苏州市")
    assert (got["海宁市"]["code"], got["海宁市"]["parentLabel"]) == ("330481", "嘉兴市")
    assert got["嘉兴市"]["parentLabel"] == "浙江省" and got["苏州市"]["parentLabel"] == "江苏省"
    assert got["海宁市"]["level"] == "county-level-city"


def test_theme_entities_across_plans(store) -> None:
    got = rows(store, "theme_entities_across_plans")
    assert got
    # every row is common ground: at least two plans tie the entity to the theme
    assert all(int(r["plans"]) >= 2 and len(r["planTitles"].split(" | ")) >= 2 for r in got)
    # 全民参保计划 (universal enrolment in social insurance) is named by four plans, each
    # in its social-insurance part (000, 001, 003, 004)
    assert any(r["entityLabel"] == "全民参保计划" and r["themeLabel"] == "社会保险"
               and int(r["plans"]) >= 2 for r in got)
    from extract.read import read

    # normalised texts: 002's hard-wrapped lines are joined again
    titles = {d: read(DATA / f"{d}.txt").text for d in (WUZHONG, XUZHOU, SUZHOU12, NANTONG,
                                                         HAINING)}
    # the entity's name is printed in at least one of the plans said to tie it to the theme
    for r in got:
        if r["type"].endswith("#PolicyDocument"):
            assert any(r["entityLabel"] in t for t in titles.values()), r
    one = rows(store, "theme_entities_across_plans", theme=got[0]["theme"])
    assert {r["theme"] for r in one} == {got[0]["theme"]}


def test_targets_set_by_higher_authority(store) -> None:
    got = [r for r in rows(store, "targets_set_by_higher_authority")
           if r["plan"] == plan(HAINING)]
    by_row = {r["rowName"]: r["authority"] for r in got}
    # 004 line 111: ** 浙江省厅指标, * 嘉兴市局指标, no mark: 海宁's own
    assert by_row["专业技术人才总量"] == "province"  # line 97, marked **
    assert by_row["人才资源总量"] == "prefecture-city"  # line 96, marked *
    assert "城镇登记失业率" not in by_row  # line 87, no mark
    assert all(r["planLevel"] == "county-level-city" for r in got)


def test_entities_shared(store) -> None:
    got = rows(store, "entities_shared")
    labels = {(r["type"].rsplit("#", 1)[1], r["label"]): int(r["plans"]) for r in got}
    assert labels[("Program", "全民参保计划")] == 4
    assert labels[("TargetGroup", "高校毕业生")] == 5
    only = rows(store, "entities_shared", type="https://policykg.org/ontology#TargetGroup")
    assert {r["type"] for r in only} == {"https://policykg.org/ontology#TargetGroup"}


def test_indicator_targets(store) -> None:
    got = {r["rowName"]: r for r in rows(store, "indicator_targets", plan=plan(NANTONG))}
    # 003 lines 119-120: 城镇新增就业人数（万人）【 65 】; 城镇调查失业率（%） 5 左右
    jobs = got["城镇新增就业人数"]
    assert (Decimal(jobs["value"]), jobs["unit"], jobs["cumulative"]) == (Decimal(65), "万人",
                                                                          "true")
    rate = got["城镇调查失业率"]
    assert (Decimal(rate["value"]), rate["comparator"], rate["unit"]) == (Decimal(5), "~", "%")
    assert {r["plan"] for r in got.values()} == {plan(NANTONG)}


def test_entity_search(store) -> None:
    by_pinyin = {r["label"] for r in rows(store, "entity_search", q="malanhua")}
    by_name = {r["label"] for r in rows(store, "entity_search", q="马兰花")}
    assert "马兰花计划" in by_pinyin
    assert "马兰花计划" in by_name
    # 001 prints it “马兰花创业培训项目” (line 242) and “马兰花计划” (line 250): one entity,
    # found by either name as printed
    printed = {r["label"] for r in rows(store, "entity_search", q="马兰花创业培训项目")}
    assert printed == {"马兰花计划"}


def test_every_library_query_was_checked() -> None:
    assert CHECKED == set(LIBRARY), set(LIBRARY) - CHECKED
