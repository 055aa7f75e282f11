"""The section tree (extract/sections.py via structure): top-level titles read off each seed
by hand, the table of contents kept out, headings told from numbered sentences."""

from __future__ import annotations

import pytest

from conftest_structure import (by_prefix, norm, plans, yunnan_pdf,  # noqa: F401
                                yunnan_txt)
from extract.lines import split_lines
from extract.model import Document
from extract.sections import find_toc
from extract.structure import structure

OUTLINE = {"part", "chapter", "section", "cn", "paren_cn", "arabic", "paren_arabic", "annex",
           "preamble"}

# Read off the documents by hand (the 一、 / 第X章 / 附件 lines of each file).
TOP_LEVEL = {
    "000": ["“十三五”期间人力资源和社会保障事业发展的主要成就",
            "“十四五”期间人力资源和社会保障事业发展的挑战与机遇",
            "“十四五”时期人力资源和社会保障事业发展的指导思想、基本原则和发展目标",
            "“十四五”时期人力资源和社会保障事业发展主要举措",
            "“十四五”规划实施保障措施"],
    "001": ["序言", "发展基础和面临形势", "指导原则和发展目标", "主要任务和具体举措",
            "规划实施保障措施", "“十四五”人社规划主要指标任务分解表"],
    "002": ["“十一五”期间人力资源和社会保障事业发展情况",
            "“十二五”时期人力资源和社会保障事业发展指导思想、基本原则和主要目标",
            "“十二五”时期人力资源和社会保障事业发展主要任务",
            "“十二五”时期人力资源和社会保障事业发展保障措施"],
    "003": ["发展基础", "面临形势", "指导思想、基本原则和发展目标", "重点任务", "保障措施"],
    "004": ["规划背景", "总体要求", "实现更加充分更高质量的就业",
            "健全更加完善更可持续的社会保障体系", "建设更优结构更高水平的人才队伍",
            "构建更和谐更稳定的劳动关系", "打造更高效更便捷的数字化人社公共服务",
            "强化规划实施保障", "海宁市人力资源和社会保障事业发展“十四五”重大任务清单"],
}

# Seed 001's 第X节 titles, read off its table of contents.
SECTIONS_001 = [
    ["“十三五”期间人社事业主要成绩", "“十四五”期间人社事业面临形势"],
    ["指导思想", "基本原则", "发展目标"],
    ["促进更加充分更高质量的就业", "持续打造更加便捷的创业环境", "健全覆盖全民的社会保障体系",
     "全面建设高素质人才队伍", "深入推进事业单位人事制度改革", "积极构建和谐劳动关系",
     "提升人社基本公共服务水平"],
    ["加强党对规划的全面领导", "加大资金保障力度", "加强规划监测评估", "加强宣传引导凝聚共识"],
]

# The sample's 篇 and 章, read off its (run-together) table of contents.
YUNNAN_PARTS = ["指导思想和发展目标", "调整经济结构", "推进改革开放", "发展科技教育",
                "坚持可持续发展", "改善人民生活", "精神文明和民主法制建设", "“十五”计划实施"]
YUNNAN_CHAPTERS = [
    "经济社会发展的指导思想", "经济社会发展的主要目标", "巩固和强化农业基础地位",
    "继续加强基础设施建设", "积极推进工业结构优化升级", "加快培植群体支柱产业", "大力发展服务业",
    "推进国民经济和社会信息化", "加快非公有制经济发展", "促进区域经济协调发展",
    "扶持民族地区加快发展", "加快城镇化进程", "深化各项改革", "继续扩大对内对外开放",
    "推进科技进步和创新", "大力发展教育", "加快人才资源开发", "控制人口增长", "有效保护资源",
    "加强生态环境保护与治理", "积极扩大就业，完善社会保障制度", "增加居民收入，提高社会公共服务水平",
    "加强社会主义精神文明建设", "加强社会主义民主法制建设", "改善宏观经济管理", "保障计划全面落实",
]


def _top(plan):
    # top-level headings as printed (the untitled preamble s0 before the first one aside)
    return [s.title for s in plan.sections
            if s.parent is None and s.kind in OUTLINE and s.id != "s0"]


@pytest.mark.parametrize("prefix", sorted(TOP_LEVEL))
def test_top_level_titles_read_by_hand(by_prefix, prefix):
    got = [norm(t) for t in _top(by_prefix[prefix])]
    assert got == [norm(t) for t in TOP_LEVEL[prefix]]


def test_seed_001_sections_match_its_table_of_contents(by_prefix):
    plan = by_prefix["001"]
    chapters = [s for s in plan.sections if s.kind == "chapter"]
    assert [c.number for c in chapters] == ["一", "二", "三", "四"]
    for chapter, want in zip(chapters, SECTIONS_001, strict=True):
        got = [s.title for s in plan.sections if s.parent == chapter.id and s.kind == "section"]
        assert [norm(t) for t in got] == [norm(t) for t in want]


def test_seed_001_toc_is_recognised_and_not_taken_for_sections(by_prefix):
    plan = by_prefix["001"]
    lines = split_lines(plan.text)
    toc = find_toc(lines)
    assert toc is not None
    assert norm(lines[toc.start].content) == "目录"
    assert lines[toc.stop - 1].content.startswith("附件")
    toc_start, toc_end = lines[toc.start].start, lines[toc.stop - 1].end
    inside = [s.title for s in plan.sections if toc_start <= s.start < toc_end]
    assert inside == []
    # the body's chapters come after the TOC, once each
    assert sum(1 for s in plan.sections if s.kind == "chapter") == 4
    assert not any(t.start < toc_end for t in plan.tables)


def test_headings_and_numbered_sentences():
    text = ("一、发展基础\n"
            "（一）就业创业工作稳步推进。全区新增城乡就业10.37万人，开发公益性岗位4016个。\n"
            "（二）基本原则\n"
            "1. 围绕中心、服务大局。提高政治站位。\n"
            "2. 民生为本、人民至上。坚持以人民为中心。\n"
            "（三）主要目标\n"
            "1.全市常住人口中大专以上学历人才数量达到200万人，高层次人才达到10万人，其中企业博士后达到500人。\n"
            "2.全市城乡基本养老、医疗保障覆盖率达到99%，企业劳动合同签订率保持在98%以上并逐年提高。\n"
            "3.全市城乡基本养老、医疗保障覆盖率达到99%。\n"
            "二、主要任务\n正文。\n")
    plan = structure(Document(text=text, source="t.txt", sha256=""))
    got = [(s.id, s.kind, s.number, s.title) for s in plan.sections]
    assert got == [
        ("s1", "cn", "一", "发展基础"),
        ("s1.1", "paren_cn", "一", "就业创业工作稳步推进"),
        ("s1.2", "paren_cn", "二", "基本原则"),
        ("s1.2.1", "arabic", "1", "围绕中心、服务大局"),
        ("s1.2.2", "arabic", "2", "民生为本、人民至上"),
        ("s1.3", "paren_cn", "三", "主要目标"),  # its numbered targets are sentences
        ("s2", "cn", "二", "主要任务"),
    ]
    s13 = plan.sections[5]
    assert plan.text[s13.start:s13.end].endswith("达到99%。")


def test_numbers_that_are_not_numerals_are_not_headings():
    text = "一、产业\n三七、天麻等中药材产业加快发展。\n二、城镇\n80.6%的城镇居民参保。\n"
    plan = structure(Document(text=text, source="t.txt", sha256=""))
    assert [s.title for s in plan.sections] == ["产业", "城镇"]


def test_annex_label_with_its_title_on_the_next_line():
    text = ("一、保障措施\n加强领导。\n附件\n主要指标任务分解表\n表1：城镇新增就业人数\n"
            "地区\t2021\t2022\n甲县\t10\t20\n乙县\t30\t40\n")
    plan = structure(Document(text=text, source="t.txt", sha256=""))
    annex = [s for s in plan.sections if s.kind == "annex"]
    assert [(a.id, a.title, a.parent) for a in annex] == [("s2", "主要指标任务分解表", None)]
    (table,) = plan.tables
    assert (table.label, table.section) == ("表1", "s2")


def test_section_spans_nest_and_ids_follow_the_tree(plans):
    for stem, plan in plans.items():
        by_id = {s.id: s for s in plan.sections}
        assert len(by_id) == len(plan.sections), stem
        for s in plan.sections:
            if s.parent is None:
                assert s.level == 1, (stem, s.id)
                continue
            p = by_id[s.parent]
            assert s.level == p.level + 1, (stem, s.id)
            assert p.start <= s.start and s.end <= p.end, (stem, s.id, p.id)
            if s.kind in OUTLINE:
                assert s.id.startswith(p.id + "."), (stem, s.id)


def test_sample_transcription_parts_and_chapters(yunnan_txt):
    parts = [s for s in yunnan_txt.sections if s.kind == "part"]
    chapters = [s for s in yunnan_txt.sections if s.kind == "chapter"]
    assert [norm(s.title) for s in parts] == [norm(t) for t in YUNNAN_PARTS]
    assert [norm(s.title) for s in chapters] == [norm(t) for t in YUNNAN_CHAPTERS]
    # 第三篇推进改革开放第十三章深化各项改革 stand on one line: split in two
    ch13 = next(c for c in chapters if c.number == "十三")
    assert next(p for p in parts if p.id == ch13.parent).number == "三"


@pytest.mark.slow  # reading the 28-page PDF takes seconds
def test_sample_pdf_and_text_agree_on_the_section_titles(yunnan_txt, yunnan_pdf):
    def outline(plan):
        return [(s.kind, s.number, norm(s.title)) for s in plan.sections
                if s.kind in ("part", "chapter")]

    assert outline(yunnan_pdf) == outline(yunnan_txt)
    assert len(outline(yunnan_pdf)) == len(YUNNAN_PARTS) + len(YUNNAN_CHAPTERS)


def test_toc_without_a_heading_line_is_a_run_of_page_references():
    text = ("规划\n发展基础……1\n主要目标……3\n重点任务……5\n保障措施……9\n"
            "一、发展基础\n正文。\n二、主要目标\n正文。\n")
    plan = structure(Document(text=text, source="t.txt", sha256=""))
    # the title and the TOC stand before the first heading: the untitled preamble
    assert [(s.kind, s.title) for s in plan.sections] == [
        ("preamble", ""), ("cn", "发展基础"), ("cn", "主要目标")]
    toc = find_toc(split_lines(text))
    assert toc == range(1, 5)


def test_parts_named_bufen_and_numbers_with_a_full_stop():
    text = ("第一部分 发展基础\n一．就业\n正文。\n二．社保\n正文。\n"
            "第二部分 主要任务\n第一章 就业优先\n正文。\n")
    plan = structure(Document(text=text, source="t.txt", sha256=""))
    assert [(s.id, s.kind, s.title) for s in plan.sections] == [
        ("s1", "part", "发展基础"), ("s1.1", "cn", "就业"), ("s1.2", "cn", "社保"),
        ("s2", "part", "主要任务"), ("s2.1", "chapter", "就业优先")]


def test_toc_ends_where_the_numbering_comes_round_again():
    # the body words its first chapter differently from the TOC entry
    text = ("目录\n第一章 发展基础\t1\n第二章 主要任务\t5\n"
            "第一章 发展基础与形势\n第一节 主要成绩\n正文。\n第二章 主要任务\n正文。\n")
    plan = structure(Document(text=text, source="t.txt", sha256=""))
    assert [(s.kind, s.title) for s in plan.sections] == [
        ("preamble", ""), ("chapter", "发展基础与形势"), ("section", "主要成绩"),
        ("chapter", "主要任务")]


def test_text_before_the_first_heading_is_an_untitled_preamble(by_prefix):
    plan = by_prefix["000"]
    s0 = plan.sections[0]
    assert (s0.id, s0.kind, s0.title, s0.parent, s0.level) == ("s0", "preamble", "", None, 1)
    first = next(s for s in plan.sections if s.id == "s1")
    body = plan.text[s0.start:s0.end]
    assert body.startswith("苏州市吴中区人民政府办公室文件")  # the covering notice …
    assert body.endswith("是未来五年全区人力资源和社会保障事业发展的指导性文件。")  # … to the heading
    assert s0.end < first.start
    notice = plan.text.index("《吴中区人力资源和社会保障事业发展“十四五”规划》")
    assert plan.section_at(notice) == s0


def test_a_lone_number_that_starts_no_list_is_not_a_heading():
    text = "一、发展基础\n全区就业稳定，分为\n5.以上各项工作按期完成。\n二、主要任务\n正文。\n"
    plan = structure(Document(text=text, source="t.txt", sha256=""))
    assert [s.title for s in plan.sections] == ["发展基础", "主要任务"]


def test_a_title_set_off_from_its_body_by_a_space():
    text = ("一、总体要求\n（一）指导思想　以新发展理念为指导，坚持稳中求进工作总基调，全面推进就业创业工作，"
            "努力实现更加充分更高质量就业。\n（二）基本原则 坚持以人民为中心，坚持系统观念，坚持改革创新。\n")
    plan = structure(Document(text=text, source="t.txt", sha256=""))
    assert [s.title for s in plan.sections] == ["总体要求", "指导思想", "基本原则"]
