"""Indicator rows through the real reader and structurer, on plan files written here."""

from __future__ import annotations

from pathlib import Path

import pytest

from extract.indicators import extract_indicators
from extract.read import read
from extract.structure import structure

PLAN = """某市“十四五”人力资源和社会保障发展规划

二、发展目标

到2025年，城镇调查失业率控制在5.5%以内。

表2 “十四五”人力资源和社会保障发展主要指标

指标类别\t指标名称\t单位\t2025年目标\t属性
就业创业\t1.城镇新增就业人数\t万人\t--\t预期性
\t2.城镇登记失业率\t%\t待定\t预期性
\t3.高校毕业生就业率\t%\t95以上
社会保险\t4.失业保险参保人数\t万人\t【 48 】\t约束性

注：【】为五年累计数。

三、主要任务

加强就业服务。
"""


@pytest.fixture(scope="module")
def rows_and_warnings(tmp_path_factory) -> tuple:
    path: Path = tmp_path_factory.mktemp("plan") / "plan.txt"
    path.write_text(PLAN, encoding="utf-8")
    plan = structure(read(path))
    rows, warnings = extract_indicators(plan)
    return plan, rows, warnings


def test_placeholder_rows_are_kept_and_warned(rows_and_warnings):
    plan, rows, warnings = rows_and_warnings
    table = {r.name: r for r in rows if r.table == "表2"}
    assert list(table) == [
        "城镇新增就业人数", "城镇登记失业率", "高校毕业生就业率", "失业保险参保人数"]
    for name, text in (("城镇新增就业人数", "--"), ("城镇登记失业率", "待定")):
        assert (table[name].target_text, table[name].target_value, table[name].comparator) == (
            text, None, None)
    assert len(warnings) == 1
    assert "城镇新增就业人数" in warnings[0] and "城镇登记失业率" in warnings[0]


def test_rows_around_the_broken_ones_are_intact(rows_and_warnings):
    _, rows, _ = rows_and_warnings
    table = {r.name: r for r in rows if r.table == "表2"}
    grads = table["高校毕业生就业率"]  # its attribute cell is missing
    assert (grads.target_value, grads.comparator, grads.unit, grads.attribute) == (
        95.0, ">=", "%", None)
    assert grads.category == "就业创业"
    ins = table["失业保险参保人数"]
    assert (ins.target_text, ins.target_value, ins.cumulative, ins.attribute, ins.category) == (
        "【48】", 48.0, True, "约束性", "社会保险")


def test_prose_goal_and_offsets(rows_and_warnings):
    plan, rows, _ = rows_and_warnings
    prose = [r for r in rows if r.table is None]
    assert [(r.name, r.target_value, r.comparator, r.target_year) for r in prose] == [
        ("城镇调查失业率", 5.5, "<=", 2025)]
    for r in rows:
        assert r.name in plan.text[r.start:r.end]
