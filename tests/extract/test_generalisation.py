"""Generalisation guard: no program, institution or policy name of the gold labels may be
written into the extraction code or the ontology (rules and general lexicons only)."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
GUARDED = ("extract", "ontology")
#: Files exempt from the guard, each for a stated reason.
EXEMPT = {
    # China's administrative-division table, generated from the cpca package by
    # build_divisions.py: place names that some parks and zones share (…开发区), not
    # strings taken from the seed plans.
    "ontology/divisions.tsv",
    "ontology/build_divisions.py",
}
TEXT_SUFFIXES = {".py", ".ttl", ".tsv", ".md", ".txt", ".json", ".rq", ".csv", ".yaml", ".toml"}


def _names(gold: dict[str, dict]) -> set[str]:
    names: set[str] = set()
    for g in gold.values():
        for p in g["programs"]:
            names.add(p["name"])
            names.update(p["surface"])
        for item in g["institutions"]:
            names.update(item.split("/"))
        names.update(g["policies"])
    return {n.strip() for n in names if n.strip()}


def _guarded_files() -> list[Path]:
    files = []
    for folder in GUARDED:
        for p in sorted((ROOT / folder).rglob("*")):
            rel = p.relative_to(ROOT).as_posix()
            if p.is_file() and p.suffix in TEXT_SUFFIXES and rel not in EXEMPT \
                    and "__pycache__" not in p.parts:
                files.append(p)
    return files


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
