"""The pipeline over the five seeds: offsets exact, no warning storm, deterministic output."""

from __future__ import annotations

import pytest

from conftest_structure import plans  # noqa: F401  (session fixture: seeds read+structured once)
from extract.model import Record
from extract.pipeline import extract_many

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def records(plans) -> dict[str, Record]:  # noqa: F811
    return {r.doc_id: r for r in extract_many(plans.values())}


def test_every_mention_is_one_of_its_surfaces(plans, records) -> None:  # noqa: F811
    assert len(records) == 5
    for stem, plan in plans.items():
        text = plan.text
        for e in records[stem].entities:
            assert e.mentions, (stem, e.name)
            for m in e.mentions:
                assert text[m.start:m.end] in e.surface, (stem, e.type, e.name, m)


def test_fewer_than_five_warnings_per_seed(records) -> None:
    for stem, r in records.items():
        assert len(r.warnings) < 5, (stem, r.warnings)


def test_relations_point_at_entities_of_the_record(records) -> None:
    for stem, r in records.items():
        ids = {e.id for e in r.entities} | {r.doc_id}
        for rel in r.relations:
            assert rel.head in ids and rel.tail in ids, (stem, rel)
            assert rel.start is not None and rel.end is not None and rel.start <= rel.end


def test_plans_own_title_is_never_a_cited_policy(plans, records) -> None:  # noqa: F811
    for stem, r in records.items():
        title = plans[stem].metadata.title
        assert title and title not in {e.name for e in r.entities if e.type == "Policy"}


def test_extraction_is_deterministic(plans, records) -> None:  # noqa: F811
    again = {r.doc_id: r.dumps() for r in extract_many(plans.values())}
    assert again == {k: v.dumps() for k, v in records.items()}


def test_a_plan_without_tables_or_boxes_still_extracts(plans) -> None:  # noqa: F811
    from dataclasses import replace

    plan = replace(plans["003_9aec27e272238e9b"], tables=(), boxes=())
    record = next(extract_many([plan]))
    assert record.indicators == () or all(r.table is None for r in record.indicators)
    assert any(e.type == "Program" for e in record.entities)
    assert any(e.type == "Policy" for e in record.entities)
