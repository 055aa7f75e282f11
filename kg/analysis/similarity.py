"""Similarity between plans: Jaccard and cosine over their programs, target groups,
indicators and themes, as a matrix."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from kg.analysis.facts import Facts

__all__ = ["Measure", "Facet", "FACET_TYPES", "DEFAULT_FACETS", "SimilarityMatrix",
           "similarity", "similarity_graph"]


class Measure(StrEnum):
    """How two plans' item sets are compared."""

    JACCARD = "jaccard"  # |A ∩ B| / |A ∪ B| over the sets of items
    COSINE = "cosine"    # cosine of the mention-count vectors


class Facet(StrEnum):
    """A kind of item plans are compared on."""

    PROGRAMS = "programs"
    TARGET_GROUPS = "target-groups"
    INDICATORS = "indicators"
    THEMES = "themes"
    POLICIES = "policies"
    INSTITUTIONS = "institutions"


FACET_TYPES: dict[Facet, tuple[str, ...]] = {
    Facet.PROGRAMS: ("Program", "Event"),
    Facet.TARGET_GROUPS: ("TargetGroup",),
    Facet.INDICATORS: ("Indicator",),
    Facet.THEMES: ("Theme",),
    Facet.POLICIES: ("PolicyDocument",),
    Facet.INSTITUTIONS: ("Institution",),
}

DEFAULT_FACETS: tuple[Facet, ...] = (Facet.PROGRAMS, Facet.TARGET_GROUPS, Facet.INDICATORS,
                                     Facet.THEMES)


@dataclass(frozen=True, slots=True)
class SimilarityMatrix:
    """A symmetric plans × plans matrix (diagonal 1 for a plan with any item, else 0).

    ``plans`` are plan keys in row order; ``values[i][j]`` the similarity of plans i and j.
    """

    plans: tuple[str, ...]
    values: tuple[tuple[float, ...], ...]
    measure: Measure
    facets: tuple[Facet, ...]

    def __getitem__(self, pair: tuple[str, str]) -> float:
        i, j = (self.plans.index(p) for p in pair)
        return self.values[i][j]

    def pairs(self) -> list[tuple[str, str, float]]:
        """Every unordered pair of distinct plans, most similar first."""
        n = len(self.plans)
        out = [(self.plans[i], self.plans[j], self.values[i][j])
               for i in range(n) for j in range(i + 1, n)]
        return sorted(out, key=lambda t: (-t[2], t[0], t[1]))


def _vectors(facts: Facts, types: set[str]) -> tuple[list[str], Any, Any]:
    """Plan keys, the count matrix restricted to items in ≥ 2 plans, and per-plan
    (set size, squared norm) over all items."""
    import numpy as np

    plans = list(facts.plan_keys)
    row = {p: i for i, p in enumerate(plans)}
    members: dict[str, list[tuple[int, int]]] = {}
    size = np.zeros(len(plans))
    sq = np.zeros(len(plans))
    for m in facts.memberships:
        if m.plan not in row or facts.items[m.item].type not in types:
            continue
        i = row[m.plan]
        c = max(m.count, 1)
        size[i] += 1
        sq[i] += c * c
        members.setdefault(m.item, []).append((i, c))
    shared = [v for _, v in sorted(members.items()) if len(v) > 1]
    counts = np.zeros((len(plans), len(shared)), dtype=np.float64)
    for j, rows in enumerate(shared):
        for i, c in rows:
            counts[i, j] = c
    return plans, counts, (size, sq)


def similarity(facts: Facts, *, measure: Measure | str = Measure.JACCARD,
               facets: Iterable[Facet | str] = DEFAULT_FACETS) -> SimilarityMatrix:
    """Pairwise similarity of the plans in ``facts`` over the items of ``facets``.

    Parameters
    ----------
    facts : Facts
    measure : ``jaccard`` (sets of items) or ``cosine`` (mention-count vectors)
    facets : which kinds of item count (their union is compared)

    Returns
    -------
    SimilarityMatrix

    Notes
    -----
    Only items found in at least two plans can make two plans alike, so the product runs
    over those columns alone; set sizes and norms come from all items. On 500 plans this
    is one small matrix product.
    """
    import numpy as np

    measure = Measure(measure)
    facet_list = tuple(Facet(f) for f in facets)
    types = {t for f in facet_list for t in FACET_TYPES[f]}
    plans, counts, (size, sq) = _vectors(facts, types)
    if measure is Measure.JACCARD:
        binary = (counts > 0).astype(np.float64)
        inter = binary @ binary.T
        union = size[:, None] + size[None, :] - inter
        with np.errstate(divide="ignore", invalid="ignore"):
            values = np.where(union > 0, inter / union, 0.0)
    else:
        dot = counts @ counts.T
        norms = np.sqrt(sq)
        denom = norms[:, None] * norms[None, :]
        with np.errstate(divide="ignore", invalid="ignore"):
            values = np.where(denom > 0, dot / denom, 0.0)
    np.fill_diagonal(values, np.where(size > 0, 1.0, 0.0))
    values = np.round(np.clip(values, 0.0, 1.0), 6)
    rows = tuple(map(tuple, values.tolist()))
    return SimilarityMatrix(plans=tuple(plans), values=rows, measure=measure,
                            facets=facet_list)


def similarity_graph(matrix: SimilarityMatrix, *, threshold: float = 0.0,
                     labels: Sequence[str] | None = None) -> Any:
    """The plan similarity graph: plans as nodes, an edge ``weight`` = similarity for every
    pair above ``threshold``.

    Returns
    -------
    networkx.Graph
    """
    import networkx as nx

    g = nx.Graph()
    for k, plan in enumerate(matrix.plans):
        g.add_node(plan, type="Plan", label=labels[k] if labels else plan, plans=[plan])
    for a, b, w in matrix.pairs():
        if w > threshold:
            g.add_edge(a, b, weight=w)
    return g
