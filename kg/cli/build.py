"""``kg build``, ``kg validate``, ``kg stats``, ``kg resolve``: make and check the graph."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer

__all__ = ["register"]

_STORE_HELP = "Store folder (an Oxigraph store on disk)."


def _err():
    from rich.console import Console

    return Console(stderr=True, highlight=False)


class _LazyBar:
    """``kg build``'s progress bar, shown from the first plan that has to be built: a
    rebuild with nothing changed prints its lines without loading or drawing a bar."""

    def __init__(self, console) -> None:
        self.console = console
        self.total: int | None = None
        self._progress = None
        self._task = None

    def update(self, *, show: bool = False, **fields) -> None:
        if self._progress is None:
            if not show:
                return
            from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, \
                TimeElapsedColumn

            self._progress = Progress(TextColumn("{task.description}"), BarColumn(),
                                      MofNCompleteColumn(), TimeElapsedColumn(),
                                      console=self.console, transient=True)
            self._task = self._progress.add_task("building", total=self.total)
            self._progress.start()
        self._progress.update(self._task, **fields)

    def print(self, message: str) -> None:
        (self._progress.console if self._progress else self.console).print(message)

    def __enter__(self) -> _LazyBar:
        return self

    def __exit__(self, *exc: object) -> None:
        if self._progress is not None:
            self._progress.stop()


def build_command(
    paths: Annotated[Optional[list[Path]], typer.Argument(
        help="Plan files or folders; none: the embedded corpus of five plans.",
        show_default=False)] = None,
    store: Annotated[Path, typer.Option("--store", help=_STORE_HELP)] = Path("policykg.store"),
    base: Annotated[str, typer.Option("--base", help="Base IRI of the graph's nodes.")
                    ] = "https://policykg.org/",
    prune: Annotated[bool, typer.Option(
        "--prune", help="Drop the graphs of plans whose file is not among PATHS.")] = False,
    no_wait: Annotated[bool, typer.Option(
        "--no-wait", help="Fail at once if another build holds the store.")] = False,
    force: Annotated[bool, typer.Option(
        "--force", help="Rebuild every plan, even unchanged ones.")] = False,
    records: Annotated[bool, typer.Option(
        "--records", help="PATHS are JSON Lines of extraction records "
                          "(kg extract --format json --with-text), not plan files.")] = False,
) -> None:
    """Build the knowledge graph: one named graph per plan, replaced atomically; files whose
    sha256 is unchanged are skipped.

    Example: kg build data/ --store policykg.store
    """
    from rich.markup import escape

    from kg.api import build
    from kg.graph import build_records, read_records

    err = _err()
    bar = _LazyBar(err)

    def progress(stage: str, name: str, done: int, total: int) -> None:
        short = escape(Path(name).name)
        if stage == "start":
            bar.total = total
        elif stage == "skip":
            bar.print(f"[dim]unchanged[/] {short} (same sha256): skipped")
            bar.update(completed=done)
        elif stage in ("extract", "write"):
            bar.update(description=f"{'extracting' if stage == 'extract' else 'writing'}"
                                   f" {short}", completed=done, show=True)
        elif stage == "built":  # told once written, which may lag the plan being made
            bar.print(f"[green]built[/] {short}")
        elif stage == "fail":
            bar.update(completed=done)
        elif stage == "prune":
            bar.update(description=f"pruning {short}")
        elif stage == "canonical":
            bar.update(description="updating the canonical graph", completed=total)

    def on_wait(message: str) -> None:
        err.print(f"[yellow]{escape(message)}[/]")

    with bar:
        if records:
            if not paths:
                raise typer.BadParameter("give the JSON Lines files to read", param_hint="PATHS")
            recs, bad = read_records(paths)
            report = build_records(recs, store=store, base=base, prune=prune,
                                   wait=not no_wait, force=force, progress=progress,
                                   on_wait=on_wait, failed=bad)
        else:
            report = build(paths or None, store=store, base=base, prune=prune,
                           wait=not no_wait, force=force, progress=progress,
                           on_wait=on_wait)
    for name, message in report.failed:
        err.print(f"[bold red]failed[/] {escape(name)}: {escape(message)}")
    for doc in report.pruned:
        err.print(f"[yellow]pruned[/] {escape(doc)}")
    if report.stale:
        err.print(f"[dim]{len(report.stale)} plan graph(s) in the store have no file in this "
                  "build (kept; --prune drops them)[/]")
    err.print(f"{len(report.built)} built, {len(report.skipped)} unchanged, "
              f"{len(report.failed)} failed, {report.quads} quads written to "
              f"{escape(str(store))} in {report.seconds:.2f} s")
    if report.failed:
        raise typer.Exit(code=1)


def validate_command(
    store: Annotated[Path, typer.Option("--store", help=_STORE_HELP)] = Path("policykg.store"),
) -> None:
    """Check the store against the SHACL shapes (plan graph by plan graph) and the
    whole-store rules; exit 1 if anything is violated.

    Example: kg validate --store policykg.store
    """
    from collections import defaultdict

    from rich.markup import escape

    from kg.store import GraphStore
    from kg.validate import validate_store

    err = _err()
    with GraphStore(store, create=False) as gs:
        report = validate_store(gs)
    if report.conforms and not report.violations:
        err.print(f"[green]conforms[/]: {report.graphs} plan graph(s) of {escape(str(store))}, "
                  "0 violations")
        return
    groups: dict[tuple[str, str, str], list] = defaultdict(list)
    for v in report.violations:
        groups[(v.graph, v.message, v.path or "")].append(v)
    for (graph, message, path), vs in sorted(groups.items()):
        where = f" on {path}" if path else ""
        err.print(f"[bold red]{vs[0].severity}[/] in {escape(graph)}: {escape(message)}"
                  f"{escape(where)} ({len(vs)} node(s))")
        for v in vs[:5]:
            value = f" value {v.value!r}" if v.value is not None else ""
            err.print(f"    {escape(v.focus)}{escape(value)}")
        if len(vs) > 5:
            err.print(f"    … and {len(vs) - 5} more")
    n = sum(1 for v in report.violations if v.severity == "Violation")
    err.print(f"{n} violation(s), {len(report.violations) - n} warning(s) in "
              f"{report.graphs} plan graph(s)")
    if not report.conforms:
        raise typer.Exit(code=1)


def stats_command(
    store: Annotated[Path, typer.Option("--store", help=_STORE_HELP)] = Path("policykg.store"),
    json_: Annotated[bool, typer.Option("--json", help="Print JSON instead of tables.")
                     ] = False,
) -> None:
    """Counts per class and per plan.

    Example: kg stats --store policykg.store
    """
    import dataclasses
    import json

    from rich.console import Console
    from rich.table import Table

    from kg.api import open as open_graph

    with open_graph(store) as g:
        stats = g.stats()
    out = Console(highlight=False)
    if json_:
        print(json.dumps(dataclasses.asdict(stats), ensure_ascii=False, sort_keys=True,
                         indent=1))
        return
    t = Table("class", "nodes", title=f"{stats.quads} quads in {stats.graphs} graphs")
    for cls, n in stats.classes.items():
        t.add_row(cls, str(n))
    out.print(t)
    short = {"Program": "prog", "Event": "event", "Institution": "inst",
             "PolicyDocument": "policy", "TargetGroup": "group", "Theme": "theme",
             "Region": "region", "Indicator": "indic", "IndicatorTarget": "target",
             "IndicatorResult": "result", "Relation": "rel", "Mention": "mention",
             "Section": "section"}
    cols = sorted({k for p in stats.plans for k in p} - {"doc_id", "title", "graph", "Plan"},
                  key=lambda c: (list(short).index(c) if c in short else 99, c))
    t = Table("plan", *(short.get(c, c) for c in cols),
              caption=", ".join(f"{v} = {k}" for k, v in short.items() if k in cols))
    for p in stats.plans:
        t.add_row(f"{p['title']}\n[dim]{p['doc_id']}[/]", *(str(p.get(c, 0)) for c in cols))
    out.print(t)


def resolve_command(
    paths: Annotated[Optional[list[Path]], typer.Argument(
        help="Plan files or folders; none: the embedded corpus.", show_default=False)] = None,
    report: Annotated[bool, typer.Option(
        "--report", help="List every merge and every split with its reason.")] = True,
    json_: Annotated[bool, typer.Option("--json", help="Print JSON Lines.")] = False,
) -> None:
    """Show how names across plans were resolved to one node each (cross-plan resolution).

    Example: kg resolve --report
    """
    import json

    from rich.console import Console
    from rich.markup import escape

    from extract.batch import Failure, extract_paths
    from kg.graph import plan_files
    from kg.resolve import resolution_report

    err = _err()
    records = []
    for path, rec in extract_paths(plan_files(paths or None)):
        if isinstance(rec, Failure):
            err.print(f"[bold red]failed[/] {escape(rec.message)}")
            continue
        records.append(rec)
    rep = resolution_report(records)
    if json_:
        for m in rep.merges:
            print(json.dumps({"merge": m.kind.value, "key": m.key,
                              "names": [{"name": n, "doc_id": d, "reasons": list(r)}
                                        for n, d, r in m.names]}, ensure_ascii=False))
        for a in rep.apart:
            print(json.dumps({"apart": a.kind.value, "name": a.name,
                              "keys": [{"key": k, "doc_id": d} for k, d in a.keys]},
                             ensure_ascii=False))
        return
    out = Console(highlight=False, soft_wrap=True)
    if report:
        for m in rep.merges:
            out.print(f"[bold]merge[/] {m.kind.value} [cyan]{escape(m.key)}[/]")
            for name, doc, reasons in m.names:
                why = "; ".join(reasons) or "same name"
                out.print(f"    {escape(name)}  [dim]{escape(doc)}[/]  ← {escape(why)}")
        for a in rep.apart:
            out.print(f"[bold]kept apart[/] {a.kind.value} [cyan]{escape(a.name)}[/]")
            for key, doc in a.keys:
                out.print(f"    {escape(key)}  [dim]{escape(doc)}[/]")
    for kind, (names, nodes) in rep.counts.items():
        err.print(f"{kind}: {names} distinct names → {nodes} nodes")


def register(app: typer.Typer) -> None:
    """Add ``build``, ``validate``, ``stats`` and ``resolve`` to the ``kg`` app."""
    app.command("build")(build_command)
    app.command("validate")(validate_command)
    app.command("stats")(stats_command)
    app.command("resolve")(resolve_command)
