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

``tests/fixtures/unseen2/`` is a second held-out set, added when the first had informed
development (docs/QUALITY.md, "Generalisation fixes"): a 甘肃 prefecture city's 人社 plan
for 十四五 with a strong talent chapter, and a 福建 county's 就业促进 plan for 十三五 with a
results table, a target table broken by a page number and names split by page lines. Both
were written and labelled by a session that read neither ``extract/`` nor ``ontology/``;
their first-run figures are in docs/QUALITY.md, section "Second held-out set". The same
thresholds apply to each set on its own.

``tests/fixtures/unseen3/`` is a third, written the same way after the fixes the second set
prompted: a 黑龙江 city's 人社 plan for 十三五 (a results table aligned with spaces instead
of tabs) and a 广西 自治县's plan for 十四五. Its first-run figures are in docs/QUALITY.md,
section "Third held-out set"; only the table reader was changed after it.

``tests/fixtures/unseen4/`` is a fourth, written and labelled the same way: a **province**'s
就业促进 plan for 十四五 (a ``|``-separated target table, departments introduced with
（以下简称…）) and a 直辖市 district's talent plan for 十二五 (hard-wrapped at a character
count, page footers, a 2005 / 目标 / 2010 results table). Its first-run figures, and what
changed after it, are in docs/QUALITY.md, section "Fourth held-out set".

``tests/fixtures/unseen5/`` is a fifth, written and labelled the same way after those
changes: a 山东 city's 人社 plan for 十四五 (● items in its 专栏) and a 贵州 自治县's 就业 plan
for 十三五 (a web export; tables aligned with spaces under a category column filled once
per group). docs/QUALITY.md, section "Fifth held-out set", has its first-run figures.

``tests/fixtures/unseen6/`` is a sixth, written and labelled the same way: a 安徽 city's
talent plan for 十四五 (a target table laid out with spaces, two category columns and
labels wrapped in their column) and a 陕西 county's 就业 plan for 十二五 (hard-wrapped like
a PDF extract, page footers, a table split by a page break). docs/QUALITY.md, section
"Sixth held-out set", has its first-run figures and what changed after it.

``tests/fixtures/unseen7/`` is a seventh, written at the same time as the sixth by another
session, and kept out of development: a 浙江 county-level city's 人社 plan for 十四五
published as an HTML page (rowspan category cells, <br> in header cells, 专栏 in three
markups) and a 河南 district's 人社 plan for 十三五 (tables laid out with spaces under a
two-line header). Only its figures were looked at, never its misses: docs/QUALITY.md,
section "Seventh held-out set".
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from test_generalisation import _names

from kg.evaluate import Evaluation, evaluate_paths, norm

pytestmark = pytest.mark.slow  # runs the whole pipeline on three plans (still run in CI)

ROOT = Path(__file__).resolve().parents[2]
#: held-out set → number of plans in it
SETS = {"unseen": 3, "unseen2": 2, "unseen3": 2, "unseen4": 2, "unseen5": 2, "unseen6": 2,
        "unseen7": 2}

ENTITY_F1 = {"Program": 0.80, "TargetGroup": 0.80, "Policy": 0.95, "Institution": 0.70}
INDICATOR_EXACT = {"target": 0.85, "past": 0.85}
METADATA_ACCURACY = 0.90


def _folder(name: str) -> Path:
    return ROOT / "tests" / "fixtures" / name


def _plans(name: str) -> list[Path]:
    """The plan files of one held-out set (text, HTML …)."""
    from extract.files import PLAN_SUFFIXES

    return sorted(p for p in _folder(name).iterdir() if p.suffix.lower() in PLAN_SUFFIXES)


def _unseen_gold(name: str | None = None) -> dict[str, dict]:
    """The gold of one held-out set, or of all of them."""
    names = [name] if name else list(SETS)
    return {p.stem: json.loads(p.read_text(encoding="utf-8"))
            for n in names for p in sorted(_folder(n).glob("*.json"))}



@pytest.fixture(scope="module", params=sorted(SETS))
def held_out(request: pytest.FixtureRequest) -> tuple[str, Evaluation]:
    name = request.param
    plans = _plans(name)
    return name, evaluate_paths([str(p) for p in plans], gold_dir=_folder(name))


@pytest.fixture(scope="module")
def evaluation(held_out: tuple[str, Evaluation]) -> Evaluation:
    return held_out[1]


def test_every_unseen_plan_has_gold_and_is_scored(held_out: tuple[str, Evaluation]) -> None:
    name, evaluation = held_out
    gold = _unseen_gold(name)
    plans = _plans(name)
    assert len(plans) == len(gold) == SETS[name], (plans, sorted(gold))
    assert [d.doc_id for d in evaluation.documents] == sorted(gold)
    assert evaluation.missing == () and evaluation.failed == ()


def test_unseen_plans_are_held_out_from_the_seed_gold(gold: dict[str, dict]) -> None:
    """No program, institution or policy of the first set's gold is one of the seed gold's
    (its names were all invented). The second set cites national programs and laws as real
    plans do (春风行动, 《保障农民工工资支付条例》): those it shares with the seeds, and
    they are guarded by the seeds' own generalisation test."""
    shared = {norm(n) for n in _names(_unseen_gold("unseen"))} & {norm(n)
                                                                 for n in _names(gold)}
    assert not shared, f"unseen plans reuse seed names: {sorted(shared)}"


def test_no_unseen_name_in_extract_or_ontology() -> None:
    """The held-out sets only measure generalisation while their names are not in the
    rules. A gold institution that is itself an administrative division (a counterpart
    city in a cooperation agreement) is in the division table, which is generated from the
    cpca package (ontology/build_divisions.py), not written from the plans: exempt."""
    from extract.regions import load_divisions

    divisions = load_divisions().by_name
    names = sorted((n for n in _names(_unseen_gold()) if n not in divisions), key=len,
                   reverse=True)
    files = [p for folder in ("extract", "ontology") for p in sorted((ROOT / folder).rglob("*"))
             if p.is_file() and "__pycache__" not in p.parts]
    hits = [f"{p.relative_to(ROOT)}: {n}" for p in files
            for text in [p.read_text(encoding="utf-8", errors="replace")] for n in names
            if n in text]
    assert not hits, ("names of the held-out plans written into rules or lexicons (write a "
                      "general rule instead):\n" + "\n".join(hits))


#: (set, entity type) → the measured shortfall and its cause (see the module docstring)
SHORT_OF: dict[tuple[str, str], str] = {
    # unseen2 Institution was 0.688 on its first run (docs/QUALITY.md, "Second held-out
    # set"); general fixes took it to 0.912.
    ("unseen6", "TargetGroup"): (
        "0.740 (P 0.64, R 0.89): the two labellers of this set leave out groups the others "
        "list (创业者, 大学生, 企业家, 妇女, 技能人才 …) and split forms the lexicon joins "
        "(博士 / 博士研究生, 乡土人才 / 农村实用人才); docs/QUALITY.md, \"Sixth held-out set\""),
}


@pytest.mark.parametrize(("entity_type", "threshold"), sorted(ENTITY_F1.items()))
def test_unseen_entity_f1(request: pytest.FixtureRequest, held_out: tuple[str, Evaluation],
                          entity_type: str, threshold: float) -> None:
    name, evaluation = held_out
    if (name, entity_type) in SHORT_OF:
        request.applymarker(pytest.mark.xfail(strict=True, reason=SHORT_OF[name, entity_type]))
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
