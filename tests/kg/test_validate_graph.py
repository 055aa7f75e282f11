"""`kg validate`: SHACL per plan graph and whole-store rules find what is wrong, readably."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest
from conftest_graph import *  # noqa: F403

from kg.graph import build_records
from kg.store import GraphStore
from kg.validate import validate_store
from kg.vocab import PKG, RDF, RDFS

TEXT = "实施乡土人才计划，帮扶高校毕业生。"


@pytest.fixture()
def small_store(tmp_path: Path) -> Path:
    rec = make_record("v_plan", TEXT, entities=[("Program", "乡土人才计划", [(2, 8)]),
                                                ("TargetGroup", "高校毕业生", [(11, 16)])])
    store = tmp_path / "s"
    assert build_records([rec], store=store).ok
    return store


def _graph(store: Path) -> str:
    with GraphStore(store) as gs:
        return next(iter(gs.plan_versions().values())).graph


def test_clean_store_conforms(small_store: Path) -> None:
    with GraphStore(small_store) as gs:
        report = validate_store(gs)
    assert report.conforms and report.violations == () and report.graphs == 1


def test_fact_without_mention_is_a_violation(small_store: Path) -> None:
    g = ox.NamedNode(_graph(small_store))
    plan = ox.NamedNode("https://policykg.org/plan/v_plan")
    ghost = ox.NamedNode("https://policykg.org/program/ghost-00000000")
    with GraphStore(small_store) as gs:
        gs.ox.extend([ox.Quad(plan, ox.NamedNode(PKG.mentions), ghost, g),
                      ox.Quad(ghost, ox.NamedNode(RDF.type), ox.NamedNode(PKG.Program), g),
                      ox.Quad(ghost, ox.NamedNode(RDFS.label), ox.Literal("幽灵计划"), g)])
        report = validate_store(gs)
    assert not report.conforms
    messages = {(v.focus, v.message) for v in report.violations}
    assert (ghost.value, "every asserted entity has a Mention (pkg:evidence)") in messages
    # the label without @zh is reported too
    assert any(v.focus == ghost.value and "Chinese" in v.message for v in report.violations)
    # and the whole-store rule: no canonical label for it
    assert any(v.rule == "canonical-label" and v.focus == ghost.value
               for v in report.violations)
    result = run_kg("validate", "--store", str(small_store))
    assert result.returncode == 1, result.stderr
    assert "every asserted entity has a Mention" in result.stderr
    assert "ghost-00000000" in result.stderr
    assert "violation(s)" in result.stderr


def test_snippet_that_does_not_fit_its_offsets(small_store: Path) -> None:
    g = ox.NamedNode(_graph(small_store))
    with GraphStore(small_store) as gs:
        m = next(gs.ox.quads_for_pattern(None, ox.NamedNode(PKG.snippet), None, g))
        gs.ox.remove(m)
        gs.ox.add(ox.Quad(m.subject, m.predicate, ox.Literal(m.object.value + "多"), g))
        report = validate_store(gs)
    assert [v.rule for v in report.violations] == ["snippet-length"]
    assert report.violations[0].focus == m.subject.value


def test_default_graph_must_stay_empty(small_store: Path) -> None:
    with GraphStore(small_store) as gs:
        gs.ox.add(ox.Quad(ox.NamedNode("urn:x"), ox.NamedNode(RDFS.label), ox.Literal("x")))
        report = validate_store(gs)
    assert [v.rule for v in report.violations] == ["empty-default-graph"]


def test_missing_store_is_a_clear_error(tmp_path: Path) -> None:
    result = run_kg("validate", "--store", str(tmp_path / "nowhere"))
    assert result.returncode == 2
    assert "does not exist; build it first" in result.stderr
