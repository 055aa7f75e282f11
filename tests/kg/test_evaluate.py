"""The evaluator (kg/evaluate.py) and `kg eval`, on gold dicts written here and the gold files."""

from __future__ import annotations

import json

import pytest

from extract.model import Entity, IndicatorRow, Metadata, Record
from kg.errors import InputFileError
from kg.evaluate import (
    evaluate,
    evaluate_record,
    indicator_name_key,
    load_gold,
    norm,
    score_entities,
    score_indicators,
    score_metadata,
)


def row(name, *, kind="target", table="表2", unit=None, text=None, value=None, comparator=None,
        cumulative=False, baseline=None, attribute=None, start=0):
    return IndicatorRow(name=name, canonical=None, unit=unit, target_text=text,
                        target_value=value, comparator=comparator, cumulative=cumulative,
                        baseline_text=baseline, baseline_value=None, attribute=attribute,
                        kind=kind, table=table, start=start, end=start + 1)


def entity(type_, name):
    return Entity(id=f"{type_}:{name}", type=type_, name=name, surface=(name,), mentions=())


# --------------------------------------------------------------------------- normalisation


def test_norm_follows_the_gold_readme():
    assert norm("“马兰花”计划") == "马兰花计划"
    assert norm("《江苏省  就业促进条例》") == "江苏省就业促进条例"
    assert norm("吴政办〔2021〕144号") == norm("吴政办[2021]144号") == "吴政办(2021)144号"
    assert norm("（新口径）") == "(新口径)" and norm("【65】") == "(65)"
    assert norm("A—B・C") == "a-b·c"
    assert norm("１２３３３") == "12333"


def test_indicator_name_key_strips_serial_and_unit():
    assert indicator_name_key("1.城镇新增就业人数(万人)") == "城镇新增就业人数"
    assert indicator_name_key("12、 失业保险参保率（%）") == "失业保险参保率"
    assert indicator_name_key("博士（后）人才引进数") == "博士(后)人才引进数"


# --------------------------------------------------------------------------- entities


def test_alias_notation_and_duplicates():
    s = score_entities(["人社局", "人力资源和社会保障局", "12333"],
                       ["人力资源和社会保障局/人社局", "12333线上服务体系/12333"],
                       list_name="institutions")
    assert (s.tp, s.fp, s.fn, s.duplicates) == (2, 0, 0, 1)
    # the second entity for one body is named, so that a reader can see what was not merged
    assert len(s.duplicated) == 1 and s.duplicated[0] in ("人社局", "人力资源和社会保障局")
    assert s.to_json()["duplicated"] == list(s.duplicated)


def test_slash_is_not_split_outside_alias_lists():
    s = score_entities(["A/B"], ["A/B"], list_name="policies")
    assert (s.tp, s.fp, s.fn) == (1, 0, 0)
    s = score_entities(["A"], ["A/B"], list_name="policies")
    assert (s.tp, s.fp, s.fn) == (0, 1, 1)


def test_uncertain_items_are_neutral():
    gold = [{"name": "创业提升计划", "surface": ["“创业提升计划”"]},
            {"name": "技能大赛", "surface": ["技能大赛"], "uncertain": True},
            {"name": "同舟计划", "surface": ["“同舟计划”"], "uncertain": True}]
    s = score_entities(["“创业提升计划”", "技能大赛", "无关行动"], gold)
    assert (s.tp, s.fp, s.fn, s.uncertain) == (1, 1, 0, 1)
    assert s.false_positives == ("无关行动",) and s.misses == ()
    # an unfound uncertain item is not a miss
    assert score_entities([], gold[1:]).fn == 0


def test_program_surface_forms_are_keys():
    gold = [{"name": "创业徐州", "surface": ["“创业徐州”品牌"], "kind": "品牌"}]
    assert score_entities(["“创业徐州”品牌"], gold).tp == 1


def test_one_prediction_matching_two_items_takes_the_free_one():
    # "B" fits both items; "A" only the first: a one-to-one matching finds both.
    s = score_entities(["B", "A"], ["A/B", "C/B"], list_name="institutions")
    assert (s.tp, s.fp, s.fn, s.duplicates) == (2, 0, 0, 0)


def test_precision_recall_f1():
    s = score_entities(["a", "b", "x"], ["a", "b", "c", "d"], list_name="policies")
    assert (s.tp, s.fp, s.fn) == (2, 1, 2)
    assert s.precision == pytest.approx(2 / 3) and s.recall == pytest.approx(0.5)
    assert s.f1 == pytest.approx(2 * (2 / 3) * 0.5 / (2 / 3 + 0.5))


# --------------------------------------------------------------------------- indicators

GOLD_ROWS = [
    {"name": "城镇新增就业人数", "unit": "万人", "table": "表2", "plan_target": "[37.5]",
     "target_value": 37.5, "comparator": "=", "cumulative": True, "baseline": "8.8",
     "attribute": "预期性"},
    {"name": "城镇登记失业率", "unit": "%", "table": "表2", "plan_target": "4以内",
     "target_value": 4, "comparator": "<=", "cumulative": False, "baseline": "1.76",
     "attribute": "预期性"},
    {"name": "高、中、初级专业技术人才比例", "unit": None, "table": "表2",
     "plan_target": "13:41:46", "target_value": None, "comparator": None,
     "cumulative": False, "baseline": "14:41:45", "attribute": "预期性"},
]


def test_indicator_rows_exact_and_per_field():
    predicted = [
        row("1.城镇新增就业人数(万人)", unit="万人", text="[37.5]", value=37.5, comparator="=",
            cumulative=True, baseline="8.8", attribute="预期性", start=1),
        # value right, comparator wrong, baseline wrong
        row("城镇登记失业率", unit="％", text="4", value=4.0, comparator="=", baseline="1.7",
            attribute="预期性", start=2),
        row("高、中、初级专业技术人才比例", text="13:41:46", baseline="14:41:45",
            attribute="预期性", start=3),
        row("不在表中的指标", value=1.0, comparator="=", start=4),
    ]
    s = score_indicators(predicted, GOLD_ROWS)
    assert (s.gold, s.predicted, s.matched, s.exact) == (3, 4, 3, 2)
    assert s.exact_rate == pytest.approx(2 / 3)
    assert s.precision == pytest.approx(3 / 4) and s.recall == 1.0
    assert s.field_accuracy("comparator") == pytest.approx(2 / 3)
    assert s.field_accuracy("unit") == 1.0  # "％" normalises to "%"
    assert s.field_accuracy("baseline") == pytest.approx(2 / 3)
    assert s.field_accuracy("target_value") == 1.0  # null == null for the ratio
    assert s.false_positives == ("不在表中的指标",)
    assert {(m.name, m.field) for m in s.mismatches} == {
        ("城镇登记失业率", "comparator"), ("城镇登记失业率", "baseline")}


def test_missing_rows_count_against_the_exact_rate():
    s = score_indicators([], GOLD_ROWS)
    assert (s.exact_rate, s.recall, len(s.misses)) == (0.0, 0.0, 3)


def test_gold_without_optional_fields_reads_as_null():
    s = score_indicators([row("某指标", value=1.0, comparator="=")],
                         [{"name": "某指标", "target_value": 1, "comparator": "="}])
    assert s.exact == 1


# --------------------------------------------------------------------------- metadata


def test_metadata_fields():
    gold = {"title": "某区人力资源和社会保障事业发展“十四五”规划", "region": "某区",
            "parent_regions": ["某市", "某省"], "admin_level": "district", "period": "十四五",
            "start_year": 2021, "end_year": 2025, "doc_number": "某政办〔2021〕1号",
            "issuer": "某区人民政府办公室", "issue_date": "2021-12-23"}
    pred = {**gold, "doc_number": "某政办[2021]1号", "parent_regions": ["某省", "某市"],
            "issue_date": "2021-12-24", "title": "某区人力资源和社会保障事业发展十四五规划"}
    s = score_metadata(pred, gold)
    assert s.field_accuracy("doc_number") == 1.0
    assert s.field_accuracy("title") == 1.0  # quotes are removed by norm
    assert s.field_accuracy("parent_regions") == 0.0  # order matters
    assert s.field_accuracy("issue_date") == 0.0
    assert s.accuracy == pytest.approx(8 / 10)
    # a null gold field is right only when the prediction is null too
    assert score_metadata({"doc_number": "x"}, {"doc_number": None}).field_accuracy(
        "doc_number") == 0.0
    assert score_metadata({}, {"doc_number": None}).field_accuracy("doc_number") == 1.0


# --------------------------------------------------------------------------- gold files


def perfect_record(doc_id: str, gold: dict) -> Record:
    """A record that says exactly what the gold file says (first form of each item)."""
    ents = []
    for etype, key in (("Program", "programs"), ("Policy", "policies"),
                       ("Institution", "institutions"), ("TargetGroup", "target_groups")):
        for item in gold[key]:
            name = item["name"] if isinstance(item, dict) else item.split("/")[0]
            ents.append(entity(etype, name))
    rows = []
    for kind, key in (("target", "indicators"), ("past", "past_indicators")):
        for i, g in enumerate(gold[key]):
            rows.append(row(g["name"], kind=kind, table=g["table"], unit=g.get("unit"),
                            text=g.get("plan_target"), value=g.get("target_value"),
                            comparator=g.get("comparator"), cumulative=g.get("cumulative"),
                            baseline=g.get("baseline"), attribute=g.get("attribute"), start=i))
    md = dict(gold["metadata"])
    md["parent_regions"] = tuple(md.get("parent_regions") or ())
    return Record(doc_id=doc_id, source=f"data/{doc_id}.txt", sha256="0",
                  metadata=Metadata(**md), entities=tuple(ents), indicators=tuple(rows))


def test_gold_scored_against_itself_is_perfect(gold):
    result = evaluate([perfect_record(k, g) for k, g in gold.items()], gold)
    assert [d.doc_id for d in result.documents] == sorted(gold)
    for etype in ("Program", "Policy", "Institution", "TargetGroup"):
        s = result.entity(etype)
        assert (s.fp, s.fn, s.f1) == (0, 0, 1.0), etype
    for kind in ("target", "past"):
        assert result.indicator(kind).exact_rate == 1.0
    assert result.micro_metadata.accuracy == 1.0
    assert result.missing == () and result.unscored == ()


def test_micro_average_sums_counts(gold):
    one = sorted(gold)[0]
    empty = Record(doc_id=one, source="x", sha256="0", metadata=Metadata())
    result = evaluate([perfect_record(k, g) for k, g in gold.items() if k != one] + [empty],
                      gold)
    s = result.entity("Policy")
    assert s.fn == len(gold[one]["policies"])
    assert s.tp == sum(len(g["policies"]) for k, g in gold.items() if k != one)
    d = next(d for d in result.documents if d.doc_id == one)
    assert d.indicator("target").exact_rate == 0.0


def test_prose_rows_are_not_scored_against_table_rows(gold):
    key = sorted(gold)[0]
    rec = perfect_record(key, gold[key])
    prose = row("某项文字目标", table=None, value=1.0, comparator="=")
    rec = Record(**{**{f: getattr(rec, f) for f in rec.__dataclass_fields__},
                    "indicators": (*rec.indicators, prose)})
    d = evaluate_record(rec, gold[key])
    assert d.indicator("target").false_positives == ()


def test_records_and_gold_without_partner(gold):
    stray = Record(doc_id="999_other", source="x", sha256="0", metadata=Metadata())
    result = evaluate([stray], gold)
    assert result.unscored == ("999_other",) and result.missing == tuple(sorted(gold))


def test_load_gold_errors(tmp_path):
    with pytest.raises(InputFileError, match="gold directory not found; pass --gold"):
        load_gold(tmp_path / "nope")
    with pytest.raises(InputFileError, match="no gold label files"):
        load_gold(tmp_path)
    (tmp_path / "a.json").write_text("{", encoding="utf-8")
    with pytest.raises(InputFileError, match="not a readable JSON gold file"):
        load_gold(tmp_path)


# --------------------------------------------------------------------------- CLI


def test_kg_eval_on_records(tmp_path, gold, shared_dir, capsys):
    from kg.cli import main

    records = tmp_path / "records.jsonl"
    records.write_text("\n".join(perfect_record(k, g).dumps() for k, g in gold.items()),
                       encoding="utf-8")
    code = main(["eval", str(records), "--gold", str(shared_dir / "gold"), "--format", "json"])
    out = capsys.readouterr().out
    assert code == 0, out
    data = json.loads(out)
    assert data["micro"]["entities"]["Program"]["f1"] == 1.0
    assert data["micro"]["indicators"]["past"]["exact_rate"] == 1.0
    assert len(data["documents"]) == len(gold)

    code = main(["eval", str(records), "--gold", str(shared_dir / "gold")])
    out = capsys.readouterr().out
    assert code == 0 and "Indicator rows" in out and "100.0" in out


def test_kg_eval_missing_gold_dir(tmp_path, capsys):
    from kg.cli import main

    code = main(["eval", "--gold", str(tmp_path / "absent")])
    err = " ".join(capsys.readouterr().err.split())  # Rich wraps long lines
    assert code == 2
    assert "absent: gold directory not found; pass --gold DIR" in err


def test_kg_eval_markdown(tmp_path, gold, shared_dir, capsys):
    from kg.cli import main

    records = tmp_path / "records.jsonl"
    records.write_text("\n".join(perfect_record(k, g).dumps() for k, g in gold.items()),
                       encoding="utf-8")
    code = main(["eval", str(records), "--gold", str(shared_dir / "gold"),
                 "--format", "markdown"])
    out = capsys.readouterr().out
    assert code == 0, out
    assert "| Program | 100.0 | 100.0 | 100.0 |" in out
    assert "| past | micro |" in out and "- none" in out


def test_eval_goes_on_past_a_bad_file(tmp_path, gold, capsys):
    from kg.cli import main

    gold_dir = tmp_path / "gold"
    gold_dir.mkdir()
    for name in ("good", "bad"):
        label = json.dumps({"doc": f"{name}.txt", "metadata": {}})
        (gold_dir / f"{name}.json").write_text(label, encoding="utf-8")
    plan = "某市“十四五”就业促进规划\n\n一、总体要求\n"
    (tmp_path / "good.txt").write_text(plan, encoding="utf-8")
    (tmp_path / "bad.txt").write_bytes(b"")
    code = main(["eval", str(tmp_path / "good.txt"), str(tmp_path / "bad.txt"),
                 "--gold", str(gold_dir), "--format", "json"])
    captured = capsys.readouterr()
    assert code == 2, captured.err
    data = json.loads(captured.out)
    assert [d["doc_id"] for d in data["documents"]] == ["good"]
    assert data["failed"][0]["file"].endswith("bad.txt")
    assert "bad.txt" in " ".join(captured.err.split())


def test_eval_of_plans_without_gold(tmp_path, shared_dir, capsys):
    from kg.cli import main

    plan = tmp_path / "other.txt"
    plan.write_text("某市“十四五”就业促进规划\n", encoding="utf-8")
    code = main(["eval", str(plan), "--gold", str(shared_dir / "gold")])
    err = " ".join(capsys.readouterr().err.split())
    assert code == 2 and "none of these plans has gold labels" in err
