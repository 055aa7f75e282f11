"""What the exporters need to know about the graph model: which graphs are plans."""

from __future__ import annotations

import pyoxigraph as ox

__all__ = ["plan_graphs"]

# A plan graph holds its plan resource: ``GRAPH ?g { ?plan a <…/Plan> }``.
_PLAN_GRAPHS = """
SELECT DISTINCT ?g ?plan ?id WHERE {
  GRAPH ?g { ?plan a ?class . OPTIONAL { ?plan <http://purl.org/dc/terms/identifier> ?id } }
  FILTER(STRENDS(STR(?class), "/Plan") || STRENDS(STR(?class), "#Plan"))
}
"""


def _tail(iri: str) -> str:
    return iri.rstrip("/#").rsplit("/", 1)[-1].rsplit("#", 1)[-1]


def plan_graphs(store: ox.Store) -> dict[ox.NamedNode, frozenset[str]]:
    """Each plan's named graph, with the names a user may give for it.

    The names are the graph IRI, the plan IRI, the last segment of each, and the plan's
    ``dcterms:identifier`` (the document id) when it has one.
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
