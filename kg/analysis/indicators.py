"""The indicator comparison: one indicator across plans, values normalised by unit and by
period (annual vs five-year cumulative), with baseline, growth and the setting authority."""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from dataclasses import dataclass

from kg.analysis.facts import Facts, Item, TargetFact

__all__ = ["UnitScale", "parse_unit", "NormalisedTarget", "IndicatorComparison",
           "indicator_comparison"]

# Chinese magnitude prefixes of a unit: 万人 = 10⁴ 人, 亿元 = 10⁸ 元, 千户 = 10³ 户.
_MAGNITUDE = {"万": 1e4, "亿": 1e8, "千": 1e3, "百": 1e2}
# A unit: optional magnitude, then the counted thing ("万人次" → 万 + 人次; "%" alone).
UNIT_PATTERN = re.compile(r"^(?P<mag>[万亿千百]?)(?P<base>.+)$")  # sample: 万人次
# A five-year total is printed in square or lenticular brackets: "[37.5]", "【 65 】".
CUMULATIVE_MARK = re.compile(r"[\[【［]\s*[\d.]")  # sample: [12.86]


@dataclass(frozen=True, slots=True)
class UnitScale:
    """A unit as its base unit and the factor to it (``万人`` → ``人`` × 10000)."""

    text: str | None
    base: str | None
    factor: float

    @property
    def is_rate(self) -> bool:
        """Percentages and per-mille are levels, never five-year totals."""
        return self.base in ("%", "‰", "个百分点")


def parse_unit(unit: str | None) -> UnitScale:
    """Split a unit into magnitude and base.

    Examples
    --------
    >>> parse_unit("万人")
    UnitScale(text='万人', base='人', factor=10000.0)
    >>> parse_unit("%").is_rate
    True
    >>> parse_unit(None)
    UnitScale(text=None, base=None, factor=1.0)
    """
    if not unit:
        return UnitScale(text=unit or None, base=None, factor=1.0)
    text = unit.strip().replace("％", "%")
    match = UNIT_PATTERN.match(text)
    if match and match["mag"] and match["base"]:
        return UnitScale(text=text, base=match["base"], factor=_MAGNITUDE[match["mag"]])
    return UnitScale(text=text, base=text, factor=1.0)


@dataclass(frozen=True, slots=True)
class NormalisedTarget:
    """One plan's target for the indicator, in the comparison's display unit.

    ``annual`` is the value per year (a five-year cumulative total divided by the plan's
    years; a level or a rate as stated); ``period_total`` the value over the plan period
    (cumulative totals only). The baseline is put on the same footing (``baseline_annual``:
    a bracketed baseline such as ``[12.86]`` is the previous period's total, divided by the
    years too), so ``change`` = annual target − annual baseline compares like with like, and
    ``change_pct`` is that change relative to the baseline (for rates ``change`` is in
    percentage points and ``change_pct`` is not given).
    """

    target: TargetFact
    years: int
    unit: str | None
    comparable: bool
    value: float | None
    annual: float | None
    period_total: float | None
    baseline: float | None
    baseline_annual: float | None
    change: float | None
    change_pct: float | None

    @property
    def plan(self) -> str:
        return self.target.plan


@dataclass(frozen=True, slots=True)
class IndicatorComparison:
    """One indicator in every plan that sets a target for it."""

    indicator: Item
    unit: str | None
    targets: tuple[NormalisedTarget, ...]

    @property
    def plans(self) -> tuple[str, ...]:
        return tuple(sorted({t.plan for t in self.targets}))


def _round(x: float | None) -> float | None:
    return None if x is None else round(x, 6)


def _display_unit(targets: list[TargetFact]) -> UnitScale:
    """The unit most of the plans print (ties: the larger magnitude, then the text)."""
    scales = [parse_unit(t.unit) for t in targets if t.unit]
    if not scales:
        return parse_unit(None)
    count = Counter((s.text, s.base, s.factor) for s in scales)
    text, base, factor = sorted(count, key=lambda k: (-count[k], -k[2], k[0] or ""))[0]
    return UnitScale(text=text, base=base, factor=factor)


def _normalise(t: TargetFact, years: int, display: UnitScale) -> NormalisedTarget:
    scale = parse_unit(t.unit)
    comparable = display.base is None or scale.base in (None, display.base)
    ratio = scale.factor / display.factor if comparable and scale.base is not None else 1.0
    value = None if t.value is None else t.value * ratio
    baseline = None if t.baseline_value is None else t.baseline_value * ratio
    cumulative = t.cumulative and not scale.is_rate
    annual = value / years if cumulative and value is not None else value
    period_total = value if cumulative else None
    baseline_total = (not scale.is_rate and t.baseline_text is not None
                      and CUMULATIVE_MARK.search(t.baseline_text) is not None)
    baseline_annual = (baseline / years if baseline_total and baseline is not None
                       else baseline)
    change = change_pct = None
    if annual is not None and baseline_annual is not None:
        change = annual - baseline_annual
        if not scale.is_rate and baseline_annual:
            change_pct = 100.0 * change / abs(baseline_annual)
    return NormalisedTarget(target=t, years=years, unit=display.text if comparable else t.unit,
                            comparable=comparable, value=_round(value), annual=_round(annual),
                            period_total=_round(period_total), baseline=_round(baseline),
                            baseline_annual=_round(baseline_annual), change=_round(change),
                            change_pct=_round(change_pct))


def indicator_comparison(facts: Facts, *, min_plans: int = 1) -> list[IndicatorComparison]:
    """Every indicator with a target in at least ``min_plans`` plans, normalised.

    Parameters
    ----------
    facts : Facts
    min_plans : int
        Keep indicators targeted by at least this many plans (2: only shared ones).

    Returns
    -------
    list of IndicatorComparison
        Most widely targeted first, then by label.
    """
    by_indicator: dict[str, list[TargetFact]] = defaultdict(list)
    for t in facts.targets:
        by_indicator[t.indicator].append(t)
    years = {p.key: p.years for p in facts.plans}
    out = []
    for iri, targets in by_indicator.items():
        if len({t.plan for t in targets}) < min_plans:
            continue
        display = _display_unit(targets)
        rows = tuple(_normalise(t, years.get(t.plan, 5), display)
                     for t in sorted(targets, key=lambda t: (t.plan, t.iri)))
        item = facts.items.get(iri) or Item(iri=iri, type="Indicator", label=targets[0].row_name)
        out.append(IndicatorComparison(indicator=item, unit=display.text, targets=rows))
    return sorted(out, key=lambda c: (-len(c.plans), c.indicator.label, c.indicator.iri))
