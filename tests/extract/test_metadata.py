"""Plan metadata (extract/metadata.py): against the gold labels, by hand, and on notices
written here for plans from other provinces."""

from __future__ import annotations

import pytest

from conftest_structure import by_prefix, norm, plans  # noqa: F401  (session fixtures)
from extract.metadata import extract_metadata, parse_date, period_label, period_years
from extract.model import Document
from extract.structure import structure

FIELDS = ("title", "region", "parent_regions", "admin_level", "period", "start_year",
          "end_year", "doc_number", "issuer", "issue_date")


def _same(field: str, got: object, want: object) -> bool:
    if want is None:
        return got is None
    if field == "parent_regions":
        return [norm(x) for x in got] == [norm(x) for x in want]  # type: ignore[union-attr]
    if isinstance(want, str):
        return isinstance(got, str) and norm(got) == norm(want)
    return got == want


@pytest.mark.parametrize("stem", ["000_7e436999a8e03779", "001_22cd41b2f7035d09",
                                  "003_9aec27e272238e9b"])
def test_metadata_equals_gold(plans, gold, stem):
    md = plans[stem].metadata.to_json()
    want = gold[stem]["metadata"]
    wrong = {f: (md[f], want[f]) for f in FIELDS if not _same(f, md[f], want[f])}
    assert not wrong, f"{stem}: fields differ from gold (got, gold): {wrong}"


def test_every_seed_has_title_region_period_years(plans):
    for stem, plan in plans.items():
        md = plan.metadata
        assert md.title and md.region and md.period, (stem, md)
        assert md.start_year and md.end_year and md.end_year - md.start_year == 4, (stem, md)


def test_seed_002_read_by_hand(by_prefix):
    # the notice: 苏府„2011‟203 号 / 市政府关于批转苏州市…“十二五”规划的通知 /
    # 《苏州市人力资源和社会保障事业发展“十二五”规划》 / 二○一一年十一月十日
    md = by_prefix["002"].metadata
    assert norm(md.title) == norm("苏州市人力资源和社会保障事业发展“十二五”规划")
    assert (md.region, md.parent_regions, md.admin_level) == ("苏州市", ("江苏省",),
                                                              "prefecture-city")
    assert (md.period, md.start_year, md.end_year) == ("十二五", 2011, 2015)
    assert md.doc_number == "苏府〔2011〕203号"
    assert md.issue_date == "2011-11-10"
    # 市政府 issues it (苏府 is 苏州市人民政府's document series)
    assert md.issuer == "苏州市人民政府"


def test_seed_004_read_by_hand(by_prefix):
    # no covering notice: the title is the first line; no 文号, issuer or date printed
    md = by_prefix["004"].metadata
    assert norm(md.title) == norm("海宁市人力资源和社会保障事业发展“十四五”规划")
    assert (md.region, md.parent_regions, md.admin_level) == (
        "海宁市", ("嘉兴市", "浙江省"), "county-level-city")
    assert (md.period, md.start_year, md.end_year) == ("十四五", 2021, 2025)
    assert (md.doc_number, md.issuer, md.issue_date) == (None, None, None)


@pytest.mark.parametrize("n, years, label", [
    (9, (1996, 2000), "九五"), (10, (2001, 2005), "十五"), (11, (2006, 2010), "十一五"),
    (12, (2011, 2015), "十二五"), (13, (2016, 2020), "十三五"), (14, (2021, 2025), "十四五"),
    (15, (2026, 2030), "十五五"), (3, (1966, 1970), "三五"), (1, (1953, 1957), "一五"),
])
def test_period_years_by_arithmetic(n, years, label):
    assert period_years(n) == years
    assert period_label(n) == label


@pytest.mark.parametrize("text, iso", [
    ("2021年12月23日", "2021-12-23"), ("二○一一年十一月十日", "2011-11-10"),
    ("二〇二〇年三月三十一日", "2020-03-31"), ("2021年8月11日印发", "2021-08-11"),
    ("2021年8月", None), ("二○一一年十三月十日", None),
])
def test_parse_date(text, iso):
    assert parse_date(text) == iso


def _notice(issuer_line: str, title: str, date: str, number: str) -> str:
    return (f"{issuer_line}文件\n{number}\n关于印发{title}的通知\n各单位：\n"
            f"现将《{title}》印发给你们，请认真贯彻执行。\n{issuer_line}\n{date}\n"
            f"（此件公开发布）\n{title}\n一、发展基础\n“十三五”期间，全县就业稳定。\n")


def test_a_county_in_hunan_gets_its_province():
    text = _notice("长沙县人民政府办公室", "长沙县“十四五”人力资源和社会保障事业发展规划",
                   "2022年1月5日", "长县政办发〔2022〕3号")
    md = structure(Document(text=text, source="x.txt", sha256="")).metadata
    assert (md.region, md.parent_regions, md.admin_level) == ("长沙县", ("长沙市", "湖南省"),
                                                              "county")
    assert (md.issuer, md.issue_date, md.doc_number) == ("长沙县人民政府办公室", "2022-01-05",
                                                         "长县政办发〔2022〕3号")
    assert (md.period, md.start_year, md.end_year) == ("十四五", 2021, 2025)


def test_a_district_in_guangdong_with_its_city_in_the_title():
    text = _notice("广州市天河区人民政府办公室", "广州市天河区人力资源和社会保障事业发展“十三五”规划",
                   "二○一六年九月二十日", "穗天府办〔2016〕12号")
    md = structure(Document(text=text, source="x.txt", sha256="")).metadata
    assert (md.region, md.parent_regions, md.admin_level) == ("天河区", ("广州市", "广东省"),
                                                              "district")
    assert (md.period, md.start_year, md.issue_date) == ("十三五", 2016, "2016-09-20")


def test_an_ambiguous_district_is_settled_by_the_issuer():
    # 鼓楼区 exists in several cities; the issuing office names the city
    text = _notice("徐州市鼓楼区人民政府办公室", "鼓楼区“十四五”就业促进规划", "2021年6月1日",
                   "鼓政办发〔2021〕9号")
    md = structure(Document(text=text, source="x.txt", sha256="")).metadata
    assert (md.region, md.parent_regions) == ("鼓楼区", ("徐州市", "江苏省"))


def test_ordinal_period_and_year_span():
    text = "某省国民经济和社会发展第十一个五年规划纲要\n第一章 发展环境\n正文。\n"
    md, _ = extract_metadata(text, body_start=text.index("第一章"))
    assert (md.period, md.start_year, md.end_year) == ("十一五", 2006, 2010)
    text = "人才发展规划（2021—2025年）\n一、现状\n正文。\n"
    md, _ = extract_metadata(text, body_start=text.index("一、"))
    assert (md.period, md.start_year, md.end_year) == ("十四五", 2021, 2025)


def test_a_document_that_is_no_plan_is_flagged_and_left_blank():
    text = "会议纪要\n各位参会人员讨论了食堂菜单。\n散会。\n"
    plan = structure(Document(text=text, source="minutes.txt", sha256=""))
    assert any(w.startswith("not a plan document") for w in plan.warnings)
    md = plan.metadata
    assert (md.title, md.region, md.period, md.start_year, md.issue_date) == (None,) * 5


def test_a_nationwide_plan_signed_by_a_ministry():
    text = ("人力资源社会保障部文件\n人社部发〔2021〕47号\n"
            "关于印发人力资源和社会保障事业发展“十四五”规划的通知\n各省、自治区、直辖市：\n"
            "现将《人力资源和社会保障事业发展“十四五”规划》印发给你们，请认真贯彻执行。\n"
            "人力资源社会保障部\n2021年6月28日\n"
            "人力资源和社会保障事业发展“十四五”规划\n一、发展环境\n正文。\n")
    md = structure(Document(text=text, source="x.txt", sha256="")).metadata
    assert (md.region, md.parent_regions, md.admin_level) == ("全国", (), "national")
    assert (md.issuer, md.issue_date, md.doc_number) == ("人力资源社会保障部", "2021-06-28",
                                                         "人社部发〔2021〕47号")


def test_signature_and_date_on_one_line():
    text = ("关于印发沛县“十四五”就业促进规划的通知\n现将《沛县“十四五”就业促进规划》印发给你们。\n"
            "沛县人民政府办公室　2021年11月2日\n沛县“十四五”就业促进规划\n一、发展基础\n正文。\n")
    md = structure(Document(text=text, source="x.txt", sha256="")).metadata
    assert (md.issuer, md.issue_date) == ("沛县人民政府办公室", "2021-11-02")
