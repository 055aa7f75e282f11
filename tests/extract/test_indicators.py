"""Indicator rows from tables and prose (extract/indicators.py), on plans written here."""

from __future__ import annotations

import re

import pytest

from extract.indicators import (
    ColumnRole,
    IndicatorKind,
    canonical_indicator,
    column_role,
    extract_indicators,
    table_layouts,
)
from extract.model import Cell, Document, Metadata, PlanDocument, Row, Section, Table

WUZHONG = Metadata(region="吴中区", parent_regions=("苏州市", "江苏省"), admin_level="district",
                   period="十四五", start_year=2021, end_year=2025)
HAINING = Metadata(region="海宁市", parent_regions=("嘉兴市", "浙江省"),
                   admin_level="county-level-city", period="十四五", start_year=2021,
                   end_year=2025)


def make_plan(text: str, metadata: Metadata = WUZHONG, *, goal_section: str | None = None,
              header_rows: bool = True) -> PlanDocument:
    """A plan whose tables are the runs of tab-separated lines of ``text``: the caption
    is the line above (``表N 标题``), notes the ``注：`` line below, the first row the
    header; offsets index ``text``."""
    lines, pos = [], 0
    for line in text.split("\n"):
        lines.append((pos, line))
        pos += len(line) + 1
    tables, i = [], 0
    while i < len(lines):
        if "\t" not in lines[i][1]:
            i += 1
            continue
        j = i
        while j < len(lines) and "\t" in lines[j][1]:
            j += 1
        rows = []
        for k, (start, line) in enumerate(lines[i:j]):
            cells, o = [], start
            for c in line.split("\t"):
                cells.append(Cell(c, o, o + len(c)))
                o += len(c) + 1
            rows.append(Row(tuple(cells), start, start + len(line),
                            header=header_rows and k == 0))
        caption = lines[i - 1][1] if i else ""
        m = re.match(r"(表\s*\d+)\s*(.*)", caption)
        notes = tuple(Cell(t, s, s + len(t)) for s, t in lines[j:j + 1] if t.startswith("注"))
        tables.append(Table(
            id=f"t{len(tables) + 1}", label=m.group(1) if m else None,
            title=m.group(2) if m else caption or None, start=rows[0].start,
            end=rows[-1].end, rows=tuple(rows), notes=notes,
            columns=tuple(c.text for c in rows[0].cells) if header_rows else ()))
        i = j
    sections = ()
    if goal_section:
        start = text.index(goal_section)
        sections = (Section(id="s1", kind="cn", number="二", title=goal_section, level=1,
                            start=start, end=len(text), title_start=start,
                            title_end=start + len(goal_section)),)
    doc = Document(text=text, source="plan.txt", sha256="0")
    return PlanDocument(document=doc, metadata=metadata, sections=sections,
                        tables=tuple(tables))


def by_name(rows):
    return {r.name: r for r in rows}


# A target table laid out as in a district plan: category, name, unit, target, attribute,
# with a header repeated after a page break.
TARGET_TABLE = """表2 “十四五”人力资源和社会保障发展主要指标
指标类别\t指标名称\t单位\t2025年目标\t属性
就业创业\t1.城镇新增就业人数\t万人\t8\t预期性
\t2.城镇登记失业率\t%\t3以内\t预期性
\t3.高校毕业生就业率\t%\t95以上\t预期性
社会保险\t4.失业保险参保人数\t万人\t48\t约束性
指标类别\t指标名称\t单位\t2025年目标\t属性
人事人才\t5.人才资源总量\t万人\t35\t预期性
"""


def test_target_table_rows():
    rows, warnings = extract_indicators(make_plan(TARGET_TABLE))
    assert warnings == ()
    assert [r.name for r in rows] == ["城镇新增就业人数", "城镇登记失业率", "高校毕业生就业率",
                                      "失业保险参保人数", "人才资源总量"]
    r = by_name(rows)
    assert {x.kind for x in rows} == {"target"} and {x.table for x in rows} == {"表2"}
    u = r["城镇登记失业率"]
    assert (u.unit, u.target_text, u.target_value, u.comparator, u.cumulative) == (
        "%", "3以内", 3.0, "<=", False)
    assert (u.attribute, u.category, u.target_year, u.baseline_text) == (
        "预期性", "就业创业", 2025, None)
    assert r["高校毕业生就业率"].comparator == ">="
    assert r["失业保险参保人数"].attribute == "约束性"
    assert r["失业保险参保人数"].category == "社会保险"
    assert r["人才资源总量"].category == "人事人才"
    assert r["城镇新增就业人数"].canonical == "城镇新增就业人数"


def test_offsets_point_at_the_row():
    plan = make_plan(TARGET_TABLE)
    rows, _ = extract_indicators(plan)
    for row in rows:
        assert row.name in plan.text[row.start:row.end]


# A city plan's past table: category rows inside the name column, brackets, a ratio.
PAST_TABLE = """表1：“十三五”人力资源和社会保障事业发展主要指标完成情况
分类、指标\t“十三五” 规划目标\t2020年 完成数
一、就业创业\t\t
1. 城镇新增就业人数(万人)\t[40]\t[58.01]
2. 城镇登记失业率(%)\t4以内\t1.76
二、人才队伍建设\t\t
3. 高、中、初级专业技术人才比例\t13:41:46\t14:41:45
4. 高技能人才总量(万人)\t\t33.4
注：[] 为五年累计数。
"""


def test_past_table_rows():
    rows, warnings = extract_indicators(make_plan(PAST_TABLE))
    assert [r.name for r in rows] == ["城镇新增就业人数", "城镇登记失业率",
                                      "高、中、初级专业技术人才比例", "高技能人才总量"]
    r = by_name(rows)
    assert {x.kind for x in rows} == {"past"}
    new_jobs = r["城镇新增就业人数"]
    assert (new_jobs.target_text, new_jobs.target_value, new_jobs.cumulative) == (
        "[40]", 40.0, True)
    assert (new_jobs.baseline_text, new_jobs.baseline_value) == ("[58.01]", 58.01)
    assert (new_jobs.unit, new_jobs.category, new_jobs.attribute) == ("万人", "就业创业", None)
    assert (new_jobs.target_year, new_jobs.base_year) == (2020, 2020)
    ratio = r["高、中、初级专业技术人才比例"]
    assert (ratio.target_text, ratio.target_value, ratio.comparator, ratio.unit) == (
        "13:41:46", None, None, None)
    assert ratio.category == "人才队伍建设"
    empty = r["高技能人才总量"]
    assert (empty.target_text, empty.target_value, empty.comparator) == (None, None, None)
    assert empty.baseline_text == "33.4"
    assert len(warnings) == 1 and "高技能人才总量" in warnings[0]


# A results table whose columns are the previous period's start year, its target and its
# end year, with no word saying which column was achieved.
YEARS_PAST_TABLE = """表1 “十一五”时期人才发展主要指标完成情况
序号\t指标\t单位\t2005年\t“十一五”目标\t2010年
1\t人才资源总量\t万人\t9.8\t13\t13.6
2\t引进高层次人才\t人\t—\t[300]\t[356]
"""


def test_a_bare_end_year_column_after_the_previous_target_is_what_was_achieved():
    metadata = Metadata(region="万州区", parent_regions=("重庆市",), admin_level="district",
                        period="十二五", start_year=2011, end_year=2015)
    rows, _ = extract_indicators(make_plan(YEARS_PAST_TABLE, metadata))
    assert [(r.kind, r.name, r.target_text, r.baseline_text) for r in rows] == [
        ("past", "人才资源总量", "13", "13.6"), ("past", "引进高层次人才", "[300]", "[356]")]
    assert {(r.target_year, r.base_year, r.unit) for r in rows} == {(2010, 2010, "万人"),
                                                                      (2010, 2010, "人")}


# A target table with a base-year column, cumulative values with a remark, dashes.
BASE_TABLE = """表2：“十四五”人力资源和社会保障事业发展主要指标
分类、指标\t2020年 基数\t“十四五” 规划目标\t属性
一、就业创业\t\t\t
1.城镇新增就业人数(万人)\t8.8\t[37.5](新口径)\t预期性
2.申领电子社保卡人口覆盖率(%)\t-----\t70\t预期性
"""


def test_base_year_column_and_remarks():
    rows, warnings = extract_indicators(make_plan(BASE_TABLE))
    r = by_name(rows)
    assert warnings == ()
    jobs = r["城镇新增就业人数"]
    assert (jobs.kind, jobs.target_text, jobs.target_value, jobs.cumulative) == (
        "target", "[37.5]", 37.5, True)
    assert (jobs.baseline_text, jobs.baseline_value, jobs.base_year, jobs.target_year) == (
        "8.8", 8.8, 2020, 2025)
    card = r["申领电子社保卡人口覆盖率"]
    assert (card.baseline_text, card.baseline_value, card.target_value) == (None, None, 70.0)
    assert card.canonical == "电子社保卡人口覆盖率"


# A county-level plan's table with authority marks explained by the note.
MARKED_TABLE = """表3 “十四五”时期主要指标
指标\t2020年基数\t2025年目标\t属性
1. 城镇新增就业人数（万人）**\t[12.86]\t[13]\t预期性
2. 人才资源总量（万人）*\t25\t31.5\t预期性
3. 城镇登记失业率（%）\t1.74\t<3.0\t预期性
4. 技能人才总量（万人）#\t19.77\t21.87\t预期性
注：[]内数据表示五年累计数；**为浙江省厅指标，*为嘉兴市局指标，无标识为海宁定制指标。
"""


# A results table whose header takes two rows, the period spanning two columns (an HTML
# colspan read into tab cells: the spanned cell is empty)
TWO_LEVEL = """表1 “十三五”规划主要指标完成情况
指标\t单位\t“十三五”\t
\t\t规划目标\t完成情况
城镇新增就业人数\t万人\t[4]\t[4.6]
城镇登记失业率\t%\t<3.5\t2.1
技能人才总量\t万人\t10\t11.2
注：[]内为五年累计数。
"""


def test_a_two_level_header_is_read_down_each_column():
    from extract.model import Document
    from extract.structure import structure

    text = "海宁市“十四五”人力资源和社会保障事业发展规划\n一、发展基础\n" + TWO_LEVEL
    plan = structure(Document(text=text, source="two_level.txt", sha256=""))
    assert [r.header for r in plan.tables[0].rows][:3] == [True, True, False]
    rows, _ = extract_indicators(plan)
    r = by_name(rows)
    assert {x.kind for x in rows} == {"past"} and len(rows) == 3
    assert (r["城镇新增就业人数"].target_text, r["城镇新增就业人数"].baseline_text,
            r["城镇新增就业人数"].cumulative) == ("[4]", "[4.6]", True)
    assert (r["城镇登记失业率"].comparator, r["城镇登记失业率"].target_value,
            r["城镇登记失业率"].baseline_value) == ("<", 3.5, 2.1)


def test_an_authority_mark_named_with_its_carrier_words_in_the_note():
    table = MARKED_TABLE.replace("**为浙江省厅指标，*为嘉兴市局指标", "带**的为省下达指标，标*号指标为嘉兴市考核指标")
    rows, _ = extract_indicators(make_plan(table, HAINING))
    r = by_name(rows)
    assert (r["城镇新增就业人数"].authority, r["人才资源总量"].authority) == (
        "province", "prefecture-city")


def test_authority_marks_resolved_through_the_note():
    rows, warnings = extract_indicators(make_plan(MARKED_TABLE, HAINING))
    r = by_name(rows)
    assert r["城镇新增就业人数"].authority == "province"
    assert r["人才资源总量"].authority == "prefecture-city"
    assert r["城镇登记失业率"].authority == "county-level-city"
    assert r["城镇新增就业人数"].unit == "万人"
    # a mark the note does not explain: the row is kept, the authority unknown, a warning
    assert r["技能人才总量"].authority is None and r["技能人才总量"].target_value == 21.87
    assert len(warnings) == 1 and "#" in warnings[0]


ANNEX = """附件 主要指标任务分解表
表1：“十四五”城镇新增就业人数(单位:人)
地区 \\ 年度\t2021\t2022\t2023\t2024\t2025\t合计
甲县\t2300\t2300\t2300\t2300\t2300\t11500
乙区\t5000\t5000\t5000\t5000\t5000\t25000
"""

TASKS = """重大任务清单
序号\t主要任务\t主要内容\t“十四五”目标
1\t高质量就业工程\t返乡创业项目；职业技能培训项目。\t每年发放创业补贴，惠及创业者100人以上；五年城镇新增就业人数10万人次。
2\t仲裁效能提升专项行动\t仲裁办案质量提升专项行动。\t劳动人事争议仲裁结案率达到92%以上。
"""


@pytest.mark.parametrize("text", [ANNEX, TASKS], ids=["annex-breakdown", "task-list"])
def test_tables_that_are_not_indicator_tables(text):
    assert extract_indicators(make_plan(text)) == ((), ())


def test_annex_after_the_main_table_is_not_confused():
    rows, _ = extract_indicators(make_plan(TARGET_TABLE + "\n" + ANNEX))
    assert len(rows) == 5 and {r.table for r in rows} == {"表2"}


# --------------------------------------------------------------------------- robustness

# No category or unit column; the second row lacks its attribute cell, the third row
# stops after its label.
MISSING_COLUMN = """表2 主要指标
指标名称\t2025年目标\t属性
1.城镇新增就业人数(万人)\t8\t预期性
2.城镇登记失业率(%)\t3以内
3.人才资源总量(万人)\t
"""


def test_table_with_a_missing_column():
    rows, warnings = extract_indicators(make_plan(MISSING_COLUMN))
    assert [r.name for r in rows] == ["城镇新增就业人数", "城镇登记失业率", "人才资源总量"]
    r = by_name(rows)
    assert (r["城镇新增就业人数"].attribute, r["城镇新增就业人数"].category) == ("预期性", None)
    assert (r["城镇登记失业率"].attribute, r["城镇登记失业率"].unit) == (None, "%")
    assert r["城镇登记失业率"].target_value == 3.0
    # the short last row has no target: kept, null, warned about
    assert r["人才资源总量"].target_value is None
    assert len(warnings) == 1 and "人才资源总量" in warnings[0]


PLACEHOLDERS = """表2 主要指标
指标类别\t指标名称\t单位\t2025年目标\t属性
就业创业\t1.城镇新增就业人数\t万人\t--\t预期性
\t2.城镇登记失业率\t%\t待定\t预期性
\t3.城镇调查失业率\t%\t5左右\t预期性
"""


def test_placeholder_values_are_kept_with_null_and_a_warning():
    rows, warnings = extract_indicators(make_plan(PLACEHOLDERS))
    r = by_name(rows)
    assert len(rows) == 3
    for name, text in (("城镇新增就业人数", "--"), ("城镇登记失业率", "待定")):
        assert (r[name].target_text, r[name].target_value, r[name].comparator) == (
            text, None, None)
        assert r[name].attribute == "预期性" and r[name].category == "就业创业"
    assert (r["城镇调查失业率"].target_value, r["城镇调查失业率"].comparator) == (5.0, "~")
    assert len(warnings) == 1
    assert "城镇新增就业人数" in warnings[0] and "城镇登记失业率" in warnings[0]


def test_row_missing_its_empty_category_cell_is_realigned():
    text = ("表2 主要指标\n指标类别\t指标名称\t单位\t2025年目标\t属性\n"
            "就业创业\t1.城镇新增就业人数\t万人\t8\t预期性\n"
            "2.城镇登记失业率\t%\t3以内\t预期性\n")
    rows, _ = extract_indicators(make_plan(text))
    r = by_name(rows)
    assert (r["城镇登记失业率"].unit, r["城镇登记失业率"].target_value) == ("%", 3.0)
    assert r["城镇登记失业率"].category == "就业创业"


def test_header_not_marked_is_found():
    rows, _ = extract_indicators(make_plan(TARGET_TABLE, header_rows=False))
    assert len(rows) == 5 and rows[0].unit == "万人"


def test_plan_without_tables():
    plan = make_plan("一、总体要求\n坚持就业优先。\n")
    assert extract_indicators(plan) == ((), ())


# --------------------------------------------------------------------------- prose

PROSE = """二、发展目标
到2025年，城镇调查失业率控制在5.5%以内，高校毕业生总体就业率达到95%以上，每万名劳动力中高技能人才数达到950人。
""" + TARGET_TABLE


def test_prose_goals_become_rows_without_table():
    rows, _ = extract_indicators(make_plan(PROSE, goal_section="二、发展目标"))
    prose = [r for r in rows if r.table is None]
    r = by_name(prose)
    # the table already states 高校毕业生就业率 (the same concept): not repeated
    assert set(r) == {"城镇调查失业率", "每万名劳动力中高技能人才数"}
    u = r["城镇调查失业率"]
    assert (u.kind, u.target_value, u.comparator, u.unit, u.target_year) == (
        "target", 5.5, "<=", "%", 2025)
    assert PROSE[u.start:u.end] == "城镇调查失业率控制在5.5%以内"
    assert r["每万名劳动力中高技能人才数"].target_value == 950.0
    assert len([x for x in rows if x.table]) == 5


# --------------------------------------------------------------------------- pieces


def test_column_roles():
    assert column_role("指标类别") is ColumnRole.CATEGORY
    assert column_role("分类、指标") is ColumnRole.NAME
    assert column_role("指 标") is ColumnRole.NAME
    assert column_role("2015年 (基数)") is ColumnRole.BASE
    assert column_role("2020年 (目标)") is ColumnRole.TARGET
    assert column_role("2020年 (完成)") is ColumnRole.ACHIEVED
    assert column_role("2020 年末 完成情况") is ColumnRole.ACHIEVED
    assert column_role("完成“十三五”规划目标(%)") is ColumnRole.OTHER


def test_layout_of_a_table_in_a_box_uses_the_box_title():
    text = ("类型\t指标\t2015年 (基数)\t2020年 (目标)\t2020年 (完成)\n"
            "就业创业\t1. 城镇新增就业人数 (万人)\t[7.65]\t[6]\t[12.86]\n")
    plan = make_plan(text, HAINING)
    (layout,) = table_layouts(plan.tables[0], plan_period=(2021, 2025),
                              title="专栏 1 “十三五”时期主要指标完成情况")
    assert layout.kind is IndicatorKind.PAST
    assert (layout.target_year, layout.base_year) == (2020, 2020)


@pytest.mark.parametrize(
    ("name", "concept"),
    [
        ("城镇新增就业", "城镇新增就业人数"),
        ("高校毕业生年末总体就业率", "高校毕业生就业率"),
        ("政府补贴性职业培训人数", "补贴性职业技能培训人次"),
        ("高、中、初级专业技术人才比例", "高中初级专业技术人才比例"),
        ("全市城镇登记失业率", "城镇登记失业率"),
        ("某某籍高校毕业生就业率", "高校毕业生就业率"),
        ("人才总量", "人才资源总量"),
        ("劳动保障监察举报投诉案件按期结案率", "劳动保障监察举报投诉案件结案率"),
        ("某项新指标", None),
    ],
)
def test_canonical_concepts(name, concept):
    assert canonical_indicator(name) == concept


def test_every_concept_label_is_unique_to_its_concept():
    from extract.lexicon import load_lexicon

    seen: dict[str, str] = {}
    for concept in load_lexicon().scheme("indicator"):
        for label in concept.labels:
            assert seen.setdefault(label, concept.iri) == concept.iri, label


def test_growth_goals_keep_the_growth_in_the_name():
    text = ("二、主要目标\n全市居民人均可支配收入年均增长7%左右，青壮年文盲率降到5%，"
            "人均预期寿命达到80岁左右。\n")
    rows, _ = extract_indicators(make_plan(text, goal_section="二、主要目标"))
    r = by_name(rows)
    assert set(r) == {"居民人均可支配收入年均增长", "青壮年文盲率", "人均预期寿命"}
    growth = r["居民人均可支配收入年均增长"]
    assert (growth.canonical, growth.target_value, growth.comparator, growth.unit) == (
        "居民人均可支配收入增长率", 7.0, "~", "%")
    assert (r["青壮年文盲率"].target_value, r["青壮年文盲率"].comparator) == (5.0, "=")
    assert (r["人均预期寿命"].unit, r["人均预期寿命"].comparator) == ("岁", "~")


def test_prose_outside_goal_sections_is_not_read():
    text = "三、主要任务\n城镇调查失业率控制在5.5%以内。\n"
    assert extract_indicators(make_plan(text, goal_section="三、主要任务")) == ((), ())


# Previous targets, results and the plan's own targets in one table.
COMBINED = """表1 主要指标
指标\t“十三五”目标\t2020年完成\t“十四五”目标\t属性
1.城镇新增就业人数（万人）\t[40]\t[52.3]\t[45]\t预期性
2.城镇登记失业率（%）\t<4\t1.8\t<4.5\t预期性
"""


def test_combined_table_gives_past_and_target_rows():
    rows, warnings = extract_indicators(make_plan(COMBINED))
    assert warnings == ()
    past = {r.name: r for r in rows if r.kind == "past"}
    target = {r.name: r for r in rows if r.kind == "target"}
    assert set(past) == set(target) == {"城镇新增就业人数", "城镇登记失业率"}
    p, t = past["城镇新增就业人数"], target["城镇新增就业人数"]
    assert (p.target_text, p.baseline_text, p.target_year, p.base_year) == (
        "[40]", "[52.3]", 2020, 2020)
    assert (t.target_text, t.target_value, t.cumulative, t.baseline_text, t.target_year,
            t.base_year, t.attribute) == ("[45]", 45.0, True, "[52.3]", 2025, 2020, "预期性")
    assert (target["城镇登记失业率"].comparator, past["城镇登记失业率"].comparator) == ("<", "<")


def test_result_column_of_a_target_table_is_its_baseline():
    text = ("表2 主要指标\n指标名称\t2020年实际\t2025年目标\t属性\n"
            "1.失业保险参保人数(万人)\t84.9\t100\t约束性\n")
    (row,), _ = extract_indicators(make_plan(text))
    assert (row.kind, row.target_value, row.baseline_text, row.base_year) == (
        "target", 100.0, "84.9", 2020)


def test_prose_goals_with_spaces_around_the_number():
    text = "二、发展目标\n到“十四五”末，全市人才总量达 175 万人，城镇调查失业率控制在 5% 左右。\n"
    rows, _ = extract_indicators(make_plan(text, goal_section="二、发展目标"))
    assert [(r.name, r.target_value, r.unit, r.comparator) for r in rows] == [
        ("人才总量", 175.0, "万人", "="), ("城镇调查失业率", 5.0, "%", "~")]


def test_prose_goal_with_full_width_percent_and_an_adverb():
    text = "（三）主要目标\n6.全市企业劳动合同签订率持续保持98％以上。\n"
    (row,), _ = extract_indicators(make_plan(text, goal_section="（三）主要目标"))
    assert (row.name, row.target_value, row.comparator, row.unit) == (
        "企业劳动合同签订率", 98.0, ">=", "%")


def test_a_mark_the_note_calls_a_five_year_total():
    text = ("表2 主要指标\n指标\t2025年目标\t属性\n"
            "1.城镇新增就业人数（万人）△\t13\t预期性\n"
            "2.技能人才总量（万人）△*\t21\t预期性\n"
            "3.城镇登记失业率（%）\t<3.5\t预期性\n"
            "注：带△的指标为五年累计数，*为省厅指标。\n")
    rows, warnings = extract_indicators(make_plan(text, HAINING))
    r = by_name(rows)
    assert warnings == ()
    # the mark is understood (no warning) but cumulative stays the bracket flag
    assert (r["城镇新增就业人数"].cumulative, r["城镇新增就业人数"].target_text) == (False, "13")
    assert (r["技能人才总量"].authority, r["技能人才总量"].target_value) == ("province", 21.0)
    assert r["城镇新增就业人数"].authority is None
