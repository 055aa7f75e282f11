"""The ASGI application of ``kg serve``: the SPARQL endpoint, the browsing UI, and ``serve``.

``/sparql`` (and ``/query``, as Oxigraph's server names it) speaks the SPARQL 1.1 Protocol,
read-only; ``/update`` refuses; ``/`` is the browsing UI (:mod:`kg.serve.ui`), with the
comparison report at ``/compare`` and the graph browser at ``/graph`` (:mod:`kg.serve.compare`).
"""

from __future__ import annotations

import contextlib
import logging
import os
import socket
from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request as HttpRequest
from starlette.responses import PlainTextResponse, Response
from starlette.routing import Route

from kg.errors import QueryError
from kg.query import check_read_only
from kg.serve.backend import Backend, ServeConfig
from kg.serve.pool import PoolBusy, QueryTimeout
from kg.serve.protocol import ProtocolError, negotiate, read_operation, service_description
from kg.serve.worker import Request

__all__ = ["create_app", "serve", "ServeConfig"]

log = logging.getLogger(__name__)

_CORS = {"Access-Control-Allow-Origin": "*"}


class BodyTooLarge(Exception):
    """The request body is over the configured limit."""


async def _read_body(request: HttpRequest, limit: int) -> bytes:
    declared = request.headers.get("content-length")
    if declared is not None:
        try:
            if int(declared) > limit:
                raise BodyTooLarge
        except ValueError:
            pass
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise BodyTooLarge
        chunks.append(chunk)
    return b"".join(chunks)


def _text(status: int, message: str, headers: dict[str, str] | None = None) -> Response:
    return PlainTextResponse(message + "\n", status_code=status, headers=headers)


async def _service_description(request: HttpRequest, backend: Backend) -> Response:
    import pyoxigraph as ox

    chosen = negotiate(request.headers.get("accept"), "graph")
    if chosen is None:
        return _text(406, "the service description is RDF: accept text/turtle, "
                          "application/n-triples, application/ld+json or application/rdf+xml")
    media_type, fmt = chosen
    endpoint = str(request.url.replace(query=""))
    turtle = service_description(endpoint, await backend.named_graphs(),
                                 union_default_graph=backend.config.union_default_graph)
    if fmt == ox.RdfFormat.TURTLE:
        body = turtle.encode("utf-8")
    else:
        body = ox.serialize(ox.parse(turtle, format=ox.RdfFormat.TURTLE), format=fmt)
    return Response(body, headers={**_CORS, "content-type": media_type})


def sparql_endpoint(backend: Backend) -> Callable[[HttpRequest], Any]:
    """The handler of ``/sparql``: the SPARQL 1.1 Protocol query operation, read-only."""
    cfg = backend.config

    async def handle(request: HttpRequest) -> Response:
        method = request.method
        cors = _CORS if method in ("GET", "HEAD") else {}
        if method == "OPTIONS":
            return Response(status_code=204, headers={
                **_CORS, "Access-Control-Allow-Methods": "GET",
                "Access-Control-Allow-Headers": "Accept", "Access-Control-Max-Age": "86400"})
        try:
            body = await _read_body(request, cfg.max_body_bytes)
        except BodyTooLarge:
            return _text(413, f"the request body is larger than the limit of "
                              f"{cfg.max_body_bytes} bytes")
        try:
            op = read_operation(method, request.url.query,
                                request.headers.get("content-type"), body)
        except ProtocolError as exc:
            return _text(exc.status, exc.message, {**exc.headers, **cors})
        if op.query is None:
            return await _service_description(request, backend)
        try:
            check_read_only(op.query)
        except QueryError as exc:
            return _text(403, str(exc), cors)
        job = Request(
            query=op.query,
            accept=request.headers.get("accept", "*/*"),
            default_graphs=op.default_graphs,
            named_graphs=op.named_graphs,
            union_default_graph=op.union_default_graph or cfg.union_default_graph,
            max_result_bytes=cfg.max_result_bytes,
            base_iri=str(request.url.replace(query="")),
        )
        try:
            reply = await backend.submit(job)
        except QueryTimeout:
            return _text(504, f"the query ran past the server's time limit of "
                              f"{cfg.timeout_s:g} s and was stopped; narrow it (LIMIT, more "
                              "selective patterns) or start the server with a larger "
                              "--timeout", cors)
        except PoolBusy as exc:
            return _text(503, f"the server is busy ({exc}); try again", {**cors,
                                                                       "Retry-After": "1"})
        body_out = b"" if method == "HEAD" else reply.body
        # the worker's media type as is (Starlette would add a charset to text/turtle)
        return Response(body_out, status_code=reply.status,
                        headers={**cors, "content-type": reply.media_type})

    return handle


async def _update(request: HttpRequest) -> Response:
    return _text(403, "SPARQL Update is refused: this endpoint is read-only (rebuild the "
                      "store with `kg build` to change the graph)")


def create_app(config: ServeConfig, *, backend: Backend | None = None) -> Starlette:
    """Build the ASGI app for one store.

    Parameters
    ----------
    config : ServeConfig
    backend : Backend, optional
        An already started backend; by default the app starts its own in its lifespan
        (and stops it at shutdown).

    Returns
    -------
    starlette.applications.Starlette
        ``app.state.backend`` is the :class:`~kg.serve.backend.Backend`.
    """
    owned = backend is None
    backend = Backend(config) if backend is None else backend
    endpoint = sparql_endpoint(backend)
    methods = ["GET", "POST", "HEAD", "OPTIONS", "PUT", "DELETE", "PATCH"]

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        if owned:
            await backend.start()
        try:
            yield
        finally:
            if owned:
                await backend.close()

    routes = [
        Route("/sparql", endpoint, methods=methods),
        Route("/sparql/", endpoint, methods=methods),
        Route("/query", endpoint, methods=methods),
        Route("/update", _update, methods=methods),
        *_ui_routes(backend),
    ]
    app = Starlette(routes=routes, lifespan=lifespan)
    app.state.backend = backend
    return app


def _ui_routes(backend: Backend) -> list[Any]:
    from kg.serve import ui

    return ui.routes(backend)


def _nodelay_protocol() -> type:
    """uvicorn's HTTP protocol with Nagle's algorithm off on every connection."""
    try:
        from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol as Base
    except ImportError:  # pragma: no cover - httptools missing
        from uvicorn.protocols.http.h11_impl import H11Protocol as Base

    class NoDelayProtocol(Base):  # type: ignore[misc, valid-type]
        def connection_made(self, transport: Any) -> None:
            sock = transport.get_extra_info("socket")
            if sock is not None:
                with contextlib.suppress(OSError, AttributeError):
                    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            super().connection_made(transport)

    return NoDelayProtocol


def serve(store: str | Path, *, host: str = "127.0.0.1", port: int = 7878,
          workers: int | None = None, timeout_s: float = 30.0,
          max_result_bytes: int = 64 * 1024 * 1024, max_body_bytes: int = 1024 * 1024,
          union_default_graph: bool = False, reload_interval_s: float = 2.0,
          log_level: str = "warning", on_ready: Callable[[str], None] | None = None) -> None:
    """Serve a store over HTTP until SIGINT or SIGTERM: SPARQL endpoint and browsing UI.

    Parameters
    ----------
    store : str or Path
        The store folder written by ``kg build``. A private snapshot of it is served and
        renewed when a build changes it.
    host, port : str, int
        Where to listen (loopback by default).
    workers : int, optional
        Query worker processes (queries running at once); the number of CPUs by default.
    timeout_s : float
        Time limit of one query; the worker running it is killed and replaced.
    max_result_bytes : int
        Largest serialised result; a bigger one is refused with 507.
    max_body_bytes : int
        Largest request body; a bigger one is refused with 413.
    union_default_graph : bool
        Queries see the union of all graphs as their default graph.
    reload_interval_s : float
        How often to look for a rebuilt store (0: never).
    log_level : str
        uvicorn's log level.
    on_ready : callable, optional
        Called with the server's URL once the workers are up, just before it listens.

    Raises
    ------
    StoreError
        When the store is missing or stays locked by a writer.
    """
    import signal

    import uvicorn

    config = ServeConfig(
        store=Path(store), host=host, port=port,
        workers=workers or max(2, os.cpu_count() or 2), timeout_s=timeout_s,
        max_result_bytes=max_result_bytes, max_body_bytes=max_body_bytes,
        union_default_graph=union_default_graph, reload_interval_s=reload_interval_s)
    backend = Backend(config)
    server = uvicorn.Server(uvicorn.Config(
        create_app(config, backend=backend), host=host, port=port, http=_nodelay_protocol(),
        lifespan="on", access_log=False, log_level=log_level, timeout_graceful_shutdown=1,
        timeout_keep_alive=30, server_header=False))

    serving = False

    async def main() -> None:
        nonlocal serving
        await backend.start()  # a missing or locked store fails here, before listening
        try:
            serving = True
            if on_ready is not None:
                on_ready(f"http://{host}:{port}/")
            await server.serve()
        finally:
            await backend.close()  # kill the workers, delete the snapshot

    def stop(signum: int, _frame: Any) -> None:
        # uvicorn re-raises the signal that stopped it once it has shut down: then this is a
        # no-op, so the workers and the snapshot are cleaned up and the process exits
        # normally. Before uvicorn listens (workers starting), the signal stops at once.
        if not serving:
            raise SystemExit(128 + signum)

    previous = {sig: signal.signal(sig, stop) for sig in (signal.SIGTERM, signal.SIGINT)}
    try:
        try:
            import uvloop
        except ImportError:  # pragma: no cover
            import asyncio

            asyncio.run(main())
        else:
            uvloop.run(main())
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
