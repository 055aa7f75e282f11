"""``kg export`` and ``kg push``: the graph into other formats, databases and servers."""

from __future__ import annotations

import contextlib
import os
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from kg.export import ExportFormat

if TYPE_CHECKING:
    from rich.console import Console

__all__ = ["register"]

_STORE_HELP = "Store folder written by `kg build`."
_PLANS_HELP = ("Only these plans (document id, plan IRI or graph IRI; repeat the option or "
               "separate with commas). The shared graphs (canonical labels, ontology) always "
               "go along.")


def register(app: typer.Typer) -> None:
    """Add ``kg export`` and ``kg push`` to the root app."""
    app.command("export")(export_command)
    app.command("push")(push_command)


def _err() -> Console:
    from rich.console import Console

    return Console(stderr=True, highlight=False)


def _plans(values: list[str] | None) -> list[str] | None:
    plans = [p.strip() for v in values or () for p in v.split(",") if p.strip()]
    return plans or None


def export_command(
    fmt: Annotated[ExportFormat, typer.Option(
        "--format", "-f", help="turtle, trig, ntriples, nquads, jsonld (RDF); graphml, gexf "
                               "(files); neo4j, ladybug (directories).",
        show_default=False)],
    out: Annotated[Path, typer.Option(
        "--out", "-o", help="The file (or directory, for neo4j and ladybug) to write; "
                            "replaced all-or-nothing.", show_default=False)],
    plans: Annotated[list[str] | None, typer.Option("--plans", help=_PLANS_HELP)] = None,
    store: Annotated[Path, typer.Option("--store", help=_STORE_HELP)] = Path("policykg.store"),
) -> None:
    """Export the graph: RDF with its named graphs (TriG, N-Quads, JSON-LD) or merged
    (Turtle, N-Triples); GraphML and GEXF for networkx and Gephi; a Neo4j directory
    (neo4j-admin CSVs, a cypher-shell script, n10s Turtle); a LadybugDB database.

    Example: kg export --format trig --out policykg.trig
    """
    from rich.markup import escape

    from kg.api import open as open_graph
    from kg.export import export, get_exporter

    err = _err()
    exporter = get_exporter(fmt.value)
    with open_graph(store) as graph, \
            err.status(f"exporting {escape(str(store))} as {fmt.value}", spinner="dots") \
            if err.is_terminal else contextlib.nullcontext():
        result = export(graph, out, format=exporter.name, plans=_plans(plans))
    counts = ", ".join(f"{v} {k}" for k, v in result.counts.items())
    err.print(f"wrote {escape(str(result.path))} ({exporter.description}): {counts}",
              soft_wrap=True)


def push_command(
    endpoint: Annotated[str, typer.Option(
        "--endpoint", help="The server's SPARQL 1.1 Graph Store Protocol URL (Oxigraph: "
                           "http://HOST:PORT/store; Fuseki: http://HOST:PORT/DATASET/data).",
        show_default=False)],
    plans: Annotated[list[str] | None, typer.Option("--plans", help=_PLANS_HELP)] = None,
    store: Annotated[Path, typer.Option("--store", help=_STORE_HELP)] = Path("policykg.store"),
    user: Annotated[str | None, typer.Option(
        "--user", help="HTTP basic-auth user; the password is read from the environment "
                       "variable POLICYKG_PUSH_PASSWORD.")] = None,
    timeout: Annotated[float, typer.Option(
        "--timeout", min=0.1, help="Seconds to wait for the server on each graph.")] = 60.0,
) -> None:
    """Push every plan graph (and the canonical and ontology graphs) to a SPARQL server:
    one HTTP PUT per named graph, so pushing again replaces instead of duplicating.

    Prints one line per graph on stdout: graph IRI, triples, HTTP status. Exit code 2 if
    the server refused any graph.

    Example: kg push --endpoint http://127.0.0.1:7878/store
    """
    from rich.markup import escape
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

    from kg.api import open as open_graph
    from kg.push import push

    err = _err()
    with open_graph(store) as graph, Progress(
            TextColumn("pushing"), BarColumn(), MofNCompleteColumn(), console=err,
            transient=True, disable=not err.is_terminal) as progress:
        task = progress.add_task("", total=None)

        def advance(name: str, done: int, total: int) -> None:
            progress.update(task, completed=done, total=total)

        report = push(graph, endpoint, plans=_plans(plans), user=user,
                      password=os.environ.get("POLICYKG_PUSH_PASSWORD"), timeout=timeout,
                      progress=advance)
    for g in report.graphs:
        typer.echo(f"{g.graph or '(default graph)'}\t{g.triples}\t{g.status}")
    for g in report.failures:
        err.print(f"[bold red]error:[/] {escape(g.graph)}: {escape(g.error or '')}")
    total = sum(g.triples for g in report.graphs if g.ok)
    err.print(f"pushed {len(report.graphs) - len(report.failures)} of {len(report.graphs)} "
              f"graph(s), {total} triples, to {escape(endpoint)}")
    if not report.ok:
        raise typer.Exit(code=2)

