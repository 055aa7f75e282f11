"""``kg eval``: score extraction against gold labels (precision, recall, F1, exact rows)."""

from __future__ import annotations

import json
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

if TYPE_CHECKING:
    from rich.console import Console

    from kg.evaluate import DocumentEvaluation, Evaluation

__all__ = ["register", "OutputFormat", "render", "markdown", "error_lines"]


class OutputFormat(StrEnum):
    TABLE = "table"
    JSON = "json"
    MARKDOWN = "markdown"


def register(app: typer.Typer) -> None:
    """Add ``kg eval`` to the root app."""
    app.command("eval")(eval_command)


def eval_command(
    files: Annotated[list[Path] | None, typer.Argument(
        help="Plan files or directories, or .jsonl/.json records from "
             "`kg extract --format json`. "
             "Default: the embedded corpus (data/).", show_default=False)] = None,
    gold: Annotated[Path | None, typer.Option(
        "--gold", help="Folder of gold label files (*.json). Default: ../shared/gold "
                       "beside the checkout.", show_default=False)] = None,
    output: Annotated[OutputFormat, typer.Option(
        "--format", help="table: Rich tables; json: one JSON object; markdown: the "
                         "tables of docs/QUALITY.md.")] =
        OutputFormat.TABLE,
    errors: Annotated[bool, typer.Option(
        "--errors/--no-errors", help="List misses, false positives and wrong fields.")] = True,
) -> None:
    """Score extraction against gold labels: precision, recall and F1 per entity type,
    indicator-row exact-match rate (target and past tables), metadata accuracy; per
    document and micro-averaged.

    A plan that cannot be read is reported, the others scored, and the exit code is 2.

    Example: kg eval --gold ../shared/gold data/
    """
    from rich.console import Console

    from kg.evaluate import evaluate_paths

    err = Console(stderr=True, highlight=False)
    with err.status("extracting and scoring…") as status:
        result = evaluate_paths(
            [str(f) for f in files or ()], gold_dir=gold,
            progress=lambda name: status.update(f"extracting and scoring {name}…"))
    if output is OutputFormat.JSON:
        typer.echo(json.dumps(result.to_json(), ensure_ascii=False, sort_keys=True, indent=1))
    elif output is OutputFormat.MARKDOWN:
        typer.echo(markdown(result, errors=errors), nl=False)
    else:
        render(result, Console(highlight=False), errors=errors)
    if result.unscored:
        err.print(f"not scored (no gold labels): {', '.join(result.unscored)}")
    if result.missing:
        err.print(f"gold labels without a record: {', '.join(result.missing)}")
    if result.failed:
        from rich.markup import escape

        for name, message in result.failed:
            err.print(f"[bold red]error:[/] {escape(name)}: {escape(message)}")
        raise typer.Exit(code=2)


def _short(doc_id: str) -> str:
    return doc_id if len(doc_id) <= 12 else doc_id[:11] + "…"


def _pct(x: float) -> str:
    return f"{100 * x:.1f}"


def render(result: Evaluation, console: Console, *, errors: bool = True) -> None:
    """Print the scores of ``result`` as Rich tables."""
    from rich.markup import escape
    from rich.table import Table

    from kg.evaluate import ENTITY_LISTS, INDICATOR_FIELDS, METADATA_FIELDS

    docs = result.documents
    t = Table(title="Entities, micro-averaged over documents")
    for col in ("type", "P %", "R %", "F1 %", "TP", "FP", "FN", "dup"):
        t.add_column(col, justify="left" if col == "type" else "right")
    for etype in ENTITY_LISTS:
        m = result.entity(etype)
        t.add_row(etype, _pct(m.precision), _pct(m.recall), _pct(m.f1), str(m.tp), str(m.fp),
                  str(m.fn), str(m.duplicates))
    console.print(t)

    t = Table(title="Entity F1 (%) per document")
    t.add_column("document")
    for etype in ENTITY_LISTS:
        t.add_column(etype, justify="right")
    for d in docs:
        t.add_row(d.doc_id, *(_pct(d.entity(e).f1) for e in ENTITY_LISTS))
    console.print(t)

    t = Table(title="Indicator rows (exact = name, value, comparator, cumulative, unit, "
                    "attribute)")
    for col in ("kind", "document", "gold", "pred", "matched", "exact", "exact %", "P %",
                "R %"):
        t.add_column(col, justify="left" if col in ("kind", "document") else "right")
    for kind in ("target", "past"):
        for label, s in [*((_short(d.doc_id), d.indicator(kind)) for d in docs),
                         ("micro", result.indicator(kind))]:
            t.add_row(kind, label, str(s.gold), str(s.predicted), str(s.matched),
                      str(s.exact), _pct(s.exact_rate), _pct(s.precision), _pct(s.recall),
                      style="bold" if label == "micro" else None)
    console.print(t)

    t = Table(title="Indicator field accuracy over matched rows (%), micro")
    t.add_column("field")
    t.add_column("target", justify="right")
    t.add_column("past", justify="right")
    for f in INDICATOR_FIELDS:
        t.add_row(f, _pct(result.indicator("target").field_accuracy(f)),
                  _pct(result.indicator("past").field_accuracy(f)))
    console.print(t)

    t = Table(title="Metadata accuracy (%)")
    t.add_column("field")
    for d in docs:
        t.add_column(_short(d.doc_id), justify="right")
    t.add_column("micro", justify="right", style="bold")
    for f in METADATA_FIELDS:
        t.add_row(f, *(_pct(d.metadata.field_accuracy(f)) for d in docs),
                  _pct(result.micro_metadata.field_accuracy(f)))
    t.add_row("all", *(_pct(d.metadata.accuracy) for d in docs),
              _pct(result.micro_metadata.accuracy), style="bold")
    console.print(t)

    if not errors:
        return
    for d in docs:
        lines = error_lines(d)
        if lines:
            console.print(f"[bold]{escape(d.doc_id)}[/]")
            for line in lines:
                console.print("  " + escape(line), soft_wrap=True)


def error_lines(doc: DocumentEvaluation) -> list[str]:
    """One line per kind of error in a document: misses, false positives, entities found
    twice, wrong fields."""
    lines: list[str] = []
    for etype, es in doc.entities:
        if es.misses:
            lines.append(f"{etype} missed: {'、'.join(es.misses)}")
        if es.false_positives:
            lines.append(f"{etype} false positives: {'、'.join(es.false_positives)}")
        if es.duplicated:  # a second entity for a gold item already found: not merged
            lines.append(f"{etype} found twice: {'、'.join(es.duplicated)}")
    for kind, ks in doc.indicators:
        if ks.misses:
            lines.append(f"{kind} rows missed: {'、'.join(ks.misses)}")
        if ks.false_positives:
            lines.append(f"{kind} rows not in gold: {'、'.join(ks.false_positives)}")
        lines += [f"{kind} row {m.name}: {m.field} {m.predicted!r} ≠ gold {m.gold!r}"
                  for m in ks.mismatches]
    lines += [f"metadata {m.field}: {m.predicted!r} ≠ gold {m.gold!r}"
              for m in doc.metadata.mismatches]
    return lines


def markdown(result: Evaluation, *, errors: bool = True) -> str:
    """The scores of ``result`` as Markdown tables (what docs/QUALITY.md shows)."""
    from kg.evaluate import ENTITY_LISTS, INDICATOR_FIELDS, METADATA_FIELDS

    def table(head: list[str], rows: list[list[str]]) -> list[str]:
        out = ["| " + " | ".join(head) + " |",
               "|" + "|".join("---" if i == 0 else "---:" for i in range(len(head))) + "|"]
        out += ["| " + " | ".join(r) + " |" for r in rows]
        return [*out, ""]

    docs = result.documents
    lines = ["### Entities (micro-average over documents)", ""]
    lines += table(["type", "P %", "R %", "F1 %", "TP", "FP", "FN", "duplicates"],
                   [[t, _pct(s.precision), _pct(s.recall), _pct(s.f1), str(s.tp), str(s.fp),
                     str(s.fn), str(s.duplicates)]
                    for t, s in ((t, result.entity(t)) for t in ENTITY_LISTS)])
    lines += ["### Entity F1 % per document", ""]
    lines += table(["document", *ENTITY_LISTS],
                   [[d.doc_id, *(_pct(d.entity(t).f1) for t in ENTITY_LISTS)] for d in docs])
    lines += ["### Indicator rows", "",
              "Exact = name, target value, comparator, cumulative, unit and attribute all "
              "right; exact % = exact rows / gold rows.", ""]
    rows = []
    for kind in ("target", "past"):
        for label, s in [*((d.doc_id, d.indicator(kind)) for d in docs),
                         ("micro", result.indicator(kind))]:
            rows.append([kind, label, str(s.gold), str(s.predicted), str(s.matched),
                         str(s.exact), _pct(s.exact_rate), _pct(s.precision), _pct(s.recall)])
    lines += table(["kind", "document", "gold", "predicted", "matched", "exact", "exact %",
                    "P %", "R %"], rows)
    lines += ["### Indicator field accuracy over matched rows (micro, %)", ""]
    lines += table(["field", "target", "past"],
                   [[f, _pct(result.indicator("target").field_accuracy(f)),
                     _pct(result.indicator("past").field_accuracy(f))]
                    for f in INDICATOR_FIELDS])
    lines += ["### Metadata accuracy (%)", ""]
    lines += table(["field", *(d.doc_id for d in docs), "micro"],
                   [[f, *(_pct(d.metadata.field_accuracy(f)) for d in docs),
                     _pct(result.micro_metadata.field_accuracy(f))] for f in METADATA_FIELDS]
                   + [["all", *(_pct(d.metadata.accuracy) for d in docs),
                       _pct(result.micro_metadata.accuracy)]])
    if errors:
        lines += ["### Misses and false positives", ""]
        for d in docs:
            items = [f"- {line}" for line in error_lines(d)]
            lines += [f"**{d.doc_id}**", "", *(items or ["- none"]), ""]
    return "\n".join(lines)
