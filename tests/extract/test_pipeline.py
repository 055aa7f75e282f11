"""Tests of extract.pipeline: one plan in, one Record out."""

from __future__ import annotations

from extract.model import Document, Metadata, PlanDocument, Record
from extract.pipeline import entity_id, extract, extract_many, make_nlp


def _plan(text: str, *, title: str | None = None, source: str = "plan.txt") -> PlanDocument:
    return PlanDocument(Document(text=text, source=source, sha256="0"), Metadata(title=title))


def test_make_nlp_is_built_once_per_process() -> None:
    assert make_nlp() is make_nlp()
    assert make_nlp().pipe_names[0] == "policykg_policies"


def test_cited_policies_exclude_the_plans_own_title() -> None:
    text = ("现将《某市就业促进“十四五”规划》印发给你们。\n某市就业促进“十四五”规划\n"
            "根据《保障农民工工资支付条例》《关于构建和谐劳动关系的意见》，制定本规划。")
    record = extract(_plan(text))
    policies = {e.name: e.kind for e in record.entities if e.type == "Policy"}
    assert policies == {"保障农民工工资支付条例": "条例", "关于构建和谐劳动关系的意见": "意见"}


def test_metadata_title_is_excluded_even_without_a_heading_line() -> None:
    text = "《某区人才发展规划》已经区政府同意。贯彻《事业单位人事管理条例》。"
    record = extract(_plan(text, title="某区人才发展规划"))
    assert [e.name for e in record.entities if e.type == "Policy"] == ["事业单位人事管理条例"]


def test_every_mention_is_a_surface_of_its_entity() -> None:
    text = "帮扶离校未就业高校毕业生、困难家庭高校毕业生和高校毕业生就业，落实《保障农民工工资支付条例》。"
    record = extract(_plan(text))
    for e in record.entities:
        for m in e.mentions:
            assert text[m.start:m.end] in e.surface, (e.name, m)
    graduates = [e for e in record.entities if e.name == "高校毕业生"]
    assert len(graduates) == 1 and len(graduates[0].mentions) == 3


def test_output_is_deterministic_and_round_trips() -> None:
    text = "实施《某市创业担保贷款办法》，帮扶农民工、退役军人创业。"
    a, b = extract(_plan(text)).dumps(), extract(_plan(text)).dumps()
    assert a == b
    import json
    assert Record.from_json(json.loads(a)).dumps() == a


def test_extract_many_keeps_order() -> None:
    plans = [_plan("帮扶残疾人。", source="a.txt"), _plan("帮扶退役军人。", source="b.txt")]
    records = list(extract_many(plans))
    assert [r.doc_id for r in records] == ["a", "b"]
    assert [[e.name for e in r.entities if e.type == "TargetGroup"] for r in records] == [
        ["残疾人"], ["退役军人"]]


def test_entity_ids_are_deterministic_and_typed() -> None:
    assert entity_id("Program", "x") == entity_id("Program", "x")
    assert entity_id("Program", "x").startswith("prg-")
    assert entity_id("Policy", "x") != entity_id("Program", "x")
