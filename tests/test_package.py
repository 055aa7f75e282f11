"""The package as a whole: exported API, CLI start-up cost, lexicon hygiene."""

from __future__ import annotations

import resource
import subprocess
import sys

import kg


def test_all_names_resolve() -> None:
    # kg.__all__ is the public API: every name in it must import.
    for name in kg.__all__:
        assert getattr(kg, name) is not None, name


def test_unknown_attribute_is_an_attribute_error() -> None:
    try:
        kg.no_such_thing  # noqa: B018
    except AttributeError as exc:
        assert "no_such_thing" in str(exc)
    else:  # pragma: no cover
        raise AssertionError("kg.no_such_thing did not raise")


def test_kg_help_is_fast_and_imports_nothing_heavy() -> None:
    # CPU seconds of the whole process (interpreter start included), best of three: unlike
    # wall time, they hardly move when other work shares the machine. The budget is the
    # issue's 0.3 s for `kg --help`.
    code = (
        "import contextlib, io, sys\n"
        "from kg.cli import main\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        "    rc = main(['--help'])\n"
        "heavy = [m for m in ('spacy', 'rdflib', 'pyvis', 'networkx', 'matplotlib',"
        " 'pyshacl', 'pyoxigraph', 'pydantic') if m in sys.modules]\n"
        "print(rc, ','.join(heavy))\n"
    )
    best = None
    for _ in range(3):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                             check=True)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
        rc, _, heavy = out.stdout.strip().partition(" ")
        assert rc == "0", out.stderr
        assert heavy == "", f"kg --help imported {heavy}"
        best = cpu if best is None else min(best, cpu)
    assert best < 0.3, f"kg --help took {best:.2f} CPU seconds"


def test_python_dash_m_kg_is_the_kg_command(tmp_path) -> None:
    """``python -m kg`` runs the same CLI (for when the ``kg`` script is not on PATH)."""
    out = subprocess.run([sys.executable, "-m", "kg", "extract", "--help"],
                         capture_output=True, text=True, check=False)
    assert out.returncode == 0, out.stderr
    assert "Example: kg extract data/ -j 2 > records.jsonl" in " ".join(out.stdout.split())
    bad = subprocess.run([sys.executable, "-m", "kg", "extract", str(tmp_path / "nope.txt")],
                         capture_output=True, text=True, check=False)
    assert bad.returncode == 2
    assert bad.stderr == f"error: {tmp_path / 'nope.txt'}: no such file\n1 of 1 file(s) failed\n"
