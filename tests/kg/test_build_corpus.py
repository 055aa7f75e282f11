"""`kg build` on the embedded corpus: validates, is deterministic, and is incremental."""

from __future__ import annotations

import resource
import shutil
import statistics
import subprocess
import sys
from pathlib import Path

import pyoxigraph as ox
from conftest_graph import *  # noqa: F403

from kg.graph import build, file_sha256
from kg.vocab import PKG


def test_cli_build_then_validate_has_no_violation(corpus_cli_store) -> None:
    store, built = corpus_cli_store
    assert built.stderr.count("built ") >= 5, built.stderr
    result = run_kg("validate", "--store", str(store))
    assert result.returncode == 0, result.stderr
    assert "0 violations" in result.stderr


def test_two_builds_give_identical_sorted_nquads(tmp_path: Path, corpus_records,
                                                 corpus_store) -> None:
    # the same records built again, by `kg build --records` in another process (another
    # hash seed), into another store: the same bytes
    jsonl = tmp_path / "records.jsonl"
    jsonl.write_text("".join(r.dumps() + "\n" for r in corpus_records), encoding="utf-8")
    other = tmp_path / "again.store"
    result = run_kg("build", "--records", str(jsonl), "--store", str(other))
    assert result.returncode == 0, result.stderr
    a, b = dump_sorted(corpus_store), dump_sorted(other)
    assert a == b
    assert len(a.splitlines()) > 10_000


def test_rebuild_without_change_skips_every_file(corpus_cli_store) -> None:
    store, _ = corpus_cli_store
    before = dump_sorted(store)
    result = run_kg("build", "--store", str(store))
    assert result.returncode == 0, result.stderr
    assert result.stderr.count("(same sha256): skipped") == 5, result.stderr
    assert "0 built, 5 unchanged" in result.stderr
    assert dump_sorted(store) == before


def _child_cpu(*args: str) -> tuple[float, subprocess.CompletedProcess[str]]:
    """CPU seconds (user + system) of one whole ``kg`` process, interpreter start included:
    unlike wall time they hardly move when other tests share the machine."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    result = run_kg(*args)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    assert result.returncode == 0, result.stderr
    return (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime), result


def test_rebuild_without_change_takes_under_a_tenth_of_a_full_build(tmp_path: Path) -> None:
    # the budget, as commands a user types: `kg build` into a new store, then
    # `kg build` again with nothing changed (median of three)
    store = str(tmp_path / "s")
    full, result = _child_cpu("build", "--store", store)
    assert "5 built" in result.stderr, result.stderr
    again = []
    for _ in range(3):
        cpu, result = _child_cpu("build", "--store", store)
        assert "0 built, 5 unchanged" in result.stderr, result.stderr
        again.append(cpu)
    ratio = statistics.median(again) / full
    assert ratio < 0.10, f"no-change rebuild {statistics.median(again):.2f} CPU s is " \
                         f"{ratio:.1%} of a full build ({full:.2f} CPU s)"


def test_rebuild_without_change_loads_no_extraction_or_rdf_code(corpus_cli_store) -> None:
    # what keeps the no-change rebuild cheap: nothing of extraction, RDF generation,
    # resolution or pydantic is imported when every file is unchanged
    store, _ = corpus_cli_store
    code = (
        "import contextlib, io, sys\n"
        "from kg.cli import main\n"
        "with contextlib.redirect_stderr(io.StringIO()):\n"
        f"    rc = main(['build', '--store', {str(store)!r}])\n"
        "heavy = [m for m in ('spacy', 'pydantic', 'rdflib', 'extract.model', "
        "'extract.pipeline', 'kg.rdf', 'kg.resolve', 'pypinyin') if m in sys.modules]\n"
        "print(rc, ','.join(heavy))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         cwd=ROOT, check=True)
    rc, _, heavy = out.stdout.strip().partition(" ")
    assert rc == "0", out.stderr
    assert heavy == "", f"a no-change kg build imported {heavy}"


def test_changing_one_seed_rebuilds_only_its_graph(tmp_path: Path, seed_paths) -> None:
    folder = tmp_path / "plans"
    folder.mkdir()
    a, b = seed_paths[2], seed_paths[4]
    for p in (a, b):
        shutil.copy(p, folder / p.name)
    store = tmp_path / "s"
    first = build([folder], store=store)
    assert sorted(first.built) == [a.stem, b.stem]

    def graphs() -> dict[str, bytes]:
        s = ox.Store.read_only(str(store))
        out = {g.value: graph_nquads(s, g.value) for g in s.named_graphs()}
        del s
        return out

    before = graphs()
    with open(folder / a.name, "a", encoding="utf-8") as fh:
        fh.write("\n附件：本规划由市人力资源和社会保障局负责解释。\n")
    second = build([folder], store=store)
    assert second.built == (a.stem,) and second.skipped == (b.stem,)
    after = graphs()
    plan_a = next(g for g in before if g.endswith(a.stem))
    plan_b = next(g for g in before if g.endswith(b.stem))
    assert after[plan_b] == before[plan_b]
    assert after[plan_a] != before[plan_a]
    s = ox.Store.read_only(str(store))
    shas = {q.object.value for q in s.quads_for_pattern(None, ox.NamedNode(PKG.sha256), None)}
    del s
    assert file_sha256(folder / a.name) in shas


def test_prune_drops_graphs_of_removed_files(tmp_path: Path, seed_paths) -> None:
    folder = tmp_path / "plans"
    folder.mkdir()
    for p in seed_paths[2:4]:
        shutil.copy(p, folder / p.name)
    store = tmp_path / "s"
    build([folder], store=store)
    (folder / seed_paths[3].name).unlink()
    kept = build([folder], store=store)
    assert kept.stale == (seed_paths[3].stem,) and kept.pruned == ()
    pruned = build([folder], store=store, prune=True)
    assert pruned.pruned == (seed_paths[3].stem,)
    s = ox.Store.read_only(str(store))
    names = sorted(g.value for g in s.named_graphs())
    del s
    assert not any(seed_paths[3].stem in n for n in names)
    assert any(seed_paths[2].stem in n for n in names)


def test_a_plan_file_named_like_a_store_graph_is_built_and_reported(tmp_path: Path,
                                                                     seed_paths) -> None:
    # the ontology graph goes through the same writer as the plans: a plan whose doc_id is
    # "ontology" must still be reported built once its own graph is written
    folder = tmp_path / "plans"
    folder.mkdir()
    shutil.copy(seed_paths[3], folder / "ontology.txt")
    report = build([folder], store=tmp_path / "s")
    assert report.built == ("ontology",) and report.ok
    s = ox.Store.read_only(str(tmp_path / "s"))
    graphs = {g.value.rsplit("graph/", 1)[-1] for g in s.named_graphs()}
    del s
    assert {"plan/ontology", "ontology", "canonical"} <= graphs
