"""Comparisons of plans on networkx projections of the graph (read from the store once).

``compare(store)`` gives everything at once; the pieces are pure functions of a
:class:`Facts` value that ``load_facts(store)`` reads with a handful of SPARQL queries.
"""

from __future__ import annotations

from kg.analysis.compare import Comparison, compare, compare_facts
from kg.analysis.facts import (Evidence, Facts, Item, Membership, PlanInfo, TargetFact,
                               ThemeLink, ThemeSection, load_facts, open_store)
from kg.analysis.indicators import (IndicatorComparison, NormalisedTarget, indicator_comparison,
                                    parse_unit)
from kg.analysis.profile import ProfileBasis, ThemeProfile, theme_profile
from kg.analysis.projection import bipartite_graph, cooccurrence_graph
from kg.analysis.sets import ItemPresence, SetComparison, by_theme, shared_and_divergent
from kg.analysis.similarity import Facet, Measure, SimilarityMatrix, similarity, similarity_graph

__all__ = [
    "Comparison", "compare", "compare_facts",
    "Evidence", "Facts", "Item", "Membership", "PlanInfo", "TargetFact", "ThemeLink",
    "ThemeSection",
    "load_facts", "open_store",
    "IndicatorComparison", "NormalisedTarget", "indicator_comparison", "parse_unit",
    "ProfileBasis", "ThemeProfile", "theme_profile",
    "bipartite_graph", "cooccurrence_graph",
    "ItemPresence", "SetComparison", "by_theme", "shared_and_divergent",
    "Facet", "Measure", "SimilarityMatrix", "similarity", "similarity_graph",
]
