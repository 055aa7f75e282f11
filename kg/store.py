"""The on-disk Oxigraph store: atomic replacement of named graphs, build records, a build lock."""

from __future__ import annotations

import contextlib
import errno
import fcntl
import logging
import os
import queue
import threading
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from kg.errors import StoreError, StoreLockedError
from kg.vocab import PKG, RDF

if TYPE_CHECKING:
    import pyoxigraph as ox

__all__ = ["PlanVersion", "GraphStore", "GraphWriter", "build_lock", "LOCK_FILE", "open_oxigraph"]

log = logging.getLogger(__name__)

#: The lock file a build holds inside the store directory.
LOCK_FILE = "policykg.lock"


def _is_lock_error(exc: OSError) -> bool:
    text = str(exc)
    return "LOCK" in text and ("lock" in text.lower() or "Resource temporarily" in text)


def _explain(path: Path, exc: OSError, doing: str) -> StoreError:
    """Turn an OSError of RocksDB or the file system into a StoreError that says what to do."""
    text = str(exc)
    if _is_lock_error(exc):
        return StoreLockedError(
            f"store {path} is in use by another process (a build, `kg serve` or a notebook "
            "holding it open); wait for it to finish or close it, or use another --store")
    low = text.lower()
    if getattr(exc, "errno", None) == errno.ENOSPC or "no space" in low:
        return StoreError(f"store {path}: no space left on the device while {doing}; nothing "
                          "was written (writes are all-or-nothing): free space and run again")
    if getattr(exc, "errno", None) in (errno.EROFS, errno.EACCES, errno.EPERM) or \
            "read-only" in low or "permission denied" in low:
        return StoreError(f"store {path} cannot be written ({text.strip()}) while {doing}; "
                          "the store is unchanged: make the directory writable or use "
                          "another --store")
    return StoreError(f"store {path}: {doing} failed ({text.strip()}); the store is "
                      "unchanged; if it is damaged, delete the directory and build again")


def open_oxigraph(path: str | Path, *, read_only: bool = False,
                  create: bool = True) -> ox.Store:
    """Open a pyoxigraph store on disk, with PolicyKG's error messages.

    Raises
    ------
    kg.errors.StoreLockedError
        When another process holds the store.
    kg.errors.StoreError
        When the directory is missing (and ``create`` is false), read-only or damaged.
    """
    import pyoxigraph as ox

    p = Path(path)
    if not create and not p.is_dir():
        raise StoreError(f"store {p} does not exist; build it first: kg build --store {p}")
    if p.exists() and not p.is_dir():
        raise StoreError(f"store {p} is a file, not a store directory; give a directory")
    try:
        return ox.Store.read_only(str(p)) if read_only else ox.Store(str(p))
    except OSError as exc:
        raise _explain(p, exc, "opening it") from None


@dataclass(frozen=True, slots=True)
class PlanVersion:
    """The build record of one plan graph: what file version and build made it."""

    doc_id: str
    graph: str
    plan: str
    sha256: str
    build_key: str


_VERSIONS = f"""
SELECT ?g ?plan ?doc ?sha ?key WHERE {{
  GRAPH ?g {{ ?plan <{RDF.type}> <{PKG.Plan}> ; <{PKG.docId}> ?doc ; <{PKG.sha256}> ?sha ;
            <{PKG.buildKey}> ?key }}
}}"""


class GraphStore:
    """A PolicyKG store: a pyoxigraph store on disk plus the operations a build needs.

    Use as a context manager; the underlying pyoxigraph store is ``.ox``.

    Parameters
    ----------
    path : the store directory (created if missing unless ``create`` is false).
    read_only : open without write access (several readers may share a store).
    create : create the directory if it does not exist.
    """

    def __init__(self, path: str | Path, *, read_only: bool = False,
                 create: bool = True) -> None:
        self.path = Path(path)
        self.read_only = read_only
        self.ox = open_oxigraph(self.path, read_only=read_only, create=create)
        self._dirty = False

    def __enter__(self) -> GraphStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Release the store (and RocksDB's lock), flushing it if this object wrote."""
        store = getattr(self, "ox", None)
        if store is None:
            return
        # Every write is a committed RocksDB transaction (in its write-ahead log), so a
        # killed process loses nothing; flushing after writes spares the next opener a
        # replay of that log (0.5 s for the five seeds).
        if self._dirty:
            with contextlib.suppress(OSError):
                store.flush()
        self.ox = None  # type: ignore[assignment]
        del store

    # ------------------------------------------------------------------ reading
    def plan_versions(self) -> dict[str, PlanVersion]:
        """The build record of every plan graph, by doc_id."""
        out: dict[str, PlanVersion] = {}
        for row in self.ox.query(_VERSIONS):
            v = PlanVersion(doc_id=row["doc"].value, graph=row["g"].value,
                            plan=row["plan"].value, sha256=row["sha"].value,
                            build_key=row["key"].value)
            out[v.doc_id] = v
        return out

    def graph_quads(self, graph: str) -> list[ox.Quad]:
        """Every quad of one named graph."""
        import pyoxigraph as ox

        return list(self.ox.quads_for_pattern(None, None, None, ox.NamedNode(graph)))

    def literal(self, graph: str, subject: str, predicate: str) -> str | None:
        """The value of one literal (first found), or ``None``."""
        import pyoxigraph as ox

        for q in self.ox.quads_for_pattern(ox.NamedNode(subject), ox.NamedNode(predicate),
                                           None, ox.NamedNode(graph)):
            return q.object.value
        return None

    # ------------------------------------------------------------------ writing
    def replace_graph(self, graph: str, quads: Iterable[ox.Quad], *,
                      also_drop: Iterable[str] = ()) -> None:
        """Replace named graph ``graph`` by ``quads`` in ONE transaction: a crash leaves the
        old graph or the new one, never a mix. ``also_drop`` names graphs dropped in the
        same transaction (a plan's graph under a previous base IRI).

        A new graph is written with ``Store.extend``, an existing one by one SPARQL update
        (``DROP`` + ``INSERT DATA``). Both store typed literals in canonical form
        (``"1.50"^^xsd:decimal`` becomes ``"1.5"``), so a graph's bytes do not depend on
        which path wrote it.

        Raises
        ------
        kg.errors.StoreError
            When the write fails (disk full, read-only …); the store is unchanged.
        """
        import pyoxigraph as ox

        g = ox.NamedNode(graph)
        quads = list(quads)
        for q in quads:
            if q.graph_name != g:
                raise ValueError(f"quad {q} is not in graph {graph}")
        self._dirty = True
        drops = [ox.NamedNode(d) for d in also_drop if d != graph]
        drops = [d for d in drops if self.ox.contains_named_graph(d)]
        try:
            if not drops and not self.ox.contains_named_graph(g):
                self.ox.extend(quads)  # all-or-nothing; the graph did not exist before
                return
            body = "\n".join(f"{q.subject} {q.predicate} {q.object} ." for q in quads)
            ops = [f"DROP SILENT GRAPH {d}" for d in (*drops, g)]
            ops.append(f"INSERT DATA {{ GRAPH {g} {{\n{body}\n}} }}")
            self.ox.update(" ;\n".join(ops))
        except OSError as exc:
            raise _explain(self.path, exc, f"writing graph {graph}") from None

    def drop_graphs(self, graphs: Iterable[str]) -> None:
        """Drop several named graphs in one transaction."""
        import pyoxigraph as ox

        ops = [f"DROP SILENT GRAPH {ox.NamedNode(g)}" for g in graphs]
        if not ops:
            return
        self._dirty = True
        try:
            self.ox.update(" ;\n".join(ops))
        except OSError as exc:
            raise _explain(self.path, exc, "dropping graphs") from None


class GraphWriter:
    """Replaces named graphs of a :class:`GraphStore` in a background thread, one
    transaction each, in the order submitted.

    pyoxigraph releases the GIL while it writes, so the caller can build the next plan's
    graph (or extract the next file) while this one is written. At most ``depth`` graphs
    wait in the queue, which bounds the memory held. A write that fails stops the writer:
    the error is raised by the next :meth:`submit` or by :meth:`close`, and nothing
    submitted after the failed graph is written. Leaving the ``with`` block waits for the
    writes under way, so no write outlives the build.

    Examples
    --------
    >>> with GraphStore(path) as gs, GraphWriter(gs) as writer:  # doctest: +SKIP
    ...     writer.submit("doc-1", graph_iri, quads)
    ...     done = writer.finished()  # keys whose graph is in the store
    """

    def __init__(self, store: GraphStore, *, depth: int = 1) -> None:
        self._store = store
        self._queue: queue.Queue[tuple[str, str, list[ox.Quad], tuple[str, ...]] | None] = \
            queue.Queue(maxsize=depth)
        self._done: deque[str] = deque()
        self._error: BaseException | None = None  # the failed write's, until raised
        self._broken = False  # a write failed: later ones are dropped
        self._closed = False
        self._thread = threading.Thread(target=self._run, name="policykg-graph-writer",
                                        daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while (item := self._queue.get()) is not None:
            if self._broken:
                continue  # drain without writing: the build is failing
            key, graph, quads, also_drop = item
            try:
                self._store.replace_graph(graph, quads, also_drop=also_drop)
            except BaseException as exc:  # noqa: BLE001 - handed to the submitting thread
                self._error, self._broken = exc, True
            else:
                self._done.append(key)

    def _raise(self) -> None:
        if self._error is not None:
            error, self._error = self._error, None
            raise error
        if self._broken:
            raise StoreError("an earlier graph write failed; nothing more is written")

    def submit(self, key: str, graph: str, quads: list[ox.Quad], *,
               also_drop: Iterable[str] = ()) -> None:
        """Queue ``quads`` to replace ``graph`` (see :meth:`GraphStore.replace_graph`);
        ``key`` comes back from :meth:`finished` once the graph is written. Blocks while
        the queue is full; raises the error of an earlier write that failed."""
        if self._closed:
            raise RuntimeError("the graph writer is closed")
        self._raise()
        self._queue.put((key, graph, quads, tuple(also_drop)))

    def finished(self) -> list[str]:
        """The keys of the graphs written since the last call, in order."""
        out = []
        while self._done:
            out.append(self._done.popleft())
        return out

    def close(self) -> None:
        """Wait for the queued writes; raise the error of one that failed."""
        if not self._closed:
            self._closed = True
            self._queue.put(None)
            self._thread.join()
        if self._error is not None:
            error, self._error = self._error, None
            raise error

    def __enter__(self) -> GraphWriter:
        return self

    def __exit__(self, exc_type: object, *exc: object) -> None:
        if exc_type is None:
            self.close()
            return
        # the build is failing already: wait for the writer, keep the first error
        with contextlib.suppress(BaseException):
            self.close()


@contextlib.contextmanager
def build_lock(path: str | Path, *, wait: bool = True,
               on_wait: Callable[[str], None] | None = None) -> Iterator[None]:
    """Hold the build lock of store ``path`` (a file lock, released if the process dies).

    Parameters
    ----------
    path : the store directory (created if missing).
    wait : when another build holds the lock, wait for it (``on_wait`` is told once);
        otherwise raise at once.
    on_wait : called with a message when the lock is busy and we wait.

    Raises
    ------
    kg.errors.StoreLockedError
        When another build holds the lock and ``wait`` is false.
    kg.errors.StoreError
        When the directory cannot be created or written.
    """
    p = Path(path)
    try:
        p.mkdir(parents=True, exist_ok=True)
        fd = os.open(p / LOCK_FILE, os.O_RDWR | os.O_CREAT, 0o644)
    except OSError as exc:
        raise _explain(p, exc, "taking the build lock") from None
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.pread(fd, 32, 0).decode("ascii", "replace").strip() or "?"
            msg = (f"store {p} is being built by another process (pid {holder})")
            if not wait:
                raise StoreLockedError(f"{msg}; wait for it to finish, or run without "
                                       "--no-wait to wait for it") from None
            if on_wait:
                on_wait(f"{msg}; waiting for it to finish …")
            log.info("%s; waiting", msg)
            fcntl.flock(fd, fcntl.LOCK_EX)
        with contextlib.suppress(OSError):
            os.ftruncate(fd, 0)
            os.pwrite(fd, str(os.getpid()).encode("ascii"), 0)
        yield
    finally:
        with contextlib.suppress(OSError):
            fcntl.flock(fd, fcntl.LOCK_UN)
        os.close(fd)
