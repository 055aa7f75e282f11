"""structure(doc) as a whole: exact offsets for every item of every seed and sample, the
record round trip, determinism, speed."""

from __future__ import annotations

import time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest_structure import plans, yunnan_pdf, yunnan_txt  # noqa: F401
from extract.model import PlanDocument, Record
from extract.read import read
from extract.structure import structure


def _check_offsets(name: str, plan: PlanDocument) -> int:
    text = plan.text
    n = 0
    for s in plan.sections:
        assert text[s.title_start:s.title_end] == s.title, (name, s.id)
        assert 0 <= s.start <= s.end <= len(text), (name, s.id)
        assert s.start <= s.title_start <= s.title_end <= max(s.end, s.title_end), (name, s.id)
        assert not text[s.start:s.end].endswith(("\n", " ")), (name, s.id)
        n += 1
    for t in plan.tables:
        span = text[t.start:t.end]
        assert t.start <= t.rows[0].start and t.rows[-1].end <= t.end, (name, t.id)
        if t.title is not None:
            assert t.title in span, (name, t.id)
        for r in t.rows:
            line = text[r.start:r.end]
            assert line in span, (name, t.id)
            if "\t" in line:
                assert "\n" not in line, (name, t.id)
                assert [p.strip(" \u3000") for p in line.split("\t")] == [
                    c.text for c in r.cells]
            for c in r.cells:
                # a cell is the text at its offsets, or (a label wrapped in its column, in
                # a table laid out with spaces) the text of its pieces joined
                pieces = c.parts or ((c.start, c.end),)
                assert "".join(text[a:b] for a, b in pieces) == c.text, (name, t.id, c)
                assert r.start <= c.start <= c.end <= r.end, (name, t.id, c)
                n += 1
        for note in t.notes:
            assert text[note.start:note.end] == note.text and t.start < note.start < t.end
        n += 1
    for b in plan.boxes:
        assert text[b.title_start:b.title_end] == b.title, (name, b.id)
        assert text[b.start:b.end].startswith("专栏"), (name, b.id)
        for i in b.items:
            assert text[i.title_start:i.title_end] == i.title, (name, b.id, i.number)
            assert b.start <= i.start <= i.title_start <= i.title_end <= i.end <= b.end
        n += 1
    return n


def test_offsets_are_exact_everywhere(plans, yunnan_txt):
    counted = sum(_check_offsets(k, p) for k, p in plans.items())
    counted += _check_offsets("yunnan.txt", yunnan_txt)
    assert counted > 1500  # every section, table, cell and box of six documents


@pytest.mark.slow  # reading the 28-page PDF takes seconds
def test_offsets_are_exact_on_the_sample_pdf(yunnan_pdf):
    assert _check_offsets("yunnan.pdf", yunnan_pdf) > 100


def test_section_at_finds_the_innermost_section(plans):
    plan = plans["003_9aec27e272238e9b"]
    box = plan.boxes[0]
    inner = plan.section_at(box.title_start)
    assert inner is not None and inner.id == box.id
    parent = plan.section_at(box.start - 1)
    assert parent is not None and parent.id == box.section


def test_record_round_trip_and_same_bytes_twice(seed_paths):
    for path in seed_paths:
        doc = read(path)
        a, b = structure(doc), structure(doc)
        assert a == b
        rec = Record(doc_id=doc.doc_id, source=doc.source, sha256=doc.sha256,
                     metadata=a.metadata, warnings=a.warnings, sections=a.sections,
                     tables=a.tables, boxes=a.boxes)
        assert Record.from_json(rec.to_json()) == rec
        rec2 = Record(doc_id=doc.doc_id, source=doc.source, sha256=doc.sha256,
                      metadata=b.metadata, warnings=b.warnings, sections=b.sections,
                      tables=b.tables, boxes=b.boxes)
        assert rec.dumps() == rec2.dumps()


@pytest.mark.slow  # reading the 28-page PDF takes seconds
def test_sample_metadata(yunnan_txt, yunnan_pdf):
    for plan in (yunnan_txt, yunnan_pdf):
        md = plan.metadata
        assert md.title == "云南省国民经济和社会发展第十个五年计划纲要"
        assert (md.region, md.parent_regions, md.admin_level) == ("云南省", (), "province")
        assert (md.period, md.start_year, md.end_year) == ("十五", 2001, 2005)


def test_structure_is_cheap(plans):
    # the bench in bench/ measures MB/s; here only a guard against an accidental blow-up
    docs = [p.document for p in plans.values()]
    t0 = time.perf_counter()
    for d in docs:
        structure(d)
    elapsed = time.perf_counter() - t0
    chars = sum(len(d.text) for d in docs)
    assert elapsed < 2.0, f"structure took {elapsed:.2f}s for {chars} characters"


def test_docstring_examples_run():
    import doctest

    import extract.boxes
    import extract.lines
    import extract.metadata
    import extract.regions
    import extract.sections
    import extract.structure
    import extract.tables

    for module in (extract.lines, extract.regions, extract.metadata, extract.sections,
                   extract.tables, extract.boxes, extract.structure):
        result = doctest.testmod(module)
        assert result.failed == 0, module.__name__


def test_big_and_odd_inputs_stay_linear():
    from extract.model import Document

    for text in ("", "就业" * 1_000_000, "一、" + "就业，" * 500_000, "\t".join(["12"] * 500_000)):
        t0 = time.perf_counter()
        plan = structure(Document(text=text, source="odd.txt", sha256=""))
        assert time.perf_counter() - t0 < 5.0
        assert plan.sections == () and plan.tables == ()
        assert any(w.startswith("not a plan document") for w in plan.warnings)


_LINE_KINDS = [
    "第一章 发展基础", "第二节 主要成绩", "一、总体要求", "（二）基本原则", "3. 加强培训。正文。",
    "（4）完善制度", "专栏 2 就业帮扶行动", "01 创业项目", "1.农村帮扶行动。发挥作用。",
    "表1 主要指标", "指标\t2020年\t2025年\t属性", "1.参保人数（万人）\t10\t[12]\t约束性",
    "一、就业\t\t\t", "\t2.就业率（%）\t95\t≥96\t预期性", "注：[]为五年累计数。", "附件",
    "目 录", "第一章 发展基础\t(3)", "序 言", "加强就业能力培训。推行终身职业技能培训。",
    "“十三五”期间，全市就业稳定，城镇新增就业10万人。", "", "  ", "抄送：各部门。",
    "市人民政府办公室", "2021年12月23日", "三七、天麻产业加快发展。",
    "附表：重大任务清单", "附表", "第三篇推进改革第十三章深化改革", "02 培训计划", "目录序言",
    "序号\t主要任务\t主要内容", "0001\t0001\t0001\t0001", "（此件公开发布）", "续表1",
    "（一）指导思想　以新发展理念为指导，坚持稳中求进。", "市人民政府办公室　2021年11月2日",
    # rows of a table laid out with spaces, a wrapped label, a spaced-out header
    "类  别    指  标                单位    2020年    2025年",
    "就业创业  城镇新增就业人数      万人    [1.2]     [1.5]",
    "          城镇调查失业率        %       4.8       5.5以内",
    "          新增高校毕业生见习    人      320       400",
    "                岗位",
    "                    2     专业技术人才总量      万人    27.3      33",
]


def test_a_plan_that_opens_with_an_indented_row_keeps_the_row_in_its_section() -> None:
    # found by the property below: the preamble began after the row's indentation
    from extract.model import Document

    lines = ["          城镇调查失业率        %       4.8       5.5以内",
             "类  别    指  标                单位    2020年    2025年",
             "类  别    指  标                单位    2020年    2025年", "第一章 发展基础"]
    plan = structure(Document(text="\n".join(lines), source="lead.txt", sha256=""))
    _check_offsets("lead", plan)
    by_id = {s.id: s for s in plan.sections}
    for s in plan.sections:
        if s.parent is not None:
            assert by_id[s.parent].start <= s.start and s.end <= by_id[s.parent].end


def test_a_table_captioned_below_its_rows_inside_a_box_stays_inside_it() -> None:
    # found by the property below: the box ended with the rows, the table with its caption
    from extract.model import Document

    lines = ["专栏 2 就业帮扶行动", "加强就业能力培训。推行终身职业技能培训。",
             "指标\t2020年\t2025年\t属性", "指标\t2020年\t2025年\t属性", "表1 主要指标"]
    plan = structure(Document(text="\n".join(lines), source="box.txt", sha256=""))
    by_id = {s.id: s for s in plan.sections}
    table = next(s for s in plan.sections if s.kind == "table")
    box = by_id[table.parent]
    assert box.kind == "box" and box.start <= table.start and table.end <= box.end


@settings(max_examples=150, deadline=None)
@given(st.lists(st.sampled_from(_LINE_KINDS), max_size=40))
def test_any_arrangement_of_plan_lines_keeps_offsets_exact(lines):
    from extract.model import Document

    text = "\n".join(lines)
    plan = structure(Document(text=text, source="fuzz.txt", sha256=""))
    _check_offsets("fuzz", plan)
    by_id = {s.id: s for s in plan.sections}
    assert len(by_id) == len(plan.sections)
    for s in plan.sections:
        if s.parent is not None:
            p = by_id[s.parent]
            assert p.start <= s.start and s.end <= p.end, (s.id, p.id)
    for t in plan.tables:
        assert len(t.rows) >= 2


# A plan written here in the genre's usual shape, from a province the seeds do not cover:
# notice with 文号 and signature, a TOC with dot leaders, 第X章/第X节/（一）, a table with a
# category column, a 专栏 with (1) items, an annex table, the foot.
UNSEEN = """浏阳市人民政府办公室文件

浏政办发〔2022〕15号

浏阳市人民政府办公室
关于印发《浏阳市“十四五”就业促进规划》的通知

各镇人民政府、街道办事处，市直各单位：
《浏阳市“十四五”就业促进规划》已经市人民政府同意，现印发给你们，请认真组织实施。

浏阳市人民政府办公室
2022年3月8日

浏阳市“十四五”就业促进规划

目  录
第一章　发展基础……………………………1
第二章　总体要求……………………………4
第三章　重点任务……………………………7
附件　主要指标分解表…………………………12

为促进更加充分更高质量就业，根据《湖南省“十四五”就业促进规划》，制定本规划。

第一章　发展基础
第一节　主要成就
“十三五”期间，全市城镇新增就业6.5万人。
第二节　面临形势
就业总量压力依然较大。
第二章　总体要求
第一节　指导思想
以习近平新时代中国特色社会主义思想为指导。
第二节　主要目标
到2025年，城镇新增就业累计达到7万人。
表1　浏阳市“十四五”就业促进主要指标
类别	指标	单位	2020年	2025年	属性
就业规模	城镇新增就业人数	万人	1.3	[7]	预期性
	城镇调查失业率	%	—	5.5以内	预期性
就业质量	农村劳动力转移就业人数	万人	2.1	[10]	预期性
注：[ ]内为五年累计数。
第三章　重点任务
第一节　实施就业优先政策
（一）强化政策支持
加大财政投入。
专栏1　就业促进重点工程
（1）高校毕业生就业促进工程。每年开发见习岗位1000个。
（2）农民工返乡创业工程。建设返乡创业园3个。
（二）优化就业服务
推进公共就业服务标准化。
第二节　加强职业技能培训
开展补贴性职业技能培训6万人次。
附件
主要指标分解表
附表1　城镇新增就业分解（单位：人）
地区	2021	2022	2023	2024	2025
淮川街道	1000	1000	1000	1000	1000
集里街道	800	800	800	800	800
抄送：市委办，市人大办，市政协办。
浏阳市人民政府办公室　　2022年3月8日印发
"""


def test_a_plan_from_elsewhere_written_here():
    from extract.model import Document

    plan = structure(Document(text=UNSEEN, source="unseen.txt", sha256=""))
    md = plan.metadata
    assert (md.title, md.region, md.parent_regions, md.admin_level) == (
        "浏阳市“十四五”就业促进规划", "浏阳市", ("长沙市", "湖南省"), "county-level-city")
    assert (md.doc_number, md.issuer, md.issue_date, md.period) == (
        "浏政办发〔2022〕15号", "浏阳市人民政府办公室", "2022-03-08", "十四五")
    assert [(s.id, s.kind, s.title) for s in plan.sections if s.kind not in ("box", "table")] == [
        ("s0", "preamble", ""),
        ("s1", "chapter", "发展基础"), ("s1.1", "section", "主要成就"),
        ("s1.2", "section", "面临形势"),
        ("s2", "chapter", "总体要求"), ("s2.1", "section", "指导思想"),
        ("s2.2", "section", "主要目标"),
        ("s3", "chapter", "重点任务"), ("s3.1", "section", "实施就业优先政策"),
        ("s3.1.1", "paren_cn", "强化政策支持"), ("s3.1.2", "paren_cn", "优化就业服务"),
        ("s3.2", "section", "加强职业技能培训"),
        ("s4", "annex", "主要指标分解表"),
    ]
    t1, t2 = plan.tables
    assert (t1.label, t1.section, len(t1.data_rows), t1.columns[0]) == ("表1", "s2.2", 3, "类别")
    assert [r.category for r in t1.data_rows] == ["就业规模", "就业规模", "就业质量"]
    assert [c.text for c in t1.data_rows[1].cells] == [
        "", "城镇调查失业率", "%", "—", "5.5以内", "预期性"]
    assert [n.text for n in t1.notes] == ["注：[ ]内为五年累计数。"]
    assert (t2.label, t2.section, len(t2.data_rows)) == ("附表1", "s4", 2)
    (box,) = plan.boxes
    assert (box.label, box.title, box.section) == ("专栏1", "就业促进重点工程", "s3.1.1")
    assert [(i.number, i.title) for i in box.items] == [
        ("1", "高校毕业生就业促进工程"), ("2", "农民工返乡创业工程")]
    # the annex, the last section, stops before the foot (抄送 …)
    annex = next(s for s in plan.sections if s.id == "s4")
    assert plan.text[annex.start:annex.end].endswith("集里街道\t800\t800\t800\t800\t800")
    assert plan.warnings == ()
