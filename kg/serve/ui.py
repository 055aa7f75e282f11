"""The browsing UI of ``kg serve``: search, entity, plan and mention pages, the query library.

``/compare`` and ``/graph`` (the comparison report and the graph browser of :mod:`viz`) are
served by :mod:`kg.serve.compare` and linked from the navigation and each plan page.

Pages are rendered on the server from SPARQL answers of the same worker pool as the endpoint;
every value taken from the graph goes through :func:`h` (HTML escaping), and a strict
Content-Security-Policy forbids inline scripts, so a label such as ``<script>`` is text.
The query editor is CodeMirror 5, shipped in ``kg/serve/static`` (no network needed).
"""

from __future__ import annotations

import html
import json
import logging
from collections.abc import Iterable
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from starlette.requests import Request as HttpRequest
from starlette.responses import HTMLResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from kg.errors import QueryError, StoreError
from kg.query import LibraryQuery, ParamKind, bind_params, load_library, make_term
from kg.serve.pool import PoolBusy, QueryTimeout
from kg.serve.worker import Request

__all__ = ["routes", "h", "highlight"]

log = logging.getLogger(__name__)

STATIC = Path(__file__).resolve().parent / "static"
PKG = "https://policykg.org/ontology#"
PREFIXES = """PREFIX pkg: <https://policykg.org/ontology#>
PREFIX dcterms: <http://purl.org/dc/terms/>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
"""
CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self'; "
       "object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'")
TYPE_NAMES = {
    "Plan": "规划 Plan", "Program": "项目 Program", "Institution": "机构 Institution",
    "PolicyDocument": "政策文件 Policy", "TargetGroup": "目标群体 Target group",
    "Theme": "主题 Theme", "Region": "地区 Region", "Event": "活动 Event",
    "Indicator": "指标 Indicator",
}


def h(value: object) -> str:
    """HTML-escape any value (quotes too): the only way graph text reaches a page.

    Examples
    --------
    >>> h('<script>alert("x")</script>')
    '&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;'
    """
    return html.escape("" if value is None else str(value), quote=True)


def highlight(context: str, snippet: str) -> str:
    """The sentence with the mention marked (``<mark>``), every part escaped.

    Examples
    --------
    >>> highlight('实施“春晖计划”。', '春晖计划')
    '实施“<mark>春晖计划</mark>”。'
    """
    at = context.find(snippet) if snippet else -1
    if at < 0:
        return h(context)
    return (h(context[:at]) + "<mark>" + h(snippet) + "</mark>"
            + h(context[at + len(snippet):]))


def _local(iri: str) -> str:
    return iri.rsplit("#", 1)[-1] if "#" in iri else iri.rsplit("/", 1)[-1]


def _type_name(iri: str) -> str:
    return TYPE_NAMES.get(_local(iri), _local(iri))


def _link(path: str, iri: str, text: str, *, cls: str = "") -> str:
    klass = f' class="{h(cls)}"' if cls else ""
    return f'<a{klass} href="{h(path)}?{h(urlencode({"iri": iri}))}">{h(text)}</a>'


def page(title: str, body: str, *, status: int = 200) -> HTMLResponse:
    """A whole page in the UI's layout, with the security headers."""
    doc = f"""<!doctype html>
<html lang="zh">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{h(title)} · PolicyKG</title>
<link rel="stylesheet" href="/static/codemirror/codemirror.css">
<link rel="stylesheet" href="/static/ui.css">
<link rel="icon" href="/favicon.ico">
</head>
<body>
<header>
<a class="brand" href="/">PolicyKG</a>
<nav><a href="/">规划 Plans</a> <a href="/library">查询库 Queries</a>
<a href="/editor">SPARQL 编辑器 Editor</a> <a id="nav-compare" href="/compare">对比 Compare</a>
<a id="nav-graph" href="/graph">图谱 Graph</a></nav>
<form class="search" action="/search" method="get" role="search">
<input id="q" name="q" type="search" placeholder="中文名或拼音 name or pinyin" required>
<button id="search-button" type="submit">搜索 Search</button>
</form>
</header>
<main>
<h1>{h(title)}</h1>
{body}
</main>
</body>
</html>
"""
    return HTMLResponse(doc, status_code=status, headers={
        "Content-Security-Policy": CSP, "X-Content-Type-Options": "nosniff",
        "Referrer-Policy": "no-referrer"})


class UiError(Exception):
    """A query behind a page failed; shown to the user as a message."""


async def select(backend: Any, text: str) -> list[dict[str, str]]:
    """Run a SELECT through the worker pool; rows of variable → lexical value."""
    try:
        reply = await backend.submit(Request(
            text, accept="application/sparql-results+json",
            max_result_bytes=backend.config.max_result_bytes))
    except QueryTimeout:
        raise UiError(f"the query ran past the time limit of "
                      f"{backend.config.timeout_s:g} s") from None
    except PoolBusy:
        raise UiError("the server is busy; reload the page in a moment") from None
    if reply.status != 200:
        raise UiError(reply.body.decode("utf-8", "replace"))
    data = json.loads(reply.body)
    return [{k: v["value"] for k, v in b.items()} for b in data["results"]["bindings"]]


def _iri_param(request: HttpRequest) -> str:
    iri = request.query_params.get("iri", "")
    make_term(iri, ParamKind.IRI, name="iri")  # validates: raises QueryError
    return iri


def _bind(text: str, **iris: str) -> str:
    return bind_params(text, {k: [make_term(v, ParamKind.IRI, name=k)]
                              for k, v in iris.items()})


def _table(header: list[str], rows: Iterable[list[str]], *, cls: str = "") -> str:
    head = "".join(f"<th>{h(c)}</th>" for c in header)
    body = "".join("<tr>" + "".join(f"<td>{c}</td>" for c in row) + "</tr>" for row in rows)
    klass = f' class="{h(cls)}"' if cls else ""
    return f"<table{klass}><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


_ENTITY_KINDS = ("/program/", "/institution/", "/policy/", "/target-group/", "/theme/",
                 "/indicator/", "/region/", "/event/")


def _cell(value: str | None) -> str:
    """A result cell: an IRI of the graph links to its page, anything else is text."""
    if value is None:
        return ""
    if value.startswith(("http://", "https://")):
        path = value.split("://", 1)[1]
        if "/mention/" in path:
            return _link("/mention", value, value)
        if "/plan/" in path and path.count("/") == 2:
            return _link("/plan", value, value)
        if any(kind in path for kind in _ENTITY_KINDS) and "/plan/" not in path:
            return _link("/entity", value, value)
    return h(value)


# --------------------------------------------------------------------------------------
# Pages
# --------------------------------------------------------------------------------------

_PLANS = PREFIXES + """
SELECT ?plan ?title ?region ?period ?level WHERE {
  GRAPH ?g { ?plan a pkg:Plan ; dcterms:title ?title .
    OPTIONAL { ?plan pkg:region/rdfs:label ?region }
    OPTIONAL { ?plan pkg:period ?period } OPTIONAL { ?plan pkg:adminLevel ?level } }
} ORDER BY ?title"""


async def home(request: HttpRequest, backend: Any, library: dict[str, LibraryQuery]
               ) -> Response:
    plans = await select(backend, _PLANS)
    rows = [[_link("/plan", p["plan"], p["title"], cls="plan-link"), h(p.get("region")),
             h(p.get("period")), h(p.get("level"))] for p in plans]
    body = ("<section><h2>规划 Plans</h2>"
            + _table(["规划 Plan", "地区 Region", "时期 Period", "层级 Level"], rows)
            + "</section><section><h2>查询库 Query library</h2>"
            + _library_list(library) + "</section>")
    return page("PolicyKG 政策知识图谱", body)


def _library_list(library: dict[str, LibraryQuery]) -> str:
    items = []
    for q in library.values():
        needs = [p for p in q.params if p.required]
        run = (f'<a class="run" id="run-{h(q.name)}" href="/library/{h(q.name)}?run=1">'
               "运行 Run</a>" if not needs else
               f'<a class="run" href="/library/{h(q.name)}">填写参数 Parameters…</a>')
        items.append(f'<li><a href="/library/{h(q.name)}">{h(q.title)}</a> {run}'
                     f'<br><small>{h(q.answers)}</small></li>')
    return '<ul class="library">' + "".join(items) + "</ul>"


async def library_index(request: HttpRequest, backend: Any,
                        library: dict[str, LibraryQuery]) -> Response:
    return page("查询库 Query library", _library_list(library))


async def library_query(request: HttpRequest, backend: Any,
                        library: dict[str, LibraryQuery]) -> Response:
    name = request.path_params["name"]
    q = library.get(name)
    if q is None:
        return page("没有这个查询 No such query", f"<p>{h(name)}</p>", status=404)
    given = {p.name: request.query_params.get(p.name, "") for p in q.params}
    inputs = "".join(
        f'<label>{h(p.name)} <small>({h(p.kind.value)}{"" if p.required else ", 可选 optional"}'
        f')</small> <input name="{h(p.name)}" value="{h(given[p.name])}"'
        f'{" required" if p.required else ""}> <small>{h(p.description)}</small></label>'
        for p in q.params)
    form = (f'<form class="params" method="get" action="/library/{h(name)}">{inputs}'
            '<input type="hidden" name="run" value="1">'
            '<button id="run-query" type="submit">运行 Run</button></form>')
    body = (f"<p>{h(q.answers)}</p>{form}"
            f'<p><a href="/editor?{h(urlencode({"library": name}))}">在编辑器中打开 '
            "Open in the editor</a></p>"
            f'<details><summary>SPARQL</summary><pre>{h(q.text)}</pre></details>')
    if request.query_params.get("run"):
        try:
            values = {p.name: [make_term(given[p.name], p.kind, name=p.name)]
                      for p in q.params if given[p.name]}
            missing = [p.name for p in q.params if p.required and not given[p.name]]
            if missing:
                raise QueryError(f"fill in {', '.join(missing)}")
            text = bind_params(q.text, values)
            rows = await select(backend, text)
        except (QueryError, UiError) as exc:
            body += f'<p class="error">{h(exc)}</p>'
        else:
            header = _columns(q.text, rows)
            body += (f'<p class="count" id="row-count">{len(rows)} 行 rows</p>'
                     + _table(header, ([_cell(r.get(c)) for c in header]
                                       for r in rows), cls="results"))
    return page(q.title, body)


def _columns(text: str, rows: list[dict[str, str]]) -> list[str]:
    """Result columns in the order of the SELECT clause (then any others, sorted)."""
    from kg.query import tokenize

    names: list[str] = []
    depth, selecting, after_as = 0, False, False
    for tok in tokenize(text):
        word = tok.text.upper() if tok.kind == "word" else ""
        if word == "SELECT" and depth == 0:
            selecting = True
            continue
        if not selecting:
            continue
        if tok.text == "{" or word == "WHERE" or word == "FROM":
            break
        if tok.text == "(":
            depth += 1
        elif tok.text == ")":
            depth -= 1
        elif word == "AS":
            after_as = True
        elif tok.kind == "var" and (depth == 0 or after_as):
            names.append(tok.text[1:])
            after_as = False
    seen = {k for r in rows for k in r}
    return list(dict.fromkeys(names)) + sorted(seen - set(names))


async def search(request: HttpRequest, backend: Any, library: dict[str, LibraryQuery]
                 ) -> Response:
    q = request.query_params.get("q", "").strip()
    if not q:
        return page("搜索 Search", "<p>输入中文名或拼音 Type a name or pinyin.</p>")
    query = library["entity_search"]
    rows = await select(backend, bind_params(query.text, {
        "q": [make_term(q, ParamKind.STRING)]}))
    items = "".join(
        f'<li>{_link("/entity", r["entity"], r["label"], cls="entity-link")} '
        f'<small>{h(_type_name(r["type"]))} · {h(r.get("plans", "?"))} 个规划 plans</small></li>'
        for r in rows)
    body = (f'<p id="result-count">{len(rows)} 个结果 results for “{h(q)}”</p>'
            f'<ul class="results">{items}</ul>')
    return page(f"搜索 Search: {q}", body)


_ENTITY = PREFIXES + """
SELECT ?label ?type ?alt ?plans WHERE {
  GRAPH ?c { ?e skos:prefLabel ?label ; a ?type .
    OPTIONAL { ?e skos:altLabel ?alt } OPTIONAL { ?e pkg:planCount ?plans } }
}"""
_ENTITY_MENTIONS = PREFIXES + """
SELECT ?plan ?title ?m ?start ?end ?snippet ?context ?section WHERE {
  GRAPH ?g { ?plan pkg:mentions ?e ; dcterms:title ?title . ?e pkg:evidence ?m .
    ?m pkg:start ?start ; pkg:end ?end ; pkg:snippet ?snippet .
    OPTIONAL { ?m pkg:context ?context } OPTIONAL { ?m pkg:section/pkg:sectionPath ?section } }
} ORDER BY ?title ?start"""
_ENTITY_RELATIONS = PREFIXES + """
SELECT ?plan ?title ?type ?dir ?other ?otherLabel ?m WHERE {
  { GRAPH ?g { ?r pkg:head ?e ; pkg:tail ?other . BIND("→" AS ?dir) } }
  UNION
  { GRAPH ?g { ?r pkg:tail ?e ; pkg:head ?other . BIND("←" AS ?dir) } }
  GRAPH ?g { ?plan pkg:hasRelation ?r ; dcterms:title ?title .
             ?r pkg:relationType ?type ; pkg:evidence ?m . }
  OPTIONAL { GRAPH ?c { ?other skos:prefLabel ?otherLabel } }
} ORDER BY ?title ?type ?otherLabel"""
_INDICATOR_TARGETS = PREFIXES + """
SELECT ?plan ?title ?kind ?row ?valueText ?unit ?baselineText ?cumulative ?m WHERE {
  GRAPH ?g { ?plan ?has ?t ; dcterms:title ?title . ?t pkg:indicator ?e ; pkg:rowName ?row ;
             pkg:evidence ?m . VALUES (?has ?kind) { (pkg:hasIndicatorTarget "目标 target")
                                                     (pkg:hasIndicatorResult "实绩 result") }
    OPTIONAL { ?t pkg:valueText ?valueText } OPTIONAL { ?t pkg:unit ?unit }
    OPTIONAL { ?t pkg:baselineText ?baselineText } OPTIONAL { ?t pkg:cumulative ?cumulative } }
} ORDER BY ?title ?kind"""


async def entity(request: HttpRequest, backend: Any, library: dict[str, LibraryQuery]
                 ) -> Response:
    iri = _iri_param(request)
    info = await select(backend, _bind(_ENTITY, e=iri))
    if not info:
        return page("没有这个实体 No such entity", f"<p>{h(iri)}</p>", status=404)
    label = info[0]["label"]
    types = sorted({_type_name(r["type"]) for r in info})
    aliases = sorted({r["alt"] for r in info if r.get("alt")})
    mentions = await select(backend, _bind(_ENTITY_MENTIONS, e=iri))
    relations = await select(backend, _bind(_ENTITY_RELATIONS, e=iri))
    targets = await select(backend, _bind(_INDICATOR_TARGETS, e=iri))
    parts = [f'<p class="meta">{h(" · ".join(types))} · <code>{h(iri)}</code>'
             f' · {h(info[0].get("plans", "?"))} 个规划 plans</p>']
    if aliases:
        parts.append(f'<p>别名 Also called: {h("、".join(aliases))}</p>')
    by_plan: dict[str, list[dict[str, str]]] = {}
    titles: dict[str, str] = {}
    for r in mentions + relations + targets:
        titles[r["plan"]] = r["title"]
    for r in mentions:
        by_plan.setdefault(r["plan"], []).append(r)
    parts.append("<h2>各规划中的事实 Facts per plan</h2>")
    for plan_iri in sorted(titles, key=lambda p: titles[p]):
        parts.append(f'<section class="plan-facts"><h3>{_link("/plan", plan_iri, titles[plan_iri])}'
                     "</h3>")
        items = []
        for r in by_plan.get(plan_iri, []):
            sentence = highlight(r.get("context") or r["snippet"], r["snippet"])
            items.append(
                f'<li class="mention"><blockquote>{sentence}</blockquote>'
                f'<small>{h(r.get("section", ""))} · [{h(r["start"])}, {h(r["end"])})</small> '
                f'{_link("/mention", r["m"], "原文 source", cls="source-link")}</li>')
        if items:
            parts.append("<h4>提及 Mentions</h4><ul>" + "".join(items) + "</ul>")
        rel_rows = [[h(r["type"]), h(r["dir"]),
                     _link("/plan", plan_iri, titles[plan_iri]) if r["other"] == plan_iri
                     else _link("/entity", r["other"], r.get("otherLabel") or r["other"]),
                     _link("/mention", r["m"], "原文 source", cls="source-link")]
                    for r in relations if r["plan"] == plan_iri]
        if rel_rows:
            parts.append("<h4>关系 Relations</h4>"
                         + _table(["关系 relation", "", "对象 other", ""], rel_rows))
        tgt_rows = [[h(r["kind"]), h(r["row"]), h(r.get("valueText")), h(r.get("unit")),
                     h(r.get("baselineText")), h(r.get("cumulative")),
                     _link("/mention", r["m"], "原文 source", cls="source-link")]
                    for r in targets if r["plan"] == plan_iri]
        if tgt_rows:
            parts.append("<h4>指标 Indicator values</h4>" + _table(
                ["", "行 row", "值 value", "单位 unit", "基期 baseline", "累计 cumulative", ""],
                tgt_rows))
        parts.append("</section>")
    return page(label, "".join(parts))


_MENTION = PREFIXES + """
SELECT ?plan ?title ?start ?end ?snippet ?context ?section WHERE {
  GRAPH ?g { ?m a pkg:Mention ; pkg:inPlan ?plan ; pkg:start ?start ; pkg:end ?end ;
                pkg:snippet ?snippet .
             ?plan dcterms:title ?title .
             OPTIONAL { ?m pkg:context ?context }
             OPTIONAL { ?m pkg:section/pkg:sectionPath ?section } }
} LIMIT 1"""
_MENTION_FACTS = PREFIXES + """
SELECT DISTINCT ?fact ?label ?type WHERE {
  GRAPH ?g { ?fact pkg:evidence ?m ; a ?type . }
  OPTIONAL { GRAPH ?c { ?fact skos:prefLabel ?label } }
} ORDER BY ?label"""


async def mention(request: HttpRequest, backend: Any, library: dict[str, LibraryQuery]
                  ) -> Response:
    iri = _iri_param(request)
    rows = await select(backend, _bind(_MENTION, m=iri))
    if not rows:
        return page("没有这处提及 No such mention", f"<p>{h(iri)}</p>", status=404)
    r = rows[0]
    facts = await select(backend, _bind(_MENTION_FACTS, m=iri))
    fact_items = "".join(
        f'<li>{_link("/entity", f["fact"], f.get("label") or f["fact"])} '
        f'<small>{h(_type_name(f["type"]))}</small></li>' for f in facts
        if f.get("label"))
    body = (f'<p>{_link("/plan", r["plan"], r["title"])}</p>'
            f'<p class="meta">章节 Section: {h(r.get("section", "—"))} · '
            f'字符 characters [{h(r["start"])}, {h(r["end"])})</p>'
            f'<blockquote id="source-sentence" class="source">'
            f'{highlight(r.get("context") or r["snippet"], r["snippet"])}</blockquote>'
            + (f"<h2>依据此句的事实 Facts read here</h2><ul>{fact_items}</ul>"
               if fact_items else ""))
    return page(f"原文 Source: {r['snippet']}", body)


_PLAN = PREFIXES + """
SELECT ?p ?o WHERE { GRAPH ?g { ?plan a pkg:Plan ; ?p ?o . FILTER(isLiteral(?o)) } }"""
_PLAN_ENTITIES = PREFIXES + """
SELECT ?e ?label ?type (COUNT(DISTINCT ?m) AS ?mentions) WHERE {
  GRAPH ?g { ?plan pkg:mentions ?e . ?e a ?type ; pkg:evidence ?m }
  GRAPH ?c { ?e skos:prefLabel ?label }
} GROUP BY ?e ?label ?type ORDER BY ?type DESC(?mentions) ?label"""


async def plan_page(request: HttpRequest, backend: Any, library: dict[str, LibraryQuery]
                    ) -> Response:
    iri = _iri_param(request)
    meta = await select(backend, _bind(_PLAN, plan=iri))
    if not meta:
        return page("没有这个规划 No such plan", f"<p>{h(iri)}</p>", status=404)
    values = {_local(r["p"]): r["o"] for r in meta}
    title = values.get("title", iri)
    shown = ["docId", "identifier", "issuer", "issued", "adminLevel", "period", "startYear",
             "endYear", "source"]
    meta_rows = [[h(k), h(values[k])] for k in shown if k in values]
    entities = await select(backend, _bind(_PLAN_ENTITIES, plan=iri))
    groups: dict[str, list[str]] = {}
    for r in entities:
        groups.setdefault(_type_name(r["type"]), []).append(
            f'<li>{_link("/entity", r["e"], r["label"], cls="entity-link")} '
            f'<small>×{h(r["mentions"])}</small></li>')
    parts = [_table(["", ""], meta_rows, cls="meta")]
    doc = values.get("docId")
    if doc:
        parts.append(await _compare_with(backend, doc))
    for name in sorted(groups):
        parts.append(f"<h2>{h(name)} ({len(groups[name])})</h2><ul class=\"cols\">"
                     + "".join(groups[name]) + "</ul>")
    targets_q = library["indicator_targets"]
    targets = await select(backend, _bind(targets_q.text, plan=iri))
    if targets:
        cols = ["indicatorLabel", "rowName", "valueText", "unit", "cumulative",
                "baselineText", "attribute", "authority", "table"]
        parts.append("<h2>指标目标 Indicator targets</h2>" + _table(
            cols, ([_cell(r.get(c)) for c in cols] for r in targets)))
    return page(title, "".join(parts))


_PLAN_CHOICES = PREFIXES + """
SELECT ?doc (MIN(?t) AS ?title) WHERE {
  GRAPH ?g { ?plan a pkg:Plan ; pkg:docId ?doc . OPTIONAL { ?plan dcterms:title ?t } }
} GROUP BY ?doc ORDER BY ?title ?doc"""


async def _compare_with(backend: Any, doc: str) -> str:
    """Links to this plan's graph and report, and a form comparing it with other plans."""
    choices = "".join(
        f'<label><input type="checkbox" name="plans" value="{h(r["doc"])}"'
        f'{" checked" if r["doc"] == doc else ""}> {h(r.get("title") or r["doc"])}</label>'
        for r in await select(backend, _PLAN_CHOICES))
    one = h(urlencode({"plans": doc}))
    return (f'<p class="compare-links"><a id="plan-graph" href="/graph?{one}">本规划图谱 '
            "This plan's graph</a> "
            f'<a id="plan-report" href="/compare?{one}">本规划报告 '
            "This plan's report</a></p>"
            '<form class="compare-with" method="get" action="/compare"><fieldset>'
            "<legend>与其他规划对比 Compare with…</legend>" + choices
            + '<button id="compare-button" type="submit">对比 Compare</button>'
            "</fieldset></form>")


async def editor(request: HttpRequest, backend: Any, library: dict[str, LibraryQuery]
                 ) -> Response:
    name = request.query_params.get("library")
    text = library[name].text if name in library else PREFIXES + (
        "\nSELECT ?plan ?title WHERE {\n  GRAPH ?g { ?plan a pkg:Plan ; dcterms:title ?title }"
        "\n}\nORDER BY ?title\n")
    body = f"""<form id="editor-form" method="post" action="/sparql">
<textarea id="sparql" name="query" rows="18" cols="100">{h(text)}</textarea>
<p><button id="run-editor" type="submit">运行 Run</button>
<span id="status" role="status"></span></p>
</form>
<div id="results"></div>
<script src="/static/codemirror/codemirror.js"></script>
<script src="/static/codemirror/sparql.js"></script>
<script src="/static/ui.js"></script>"""
    return page("SPARQL 编辑器 Editor", body)


async def favicon(request: HttpRequest) -> Response:
    return Response((STATIC / "favicon.svg").read_bytes(), media_type="image/svg+xml",
                    headers={"Cache-Control": "max-age=86400"})


def routes(backend: Any) -> list[Any]:
    """The UI's routes, bound to ``backend``."""
    from kg.serve.compare import BadParameter, ComparePages, bad_request

    library = load_library()

    def bound(handler: Any) -> Any:
        async def endpoint(request: HttpRequest) -> Response:
            try:
                return await handler(request, backend, library)
            except QueryError as exc:
                return page("请求有误 Bad request", f'<p class="error">{h(exc)}</p>',
                            status=400)
            except UiError as exc:
                return page("查询失败 Query failed", f'<p class="error">{h(exc)}</p>',
                            status=503)
        return endpoint

    pages = ComparePages(backend)

    def standalone(handler: Any) -> Any:
        async def endpoint(request: HttpRequest) -> Response:
            try:
                return await handler(request)
            except BadParameter as exc:
                return bad_request(exc)
            except (UiError, StoreError) as exc:
                return page("对比失败 Comparison failed", f'<p class="error">{h(exc)}</p>',
                            status=503)
        return endpoint

    return [
        Route("/", bound(home)),
        Route("/compare", standalone(pages.report)),
        Route("/graph", standalone(pages.graph)),
        Route("/search", bound(search)),
        Route("/entity", bound(entity)),
        Route("/mention", bound(mention)),
        Route("/plan", bound(plan_page)),
        Route("/library", bound(library_index)),
        Route("/library/{name}", bound(library_query)),
        Route("/editor", bound(editor)),
        Route("/favicon.ico", favicon),
        Mount("/static", StaticFiles(directory=STATIC), name="static"),
    ]
