"""Cell, label and header parsing of indicator tables (extract/quantities.py)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from extract.quantities import (
    Comparator,
    header_year,
    is_unit,
    parse_label,
    parse_quantity,
    period_years,
)


@pytest.mark.parametrize(
    ("cell", "text", "value", "comparator", "cumulative"),
    [
        ("7.5", "7.5", 7.5, "=", False),
        ("3以内", "3以内", 3.0, "<=", False),
        ("3.5以内", "3.5以内", 3.5, "<=", False),
        ("≥90", "≥90", 90.0, ">=", False),
        ("95以上", "95以上", 95.0, ">=", False),
        ("不低于60", "不低于60", 60.0, ">=", False),
        ("5 左右", "5左右", 5.0, "~", False),
        ("<4", "<4", 4.0, "<", False),
        (">98", ">98", 98.0, ">", False),
        ("＞９０", "＞９０", 90.0, ">", False),
        ("<3.0", "<3.0", 3.0, "<", False),
        ("[37.5](新口径)", "[37.5]", 37.5, "=", True),
        ("【 65 】", "【65】", 65.0, "=", True),
        ("[12.86]", "[12.86]", 12.86, "=", True),
        ("97%", "97%", 97.0, "=", False),
        ("95%以上", "95%以上", 95.0, ">=", False),
    ],
)
def test_value_cells(cell, text, value, comparator, cumulative):
    q = parse_quantity(cell)
    assert (q.text, q.value, q.comparator, q.cumulative) == (
        text, value, Comparator(comparator), cumulative)


@pytest.mark.parametrize("cell", ["--", "-----", "---", "待定", "—", "/"])
def test_placeholders_have_no_value(cell):
    q = parse_quantity(cell)
    assert q.placeholder and q.value is None and q.comparator is None
    assert q.text == cell


@pytest.mark.parametrize("cell", ["13:41:46", "7.4:38:54.6", "6：30：64"])
def test_ratios_have_no_value(cell):
    q = parse_quantity(cell)
    assert q.ratio and q.value is None and q.comparator is None and q.text == cell


@pytest.mark.parametrize("cell", [None, "", "   "])
def test_empty_cells(cell):
    q = parse_quantity(cell)
    assert q.text is None and q.value is None and q.comparator is None and not q.cumulative


def test_remark_is_dropped_and_kept_aside():
    q = parse_quantity("[12](新口径)")
    assert (q.text, q.remark, q.value) == ("[12]", "新口径", 12.0)


@pytest.mark.parametrize(
    ("cell", "name", "unit", "mark", "serial"),
    [
        ("1.城镇新增就业人数(万人)", "城镇新增就业人数", "万人", None, "1"),
        ("10. 人才资源总量（万人）", "人才资源总量", "万人", None, "10"),
        ("1. 城镇新增就业人数 (万人)", "城镇新增就业人数", "万人", None, "1"),
        ("6.职业培训人数(万人次)", "职业培训人数", "万人次", None, "6"),
        ("1. 城镇新增就业人数（万人）**", "城镇新增就业人数", "万人", "**", "1"),
        ("4. 户籍法定人员基本养老保险参保率（%）*", "户籍法定人员基本养老保险参保率", "%", "*",
         "4"),
        ("13. 博士（后）人才引进数（人）", "博士（后）人才引进数", "人", None, "13"),
        ("12. 高、中、初级专业技术人才比例", "高、中、初级专业技术人才比例", None, None, "12"),
        ("8. 社会保障卡发卡数量（万张）", "社会保障卡发卡数量", "万张", None, "8"),
        ("城镇登记失业率", "城镇登记失业率", None, None, None),
        ("4. 人力资源服务业产值 (亿元)", "人力资源服务业产值", "亿元", None, "4"),
    ],
)
def test_labels(cell, name, unit, mark, serial):
    lab = parse_label(cell)
    assert (lab.name, lab.unit, lab.mark, lab.serial) == (name, unit, mark, serial)


def test_units():
    units = ("万人", "%", "万人次", "人", "个", "家", "亿元", "万张", "元/月")
    assert all(is_unit(u) for u in units)
    assert not any(is_unit(u) for u in ("新口径", "后", "预计", "含技工院校"))


def test_header_years_and_periods():
    assert header_year("2025年目标") == 2025
    assert header_year("2020年12月完成数") == 2020
    assert header_year("“十四五” 规划目标") is None
    assert period_years("十三五计划数") == (2016, 2020)
    assert period_years("“十二五”") == (2011, 2015)
    assert period_years("十五五") == (2026, 2030)
    assert period_years("属性") is None


@given(st.text(max_size=30))
def test_any_cell_parses_without_error(cell):
    q = parse_quantity(cell)
    assert (q.value is None) == (q.comparator is None)
    assert q.text is None or q.text == "".join(cell.split()) or q.remark is not None


@given(st.decimals(min_value=0, max_value=100000, places=2, allow_nan=False),
       st.sampled_from([("", "=", ""), ("≥", ">=", ""), ("", "<=", "以内"), ("", ">=", "以上"),
                        ("", "~", "左右"), ("<", "<", ""), (">", ">", ""), ("不低于", ">=", "")]),
       st.booleans(), st.sampled_from(["", "%"]))
def test_generated_cells_round_trip(number, form, bracket, percent):
    prefix, comparator, suffix = form
    body = f"{prefix}{number}{percent}{suffix}"
    cell = f"[{body}]" if bracket else body
    q = parse_quantity(cell)
    assert q.value == float(number)
    assert q.comparator == Comparator(comparator)
    assert q.cumulative is bracket


@pytest.mark.parametrize(("cell", "value", "comparator", "cumulative"), [
    ("≥[20000]", 20000.0, ">=", True),    # a comparator outside the brackets of a total
    ("不低于【5】", 5.0, ">=", True),
    ("[3]以上", 3.0, ">=", True),
    ("【65】", 65.0, "=", True),
])
def test_a_bracketed_total_with_a_comparator_outside(cell: str, value: float,
                                                     comparator: str, cumulative: bool) -> None:
    q = parse_quantity(cell)
    assert (q.value, q.comparator.value, q.cumulative) == (value, comparator, cumulative)


@pytest.mark.parametrize("label, name, unit", [
    ("人才服务事项平均办结时限（个工作日）", "人才服务事项平均办结时限", "个工作日"),
    ("社保待遇办理时限（工作日）", "社保待遇办理时限", "工作日"),
])
def test_working_days_are_a_unit(label: str, name: str, unit: str) -> None:
    parsed = parse_label(label)
    assert (parsed.name, parsed.unit) == (name, unit)
