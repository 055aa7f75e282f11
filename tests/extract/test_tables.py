"""Tables (extract/tables.py via structure): every indicator table of every seed with its
data rows, the gold rows' cells, headers repeated across page breaks, categories, notes."""

from __future__ import annotations

import json
import re

import pytest

from conftest_structure import by_prefix, norm, plans, yunnan_pdf, yunnan_txt  # noqa: F401
from extract.model import Document
from extract.structure import structure

# (label, number of data rows) of every table, in text order, counted by hand in each file.
TABLES = {
    "000": [("表1", 21), ("表2", 15)],
    "001": [("表1", 20), ("表2", 19),  # the main tables, then the annex breakdowns
            ("表1", 9), ("表2", 10), ("表3", 14), ("表4", 13), ("表5", 13), ("表6", 8),
            ("表7", 8), ("表8", 8), ("表9", 13)],
    "002": [],
    "003": [("表1", 13), ("表2", 17)],
    "004": [("专栏1", 16), ("专栏2", 19), ("附表", 9)],
}

# Which column holds what, read off each main table's header row by hand.
COLUMNS = {
    ("000", "表1"): {"name": 1, "target": 2, "baseline": 3},
    ("000", "表2"): {"name": 1, "target": 3, "attribute": 4},
    ("001", "表1"): {"name": 0, "target": 1, "baseline": 2},
    ("001", "表2"): {"name": 0, "baseline": 1, "target": 2, "attribute": 3},
    ("003", "表1"): {"name": 0, "target": 1, "baseline": 2},
    ("003", "表2"): {"name": 0, "target": 1, "attribute": 2},
}
GOLD_DOCS = {"000": "000_7e436999a8e03779", "001": "001_22cd41b2f7035d09",
             "003": "003_9aec27e272238e9b"}

_SERIAL = re.compile(r"^\s*\d{1,2}\s*[.．、]\s*")
_UNIT = re.compile(r"[(（][^()（）]{1,6}[)）]\s*$")
_REMARK = re.compile(r"[(（][\u4e00-\u9fff]+[)）]\s*$")
_DASHES = re.compile(r"^[-—]+$")


def _main_tables(plan):
    annex = {s.id for s in plan.sections if s.kind == "annex"}
    return [t for t in plan.tables if t.section not in annex]


@pytest.mark.parametrize("prefix", sorted(TABLES))
def test_every_table_found_with_its_data_rows(by_prefix, prefix):
    plan = by_prefix[prefix]
    got = [(t.label, len(t.data_rows)) for t in plan.tables]
    assert got == TABLES[prefix]


def test_annex_breakdowns_are_told_from_the_main_tables(by_prefix):
    plan = by_prefix["001"]
    kinds = {s.id: s.kind for s in plan.sections}
    main = _main_tables(plan)
    assert [t.label for t in main] == ["表1", "表2"]
    assert [norm(t.title) for t in main] == [
        norm("“十三五”人力资源和社会保障事业发展主要指标完成情况"),
        norm("“十四五”人力资源和社会保障事业发展主要指标")]
    annex = [t for t in plan.tables if t not in main]
    assert len(annex) == 9 and all(kinds[t.section] == "annex" for t in annex)
    assert norm(annex[0].title) == norm("“十四五”城镇新增就业人数(单位:人)")


@pytest.mark.parametrize("prefix", sorted(GOLD_DOCS))
def test_gold_rows_cells(by_prefix, gold, prefix):
    plan = by_prefix[prefix]
    labels = {t.label: t for t in _main_tables(plan)}
    g = gold[GOLD_DOCS[prefix]]
    problems = []
    for row in g["indicators"] + g["past_indicators"]:
        table = labels[row["table"]]
        cols = COLUMNS[(prefix, row["table"])]
        match = [r for r in table.data_rows
                 if norm(_UNIT.sub("", _SERIAL.sub("", r.cells[cols["name"]].text)))
                 == norm(row["name"])]
        if len(match) != 1:
            problems.append((row["table"], row["name"], f"{len(match)} rows match"))
            continue
        cells = [c.text for c in match[0].cells]
        target = _REMARK.sub("", cells[cols["target"]]) or None
        if norm(target) != norm(row["plan_target"]):
            problems.append((row["name"], "target", target, row["plan_target"]))
        if "baseline" in cols:
            base = cells[cols["baseline"]]
            base = None if not base or _DASHES.match(base) else base
            if norm(base) != norm(row["baseline"]):
                problems.append((row["name"], "baseline", base, row["baseline"]))
        elif row["baseline"] is not None:
            problems.append((row["name"], "baseline column missing"))
        if "attribute" in cols and cells[cols["attribute"]] != row["attribute"]:
            problems.append((row["name"], "attribute", cells[cols["attribute"]]))
        if norm(match[0].category) != norm(row.get("category")):
            problems.append((row["name"], "category", match[0].category, row.get("category")))
    assert not problems


def test_special_cell_texts_survive(plans):
    cells = {c.text for p in plans.values() for t in p.tables for r in t.rows for c in r.cells}
    for s in ("【65】", "<4", "≥90", "3以内", "5左右", "95以上", "6:30:64", "--", "-----"):
        assert s in cells, s
    assert "[37.5](新口径)" in cells  # [37.5] with its printed remark, as one cell


def test_page_break_repeats_the_header_in_one_table(by_prefix):
    t1, t2 = by_prefix["000"].tables
    for t in (t1, t2):
        headers = [r for r in t.rows if r.header]
        assert len(headers) == 2
        assert [c.text for c in headers[0].cells] == [c.text for c in headers[1].cells] \
            == list(t.columns)
        assert headers[0].start < headers[1].start
    assert t2.columns == ("指标类别", "指标名称", "单位", "2025年目标", "属性")
    # the category printed on the first page carries down; 人事|人才 split by the page break
    # is one merged cell (人事人才, as 表2 prints it)
    by_name = {_SERIAL.sub("", r.cells[1].text): r.category for r in t1.data_rows}
    assert by_name["城镇登记失业率(%)"] == "就业创业"
    assert by_name["人才资源总量(万人)"] == "人事人才"
    assert by_name["高层次人才(万人)"] == "人事人才"
    assert by_name["规模以上企业劳动合同签订率(%)"] == "劳动关系"


def test_category_rows_head_the_rows_below(by_prefix):
    t2 = _main_tables(by_prefix["001"])[1]
    cats = [(r.header, r.category, r.cells[0].text) for r in t2.rows[:4]]
    assert cats[0][0] and cats[1] == (True, "就业创业", "一、就业创业")
    assert cats[2][:2] == (False, "就业创业")


def test_notes_under_tables(by_prefix):
    notes = {(k, t.label): [norm(n.text) for n in t.notes]
             for k, p in by_prefix.items() for t in p.tables if t.notes}
    assert notes == {
        ("001", "表1"): [norm("注：[] 为五年累计数。")],
        ("001", "表2"): [norm("备注：[]为五年累计数。")],
        ("003", "表2"): [norm("注：【 】表示五年累计数。")],
        ("004", "专栏1"): [norm("注：[]内数据表示五年累计数。")],
        ("004", "专栏2"): [norm("注：[]内数据表示五年累计数；**为浙江省厅指标，*为嘉兴市局指标，"
                                "无标识为海宁定制指标。")],
    }


def test_tables_inside_boxes(by_prefix):
    plan = by_prefix["004"]
    t1, t2, t3 = plan.tables
    assert (t1.box, t2.box, t3.box) == ("box1", "box2", None)
    assert norm(t1.title) == norm("“十三五”时期全市人力资源和社会保障事业发展 主要指标完成情况")
    assert t2.columns == ("指标", "2020年基数", "2025年目标", "属性")
    # 一、就业 … 五、公共服务: category rows
    assert [r.category for r in t2.rows if r.header and r.category] == [
        "就业", "社会保障", "人才队伍", "劳动关系", "公共服务"]


def test_filler_rows_are_dropped_with_a_warning(by_prefix):
    plan = by_prefix["001"]
    assert not any(c.text == "0001" for t in plan.tables for r in t.rows for c in r.cells)
    assert any("filler" in w for w in plan.warnings)


def test_few_warnings_on_the_seeds(plans):
    for stem, plan in plans.items():
        assert len(plan.warnings) < 5, (stem, plan.warnings)


@pytest.mark.slow  # reading the 28-page PDF takes seconds
def test_the_sample_has_no_tables(yunnan_txt, yunnan_pdf):
    # the plan prints its targets in prose; the transcription's one tab-bearing line is
    # prose too (“普六”\t、\t“普九”), and the PDF's 28 pages hold no table (PyMuPDF's
    # find_tables finds none either)
    assert yunnan_txt.tables == () and yunnan_pdf.tables == ()


def test_split_table_caption_after_and_short_row_warning():
    text = ("一、目标\n"
            "指标\t2020年\t2025年\n1.参保人数（万人）\t10\t12\n2.就业人数（万人）\t8\n"
            "表3 主要指标\n"
            "二、任务\n正文。\n")
    plan = structure(Document(text=text, source="t.txt", sha256=""))
    (t,) = plan.tables
    assert (t.label, t.title, len(t.data_rows)) == ("表3", "主要指标", 2)
    assert [c.text for c in t.data_rows[1].cells] == ["2.就业人数（万人）", "8"]
    assert any("fewer cells" in w for w in plan.warnings)
    assert plan.text[t.start:t.end].startswith("指标") and plan.text[t.start:t.end].endswith(
        "主要指标")


def test_a_caption_below_one_table_is_not_stolen_from_the_next():
    text = ("一、目标\n指标\t2020年\t2025年\n1.参保人数（万人）\t10\t12\n2.就业人数（万人）\t8\t9\n"
            "表2 人才指标\n指标\t2020年\t2025年\n1.人才总量（万人）\t30\t35\n2.技能人才（万人）\t5\t7\n")
    plan = structure(Document(text=text, source="t.txt", sha256=""))
    assert [(t.label, t.title, len(t.data_rows)) for t in plan.tables] == [
        (None, None, 2), ("表2", "人才指标", 2)]


def test_a_continued_table_is_one_table():
    text = ("一、目标\n表2 主要指标\n指标\t2020年\t2025年\n1.参保人数（万人）\t10\t12\n"
            "续表2\n指标\t2020年\t2025年\n2.就业人数（万人）\t8\t9\n注：[]为五年累计数。\n二、任务\n正文。\n")
    plan = structure(Document(text=text, source="t.txt", sha256=""))
    (t,) = plan.tables
    assert (t.label, t.title, len(t.data_rows), len(t.rows)) == ("表2", "主要指标", 2, 4)
    assert [r.header for r in t.rows] == [True, False, True, False]
    assert [n.text for n in t.notes] == ["注：[]为五年累计数。"]
    span = plan.text[t.start:t.end]
    assert span.startswith("表2 主要指标") and span.endswith("注：[]为五年累计数。")
    assert [s.title for s in plan.sections if s.kind != "table"] == ["目标", "任务"]


def test_a_table_aligned_with_spaces_is_read_like_a_tab_table():
    # a PDF or word-processor export: columns aligned with runs of spaces, category lines
    # with no cells of their own between the rows
    text = ("一、发展目标\n"
            "表1  主要指标\n\n"
            "指标              单位      2020年     2025年\n"
            "一、就业\n"
            "1.城镇新增就业    万人      [3.2]      [3.5]\n"
            "2.登记失业率      %         4以内      4.5以内\n"
            "二、社保\n"
            "3.参保人数        万人      12.5       14\n"
            "注：[ ]内为五年累计数。\n"
            "二、主要任务\n正文。\n")
    plan = structure(Document(text=text, source="t.txt", sha256=""))
    (t,) = plan.tables
    assert (t.label, t.title, t.columns) == ("表1", "主要指标", ("指标", "单位", "2020年", "2025年"))
    assert [[c.text for c in r.cells] for r in t.data_rows] == [
        ["1.城镇新增就业", "万人", "[3.2]", "[3.5]"],
        ["2.登记失业率", "%", "4以内", "4.5以内"],
        ["3.参保人数", "万人", "12.5", "14"]]
    assert [r.category for r in t.data_rows] == ["就业", "就业", "社保"]
    assert all(plan.text[c.start:c.end] == c.text for r in t.rows for c in r.cells)
    assert [n.text for n in t.notes] == ["注：[ ]内为五年累计数。"]
    # the category line inside the table is no section heading
    assert "就业" not in [s.title for s in plan.sections]


def test_wide_spaces_in_a_heading_or_a_short_run_make_no_table():
    text = ("第三章\u3000强化就业优先政策\u3000巩固就业成果\n正文。\n"
            "甲  乙  丙\n丁  戊  己\n正文。\n")
    plan = structure(Document(text=text, source="t.txt", sha256=""))
    assert plan.tables == ()


def test_a_table_with_bar_separated_cells_is_read_like_a_tab_table():
    # a Markdown or plain-text table: | between cells, outer bars, a | --- | rule under
    # the header, an empty category cell carried from the row above
    text = ("一、发展目标\n"
            "表2 主要指标\n"
            "| 类别 | 指标 | 2020年 | 2025年 | 属性 |\n"
            "| --- | :---: | --- | --- | --- |\n"
            "| 就业 | 1.城镇新增就业（万人） | 【30】 | 【32】 | 预期性 |\n"
            "|  | 2.调查失业率（%） | 5.2 | 5.5以内 | 预期性 |\n"
            "| 社保 | 3.参保人数（万人）* | 12 | -- | 约束性 |\n"
            "注：【】内为五年累计数。\n"
            "二、主要任务\n正文里有一个竖线|不是表格。\n")
    plan = structure(Document(text=text, source="t.txt", sha256=""))
    (t,) = plan.tables
    assert (t.label, t.title) == ("表2", "主要指标")
    assert t.columns == ("类别", "指标", "2020年", "2025年", "属性")
    assert [[c.text for c in r.cells] for r in t.data_rows] == [
        ["就业", "1.城镇新增就业（万人）", "【30】", "【32】", "预期性"],
        ["", "2.调查失业率（%）", "5.2", "5.5以内", "预期性"],
        ["社保", "3.参保人数（万人）*", "12", "--", "约束性"]]
    assert all(plan.text[c.start:c.end] == c.text for r in t.rows for c in r.cells)
    assert len(t.rows) == 4  # the header and three data rows: the rule line is no row
    assert [n.text for n in t.notes] == ["注：【】内为五年累计数。"]
    assert [s.title for s in plan.sections if s.kind != "table"] == ["发展目标", "主要任务"]


def test_bars_in_prose_or_a_lone_rule_make_no_table():
    text = ("一、目标\n坚持“政府|市场”双轮驱动，推动就业。\n"
            "----|----\n甲|乙\n正文。\n")
    plan = structure(Document(text=text, source="t.txt", sha256=""))
    assert plan.tables == ()


def test_rows_under_a_blank_category_cell_keep_their_columns():
    # a table aligned with spaces whose category is printed on a group's first row only;
    # the other rows keep their first (blank) cell, in its column
    text = ("一、目标\n表2 主要指标\n"
            "类别        指标              单位      2015年    2020年\n"
            "就业规模    城镇新增就业      人        [700]     [800]\n"
            "            登记失业率        %         3.6       4.2以内\n"
            "技能培训    职业培训          万人次    [2.1]     [3]\n"
            "二、任务\n正文。\n")
    plan = structure(Document(text=text, source="t.txt", sha256=""))
    (t,) = plan.tables
    assert [[c.text for c in r.cells] for r in t.data_rows] == [
        ["就业规模", "城镇新增就业", "人", "[700]", "[800]"],
        ["", "登记失业率", "%", "3.6", "4.2以内"],
        ["技能培训", "职业培训", "万人次", "[2.1]", "[3]"]]
    assert [r.category for r in t.data_rows] == ["就业规模", "就业规模", "技能培训"]


# A target table aligned with spaces (as `pdftotext -layout` writes one): two category
# columns printed on a group's first row only, header words spaced out, rows without a
# unit, and labels wrapped onto a second line within their column.
LAYOUT_TABLE = """某某市“十四五”人才发展规划
一、主要目标
表2　某某市“十四五”人才发展主要指标

类  别    分  项    序号  指  标                            单位    2020年    2025年      属性
人才规模  人才总量  1     人才资源总量                      万人    40.2      52以上      预期性
                    2     专业技术人才总量                  万人    11.3      14          预期性
          重点人才  3     新引进和留本地就业创业的高校      万人    【6.1】   【9】       预期性
                          毕业生
                    4     在站博士后研究人员（人）                  12        30以上      预期性
人才生态  平台载体  5     新增省级以上博士后科研工作站和            【6】     【10】      预期性
                          专家工作站（个）
          服务保障  6     人才服务事项平均办结时限（个工            8         5以内       约束性
                          作日）
注：【 】内为五年累计数。

二、主要任务
"""


def test_a_table_laid_out_with_spaces_is_read_by_column() -> None:
    from extract.model import Document
    from extract.read import read_bytes
    from extract.structure import structure

    doc = read_bytes(LAYOUT_TABLE.encode(), source="layout.txt")
    plan = structure(doc)
    (table,) = plan.tables
    assert [c.replace(" ", "") for c in table.columns] == [
        "类别", "分项", "序号", "指标", "单位", "2020年", "2025年", "属性"]
    data = [r for r in table.rows if not r.header]
    assert [[c.text for c in r.cells] for r in data] == [
        ["人才规模", "人才总量", "1", "人才资源总量", "万人", "40.2", "52以上", "预期性"],
        ["", "", "2", "专业技术人才总量", "万人", "11.3", "14", "预期性"],
        ["", "重点人才", "3", "新引进和留本地就业创业的高校毕业生", "万人", "【6.1】", "【9】",
         "预期性"],
        ["", "", "4", "在站博士后研究人员（人）", "", "12", "30以上", "预期性"],
        ["人才生态", "平台载体", "5", "新增省级以上博士后科研工作站和专家工作站（个）", "",
         "【6】", "【10】", "预期性"],
        ["", "服务保障", "6", "人才服务事项平均办结时限（个工作日）", "", "8", "5以内",
         "约束性"],
    ]
    assert [r.category for r in data] == ["人才规模"] * 4 + ["人才生态"] * 2
    # every cell is the text at its offsets, but a wrapped label: the text of its pieces
    joined = []
    for r in data:
        for c in r.cells:
            if c.parts is None:
                assert doc.text[c.start:c.end] == c.text
            else:
                assert "".join(doc.text[a:b] for a, b in c.parts) == c.text
                assert (c.start, c.end) == (c.parts[0][0], c.parts[-1][1])
                joined.append(c.text)
    assert len(joined) == 3
    # and the record carries the pieces through JSON
    from extract.model import Record, Metadata
    record = Record(doc_id="layout", source="layout.txt", sha256="", metadata=Metadata(),
                    tables=plan.tables)
    back = Record.from_json(json.loads(record.dumps()))
    assert back.tables == plan.tables
    assert record.dumps().count('"parts"') == 3
    # no line of the table is read as prose: the wrapped parts belong to the table
    assert all(not s.title.startswith("毕业生") for s in plan.sections)
