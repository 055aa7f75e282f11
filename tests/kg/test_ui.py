"""The browsing UI of ``kg serve``, in Debian's headless Chromium and over plain HTTP.

The corpus tests use the embedded corpus built by ``kg build``; the security tests a small
hand-written store whose plan title and program name contain ``<script>alert(1)</script>``.
Screenshots are kept in ``tests/artifacts/``.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlencode

import pyoxigraph as ox
import pytest

from browser import browser, console_errors, screenshot, wait_for  # noqa: F401 (fixture)
from compare_fixtures import XSS, mini_store
from conftest_export import seed_store_path
from conftest_serve import running

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def corpus_server(tmp_path_factory):
    with running(seed_store_path(), tmp_path_factory.mktemp("ui")) as server:
        yield server


@pytest.fixture(scope="module")
def xss_server(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("ui-xss")
    path = tmp / "store"
    store = ox.Store(str(path))
    store.extend(mini_store())
    store.flush()
    del store
    with running(path, tmp) as server:
        yield server


def _by_css(driver, css: str):
    from selenium.webdriver.common.by import By

    return driver.find_elements(By.CSS_SELECTOR, css)


def test_search_entity_source_and_library_in_the_browser(browser, corpus_server) -> None:
    from selenium.webdriver.common.by import By

    browser.get(corpus_server.url + "/")
    wait_for(browser, "#q")
    screenshot(browser, "ui-home")
    # 1. search 马兰花 (001 line 250 “马兰花计划”, 004 lines 147 and 439)
    box = browser.find_element(By.ID, "q")
    box.send_keys("马兰花")
    browser.find_element(By.ID, "search-button").click()
    wait_for(browser, "#result-count")
    links = {a.text: a for a in _by_css(browser, "a.entity-link")}
    assert "马兰花计划" in links, list(links)
    screenshot(browser, "ui-search")
    # 2. the entity page: facts per plan, the source sentence highlighted
    links["马兰花计划"].click()
    wait_for(browser, "section.plan-facts")
    assert browser.find_element(By.TAG_NAME, "h1").text == "马兰花计划"
    plans = [s.find_element(By.TAG_NAME, "h3").text for s in _by_css(browser, "section.plan-facts")]
    assert any(p.startswith("徐州市") for p in plans) and any(p.startswith("海宁市") for p in plans)
    marks = [m.text for m in _by_css(browser, "blockquote mark")]
    assert marks and all("马兰花" in m for m in marks)
    screenshot(browser, "ui-entity")
    # 3. one click to the source sentence
    _by_css(browser, "a.source-link")[0].click()
    sentence = wait_for(browser, "#source-sentence")
    assert "马兰花" in sentence.find_element(By.TAG_NAME, "mark").text
    assert "创业培训" in sentence.text  # 001 line 250: …开展“马兰花计划”,面向…开展创业培训
    screenshot(browser, "ui-source")
    # 4. a library query, one click from the home page
    browser.get(corpus_server.url + "/")
    wait_for(browser, "#run-programs_shared").click()
    wait_for(browser, "#row-count")
    cells = [td.text for td in _by_css(browser, "table.results td")]
    assert "全民参保计划" in cells and "马兰花计划" in cells  # see test_query_library
    screenshot(browser, "ui-library")
    # 5. the editor (CodeMirror, bundled) runs a query through /sparql
    browser.get(corpus_server.url + "/editor?" + urlencode({"library": "plans"}))
    wait_for(browser, ".CodeMirror")
    browser.find_element(By.ID, "run-editor").click()
    wait_for(browser, "#results table")
    titles = [td.text for td in _by_css(browser, "#results td")]
    assert "南通市“十四五”人力资源和社会保障发展规划" in titles
    screenshot(browser, "ui-editor")
    assert console_errors(browser) == []


def test_script_in_a_program_name_is_text_everywhere(browser, xss_server) -> None:
    from selenium.common.exceptions import NoAlertPresentException
    from selenium.webdriver.common.by import By

    program = f"{XSS}计划"
    browser.get(xss_server.url + "/")
    wait_for(browser, "a.plan-link")
    plan_link = next(a for a in _by_css(browser, "a.plan-link") if XSS in a.text)
    plan_link.click()
    wait_for(browser, "a.entity-link")
    assert XSS in browser.find_element(By.TAG_NAME, "h1").text
    entity = next(a for a in _by_css(browser, "a.entity-link") if a.text == program)
    entity.click()
    wait_for(browser, "section.plan-facts")
    assert browser.find_element(By.TAG_NAME, "h1").text == program
    screenshot(browser, "ui-xss-entity")
    for path in ("/library/programs_per_plan?run=1", "/search?" + urlencode({"q": "script"})):
        browser.get(xss_server.url + path)
        wait_for(browser, "main")
        assert XSS in browser.find_element(By.TAG_NAME, "main").text
    # the editor renders results with textContent
    browser.get(xss_server.url + "/editor?" + urlencode({"library": "programs_shared"}))
    wait_for(browser, ".CodeMirror")
    browser.execute_script(
        "document.querySelector('.CodeMirror').CodeMirror.setValue(arguments[0])",
        "PREFIX skos: <http://www.w3.org/2004/02/skos/core#> SELECT ?l "
        "WHERE { GRAPH ?g { ?e skos:prefLabel ?l } FILTER(CONTAINS(?l, 'script')) }")
    browser.find_element(By.ID, "run-editor").click()
    wait_for(browser, "#results table")
    assert program in [td.text for td in _by_css(browser, "#results td")]
    screenshot(browser, "ui-xss-editor")
    try:
        alert = browser.switch_to.alert
        text = alert.text
        alert.dismiss()
        raise AssertionError(f"a script ran: alert({text!r})")
    except NoAlertPresentException:
        pass
    scripts = browser.execute_script(
        "return Array.from(document.scripts).map(s => s.src || s.textContent)")
    assert all(s.startswith(xss_server.url + "/static/") for s in scripts), scripts
    assert console_errors(browser) == []


def test_every_page_escapes_labels_and_sets_a_csp(xss_server) -> None:
    c = xss_server.client
    plan = "https://policykg.org/plan/plan_xss"
    pages = ["/", "/library/programs_per_plan?run=1", "/library/programs_unique?run=1",
             "/search?" + urlencode({"q": "计划"}), "/plan?" + urlencode({"iri": plan})]
    html_plan = c.get(pages[-1]).text
    entity = html_plan.split('href="/entity?iri=')[1].split('"')[0]
    pages.append("/entity?iri=" + entity.replace("&amp;", "&"))
    for path in pages:
        r = c.get(path)
        assert r.status_code == 200, (path, r.text[:300])
        assert "script-src 'self'" in r.headers["content-security-policy"]
        assert XSS not in r.text, path
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in r.text, path


def test_bad_iri_and_unknown_pages(xss_server) -> None:
    c = xss_server.client
    r = c.get("/entity", params={"iri": 'javascript:alert(1)"><script>'})
    assert r.status_code == 400 and "<script>" not in r.text
    assert c.get("/entity", params={"iri": "https://policykg.org/program/none"}).status_code \
        == 404
    assert c.get("/library/no_such_query").status_code == 404
    r = c.get("/library/entity_mentions", params={"run": "1"})
    assert r.status_code == 200 and "fill in name" in r.text
    assert c.get("/static/codemirror/codemirror.js").status_code == 200


def test_search_by_pinyin(corpus_server) -> None:
    r = corpus_server.client.get("/search", params={"q": "malanhua"})
    assert r.status_code == 200
    assert ">马兰花计划</a>" in r.text  # 001 line 250, 004 line 147
