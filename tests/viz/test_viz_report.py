"""The comparison report as bytes: deterministic, self-contained, every claim sourced."""

from __future__ import annotations

import re

import pytest
from compare_fixtures import PLANS, XSS, mini_store

from kg.analysis import compare_facts, load_facts
from viz.report import SourceIndex, report_context, report_html, write_pdf, write_report


@pytest.fixture(scope="module")
def comparison():
    return compare_facts(load_facts(mini_store()))


def test_same_comparison_same_bytes(comparison) -> None:
    assert report_html(comparison) == report_html(compare_facts(load_facts(mini_store())))


def test_self_contained_and_script_free(comparison) -> None:
    page = report_html(comparison)
    assert "default-src 'none'" in page
    assert not re.search(r"<(script|link|img|iframe)\b", page, re.I)


def test_sources_are_the_sentences_in_text_order(comparison) -> None:
    ctx = report_context(comparison)
    sources = ctx["sources"]
    assert [s["id"] for s in sources] == [f"src-{i}" for i in range(1, len(sources) + 1)]
    plan_a = [s for s in sources if s["plan"] == "甲市人社规划"]
    assert [s["start"] for s in plan_a] == sorted(s["start"] for s in plan_a)
    text = PLANS[0].text
    for s in plan_a:
        # the highlighted mention is exactly the text at the stored offsets
        assert text[s["start"]:s["end"]] == s["mark"]
        assert s["before"] + s["mark"] + s["after"] in text


def test_every_shared_item_links_each_plan_to_a_source(comparison) -> None:
    ctx = report_context(comparison)
    ids = {s["id"] for s in ctx["sources"]}
    groups = next(b for b in ctx["sets"] if b["anchor"] == "set-targetgroup")
    grads = next(it for it in groups["shared"] if it["label"] == "高校毕业生")
    assert [b["plan"] for b in grads["badges"]] == ["甲市", "乙市", "丙市"]
    assert all(b["src"] in ids for b in grads["badges"])
    jobs = next(i for i in ctx["indicators"] if i["label"] == "城镇新增就业人数")
    assert [(r["plan"], r["cumulative"], r["annual"]) for r in jobs["rows"]] == [
        ("甲市", "是 yes (5 年)", "1.2"), ("乙市", "否 no", "5")]
    assert all(r["src"] in ids for r in jobs["rows"])


def test_source_index_numbers_each_mention_once() -> None:
    from kg.analysis import Evidence

    index = SourceIndex(plan_names={"a": "A"})
    ev = Evidence(plan="a", start=5, end=7, snippet="毕业", context="高校毕业生就业")
    one, two = index.ref(ev), index.ref(ev)
    names, rows = index.finish(["a"])
    assert names[one] == names[two] == "src-1"
    assert (rows[0]["before"], rows[0]["mark"], rows[0]["after"]) == ("高校", "毕业", "生就业")


@pytest.mark.slow
def test_pdf_through_chromium(comparison, tmp_path) -> None:
    html = write_report(comparison, tmp_path / "report.html", title=f"报告{XSS}")
    pdf = write_pdf(html, tmp_path / "report.pdf")
    data = pdf.read_bytes()
    assert data[:5] == b"%PDF-" and len(data) > 10_000


def test_compare_accepts_the_notebook_graph(tmp_path) -> None:
    import pyoxigraph as ox

    from kg.analysis import compare
    from kg.api import open as kg_open
    from compare_fixtures import add_plan

    path = tmp_path / "s.store"
    store = ox.Store(str(path))
    for spec in PLANS:
        add_plan(store, spec)
    store.flush()
    del store
    with kg_open(path) as graph:
        c = compare(graph, plans=["plan_a", "plan_b"])
    assert c.similarity["plan_a", "plan_b"] == pytest.approx(5 / 11, abs=1e-6)


def test_embedded_charts_are_data_images(comparison) -> None:
    page = report_html(comparison, charts=True)
    images = re.findall(r'<img alt="[^"]*" src="data:image/svg\+xml;base64,', page)
    assert len(images) == 3  # heatmap, themes, shared indicators
    assert not re.search(r"<script\b", page, re.I)


def test_plan_summary_and_extremes(comparison) -> None:
    ctx = report_context(comparison)
    assert ctx["extremes"] == {"most": "甲市 – 乙市 (0.45)", "least": "乙市 – 丙市 (0.22)"}
    a = next(p for p in ctx["plans"] if p["key"] == "plan_a")
    # programs, target groups, policies, institutions, indicator targets, unique items
    # (全民参保计划 and 灵活就业人员 are plan_a's alone)
    assert a["counts"] == [2, 3, 0, 0, 2, 2]
