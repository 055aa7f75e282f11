"""Plan × theme profiles: the weight of each theme in each plan, by facts and by text."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from enum import StrEnum

from kg.analysis.facts import Facts

__all__ = ["ProfileBasis", "ThemeProfile", "theme_profile"]


class ProfileBasis(StrEnum):
    """What a theme's weight in a plan counts."""

    FACTS = "facts"  # the plan's mentions of the theme
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


def theme_profile(facts: Facts, *, basis: ProfileBasis | str = ProfileBasis.FACTS) -> ThemeProfile:
    """The weight of each theme in each plan.

    Parameters
    ----------
    facts : Facts
    basis : ``facts`` — a plan's mentions of the theme over its mentions of all themes;
        ``text`` — the characters of the sections in which the plan mentions the theme
        (each section once per theme) over the same sum for all themes.

    Returns
    -------
    ThemeProfile
    """
    basis = ProfileBasis(basis)
    raw: dict[str, dict[str, float]] = {p: {} for p in facts.plan_keys}
    if basis is ProfileBasis.FACTS:
        for m in facts.memberships:
            if m.plan in raw and facts.items[m.item].type == "Theme":
                raw[m.plan][m.item] = float(m.count)
    else:
        seen: dict[tuple[str, str], set[str]] = defaultdict(set)
        for s in facts.theme_sections:
            if s.plan in raw and s.section not in seen[(s.plan, s.theme)]:
                seen[(s.plan, s.theme)].add(s.section)
                raw[s.plan][s.theme] = raw[s.plan].get(s.theme, 0.0) + max(s.length, 0)
    themes = sorted({t for row in raw.values() for t in row},
                    key=lambda t: (facts.items[t].label if t in facts.items else t, t))
    labels = {t: facts.items[t].label if t in facts.items else t for t in themes}
    shares: dict[str, dict[str, float]] = {}
    for plan, row in raw.items():
        total = sum(row.values())
        shares[plan] = {t: (round(row.get(t, 0.0) / total, 6) if total else 0.0) for t in themes}
    return ThemeProfile(basis=basis, plans=facts.plan_keys, themes=tuple(themes), labels=labels,
                        raw={p: dict(sorted(r.items())) for p, r in raw.items()}, shares=shares)
