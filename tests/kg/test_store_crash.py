"""Crash safety and concurrency of `kg build`: SIGKILL at random moments leaves each plan
graph entirely old or entirely new; two builds on one store never interleave."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import time
from pathlib import Path

import pyoxigraph as ox
import pytest
from conftest_graph import *  # noqa: F403

from extract.model import IndicatorRow, Record, Section
from kg.graph import build_records
from kg.store import build_lock
from kg.validate import validate_store
from kg.store import GraphStore

PLANS = 6
TRIALS = 20


def _plan(i: int, version: str) -> Record:
    """A plan of a few hundred facts; ``version`` changes every name and so every graph."""
    parts, ents = [], []
    pos = 0
    for k in range(120):
        name = f"第{k}号{version}就业促进计划"
        sentence = f"实施{name}，帮扶高校毕业生。"
        start = pos + 2
        ents.append(("Program", name, [(start, start + len(name))]))
        tg = pos + sentence.index("高校毕业生")
        ents.append(("TargetGroup", "高校毕业生", [(tg, tg + 5)]))
        parts.append(sentence)
        pos += len(sentence)
    table = "城镇新增就业人数\t万人\t8\t预期性"
    rows = [IndicatorRow(name="城镇新增就业人数", canonical=None, unit="万人", target_text="8",
                         target_value=8.0, comparator="=", cumulative=False,
                         baseline_text=None, baseline_value=None, attribute="预期性",
                         kind="target", table="表1", start=pos, end=pos + len(table))]
    text = "".join(parts) + table
    sections = [Section(id="s1", kind="chapter", number="第一章", title="就业", level=1,
                        start=0, end=len(text), title_start=0, title_end=0)]
    return make_record(f"plan{i:02d}", text, entities=ents, indicators=rows,
                       sections=sections, title=f"测试规划{i}{version}")


def _jsonl(path: Path, version: str) -> Path:
    path.write_text("".join(_plan(i, version).dumps() + "\n" for i in range(PLANS)),
                    encoding="utf-8")
    return path


def _graphs(store: Path) -> dict[str, bytes]:
    """Plan graph → sorted N-Quads without the build key (which names the code version)."""
    s = ox.Store.read_only(str(store))
    out = {}
    for g in s.named_graphs():
        if "/graph/plan/" in g.value:
            lines = [ln for ln in graph_nquads(s, g.value).splitlines(keepends=True)
                     if b"#buildKey>" not in ln]
            out[g.value] = b"".join(lines)
    del s
    return out


@pytest.fixture(scope="module")
def versions(tmp_path_factory) -> dict[str, object]:
    d = tmp_path_factory.mktemp("crash")
    old, new = _jsonl(d / "old.jsonl", "甲"), _jsonl(d / "new.jsonl", "乙")
    refs = {}
    for name, jsonl in (("old", old), ("new", new)):
        result = run_kg("build", "--records", str(jsonl), "--store", str(d / name))
        assert result.returncode == 0, result.stderr
        refs[name] = _graphs(d / name)
    assert refs["old"].keys() == refs["new"].keys() and len(refs["old"]) == PLANS
    assert all(refs["old"][g] != refs["new"][g] for g in refs["old"])
    return {"dir": d, "old": old, "new": new, "refs": refs}


@pytest.mark.slow
def test_sigkill_leaves_each_plan_graph_old_or_new(versions, tmp_path: Path) -> None:
    store = tmp_path / "store"
    refs = versions["refs"]
    assert build_records([_plan(i, "甲") for i in range(PLANS)], store=store).ok
    rng = random.Random(20241125)
    # time a full build to learn when its writes happen (one "built" line per plan)
    t0 = time.perf_counter()
    timing = subprocess.Popen([*KG, "build", "--records", str(versions["new"]), "--store",
                               str(tmp_path / "timing")], stderr=subprocess.PIPE, text=True,
                              cwd=ROOT)
    stamps = [time.perf_counter() - t0 for line in timing.stderr if line.startswith("built")]
    assert timing.wait() == 0 and len(stamps) == PLANS
    per_plan = (stamps[-1] - stamps[0]) / (PLANS - 1)
    window = (max(0.05, stamps[0] - 2 * per_plan), stamps[-1] + per_plan)
    mixed_states = 0
    for trial in range(TRIALS):
        target = versions["new" if trial % 2 == 0 else "old"]
        proc = subprocess.Popen([*KG, "build", "--records", str(target), "--store", str(store)],
                                stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
                                cwd=ROOT)
        if trial % 5:
            # most kills inside the write phase: after the k-th plan is reported built, a
            # random moment up to one plan's time later (read from the build's own
            # progress, so a loaded machine cannot move every kill out of the phase)
            k = rng.randint(1, PLANS - 1)
            seen = 0
            for line in proc.stderr:  # type: ignore[union-attr]
                seen += line.startswith("built")
                if seen >= k:
                    break
            time.sleep(rng.uniform(0, per_plan))
        else:  # every fifth one anywhere, by the clock
            time.sleep(rng.uniform(0.05, window[1]))
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        proc.stderr.close()  # type: ignore[union-attr]
        graphs = _graphs(store)  # the store opens after the crash
        assert graphs.keys() == refs["old"].keys(), f"trial {trial}: a plan graph is missing"
        states = []
        for g, nq in graphs.items():
            if nq == refs["old"][g]:
                states.append("old")
            elif nq == refs["new"][g]:
                states.append("new")
            else:
                pytest.fail(f"trial {trial}: plan graph {g} is neither the old nor the new one")
        mixed_states += len(set(states)) > 1
    # the kills landed at different moments: some left a store half old, half new
    assert mixed_states >= 1, "no kill left a store half old, half new"
    # and a build run to the end repairs the canonical graph: the store validates
    assert run_kg("build", "--records", str(versions["new"]), "--store",
                  str(store)).returncode == 0
    with GraphStore(store, create=False) as gs:
        assert validate_store(gs).conforms


@pytest.mark.slow
def test_two_concurrent_builds_do_not_interleave(versions, tmp_path: Path) -> None:
    store = tmp_path / "store"
    procs = [subprocess.Popen([*KG, "build", "--records", str(versions[v]), "--store",
                               str(store)], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                              text=True, cwd=ROOT) for v in ("old", "new")]
    outs = [p.communicate(timeout=300) for p in procs]
    assert [p.returncode for p in procs] == [0, 0], outs
    assert any("waiting" in err for _, err in outs), outs
    graphs = _graphs(store)
    refs = versions["refs"]
    assert graphs in (refs["old"], refs["new"])  # all of one build, none of a mix
    with GraphStore(store, create=False) as gs:
        report = validate_store(gs)
    assert report.conforms, report.violations[:3]


def test_no_wait_fails_clearly_while_another_build_runs(versions, tmp_path: Path) -> None:
    store = tmp_path / "store"
    with build_lock(store):
        result = run_kg("build", "--no-wait", "--records", str(versions["old"]),
                        "--store", str(store))
    assert result.returncode == 2, result.stderr
    assert "is being built by another process" in result.stderr
    assert f"pid {os.getpid()}" in result.stderr
    assert "Traceback" not in result.stderr


def test_second_process_opening_the_store_gets_a_clear_error(tmp_path: Path) -> None:
    store = tmp_path / "store"
    assert build_records([_plan(0, "甲")], store=store).ok
    holder = ox.Store(str(store))  # holds RocksDB's LOCK
    try:
        result = run_kg("stats", "--store", str(store))
        res2 = run_kg("build", "--records", "/dev/null", "--store", str(store))
    finally:
        del holder
    assert result.returncode == 0, result.stderr  # readers open the store read-only
    assert res2.returncode == 2, res2.stderr
    assert "in use by another process" in res2.stderr, res2.stderr
    assert "Traceback" not in res2.stderr
