"""Generalisation guard: no program, institution or policy name of the gold labels may be
written into the extraction code, the ontology, the graph code or the query library (rules
and general lexicons only)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
GUARDED = ("extract", "ontology", "kg", "queries")
# No file is exempt: not even the division table (generated from the cpca package by
# ontology/build_divisions.py), which holds no gold name today; if a regenerated table ever
# did, the name would have to be shown to come from the package, not from the seeds.

#: The central organs of the state, which every plan of every province cites: general
#: knowledge, not strings of this corpus (the resolver needs them to tell national bodies
#: from a region's own). Nothing else is exempt.
NATIONAL_ORGANS = frozenset({"中共中央", "国务院", "人力资源和社会保障部"})


def gold_names(gold: dict[str, dict]) -> set[str]:
    """Program, institution and policy names of gold labels (each alias, with and without
    quote marks); also used by the unseen-plan guard."""
    names: set[str] = set()
    for g in gold.values():
        for p in g["programs"]:
            names.add(p["name"])
            names.update(p["surface"])
        for item in g["institutions"]:
            names.update(item.split("/"))
        names.update(g["policies"])
    # also each name without its quote marks and spaces (“甲乙”计划 written as 甲乙计划)
    names |= {re.sub(r"[\s“”‘’\"']", "", n) for n in names}
    return {n.strip() for n in names if n.strip()}


def _names(gold: dict[str, dict]) -> set[str]:
    return gold_names(gold) - NATIONAL_ORGANS


def _guarded_files() -> list[Path]:
    """Every file under the guarded folders, whatever its type (byte caches aside)."""
    return [p for folder in GUARDED for p in sorted((ROOT / folder).rglob("*"))
            if p.is_file() and "__pycache__" not in p.parts]


def test_the_guard_reads_the_gold_names_and_the_guarded_files(gold: dict[str, dict]) -> None:
    names = _names(gold)
    assert len(names) > 100
    rel = {p.relative_to(ROOT).as_posix() for p in _guarded_files()}
    assert {"extract/pipeline.py", "ontology/lexicon.ttl", "ontology/target_groups.ttl"} <= rel


def test_no_gold_name_in_extract_or_ontology(gold: dict[str, dict]) -> None:
    names = sorted(_names(gold), key=len, reverse=True)
    hits = []
    for path in _guarded_files():
        text = path.read_text(encoding="utf-8", errors="replace")
        hits += [f"{path.relative_to(ROOT)}: {n}" for n in names if n in text]
    if hits:
        pytest.fail("seed names written into rules or lexicons (write a general rule "
                    "instead):\n" + "\n".join(hits))
