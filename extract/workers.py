"""Where ``kg extract -j N`` worker processes come from.

Workers are forked from a fork server that has imported spaCy and registered PolicyKG's
components once (``multiprocessing``'s ``forkserver``: the server starts clean, with none of
the parent's threads or locks), so each worker starts ready to build its pipeline instead of
importing spaCy again. Where there is no fork server (Windows) workers are spawned, and
each imports spaCy itself.

Importing spaCy is most of a worker's start-up (≈ 0.5 s), so :func:`start_server` lets a
caller start the server first and do its own work (parse arguments, list, read and
structure files) while the server imports.
"""

from __future__ import annotations

import multiprocessing
from multiprocessing.context import BaseContext

__all__ = ["worker_context", "start_server"]

_PRELOAD = ["extract.components"]


def worker_context() -> BaseContext:
    """The multiprocessing context worker pools use: ``forkserver`` with spaCy preloaded,
    else ``spawn``."""
    if "forkserver" in multiprocessing.get_all_start_methods():
        context = multiprocessing.get_context("forkserver")
        context.set_forkserver_preload(_PRELOAD)
        return context
    return multiprocessing.get_context("spawn")


def start_server() -> None:
    """Start the fork server now (it imports spaCy in the background); the first worker
    pool would otherwise start it and wait. Does nothing without a fork server, or when
    the server is already running."""
    context = worker_context()
    if context.get_start_method() == "forkserver":
        from multiprocessing import forkserver

        forkserver.ensure_running()
