"""Held-out test: the real pipeline on three hand-written plans it was never developed on.

The plans in ``tests/fixtures/unseen/`` come from other provinces, levels and periods
than the seeds (a 湖南 county for 十三五, hard-wrapped like a PDF extract with page numbers
and a table split over a page break; a 广东 district for 十四五 with full-width digits and
units in the row labels; a 四川 city's general 国民经济和社会发展 纲要 for 十二五, with parts over
chapters and an extra growth-rate column). Their names of programs, institutions and local
policies are invented. The gold labels beside them follow ``../shared/gold/README.md`` and
were written by hand before the tool was run on the texts (the labelling mistakes found
afterwards are listed in ``docs/QUALITY.md``, section "Unseen plans", with the figures and
the command that produced them).

The thresholds below were fixed before measuring and are not to be lowered. If the tool
falls short of one, mark that assertion ``xfail(strict=True)`` with the measured figure and
the cause, so the gap stays visible and the mark must go once it is fixed (none is marked:
every threshold is met as of this writing).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from test_generalisation import gold_names

from kg.evaluate import Evaluation, evaluate_paths, norm

pytestmark = pytest.mark.slow  # runs the whole pipeline on three plans (still run in CI)

ROOT = Path(__file__).resolve().parents[2]
UNSEEN = ROOT / "tests" / "fixtures" / "unseen"
PLANS = sorted(UNSEEN.glob("*.txt"))

ENTITY_F1 = {"Program": 0.80, "TargetGroup": 0.80, "Policy": 0.95, "Institution": 0.70}
INDICATOR_EXACT = {"target": 0.85, "past": 0.85}
METADATA_ACCURACY = 0.90


def _unseen_gold() -> dict[str, dict]:
    return {p.stem: json.loads(p.read_text(encoding="utf-8"))
            for p in sorted(UNSEEN.glob("*.json"))}


_names = gold_names


@pytest.fixture(scope="module")
def evaluation() -> Evaluation:
    return evaluate_paths([str(p) for p in PLANS], gold_dir=UNSEEN)


def test_every_unseen_plan_has_gold_and_is_scored(evaluation: Evaluation) -> None:
    gold = _unseen_gold()
    assert len(PLANS) == len(gold) == 3, (PLANS, sorted(gold))
    assert [d.doc_id for d in evaluation.documents] == sorted(gold)
    assert evaluation.missing == () and evaluation.failed == ()


def test_unseen_plans_are_held_out_from_the_seed_gold(gold: dict[str, dict]) -> None:
    """No program, institution or policy of the unseen gold is one of the seed gold's."""
    shared = {norm(n) for n in _names(_unseen_gold())} & {norm(n) for n in _names(gold)}
    assert not shared, f"unseen plans reuse seed names: {sorted(shared)}"


def test_no_unseen_name_in_extract_or_ontology() -> None:
    """The held-out set only measures generalisation while its names are not in the rules."""
    names = sorted(_names(_unseen_gold()), key=len, reverse=True)
    files = [p for folder in ("extract", "ontology") for p in sorted((ROOT / folder).rglob("*"))
             if p.is_file() and "__pycache__" not in p.parts]
    hits = [f"{p.relative_to(ROOT)}: {n}" for p in files
            for text in [p.read_text(encoding="utf-8", errors="replace")] for n in names
            if n in text]
    assert not hits, ("names of the held-out plans written into rules or lexicons (write a "
                      "general rule instead):\n" + "\n".join(hits))


@pytest.mark.parametrize(("entity_type", "threshold"), sorted(ENTITY_F1.items()))
def test_unseen_entity_f1(evaluation: Evaluation, entity_type: str, threshold: float) -> None:
    s = evaluation.entity(entity_type)
    assert s.f1 >= threshold, (
        f"{entity_type} F1 {s.f1:.3f} < {threshold} (P {s.precision:.3f}, R {s.recall:.3f}; "
        f"missed: {'、'.join(s.misses)}; false positives: {'、'.join(s.false_positives)})")


@pytest.mark.parametrize(("kind", "threshold"), sorted(INDICATOR_EXACT.items()))
def test_unseen_indicator_rows_exact(evaluation: Evaluation, kind: str,
                                     threshold: float) -> None:
    s = evaluation.indicator(kind)
    assert s.gold > 0, f"no gold {kind} rows in the unseen plans"
    wrong = "; ".join(f"{m.name}.{m.field}: {m.predicted!r} ≠ {m.gold!r}" for m in s.mismatches)
    assert s.exact_rate >= threshold, (
        f"{kind} rows exact {s.exact}/{s.gold} = {s.exact_rate:.3f} < {threshold} "
        f"(missed: {'、'.join(s.misses)}; not in gold: {'、'.join(s.false_positives)}; "
        f"wrong fields: {wrong})")


def test_unseen_metadata_accuracy(evaluation: Evaluation) -> None:
    m = evaluation.micro_metadata
    wrong = "; ".join(f"{x.field}: {x.predicted!r} ≠ {x.gold!r}" for x in m.mismatches)
    assert m.accuracy >= METADATA_ACCURACY, (
        f"metadata accuracy {m.accuracy:.3f} < {METADATA_ACCURACY} ({wrong})")
