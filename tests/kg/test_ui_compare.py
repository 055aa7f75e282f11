"""``/compare`` and ``/graph`` of ``kg serve``: over HTTP and in Debian's headless Chromium.

The corpus server serves the embedded corpus built by ``kg build``; the regions expected are
read off the five documents (000 苏州市吴中区人民政府办公室文件 → 吴中区, 001 徐州市, 002 苏府 →
苏州市, 003 南通市, 004 海宁市). The reload test serves a hand-written store
(``compare_fixtures``) and adds a plan whose title carries ``<script>alert(1)</script>``.
Screenshots go to ``tests/artifacts/``.
"""

from __future__ import annotations

import time
from urllib.parse import urlencode

import httpx
import pyoxigraph as ox
import pytest
from lxml import html as lxml_html

from browser import browser, console_errors, screenshot, wait_for  # noqa: F401 (fixture)
from compare_fixtures import PLANS, XSS, add_plan
from conftest_export import seed_store_path
from conftest_serve import running

REGIONS = {"吴中区", "徐州市", "苏州市", "南通市", "海宁市"}
XUZHOU = "001_22cd41b2f7035d09"  # data/001_22cd41b2f7035d09.txt: 徐州市人民政府办公室文件


@pytest.fixture(scope="module")
def corpus_server(tmp_path_factory):
    with running(seed_store_path(), tmp_path_factory.mktemp("ui-compare"),
                 "--workers", "1") as server:
        yield server


def _report_regions(text: str) -> list[str]:
    """The region column of the report's plan table."""
    tree = lxml_html.fromstring(text)
    return [td.text_content().strip()
            for td in tree.xpath('//section[@id="plans"]//tbody/tr/td[2]')]


def _standalone_headers(r) -> str:
    csp = r.headers["content-security-policy"]
    assert "frame-ancestors 'none'" in csp and "base-uri 'none'" in csp
    assert r.headers["x-content-type-options"] == "nosniff"
    return csp


def test_compare_lists_the_five_plans_and_plans_narrows_it(corpus_server) -> None:
    c = corpus_server.client
    r = c.get("/compare")
    assert r.status_code == 200, r.text[:500]
    assert sorted(_report_regions(r.text)) == sorted(REGIONS)
    csp = _standalone_headers(r)
    assert "script-src" not in csp and csp.startswith("default-src 'none'")  # no script runs

    # by region, comma-separated; then the same two plans by doc id and title, repeated
    two = c.get("/compare", params={"plans": "徐州市,海宁市"})
    assert two.status_code == 200
    assert sorted(_report_regions(two.text)) == ["徐州市", "海宁市"]
    same = c.get("/compare?" + urlencode([("plans", XUZHOU),
                                          ("plans", "海宁市人力资源和社会保障事业发展")]))
    assert same.status_code == 200 and same.text == two.text
    assert same.headers["x-cache"] == "hit"  # the same plans: computed once per snapshot

    # one plan, from a title fragment
    one = c.get("/compare", params={"plans": "南通"})
    assert _report_regions(one.text) == ["南通市"]


def test_repeated_comparison_is_cached(corpus_server) -> None:
    c = corpus_server.client
    t0 = time.perf_counter()
    first = c.get("/compare", params={"k": "3"})
    t1 = time.perf_counter()
    again = [c.get("/compare", params={"k": "3"}) for _ in range(3)]
    t2 = time.perf_counter()
    assert first.status_code == 200 and first.headers["x-cache"] == "miss"
    assert all(r.headers["x-cache"] == "hit" and r.content == first.content for r in again)
    assert (t2 - t1) / 3 < t1 - t0  # a hit costs less than computing


def test_simultaneous_requests_compute_once(corpus_server) -> None:
    from concurrent.futures import ThreadPoolExecutor

    def get(_: int):
        with httpx.Client(base_url=corpus_server.url, timeout=60) as c:
            return c.get("/compare", params={"k": "4"})

    with ThreadPoolExecutor(4) as pool:
        replies = list(pool.map(get, range(4)))
    assert all(r.status_code == 200 for r in replies)
    assert sorted(r.headers["x-cache"] for r in replies) == ["hit", "hit", "hit", "miss"]
    assert len({r.content for r in replies}) == 1


def test_bad_parameters_are_a_clear_escaped_400(corpus_server) -> None:
    c = corpus_server.client
    cases = [
        ("/compare", {"plans": f"北京市{XSS}"}, "no plan matches"),
        ("/graph", {"plans": XSS}, "no plan matches"),
        ("/graph", {"types": f"Program,{XSS}"}, "unknown type"),
        ("/compare", {"k": "1"}, "whole number from 2"),
        ("/compare", {"plans": "x" * 300}, "longer than"),
    ]
    for path, params, message in cases:
        r = c.get(path, params=params)
        assert r.status_code == 400, (path, params, r.status_code)
        assert message in r.text and "<script>alert" not in r.text, (path, params)
        assert "script-src 'self'" in r.headers["content-security-policy"]
    # the message names the plans there are
    r = c.get("/compare", params={"plans": "北京市"})
    assert all(region in r.text for region in ("徐州市", "南通市", "海宁市"))


def test_graph_filters_by_plan_and_type(corpus_server) -> None:
    c = corpus_server.client
    r = c.get("/graph", params={"plans": "徐州市", "types": "Program,TargetGroup"})
    assert r.status_code == 200
    csp = _standalone_headers(r)
    assert "script-src 'sha256-" in csp and "'unsafe-inline'" not in csp.split("script-src")[1]\
        .split(";")[0]
    data = lxml_html.fromstring(r.content).xpath('//script[@id="kg-data"]')[0].text_content()
    import json

    graph = json.loads(data)
    assert {n["type"] for n in graph["nodes"]} == {"Plan", "Program", "TargetGroup"}
    assert [p["key"] for p in graph["plans"]] == [XUZHOU]
    assert "高校毕业生" in {n["label"] for n in graph["nodes"]}  # 001 names them


def test_navigation_and_plan_page_link_both_pages(corpus_server) -> None:
    c = corpus_server.client
    tree = lxml_html.fromstring(c.get("/").content)
    nav = {a.get("href") for a in tree.xpath("//header/nav/a")}
    assert {"/compare", "/graph"} <= nav
    plan = c.get("/plan", params={"iri": f"https://policykg.org/plan/{XUZHOU}"})
    assert plan.status_code == 200
    tree = lxml_html.fromstring(plan.content)
    hrefs = {a.get("id"): a.get("href") for a in tree.xpath('//p[@class="compare-links"]/a')}
    assert hrefs == {"plan-graph": f"/graph?plans={XUZHOU}",
                     "plan-report": f"/compare?plans={XUZHOU}"}
    boxes = tree.xpath('//form[@class="compare-with"]//input[@name="plans"]')
    assert len(boxes) == 5
    assert [b.get("value") for b in boxes if b.get("checked") is not None] == [XUZHOU]


# ------------------------------------------------------------------------------ browser


def _no_alert(driver) -> None:
    from selenium.common.exceptions import NoAlertPresentException

    try:
        text = driver.switch_to.alert.text
    except NoAlertPresentException:
        return
    pytest.fail(f"a script from the data ran: alert({text!r})")


def _graph_state(driver) -> dict:
    return driver.execute_async_script("""
        const done = arguments[arguments.length - 1];
        window.kg.ready.then(() => done({
          shown: window.kg.nodeView.length, total: window.kg.nodes.length,
          drawn: Object.keys(window.kg.network.getPositions()).length,
          plans: [...new Set(window.kg.nodes.get().flatMap(n => n.kgPlans))].sort(),
          scripts: document.scripts.length}));""")


@pytest.mark.browser
def test_graph_and_report_from_the_ui_in_the_browser(browser, corpus_server) -> None:
    from selenium.webdriver.common.by import By

    console_errors(browser)  # drain what earlier pages logged
    browser.get(corpus_server.url + "/")
    wait_for(browser, "#nav-graph").click()
    wait_for(browser, "#kg-network canvas", timeout=60)
    state = _graph_state(browser)
    assert state["total"] > 0 and state["shown"] == state["drawn"] == state["total"]
    assert state["scripts"] == 3  # data island, vis-network, the page: the CSP let both run
    assert len(state["plans"]) == 5
    assert console_errors(browser) == []
    screenshot(browser, "ui-graph")

    # the report, from the navigation: five plans, every source link resolves, no script
    browser.get(corpus_server.url + "/")
    wait_for(browser, "#nav-compare").click()
    wait_for(browser, "section#plans")
    report = browser.execute_script("""
        const links = [...document.querySelectorAll('a[href^="#src-"]')];
        return {rows: document.querySelectorAll('section#plans tbody tr').length,
                sources: links.length,
                missing: links.filter(a => !document.getElementById(a.hash.slice(1))).length,
                scripts: document.scripts.length};""")
    assert report == {"rows": 5, "sources": report["sources"], "missing": 0, "scripts": 0}
    assert report["sources"] > 0
    assert console_errors(browser) == []
    screenshot(browser, "ui-compare")

    # a plan page: its own graph, then "compare with…" one other plan
    browser.get(corpus_server.url + "/plan?" + urlencode(
        {"iri": f"https://policykg.org/plan/{XUZHOU}"}))
    wait_for(browser, "#plan-graph").click()
    wait_for(browser, "#kg-network canvas", timeout=60)
    state = _graph_state(browser)
    assert state["total"] > 0 and state["plans"] == [XUZHOU]
    assert console_errors(browser) == []
    browser.back()
    form = wait_for(browser, "form.compare-with")
    other = next(box for box in form.find_elements(By.CSS_SELECTOR, "input[name=plans]")
                 if box.get_attribute("value").startswith("004_"))  # 海宁市
    other.click()
    browser.find_element(By.ID, "compare-button").click()
    wait_for(browser, "section#plans")
    regions = [td.text for td in browser.find_elements(
        By.CSS_SELECTOR, "section#plans tbody tr td:nth-child(2)")]
    assert sorted(regions) == ["徐州市", "海宁市"]
    assert console_errors(browser) == []
    _no_alert(browser)


@pytest.mark.browser
@pytest.mark.slow
def test_a_rebuilt_store_is_compared_afresh_and_script_stays_text(browser, tmp_path) -> None:
    path = tmp_path / "store"
    store = ox.Store(str(path))
    for spec in PLANS[:2]:  # 甲市, 乙市
        add_plan(store, spec)
    store.flush()
    del store
    with running(path, tmp_path, "--workers", "1", "--reload-interval", "0.2") as server:
        first = server.client.get("/compare")
        assert sorted(_report_regions(first.text)) == ["乙市", "甲市"]
        assert server.client.get("/compare").headers["x-cache"] == "hit"
        store = ox.Store(str(path))  # a writer, as kg build is
        add_plan(store, PLANS[2])  # 丙市, title 丙市规划<script>alert(1)</script>
        store.flush()
        del store
        deadline = time.monotonic() + 30
        while True:
            r = server.client.get("/compare")
            if len(_report_regions(r.text)) == 3 or time.monotonic() > deadline:
                break
            time.sleep(0.2)
        assert sorted(_report_regions(r.text)) == ["丙市", "乙市", "甲市"]
        assert r.headers["x-cache"] == "miss"  # the new snapshot's own comparison
        assert XSS not in r.text and "&lt;script&gt;alert(1)&lt;/script&gt;" in r.text

        for page in ("/compare", "/graph"):
            console_errors(browser)
            browser.get(server.url + page)
            wait_for(browser, "h1")
            _no_alert(browser)
            if page == "/graph":
                state = _graph_state(browser)
                assert state["total"] > 0 and state["scripts"] == 3
                labels = browser.execute_script(
                    "return [...document.querySelectorAll('#kg-filter-plans label')]"
                    ".map(l => l.textContent)")
                assert "丙市规划" + XSS in labels
            else:
                title = browser.execute_script(
                    "return [...document.querySelectorAll('section#plans tbody td')]"
                    ".map(td => td.textContent).join('|')")
                assert "丙市规划" + XSS in title
            assert console_errors(browser) == []
            screenshot(browser, "ui-compare-xss" + page.replace("/", "-"))
