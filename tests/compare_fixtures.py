"""A small hand-written store in the shape of docs/graph-model.md, for the compare tests.

Three short plans whose texts are written here, so every expected value in the tests can
be checked by reading them. Plan ``xss`` carries ``<script>`` in a program name and in a
section title. Built straight with pyoxigraph (no extraction), so the analysis and viz
tests do not depend on the extraction quality.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field

import pyoxigraph as ox

from kg.vocab import DCTERMS, PKG, RDF, RDFS, SKOS, XSD

B = "https://policykg.org/"
CANONICAL = B + "graph/canonical"
XSS = "<script>alert(1)</script>"


@dataclass
class PlanSpec:
    doc: str
    title: str
    region: str
    text: str
    sections: list[str]                      # section titles, in order of the text
    entities: list[tuple[str, str]]           # (type, name): every occurrence is a mention
    targets: list[dict] = field(default_factory=list)
    themes: list[tuple[str, str, str]] = field(default_factory=list)  # (kind, name, theme)
    start_year: int = 2021
    end_year: int = 2025


def _iri(kind: str, name: str) -> str:
    return f"{B}{kind}/{hashlib.sha256(name.encode()).hexdigest()[:10]}"


_KIND = {"Program": "program", "TargetGroup": "target-group", "Theme": "theme",
         "PolicyDocument": "policy", "Institution": "institution", "Indicator": "indicator"}


def entity_iri(kind: str, name: str) -> str:
    return _iri(_KIND[kind], name)


def _sentence(text: str, start: int, end: int) -> str:
    a = max(text.rfind("。", 0, start), text.rfind("\n", 0, start)) + 1
    b = min(x for x in (text.find("。", end), text.find("\n", end), len(text)) if x >= 0)
    return text[a:b + 1 if b < len(text) and text[b] == "。" else b]


def add_plan(store: ox.Store, spec: PlanSpec) -> None:
    g = ox.NamedNode(f"{B}graph/plan/{spec.doc}")
    plan = ox.NamedNode(f"{B}plan/{spec.doc}")
    cg = ox.NamedNode(CANONICAL)
    quads = []

    def q(s, p, o, graph=g):
        quads.append(ox.Quad(s if not isinstance(s, str) else ox.NamedNode(s),
                             ox.NamedNode(p), o, graph))

    def lit(v, dt=None, lang=None):
        if lang:
            return ox.Literal(str(v), language=lang)
        return ox.Literal(str(v), datatype=ox.NamedNode(dt)) if dt else ox.Literal(str(v))

    text = spec.text
    q(plan, RDF.type, ox.NamedNode(PKG.Plan))
    q(plan, PKG.docId, lit(spec.doc))
    q(plan, DCTERMS.title, lit(spec.title, lang="zh"))
    q(plan, PKG.textLength, lit(len(text), XSD.integer))
    q(plan, PKG.startYear, lit(spec.start_year, XSD.integer))
    q(plan, PKG.endYear, lit(spec.end_year, XSD.integer))
    q(plan, PKG.period, lit("十四五"))
    region = ox.NamedNode(_iri("region", spec.region))
    q(plan, PKG.region, region)
    q(region, RDF.type, ox.NamedNode(PKG.Region))
    q(region, RDFS.label, lit(spec.region, lang="zh"))

    # sections: a title starts a section that runs to the next title
    starts = [text.index(t) for t in spec.sections]
    bounds = []
    for k, title in enumerate(spec.sections):
        s = starts[k]
        e = starts[k + 1] if k + 1 < len(starts) else len(text)
        sec = ox.NamedNode(f"{B}plan/{spec.doc}/section/s{k}")
        bounds.append((s, e, sec, title))
        q(sec, RDF.type, ox.NamedNode(PKG.Section))
        q(sec, PKG.inPlan, plan)
        q(sec, PKG.sectionKind, lit("chapter"))
        q(sec, DCTERMS.title, lit(title, lang="zh"))
        q(sec, PKG.level, lit(1, XSD.integer))
        q(sec, PKG.start, lit(s, XSD.integer))
        q(sec, PKG.end, lit(e, XSD.integer))
        q(sec, PKG.sectionPath, lit(title))
        q(plan, PKG.hasSection, sec)

    def mention(s: int, e: int) -> ox.NamedNode:
        m = ox.NamedNode(f"{B}plan/{spec.doc}/mention/{s}-{e}")
        q(m, RDF.type, ox.NamedNode(PKG.Mention))
        q(m, PKG.inPlan, plan)
        q(m, PKG.start, lit(s, XSD.integer))
        q(m, PKG.end, lit(e, XSD.integer))
        q(m, PKG.snippet, lit(text[s:e]))
        q(m, PKG.context, lit(_sentence(text, s, e)))
        for bs, be, sec, _ in bounds:
            if bs <= s < be:
                q(m, PKG.section, sec)
        return m

    for kind, name in spec.entities:
        e = ox.NamedNode(entity_iri(kind, name))
        spans = [(m.start(), m.end()) for m in re.finditer(re.escape(name), text)]
        assert spans, f"{name} not in the text of {spec.doc}"
        q(e, RDF.type, ox.NamedNode(PKG[kind]))
        q(e, RDFS.label, lit(name, lang="zh"))
        q(plan, PKG.mentions, e)
        for s, t in spans:
            q(e, PKG.evidence, mention(s, t))
        q(e, RDF.type, ox.NamedNode(PKG[kind]), cg)
        q(e, SKOS.prefLabel, lit(name, lang="zh"), cg)

    for k, (kind, name, theme) in enumerate(spec.themes):
        r = ox.NamedNode(f"{B}plan/{spec.doc}/relation/hastheme-{k}")
        q(plan, PKG.hasRelation, r)
        q(r, RDF.type, ox.NamedNode(PKG.Relation))
        q(r, PKG.relationType, lit("hasTheme"))
        q(r, PKG.head, ox.NamedNode(entity_iri(kind, name)))
        q(r, PKG.tail, ox.NamedNode(entity_iri("Theme", theme)))
        at = text.index(name)
        q(r, PKG.evidence, mention(at, at + len(name)))

    for row in spec.targets:
        s = text.index(row["line"])
        t_end = s + len(row["line"])
        t = ox.NamedNode(f"{B}plan/{spec.doc}/target/{s}-{t_end}")
        ind = ox.NamedNode(entity_iri("Indicator", row["indicator"]))
        q(plan, PKG.hasIndicatorTarget, t)
        q(t, RDF.type, ox.NamedNode(PKG.IndicatorTarget))
        q(t, PKG.indicator, ind)
        q(t, PKG.rowName, lit(row["indicator"], lang="zh"))
        q(t, PKG.cumulative, lit("true" if row.get("cumulative") else "false", XSD.boolean))
        for key, prop, dt in (("unit", PKG.unit, None), ("value", PKG.value, XSD.decimal),
                              ("text", PKG.valueText, None),
                              ("comparator", PKG.comparator, None),
                              ("baseline", PKG.baselineValue, XSD.decimal),
                              ("authority", PKG.authority, None)):
            if row.get(key) is not None:
                q(t, prop, lit(row[key], dt))
        q(t, PKG.attribute, ox.NamedNode(PKG.Expected))
        q(t, PKG.evidence, mention(s, t_end))
        q(ind, RDF.type, ox.NamedNode(PKG.Indicator))
        q(ind, RDFS.label, lit(row["indicator"], lang="zh"))
        q(ind, RDF.type, ox.NamedNode(PKG.Indicator), cg)
        q(ind, SKOS.prefLabel, lit(row["indicator"], lang="zh"), cg)
    store.extend(quads)


JOBS = "城镇新增就业人数"
RATE = "城镇登记失业率"

PLANS = [
    PlanSpec(
        doc="plan_a", title="甲市人社规划", region="甲市",
        text=("第一章 就业创业\n实施青年启航计划，帮扶高校毕业生和退役军人就业。就业创业是首要任务。\n"
              f"城镇新增就业人数 [6] 万人\n{RATE} 3以内 %\n"
              "第二章 社会保险\n推进全民参保计划，覆盖灵活就业人员。社会保险扩面。\n"),
        sections=["第一章 就业创业", "第二章 社会保险"],
        entities=[("Program", "青年启航计划"), ("Program", "全民参保计划"),
                  ("TargetGroup", "高校毕业生"), ("TargetGroup", "退役军人"),
                  ("TargetGroup", "灵活就业人员"), ("Theme", "就业创业"), ("Theme", "社会保险")],
        targets=[{"indicator": JOBS, "line": "城镇新增就业人数 [6] 万人", "unit": "万人",
                  "value": 6, "text": "[6]", "comparator": "=", "cumulative": True},
                 {"indicator": RATE, "line": f"{RATE} 3以内 %", "unit": "%", "value": 3,
                  "text": "3以内", "comparator": "<=", "baseline": 2.5}]),
    PlanSpec(
        doc="plan_b", title="乙市人社规划", region="乙市",
        text=("第一章 就业创业\n实施青年启航计划，帮扶高校毕业生就业。\n"
              f"城镇新增就业人数 50000 人\n{RATE} 4以内 %\n"
              "第二章 人才队伍\n实施工匠培育工程。人才队伍建设。\n"),
        sections=["第一章 就业创业", "第二章 人才队伍"],
        entities=[("Program", "青年启航计划"), ("Program", "工匠培育工程"),
                  ("TargetGroup", "高校毕业生"), ("Theme", "就业创业"), ("Theme", "人才队伍")],
        # plan_b files its items under themes itself (hasTheme relations); the others do not
        themes=[("Program", "青年启航计划", "就业创业"), ("TargetGroup", "高校毕业生", "就业创业"),
                ("Program", "工匠培育工程", "人才队伍")],
        targets=[{"indicator": JOBS, "line": "城镇新增就业人数 50000 人", "unit": "人",
                  "value": 50000, "text": "50000", "comparator": "=", "authority": "省"},
                 {"indicator": RATE, "line": f"{RATE} 4以内 %", "unit": "%", "value": 4,
                  "text": "4以内", "comparator": "<="}]),
    PlanSpec(
        doc="plan_xss", title=f"丙市规划{XSS}", region="丙市",
        text=(f"第一章 {XSS}保障\n实施{XSS}计划，帮扶高校毕业生和退役军人。就业创业。\n"),
        sections=[f"第一章 {XSS}保障"],
        entities=[("Program", f"{XSS}计划"), ("TargetGroup", "高校毕业生"),
                  ("TargetGroup", "退役军人"), ("Theme", "就业创业")]),
]


def mini_store(specs: list[PlanSpec] | None = None) -> ox.Store:
    """An in-memory store holding ``specs`` (default :data:`PLANS`)."""
    store = ox.Store()
    for spec in specs or PLANS:
        add_plan(store, spec)
    return store


_CORPUS_STORE: dict[str, object] = {}


def corpus_store_path(tmp_path_factory) -> object:
    """The embedded corpus built once per test session with ``kg.build`` (a real store on
    disk, as ``kg build`` makes it)."""
    if "path" not in _CORPUS_STORE:
        # kg.api, not ``import kg``: under pytest tests/kg/ makes ``kg`` a namespace
        # package whose __init__ never runs (see the final report)
        from kg.api import build

        path = tmp_path_factory.mktemp("compare-corpus") / "policykg.store"
        report = build(store=path)
        assert not report.failed, report.failed
        assert len(report.built) == 5, report
        _CORPUS_STORE["path"] = path
    return _CORPUS_STORE["path"]
