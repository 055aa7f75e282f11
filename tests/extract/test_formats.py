"""Other formats: a seed rebuilt as .docx, .pdf and .html reads to the same sections and
table rows as the .txt; the real sample PDF reads like its text transcription."""

from __future__ import annotations

import re
import unicodedata

import pytest
from conftest_read import make_docx, make_html, make_pdf

from extract.batch import structure_document
from extract.model import PlanDocument
from extract.read import read, read_bytes

# 004: tables inside 专栏 boxes and an annex table; 000: tables split by page breaks,
# a covering notice before the plan.
SEEDS = ("004_7f774147c20b4d40", "000_7e436999a8e03779")


def _sections(plan: PlanDocument) -> list[tuple[str, str, str, int]]:
    return [(s.kind, s.number, s.title, s.level) for s in plan.sections]


def _rows(plan: PlanDocument) -> list[list[tuple[bool, tuple[str, ...]]]]:
    return [[(r.header, tuple(c.text for c in r.cells)) for r in t.rows] for t in plan.tables]


@pytest.fixture(scope="module")
def seeds(seed_paths) -> dict[str, tuple[str, PlanDocument]]:
    out = {}
    for stem in SEEDS:
        path = next(p for p in seed_paths if p.stem == stem)
        text = path.read_text(encoding="utf-8")
        out[stem] = (text, structure_document(read(path)))
    return out


def _check_same(plan: PlanDocument, reference: PlanDocument) -> None:
    assert len(reference.sections) > 20 and len(reference.tables) >= 2  # a real comparison
    assert _sections(plan) == _sections(reference)
    assert _rows(plan) == _rows(reference)
    assert plan.metadata == reference.metadata
    for table in plan.tables:  # offsets index the text read from this format
        for row in table.rows:
            for cell in row.cells:
                assert plan.text[cell.start:cell.end] == cell.text


@pytest.mark.parametrize("stem", SEEDS)
def test_docx_from_seed_gives_same_sections_and_rows(seeds, stem: str) -> None:
    text, reference = seeds[stem]
    doc = read_bytes(make_docx(text), source=f"{stem}.docx")
    assert doc.format == "docx"
    assert doc.text == reference.text  # paragraphs and tables in order: the very same text
    _check_same(structure_document(doc), reference)


@pytest.mark.parametrize("stem", SEEDS)
def test_html_from_seed_gives_same_sections_and_rows(seeds, stem: str) -> None:
    text, reference = seeds[stem]
    doc = read_bytes(make_html(text), source=f"{stem}.html")
    assert doc.format == "html"
    for hidden in ("不应读出", "脚本", "隐藏的导航", "页面标题", "margin"):
        assert hidden not in doc.text  # script, style, hidden elements and head dropped
    _check_same(structure_document(doc), reference)


@pytest.mark.slow
@pytest.mark.parametrize("stem", SEEDS)
def test_pdf_from_seed_gives_same_sections_and_rows(seeds, stem: str) -> None:
    text, reference = seeds[stem]
    title = reference.metadata.title
    doc = read_bytes(make_pdf(text, header=title), source=f"{stem}.pdf")
    assert doc.format == "pdf"
    assert doc.text.count(title) == reference.text.count(title)  # running header dropped
    assert not re.search(r"^－\d+－$", doc.text, re.MULTILINE)  # page numbers dropped
    _check_same(structure_document(doc), reference)


def _title_key(title: str) -> str:
    """Section titles compared as the gold README compares strings (NFKC, no spaces or
    quote marks): the transcription prints ASCII quotes where the PDF has “”."""
    return re.sub(r"[\s\"'“”‘’]", "", unicodedata.normalize("NFKC", title))


@pytest.mark.slow
def test_real_sample_pdf_and_its_transcription(shared_dir) -> None:
    pdf = structure_document(read(shared_dir / "samples" / "yunnan-10th-general-fyp.pdf"))
    txt = structure_document(read(shared_dir / "samples" / "yunnan-10th-general-fyp.txt"))
    assert pdf.document.format == "pdf"
    for plan in (pdf, txt):
        md = plan.metadata  # read off the document: 云南省 … 第十个五年计划纲要 (2001–2005)
        assert md.title == "云南省国民经济和社会发展第十个五年计划纲要"
        assert (md.region, md.admin_level, md.period, md.start_year, md.end_year) == (
            "云南省", "province", "十五", 2001, 2005)
    # the table of contents lists 8 篇 and 26 章; both readings find them as sections
    heads = {}
    for name, plan in (("pdf", pdf), ("txt", txt)):
        heads[name] = [(s.kind, s.number, _title_key(s.title)) for s in plan.sections
                       if s.kind in ("part", "chapter")]
        assert sum(k == "part" for k, _, _ in heads[name]) == 8
        assert sum(k == "chapter" for k, _, _ in heads[name]) == 26
    assert heads["pdf"] == heads["txt"]
    assert ("chapter", "二十一", "积极扩大就业,完善社会保障制度") in heads["pdf"]
    # the PDF's hard-wrapped lines are re-joined into paragraphs
    assert "世纪之交,我省基本实现了现代化建设第二步战略目标,人民生活总体上开始进入小康," \
           "综合经济实力明显增强。" in pdf.text


def test_html_in_gbk_with_hidden_parts_and_a_spanned_table() -> None:
    page = ("<html><head><meta charset='gbk'><title>标题栏</title></head><body>"
            "<h1>一、总体要求</h1><p hidden>草稿</p><p>到2025年，新增就业 <b>5</b> 万人。</p>"
            "<table><tr><th>类别</th><th>指标</th><th>目标</th></tr>"
            "<tr><td rowspan='2'>就业</td><td>城镇新增就业<br>(万人)</td><td>[5]</td></tr>"
            "<tr><td>城镇调查失业率(%)</td><td>&lt;5.5</td></tr></table>"
            "<pre>附件  表1</pre></body></html>")
    doc = read_bytes(page.encode("gbk"), source="plan.html")
    assert (doc.format, doc.encoding) == ("html", "gb18030")
    assert doc.text.split("\n") == [
        "一、总体要求",
        "到2025年，新增就业5万人。",
        "类别\t指标\t目标",
        "就业\t城镇新增就业(万人)\t[5]",
        "\t城镇调查失业率(%)\t<5.5",  # the spanned category cell: empty, in its column
        "附件  表1",
    ]


def test_html_cells_spanned_down_or_across_keep_every_cell_in_its_column() -> None:
    page = ("<html><body><table>"
            "<tr><td rowspan='2'>类别</td><td rowspan='2'>指标</td><td colspan='2'>2020年</td>"
            "<td rowspan='2'>属性</td></tr>"
            "<tr><td>目标</td><td>完成</td></tr>"
            "<tr><td rowspan='3'>就业</td><td>城镇新增就业</td><td>5</td><td>5.6</td>"
            "<td rowspan='2'>预期性</td></tr>"
            "<tr><td>城镇调查失业率</td><td>5.5以内</td><td>4.9</td></tr>"
            "<tr><td>零就业家庭</td><td colspan='2'>动态清零</td><td>约束性</td></tr>"
            "</table></body></html>")
    rows = [line.split("\t") for line in read_bytes(page.encode(), source="t.html").text.split("\n")]
    assert rows == [
        ["类别", "指标", "2020年", "", "属性"],
        ["", "", "目标", "完成", ""],
        ["就业", "城镇新增就业", "5", "5.6", "预期性"],
        ["", "城镇调查失业率", "5.5以内", "4.9", ""],
        ["", "零就业家庭", "动态清零", "", "约束性"],
    ]
