"""The graph page and the report in headless Chromium, opened from file:// offline.

Checked through the page's JavaScript: nodes shown, filters, no console error, links to
source sentences resolve, and a plan carrying ``<script>alert(1)</script>`` in a program
name, a section title and its own title runs no script. Screenshots go to
tests/artifacts/viz/.
"""

from __future__ import annotations

from contextlib import contextmanager
from pathlib import Path

import pytest
from browser import browser, console_errors, screenshot  # noqa: F401 (fixture)
from compare_fixtures import XSS, mini_store
from selenium.common.exceptions import NoAlertPresentException

from kg.analysis import bipartite_graph, compare_facts, load_facts
from viz.graph import write_graph_page
from viz.report import write_report

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def facts():
    return load_facts(mini_store())


@contextmanager
def offline(driver):
    """The browser with its network switched off (the session's driver is shared: the
    network comes back afterwards)."""
    driver.set_network_conditions(offline=True, latency=0, download_throughput=0,
                                  upload_throughput=0)
    try:
        yield driver
    finally:
        driver.delete_network_conditions()


def _open(driver, path: Path) -> None:
    console_errors(driver)  # drain what earlier pages logged
    driver.get(path.resolve().as_uri())


def _no_alert(driver) -> None:
    try:
        text = driver.switch_to.alert.text
    except NoAlertPresentException:
        return
    pytest.fail(f"a script from the data ran: alert({text!r})")


def _shot(driver, name: str) -> None:
    screenshot(driver, f"viz-{name}")


def test_graph_page_offline_shows_nodes_and_filters(browser, facts, tmp_path) -> None:
    page = write_graph_page(bipartite_graph(facts), tmp_path / "graph.html",
                            title=f"图谱{XSS}")
    with offline(browser):
        _check_graph_page(browser, page, facts)


def _check_graph_page(browser, page: Path, facts) -> None:
    _open(browser, page)
    state = browser.execute_async_script("""
        const done = arguments[arguments.length - 1];
        window.kg.ready.then(ms => done({
          ready: ms, shown: window.kg.nodeView.length, total: window.kg.nodes.length,
          drawn: Object.keys(window.kg.network.getPositions()).length,
          scripts: document.scripts.length,
          heading: document.querySelector('h1').textContent,
        }));""")
    _no_alert(browser)
    assert state["shown"] > 0 and state["drawn"] == state["total"] == state["shown"]
    assert state["scripts"] == 3  # the data island, vis-network, the page: nothing else
    assert state["heading"] == f"图谱{XSS}"  # shown as text
    assert console_errors(browser) == []
    _shot(browser, "graph")

    # the plan's <script> title and program name are texts in the DOM, not elements
    texts = browser.execute_script("""
        const labels = [...document.querySelectorAll('#kg-filter-plans label')]
          .map(l => l.textContent);
        const titles = window.kg.nodes.get().map(n => n.title);
        return {labels, tipsAreElements: titles.every(t => t instanceof HTMLElement),
                tipScripts: titles.reduce((k, t) => k + t.querySelectorAll('*').length
                                          - t.querySelectorAll('div').length, 0),
                tipText: titles.map(t => t.textContent).filter(t => t.includes('alert(1)'))};""")
    assert "丙市规划" + XSS in texts["labels"]
    assert texts["tipsAreElements"] and texts["tipScripts"] == 0
    assert any(f"{XSS}计划" in t for t in texts["tipText"])

    # filters: hide the Program type, then the xss plan
    counts = browser.execute_script("""
        const before = window.kg.nodeView.length;
        document.querySelector('#kg-filter-types input[value="Program"]').click();
        const noPrograms = window.kg.nodeView.length;
        const programs = window.kg.nodeView.get().filter(n => n.kgType === 'Program').length;
        document.querySelector('#kg-filter-plans input[value="plan_xss"]').click();
        const noXss = window.kg.nodeView.get().map(n => n.kgPlans.join(','));
        return {before, noPrograms, programs, noXss};""")
    n_programs = sum(1 for i in facts.items.values() if i.type == "Program")
    assert counts["noPrograms"] == counts["before"] - n_programs and counts["programs"] == 0
    assert all(p != "plan_xss" for p in counts["noXss"])
    _no_alert(browser)
    _shot(browser, "graph-filtered")


def test_report_links_resolve_and_no_script_runs(browser, facts, tmp_path) -> None:
    page = write_report(compare_facts(facts), tmp_path / "report.html", title=f"报告{XSS}")
    with offline(browser):
        _check_report(browser, page)


def _check_report(browser, page: Path) -> None:
    _open(browser, page)
    _no_alert(browser)
    state = browser.execute_script("""
        const links = [...document.querySelectorAll('a[href^="#"]')];
        const missing = links.map(a => a.getAttribute('href').slice(1))
          .filter(id => !document.getElementById(id));
        const sources = links.filter(a => a.getAttribute('href').startsWith('#src-'));
        return {links: links.length, sources: sources.length, missing,
                scripts: document.scripts.length,
                elements: document.querySelectorAll('script, iframe, object, embed').length,
                title: document.querySelector('h1').textContent,
                body: document.body.textContent};""")
    assert state["links"] > 0 and state["sources"] > 0
    assert state["missing"] == []
    assert state["scripts"] == 0 and state["elements"] == 0
    assert state["title"] == f"报告{XSS}"
    assert f"{XSS}计划" in state["body"] and f"第一章 {XSS}保障" in state["body"]
    assert console_errors(browser) == []
    _shot(browser, "report")
    # following a claim's link lands on its source sentence
    sentence = browser.execute_script("""
        const a = [...document.querySelectorAll('a[href^="#src-"]')]
          .find(a => a.textContent === '灵活就业人员');
        a.click();
        const target = document.querySelector(':target');
        return [location.hash === a.getAttribute('href'), target && target.textContent];""")
    assert sentence[0] is True
    assert "推进全民参保计划，覆盖灵活就业人员。" in sentence[1]
    _no_alert(browser)


@pytest.mark.slow
def test_corpus_report_links_resolve(browser, tmp_path_factory, tmp_path) -> None:
    from compare_fixtures import corpus_store_path

    from kg.analysis import compare

    page = write_report(compare(corpus_store_path(tmp_path_factory)), tmp_path / "corpus.html")
    with offline(browser):
        _open(browser, page)
        state = browser.execute_script("""
            const links = [...document.querySelectorAll('a[href^="#src-"]')];
            const missing = links.filter(a => !document.getElementById(a.hash.slice(1)));
            const sources = document.querySelectorAll('ol.sources li[id^="src-"]').length;
            const grads = links.filter(a => a.closest('li') &&
                a.closest('li').querySelector('.label') &&
                a.closest('li').querySelector('.label').textContent === '高校毕业生');
            return {links: links.length, missing: missing.length, sources,
                    grads: grads.map(a => document.getElementById(a.hash.slice(1)).textContent)};
        """)
        _shot(browser, "report-corpus")
        assert console_errors(browser) == []
    assert state["links"] > 100 and state["missing"] == 0 and state["sources"] > 100
    # the target group every plan names links, from each of the five plans, to a sentence
    # that names it
    assert len(state["grads"]) == 5 and all("高校毕业生" in s for s in state["grads"])


@pytest.mark.slow
def test_two_thousand_nodes_interactive_within_3_s(browser, tmp_path) -> None:
    import random

    import networkx as nx

    rng = random.Random(11)
    g = nx.Graph()
    for i in range(40):
        g.add_node(f"p{i}", type="Plan", label=f"规划{i}", plans=[f"p{i}"])
    for j in range(1960):
        plans = rng.sample(range(40), rng.choice((1, 1, 1, 2, 3, 5)))
        g.add_node(f"e{j}", type=rng.choice(("Program", "TargetGroup", "Indicator")),
                   label=f"条目{j}", plans=[f"p{i}" for i in plans], snippet="句子" * 20)
        g.add_edges_from((f"p{i}", f"e{j}") for i in plans)
    page = write_graph_page(g, tmp_path / "big.html")
    with offline(browser):
        _open(browser, page)
        ready = browser.execute_async_script("""
            const done = arguments[arguments.length - 1];
            window.kg.ready.then(ms => done({ms, nodes: window.kg.nodeView.length,
              drawn: Object.keys(window.kg.network.getPositions()).length}));""")
        _shot(browser, "graph-2000")
        assert console_errors(browser) == []
    assert ready["nodes"] == ready["drawn"] == 2000
    # performance.now() at the first frame drawn with the final layout, from navigation start
    assert ready["ms"] < 3000, f"the 2,000-node page took {ready['ms']:.0f} ms to be usable"


def test_graph_search_selects_and_shows_the_source(browser, facts, tmp_path) -> None:
    page = write_graph_page(bipartite_graph(facts), tmp_path / "graph.html")
    with offline(browser):
        _open(browser, page)
        found = browser.execute_async_script("""
            const done = arguments[arguments.length - 1];
            window.kg.ready.then(() => {
              const box = document.getElementById('kg-search');
              box.value = '灵活就业';
              box.dispatchEvent(new KeyboardEvent('keydown', {key: 'Enter'}));
              const id = window.kg.network.getSelectedNodes()[0];
              done({label: window.kg.nodes.get(id).label,
                    details: document.getElementById('kg-details').textContent,
                    status: document.getElementById('kg-search-status').textContent});
            });""")
        assert console_errors(browser) == []
    assert found["label"] == "灵活就业人员"
    assert "推进全民参保计划，覆盖灵活就业人员。" in found["details"]
    assert found["status"].startswith("1 ")
