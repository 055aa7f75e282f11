"""kg.analysis on the embedded corpus, checked against facts read in the five documents.

Expected values come from reading data/*.txt by hand (line numbers in the comments):
the target tables of 000 (吴中区, line 123), 001 (徐州市, 162), 003 (南通市, 119) and
004 (海宁市, 86); 002 (苏州市 “十二五”) has no target table, its goals are prose.
"""

from __future__ import annotations

import pytest
from compare_fixtures import corpus_store_path

from kg.analysis import compare

pytestmark = pytest.mark.slow

WUZHONG, XUZHOU, SUZHOU, NANTONG, HAINING = (
    "000_7e436999a8e03779", "001_22cd41b2f7035d09", "002_b5922f56b63f245e",
    "003_9aec27e272238e9b", "004_7f774147c20b4d40")
ALL = (WUZHONG, XUZHOU, SUZHOU, NANTONG, HAINING)
WITH_TARGET_TABLE = (WUZHONG, XUZHOU, NANTONG, HAINING)


@pytest.fixture(scope="module")
def comparison(tmp_path_factory):
    return compare(corpus_store_path(tmp_path_factory))


def _shared(comparison, kind: str) -> dict[str, tuple[str, ...]]:
    return {s.item.label: s.plans for s in comparison.sets[kind].shared}


def test_plans_are_the_five_seeds(comparison) -> None:
    plans = comparison.facts.plans
    assert tuple(p.key for p in plans) == ALL
    assert [p.short for p in plans] == ["吴中区", "徐州市", "苏州市", "南通市", "海宁市"]
    assert [(p.start_year, p.end_year) for p in plans] == [
        (2021, 2025), (2021, 2025), (2011, 2015), (2021, 2025), (2021, 2025)]


def test_target_groups_every_plan_names(comparison) -> None:
    groups = _shared(comparison, "TargetGroup")
    assert groups["高校毕业生"] == ALL  # named in all five plans
    assert groups["农民工"] == ALL
    assert groups["退役军人"] == (XUZHOU, HAINING)  # 001 and 004 only


def test_shared_programs(comparison) -> None:
    programs = _shared(comparison, "Program")
    # 全民参保计划: 000, 001, 003 and 004 name it; the 十二五 plan 002 does not
    assert programs["全民参保计划"] == (WUZHONG, XUZHOU, NANTONG, HAINING)
    assert programs["马兰花计划"] == (XUZHOU, HAINING)


def test_new_urban_jobs_across_plans(comparison) -> None:
    jobs = {c.indicator.label: c for c in comparison.indicators}["城镇新增就业人数"]
    assert jobs.unit == "万人"
    rows = {t.plan: t for t in jobs.targets}
    assert set(rows) >= set(WITH_TARGET_TABLE)
    # as printed: 000 "8" (no brackets), 001 "[37.5](新口径)", 003 "【 65 】", 004 "[13]"
    expected = {WUZHONG: (8.0, False), XUZHOU: (37.5, True), NANTONG: (65.0, True),
                HAINING: (13.0, True)}
    for plan, (value, cumulative) in expected.items():
        assert (rows[plan].target.value, rows[plan].target.cumulative) == (value, cumulative), plan
    # per year: five-year totals over the 5 years of the 十四五 period
    assert rows[XUZHOU].annual == pytest.approx(7.5)
    assert rows[NANTONG].annual == pytest.approx(13.0)
    assert rows[HAINING].annual == pytest.approx(2.6)
    assert rows[WUZHONG].annual == 8.0 and rows[WUZHONG].period_total is None
    assert rows[XUZHOU].baseline == pytest.approx(8.8)  # base-year column of 001
    # 001 compares a five-year total with a one-year base: 7.5 a year against 8.8
    assert rows[XUZHOU].change == pytest.approx(-1.3)
    # 004 prints both as five-year totals, [12.86] then [13]: +0.14 over 12.86
    assert rows[HAINING].change_pct == pytest.approx(100 * 0.14 / 12.86, abs=1e-4)
    assert rows[HAINING].target.authority == "province"  # ** in 004 marks a provincial target


def test_registered_unemployment_rate(comparison) -> None:
    rate = {c.indicator.label: c for c in comparison.indicators}["城镇登记失业率"]
    rows = {t.plan: t.target for t in rate.targets}
    # 000 "3以内", 001 "4以内", 003 "<4", 004 "<3.0"
    assert (rows[WUZHONG].value, rows[WUZHONG].comparator) == (3.0, "<=")
    assert (rows[XUZHOU].value, rows[XUZHOU].comparator) == (4.0, "<=")
    assert (rows[NANTONG].value, rows[NANTONG].comparator) == (4.0, "<")
    assert (rows[HAINING].value, rows[HAINING].comparator) == (3.0, "<")
    assert not any(t.cumulative for t in rows.values())


def test_similarity_matrix_is_a_similarity(comparison) -> None:
    m = comparison.similarity
    n = len(m.plans)
    for i in range(n):
        assert m.values[i][i] == 1.0
        for j in range(n):
            assert m.values[i][j] == m.values[j][i]
            assert 0.0 <= m.values[i][j] <= 1.0
    # the four 十四五 plans of Jiangsu share more with each other than with the 十二五 plan
    assert m[WUZHONG, NANTONG] > m[WUZHONG, SUZHOU]


def test_evidence_points_into_the_documents(comparison, seed_paths) -> None:
    texts = {p.stem: p.read_text(encoding="utf-8") for p in seed_paths}
    grads = next(s for s in comparison.sets["TargetGroup"].shared if s.item.label == "高校毕业生")
    for plan, ev in zip(grads.plans, grads.evidence):
        assert ev is not None and ev.plan == plan
        assert "高校毕业生" in ev.snippet or "高校毕业生" in ev.sentence


def test_open_graph_compares_like_the_function(tmp_path_factory, comparison) -> None:
    # kg.open(store).compare() is the notebook route to the same comparison
    from kg.api import open as open_graph

    with open_graph(corpus_store_path(tmp_path_factory)) as g:
        again = g.compare()
    assert again.similarity == comparison.similarity
    assert again.sets["TargetGroup"].shared == comparison.sets["TargetGroup"].shared
