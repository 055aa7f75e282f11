"""A query worker process: evaluates SPARQL on a read-only store for the endpoint's front.

The front (:mod:`kg.serve.pool`) starts ``python -m kg.serve.worker --fd N --store DIR`` and
talks to it over an inherited Unix socket with length-prefixed pickled frames. A worker runs
one query at a time; a query over the time limit is stopped by killing the worker, which is
the only way to stop a pyoxigraph query (it cannot be cancelled from Python).

Before serving, a worker leaves the network (a new network namespace where the kernel
allows it): even a ``SERVICE`` clause that slipped past the front could not connect out.
"""

from __future__ import annotations

import argparse
import ctypes
import io
import logging
import os
import pickle
import signal
import socket
import struct
import sys
from dataclasses import dataclass
from typing import Any

__all__ = ["Request", "Reply", "read_frame", "write_frame", "answer", "main"]

log = logging.getLogger(__name__)

_HEADER = struct.Struct("!Q")


@dataclass(frozen=True)
class Request:
    """One query for a worker."""

    query: str
    accept: str = "*/*"
    default_graphs: tuple[str, ...] | None = None
    named_graphs: tuple[str, ...] | None = None
    union_default_graph: bool = False
    max_result_bytes: int = 64 * 1024 * 1024
    base_iri: str | None = None  # relative IRIs resolve against the endpoint's URL
    op: str = "query"  # query | graphs (list the named graphs) | ping


@dataclass(frozen=True)
class Reply:
    """A worker's answer: an HTTP status, a media type and the body."""

    status: int
    media_type: str
    body: bytes


def write_frame(sock: socket.socket, obj: Any) -> None:
    """Send one pickled object, prefixed by its length."""
    data = pickle.dumps(obj, protocol=pickle.HIGHEST_PROTOCOL)
    sock.sendall(_HEADER.pack(len(data)) + data)


def _recv_exact(sock: socket.socket, n: int) -> bytes:
    chunks = []
    while n:
        chunk = sock.recv(min(n, 1 << 20))
        if not chunk:
            raise EOFError
        chunks.append(chunk)
        n -= len(chunk)
    return b"".join(chunks)


def read_frame(sock: socket.socket) -> Any:
    """Receive one object sent by :func:`write_frame`."""
    (n,) = _HEADER.unpack(_recv_exact(sock, _HEADER.size))
    return pickle.loads(_recv_exact(sock, n))


class ResultTooLarge(Exception):
    """The serialised result went past the size limit."""


class _LimitedBuffer(io.RawIOBase):
    """A bytes sink that raises once more than ``limit`` bytes are written."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self.size = 0
        self.parts: list[bytes] = []

    def writable(self) -> bool:
        return True

    def write(self, b: Any) -> int:  # type: ignore[override]
        self.size += len(b)
        if self.size > self.limit:
            raise ResultTooLarge
        self.parts.append(bytes(b))
        return len(b)

    def getvalue(self) -> bytes:
        return b"".join(self.parts)


def _text(status: int, message: str) -> Reply:
    return Reply(status, "text/plain; charset=utf-8", message.encode("utf-8"))


def answer(store: Any, request: Request) -> Reply:
    """Evaluate one request on ``store`` and serialise the result as negotiated.

    Parameters
    ----------
    store : pyoxigraph.Store
    request : Request

    Returns
    -------
    Reply
        200 with the result; 400 on a syntax or evaluation error; 406 when no acceptable
        format fits the kind of result; 507 when the result exceeds the size limit.
    """
    import pyoxigraph as ox

    from kg.query import syntax_error
    from kg.serve.protocol import negotiate

    if request.op == "ping":
        return Reply(200, "text/plain", b"pong")
    if request.op == "graphs":
        names = sorted(g.value for g in store.named_graphs() if isinstance(g, ox.NamedNode))
        return Reply(200, "application/octet-stream", "\n".join(names).encode("utf-8"))
    kwargs: dict[str, Any] = {"base_iri": request.base_iri}
    if request.default_graphs is not None or request.named_graphs is not None:
        kwargs["default_graph"] = [ox.NamedNode(g) for g in request.default_graphs or ()]
        kwargs["named_graphs"] = [ox.NamedNode(g) for g in request.named_graphs or ()]
    elif request.union_default_graph:
        kwargs["use_default_graph_as_union"] = True
    try:
        result = store.query(request.query, **kwargs)
    except SyntaxError as exc:
        return _text(400, str(syntax_error(exc, request.query, name="query")))
    except (OSError, ValueError, RuntimeError) as exc:
        return _text(400, f"the query failed: {exc}")
    kind = ("boolean" if isinstance(result, ox.QueryBoolean)
            else "graph" if isinstance(result, ox.QueryTriples) else "solutions")
    chosen = negotiate(request.accept, kind)
    if chosen is None:
        from kg.serve.protocol import media_types

        return _text(406, f"none of the media types in Accept: {request.accept} fits a "
                          f"{kind} result; this endpoint offers {', '.join(media_types(kind))}")
    media_type, fmt = chosen
    sink = _LimitedBuffer(request.max_result_bytes)
    try:
        result.serialize(sink, fmt)
    except ResultTooLarge:
        return _text(507, f"the result is larger than the server's limit of "
                          f"{request.max_result_bytes} bytes; add LIMIT or narrow the query "
                          "(or start the server with a larger --max-result-bytes)")
    except (OSError, ValueError, RuntimeError) as exc:
        return _text(400, f"the query failed: {exc}")
    return Reply(200, media_type, sink.getvalue())


def _die_with_parent() -> None:
    # Linux: SIGKILL this worker when the front process dies, even mid-query.
    if sys.platform.startswith("linux"):
        PR_SET_PDEATHSIG = 1
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL)


def leave_network() -> bool:
    """Move this process into an empty network namespace; True when the kernel allowed it."""
    if not sys.platform.startswith("linux"):
        return False
    clone_newnet, clone_newuser = 0x40000000, 0x10000000
    libc = ctypes.CDLL(None, use_errno=True)
    for flags in (clone_newnet, clone_newuser | clone_newnet):
        if libc.unshare(flags) == 0:
            return True
    return False


def main(argv: list[str] | None = None) -> int:
    """Serve queries on the inherited socket until it closes."""
    parser = argparse.ArgumentParser(prog="python -m kg.serve.worker")
    parser.add_argument("--fd", type=int, required=True)
    parser.add_argument("--store", required=True)
    parser.add_argument("--parent", type=int, required=True)
    args = parser.parse_args(argv)
    _die_with_parent()
    if os.getppid() != args.parent:  # the front died before prctl took effect
        return 1
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the front decides when we stop
    import pyoxigraph as ox

    sock = socket.socket(fileno=args.fd)
    try:
        store = ox.Store.read_only(args.store)
        store.query("ASK { ?s ?p ?o }")  # open the files before leaving the network
    except OSError as exc:
        write_frame(sock, Reply(500, "text/plain", f"cannot open {args.store}: {exc}".encode()))
        return 1
    isolated = leave_network()
    write_frame(sock, Reply(200, "text/plain", b"isolated" if isolated else b"networked"))
    while True:
        try:
            request = read_frame(sock)
        except (EOFError, ConnectionError):
            return 0
        try:
            reply = answer(store, request)
        except Exception as exc:  # noqa: BLE001 - a worker must answer, never die silently
            reply = _text(500, f"internal error in the query worker: {type(exc).__name__}: {exc}")
        write_frame(sock, reply)


if __name__ == "__main__":  # pragma: no cover
    # run the imported module's main, so frames carry kg.serve.worker's classes, not __main__'s
    from kg.serve.worker import main as _main

    sys.exit(_main())
