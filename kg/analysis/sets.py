"""Shared items (in at least k plans) and divergent items (in one plan only), per entity
type and per theme."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from kg.analysis.facts import Evidence, Facts, Item

__all__ = ["ItemPresence", "SetComparison", "shared_and_divergent", "by_theme"]


@dataclass(frozen=True, slots=True)
class ItemPresence:
    """An item and the plans that mention it, each with its first mention."""

    item: Item
    plans: tuple[str, ...]
    evidence: tuple[Evidence | None, ...]

    @property
    def count(self) -> int:
        return len(self.plans)


@dataclass(frozen=True, slots=True)
class SetComparison:
    """For one entity type (or one theme): ``shared`` items in ≥ ``k`` plans, most widely
    shared first; ``divergent[plan]`` the items only that plan has."""

    key: str
    k: int
    shared: tuple[ItemPresence, ...]
    divergent: dict[str, tuple[ItemPresence, ...]]
    total: int


def _presence(facts: Facts, item_iris: set[str] | None = None,
              plan_items: dict[str, set[str]] | None = None) -> dict[str, ItemPresence]:
    found: dict[str, list[tuple[str, Evidence | None]]] = defaultdict(list)
    for m in facts.memberships:
        if item_iris is not None and m.item not in item_iris:
            continue
        if plan_items is not None and m.item not in plan_items.get(m.plan, ()):
            continue
        found[m.item].append((m.plan, m.evidence))
    out = {}
    for iri, rows in found.items():
        rows.sort(key=lambda r: r[0])
        out[iri] = ItemPresence(item=facts.items[iri], plans=tuple(p for p, _ in rows),
                                evidence=tuple(e for _, e in rows))
    return out


def _split(key: str, presence: dict[str, ItemPresence], plans: tuple[str, ...],
           k: int) -> SetComparison:
    ordered = sorted(presence.values(), key=lambda p: (-p.count, p.item.label, p.item.iri))
    shared = tuple(p for p in ordered if p.count >= k)
    divergent = {plan: tuple(p for p in ordered if p.plans == (plan,)) for plan in plans}
    return SetComparison(key=key, k=k, shared=shared, divergent=divergent, total=len(ordered))


def shared_and_divergent(facts: Facts, *, k: int = 2,
                         types: tuple[str, ...] | None = None) -> dict[str, SetComparison]:
    """Per entity type: items shared by at least ``k`` plans and items of one plan only.

    Parameters
    ----------
    facts : Facts
    k : int
        Minimum number of plans for an item to count as shared (``k >= 2``).
    types : entity types to report (default every type present)

    Returns
    -------
    dict
        Entity type → SetComparison, types sorted.

    Raises
    ------
    ValueError
        When ``k < 2`` (one plan alone cannot share).
    """
    if k < 2:
        raise ValueError(f"k={k}: an item is shared when at least 2 plans have it; use k >= 2")
    kinds = sorted({i.type for i in facts.items.values()} if types is None else set(types))
    out = {}
    for kind in kinds:
        iris = {iri for iri, item in facts.items.items() if item.type == kind}
        out[kind] = _split(kind, _presence(facts, iris), facts.plan_keys, k)
    return out


def by_theme(facts: Facts, *, k: int = 2, types: tuple[str, ...] = ("Program", "TargetGroup",
                                                                    "PolicyDocument",
                                                                    "Institution")
             ) -> dict[str, SetComparison]:
    """Per theme: shared and divergent items among those a plan places under the theme.

    An item is under a theme in a plan when the plan says so (a ``hasTheme`` relation); in
    a plan without such relations, when the section of the item's first mention is one in
    which the plan mentions the theme.

    Returns
    -------
    dict
        Theme label → SetComparison (themes sorted by label).
    """
    if k < 2:
        raise ValueError(f"k={k}: an item is shared when at least 2 plans have it; use k >= 2")
    sections: dict[tuple[str, str], set[str]] = defaultdict(set)  # (plan, section) -> themes
    for s in facts.theme_sections:
        sections[(s.plan, s.section)].add(s.theme)
    per_theme: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    wanted = set(types)
    linked_plans = {link.plan for link in facts.theme_links}
    for link in facts.theme_links:
        if facts.items[link.item].type in wanted:
            per_theme[link.theme][link.plan].add(link.item)
    for m in facts.memberships:
        if (facts.items[m.item].type not in wanted or m.evidence is None
                or m.plan in linked_plans):
            continue
        for theme in sections.get((m.plan, m.evidence.section_iri or ""), ()):
            per_theme[theme][m.plan].add(m.item)
    out = {}
    for theme in sorted(per_theme, key=lambda t: (facts.items[t].label if t in facts.items
                                                  else t, t)):
        label = facts.items[theme].label if theme in facts.items else theme
        out[label] = _split(label, _presence(facts, plan_items=per_theme[theme]),
                            facts.plan_keys, k)
    return out
