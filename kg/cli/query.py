"""``kg query``: run a library query, a ``.rq`` file or inline SPARQL on the store."""

from __future__ import annotations

import contextlib
import sys
from pathlib import Path
from typing import Annotated, Optional

import typer

__all__ = ["register"]

_FORMATS = ("table", "csv", "tsv", "json", "xml", "turtle", "ntriples")


def query_command(
    name: Annotated[Optional[str], typer.Argument(
        help="A library query's name (see --list) or a .rq file.", show_default=False)] = None,
    expression: Annotated[Optional[str], typer.Option(
        "-e", "--expression", help="SPARQL text to run instead of a named query.")] = None,
    param: Annotated[Optional[list[str]], typer.Option(
        "--param", "-p", help="NAME=VALUE for a query parameter; repeat for several values."
    )] = None,
    fmt: Annotated[str, typer.Option(
        "--format", "-f", help=f"Output format: {', '.join(_FORMATS)}.")] = "table",
    store: Annotated[Path, typer.Option("--store", help="Store folder written by `kg build`.")
                     ] = Path("policykg.store"),
    union: Annotated[bool, typer.Option(
        "--union/--no-union",
        help="Patterns outside GRAPH match every graph (the store's default graph is empty).")
    ] = True,
    list_: Annotated[bool, typer.Option("--list", help="List the library's queries.")] = False,
) -> None:
    """Ask the graph a question in SPARQL; the answer goes to stdout.

    Examples: kg query --list ·
    kg query programs_per_plan --format csv ·
    kg query entity_mentions --param name=春晖 ·
    kg query -e 'SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }'
    """
    from rich.console import Console

    from kg import query as q

    out = Console(highlight=False, soft_wrap=True)
    err = Console(stderr=True, highlight=False)
    if list_:
        library = q.load_library().values()
        if not out.is_terminal:  # piped: one tab-separated line per query
            for item in library:
                params = " ".join(f"{p.name}{'' if p.required else '?'}" for p in item.params)
                sys.stdout.write(f"{item.name}\t{item.title}\t{params}\n")
            return
        from rich.table import Table

        table = Table("name", "title", "parameters", show_lines=False)
        for item in library:
            params = " ".join(f"{p.name}{'' if p.required else '?'}" for p in item.params)
            table.add_row(item.name, item.title, params)
        out.print(table)
        return
    if fmt not in _FORMATS:
        raise typer.BadParameter(f"{fmt!r}: use one of {', '.join(_FORMATS)}",
                                 param_hint="--format")
    if (name is None) == (expression is None):
        raise typer.BadParameter("give a query NAME or FILE, or -e 'SPARQL' (one of them)",
                                 param_hint="NAME")
    query = expression if expression is not None else q.find_query(name or "")
    params = q.param_pairs(param or [])
    if fmt != "table":  # fail on a bad format before opening the store
        q.ResultFormat(fmt)
    with err.status("querying…") if err.is_terminal else contextlib.nullcontext():
        st = q.open_store(store)
        result = q.run_query(st, query, params=params, use_default_graph_as_union=union)
        if fmt == "table":
            header, rows = q.result_table(result)
        else:
            data = q.serialize_result(result, fmt)
    if fmt != "table":
        sys.stdout.buffer.write(data)
        if data and not data.endswith(b"\n"):
            sys.stdout.buffer.write(b"\n")
        sys.stdout.flush()
        return
    from rich.markup import escape
    from rich.table import Table

    table = Table(*[escape(h) for h in header], show_lines=False)
    for row in rows:
        table.add_row(*[escape(c) for c in row])
    out.print(table)
    err.print(f"{len(rows)} row{'s' if len(rows) != 1 else ''}")


def register(app: typer.Typer) -> None:
    """Add ``kg query`` to the CLI."""
    app.command("query")(query_command)
