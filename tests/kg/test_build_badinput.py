"""Bad input and a hostile store: a clear error naming the document or the store, the rest
of the batch built, and a read-only or full store left as it was."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from conftest_graph import *  # noqa: F403

from kg.errors import StoreError
from kg.graph import build_records

GOOD = make_record("good_plan", "实施乡土人才计划。",
                   entities=[("Program", "乡土人才计划", [(2, 8)])])


def _jsonl(path: Path, *objs: dict) -> Path:
    path.write_text("".join(json.dumps(o, ensure_ascii=False) + "\n" for o in objs),
                    encoding="utf-8")
    return path


def test_record_with_a_missing_field(tmp_path: Path) -> None:
    bad = GOOD.to_json() | {"doc_id": "broken_plan"}
    del bad["entities"]
    path = _jsonl(tmp_path / "r.jsonl", bad, GOOD.to_json())
    result = run_kg("build", "--records", str(path), "--store", str(tmp_path / "s"))
    assert result.returncode == 1, result.stderr
    assert "'broken_plan'" in result.stderr and "missing required key(s) entities" in result.stderr
    assert f"{path}:1" in result.stderr
    assert "1 built" in result.stderr  # the good record of the batch is built
    assert "Traceback" not in result.stderr


def test_record_with_an_unknown_entity_type(tmp_path: Path) -> None:
    bad = GOOD.to_json() | {"doc_id": "odd_plan"}
    bad["entities"][0]["type"] = "Spaceship"
    path = _jsonl(tmp_path / "r.jsonl", bad)
    result = run_kg("build", "--records", str(path), "--store", str(tmp_path / "s"))
    assert result.returncode == 1
    assert "'odd_plan'" in result.stderr and "unknown type 'Spaceship'" in result.stderr


def test_missing_input_file(tmp_path: Path) -> None:
    result = run_kg("build", str(tmp_path / "no_such_plan.txt"), "--store", str(tmp_path / "s"))
    assert result.returncode == 2
    assert "no_such_plan.txt: no such file or directory" in result.stderr


@pytest.fixture()
def tmpfs(tmp_path: Path):
    """A small tmpfs mounted for the test (needs root and mount(8), as CI has)."""
    mnt = tmp_path / "mnt"
    mnt.mkdir()
    r = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=24m", "tmpfs", str(mnt)],
                       capture_output=True, text=True)
    if r.returncode != 0:
        pytest.fail(f"this test mounts a tmpfs to make a read-only or full store directory; "
                    f"mount failed ({r.stderr.strip()}): run the tests as root")
    try:
        yield mnt
    finally:
        subprocess.run(["mount", "-o", "remount,rw", str(mnt)], capture_output=True)
        subprocess.run(["umount", "-l", str(mnt)], capture_output=True)


def _bigger() -> list:
    """Four plans of 3,000 programs each: more than the few kilobytes left on a full disk."""
    parts, spans, pos = [], [], 0
    for k in range(3000):
        s = f"实施第{k}号就业促进计划。"
        spans.append(("Program", f"第{k}号就业促进计划", [(pos + 2, pos + len(s) - 1)]))
        parts.append(s)
        pos += len(s)
    text = "".join(parts)
    return [make_record(f"big_{i}", text + str(i), entities=spans) for i in range(4)]


def test_read_only_store_is_a_clear_error_and_unchanged(tmpfs: Path) -> None:
    store = tmpfs / "s"
    assert build_records([GOOD], store=store).ok
    before = dump_sorted(store)
    subprocess.run(["mount", "-o", "remount,ro", str(tmpfs)], check=True)
    path = Path(os.environ.get("TMPDIR", "/tmp")) / f"ro_{os.getpid()}.jsonl"
    _jsonl(path, *[r.to_json() for r in _bigger()[:1]])
    try:
        result = run_kg("build", "--records", str(path), "--store", str(store))
    finally:
        path.unlink()
    assert result.returncode == 2, result.stderr
    assert "cannot be written" in result.stderr and "the store is unchanged" in result.stderr
    assert "Traceback" not in result.stderr
    subprocess.run(["mount", "-o", "remount,rw", str(tmpfs)], check=True)
    assert dump_sorted(store) == before


def test_full_store_is_a_clear_error_and_unchanged(tmpfs: Path) -> None:
    store = tmpfs / "s"
    assert build_records([GOOD], store=store).ok
    before = dump_sorted(store)
    filler = tmpfs / "filler"
    with open(filler, "wb") as fh:  # fill the device, leave a few kilobytes
        try:
            while True:
                fh.write(b"\0" * (1 << 20))
                fh.flush()
        except OSError:
            pass
    with open(filler, "r+b") as fh:
        fh.truncate(max(0, filler.stat().st_size - 64 * 1024))
    with pytest.raises(StoreError, match=r"no space left on the device .* nothing was "
                                         r"written") as err:
        build_records(_bigger(), store=store)
    assert str(store) in str(err.value)
    filler.unlink()
    assert dump_sorted(store) == before
    shutil.rmtree(store)


def test_rebuild_under_another_base_moves_every_graph(tmp_path: Path) -> None:
    store = tmp_path / "s"
    assert build_records([GOOD], store=store).ok
    report = build_records([GOOD], store=store, base="https://example.org/kg/")
    assert report.built == ("good_plan",)  # the base is part of the build key
    import pyoxigraph as ox

    s = ox.Store.read_only(str(store))
    names = sorted(g.value for g in s.named_graphs())
    del s
    assert names == ["https://example.org/kg/graph/canonical",
                     "https://example.org/kg/graph/ontology",
                     "https://example.org/kg/graph/plan/good_plan"]


def test_bad_base_iri(tmp_path: Path) -> None:
    path = _jsonl(tmp_path / "r.jsonl", GOOD.to_json())
    result = run_kg("build", "--records", str(path), "--store", str(tmp_path / "s"),
                    "--base", "not an iri")
    assert result.returncode == 2
    assert "base IRI 'not an iri' is not an absolute IRI ending in '/' or '#'" in result.stderr
