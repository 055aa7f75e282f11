"""``kg push``: copy each named graph into any SPARQL 1.1 Graph Store Protocol server.

Each graph goes in one HTTP ``PUT {endpoint}?graph=IRI`` with an N-Triples body
(https://www.w3.org/TR/sparql11-http-rdf-update/#http-put): the server replaces that graph
as a whole, so pushing again replaces rather than duplicates, and a plan rebuilt locally is
replaced remotely. Graphs are independent: a graph the server refuses is reported and the
others still go; a server that cannot be reached stops the push at once.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import pyoxigraph as ox

from kg.errors import ConfigError, ExportError
from kg.export._common import as_store, select_graphs

__all__ = ["PushedGraph", "PushReport", "push", "CONTENT_TYPE"]

log = logging.getLogger(__name__)

#: The media type of the request bodies.
CONTENT_TYPE = "application/n-triples"


@dataclass(frozen=True, slots=True)
class PushedGraph:
    """One graph's PUT: its IRI (``""`` for the default graph), size and the answer."""

    graph: str
    triples: int
    status: int
    error: str | None = None

    @property
    def ok(self) -> bool:
        """Whether the server accepted the graph (a 2xx status)."""
        return self.error is None and 200 <= self.status < 300


@dataclass(frozen=True, slots=True)
class PushReport:
    """What a push did, graph by graph."""

    endpoint: str
    graphs: tuple[PushedGraph, ...]

    @property
    def ok(self) -> bool:
        """Whether every graph arrived."""
        return all(g.ok for g in self.graphs)

    @property
    def failures(self) -> tuple[PushedGraph, ...]:
        """The graphs the server refused."""
        return tuple(g for g in self.graphs if not g.ok)


def _hint(endpoint: str) -> str:
    return (f"is a SPARQL 1.1 Graph Store Protocol server listening at {endpoint}? "
            "For Oxigraph: `oxigraph serve --location DIR --bind 127.0.0.1:7878`, then "
            "`kg push --endpoint http://127.0.0.1:7878/store`")


def push(store: ox.Store | object, endpoint: str, *, plans: Sequence[str] | None = None,
         user: str | None = None, password: str | None = None, timeout: float = 60.0,
         progress: Callable[[str, int, int], None] | None = None) -> PushReport:
    """PUT every selected graph of ``store`` to the Graph Store Protocol ``endpoint``.

    Parameters
    ----------
    store : pyoxigraph.Store or kg.KnowledgeGraph
        The graph store, or the graph ``kg.open(...)`` returns.
    endpoint : str
        The server's graph store URL (Oxigraph: ``http://host:port/store``; Fuseki:
        ``http://host:port/DATASET/data``).
    plans : sequence of str, optional
        Only these plans' graphs and the shared graphs (canonical, ontology).
    user, password : str, optional
        HTTP basic authentication.
    timeout : float
        Seconds to wait for the server on each request.
    progress : callable, optional
        Called as ``progress(graph, done, total)`` after each graph.

    Returns
    -------
    PushReport
        One entry per graph; ``report.ok`` is False if the server refused any.

    Raises
    ------
    ConfigError
        The endpoint is not an http(s) URL, or a plan is unknown.
    ExportError
        The server cannot be reached (refused, timed out, not resolvable).

    Examples
    --------
    >>> import pyoxigraph as ox
    >>> push(ox.Store(), "http://127.0.0.1:9/store").graphs  # nothing to send
    ()
    """
    import httpx

    if not endpoint.startswith(("http://", "https://")):
        raise ConfigError(f"endpoint {endpoint!r} is not an http(s) URL; give the server's "
                          "graph store URL, e.g. http://127.0.0.1:7878/store")
    store = as_store(store)
    selection = select_graphs(store, plans)
    targets = [g for g in selection.graphs
               if not isinstance(g, ox.DefaultGraph)
               or next(iter(store.quads_for_pattern(None, None, None, g)), None) is not None]
    auth = httpx.BasicAuth(user, password or "") if user else None
    results: list[PushedGraph] = []
    with httpx.Client(timeout=timeout, auth=auth, headers={"Content-Type": CONTENT_TYPE}) \
            as client:
        for done, graph in enumerate(targets, start=1):
            if isinstance(graph, ox.BlankNode):
                results.append(PushedGraph(f"_:{graph.value}", 0, 0,
                                           "a graph named by a blank node has no IRI to PUT"))
                continue
            name = "" if isinstance(graph, ox.DefaultGraph) else graph.value
            body = store.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=graph)
            triples = body.count(b"\n")
            params = {"graph": name} if name else {"default": ""}
            try:
                response = client.put(endpoint, params=params, content=body)
            except httpx.ConnectError as exc:
                raise ExportError(f"cannot reach {endpoint}: {_reason(exc)}; "
                                  f"{_hint(endpoint)}") from None
            except httpx.TimeoutException:
                raise ExportError(f"{endpoint} did not answer within {timeout:g} s while "
                                  f"receiving graph {name or '(default)'}; try again or raise "
                                  "--timeout") from None
            except httpx.HTTPError as exc:
                raise ExportError(f"push to {endpoint} failed: {_reason(exc)}") from None
            error = None
            if not 200 <= response.status_code < 300:
                error = (f"HTTP {response.status_code} {response.reason_phrase}: "
                         f"{response.text.strip()[:300]}")
                log.warning("%s refused graph %s: %s", endpoint, name, error)
            results.append(PushedGraph(name, triples, response.status_code, error))
            if progress is not None:
                progress(name, done, len(targets))
    return PushReport(endpoint=endpoint, graphs=tuple(results))


def _reason(exc: Exception) -> str:
    text = str(exc).strip()
    if "Connection refused" in text or "[Errno 111]" in text:
        return "connection refused (no server on that port)"
    return text or type(exc).__name__
