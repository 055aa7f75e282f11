"""A pool of query worker processes that can be killed: the endpoint's time limit.

pyoxigraph cannot cancel a running query, so each query runs in a worker process
(:mod:`kg.serve.worker`); when it passes the time limit the worker is killed and a fresh
one takes its place, while the other workers go on answering.
"""

from __future__ import annotations

import asyncio
import logging
import os
import pickle
import signal
import socket
import struct
import subprocess
import sys
import time
from dataclasses import dataclass, field

from kg.errors import StoreError
from kg.serve.worker import Reply, Request

__all__ = ["QueryTimeout", "PoolBusy", "WorkerPool"]

log = logging.getLogger(__name__)

_HEADER = struct.Struct("!Q")


class QueryTimeout(Exception):
    """A query ran past the time limit; its worker was killed."""


class PoolBusy(Exception):
    """No worker became free in time (every worker is running a long query)."""


@dataclass(eq=False)
class _Worker:
    proc: subprocess.Popen[bytes]
    reader: asyncio.StreamReader
    writer: asyncio.StreamWriter
    isolated: bool
    started: float = field(default_factory=time.monotonic)


class WorkerPool:
    """Worker processes answering queries on one read-only store (snapshot).

    Parameters
    ----------
    store_path : str
        The store each worker opens read-only.
    workers : int
        How many queries may run at once.
    timeout_s : float
        The time limit of one query; a worker still busy after it is killed and replaced.

    Examples
    --------
    >>> async def ask(path):  # doctest: +SKIP
    ...     pool = WorkerPool(path, workers=2, timeout_s=5)
    ...     await pool.start()
    ...     try:
    ...         return await pool.submit(Request("ASK {}"))
    ...     finally:
    ...         await pool.close()
    """

    def __init__(self, store_path: str, *, workers: int, timeout_s: float) -> None:
        if workers < 1:
            raise ValueError("workers must be at least 1")
        self.store_path = store_path
        self.size = workers
        self.timeout_s = timeout_s
        self._idle: asyncio.Queue[_Worker] = asyncio.Queue()
        self._all: set[_Worker] = set()
        self._spawning: set[asyncio.Task[None]] = set()
        self._closed = False
        self.restarts = 0

    # -- life cycle -------------------------------------------------------------------

    async def start(self) -> None:
        """Start every worker and wait until each has opened the store.

        Raises
        ------
        StoreError
            When a worker cannot open the store.
        """
        results = await asyncio.gather(*(self._spawn() for _ in range(self.size)),
                                       return_exceptions=True)
        errors = [r for r in results if isinstance(r, BaseException)]
        if errors:
            await self.close()
            raise errors[0]
        for w in results:
            self._idle.put_nowait(w)  # type: ignore[arg-type]

    async def _spawn(self) -> _Worker:
        parent_sock, child_sock = socket.socketpair()
        try:
            proc = subprocess.Popen(
                [sys.executable, "-m", "kg.serve.worker", "--fd", str(child_sock.fileno()),
                 "--store", self.store_path, "--parent", str(os.getpid())],
                pass_fds=(child_sock.fileno(),), stdin=subprocess.DEVNULL,
                start_new_session=False,
            )
        finally:
            child_sock.close()
        reader, writer = await asyncio.open_unix_connection(sock=parent_sock,
                                                            limit=1 << 20)
        worker = _Worker(proc, reader, writer, isolated=False)
        self._all.add(worker)
        try:
            hello = await asyncio.wait_for(self._read(worker), timeout=60)
        except (asyncio.TimeoutError, asyncio.IncompleteReadError, ConnectionError):
            self._kill(worker)
            raise StoreError(f"{self.store_path}: a query worker did not start "
                             f"(exit code {proc.poll()})") from None
        if hello.status != 200:
            self._kill(worker)
            raise StoreError(hello.body.decode("utf-8", "replace"))
        worker.isolated = hello.body == b"isolated"
        if not worker.isolated:
            log.warning("query worker %d could not leave the network (no network namespace); "
                        "SERVICE is still refused before any query runs", proc.pid)
        return worker

    def _kill(self, worker: _Worker) -> None:
        self._all.discard(worker)
        try:
            worker.writer.close()
        except (OSError, RuntimeError):
            pass
        if worker.proc.poll() is None:
            worker.proc.kill()
        try:
            worker.proc.wait(timeout=5)
        except subprocess.TimeoutExpired:  # pragma: no cover - SIGKILL does not fail
            log.error("query worker %d did not die", worker.proc.pid)

    def _replace(self, worker: _Worker) -> None:
        self._kill(worker)
        if self._closed:
            return
        self.restarts += 1
        task = asyncio.get_running_loop().create_task(self._respawn())
        self._spawning.add(task)
        task.add_done_callback(self._spawning.discard)

    async def _respawn(self) -> None:
        delay = 0.1
        while not self._closed:
            try:
                worker = await self._spawn()
            except StoreError as exc:
                log.error("%s; retrying in %.1f s", exc, delay)
                await asyncio.sleep(delay)
                delay = min(delay * 2, 5.0)
                continue
            if self._closed:
                self._kill(worker)
            else:
                self._idle.put_nowait(worker)
            return

    async def close(self) -> None:
        """Stop every worker (a running query is killed) and reap them."""
        self._closed = True
        for task in list(self._spawning):
            task.cancel()
        for worker in list(self._all):  # SIGKILL all first, then reap each
            if worker.proc.poll() is None:
                worker.proc.send_signal(signal.SIGKILL)
        for worker in list(self._all):
            self._kill(worker)

    @property
    def pids(self) -> list[int]:
        """Process ids of the live workers."""
        return sorted(w.proc.pid for w in self._all)

    # -- queries ----------------------------------------------------------------------

    @staticmethod
    async def _read(worker: _Worker) -> Reply:
        (n,) = _HEADER.unpack(await worker.reader.readexactly(_HEADER.size))
        reply = pickle.loads(await worker.reader.readexactly(n))
        if not isinstance(reply, Reply):
            raise ConnectionError("unexpected frame from a worker")
        return reply

    async def submit(self, request: Request) -> Reply:
        """Run one request on a free worker, within the time limit.

        Raises
        ------
        QueryTimeout
            When the query runs past ``timeout_s`` (its worker is killed and replaced).
        PoolBusy
            When no worker becomes free within ``timeout_s``.
        """
        if self._closed:
            raise PoolBusy("the server is shutting down")
        try:
            worker = await asyncio.wait_for(self._idle.get(), timeout=self.timeout_s)
        except asyncio.TimeoutError:
            raise PoolBusy(f"every query worker stayed busy for {self.timeout_s:g} s") from None
        data = pickle.dumps(request, protocol=pickle.HIGHEST_PROTOCOL)
        try:
            worker.writer.write(_HEADER.pack(len(data)) + data)
            reply = await asyncio.wait_for(self._read(worker), timeout=self.timeout_s)
        except asyncio.TimeoutError:
            log.warning("query over the %.1f s limit: killing worker %d", self.timeout_s,
                        worker.proc.pid)
            self._replace(worker)
            raise QueryTimeout(self.timeout_s) from None
        except (asyncio.IncompleteReadError, ConnectionError, OSError) as exc:
            self._replace(worker)
            if self._closed:  # killed by close(): the server is stopping
                raise PoolBusy("the server is shutting down") from None
            log.error("query worker %d died (%s); starting another", worker.proc.pid, exc)
            return Reply(500, "text/plain; charset=utf-8",
                         b"the query worker died while answering; the query may use more "
                         b"memory than the server has")
        except BaseException:  # cancelled (shutdown): the worker may still be running
            self._replace(worker)
            raise
        if self._closed:
            self._kill(worker)
        else:
            self._idle.put_nowait(worker)
        return reply
