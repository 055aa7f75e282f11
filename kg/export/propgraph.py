"""The one property-graph projection of the RDF graph, used by every non-RDF export.

RDF is a set of quads; Neo4j, LadybugDB, GraphML and GEXF want nodes and edges with
properties. The projection is general over RDF, with three rules taken from the graph model
(docs/graph-model.md):

* a resource with an ``rdf:type`` becomes a node labelled with its most specific class
  (local name: ``Program``, ``Plan`` …); its literal-valued properties become node
  properties; ``skos:prefLabel`` (else ``rdfs:label``, else ``dcterms:title``) in Chinese and
  English become ``label_zh`` and ``label_en``; the plans whose graphs state something about
  it become ``plans``;
* an IRI-valued property between two nodes becomes an edge whose type is the property's
  local name in UPPER_SNAKE case (``pkg:mentions`` → ``MENTIONS``), with the plan of the
  named graph it was stated in;
* provenance is not a node: ``pkg:Mention`` and ``pkg:Section`` resources are folded into
  the edges they support (``start``, ``end``, ``snippet``, ``section`` of the first piece
  of evidence, and the number of pieces as ``evidence``), and a reified ``pkg:Relation``
  becomes one edge from its head to its tail typed by its ``pkg:relationType``.

From the ontology graph only SKOS concepts (the lexicons entities link to with
``pkg:concept``) become nodes; classes, properties and shapes stay in RDF.
"""

from __future__ import annotations

import logging
import re
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import TYPE_CHECKING, Union

import pyoxigraph as ox

from kg.export._common import as_store, select_graphs
from kg.export._model import plan_graphs
from kg.vocab import DCTERMS, ONTOLOGY_GRAPH, PKG, PREFIXES, RDF, RDFS, SKOS, XSD

if TYPE_CHECKING:
    import networkx as nx

__all__ = [
    "PropType",
    "Value",
    "Node",
    "Edge",
    "PropertyGraph",
    "project",
    "to_networkx",
    "RESERVED_NODE_PROPERTIES",
    "RESERVED_EDGE_PROPERTIES",
]

log = logging.getLogger(__name__)

Value = Union[str, int, float, bool, tuple[str, ...]]


class PropType(StrEnum):
    """The type of a property, the same in every format's schema."""

    STRING = "string"
    INT = "int"
    FLOAT = "float"
    BOOLEAN = "boolean"
    DATE = "date"  # an ISO date held as a string: YYYY-MM-DD
    STRING_LIST = "string[]"


@dataclass(frozen=True, slots=True)
class Node:
    """A node: its IRI, its label (class), and its properties sorted by name."""

    id: str
    label: str
    properties: tuple[tuple[str, Value], ...]

    def get(self, name: str, default: Value | None = None) -> Value | None:
        """The value of property ``name``."""
        return dict(self.properties).get(name, default)


@dataclass(frozen=True, slots=True)
class Edge:
    """A directed edge with its type and properties (``plan``, provenance) sorted by name."""

    source: str
    target: str
    type: str
    properties: tuple[tuple[str, Value], ...]

    def get(self, name: str, default: Value | None = None) -> Value | None:
        """The value of property ``name``."""
        return dict(self.properties).get(name, default)


@dataclass(frozen=True, slots=True)
class PropertyGraph:
    """Nodes and edges in a stable order, with the property schema of every label and type.

    Attributes
    ----------
    nodes : tuple[Node, ...]
        Sorted by label, then IRI.
    edges : tuple[Edge, ...]
        Sorted by type, source, target, then plan.
    node_schema : dict[str, dict[str, PropType]]
        Label → property → type (every property any node of that label has).
    edge_schema : dict[str, dict[str, PropType]]
        Edge type → property → type.
    """

    nodes: tuple[Node, ...]
    edges: tuple[Edge, ...]
    node_schema: dict[str, dict[str, PropType]] = field(default_factory=dict)
    edge_schema: dict[str, dict[str, PropType]] = field(default_factory=dict)

    def labels(self) -> list[str]:
        """The node labels, sorted."""
        return sorted(self.node_schema)

    def edge_types(self) -> list[str]:
        """The edge types, sorted."""
        return sorted(self.edge_schema)

    def endpoints(self) -> dict[str, list[tuple[str, str]]]:
        """Edge type → the (source label, target label) pairs it connects, sorted."""
        label = {n.id: n.label for n in self.nodes}
        pairs: dict[str, set[tuple[str, str]]] = defaultdict(set)
        for e in self.edges:
            pairs[e.type].add((label[e.source], label[e.target]))
        return {t: sorted(p) for t, p in sorted(pairs.items())}


#: Properties every node has (when known), whatever its class.
#: (``type`` is kept free for the node's label in formats without labels: GraphML, GEXF.)
RESERVED_NODE_PROPERTIES = ("iri", "type", "label_zh", "label_en", "plans")
#: Properties every edge may have.
RESERVED_EDGE_PROPERTIES = ("type", "plan", "start", "end", "snippet", "section", "evidence")

# Classes whose instances are provenance, folded into edges rather than made nodes.
_FOLDED = frozenset({PKG.Mention, PKG.Section})
# A reified relation: one edge head → tail typed by pkg:relationType.
_REIFIED = PKG.Relation
_REIFIED_PROPS = frozenset({PKG.relationType, PKG.head, PKG.tail})
# Labels in order of preference for label_zh / label_en.
_LABEL_PREDICATES = (SKOS.prefLabel, RDFS.label, DCTERMS.title)

_INT_TYPES = frozenset(XSD.iri + t for t in (
    "integer", "int", "long", "short", "byte", "nonNegativeInteger", "positiveInteger",
    "nonPositiveInteger", "negativeInteger", "unsignedLong", "unsignedInt", "unsignedShort",
    "unsignedByte", "gYear"))
_FLOAT_TYPES = frozenset(XSD.iri + t for t in ("decimal", "double", "float"))
_BOOLEAN = XSD.boolean
_DATE = XSD.date

_CAMEL = re.compile(r"(?<=[a-z0-9])(?=[A-Z])")  # "hasIndicatorTarget" → has|Indicator|Target
_NOT_IDENT = re.compile(r"[^A-Za-z0-9_]+")      # "target-group" → "target_group"
_DATE_RE = re.compile(r"\d{4}-\d{2}-\d{2}")     # "2021-06-30"
_SEPARATORS = re.compile(r"[#/:]")             # "http://x.org/ns#Plan" → Plan


def _local(iri: str) -> str:
    """The local name of an IRI: what follows its last ``#``, ``/`` or ``:``."""
    return _SEPARATORS.split(iri.rstrip("#/"))[-1]


def _ident(text: str) -> str:
    """An identifier every target accepts: ASCII letters, digits and ``_``, not a digit first."""
    name = _NOT_IDENT.sub("_", text).strip("_") or "x"
    return f"_{name}" if name[0].isdigit() else name


def _edge_type(name: str) -> str:
    """``hasIndicatorTarget`` → ``HAS_INDICATOR_TARGET``."""
    return _ident(_CAMEL.sub("_", _ident(name))).upper()


def _prefix_of(iri: str) -> str | None:
    best = None
    for prefix, ns in PREFIXES.items():
        if iri.startswith(ns) and (best is None or len(ns) > len(PREFIXES[best])):
            best = prefix
    return best


def _property_names(predicates: Iterable[str], reserved: Iterable[str]) -> dict[str, str]:
    """A property name per predicate IRI: its local name, prefixed where two would clash."""
    by_local: dict[str, list[str]] = defaultdict(list)
    for p in sorted(set(predicates)):
        by_local[_ident(_local(p))].append(p)
    taken = set(reserved)
    names: dict[str, str] = {}
    for local, iris in sorted(by_local.items()):
        if len(iris) == 1 and local not in taken:
            names[iris[0]] = local
            continue
        for iri in iris:
            prefix = _prefix_of(iri) or "ns"
            name = _ident(f"{prefix}_{local}")
            n = 2
            while name in taken or name in names.values():
                name, n = _ident(f"{prefix}_{local}_{n}"), n + 1
            names[iri] = name
    return names


def _convert(literal: ox.Literal) -> tuple[Value, PropType]:
    """A literal as a Python value and its type; a malformed typed literal stays a string."""
    datatype = literal.datatype.value
    text = literal.value
    try:
        if datatype in _INT_TYPES:
            return int(text), PropType.INT
        if datatype in _FLOAT_TYPES:
            return float(text), PropType.FLOAT
    except ValueError:
        return text, PropType.STRING
    if datatype == _BOOLEAN and text in ("true", "false", "1", "0"):
        return text in ("true", "1"), PropType.BOOLEAN
    if datatype == _DATE and _DATE_RE.fullmatch(text):
        return text, PropType.DATE
    return text, PropType.STRING


#: Joins the values of a property that has several for one node (aliases, surfaces).
MULTI_VALUE_SEPARATOR = " | "


def project(store: ox.Store | object, *, plans: Sequence[str] | None = None) -> PropertyGraph:
    """Project the selected graphs of ``store`` onto a property graph.

    Parameters
    ----------
    store : pyoxigraph.Store or kg.KnowledgeGraph
        The graph store, or the graph ``kg.open(...)`` returns.
    plans : sequence of str, optional
        Only these plans (plan IRI, graph IRI or document id) and the shared graphs.

    Returns
    -------
    PropertyGraph
        Deterministic: the same store gives the same nodes and edges in the same order.

    Examples
    --------
    >>> import pyoxigraph as ox
    >>> from kg.vocab import PKG, RDF, SKOS
    >>> B = "https://policykg.org/"
    >>> g, plan, prog = (ox.NamedNode(B + x) for x in ("graph/plan/p1", "plan/p1", "program/x"))
    >>> store = ox.Store()
    >>> store.extend([
    ...     ox.Quad(plan, ox.NamedNode(RDF.type), ox.NamedNode(PKG.Plan), g),
    ...     ox.Quad(plan, ox.NamedNode(PKG.docId), ox.Literal("p1"), g),
    ...     ox.Quad(plan, ox.NamedNode(PKG.mentions), prog, g),
    ...     ox.Quad(prog, ox.NamedNode(RDF.type), ox.NamedNode(PKG.Program), g),
    ...     ox.Quad(prog, ox.NamedNode(SKOS.prefLabel), ox.Literal("计划", language="zh"), g)])
    >>> pg = project(store)
    >>> [(n.label, n.get("label_zh"), n.get("plans")) for n in pg.nodes]
    [('Plan', None, ('p1',)), ('Program', '计划', ('p1',))]
    >>> [(e.type, e.get("plan")) for e in pg.edges]
    [('MENTIONS', 'p1')]
    """
    store = as_store(store)
    selection = select_graphs(store, plans)
    # graph IRI → plan id (its docId)
    plan_of = {graph.value: ref.id for graph, ref in plan_graphs(store).items()}

    types: dict[str, set[str]] = defaultdict(set)
    literals: dict[str, dict[str, list[ox.Literal]]] = defaultdict(lambda: defaultdict(list))
    links: list[tuple[str, str, str, str]] = []  # s, p, o, graph
    evidence: dict[tuple[str, str], list[str]] = defaultdict(list)  # (resource, graph)
    mention: dict[str, dict[str, ox.Literal | str]] = defaultdict(dict)
    section_path: dict[str, str] = {}
    relations: dict[tuple[str, str], dict[str, str]] = defaultdict(dict)
    seen_in: dict[str, set[str]] = defaultdict(set)  # node → graphs stating it
    subclass: dict[str, set[str]] = defaultdict(set)

    # The hot loop: terms compared as plain strings held in locals.
    rdf_type, evidence_p, section_p, concept = RDF.type, PKG.evidence, PKG.section, SKOS.Concept
    subclass_p, path_p, reltype_p = RDFS.subClassOf, PKG.sectionPath, PKG.relationType
    span_ps = frozenset({PKG.start, PKG.end, PKG.snippet})
    ends_ps = frozenset({PKG.head, PKG.tail})
    Literal, NamedNode, BlankNode = ox.Literal, ox.NamedNode, ox.BlankNode
    for graph in selection.graphs:
        gname = graph.value if isinstance(graph, NamedNode) else ""
        in_ontology = gname == ONTOLOGY_GRAPH or gname.endswith("/graph/ontology")
        for s, p, o, _ in store.quads_for_pattern(None, None, None, graph):
            kind = type(s)
            if kind is NamedNode:
                sid = s.value
            elif kind is BlankNode:
                sid = "_:" + s.value
            else:  # RDF-star quoted triples are not projected
                continue
            pid = p.value
            kind = type(o)
            if kind is Literal:
                if in_ontology:
                    literals[sid][pid].append(o)
                elif pid in span_ps:
                    mention[sid][pid] = o
                elif pid == path_p:
                    section_path[sid] = o.value
                elif pid == reltype_p:
                    relations[(sid, gname)]["type"] = o.value
                else:
                    literals[sid][pid].append(o)
                    seen_in[sid].add(gname)
                continue
            if kind is NamedNode:
                oid = o.value
            elif kind is BlankNode:
                oid = "_:" + o.value
            else:
                continue
            if in_ontology:
                if pid == subclass_p:
                    subclass[sid].add(oid)
                elif pid == rdf_type:
                    if oid == concept:
                        types[sid].add(oid)
                else:
                    links.append((sid, pid, oid, gname))
            elif pid == rdf_type:
                types[sid].add(oid)
                seen_in[sid].add(gname)
            elif pid == evidence_p:
                evidence[(sid, gname)].append(oid)
            elif pid == section_p:
                mention[sid]["section"] = oid
            elif pid in ends_ps:
                relations[(sid, gname)][pid] = oid
            else:
                links.append((sid, pid, oid, gname))

    # Nodes: typed resources that are neither provenance nor reified relations.
    label_of: dict[str, str] = {}
    for sid, classes in types.items():
        if classes & _FOLDED or _REIFIED in classes:
            continue
        label_of[sid] = _ident(_local(_most_specific(classes, subclass)))

    # skos:prefLabel is label_zh / label_en; every other literal predicate is a property.
    literal_preds = {p for sid in label_of for p in literals.get(sid, ())} - {SKOS.prefLabel}
    prop_name = _property_names(literal_preds, RESERVED_NODE_PROPERTIES)

    node_schema: dict[str, dict[str, PropType]] = defaultdict(dict)
    nodes: list[Node] = []
    for sid, label in label_of.items():
        props: dict[str, Value] = {"iri": sid}
        schema = node_schema[label]
        schema.setdefault("iri", PropType.STRING)
        by_pred = literals.get(sid, {})
        for lang in ("zh", "en"):
            text = _best_label(by_pred, lang)
            if text is not None:
                props[f"label_{lang}"] = text
                schema.setdefault(f"label_{lang}", PropType.STRING)
        in_plans = sorted({plan_of[g] for g in seen_in.get(sid, ()) if g in plan_of})
        if in_plans:
            props["plans"] = tuple(in_plans)
            schema["plans"] = PropType.STRING_LIST
        for pred, values in sorted(by_pred.items()):
            if pred not in prop_name:
                continue
            name = prop_name[pred]
            value, kind = _collapse(values)
            props[name] = value
            schema[name] = kind if schema.get(name, kind) == kind else PropType.STRING
        nodes.append(Node(id=sid, label=label, properties=tuple(sorted(props.items()))))
    nodes = _coerce(nodes, node_schema)

    # Edges: links between two nodes, and reified relations.
    edge_schema: dict[str, dict[str, PropType]] = defaultdict(dict)
    edges: list[Edge] = []
    # Edge types must differ from node labels even ignoring case (LadybugDB's table names
    # are case-insensitive): pkg:region between a Plan and a Region is HAS_REGION.
    taken = {label.upper() for label in label_of.values()}

    def edge_name(name: str) -> str:
        kind = _edge_type(name)
        while kind.upper() in taken:
            kind = "HAS_" + kind
        return kind

    link_name = {p: edge_name(n) for p, n in _property_names(
        {p for _, p, _, _ in links}, ()).items()}

    def provenance(facts: Iterable[str], graph: str) -> dict[str, Value]:
        found: list[str] = []
        for fact in facts:
            found = evidence.get((fact, graph), [])
            if found:
                break
        props: dict[str, Value] = {}
        if graph in plan_of:
            props["plan"] = plan_of[graph]
        if not found:
            return props
        spans = sorted((_int(mention[m].get(PKG.start)), m) for m in set(found))
        first = mention[spans[0][1]]
        if PKG.start in first:
            props["start"] = _int(first[PKG.start])
        if PKG.end in first:
            props["end"] = _int(first[PKG.end])
        if PKG.snippet in first:
            props["snippet"] = first[PKG.snippet].value  # type: ignore[union-attr]
        section = first.get("section")
        if isinstance(section, str) and section in section_path:
            props["section"] = section_path[section]
        props["evidence"] = len(spans)
        return props

    for s, p, o, graph in links:
        if s not in label_of or o not in label_of:
            continue
        kind = link_name[p]
        props = provenance((s, o), graph)
        edges.append(Edge(s, o, kind, tuple(sorted(props.items()))))
    for (rid, graph), rel in relations.items():
        head, tail = rel.get(PKG.head), rel.get(PKG.tail)
        if head not in label_of or tail not in label_of or "type" not in rel:
            continue
        props = provenance((rid,), graph)
        edges.append(Edge(head, tail, edge_name(rel["type"]), tuple(sorted(props.items()))))
    for e in edges:
        schema = edge_schema[e.type]
        for name, value in e.properties:
            schema.setdefault(name, _type_of(value))

    nodes.sort(key=lambda n: (n.label, n.id))
    edges = sorted(set(edges), key=lambda e: (e.type, e.source, e.target, e.properties))
    log.info("projected %d nodes and %d edges", len(nodes), len(edges))
    return PropertyGraph(
        nodes=tuple(nodes), edges=tuple(edges),
        node_schema={k: dict(sorted(v.items())) for k, v in sorted(node_schema.items())},
        edge_schema={k: dict(sorted(v.items())) for k, v in sorted(edge_schema.items())})


def _int(value: ox.Literal | str | None) -> int:
    try:
        return int(value.value) if isinstance(value, ox.Literal) else int(value or 0)
    except ValueError:
        return 0


def _most_specific(classes: set[str], subclass: Mapping[str, set[str]]) -> str:
    """The class that is no superclass of another of ``classes``; ties by IRI."""
    def ancestors(c: str, seen: set[str]) -> set[str]:
        for parent in subclass.get(c, ()):
            if parent not in seen:
                seen.add(parent)
                ancestors(parent, seen)
        return seen

    supers: set[str] = set()
    for c in classes:
        supers |= ancestors(c, set())
    leaves = sorted(c for c in classes if c not in supers) or sorted(classes)
    pkg = [c for c in leaves if c in PKG]
    return (pkg or leaves)[0]


def _best_label(by_pred: Mapping[str, list[ox.Literal]], lang: str) -> str | None:
    for pred in _LABEL_PREDICATES:
        values = sorted({v.value for v in by_pred.get(pred, ())
                         if (v.language or "").lower().split("-")[0] == lang})
        if values:
            return min(values, key=lambda v: (len(v), v)) if pred != SKOS.prefLabel else values[0]
    return None


def _collapse(values: list[ox.Literal]) -> tuple[Value, PropType]:
    """One property value from a predicate's literals: the value, or the sorted set joined."""
    converted = sorted({_convert(v) for v in values}, key=lambda vt: (str(vt[0]), vt[1]))
    if len(converted) == 1:
        return converted[0]
    return MULTI_VALUE_SEPARATOR.join(str(v) for v, _ in converted), PropType.STRING


def _type_of(value: Value) -> PropType:
    if isinstance(value, bool):
        return PropType.BOOLEAN
    if isinstance(value, int):
        return PropType.INT
    if isinstance(value, float):
        return PropType.FLOAT
    if isinstance(value, tuple):
        return PropType.STRING_LIST
    return PropType.STRING


def _coerce(nodes: list[Node], schema: Mapping[str, Mapping[str, PropType]]) -> list[Node]:
    """Values of a property whose type was widened to string become strings."""
    out = []
    for n in nodes:
        types = schema[n.label]
        props = tuple((k, str(v).lower() if isinstance(v, bool) and types[k] == PropType.STRING
                       else str(v) if types[k] == PropType.STRING and not isinstance(v, str)
                       else v) for k, v in n.properties)
        out.append(n if props == n.properties else Node(n.id, n.label, props))
    return out


def to_networkx(graph: PropertyGraph) -> nx.MultiDiGraph:
    """The property graph as a networkx ``MultiDiGraph`` (node key: IRI; edge key: index).

    Node attributes are the node's properties plus ``type`` (its label, as in the GraphML
    and GEXF exports); edge attributes the edge's properties plus ``type``. Lists
    (``plans``) stay tuples.

    Examples
    --------
    >>> g = to_networkx(PropertyGraph(nodes=(Node("a", "Plan", ()), Node("b", "Program", ())),
    ...                               edges=(Edge("a", "b", "MENTIONS", (("plan", "p1"),)),)))
    >>> list(g.edges(data=True))
    [('a', 'b', {'type': 'MENTIONS', 'plan': 'p1'})]
    """
    import networkx as nx

    g = nx.MultiDiGraph()
    for n in graph.nodes:
        g.add_node(n.id, type=n.label, **dict(n.properties))
    for i, e in enumerate(graph.edges):
        g.add_edge(e.source, e.target, key=i, type=e.type, **dict(e.properties))
    return g
