"""``kg serve``: the read-only SPARQL endpoint and browsing UI over a store."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

__all__ = ["register"]


def serve_command(
    store: Annotated[Path, typer.Option("--store", help="Store folder written by `kg build`.")
                     ] = Path("policykg.store"),
    host: Annotated[str, typer.Option(help="Address to listen on (loopback by default).")
                    ] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="TCP port.")] = 7878,
    workers: Annotated[int, typer.Option(
        help="Query worker processes (queries running at once); 0: one per CPU, at least 2."
    )] = 0,
    timeout: Annotated[float, typer.Option(
        help="Time limit of one query in seconds; the query is stopped past it.")] = 30.0,
    max_result_bytes: Annotated[int, typer.Option(
        help="Largest result a query may return, in bytes.")] = 64 * 1024 * 1024,
    max_body_bytes: Annotated[int, typer.Option(
        help="Largest request body, in bytes (413 past it).")] = 1024 * 1024,
    union_default_graph: Annotated[bool, typer.Option(
        "--union-default-graph",
        help="Queries see the union of all graphs as their default graph.")] = False,
    reload_interval: Annotated[float, typer.Option(
        help="Seconds between checks for a rebuilt store (0: never reload).")] = 2.0,
) -> None:
    """Serve a store: SPARQL 1.1 endpoint at /sparql, browsing UI at /.

    The endpoint is read-only (UPDATE, LOAD and SERVICE are refused). It serves a private
    snapshot of the store and switches to a new one when `kg build` changes the store.

    Example: kg serve --store policykg.store --port 7878
    """
    from rich.console import Console
    from rich.markup import escape

    from kg.serve import serve

    if not 0 < port < 65536:
        raise typer.BadParameter(f"{port} is not a TCP port", param_hint="--port")
    if timeout <= 0:
        raise typer.BadParameter("must be positive", param_hint="--timeout")
    err = Console(stderr=True, highlight=False)

    def ready(url: str) -> None:
        err.print(f"serving {escape(str(store))} on {url} (SPARQL endpoint: {url}sparql); "
                  "Ctrl+C stops")

    serve(store, host=host, port=port, workers=workers or None, timeout_s=timeout,
          max_result_bytes=max_result_bytes, max_body_bytes=max_body_bytes,
          union_default_graph=union_default_graph, reload_interval_s=reload_interval,
          on_ready=ready)


def register(app: typer.Typer) -> None:
    """Add ``kg serve`` to the CLI."""
    app.command("serve")(serve_command)
