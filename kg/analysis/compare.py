"""The whole comparison of a set of plans, as one value the report and the CLI render."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from kg.analysis.facts import Facts, load_facts
from kg.analysis.indicators import IndicatorComparison, indicator_comparison
from kg.analysis.profile import ProfileBasis, ThemeProfile, theme_profile
from kg.analysis.sets import SetComparison, by_theme, shared_and_divergent
from kg.analysis.similarity import Facet, Measure, SimilarityMatrix, similarity

__all__ = ["Comparison", "compare_facts", "compare"]


@dataclass(frozen=True, slots=True)
class Comparison:
    """Shared and divergent themes, programs, target groups; similarity; indicators.

    Attributes
    ----------
    facts : what it was computed from (plans, items, first mentions)
    k : the "shared" threshold (items in at least k plans)
    similarity : the overall Jaccard matrix over programs, target groups, indicators, themes
    facet_similarity : (measure, facet) → matrix, for each measure and facet alone
    themes_by_facts, themes_by_text : plan × theme profiles
    sets : entity type → shared/divergent items
    theme_sets : theme label → shared/divergent items placed under that theme
    indicators : the indicator comparison, most widely targeted first
    """

    facts: Facts
    k: int
    similarity: SimilarityMatrix
    facet_similarity: dict[tuple[str, str], SimilarityMatrix]
    themes_by_facts: ThemeProfile
    themes_by_text: ThemeProfile
    sets: dict[str, SetComparison]
    theme_sets: dict[str, SetComparison]
    indicators: list[IndicatorComparison]

    def summary(self) -> dict[str, Any]:
        """A JSON-able digest: per plan counts, shared counts, most similar pairs."""
        f = self.facts
        per_plan = {}
        for p in f.plans:
            counts: dict[str, int] = {}
            for m in f.memberships:
                if m.plan == p.key:
                    t = f.items[m.item].type
                    counts[t] = counts.get(t, 0) + 1
            per_plan[p.key] = {"title": p.title, "region": p.region, "period": p.period,
                               "items": dict(sorted(counts.items())),
                               "targets": sum(1 for t in f.targets if t.plan == p.key)}
        return {
            "plans": per_plan,
            "k": self.k,
            "shared": {t: [{"label": s.item.label, "plans": list(s.plans)} for s in c.shared]
                       for t, c in self.sets.items()},
            "similar_pairs": [{"a": a, "b": b, "jaccard": w}
                              for a, b, w in self.similarity.pairs()],
            "indicators": [{"indicator": c.indicator.label, "unit": c.unit,
                            "plans": list(c.plans)} for c in self.indicators],
        }


def compare_facts(facts: Facts, *, k: int = 2) -> Comparison:
    """Every comparison of :mod:`kg.analysis` over ``facts`` (pure; see :func:`compare`)."""
    facets = (Facet.PROGRAMS, Facet.TARGET_GROUPS, Facet.INDICATORS, Facet.THEMES)
    per_facet = {(m.value, f.value): similarity(facts, measure=m, facets=(f,))
                 for m in Measure for f in facets}
    return Comparison(
        facts=facts, k=k,
        similarity=similarity(facts, measure=Measure.JACCARD, facets=facets),
        facet_similarity=per_facet,
        themes_by_facts=theme_profile(facts, basis=ProfileBasis.FACTS),
        themes_by_text=theme_profile(facts, basis=ProfileBasis.TEXT),
        sets=shared_and_divergent(facts, k=k),
        theme_sets=by_theme(facts, k=k),
        indicators=indicator_comparison(facts),
    )


def compare(store: Any, *, plans: Sequence[str] | None = None, k: int = 2) -> Comparison:
    """Compare plans of a store: which themes, programs, target groups and indicator targets
    they share and where they diverge.

    Parameters
    ----------
    store : path of an Oxigraph store made by ``kg build``, a ``pyoxigraph.Store``, or the
        graph ``kg.open`` returns
    plans : plan names (doc id, plan IRI, region, or part of the title); default all
    k : an item is shared when at least ``k`` plans mention it

    Returns
    -------
    Comparison

    Raises
    ------
    kg.errors.StoreError
        When the store cannot be read, holds no plan, or a name matches no plan.

    Examples
    --------
    >>> import kg
    >>> c = kg.compare("policykg.store")                          # doctest: +SKIP
    >>> [s.item.label for s in c.sets["TargetGroup"].shared][:3]  # doctest: +SKIP
    """
    return compare_facts(load_facts(store, plans=plans), k=k)
