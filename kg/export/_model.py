"""What the exporters need to know about the graph model: which graphs are plans."""

from __future__ import annotations

from dataclasses import dataclass

import pyoxigraph as ox

from kg.vocab import PKG, RDF

__all__ = ["PlanRef", "plan_graphs"]

# A plan graph holds its plan resource (docs/graph-model.md):
# GRAPH <B graph/plan/{doc}> { <B plan/{doc}> a pkg:Plan ; pkg:docId "{doc}" }
_PLAN_GRAPHS = f"""
SELECT DISTINCT ?g ?plan ?id WHERE {{
  GRAPH ?g {{ ?plan <{RDF.type}> <{PKG.Plan}> . OPTIONAL {{ ?plan <{PKG.docId}> ?id }} }}
}}
"""


@dataclass(frozen=True, slots=True)
class PlanRef:
    """A plan graph's short id (the plan's ``pkg:docId``, else the graph IRI's last
    segment) and every name a user may give for it: the id, the graph IRI, the plan IRI
    and the last segment of each."""

    id: str
    names: frozenset[str]


def _tail(iri: str) -> str:
    return iri.rstrip("/#").rsplit("/", 1)[-1].rsplit("#", 1)[-1]


def plan_graphs(store: ox.Store) -> dict[ox.NamedNode, PlanRef]:
    """Each plan's named graph (sorted by IRI) with its id and names."""
    ids: dict[ox.NamedNode, str] = {}
    names: dict[ox.NamedNode, set[str]] = {}
    for row in store.query(_PLAN_GRAPHS):
        graph, plan, ident = row["g"], row["plan"], row["id"]
        if not isinstance(graph, ox.NamedNode):
            continue
        known = names.setdefault(graph, {graph.value, _tail(graph.value)})
        if isinstance(plan, ox.NamedNode):
            known.update({plan.value, _tail(plan.value)})
        if isinstance(ident, ox.Literal):
            known.add(ident.value)
            ids[graph] = min(ids.get(graph, ident.value), ident.value)
    return {g: PlanRef(id=ids.get(g, _tail(g.value)), names=frozenset(n))
            for g, n in sorted(names.items(), key=lambda kv: kv[0].value)}
