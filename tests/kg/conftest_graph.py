"""Graph-test material: hand-written records, the corpus built once per session, helpers.

Imported by the ``test_*`` modules of the graph area (``from conftest_graph import *``).
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from pathlib import Path

import pyoxigraph as ox
import pytest

from extract.model import Entity, IndicatorRow, Mention, Metadata, Record, Relation, Section

__all__ = [
    "ROOT",
    "KG",
    "make_record",
    "dump_sorted",
    "graph_nquads",
    "run_kg",
    "corpus_records",
    "corpus_store",
    "corpus_cli_store",
]

ROOT = Path(__file__).resolve().parents[2]
KG = [sys.executable, "-m", "kg.cli"]


def make_record(doc_id: str, text: str, *, region: str | None = "吴中区",
                parents: tuple[str, ...] = ("苏州市", "江苏省"),
                entities: list[tuple[str, str, list[tuple[int, int]]]] | None = None,
                indicators: list[IndicatorRow] | None = None,
                relations: list[Relation] | None = None,
                sections: list[Section] | None = None,
                title: str = "测试规划") -> Record:
    """A record written by hand: entities as (type, name, spans); sha256 from the text."""
    ents = []
    for i, (typ, name, spans) in enumerate(entities or []):
        ents.append(Entity(id=f"e{i}", type=typ, name=name, surface=(name,),
                           mentions=tuple(Mention(s, e) for s, e in spans)))
    return Record(
        doc_id=doc_id, source=f"{doc_id}.txt",
        sha256=hashlib.sha256(text.encode()).hexdigest(),
        metadata=Metadata(title=title, region=region, parent_regions=parents,
                          admin_level="district", period="十四五", start_year=2021,
                          end_year=2025),
        entities=tuple(ents), indicators=tuple(indicators or ()),
        relations=tuple(relations or ()), sections=tuple(sections or ()), text=text)


def dump_sorted(store_path: Path) -> bytes:
    """Every quad of a store as sorted N-Quads."""
    from kg.rdf import sorted_nquads

    s = ox.Store.read_only(str(store_path))
    out = sorted_nquads(s)
    del s
    return out


def graph_nquads(store: ox.Store, graph: str) -> bytes:
    from kg.rdf import sorted_nquads

    return sorted_nquads(store.quads_for_pattern(None, None, None, ox.NamedNode(graph)))


def run_kg(*args: str, timeout: float = 300) -> subprocess.CompletedProcess[str]:
    """Run ``kg`` as a user would, with a wide terminal so Rich does not wrap messages."""
    env = {**os.environ, "COLUMNS": "400"}
    result = subprocess.run([*KG, *args], capture_output=True, text=True, timeout=timeout,
                            cwd=ROOT, env=env)
    return result


@pytest.fixture(scope="session")
def corpus_records(seed_paths) -> list[Record]:
    """The five seeds extracted once, with their text."""
    from extract.batch import Failure, extract_paths

    out = []
    for path, rec in extract_paths(seed_paths, with_text=True):
        assert not isinstance(rec, Failure), rec
        out.append(rec)
    return out


@pytest.fixture(scope="session")
def corpus_store(tmp_path_factory, corpus_records) -> Path:
    """The seeds' records built into a store through the API."""
    from kg.graph import build_records

    path = tmp_path_factory.mktemp("graph") / "corpus.store"
    report = build_records(corpus_records, store=path)
    assert report.ok and len(report.built) == 5, report
    return path


@pytest.fixture(scope="session")
def corpus_cli_store(tmp_path_factory) -> tuple[Path, subprocess.CompletedProcess[str]]:
    """``kg build`` with no paths (the embedded corpus), run as a user would."""
    path = tmp_path_factory.mktemp("graph-cli") / "policykg.store"
    result = run_kg("build", "--store", str(path))
    assert result.returncode == 0, result.stderr
    return path, result
