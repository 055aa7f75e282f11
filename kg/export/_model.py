"""What the exporters need to know about the graph model: which graphs are plans."""

from __future__ import annotations

import pyoxigraph as ox

from kg.vocab import PKG, RDF

__all__ = ["plan_graphs", "plan_name"]

# A plan graph holds its plan resource (docs/graph-model.md):
# GRAPH <B graph/plan/{doc}> { <B plan/{doc}> a pkg:Plan ; pkg:docId "{doc}" }
_PLAN_GRAPHS = f"""
SELECT DISTINCT ?g ?plan ?id WHERE {{
  GRAPH ?g {{ ?plan <{RDF.type}> <{PKG.Plan}> . OPTIONAL {{ ?plan <{PKG.docId}> ?id }} }}
}}
"""


def _tail(iri: str) -> str:
    return iri.rstrip("/#").rsplit("/", 1)[-1].rsplit("#", 1)[-1]


def plan_graphs(store: ox.Store) -> dict[ox.NamedNode, frozenset[str]]:
    """Each plan's named graph, with the names a user may give for it.

    The names are the graph IRI, the plan IRI, the last segment of each, and the plan's
    ``pkg:docId`` (the document id) when it has one.
    """
    found: dict[ox.NamedNode, set[str]] = {}
    for row in store.query(_PLAN_GRAPHS):
        graph, plan, ident = row["g"], row["plan"], row["id"]
        if not isinstance(graph, ox.NamedNode):
            continue
        names = found.setdefault(graph, set())
        names.update({graph.value, _tail(graph.value)})
        if isinstance(plan, ox.NamedNode):
            names.update({plan.value, _tail(plan.value)})
        if isinstance(ident, ox.Literal):
            names.add(ident.value)
    return {g: frozenset(n) for g, n in sorted(found.items(), key=lambda kv: kv[0].value)}


def plan_name(names: frozenset[str]) -> str:
    """The short name of a plan among its names: its document id (the shortest non-IRI)."""
    short = [n for n in names if "://" not in n] or list(names)
    return min(short, key=lambda n: (len(n), n))
