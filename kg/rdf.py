"""Records → RDF quads (pyoxigraph terms): one named graph per plan, plus the canonical graph."""

from __future__ import annotations

import logging
import re
from bisect import bisect_right
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from extract.model import EntityType, Record
from kg.errors import ConfigError, RecordError
from kg.iris import Iris, plan_slug, short_hash, slug
from kg.resolve import PlanContext, Resolution, Resolver, load_resolver
from kg.resources import ONTOLOGY_FILES
from kg.vocab import DCTERMS, PKG, RDF, RDFS, SKOS, XSD

if TYPE_CHECKING:
    import pyoxigraph as ox

__all__ = [
    "slug",
    "short_hash",
    "plan_slug",
    "Iris",
    "PlanGraph",
    "plan_graph",
    "CanonicalEntry",
    "canonical_quads",
    "ontology_quads",
    "ONTOLOGY_FILES",
    "sorted_nquads",
]

log = logging.getLogger(__name__)

# Sentence ends that bound a mention's context: 。！？；\n
_SENTENCE_END = re.compile(r"[。！？；\n]")
_CONTEXT_MAX = 120


_CLASS_OF_TYPE = {
    EntityType.PROGRAM: PKG.Program,
    EntityType.EVENT: PKG.Event,
    EntityType.INSTITUTION: PKG.Institution,
    EntityType.POLICY: PKG.PolicyDocument,
    EntityType.TARGET_GROUP: PKG.TargetGroup,
    EntityType.THEME: PKG.Theme,
    EntityType.REGION: PKG.Region,
}
_PROGRAM_KINDS = frozenset(("计划", "工程", "行动", "项目", "活动", "品牌", "其他"))
_COMPARATORS = frozenset(("=", "<", "<=", ">", ">=", "~"))
_ATTRIBUTES = {"预期性": PKG.Expected, "约束性": PKG.Binding}


# ---------------------------------------------------------------------------- terms


@lru_cache(maxsize=1024)
def _nn(iri: str) -> ox.NamedNode:
    """A NamedNode of a recurring IRI (terms, canonical nodes); one-off IRIs (mentions,
    sections) are made directly, so they do not push the recurring ones out."""
    import pyoxigraph as ox

    return ox.NamedNode(iri)


def _zh(text: str) -> ox.Literal:
    import pyoxigraph as ox

    return ox.Literal(text, language="zh")


def _str(text: str) -> ox.Literal:
    import pyoxigraph as ox

    return ox.Literal(text)


def _int(value: int) -> ox.Literal:
    import pyoxigraph as ox

    return ox.Literal(str(int(value)), datatype=_nn(XSD.integer))


def _decimal(value: float) -> ox.Literal | None:
    import pyoxigraph as ox

    try:
        d = Decimal(repr(float(value)))
    except (InvalidOperation, ValueError, TypeError):
        return None
    if not d.is_finite():
        return None
    text = format(d, "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return ox.Literal(text or "0", datatype=_nn(XSD.decimal))


def _bool(value: bool) -> ox.Literal:
    import pyoxigraph as ox

    return ox.Literal("true" if value else "false", datatype=_nn(XSD.boolean))


def _date(value: str) -> ox.Literal | None:
    import pyoxigraph as ox

    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value or ""):
        return None
    return ox.Literal(value, datatype=_nn(XSD.date))


# ---------------------------------------------------------------------------- plan graph


@dataclass(frozen=True, slots=True)
class PlanGraph:
    """The quads of one plan's named graph and what the build needs to know about it."""

    doc_id: str
    graph: str
    plan: str
    sha256: str
    quads: tuple[ox.Quad, ...]
    resolutions: tuple[Resolution, ...]


def _fail(rec: Record, problem: str) -> RecordError:
    return RecordError(f"record {rec.doc_id!r} ({rec.source}): {problem}")


def _context(text: str, start: int, end: int) -> str:
    lo = max(0, start - _CONTEXT_MAX // 2)
    ends = [m.end() for m in _SENTENCE_END.finditer(text, lo, start)]
    a = ends[-1] if ends else lo
    m = _SENTENCE_END.search(text, end, min(len(text), end + _CONTEXT_MAX // 2))
    b = m.end() if m else min(len(text), end + _CONTEXT_MAX // 2)
    ctx = text[a:b].strip()
    if len(ctx) > _CONTEXT_MAX:
        ctx = text[max(0, start - 40):min(len(text), end + 40)].strip()[:_CONTEXT_MAX]
    return ctx


class _SectionIndex:
    """Innermost section at an offset, for mentions whose record gives no section."""

    def __init__(self, sections: Sequence) -> None:
        self.sections = sorted(sections, key=lambda s: (s.start, -s.end, s.level))
        self.starts = [s.start for s in self.sections]

    def at(self, offset: int) -> str | None:
        best = None
        i = bisect_right(self.starts, offset)
        for s in self.sections[:i]:
            if s.start <= offset < s.end and (best is None or s.level >= best.level):
                best = s
        return best.id if best else None


def plan_graph(record: Record, *, iris: Iris | None = None, resolver: Resolver | None = None,
               build_key: str = "") -> PlanGraph:
    """The quads of one plan's named graph (docs/graph-model.md).

    Parameters
    ----------
    record : an extraction record *with its text* (``Record.text``), so that each
        mention's snippet is ``text[start:end]``.
    iris : the IRIs to mint (base IRI); default ``https://policykg.org/``.
    resolver : the cross-plan resolver; default the shipped lexicons.
    build_key : fingerprint stored as ``pkg:buildKey`` on the plan.

    Returns
    -------
    PlanGraph

    Raises
    ------
    kg.errors.RecordError
        When the record has no text, an offset outside the text, an unknown entity type or
        a reference to an unknown entity, naming the document.
    """
    import pyoxigraph as ox

    iris = iris or Iris()
    resolver = resolver or load_resolver()
    text = record.text
    if text is None:
        raise _fail(record, "has no text; build from files, or extract with --with-text "
                            "so that mentions can carry their snippets")
    if not record.doc_id:
        raise _fail(record, "has an empty doc_id")
    pslug = plan_slug(record.doc_id)
    g = _nn(iris.plan_graph(pslug))
    plan = _nn(iris.plan(pslug))
    quads: list[ox.Quad] = []
    add = quads.append
    Q = ox.Quad
    a = _nn(RDF.type)

    def lit_q(s: ox.NamedNode, p: str, o: ox.Literal | None) -> None:
        if o is not None:
            add(Q(s, _nn(p), o, g))

    # --- the plan and its metadata
    md = record.metadata
    ctx: PlanContext = resolver.context(md)
    add(Q(plan, a, _nn(PKG.Plan), g))
    title = md.title or record.doc_id
    lit_q(plan, DCTERMS.title, _zh(title))
    lit_q(plan, PKG.docId, _str(record.doc_id))
    lit_q(plan, DCTERMS.source, _str(record.source.replace("\\", "/").rsplit("/", 1)[-1]))
    if not re.fullmatch(r"[0-9a-f]{64}", record.sha256 or ""):
        raise _fail(record, f"sha256 {record.sha256!r} is not 64 lower-case hex digits")
    lit_q(plan, PKG.sha256, _str(record.sha256))
    lit_q(plan, PKG.buildKey, _str(build_key or "-"))
    lit_q(plan, PKG.textLength, _int(len(text)))
    if md.admin_level:
        lit_q(plan, PKG.adminLevel, _str(md.admin_level))
    if md.period:
        lit_q(plan, PKG.period, _str(md.period))
    if md.start_year is not None:
        lit_q(plan, PKG.startYear, _int(md.start_year))
    if md.end_year is not None:
        lit_q(plan, PKG.endYear, _int(md.end_year))
    if md.doc_number:
        lit_q(plan, DCTERMS.identifier, _str(md.doc_number))
    if md.issuer:
        lit_q(plan, PKG.issuer, _zh(md.issuer))
    if md.issue_date:
        lit_q(plan, DCTERMS.issued, _date(md.issue_date))
    if ctx.chain:
        code, rname = ctx.chain[0]
        region = _nn(iris.region(code, code or rname, rname))
        add(Q(plan, _nn(PKG.region), region, g))
        add(Q(region, _nn(RDFS.label), _zh(rname), g))
        if code:
            add(Q(region, _nn(PKG.divisionCode), _str(code), g))

    # --- sections
    sec_iri: dict[str, ox.NamedNode] = {}
    by_id = {s.id: s for s in record.sections}
    for s in record.sections:
        sec_iri[s.id] = ox.NamedNode(f"{iris.plan(pslug)}/section/{plan_slug(s.id.lower())}")
    for s in record.sections:
        if not (0 <= s.start <= s.end <= len(text)):
            raise _fail(record, f"section {s.id!r} span {s.start}-{s.end} lies outside the "
                                f"text (length {len(text)})")
        node = sec_iri[s.id]
        add(Q(plan, _nn(PKG.hasSection), node, g))
        add(Q(node, a, _nn(PKG.Section), g))
        add(Q(node, _nn(PKG.inPlan), plan, g))
        lit_q(node, PKG.sectionKind, _str(s.kind))
        if s.number:
            lit_q(node, PKG.number, _str(s.number))
        if s.title:
            lit_q(node, DCTERMS.title, _zh(s.title))
        lit_q(node, PKG.level, _int(s.level))
        lit_q(node, PKG.start, _int(s.start))
        lit_q(node, PKG.end, _int(s.end))
        if s.parent and s.parent in sec_iri:
            add(Q(node, _nn(DCTERMS.isPartOf), sec_iri[s.parent], g))
        path, cur, seen = [], s, set()
        while cur is not None and cur.id not in seen:
            seen.add(cur.id)
            path.append(" ".join(x for x in (cur.number, cur.title) if x) or cur.kind)
            cur = by_id.get(cur.parent) if cur.parent else None
        lit_q(node, PKG.sectionPath, _str(" > ".join(reversed(path))))
    sections = _SectionIndex(record.sections)

    # --- mentions
    mentions: dict[tuple[int, int], ox.NamedNode] = {}

    def mention(start: int, end: int, section: str | None, what: str) -> ox.NamedNode:
        if not (isinstance(start, int) and isinstance(end, int) and 0 <= start < end
                <= len(text)):
            raise _fail(record, f"{what} has span {start}-{end}, which is empty or lies "
                                f"outside the text (length {len(text)})")
        node = mentions.get((start, end))
        if node is not None:
            return node
        node = ox.NamedNode(f"{iris.plan(pslug)}/mention/{start}-{end}")
        mentions[(start, end)] = node
        add(Q(node, a, _nn(PKG.Mention), g))
        add(Q(node, _nn(PKG.inPlan), plan, g))
        sid = section if section in sec_iri else sections.at(start)
        if sid is not None:
            add(Q(node, _nn(PKG.section), sec_iri[sid], g))
        lit_q(node, PKG.start, _int(start))
        lit_q(node, PKG.end, _int(end))
        lit_q(node, PKG.snippet, _str(text[start:end]))
        ctx_text = _context(text, start, end)
        if ctx_text:
            lit_q(node, PKG.context, _str(ctx_text))
        return node

    # --- entities (several local entities may resolve to one canonical node)
    local: dict[str, ox.NamedNode] = {}
    resolutions: list[Resolution] = []
    typed: set[tuple[str, str]] = set()
    spans: dict[ox.NamedNode, set[tuple[int, int]]] = defaultdict(set)
    for e in record.entities:
        if e.type not in _CLASS_OF_TYPE:
            raise _fail(record, f"entity {e.id!r} has unknown type {e.type!r}; expected one "
                                f"of {', '.join(sorted(_CLASS_OF_TYPE))}")
        if not e.name:
            raise _fail(record, f"entity {e.id!r} has an empty name")
        if not e.mentions:
            log.warning("%s: entity %s (%s) has no mention; left out (no provenance)",
                        record.doc_id, e.id, e.name)
            continue
        r = resolver.entity(e, ctx)
        resolutions.append(r)
        node = _nn(iris.resolved(r))
        local[e.id] = node
        add(Q(plan, _nn(PKG.mentions), node, g))
        add(Q(node, a, _nn(_CLASS_OF_TYPE[e.type]), g))
        add(Q(node, _nn(RDFS.label), _zh(e.name), g))
        if r.concept:
            add(Q(node, _nn(PKG.concept), _nn(r.concept), g))
        if r.code:
            add(Q(node, _nn(PKG.divisionCode), _str(r.code), g))
        for sf in e.surface:
            if sf:
                add(Q(node, _nn(PKG.surface), _zh(sf), g))
        if e.type == EntityType.PROGRAM and e.kind in _PROGRAM_KINDS:
            if (node.value, "kind") not in typed:
                typed.add((node.value, "kind"))
                add(Q(node, _nn(PKG.programKind), _zh(e.kind), g))
        for m in e.mentions:
            add(Q(node, _nn(PKG.evidence), mention(m.start, m.end, m.section,
                                                    f"a mention of entity {e.id!r}"), g))
            spans[node].add((m.start, m.end))
    for node, found in spans.items():  # how often this plan names it (scoped by the graph)
        add(Q(node, _nn(PKG.mentionCount), _int(len(found)), g))

    # --- indicator targets and results
    used_rows: set[str] = set()
    for row in record.indicators:
        if row.kind not in ("target", "past"):
            raise _fail(record, f"indicator row {row.name!r} has kind {row.kind!r}; expected "
                                "'target' or 'past'")
        if not row.name:
            raise _fail(record, f"indicator row at {row.start}-{row.end} has an empty name")
        r = resolver.indicator(row)
        resolutions.append(r)
        ind = _nn(iris.resolved(r))
        rid = f"{iris.plan(pslug)}/target/{row.start}-{row.end}"
        n = 2
        while rid in used_rows:
            rid = f"{iris.plan(pslug)}/target/{row.start}-{row.end}-{n}"
            n += 1
        used_rows.add(rid)
        obs = ox.NamedNode(rid)
        target = row.kind == "target"
        add(Q(plan, _nn(PKG.hasIndicatorTarget if target else PKG.hasIndicatorResult), obs, g))
        add(Q(obs, a, _nn(PKG.IndicatorTarget if target else PKG.IndicatorResult), g))
        add(Q(obs, _nn(PKG.indicator), ind, g))
        add(Q(ind, a, _nn(PKG.Indicator), g))
        add(Q(ind, _nn(RDFS.label), _zh(row.name), g))
        if r.concept:
            add(Q(ind, _nn(PKG.concept), _nn(r.concept), g))
        lit_q(obs, PKG.rowName, _zh(row.name))
        if row.unit:
            lit_q(obs, PKG.unit, _str(row.unit))
        if row.target_text:
            lit_q(obs, PKG.valueText, _str(row.target_text))
        if row.target_value is not None:
            lit_q(obs, PKG.value, _decimal(row.target_value))
        if row.comparator in _COMPARATORS:
            lit_q(obs, PKG.comparator, _str(row.comparator))
        lit_q(obs, PKG.cumulative, _bool(bool(row.cumulative)))
        if row.baseline_text:
            lit_q(obs, PKG.baselineText, _str(row.baseline_text))
        if row.baseline_value is not None:
            lit_q(obs, PKG.baselineValue, _decimal(row.baseline_value))
        if row.base_year is not None:
            lit_q(obs, PKG.baseYear, _int(row.base_year))
        if row.target_year is not None:
            lit_q(obs, PKG.targetYear, _int(row.target_year))
        if row.attribute in _ATTRIBUTES:
            add(Q(obs, _nn(PKG.attribute), _nn(_ATTRIBUTES[row.attribute]), g))
        if row.authority:
            lit_q(obs, PKG.authority, _str(row.authority))
        if row.category:
            lit_q(obs, PKG.category, _zh(row.category))
        if row.table:
            lit_q(obs, PKG.table, _str(row.table))
        add(Q(obs, _nn(PKG.evidence), mention(row.start, row.end, row.section,
                                               f"indicator row {row.name!r}"), g))

    # --- relations (the record's doc_id as head or tail names the plan itself)
    local.setdefault(record.doc_id, plan)
    for rel in record.relations:
        head, tail = local.get(rel.head), local.get(rel.tail)
        if head is None or tail is None:
            missing = rel.head if head is None else rel.tail
            if missing not in {e.id for e in record.entities} | {record.doc_id}:
                raise _fail(record, f"relation {rel.type!r} refers to entity {missing!r}, "
                                    "which the record does not list")
            continue
        if rel.start is None or rel.end is None:
            log.warning("%s: relation %s %s→%s has no span; left out (no provenance)",
                        record.doc_id, rel.type, rel.head, rel.tail)
            continue
        key = f"{rel.type}|{head.value}|{tail.value}|{rel.start}|{rel.end}"
        node = ox.NamedNode(f"{iris.plan(pslug)}/relation/{slug(rel.type)}-{short_hash(key)}")
        add(Q(plan, _nn(PKG.hasRelation), node, g))
        add(Q(node, a, _nn(PKG.Relation), g))
        lit_q(node, PKG.relationType, _str(rel.type))
        add(Q(node, _nn(PKG.head), head, g))
        add(Q(node, _nn(PKG.tail), tail, g))
        add(Q(node, _nn(PKG.evidence), mention(rel.start, rel.end, None,
                                                f"relation {rel.type!r}"), g))

    unique = tuple(dict.fromkeys(quads))
    return PlanGraph(doc_id=record.doc_id, graph=g.value, plan=plan.value,
                     sha256=record.sha256, quads=unique, resolutions=tuple(resolutions))


# ---------------------------------------------------------------------------- canonical graph


@dataclass(frozen=True, slots=True)
class CanonicalEntry:
    """What the plan graphs say about one canonical node: its class, the names the plans
    use (name → number of plans), its lexicon concept and division code, and the other
    forms the plans print it in (quotation marks dropped)."""

    iri: str
    cls: str
    names: dict[str, int]
    plans: int
    concept: str | None = None
    code: str | None = None
    printed: tuple[str, ...] = ()


def _pick_label(names: dict[str, int]) -> str:
    return min(names, key=lambda n: (-names[n], len(n), n))


def canonical_quads(entries: Iterable[CanonicalEntry], *, iris: Iris, resolver: Resolver,
                    concept_labels: dict[str, str], derived_from: str) -> list[ox.Quad]:
    """The canonical graph: per node its class, one ``skos:prefLabel``, the other names and
    printed forms as ``skos:altLabel``, ``pkg:planCount`` and ``pkg:concept``; regions with
    their level, division code and the chain of enclosing regions.

    ``concept_labels`` maps a lexicon concept IRI to its prefLabel (the preferred display
    name of a node that matched it).
    """
    import pyoxigraph as ox

    g = _nn(iris.graph("canonical"))
    Q = ox.Quad
    a = _nn(RDF.type)
    out: list[ox.Quad] = [Q(g, _nn(PKG.derivedFrom), _str(derived_from), g)]
    regions: dict[str, str] = {}
    for e in entries:
        node = _nn(e.iri)
        names = dict(e.names)
        pref = concept_labels.get(e.concept or "") or None
        if e.code and e.code in resolver.divisions.by_code:
            pref = resolver.divisions.by_code[e.code].name
        pref = pref or _pick_label(names)
        out.append(Q(node, a, _nn(e.cls), g))
        out.append(Q(node, _nn(SKOS.prefLabel), _zh(pref), g))
        for n in sorted({*names, *e.printed}):
            if n != pref:
                out.append(Q(node, _nn(SKOS.altLabel), _zh(n), g))
        out.append(Q(node, _nn(PKG.planCount), _int(e.plans), g))
        if e.concept:
            out.append(Q(node, _nn(PKG.concept), _nn(e.concept), g))
        if e.code:
            regions[e.code] = e.iri
    # regions: level, code and the chain of parents (parents join the graph too)
    todo = sorted(regions)
    seen: set[str] = set()
    while todo:
        code = todo.pop()
        if code in seen:
            continue
        seen.add(code)
        d = resolver.divisions.by_code.get(code)
        if d is None:
            continue
        node = _nn(regions.get(code) or iris.region(code, code, d.name))
        if code not in regions:
            out.append(Q(node, a, _nn(PKG.Region), g))
            out.append(Q(node, _nn(SKOS.prefLabel), _zh(d.name), g))
            out.append(Q(node, _nn(PKG.planCount), _int(0), g))
        out.append(Q(node, _nn(PKG.divisionCode), _str(code), g))
        out.append(Q(node, _nn(PKG.adminLevel), _str(d.level), g))
        if d.parent and d.parent in resolver.divisions.by_code:
            p = resolver.divisions.by_code[d.parent]
            out.append(Q(node, _nn(PKG.partOf),
                         _nn(regions.get(p.code) or iris.region(p.code, p.code, p.name)), g))
            todo.append(p.code)
    return list(dict.fromkeys(out))


# ---------------------------------------------------------------------------- ontology graph


def ontology_quads(directory: Path, *, iris: Iris) -> list[ox.Quad]:
    """The ontology graph: ``ONTOLOGY_FILES`` parsed into one named graph; blank nodes are
    replaced by IRIs numbered in parse order, so the graph is the same bytes every time."""
    import pyoxigraph as ox

    g = _nn(iris.graph("ontology"))
    out: list[ox.Quad] = []
    skolem: dict[str, ox.NamedNode] = {}

    def fix(t):
        if isinstance(t, ox.BlankNode):
            if t.value not in skolem:
                skolem[t.value] = _nn(f"{iris.graph('ontology')}/genid/{len(skolem)}")
            return skolem[t.value]
        return t

    for name in ONTOLOGY_FILES:
        path = directory / name
        if not path.exists():
            log.warning("ontology file %s is missing; the ontology graph leaves it out", path)
            continue
        try:
            for t in ox.parse(path=str(path), format=ox.RdfFormat.TURTLE):
                out.append(ox.Quad(fix(t.subject), t.predicate, fix(t.object), g))
        except SyntaxError as exc:
            raise ConfigError(f"{path}: not valid Turtle ({exc}); fix the file") from None
    return list(dict.fromkeys(out))


def sorted_nquads(quads: Iterable[ox.Quad]) -> bytes:
    """Quads as N-Quads, one per line, lines sorted: the comparable form of a graph."""
    lines = sorted(f"{q.subject} {q.predicate} {q.object} {q.graph_name} .\n" for q in quads)
    return "".join(lines).encode("utf-8")
