"""``kg push`` against a real Oxigraph server (PyPI ``oxigraph``) started by the test."""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pyoxigraph as ox
import pytest
from typer.testing import CliRunner

from conftest_export import crafted_quads, crafted_store
from kg.cli import app
from kg.errors import ConfigError, ExportError
from kg.push import push

COUNTS = "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g"


def _oxigraph() -> str:
    found = shutil.which("oxigraph") or str(Path(sys.executable).with_name("oxigraph"))
    assert Path(found).exists(), ("the Oxigraph server is missing: "
                                  "pip install oxigraph (the test extra of pyproject.toml)")
    return found


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture()
def server(tmp_path: Path) -> Iterator[str]:
    """An empty Oxigraph server on 127.0.0.1; yields its base URL."""
    port = _free_port()
    proc = subprocess.Popen([_oxigraph(), "serve", "--location", str(tmp_path / "server"),
                             "--bind", f"127.0.0.1:{port}"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 20
        while True:
            try:
                httpx.get(f"{base}/query", params={"query": "ASK {}"}, timeout=1)
                break
            except httpx.TransportError:
                assert proc.poll() is None, f"oxigraph serve exited: {proc.stderr.read()!r}"
                assert time.monotonic() < deadline, "oxigraph serve did not start in 20 s"
                time.sleep(0.1)
        yield base
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def _remote_counts(base: str) -> dict[str, int]:
    r = httpx.post(f"{base}/query", data={"query": COUNTS},
                   headers={"Accept": "application/sparql-results+json"}, timeout=10)
    r.raise_for_status()
    return {b["g"]["value"]: int(b["n"]["value"]) for b in r.json()["results"]["bindings"]}


def _local_counts(store: ox.Store) -> dict[str, int]:
    return {g.value: sum(1 for _ in store.quads_for_pattern(None, None, None, g))
            for g in store.named_graphs()}


def test_every_graph_arrives_and_a_second_push_replaces(server: str) -> None:
    store = crafted_store()
    report = push(store, f"{server}/store")
    assert report.ok, report.failures
    assert {g.graph for g in report.graphs} == {g.value for g in store.named_graphs()}
    assert _remote_counts(server) == _local_counts(store)
    again = push(store, f"{server}/store")
    assert again.ok
    assert _remote_counts(server) == _local_counts(store), "a re-push must not duplicate"


def test_a_rebuilt_plan_replaces_its_remote_graph(server: str) -> None:
    store = crafted_store()
    push(store, f"{server}/store")
    alpha = ox.NamedNode("https://policykg.org/graph/plan/alpha")
    before = _local_counts(store)[alpha.value]
    for q in crafted_quads():  # the plan changed: its snippets are gone
        if q.graph_name == alpha and q.predicate.value.endswith("#snippet"):
            store.remove(q)
    assert _local_counts(store)[alpha.value] < before
    assert push(store, f"{server}/store", plans=["alpha"]).ok
    assert _remote_counts(server) == _local_counts(store)


def test_push_of_one_plan_sends_it_and_the_shared_graphs(server: str) -> None:
    report = push(crafted_store(), f"{server}/store", plans=["beta"])
    assert sorted(g.graph for g in report.graphs) == [
        "https://policykg.org/graph/canonical", "https://policykg.org/graph/ontology",
        "https://policykg.org/graph/plan/beta"]


def test_refused_graph_is_reported_and_the_rest_go_on(server: str) -> None:
    # The query endpoint does not take PUT: every graph is refused, none crashes the push.
    report = push(crafted_store(), f"{server}/query")
    assert not report.ok
    assert len(report.failures) == len(report.graphs) == 4
    assert all(g.status >= 400 and g.error.startswith(f"HTTP {g.status}")
               for g in report.failures)


def test_dead_port_fails_clearly() -> None:
    port = _free_port()  # nothing listens there
    with pytest.raises(ExportError, match=rf"cannot reach http://127.0.0.1:{port}/store: "
                                          r"connection refused"):
        push(crafted_store(), f"http://127.0.0.1:{port}/store", timeout=5)


def test_not_a_url() -> None:
    with pytest.raises(ConfigError, match="is not an http"):
        push(crafted_store(), "127.0.0.1:7878/store")


def test_cli_push_to_a_dead_port_has_no_traceback(tmp_path: Path) -> None:
    crafted_store(tmp_path / "store").flush()
    port = _free_port()
    out = subprocess.run([str(Path(sys.executable).with_name("kg")), "push", "--endpoint",
                          f"http://127.0.0.1:{port}/store", "--store", str(tmp_path / "store")],
                         capture_output=True, text=True, timeout=60)
    assert out.returncode == 2, out.stderr
    assert "Traceback" not in out.stderr
    assert out.stderr.startswith("error: cannot reach") and "connection refused" in out.stderr


def test_cli_push_prints_one_line_per_graph(server: str, tmp_path: Path) -> None:
    crafted_store(tmp_path / "store").flush()
    result = CliRunner().invoke(app, ["push", "--endpoint", f"{server}/store",
                                      "--store", str(tmp_path / "store")])
    assert result.exit_code == 0, result.output
    lines = sorted(result.stdout.splitlines())
    assert [line.split("\t")[0] for line in lines] == [
        "https://policykg.org/graph/canonical", "https://policykg.org/graph/ontology",
        "https://policykg.org/graph/plan/alpha", "https://policykg.org/graph/plan/beta"]
    assert all(line.split("\t")[2] in ("201", "204") for line in lines)
