"""Export-test material: a small hand-written store that follows docs/graph-model.md.

Two invented plans (``alpha``, ``beta``) mention a program both share, one program only
``alpha`` has, a target group both share and an institution; ``alpha`` has an indicator
target and a relation. One program's label carries every character that breaks naive
writers: quotes, a backslash, a newline, ``<script>`` and an emoji.
"""

from __future__ import annotations

import atexit
import functools
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from kg.resources import ontology_dir
from kg.vocab import (CANONICAL_GRAPH, DCTERMS, ONTOLOGY_GRAPH, PKG, RDF, SKOS, XSD,
                      plan_graph_iri)

B = "https://policykg.org/"
NASTY = 'Q "双引号" \\ 反斜杠\n换行 <script>alert(1)</script> 😀 & \'单\' 尾\\"\r\t'

# Hand-written facts the tests check (what a reader of the fixture sees).
SHARED_PROGRAM = B + "program/shared-0001"
ALPHA_PROGRAM = B + "program/alpha-only-0002"
TARGET_GROUP = B + "target-group/youth-0003"
INSTITUTION = B + "institution/bureau-0004"
INDICATOR = B + "indicator/new-jobs-0005"
REGION_A, REGION_B, PROVINCE = B + "region/a-0006", B + "region/b-0007", B + "region/p-0008"


def _n(iri: str) -> ox.NamedNode:
    return ox.NamedNode(iri)


def _zh(text: str) -> ox.Literal:
    return ox.Literal(text, language="zh")


def _int(v: int) -> ox.Literal:
    return ox.Literal(str(v), datatype=_n(XSD.integer))


@dataclass
class _Plan:
    doc: str
    title: str
    region: str
    text: str

    @property
    def graph(self) -> ox.NamedNode:
        return _n(plan_graph_iri(self.doc))

    @property
    def iri(self) -> str:
        return f"{B}plan/{self.doc}"


def _plan_quads(plan: _Plan, entities: list[tuple[str, str, str]],
                with_target: bool, with_relation: bool) -> list[ox.Quad]:
    g, P = plan.graph, _n(plan.iri)
    q: list[ox.Quad] = []

    def add(s: ox.NamedNode, p: str, o: ox.NamedNode | ox.Literal) -> None:
        q.append(ox.Quad(s, _n(p), o, g))

    add(P, RDF.type, _n(PKG.Plan))
    add(P, DCTERMS.title, _zh(plan.title))
    add(P, PKG.docId, ox.Literal(plan.doc))
    add(P, PKG.startYear, _int(2021))
    add(P, PKG.endYear, _int(2025))
    add(P, DCTERMS.issued, ox.Literal("2021-09-30", datatype=_n(XSD.date)))
    add(P, PKG.region, _n(plan.region))
    section = _n(f"{plan.iri}/section/s1")
    add(P, PKG.hasSection, section)
    add(section, RDF.type, _n(PKG.Section))
    add(section, PKG.inPlan, P)
    add(section, PKG.sectionPath, ox.Literal("第一章 总则 > （一）目标"))
    add(section, PKG.start, _int(0))
    add(section, PKG.end, _int(len(plan.text)))

    def mention(name: str) -> ox.NamedNode:
        start = plan.text.index(name)
        m = _n(f"{plan.iri}/mention/{start}-{start + len(name)}")
        add(m, RDF.type, _n(PKG.Mention))
        add(m, PKG.inPlan, P)
        add(m, PKG.section, section)
        add(m, PKG.start, _int(start))
        add(m, PKG.end, _int(start + len(name)))
        add(m, PKG.snippet, ox.Literal(name))
        return m

    for iri, cls, name in entities:
        e = _n(iri)
        add(P, PKG.mentions, e)
        add(e, RDF.type, _n(cls))
        add(e, _rdfs_label(), _zh(name))
        add(e, PKG.evidence, mention(name))
    region = _n(plan.region)
    add(P, PKG.mentions, region)
    add(region, RDF.type, _n(PKG.Region))
    if with_target:
        t = _n(f"{plan.iri}/target/40-60")
        add(P, PKG.hasIndicatorTarget, t)
        add(t, RDF.type, _n(PKG.IndicatorTarget))
        add(t, PKG.indicator, _n(INDICATOR))
        add(t, PKG.rowName, _zh("新增就业人数"))
        add(t, PKG.value, ox.Literal("55.5", datatype=_n(XSD.decimal)))
        add(t, PKG.cumulative, ox.Literal("true", datatype=_n(XSD.boolean)))
        add(t, PKG.unit, ox.Literal("万人"))
        add(t, PKG.targetYear, _int(2025))
        add(t, PKG.evidence, mention("新增就业人数"))
        ind = _n(INDICATOR)
        add(ind, RDF.type, _n(PKG.Indicator))
        add(ind, _rdfs_label(), _zh("新增就业人数"))
    if with_relation:
        r = _n(f"{plan.iri}/relation/ledby-0009")
        add(P, PKG.hasRelation, r)
        add(r, RDF.type, _n(PKG.Relation))
        add(r, PKG.relationType, ox.Literal("ledBy"))
        add(r, PKG.head, _n(SHARED_PROGRAM))
        add(r, PKG.tail, _n(INSTITUTION))
        add(r, PKG.evidence, mention("人社局"))
    return q


def _rdfs_label() -> str:
    return "http://www.w3.org/2000/01/rdf-schema#label"


ALPHA = _Plan("alpha", "甲市就业促进规划", REGION_A,
              "甲市就业促进规划。实施青年就业计划，开展" + NASTY + "，服务高校毕业生。"
              "新增就业人数达到55.5万人。人社局负责。")
BETA = _Plan("beta", "乙市就业促进规划", REGION_B,
             "乙市就业促进规划。继续实施青年就业计划，服务高校毕业生。")


def crafted_quads() -> list[ox.Quad]:
    """The quads of the crafted two-plan store (without the ontology graph)."""
    quads = _plan_quads(ALPHA, [
        (SHARED_PROGRAM, PKG.Program, "青年就业计划"),
        (ALPHA_PROGRAM, PKG.Program, NASTY),
        (TARGET_GROUP, PKG.TargetGroup, "高校毕业生"),
        (INSTITUTION, PKG.Institution, "人社局"),
    ], with_target=True, with_relation=True)
    quads += _plan_quads(BETA, [
        (SHARED_PROGRAM, PKG.Program, "青年就业计划"),
        (TARGET_GROUP, PKG.TargetGroup, "高校毕业生"),
    ], with_target=False, with_relation=False)
    c = _n(CANONICAL_GRAPH)
    canon = [
        (SHARED_PROGRAM, PKG.Program, "青年就业计划", "Youth employment programme", 2),
        (ALPHA_PROGRAM, PKG.Program, NASTY, NASTY, 1),
        (TARGET_GROUP, PKG.TargetGroup, "高校毕业生", "College graduates", 2),
        (INSTITUTION, PKG.Institution, "人力资源和社会保障局", None, 1),
        (INDICATOR, PKG.Indicator, "城镇新增就业人数", None, 1),
        (REGION_A, PKG.Region, "甲市", None, 1),
        (REGION_B, PKG.Region, "乙市", None, 1),
        (PROVINCE, PKG.Region, "丙省", None, 0),
    ]
    for iri, cls, zh, en, count in canon:
        quads.append(ox.Quad(_n(iri), _n(RDF.type), _n(cls), c))
        quads.append(ox.Quad(_n(iri), _n(SKOS.prefLabel), _zh(zh), c))
        if en:
            quads.append(ox.Quad(_n(iri), _n(SKOS.prefLabel), ox.Literal(en, language="en"), c))
        quads.append(ox.Quad(_n(iri), _n(PKG.planCount), _int(count), c))
    quads.append(ox.Quad(_n(INSTITUTION), _n(SKOS.altLabel), _zh("人社局"), c))
    for region in (REGION_A, REGION_B):
        quads.append(ox.Quad(_n(region), _n(PKG.partOf), _n(PROVINCE), c))
    return quads


def crafted_store(path: Path | None = None, *, with_ontology: bool = True) -> ox.Store:
    """A store holding the crafted plans (on disk at ``path`` if given)."""
    store = ox.Store(str(path)) if path is not None else ox.Store()
    store.extend(crafted_quads())
    if with_ontology:
        for ttl in sorted(ontology_dir().glob("*.ttl")):
            if ttl.name == "shapes.ttl":
                continue
            store.load(path=str(ttl), format=ox.RdfFormat.TURTLE, to_graph=_n(ONTOLOGY_GRAPH))
    store.flush()
    return store


def require_rapper() -> str:
    """The path of Debian's ``rapper``; fails (never skips) when it is missing."""
    found = shutil.which("rapper")
    assert found, ("rapper (Debian package raptor2-utils) is missing: "
                   "run `bash .ci/system-deps` (as root) to install it")
    return found


def rapper_quads(path: Path, syntax: str) -> list[ox.Quad]:
    """The statements Debian's rapper parses from ``path``, as it re-serialises them."""
    out = subprocess.run([require_rapper(), "-q", "-i", syntax, "-o", "nquads", str(path)],
                         capture_output=True, check=False)
    assert out.returncode == 0, f"rapper failed on {path}: {out.stderr[-2000:]!r}"
    return list(ox.parse(out.stdout, format=ox.RdfFormat.N_QUADS))


def rapper_count(path: Path, syntax: str) -> int:
    """How many statements rapper parses from ``path``."""
    return len(rapper_quads(path, syntax))


@functools.cache
def seed_store_path() -> Path:
    """The embedded corpus built once per test session (kg.graph.build) in a temp folder."""
    from kg.graph import build

    folder = Path(tempfile.mkdtemp(prefix="policykg-export-seeds-"))
    atexit.register(shutil.rmtree, folder, True)
    path = folder / "store"
    report = build(None, store=path)  # None: the embedded corpus (data/, the five seeds)
    assert report.ok, report
    return path


def open_seed_store() -> ox.Store:
    """A read-only handle on the built embedded corpus."""
    return ox.Store.read_only(str(seed_store_path()))
