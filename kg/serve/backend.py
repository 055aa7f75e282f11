"""The endpoint's backend: the snapshot being served, its worker pool, and reloading.

A :class:`Backend` serves one snapshot of the store through a :class:`WorkerPool`. When
the store changes on disk (a ``kg build`` finished), it takes a new snapshot, starts a pool
on it, switches new queries to it and retires the old pool once its queries are done — so
each answer comes from one complete version of the graph.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass
from pathlib import Path

from kg.errors import StoreError, StoreLockedError
from kg.serve.pool import WorkerPool
from kg.serve.snapshot import remove_snapshot, store_locked, store_stamp, take_snapshot
from kg.serve.worker import Reply, Request

__all__ = ["ServeConfig", "Backend"]

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class ServeConfig:
    """Options of ``kg serve`` (see :func:`kg.serve.serve`)."""

    store: Path
    host: str = "127.0.0.1"
    port: int = 7878
    workers: int = 2
    timeout_s: float = 30.0
    max_result_bytes: int = 64 * 1024 * 1024
    max_body_bytes: int = 1024 * 1024
    union_default_graph: bool = False
    reload_interval_s: float = 2.0
    snapshot: bool = True


@dataclass
class _Version:
    folder: Path
    stamp: tuple
    pool: WorkerPool
    is_snapshot: bool
    active: int = 0


class Backend:
    """Answers query requests from the current version of the store."""

    def __init__(self, config: ServeConfig) -> None:
        self.config = config
        self._current: _Version | None = None
        self._retired: list[_Version] = []
        self._watch: asyncio.Task[None] | None = None
        self._graphs: list[str] | None = None

    async def _open_version(self) -> _Version:
        cfg = self.config
        if cfg.snapshot:
            folder, stamp = take_snapshot(cfg.store)
        else:
            folder, stamp = cfg.store, store_stamp(cfg.store)
        pool = WorkerPool(str(folder), workers=cfg.workers, timeout_s=cfg.timeout_s)
        try:
            await pool.start()
        except BaseException:
            if cfg.snapshot:
                remove_snapshot(folder)
            raise
        return _Version(folder, stamp, pool, cfg.snapshot)

    async def start(self, *, wait_s: float = 60.0) -> None:
        """Snapshot the store and start the workers (waiting for a running build).

        Raises
        ------
        StoreError
            When there is no store, or a writer keeps it locked for ``wait_s``.
        """
        loop = asyncio.get_running_loop()
        deadline = loop.time() + wait_s
        while True:
            try:
                self._current = await self._open_version()
                break
            except StoreLockedError as exc:
                if loop.time() > deadline:
                    raise StoreError(f"{exc}; gave up after {wait_s:g} s") from None
                log.info("%s; waiting", exc)
                await asyncio.sleep(0.5)
        if self.config.snapshot and self.config.reload_interval_s > 0:
            self._watch = loop.create_task(self._watch_store())

    async def _watch_store(self) -> None:
        cfg = self.config
        while True:
            await asyncio.sleep(cfg.reload_interval_s)
            current = self._current
            if current is None:
                return
            try:
                if store_locked(cfg.store) or store_stamp(cfg.store) == current.stamp:
                    continue
                new = await self._open_version()
            except StoreLockedError:
                continue
            except (StoreError, OSError) as exc:
                log.error("cannot reload %s: %s", cfg.store, exc)
                continue
            log.info("the store changed: now serving %s", new.folder)
            self._current, old = new, current
            self._graphs = None
            self._retired.append(old)
            await self._retire_idle()

    async def _retire_idle(self) -> None:
        for version in list(self._retired):
            if version.active == 0:
                self._retired.remove(version)
                await version.pool.close()
                if version.is_snapshot:
                    remove_snapshot(version.folder)

    async def submit(self, request: Request) -> Reply:
        """Run one request on the current version (it keeps that version to the end)."""
        version = self._current
        if version is None:
            raise StoreError("the endpoint is not started")
        version.active += 1
        try:
            return await version.pool.submit(request)
        finally:
            version.active -= 1
            if version is not self._current and version.active == 0:
                await self._retire_idle()

    async def named_graphs(self) -> list[str]:
        """IRIs of the named graphs of the version being served (cached per version)."""
        if self._graphs is None:
            reply = await self.submit(Request("", op="graphs"))
            body = reply.body.decode("utf-8")
            self._graphs = body.split("\n") if body else []
        return self._graphs

    @property
    def worker_pids(self) -> list[int]:
        """Process ids of every live worker (all versions)."""
        versions = ([self._current] if self._current else []) + self._retired
        return sorted(pid for v in versions for pid in v.pool.pids)

    @property
    def serving(self) -> Path | None:
        """The folder being served (a snapshot, unless snapshots are off)."""
        return self._current.folder if self._current else None

    async def close(self) -> None:
        """Stop watching, kill every worker and delete the snapshots."""
        if self._watch is not None:
            self._watch.cancel()
            self._watch = None
        versions = ([self._current] if self._current else []) + self._retired
        self._current, self._retired = None, []
        for version in versions:
            await version.pool.close()
            if version.is_snapshot:
                remove_snapshot(version.folder)
