"""Indicator rows of the seeds without gold labels, checked against the files read by hand.

Seed 004 (a county-level city) prints its tables inside 专栏 boxes, with no 表N label, and
marks each target row's authority (``**`` province, ``*`` prefecture, unmarked: its own)
in a note under the table. Seed 001 ends with annex tables that reuse the labels 表1/表2.
"""

from __future__ import annotations

from collections import Counter

import pytest

from extract.indicators import extract_indicators
from extract.read import read
from extract.structure import structure


@pytest.fixture(scope="module")
def haining(seed_paths):
    path = next(p for p in seed_paths if p.name.startswith("004_"))
    return extract_indicators(structure(read(path)))


def test_box_tables_give_past_and_target_rows(haining):
    rows, warnings = haining
    table_rows = [r for r in rows if r.table is not None]
    kinds = Counter(r.kind for r in table_rows)
    # 专栏1: 16 numbered rows of the 十三五 results; 专栏2: 19 numbered target rows
    assert kinds == {"past": 16, "target": 19}
    assert {r.table for r in table_rows if r.kind == "past"} == {"专栏1"}
    assert {r.table for r in table_rows if r.kind == "target"} == {"专栏2"}
    assert warnings == ()


def test_authority_marks(haining):
    rows, _ = haining
    target = [r for r in rows if r.kind == "target" and r.table is not None]
    # by hand: 11 rows marked **, 5 marked *, 3 unmarked (rows 2, 13, 14)
    assert Counter(r.authority for r in target) == {
        "province": 11, "prefecture-city": 5, "county-level-city": 3}
    unmarked = sorted(r.name for r in target if r.authority == "county-level-city")
    assert unmarked == ["博士（后）人才引进数", "城镇登记失业率", "大学生人才引进数"]


def test_rows_read_by_hand(haining):
    rows, _ = haining
    by = {(r.kind, r.name): r for r in rows if r.table is not None}
    jobs = by[("target", "城镇新增就业人数")]
    assert (jobs.unit, jobs.target_text, jobs.target_value, jobs.cumulative,
            jobs.baseline_text, jobs.attribute, jobs.category, jobs.base_year,
            jobs.target_year) == ("万人", "[13]", 13.0, True, "[12.86]", "预期性", "就业",
                                  2020, 2025)
    ratio = by[("target", "高、中、初级专业技术人才比例")]
    assert (ratio.target_text, ratio.target_value, ratio.comparator) == ("7.4:38:54.6", None, None)
    online = by[("target", "“互联网+监察”掌上执法占比")]
    assert (online.baseline_text, online.baseline_value, online.target_value) == (None, None, 100.0)
    past = by[("past", "城镇登记失业率")]
    assert (past.target_text, past.comparator, past.baseline_text, past.category,
            past.target_year) == ("<3.5", "<", "1.74", "就业创业", 2020)
    started = by[("past", "创业带动就业的人数")]
    assert (started.target_text, started.cumulative, started.baseline_text) == (
        "[3.5]", True, "[3.98]")


def test_annex_breakdown_tables_are_not_rows(seed_paths, gold):
    path = next(p for p in seed_paths if p.name.startswith("001_"))
    plan = structure(read(path))
    rows, _ = extract_indicators(plan)
    annex = min(t.start for t in plan.tables if "地区" in "".join(t.columns)
                or "年度" in "".join(t.columns))
    assert all(r.start < annex for r in rows)
    g = gold[path.stem]
    assert Counter(r.kind for r in rows if r.table) == {
        "target": len(g["indicators"]), "past": len(g["past_indicators"])}


def test_prose_goals_of_a_general_provincial_plan(shared_dir):
    """Another genre without tables (a provincial general plan, 2001–2005): its goal
    chapter states the targets in sentences; values read by hand from the text."""
    plan = structure(read(shared_dir / "samples" / "yunnan-10th-general-fyp.txt"))
    rows, _ = extract_indicators(plan)
    got = {(r.name, r.target_value, r.unit, r.comparator) for r in rows}
    assert {
        ("城镇登记失业率", 5.0, "%", "<="),
        ("人口自然增长率", 10.0, "‰", "<="),
        ("森林覆盖率", 48.0, "%", "="),
        ("城市绿化覆盖率", 35.0, "%", "~"),
        ("高等教育毛入学率", 8.0, "%", "~"),
        ("国内生产总值年均增长", 8.0, "%", "~"),
        ("人均预期寿命", 70.0, "岁", "~"),
    } <= got
    assert {r.table for r in rows} == {None} and {r.target_year for r in rows} == {2005}
    for r in rows:
        assert r.name in plan.text[r.start:r.end]
