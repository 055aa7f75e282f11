"""``kg viz``, ``kg report``, ``kg compare`` on a small store written to disk."""

from __future__ import annotations

import json

import pyoxigraph as ox
import pytest
from compare_fixtures import PLANS, add_plan
from typer.testing import CliRunner

from kg.cli import app


@pytest.fixture(scope="module")
def store_path(tmp_path_factory):
    path = tmp_path_factory.mktemp("cli") / "mini.store"
    store = ox.Store(str(path))
    for spec in PLANS:
        add_plan(store, spec)
    store.flush()
    del store
    return path


def _run(*args: str):
    return CliRunner().invoke(app, list(args))


def test_compare_json(store_path) -> None:
    result = _run("compare", "--store", str(store_path), "--format", "json")
    assert result.exit_code == 0, result.output
    summary = json.loads(result.stdout)
    assert summary["similar_pairs"][0] == {"a": "plan_a", "b": "plan_b",
                                           "jaccard": pytest.approx(5 / 11, abs=1e-6)}
    assert [s["label"] for s in summary["shared"]["TargetGroup"]] == ["高校毕业生", "退役军人"]


def test_viz_writes_an_offline_page(store_path, tmp_path) -> None:
    out = tmp_path / "graph.html"
    result = _run("viz", "--store", str(store_path), "--plans", "plan_a,plan_b",
                  "--types", "TargetGroup", "--out", str(out))
    assert result.exit_code == 0, result.output
    assert "wrote" in result.stderr and "nodes" in result.stderr
    page = out.read_text(encoding="utf-8")
    data = json.loads(page.split('id="kg-data">', 1)[1].split("</script>", 1)[0])
    assert {n["type"] for n in data["nodes"]} == {"Plan", "TargetGroup"}
    assert {n["label"] for n in data["nodes"] if n["type"] == "TargetGroup"} == {
        "高校毕业生", "退役军人", "灵活就业人员"}


def test_report_with_charts(store_path, tmp_path) -> None:
    out = tmp_path / "report.html"
    charts = tmp_path / "charts"
    result = _run("report", "--store", str(store_path), "--out", str(out), "--charts",
                  str(charts))
    assert result.exit_code == 0, result.output
    assert out.stat().st_size > 0
    assert sorted(p.name for p in charts.iterdir()) == [
        "indicators.png", "indicators.svg", "similarity.png", "similarity.svg",
        "themes.png", "themes.svg"]


def test_errors_are_one_line_and_exit_2(store_path, tmp_path) -> None:
    from kg.cli import main

    assert main(["report", "--store", str(tmp_path / "none.store"), "--out",
                 str(tmp_path / "r.html")]) == 2
    assert main(["viz", "--store", str(store_path), "--plans", "丁市", "--out",
                 str(tmp_path / "g.html")]) == 2
    result = _run("viz", "--store", str(store_path), "--types", "Foo", "--out",
                  str(tmp_path / "g.html"))
    assert result.exit_code == 2 and "unknown type(s) Foo" in result.stderr
