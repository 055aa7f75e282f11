"""Batches spread over worker processes: this process reads and structures ahead, workers
extract, and results come back in input order whatever happens to a file or a worker."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from extract import batch
from extract.batch import Failure, extract_paths
from extract.model import PlanDocument, Record

NOT_A_PLAN = "关于召开年度工作会议的通知\n各单位：\n定于下周一上午九时召开会议，请准时参加。\n"


def _as_comparable(result: Record | Failure) -> str | Failure:
    return result if isinstance(result, Failure) else result.dumps()


@pytest.mark.slow
def test_a_short_look_ahead_keeps_order_failures_and_records(seed_paths, tmp_path,
                                                             monkeypatch) -> None:
    """With room for only two documents ahead, the parent hands documents over while it
    waits for results; every record and failure still comes back in place, equal to a
    one-process run."""
    empty = tmp_path / "a-empty.txt"
    empty.write_bytes(b"")
    notice = tmp_path / "notice.txt"
    notice.write_text(NOT_A_PLAN, encoding="utf-8")
    paths = [str(p) for p in (empty, seed_paths[3], notice, seed_paths[4], tmp_path / "gone.txt",
                              seed_paths[2])]
    one = [(p, _as_comparable(r)) for p, r in extract_paths(paths, jobs=1)]
    monkeypatch.setattr(batch, "_AHEAD", 2)
    two = [(p, _as_comparable(r)) for p, r in extract_paths(paths, jobs=2)]
    assert [p for p, _ in two] == paths
    assert two == one
    kinds = [type(r).__name__ for _, r in two]
    assert kinds == ["Failure", "str", "str", "str", "Failure", "str"]


def _dies_on_the_notice(path: str, plan: PlanDocument, with_text: bool) -> Record | Failure:
    """A worker task that kills its process on one file, as the out-of-memory killer would."""
    if path.endswith("notice.txt"):
        os._exit(9)
    return batch._extracted(path, plan, with_text)


@pytest.mark.slow
def test_a_dead_worker_becomes_failures_not_a_crash(seed_paths, tmp_path) -> None:
    notice = tmp_path / "notice.txt"
    notice.write_text(NOT_A_PLAN, encoding="utf-8")
    paths = [str(seed_paths[3]), str(notice), str(seed_paths[4])]
    results = list(batch._run(_dies_on_the_notice, paths, jobs=2, with_text=False))
    assert [p for p, _ in results] == paths
    by_path = dict(results)
    died = by_path[str(notice)]
    assert isinstance(died, Failure) and died.kind == "WorkerError"
    assert died.message == (f"{notice}: the worker process died (out of memory?); run again "
                            "with -j 1")
    for path, result in results:  # the others finished first, or died with the pool
        assert isinstance(result, Record) or result.kind == "WorkerError", path


def _leaves_a_mark(path: str, plan: PlanDocument, with_text: bool) -> Record | Failure:
    """A worker task that notes, beside the file, that it ran."""
    with open(path + ".done", "w", encoding="utf-8"):
        pass
    return batch._extracted(path, plan, with_text)


@pytest.mark.slow
def test_a_consumer_that_stops_early_leaves_no_work_queued(seed_paths, tmp_path) -> None:
    """``kg extract … -j 2 | head``: once the consumer stops, the documents not yet started
    are dropped instead of being extracted for nobody."""
    paths = []
    for i in range(4):
        for seed in seed_paths:
            copy = tmp_path / f"{i}_{seed.name}"
            copy.write_bytes(seed.read_bytes())
            paths.append(str(copy))
    results = batch._run(_leaves_a_mark, paths, jobs=2, with_text=False)
    first_path, first = next(results)
    assert first_path == paths[0] and isinstance(first, Record)
    results.close()
    ran = sorted(tmp_path.glob("*.done"))
    assert 1 <= len(ran) < len(paths) // 2, [p.name for p in ran]


def _python(code: str) -> str:
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          timeout=300, check=False)
    assert proc.returncode == 0, proc.stderr
    return proc.stdout.strip()


def test_components_import_spacy_without_its_command_line_package() -> None:
    out = _python(
        "import sys, extract.components\n"
        "print(sorted(m for m in ('spacy.cli', 'weasel', 'requests', 'httpx') "
        "if m in sys.modules))\n"
        "import spacy, spacy.cli\n"
        "print(hasattr(spacy.cli, 'download'), spacy.info()['spacy_version'] == "
        "spacy.__version__)\n")
    assert out.splitlines() == ["[]", "True True"]


def test_a_spacy_that_needs_more_of_its_cli_is_imported_the_ordinary_way() -> None:
    """If a spaCy release imports more of ``spacy.cli`` than the stand-in has, the import
    is done again as usual: spaCy works, with its real CLI."""
    out = _python(
        "import sys, extract._spacy as s\n"
        "s._StandIns.exec_module = lambda self, module: None  # a stand-in with nothing in\n"
        "spacy = s.import_spacy()\n"
        "import spacy.cli\n"
        "print(spacy.blank('zh').lang, hasattr(spacy.cli, 'download'), "
        "spacy.cli.__spec__.origin.endswith('__init__.py'), sys.meta_path[0].__class__.__name__)\n")
    assert out.split()[:3] == ["zh", "True", "True"]
    assert out.split()[3] != "_StandIns"
