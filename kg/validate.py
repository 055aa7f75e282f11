"""Validation of a store: SHACL shapes plan graph by plan graph, whole-store rules in SPARQL."""

from __future__ import annotations

import logging
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from kg.errors import ConfigError
from kg.vocab import PKG, RDF, SKOS, graph_iri

if TYPE_CHECKING:
    from kg.store import GraphStore

__all__ = ["Violation", "ValidationReport", "validate_store", "STORE_RULES", "Stats",
           "store_stats"]

log = logging.getLogger(__name__)

_SH = "http://www.w3.org/ns/shacl#"


@dataclass(frozen=True, slots=True)
class Violation:
    """One failed constraint: in which graph, on which node, what is wrong."""

    graph: str
    focus: str
    message: str
    path: str | None = None
    value: str | None = None
    severity: str = "Violation"
    rule: str = ""


@dataclass(frozen=True, slots=True)
class ValidationReport:
    """The result of :func:`validate_store`: graphs checked and every violation found."""

    store: str
    graphs: int
    violations: tuple[Violation, ...] = ()

    @property
    def conforms(self) -> bool:
        return not any(v.severity == "Violation" for v in self.violations)


def _base_of(plan_graph: str) -> str:
    return plan_graph.split("graph/plan/", 1)[0]


#: Whole-store rules: (name, message, SPARQL SELECT returning ?focus and optionally ?g,
#: ?value). ``{canonical}`` is replaced by the canonical graph's IRI.
STORE_RULES: tuple[tuple[str, str, str], ...] = (
    ("canonical-label",
     "entity used in a plan graph has no skos:prefLabel in the canonical graph",
     f"""SELECT DISTINCT ?g ?focus WHERE {{
       GRAPH ?g {{ ?plan a <{PKG.Plan}> ; <{PKG.mentions}> ?focus }}
       FILTER NOT EXISTS {{ GRAPH <{{canonical}}> {{ ?focus <{SKOS.prefLabel}> ?l }} }} }}"""),
    ("one-canonical-label",
     "canonical node has more than one skos:prefLabel",
     f"""SELECT ?focus (COUNT(?l) AS ?value) WHERE {{
       GRAPH <{{canonical}}> {{ ?focus <{SKOS.prefLabel}> ?l }} }}
       GROUP BY ?focus HAVING (COUNT(?l) > 1)"""),
    ("shared-indicator",
     "indicator used by a plan is not an Indicator of the canonical graph",
     f"""SELECT DISTINCT ?g ?focus WHERE {{
       GRAPH ?g {{ ?o <{PKG.indicator}> ?focus }}
       FILTER NOT EXISTS {{ GRAPH <{{canonical}}> {{ ?focus a <{PKG.Indicator}> }} }} }}"""),
    ("plan-region",
     "the plan's region is not a Region of the canonical graph",
     f"""SELECT DISTINCT ?g ?focus WHERE {{
       GRAPH ?g {{ ?plan <{PKG.region}> ?focus }}
       FILTER NOT EXISTS {{ GRAPH <{{canonical}}> {{ ?focus a <{PKG.Region}> }} }} }}"""),
    ("one-plan-per-graph",
     "a plan graph must hold exactly one pkg:Plan",
     f"""SELECT ?g (COUNT(DISTINCT ?p) AS ?value) (SAMPLE(?p) AS ?focus) WHERE {{
       GRAPH ?g {{ ?p a <{PKG.Plan}> }} }} GROUP BY ?g HAVING (COUNT(DISTINCT ?p) != 1)"""),
    ("snippet-length",
     "a mention's snippet is not end - start characters long",
     f"""SELECT ?g ?focus ?value WHERE {{
       GRAPH ?g {{ ?focus <{PKG.start}> ?s ; <{PKG.end}> ?e ; <{PKG.snippet}> ?value }}
       FILTER(STRLEN(?value) != ?e - ?s) }}"""),
    ("dangling-evidence",
     "pkg:evidence points to a mention that is not in the same plan graph",
     f"""SELECT ?g ?focus ?value WHERE {{
       GRAPH ?g {{ ?focus <{PKG.evidence}> ?value
                  FILTER NOT EXISTS {{ ?value a <{PKG.Mention}> }} }} }}"""),
    ("empty-default-graph",
     "the default graph must be empty (all data lives in named graphs)",
     """SELECT ?focus WHERE { ?focus ?p ?o } LIMIT 5"""),
)


def _load_shapes(path: Path):
    import rdflib

    try:
        return rdflib.Graph().parse(str(path), format="turtle")
    except FileNotFoundError:
        raise ConfigError(f"shapes file {path} is missing; reinstall PolicyKG or restore "
                          "ontology/shapes.ttl") from None
    except Exception as exc:  # rdflib raises many parser error types
        raise ConfigError(f"shapes file {path} is not valid Turtle ({exc})") from None


def _to_rdflib(quads) -> object:
    import pyoxigraph as ox
    import rdflib

    data = ox.serialize([q.triple for q in quads], format=ox.RdfFormat.N_TRIPLES)
    g = rdflib.Graph()
    g.parse(data=data.decode("utf-8"), format="nt")
    return g


def _shacl(graph_name: str, data, shapes) -> list[Violation]:
    import pyshacl
    import rdflib

    sh = rdflib.Namespace(_SH)
    conforms, report, _text = pyshacl.validate(
        data, shacl_graph=shapes, inference="none", abort_on_first=False,
        allow_warnings=True, advanced=False, inplace=True)
    if conforms:
        return []
    out = []
    for result in report.subjects(rdflib.RDF.type, sh.ValidationResult):
        def one(p):
            v = report.value(result, p)
            return None if v is None else str(v)
        severity = (one(sh.resultSeverity) or "Violation").rsplit("#", 1)[-1]
        path = report.value(result, sh.resultPath)
        out.append(Violation(
            graph=graph_name, focus=one(sh.focusNode) or "",
            message=one(sh.resultMessage) or "constraint failed",
            path=str(path) if isinstance(path, rdflib.URIRef) else
            (f"^{report.value(path, sh.inversePath)}" if path is not None else None),
            value=one(sh.value), severity=severity,
            rule=(one(sh.sourceConstraintComponent) or "").rsplit("#", 1)[-1]))
    return out


def validate_store(gs: GraphStore, *, shapes: Path | None = None,
                   progress=None) -> ValidationReport:
    """Validate every plan graph of an open store against the SHACL shapes (each copied into
    an in-memory rdflib graph) and the store against :data:`STORE_RULES`.

    Parameters
    ----------
    gs : the open store.
    shapes : the shapes file (default ``ontology/shapes.ttl``).
    progress : called as ``progress(graph, done, total)``.

    Returns
    -------
    ValidationReport
        ``report.conforms`` is true when no violation was found.
    """
    from kg.resources import ontology_dir

    shapes_graph = _load_shapes(shapes or ontology_dir() / "shapes.ttl")
    # every plan graph, also one whose plan node lost its build record
    graphs = sorted(g.value for g in gs.ox.named_graphs() if "/graph/plan/" in g.value)
    violations: list[Violation] = []
    for i, g in enumerate(graphs, start=1):
        violations += _shacl(g, _to_rdflib(gs.graph_quads(g)), shapes_graph)
        if progress:
            progress(g, i, len(graphs))
    bases = sorted({_base_of(g) for g in graphs})
    for base in bases or ["https://policykg.org/"]:
        canonical = graph_iri("canonical", base=base)
        for name, message, query in STORE_RULES:
            for row in gs.ox.query(query.replace("{canonical}", canonical)):
                def val(var: str):
                    try:
                        t = row[var]
                    except (KeyError, IndexError):
                        return None
                    return None if t is None else t.value
                violations.append(Violation(graph=val("g") or "(store)",
                                            focus=val("focus") or "", message=message,
                                            value=val("value"), rule=name))
    violations.sort(key=lambda v: (v.graph, v.rule, v.focus, v.path or "", v.value or ""))
    return ValidationReport(store=str(gs.path), graphs=len(graphs),
                            violations=tuple(violations))


@dataclass(frozen=True, slots=True)
class Stats:
    """Counts of a store: quads, nodes per class, and per plan."""

    quads: int
    graphs: int
    classes: dict[str, int]
    plans: tuple[dict[str, object], ...]


def store_stats(gs: GraphStore) -> Stats:
    """Counts per class (distinct nodes over all plan graphs) and per plan."""
    quads = sum(1 for _ in gs.ox.quads_for_pattern(None, None, None, None))
    graphs = len(list(gs.ox.named_graphs()))
    classes: Counter[str] = Counter()
    q = f"""SELECT ?cls (COUNT(DISTINCT ?e) AS ?n) WHERE {{
      GRAPH ?g {{ ?p a <{PKG.Plan}> . ?e a ?cls }} }} GROUP BY ?cls"""
    for row in gs.ox.query(q):
        classes[row["cls"].value.rsplit("#", 1)[-1]] = int(row["n"].value)
    per: list[dict[str, object]] = []
    q = f"""SELECT ?g ?doc ?title ?cls (COUNT(DISTINCT ?e) AS ?n) WHERE {{
      GRAPH ?g {{ ?p a <{PKG.Plan}> ; <{PKG.docId}> ?doc ;
                  <http://purl.org/dc/terms/title> ?title . ?e <{RDF.type}> ?cls }} }}
      GROUP BY ?g ?doc ?title ?cls ORDER BY ?doc ?cls"""
    rows: dict[str, dict[str, object]] = {}
    for row in gs.ox.query(q):
        d = rows.setdefault(row["doc"].value, {"doc_id": row["doc"].value,
                                               "title": row["title"].value,
                                               "graph": row["g"].value})
        d[row["cls"].value.rsplit("#", 1)[-1]] = int(row["n"].value)
    per = [rows[k] for k in sorted(rows)]
    return Stats(quads=quads, graphs=graphs, classes=dict(sorted(classes.items())),
                 plans=tuple(per))
