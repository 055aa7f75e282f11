"""``kg viz``, ``kg report`` and ``kg compare``: browse and compare the plans of a store."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

__all__ = ["register"]

_STORE_HELP = "The graph store made by `kg build`."
_DEFAULT_STORE = Path("policykg.store")
_PLANS_HELP = ("Plans to include: doc id, region, or part of the title; repeat the option or "
               "separate with commas. Default: every plan in the store.")


class GraphKind(StrEnum):
    BIPARTITE = "bipartite"
    COOCCURRENCE = "cooccurrence"
    SIMILARITY = "similarity"


class SummaryFormat(StrEnum):
    TABLE = "table"
    JSON = "json"


def _names(values: list[str] | None) -> list[str] | None:
    if not values:
        return None
    out = [v.strip() for value in values for v in value.split(",") if v.strip()]
    return out or None


def _console():
    from rich.console import Console

    return Console(stderr=True, highlight=False)


def viz(
    out: Annotated[Path, typer.Option("--out", "-o", help="The HTML page to write.")],
    store: Annotated[Path, typer.Option("--store", "-s", help=_STORE_HELP)] = _DEFAULT_STORE,
    plans: Annotated[list[str] | None, typer.Option("--plans", "-p", help=_PLANS_HELP)] = None,
    types: Annotated[list[str] | None, typer.Option(
        "--types", "-t", help="Entity types to show (Program, TargetGroup, Theme, Indicator, "
        "PolicyDocument, Institution, Event, Region); repeat or separate with commas.")] = None,
    graph: Annotated[GraphKind, typer.Option(
        "--graph", help="bipartite: plans and what they mention; cooccurrence: items joined "
        "when a plan mentions both; similarity: plans joined by Jaccard similarity.")
    ] = GraphKind.BIPARTITE,
    min_weight: Annotated[float, typer.Option(
        "--min-weight", help="cooccurrence: keep pairs named together by at least this many "
        "plans; similarity: keep pairs at least this similar.")] = 0.0,
    title: Annotated[str, typer.Option(help="Page heading.")] = "PolicyKG 规划图谱",
) -> None:
    """Write an offline, interactive graph page (vis-network inlined; opens from file://).

    Example: kg viz --plans 十四五 --types Program,TargetGroup --out graph.html
    """
    from kg.analysis import (bipartite_graph, cooccurrence_graph, load_facts, similarity,
                             similarity_graph)
    from kg.analysis.facts import ENTITY_TYPES
    from viz.graph import write_graph_page

    wanted = _names(types)
    if wanted:
        unknown = sorted(set(wanted) - set(ENTITY_TYPES))
        if unknown:
            raise typer.BadParameter(f"unknown type(s) {', '.join(unknown)}; expected some of "
                                     f"{', '.join(ENTITY_TYPES)}", param_hint="--types")
    console = _console()
    with console.status("reading the store …"):
        facts = load_facts(store, plans=_names(plans), targets=graph is not GraphKind.SIMILARITY)
    if graph is GraphKind.SIMILARITY:
        matrix = similarity(facts)
        g = similarity_graph(matrix, threshold=min_weight,
                             labels=[facts.plan(p).short for p in matrix.plans])
        g.graph["plans"] = {p.key: p.title for p in facts.plans}
    elif graph is GraphKind.COOCCURRENCE:
        g = cooccurrence_graph(facts, types=wanted, min_plans=max(1, int(min_weight)))
    else:
        g = bipartite_graph(facts, types=wanted)
    path = write_graph_page(g, out, title=title)
    console.print(f"wrote {path} ({g.number_of_nodes()} nodes, {g.number_of_edges()} edges)")


def report(
    out: Annotated[Path, typer.Option("--out", "-o", help="The HTML report to write.")],
    store: Annotated[Path, typer.Option("--store", "-s", help=_STORE_HELP)] = _DEFAULT_STORE,
    plans: Annotated[list[str] | None, typer.Option("--plans", "-p", help=_PLANS_HELP)] = None,
    k: Annotated[int, typer.Option("-k", min=2, help="An item is shared when at least k "
                                   "plans mention it.")] = 2,
    pdf: Annotated[bool, typer.Option("--pdf", help="Also print the report to a PDF beside "
                                      "it (needs Debian's chromium).")] = False,
    charts_dir: Annotated[Path | None, typer.Option(
        "--charts", help="Also write the charts as PNG and SVG into this folder.")] = None,
    embed_charts: Annotated[bool, typer.Option(
        "--embed-charts", help="Embed the matplotlib charts in the report too (slower; the "
        "heatmap and bars are in the page anyway).")] = False,
    title: Annotated[str | None, typer.Option(help="Report title.")] = None,
) -> None:
    """Write the comparison report: per-plan summary, shared and divergent themes, programs
    and target groups, the indicator table, the similarity heatmap; every claim linked to
    its source sentence.

    Example: kg report --out report.html --pdf
    """
    from kg.analysis import compare
    from viz.report import write_charts, write_pdf, write_report

    console = _console()
    with console.status("comparing the plans …"):
        comparison = compare(store, plans=_names(plans), k=k)
    with console.status("writing the report …"):
        path = write_report(comparison, out, title=title, charts=embed_charts)
    console.print(f"wrote {path} ({len(comparison.facts.plans)} plans)")
    if charts_dir is not None:
        written = write_charts(comparison, charts_dir)
        console.print(f"wrote {len(written)} chart files into {charts_dir}")
    if pdf:
        with console.status("printing the PDF …"):
            pdf_path = write_pdf(path, path.with_suffix(".pdf"))
        console.print(f"wrote {pdf_path}")


def compare_cmd(
    store: Annotated[Path, typer.Option("--store", "-s", help=_STORE_HELP)] = _DEFAULT_STORE,
    plans: Annotated[list[str] | None, typer.Option("--plans", "-p", help=_PLANS_HELP)] = None,
    k: Annotated[int, typer.Option("-k", min=2, help="An item is shared when at least k "
                                   "plans mention it.")] = 2,
    fmt: Annotated[SummaryFormat, typer.Option("--format", "-f", help="table (for people) "
                                               "or json (for programs).")] = SummaryFormat.TABLE,
) -> None:
    """Print what the plans share and how similar they are.

    Example: kg compare --format json | jq '.similar_pairs[0]'
    """
    import json

    from kg.analysis import compare

    comparison = compare(store, plans=_names(plans), k=k)
    summary = comparison.summary()
    if fmt is SummaryFormat.JSON:
        typer.echo(json.dumps(summary, ensure_ascii=False, sort_keys=True, indent=1))
        return
    from rich.console import Console
    from rich.table import Table

    out = Console(highlight=False)
    plans_table = Table(title="plans")
    for col in ("plan", "region", "period", "programs", "target groups", "themes",
                "indicator targets"):
        plans_table.add_column(col)
    for key, row in summary["plans"].items():
        items = row["items"]
        plans_table.add_row(key, row["region"] or "—", row["period"] or "—",
                            str(items.get("Program", 0)),
                            str(items.get("TargetGroup", 0)), str(items.get("Theme", 0)),
                            str(row["targets"]))
    out.print(plans_table)
    shared = Table(title=f"shared by at least {k} plans")
    shared.add_column("type")
    shared.add_column("items")
    for kind, rows in summary["shared"].items():
        shared.add_row(kind, "、".join(f"{r['label']} ({len(r['plans'])})" for r in rows) or "—")
    out.print(shared)
    pairs = Table(title="most similar plans (Jaccard)")
    for col in ("plan", "plan", "similarity"):
        pairs.add_column(col)
    region = {key: row["region"] or key for key, row in summary["plans"].items()}
    for p in summary["similar_pairs"][:10]:
        pairs.add_row(region[p["a"]], region[p["b"]], f"{p['jaccard']:.3f}")
    out.print(pairs)


def register(app: typer.Typer) -> None:
    """Add ``viz``, ``report`` and ``compare`` to the ``kg`` app."""
    app.command("viz")(viz)
    app.command("report")(report)
    app.command("compare")(compare_cmd)
