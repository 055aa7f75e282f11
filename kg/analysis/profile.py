"""Plan × theme profiles: the weight of each theme in each plan, by facts and by text."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from enum import StrEnum

from kg.analysis.facts import Facts

__all__ = ["ProfileBasis", "ThemeProfile", "theme_profile"]


class ProfileBasis(StrEnum):
    """What a theme's weight in a plan counts."""

    FACTS = "facts"  # the facts the plan files under the theme (else its mentions of it)
    TEXT = "text"    # characters of the sections in which the plan mentions the theme


@dataclass(frozen=True, slots=True)
class ThemeProfile:
    """``shares[plan][theme]`` in [0, 1], summing to 1 per plan that has any theme;
    ``raw`` the counts (mentions or characters) they were computed from; ``labels`` theme
    IRI → label."""

    basis: ProfileBasis
    plans: tuple[str, ...]
    themes: tuple[str, ...]
    labels: dict[str, str]
    raw: dict[str, dict[str, float]]
    shares: dict[str, dict[str, float]]

    def by_label(self) -> dict[str, dict[str, float]]:
        """``shares`` keyed by theme label (for charts)."""
        return {p: {self.labels[t]: v for t, v in row.items()} for p, row in self.shares.items()}


def _union_length(intervals: list[tuple[int, int]]) -> int:
    """Characters covered by a set of [start, end) spans.

    >>> _union_length([(0, 10), (5, 20), (30, 31)])
    21
    """
    total, reach = 0, None
    for start, end in sorted(intervals):
        if reach is None or start >= reach:
            total += max(end - start, 0)
            reach = end
        elif end > reach:
            total += end - reach
            reach = end
    return total


def theme_profile(facts: Facts, *, basis: ProfileBasis | str = ProfileBasis.FACTS) -> ThemeProfile:
    """The weight of each theme in each plan.

    Parameters
    ----------
    facts : Facts
    basis : ``facts`` — the entities a plan files under the theme (its ``hasTheme``
        relations) over those it files under any theme; for a plan without such relations,
        its mentions of the theme over its mentions of all themes. ``text`` — the
        characters of the sections in which the plan mentions the theme (nested sections
        counted once: the union of their spans) over the same sum for all themes.

    Returns
    -------
    ThemeProfile
    """
    basis = ProfileBasis(basis)
    raw: dict[str, dict[str, float]] = {p: {} for p in facts.plan_keys}
    if basis is ProfileBasis.FACTS:
        linked: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
        for link in facts.theme_links:
            linked[link.plan][link.theme].add(link.item)
        for m in facts.memberships:
            if m.plan in raw and facts.items[m.item].type == "Theme" and m.plan not in linked:
                raw[m.plan][m.item] = float(m.count)
        for plan, themes in linked.items():
            if plan in raw:
                for theme, items in themes.items():
                    raw[plan][theme] = float(len(items))
    else:
        spans: dict[tuple[str, str], list[tuple[int, int]]] = defaultdict(list)
        for s in facts.theme_sections:
            if s.plan in raw:
                spans[(s.plan, s.theme)].append((s.start, s.end))
        for (plan, theme), intervals in spans.items():
            raw[plan][theme] = float(_union_length(intervals))
    themes = sorted({t for row in raw.values() for t in row},
                    key=lambda t: (facts.items[t].label if t in facts.items else t, t))
    labels = {t: facts.items[t].label if t in facts.items else t for t in themes}
    shares: dict[str, dict[str, float]] = {}
    for plan, row in raw.items():
        total = sum(row.values())
        shares[plan] = {t: (round(row.get(t, 0.0) / total, 6) if total else 0.0) for t in themes}
    return ThemeProfile(basis=basis, plans=facts.plan_keys, themes=tuple(themes), labels=labels,
                        raw={p: dict(sorted(r.items())) for p, r in raw.items()}, shares=shares)
