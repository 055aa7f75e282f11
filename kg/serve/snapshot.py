"""Private, consistent snapshots of an Oxigraph store for serving while builds replace graphs.

Opening a store read-only while another process writes it is undefined behaviour
(pyoxigraph's ``Store.read_only``), so the endpoint never serves the live folder: it takes a
snapshot when no writer holds the store — SST files hard-linked (RocksDB never changes
them), the manifest, write-ahead logs and options copied — checks that nothing changed
while it copied, and serves that. Every answer then comes from one complete build.
"""

from __future__ import annotations

import fcntl
import logging
import os
import shutil
import struct
import tempfile
from pathlib import Path

from kg.errors import StoreError, StoreLockedError

__all__ = ["store_locked", "store_stamp", "take_snapshot", "remove_snapshot"]

log = logging.getLogger(__name__)

_FLOCK = struct.Struct("hhqqi")  # struct flock: l_type l_whence l_start l_len l_pid
_FLOCK_SIZE = 32
# RocksDB's info log and lock file, and the build lock of kg.store, carry no data
_VOLATILE = ("LOG", "LOCK", "policykg.lock")
_BUILD_LOCK = "policykg.lock"  # kg.store.LOCK_FILE: flock()ed by `kg build` while it runs


def _build_running(path: Path) -> bool:
    try:
        fd = os.open(path / _BUILD_LOCK, os.O_RDONLY)
    except FileNotFoundError:
        return False
    try:
        fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)  # released at once below
    except BlockingIOError:
        return True
    finally:
        os.close(fd)
    return False


def store_locked(path: str | Path) -> bool:
    """True when a process writes the store: a ``kg build`` runs, or RocksDB's ``LOCK`` is held.

    RocksDB's lock is tested without taking it (``F_GETLK``); the build lock is taken
    shared for an instant, which a build starting then simply waits out.
    """
    if _build_running(Path(path)):
        return True
    lock = Path(path) / "LOCK"
    try:
        fd = os.open(lock, os.O_RDONLY)
    except FileNotFoundError:
        return False
    try:
        probe = _FLOCK.pack(fcntl.F_WRLCK, os.SEEK_SET, 0, 0, 0).ljust(_FLOCK_SIZE, b"\0")
        answer = fcntl.fcntl(fd, fcntl.F_GETLK, probe)
        return _FLOCK.unpack(answer[:_FLOCK.size])[0] != fcntl.F_UNLCK
    finally:
        os.close(fd)


def store_stamp(path: str | Path) -> tuple[tuple[str, int, int], ...]:
    """Names, sizes and modification times of the store's data files: changes on any write."""
    p = Path(path)
    out = []
    for entry in os.scandir(p):
        if entry.name.startswith(_VOLATILE) or not entry.is_file():
            continue
        st = entry.stat()
        out.append((entry.name, st.st_size, st.st_mtime_ns))
    return tuple(sorted(out))


def _copy(src: Path, dest: Path) -> None:
    for entry in sorted(os.scandir(src), key=lambda e: e.name):
        if entry.name.startswith(_VOLATILE) or not entry.is_file():
            continue
        target = dest / entry.name
        if entry.name.endswith(".sst") or entry.name.endswith(".blob"):
            try:
                os.link(entry.path, target)
                continue
            except OSError:
                pass
        shutil.copy2(entry.path, target)


def take_snapshot(path: str | Path, *, into: str | Path | None = None) -> tuple[Path, tuple]:
    """Copy a store that no process is writing into a fresh private folder.

    Parameters
    ----------
    path : str or Path
        The store folder (as written by ``kg build``).
    into : str or Path, optional
        Parent folder for the snapshot; beside the store by default (so SST files can be
        hard-linked), the system temporary folder when that is not writable.

    Returns
    -------
    tuple of (Path, stamp)
        The snapshot folder and the store's :func:`store_stamp` it was taken at.

    Raises
    ------
    StoreError
        When ``path`` holds no store.
    StoreLockedError
        When a writer holds the store, or wrote to it while the snapshot was copied
        (try again once it is done).
    """
    src = Path(path)
    if not (src / "CURRENT").is_file():
        raise StoreError(f"{src}: no graph store there; build one with `kg build` or pass "
                         "--store DIR")
    if store_locked(src):
        raise StoreLockedError(f"{src}: another process (a `kg build`?) is writing the store; "
                               "it will be served once that process is done")
    before = store_stamp(src)
    parents = [Path(into)] if into is not None else [src.parent, Path(tempfile.gettempdir())]
    dest = None
    for parent in parents:
        try:
            dest = Path(tempfile.mkdtemp(prefix=f".{src.name}.snapshot-", dir=parent))
            break
        except OSError:
            continue
    if dest is None:
        raise StoreError(f"{src}: cannot create a snapshot folder in {parents[0]}")
    try:
        _copy(src, dest)
    except OSError as exc:
        shutil.rmtree(dest, ignore_errors=True)
        raise StoreError(f"{src}: cannot copy the store into a snapshot ({exc})") from None
    if store_locked(src) or store_stamp(src) != before:
        shutil.rmtree(dest, ignore_errors=True)
        raise StoreLockedError(f"{src}: the store changed while it was being copied; "
                               "it will be served once the writer is done")
    log.info("snapshot of %s in %s", src, dest)
    return dest, before


def remove_snapshot(folder: str | Path) -> None:
    """Delete a snapshot folder made by :func:`take_snapshot`."""
    shutil.rmtree(folder, ignore_errors=True)
