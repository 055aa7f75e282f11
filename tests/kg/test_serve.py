"""``kg serve`` as a process: time limit, shutdown, limits, CORS, consistency, Oxigraph parity.

Small hand-written stores only; the server is a real child process (see conftest_serve).
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import pyoxigraph as ox
import pytest

from conftest_serve import alive, free_port, make_store, running, start_server

EX = "http://example.org/"
# 40 people: a cartesian product of 12 patterns over them never ends.
PEOPLE = "\n".join(f"<{EX}p{i}> <{EX}name> \"人{i}\"@zh ; <{EX}age> {20 + i} ."
                   for i in range(40))
RUNAWAY = ("SELECT (COUNT(*) AS ?n) WHERE { " +
           " ".join(f"GRAPH ?g{i} {{ ?s{i} <{EX}age> ?a{i} }}" for i in range(12)) + " }")
QUICK = f"SELECT ?n WHERE {{ GRAPH ?g {{ <{EX}p7> <{EX}name> ?n }} }}"


@pytest.fixture(scope="module")
def people_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_store(tmp_path_factory.mktemp("people") / "store", {EX + "g": PEOPLE})


def _quick(server) -> dict:
    r = server.client.get("/sparql", params={"query": QUICK})
    assert r.status_code == 200, r.text
    return r.json()


@pytest.mark.slow
def test_runaway_query_is_cut_while_another_client_is_answered(people_store, tmp_path) -> None:
    with running(people_store, tmp_path, "--workers", "2", "--timeout", "3") as server:
        first = server.workers()
        assert len(first) == 2
        result: dict[str, object] = {}

        def runaway() -> None:
            t0 = time.monotonic()
            r = httpx.get(server.endpoint, params={"query": RUNAWAY}, timeout=60)
            result.update(status=r.status_code, text=r.text, seconds=time.monotonic() - t0)

        thread = threading.Thread(target=runaway)
        thread.start()
        time.sleep(0.3)
        latencies = []
        while thread.is_alive():  # the second client is answered all along
            t0 = time.monotonic()
            body = _quick(server)
            latencies.append(time.monotonic() - t0)
            assert body["results"]["bindings"][0]["n"]["value"] == "人7"
            time.sleep(0.05)
        thread.join()
        assert result["status"] == 504, result
        assert "time limit of 3 s" in str(result["text"])
        assert 2.9 <= float(result["seconds"]) < 6, result  # type: ignore[arg-type]
        assert len(latencies) >= 10
        assert max(latencies) < 1.0, latencies
        # the worker that ran it was killed and replaced; the server still answers
        deadline = time.monotonic() + 10
        while len(server.workers()) < 2 and time.monotonic() < deadline:
            time.sleep(0.1)
        now = server.workers()
        assert len(now) == 2 and now != first
        assert [p for p in first if p not in now and alive(p)] == []
        _quick(server)


def test_sigterm_stops_within_5_s_with_no_worker_left(people_store, tmp_path) -> None:
    server = start_server(people_store, tmp_path, "--workers", "2", "--timeout", "120")
    workers = server.workers()
    snapshot = {p for p in people_store.parent.iterdir() if ".snapshot-" in p.name}
    assert len(workers) == 2 and len(snapshot) == 1
    threads = [threading.Thread(target=lambda: httpx.get(
        server.endpoint, params={"query": RUNAWAY}, timeout=60)) for _ in range(2)]
    for t in threads:
        t.start()
    time.sleep(1.0)  # both workers busy in a never-ending query
    seconds = server.stop()
    assert seconds < 5, (seconds, server.output())
    assert server.proc.returncode == 0, server.output()
    assert [p for p in workers if alive(p)] == []
    assert [p for p in snapshot if p.exists()] == []
    for t in threads:
        t.join(timeout=10)


def test_store_missing_is_a_clear_error(tmp_path) -> None:
    out = subprocess.run([sys.executable, "-m", "kg.cli", "serve", "--store",
                          str(tmp_path / "nope"), "--port", str(free_port())],
                         capture_output=True, text=True, timeout=60)
    assert out.returncode == 2, out
    stderr = " ".join(out.stderr.split())
    assert stderr.startswith("error: ") and "serving" not in stderr
    assert "no graph store there; build one with `kg build`" in stderr
    assert "Traceback" not in out.stderr


def test_limits_cors_and_methods(people_store, tmp_path) -> None:
    with running(people_store, tmp_path, "--workers", "2", "--max-body-bytes", "2000",
                 "--max-result-bytes", "3000") as server:
        c = server.client
        # body over the limit: 413 (declared or streamed)
        big = "SELECT * WHERE { ?s ?p ?o } #" + "x" * 3000
        r = c.post("/sparql", content=big.encode(), headers={
            "content-type": "application/sparql-query"})
        assert r.status_code == 413 and "2000 bytes" in r.text

        def chunks():
            yield big[:1000].encode()
            yield big[1000:].encode()

        r = c.post("/sparql", content=chunks(), headers={
            "content-type": "application/sparql-query"})
        assert r.status_code == 413
        # result over the limit: 507 naming the limit and the fix
        r = c.get("/sparql", params={"query": "SELECT * { GRAPH ?g { ?s ?p ?o } }"})
        assert r.status_code == 507 and "3000 bytes" in r.text and "LIMIT" in r.text
        r = c.get("/sparql", params={"query": "SELECT * { GRAPH ?g { ?s ?p ?o } } LIMIT 3"})
        assert r.status_code == 200 and len(r.json()["results"]["bindings"]) == 3
        # CORS on GET, and the preflight allows GET only
        r = c.get("/sparql", params={"query": "ASK {}"}, headers={"origin": "http://a.test"})
        assert r.headers["access-control-allow-origin"] == "*"
        r = c.options("/sparql", headers={"origin": "http://a.test",
                                          "access-control-request-method": "GET"})
        assert r.status_code == 204 and r.headers["access-control-allow-methods"] == "GET"
        r = c.post("/sparql", data={"query": "ASK {}"}, headers={"origin": "http://a.test"})
        assert r.status_code == 200 and "access-control-allow-origin" not in r.headers
        # methods, media types, syntax errors, 406
        assert c.put("/sparql", params={"query": "ASK {}"}).status_code == 405
        assert c.post("/update", content=b"CLEAR ALL", headers={
            "content-type": "application/sparql-update"}).status_code == 403
        r = c.get("/sparql", params={"query": "SELECT * {\n ?s ?p }"})
        assert r.status_code == 400 and "line 2" in r.text and "^" in r.text
        r = c.get("/sparql", params={"query": "ASK {}"}, headers={"accept": "image/png"})
        assert r.status_code == 406 and "application/sparql-results+json" in r.text
        r = c.head("/sparql", params={"query": "ASK {}"})
        assert r.status_code == 200 and r.content == b""
        # a LOAD sent as a query is refused before it runs
        r = c.get("/sparql", params={"query": "LOAD <http://127.0.0.1:9/x.ttl>"})
        assert r.status_code == 403


def test_service_description_parses_and_lists_the_graphs(people_store, tmp_path) -> None:
    import rdflib

    with running(people_store, tmp_path) as server:
        for accept, fmt in (("text/turtle", "turtle"), ("application/n-triples", "nt"),
                            ("application/ld+json", "json-ld")):
            r = server.client.get("/sparql", headers={"accept": accept})
            assert r.status_code == 200, r.text
            g = rdflib.Graph().parse(data=r.content, format=fmt)
            sd = rdflib.Namespace("http://www.w3.org/ns/sparql-service-description#")
            assert (None, sd.endpoint, rdflib.URIRef(server.endpoint)) in g
            assert set(g.objects(None, sd.name)) == {rdflib.URIRef(EX + "g")}
            assert (None, sd.supportedLanguage, sd.SPARQL11Query) in g


def test_small_answers_are_not_delayed_by_nagle(people_store, tmp_path) -> None:
    # With Nagle's algorithm on, a small response on a kept-alive connection waits ~40 ms
    # for the client's delayed ACK; with TCP_NODELAY it does not.
    with running(people_store, tmp_path) as server:
        with httpx.Client(base_url=server.url) as c:
            c.get("/sparql", params={"query": "ASK {}"})
            times = []
            for _ in range(40):
                t0 = time.perf_counter()
                c.post("/sparql", data={"query": "ASK {}"})
                times.append(time.perf_counter() - t0)
        assert statistics.median(times) < 0.03, times


@pytest.mark.slow
def test_answers_stay_consistent_while_a_build_replaces_graphs(tmp_path) -> None:
    """A writer replaces a graph in many small transactions; every answer is one version."""
    path = tmp_path / "store"
    size = 200

    def version(v: int) -> list[ox.Quad]:
        g = ox.NamedNode(EX + "plan")
        return [ox.Quad(ox.NamedNode(f"{EX}s{i}"), ox.NamedNode(EX + "v"), ox.Literal(str(v)), g)
                for i in range(size)]

    store = ox.Store(str(path))
    store.extend(version(1))
    store.flush()
    del store
    query = (f"SELECT (COUNT(*) AS ?n) (MIN(?v) AS ?lo) (MAX(?v) AS ?hi) "
             f"WHERE {{ GRAPH <{EX}plan> {{ ?s <{EX}v> ?v }} }}")
    with running(path, tmp_path, "--reload-interval", "0.2") as server:
        stop = threading.Event()
        seen: list[tuple[int, str, str]] = []

        def read() -> None:
            with httpx.Client(base_url=server.url, timeout=30) as c:
                while not stop.is_set():
                    b = c.get("/sparql", params={"query": query}).json()["results"]["bindings"][0]
                    seen.append((int(b["n"]["value"]), b["lo"]["value"], b["hi"]["value"]))

        readers = [threading.Thread(target=read) for _ in range(2)]
        for t in readers:
            t.start()
        for v in (2, 3, 4):  # a "build": hold the store, replace the graph piecewise
            writer = ox.Store(str(path))
            writer.remove_graph(ox.NamedNode(EX + "plan"))
            quads = version(v)
            for k in range(0, size, 20):
                writer.extend(quads[k:k + 20])
                writer.flush()
                time.sleep(0.05)
            del writer
            time.sleep(1.0)  # let the server take the new version
        time.sleep(1.0)
        stop.set()
        for t in readers:
            t.join()
    assert len(seen) > 20
    torn = [s for s in seen if s[0] != size or s[1] != s[2]]
    assert torn == [], torn[:5]
    versions = [s[1] for s in seen]
    assert versions[0] == "1" and versions[-1] == "4"
    assert versions == sorted(versions)  # never back to an older version


# ---------------------------------------------------------------------------------------
# Same answers as Oxigraph's own server on the same data
# ---------------------------------------------------------------------------------------

PARITY_QUERIES = [
    f"SELECT ?s ?n WHERE {{ GRAPH ?g {{ ?s <{EX}name> ?n }} }} ORDER BY ?s",
    f"SELECT (COUNT(*) AS ?c) (AVG(?a) AS ?avg) WHERE {{ GRAPH ?g {{ ?s <{EX}age> ?a }} }}",
    f"ASK {{ GRAPH ?g {{ ?s <{EX}age> 25 }} }}",
    f"CONSTRUCT {{ ?s <{EX}name> ?n }} WHERE {{ GRAPH ?g {{ ?s <{EX}name> ?n }} "
    f"FILTER(STRENDS(STR(?s), \"1\")) }}",
    "SELECT * WHERE { BIND(<relative> AS ?x) }",
]
PARITY_ACCEPT = {
    "solutions": ["application/sparql-results+json", "application/sparql-results+xml",
                  "text/csv", "text/tab-separated-values"],
    "graph": ["text/turtle", "application/n-triples", "application/ld+json",
              "application/rdf+xml"],
}


def test_answers_like_oxigraph_server(people_store, tmp_path) -> None:
    port = free_port()
    oxi = subprocess.Popen(["oxigraph", "serve-read-only", "--location", str(people_store),
                            "--bind", f"127.0.0.1:{port}"],
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                           env={**os.environ, "PATH": f"{Path(sys.executable).parent}:"
                                                      f"{os.environ['PATH']}"})
    try:
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 30
        while True:
            try:
                httpx.get(base + "/query", params={"query": "ASK {}"}, timeout=2)
                break
            except httpx.TransportError:
                assert time.monotonic() < deadline, "oxigraph serve-read-only did not start"
                time.sleep(0.1)
        with running(people_store, tmp_path) as server:
            checked = 0
            for query in PARITY_QUERIES:
                kind = "graph" if query.startswith("CONSTRUCT") else "solutions"
                for accept in PARITY_ACCEPT[kind] + ["*/*"]:
                    for path in ("/query",):
                        theirs = httpx.get(base + path, params={"query": query},
                                           headers={"accept": accept})
                        ours = server.client.get(path, params={"query": query},
                                                 headers={"accept": accept})
                        assert ours.status_code == theirs.status_code == 200, ours.text
                        if accept != "*/*" or kind != "graph":
                            assert ours.headers["content-type"] == \
                                theirs.headers["content-type"], (query, accept)
                        # the same serialisers: byte-identical but for the base IRI's port
                        assert ours.content.replace(str(server.port).encode(), b"PORT") == \
                            theirs.content.replace(str(port).encode(), b"PORT"), (query, accept)
                        checked += 1
            assert checked == 25
            # errors have the same class of status
            for query in ("SELECT * {", ):
                theirs = httpx.get(base + "/query", params={"query": query})
                ours = server.client.get("/query", params={"query": query})
                assert ours.status_code == theirs.status_code == 400
    finally:
        oxi.terminate()
        oxi.wait(timeout=10)


def test_many_clients_at_once(people_store, tmp_path) -> None:
    with running(people_store, tmp_path, "--workers", "2") as server:
        def ask(i: int) -> int:
            q = f"SELECT ?n WHERE {{ GRAPH ?g {{ <{EX}p{i % 40}> <{EX}name> ?n }} }}"
            r = httpx.get(server.endpoint, params={"query": q}, timeout=30)
            assert r.json()["results"]["bindings"][0]["n"]["value"] == f"人{i % 40}"
            return r.status_code

        with ThreadPoolExecutor(16) as pool:
            assert set(pool.map(ask, range(200))) == {200}


def test_no_snapshot_while_kg_build_holds_its_lock(people_store, tmp_path) -> None:
    from kg.errors import StoreLockedError
    from kg.serve.snapshot import store_locked, take_snapshot
    from kg.store import build_lock

    assert not store_locked(people_store)
    with build_lock(people_store):
        assert store_locked(people_store)
        with pytest.raises(StoreLockedError, match="writing the store"):
            take_snapshot(people_store, into=tmp_path)
    assert not store_locked(people_store)
    snap, _ = take_snapshot(people_store, into=tmp_path)
    assert len(ox.Store.read_only(str(snap))) == len(ox.Store.read_only(str(people_store)))


def test_union_default_graph_option(people_store, tmp_path) -> None:
    count = "SELECT (COUNT(*) AS ?n) { ?s ?p ?o }"
    with running(people_store, tmp_path, "--union-default-graph") as server:
        r = server.client.get("/sparql", params={"query": count})
        assert r.json()["results"]["bindings"][0]["n"]["value"] == "80"  # 40 people × 2
    with running(people_store, tmp_path) as server:  # like Oxigraph: the default graph only
        r = server.client.get("/sparql", params={"query": count})
        assert r.json()["results"]["bindings"][0]["n"]["value"] == "0"
        r = server.client.get("/sparql", params={"query": count, "union-default-graph": ""})
        assert r.json()["results"]["bindings"][0]["n"]["value"] == "80"
