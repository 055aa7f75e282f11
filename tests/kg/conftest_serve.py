"""Serve-test material: small hand-written stores and a real ``kg serve`` process.

The server runs as a child process (``python -m kg.cli serve``) on a free loopback port, so
the tests see exactly what a user sees: uvicorn, the worker processes, signals.
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import pyoxigraph as ox

ROOT = Path(__file__).resolve().parents[2]
PROTOCOL_DIR = ROOT.parent / "shared" / "w3c" / "sparql" / "sparql11" / "protocol"
SPARQL11_DIR = PROTOCOL_DIR.parent


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def make_store(path: Path, graphs: dict[str | None, str]) -> Path:
    """Write a store from Turtle/N-Triples texts keyed by graph IRI (None: default graph)."""
    store = ox.Store(str(path))
    for graph, text in graphs.items():
        target = ox.DefaultGraph() if graph is None else ox.NamedNode(graph)
        store.load(text.encode("utf-8"), format=ox.RdfFormat.TURTLE, to_graph=target)
    store.flush()
    del store
    return path


def children(pid: int) -> list[int]:
    """Process ids whose parent is ``pid`` (from /proc)."""
    out = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", encoding="ascii", errors="replace") as f:
                fields_ = f.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields_[1]) == pid:
            out.append(int(entry))
    return sorted(out)


def alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii", errors="replace") as f:
            state = f.read().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


@dataclass
class Server:
    """A running ``kg serve`` child process."""

    proc: subprocess.Popen[bytes]
    port: int
    store: Path
    log: Path
    client: httpx.Client = field(init=False)

    def __post_init__(self) -> None:
        self.client = httpx.Client(base_url=self.url, timeout=60)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def endpoint(self) -> str:
        return self.url + "/sparql"

    def workers(self) -> list[int]:
        return [p for p in children(self.proc.pid) if alive(p)]

    def stop(self) -> float:
        """SIGTERM the server; seconds until it exited."""
        self.client.close()
        if self.proc.poll() is not None:
            return 0.0
        t0 = time.monotonic()
        self.proc.send_signal(signal.SIGTERM)
        try:
            self.proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        return time.monotonic() - t0

    def output(self) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace")


def start_server(store: Path, log_dir: Path, *extra: str, wait_s: float = 60.0) -> Server:
    """Start ``kg serve`` on ``store`` and wait until it answers."""
    port = free_port()
    log = log_dir / f"serve-{port}.log"
    with open(log, "wb") as out:
        proc = subprocess.Popen(
            [sys.executable, "-m", "kg.cli", "serve", "--store", str(store), "--port", str(port),
             *extra],
            stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
            env={**os.environ, "PYTHONUNBUFFERED": "1"})
    server = Server(proc, port, store, log)
    deadline = time.monotonic() + wait_s
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise AssertionError(f"kg serve exited with {proc.returncode}:\n{server.output()}")
        with contextlib.suppress(httpx.TransportError):
            r = httpx.get(server.endpoint, params={"query": "ASK {}"}, timeout=2)
            if r.status_code == 200:
                return server
        time.sleep(0.1)
    server.stop()
    raise AssertionError(f"kg serve did not answer within {wait_s} s:\n{server.output()}")


@contextlib.contextmanager
def running(store: Path, log_dir: Path, *extra: str) -> Iterator[Server]:
    server = start_server(store, log_dir, *extra)
    try:
        yield server
    finally:
        server.stop()


class Trap:
    """A TCP listener on loopback that counts every connection made to it."""

    def __init__(self) -> None:
        self.sock = socket.socket()
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(16)
        self.sock.settimeout(0.2)
        self.port = self.sock.getsockname()[1]
        self.connections = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/sparql"

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                conn, _ = self.sock.accept()
            except OSError:
                continue
            self.connections += 1
            conn.close()

    def close(self) -> None:
        self._stop.set()
        self._thread.join()
        self.sock.close()


def _inet_sockets() -> dict[int, tuple[str, str, str]]:
    """inode → (protocol, local, remote) for every IPv4/IPv6 TCP and UDP socket."""
    out: dict[int, tuple[str, str, str]] = {}
    for proto in ("tcp", "tcp6", "udp", "udp6"):
        try:
            lines = Path(f"/proc/net/{proto}").read_text().splitlines()[1:]
        except OSError:
            continue
        for line in lines:
            parts = line.split()
            out[int(parts[9])] = (proto, parts[1], parts[2])
    return out


def socket_audit(pids: list[int], own_port: int) -> list[str]:
    """Sockets of ``pids`` other than the server's listener and its loopback clients.

    An empty list means no process opened any connection or UDP socket (DNS) elsewhere.
    """
    table = _inet_sockets()
    own = f"{own_port:04X}"
    bad = []
    for pid in pids:
        with contextlib.suppress(OSError):
            for fd in os.listdir(f"/proc/{pid}/fd"):
                with contextlib.suppress(OSError):
                    target = os.readlink(f"/proc/{pid}/fd/{fd}")
                    if not target.startswith("socket:["):
                        continue
                    entry = table.get(int(target[8:-1]))
                    if entry is None:  # a Unix socket (worker pipes)
                        continue
                    proto, local, remote = entry
                    if proto.startswith("tcp") and local.endswith(":" + own):
                        continue  # the listener and connections from our clients
                    bad.append(f"pid {pid}: {proto} {local} -> {remote}")
    return bad
