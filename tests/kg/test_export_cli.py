"""``kg export`` on the command line: exit codes, what goes to stdout and stderr, errors."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest

from conftest_export import crafted_store
from kg.cli import main
from kg.export import FORMATS


def _flat(text: str) -> str:
    """Rich wraps diagnostics at the console width: compare them as one line."""
    return " ".join(text.split())


@pytest.fixture(scope="module")
def store_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("cli") / "store"
    crafted_store(path).flush()
    return path


@pytest.mark.parametrize("fmt", list(FORMATS))
def test_export_every_format(fmt: str, store_dir: Path, tmp_path: Path,
                             capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / f"graph{FORMATS[fmt].suffix}"
    code = main(["export", "--format", fmt, "--store", str(store_dir), "--out", str(out)])
    captured = capsys.readouterr()
    assert code == 0, captured.err
    assert captured.out == ""  # the data is the file; the summary is a diagnostic
    assert captured.err.startswith(f"wrote {out}")
    assert out.is_dir() if FORMATS[fmt].output == "directory" else out.is_file()


def test_export_plans_option_takes_commas_and_repeats(store_dir: Path, tmp_path: Path,
                                                      capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "g.nq"
    assert main(["export", "-f", "nquads", "--store", str(store_dir), "--out", str(out),
                 "--plans", "alpha,beta"]) == 0
    both = {q.graph_name.value for q in ox.parse(path=str(out), format=ox.RdfFormat.N_QUADS)}
    assert main(["export", "-f", "nquads", "--store", str(store_dir), "--out", str(out),
                 "--plans", "beta"]) == 0
    beta = {q.graph_name.value for q in ox.parse(path=str(out), format=ox.RdfFormat.N_QUADS)}
    assert both - beta == {"https://policykg.org/graph/plan/alpha"}
    capsys.readouterr()


def test_unknown_plan(store_dir: Path, tmp_path: Path,
                      capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["export", "-f", "trig", "--store", str(store_dir), "--out",
                 str(tmp_path / "x.trig"), "--plans", "gamma"])
    err = _flat(capsys.readouterr().err)
    assert code == 2
    assert err.startswith("error: no plan 'gamma' in the store; it holds: alpha, beta")
    assert not (tmp_path / "x.trig").exists()


def test_missing_store(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["export", "-f", "trig", "--store", str(tmp_path / "nope"), "--out",
                 str(tmp_path / "x.trig")])
    err = _flat(capsys.readouterr().err)
    assert code == 2
    assert "does not exist; build it first" in err and "Traceback" not in err


def test_unknown_format_lists_the_choices(store_dir: Path, tmp_path: Path,
                                          capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["export", "-f", "owl", "--store", str(store_dir), "--out",
                 str(tmp_path / "x")])
    err = _flat(capsys.readouterr().err)
    assert code == 2
    assert "'owl' is not one of" in err and "'turtle'" in err and "'ladybug'" in err


def test_directory_format_refuses_a_file(store_dir: Path, tmp_path: Path,
                                         capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "taken"
    target.write_text("mine", encoding="utf-8")
    code = main(["export", "-f", "neo4j", "--store", str(store_dir), "--out", str(target)])
    err = _flat(capsys.readouterr().err)
    assert code == 2
    assert "is a file; this format writes a directory" in err
    assert target.read_text(encoding="utf-8") == "mine"
