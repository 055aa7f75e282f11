"""networkx projections of the graph: plan–entity bipartite graph, entity co-occurrence
within plans."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from kg.analysis.facts import Facts

__all__ = ["bipartite_graph", "cooccurrence_graph"]


def _source(facts: Facts, ev: Any) -> str:
    if ev is None:
        return ""
    plan = facts.plan(ev.plan)
    parts = [plan.short]
    if ev.section:
        parts.append(ev.section)
    parts.append(f"{ev.start}–{ev.end}")
    return " · ".join(parts)


def bipartite_graph(facts: Facts, *, types: Iterable[str] | None = None) -> Any:
    """Plans and the items they mention, one edge per (plan, item), ``weight`` = mentions.

    Node attributes (what ``viz.graph`` reads): ``bipartite`` (0 plans, 1 items), ``type``,
    ``label``, ``plans`` (the plans an item is in), ``iri``, and for items the first
    mention's ``snippet`` (its sentence) and ``source`` (plan · section path · offsets).

    Parameters
    ----------
    facts : Facts
    types : entity types to include (default all)

    Returns
    -------
    networkx.Graph
        ``graph.graph["plans"]`` maps plan keys to titles.
    """
    import networkx as nx

    wanted = None if types is None else set(types)
    g = nx.Graph(plans={p.key: p.title for p in facts.plans})
    for p in facts.plans:
        g.add_node(p.iri, bipartite=0, type="Plan", label=p.title, plans=[p.key], iri=p.iri,
                   snippet=" · ".join(x for x in (p.region, p.period) if x), source=p.key)
    iri_of = {p.key: p.iri for p in facts.plans}
    plans_of: dict[str, list[str]] = {}
    for m in facts.memberships:
        item = facts.items[m.item]
        if wanted is not None and item.type not in wanted:
            continue
        plans_of.setdefault(m.item, []).append(m.plan)
        if m.item not in g:
            g.add_node(m.item, bipartite=1, type=item.type, label=item.label, iri=m.item,
                       snippet=m.evidence.sentence if m.evidence else "",
                       source=_source(facts, m.evidence))
        g.add_edge(iri_of[m.plan], m.item, weight=m.count)
    for iri, plans in plans_of.items():
        g.nodes[iri]["plans"] = sorted(plans)
    return g


def cooccurrence_graph(facts: Facts, *, types: Iterable[str] | None = None,
                       min_plans: int = 1) -> Any:
    """Items joined when the same plan mentions both; ``weight`` = number of such plans.

    The weighted projection of :func:`bipartite_graph` onto its items
    (``networkx.bipartite.weighted_projected_graph``).

    Parameters
    ----------
    facts : Facts
    types : entity types to include (default all)
    min_plans : keep only edges with at least this many common plans (and, above 1, only
        the items left with an edge)

    Returns
    -------
    networkx.Graph
    """
    from networkx.algorithms import bipartite

    b = bipartite_graph(facts, types=types)
    items = [n for n, d in b.nodes(data=True) if d["bipartite"] == 1]
    g = bipartite.weighted_projected_graph(b, items)
    g.graph["plans"] = dict(b.graph["plans"])
    if min_plans > 1:
        g.remove_edges_from([(u, v) for u, v, w in g.edges(data="weight") if w < min_plans])
        g.remove_nodes_from([v for v in list(g.nodes) if g.degree(v) == 0])
    return g
