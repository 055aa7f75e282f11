"""``kg extract`` and ``kg inspect``: plan files to records, and a look at what was found."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

if TYPE_CHECKING:
    from rich.console import Console

    from extract.model import PlanDocument, Record, Section

__all__ = ["register", "OutputFormat"]


class OutputFormat(StrEnum):
    """What ``kg extract`` prints on stdout."""

    JSON = "json"
    TEXT = "text"


def register(app: typer.Typer) -> None:
    """Add ``kg extract`` and ``kg inspect`` to the root app."""
    app.command("extract")(extract_command)
    app.command("inspect")(inspect_command)


def _err() -> Console:
    from rich.console import Console

    return Console(stderr=True, highlight=False, soft_wrap=True)  # one message, one line


def extract_command(
    paths: Annotated[list[Path], typer.Argument(
        help="Plan files (.txt .docx .pdf .html) or directories of them.",
        show_default=False)],
    output: Annotated[OutputFormat, typer.Option(
        "--format", help="json: one record per line (JSON Lines, the interchange format); "
                         "text: a short summary per document.")] = OutputFormat.JSON,
    with_text: Annotated[bool, typer.Option(
        "--with-text", help="Add the normalised text to each record (key `text`), so that "
                            "text[start:end] is every mention.")] = False,
    jobs: Annotated[int, typer.Option(
        "--jobs", "-j", min=1, help="Worker processes; the output is the same for any "
                                    "number.")] = 1,
) -> None:
    """Extract plan documents into records: metadata, sections, tables, entities,
    indicator targets and relations, one JSON object per document on stdout.

    A directory means every plan file in it, in name order. A file that cannot be read is
    reported at the end and the others go on; the exit code is then 2.

    Example: kg extract data/ -j 2 > records.jsonl
    """
    if jobs > 1:
        from extract.workers import start_server

        start_server()  # imports spaCy for the workers while this process lists and reads
    from rich.markup import escape
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

    from extract.batch import Failure, extract_lines, extract_paths, plan_files

    err = _err()
    files = plan_files(paths)
    failures: list[Failure] = []
    with Progress(TextColumn("extracting"), BarColumn(), MofNCompleteColumn(),
                  TextColumn("{task.description}"), console=err, transient=True,
                  disable=not err.is_terminal) as progress:
        names = [escape(Path(f).name) for f in files] + [""]
        task = progress.add_task(names[0], total=len(files))
        # JSON: the records come already serialised (by the workers, with -j)
        run = extract_lines if output is OutputFormat.JSON else extract_paths
        for done, (_path, result) in enumerate(
                run(files, jobs=jobs, with_text=with_text), start=1):
            progress.update(task, advance=1, description=names[done])  # the next file
            if isinstance(result, Failure):
                failures.append(result)
                continue
            for warning in result.warnings:
                if warning.startswith("not a plan document"):
                    err.print(f"[yellow]warning:[/] {escape(result.source)}: "
                              f"{escape(warning)}")
            if output is OutputFormat.JSON:
                typer.echo(result.line)
            else:
                typer.echo(_summary(result))
    for failure in failures:
        err.print(f"[bold red]error:[/] {escape(failure.message)}")
    if failures:
        err.print(f"{len(failures)} of {len(files)} file(s) failed")
        raise typer.Exit(code=2)


def _summary(record: Record) -> str:
    md = record.metadata
    years = f"{md.start_year}–{md.end_year}" if md.start_year else "?"
    lines = [
        f"{record.doc_id}  {md.title or '(no title)'}",
        f"  region {md.region or '?'} ({md.admin_level or '?'}), period {md.period or '?'} "
        f"{years}, {md.doc_number or 'no 文号'}, issued {md.issue_date or '?'}",
        f"  {len(record.sections)} sections, {len(record.tables)} tables, "
        f"{len(record.boxes)} 专栏, {len(record.entities)} entities, "
        f"{len(record.indicators)} indicator rows, {len(record.relations)} relations",
    ]
    lines.extend(f"  warning: {w}" for w in record.warnings)
    return "\n".join(lines)


def inspect_command(
    path: Annotated[Path, typer.Argument(help="One plan file (.txt .docx .pdf .html).",
                                         show_default=False)],
    rows: Annotated[int, typer.Option(
        "--rows", min=0, help="Rows shown per table (0: all).")] = 12,
) -> None:
    """Show what PolicyKG finds in a plan file: its metadata, the tree of sections and
    专栏 boxes, and every table with its rows.

    Example: kg inspect data/004_7f774147c20b4d40.txt
    """
    from rich.console import Console
    from rich.markup import escape

    from extract.batch import structure_document
    from extract.read import read

    plan = structure_document(read(path))
    render(plan, Console(highlight=False), rows=rows)
    err = _err()
    for warning in (*plan.document.warnings, *plan.warnings):
        err.print(f"[yellow]warning:[/] {escape(str(path))}: {escape(warning)}")


def render(plan: PlanDocument, console: Console, *, rows: int = 12) -> None:
    """Print a plan's metadata panel, section tree and tables with Rich."""
    from rich.markup import escape
    from rich.panel import Panel
    from rich.table import Table
    from rich.tree import Tree

    doc = plan.document
    md = plan.metadata
    grid = Table.grid(padding=(0, 2))
    grid.add_column(style="bold")
    grid.add_column()
    for name in ("title", "region", "parent_regions", "admin_level", "period", "start_year",
                 "end_year", "doc_number", "issuer", "issue_date"):
        value = getattr(md, name)
        if isinstance(value, tuple):
            value = " › ".join(value) if value else None
        grid.add_row(name, "[dim]null[/]" if value is None else escape(str(value)))
    kind = doc.format if doc.encoding == doc.format else f"{doc.format}, {doc.encoding}"
    grid.add_row("file", escape(f"{doc.source} ({kind}, {len(doc.text):,} chars, "
                                f"sha256 {doc.sha256[:12]}…)"))
    console.print(Panel(grid, title="metadata", expand=False))

    tree = Tree(f"[bold]{escape(md.title or doc.doc_id)}[/]")
    nodes: dict[str | None, Tree] = {None: tree}
    for section in plan.sections:
        parent = nodes.get(section.parent, tree)
        nodes[section.id] = parent.add(_section_label(section))
    box_sections = {s.start: nodes[s.id] for s in plan.sections if s.kind == "box"}
    for box in plan.boxes:
        node = box_sections.get(box.start)  # the section tree may hold the box already
        if node is None:
            node = nodes.get(box.section, tree).add(
                f"[magenta]{escape(box.label)}[/] {escape(box.title)} "
                f"[dim]{box.start}–{box.end}[/]")
        for item in box.items:
            node.add(f"{escape(item.number)} {escape(item.title)}")
    console.print(tree)

    for table in plan.tables:
        title = " ".join(x for x in (table.label, table.title) if x) or table.id
        t = Table(title=escape(title), caption=escape(" ".join(n.text for n in table.notes))
                  or None, show_lines=False, title_justify="left")
        width = max([len(table.columns)] + [len(r.cells) for r in table.rows])
        columns = list(table.columns) + [""] * (width - len(table.columns))
        has_category = any(r.category for r in table.data_rows)
        if has_category:
            t.add_column("category", style="cyan")
        for c in columns:
            t.add_column(escape(c))
        shown = table.data_rows if rows == 0 else table.data_rows[:rows]
        for r in shown:
            cells = [escape(c.text) for c in r.cells]
            cells += [""] * (width - len(cells))
            t.add_row(*(([escape(r.category or "")] if has_category else []) + cells))
        if len(shown) < len(table.data_rows):
            t.add_row(*([""] * (width + has_category - 1)),
                      f"[dim]… {len(table.data_rows) - len(shown)} more rows[/]")
        console.print(t)


def _section_label(section: Section) -> str:
    from rich.markup import escape

    return (f"[bold]{escape(section.number)}[/] {escape(section.title)} "
            f"[dim]{section.kind} {section.start}–{section.end}[/]")
