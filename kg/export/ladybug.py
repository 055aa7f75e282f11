"""LadybugDB export: a database with a node table per class and a rel table per relation.

LadybugDB (PyPI ``ladybug``) is an embedded property-graph database queried with Cypher.
The export writes the projection as CSV files, creates the schema (``iri`` is every node
table's primary key; a rel table lists every FROM/TO pair of labels it connects) and loads
each file with ``COPY FROM``. The output directory holds the database file
``policykg.lbug``, the CSV files and ``schema.cypher`` (the DDL and COPY statements, which
rebuild the database from the CSVs when run from that directory).
"""

from __future__ import annotations

import logging
import re
import time
from collections import defaultdict
from collections.abc import Sequence
from pathlib import Path

import pyoxigraph as ox

from kg.errors import ExportError
from kg.export import ExportResult
from kg.export._common import atomic_dir, csv_bytes
from kg.export.cypher import ident
from kg.export.propgraph import PropertyGraph, PropType, Value, project

__all__ = ["write_ladybug", "schema_statements", "copy_statements", "write_csvs",
           "load_csvs", "DATABASE_FILE", "LADYBUG_TYPES"]

log = logging.getLogger(__name__)

#: The database file inside the export directory.
DATABASE_FILE = "policykg.lbug"

#: Property type → LadybugDB column type.
LADYBUG_TYPES: dict[PropType, str] = {
    PropType.STRING: "STRING", PropType.INT: "INT64", PropType.FLOAT: "DOUBLE",
    PropType.BOOLEAN: "BOOLEAN", PropType.DATE: "DATE", PropType.STRING_LIST: "STRING[]",
}

# A list element LadybugDB's CSV list syntax takes verbatim: "[p1,p2]" (no quoting exists).
_PLAIN_ELEMENT = re.compile(r"[A-Za-z0-9_.:/#-]+")


def schema_statements(graph: PropertyGraph) -> list[str]:
    """``CREATE NODE TABLE`` per label and ``CREATE REL TABLE`` per edge type.

    Examples
    --------
    >>> from kg.export.propgraph import Node
    >>> g = PropertyGraph(nodes=(Node("a", "Plan", (("iri", "a"),)),), edges=(),
    ...                   node_schema={"Plan": {"iri": PropType.STRING}})
    >>> schema_statements(g)
    ['CREATE NODE TABLE `Plan`(`iri` STRING, PRIMARY KEY(`iri`));']
    """
    out = []
    for label, schema in graph.node_schema.items():
        columns = ", ".join(f"{ident(k)} {LADYBUG_TYPES[t]}" for k, t in schema.items())
        out.append(f"CREATE NODE TABLE {ident(label)}({columns}, PRIMARY KEY({ident('iri')}));")
    for kind, pairs in graph.endpoints().items():
        ends = ", ".join(f"FROM {ident(a)} TO {ident(b)}" for a, b in pairs)
        props = "".join(f", {ident(k)} {LADYBUG_TYPES[t]}"
                        for k, t in graph.edge_schema[kind].items())
        out.append(f"CREATE REL TABLE {ident(kind)}({ends}{props});")
    return out


def _cell(value: Value | None) -> str:
    if value is None:
        return ""
    if isinstance(value, tuple):
        bad = [v for v in value if not _PLAIN_ELEMENT.fullmatch(v)]
        if bad:
            raise ExportError(f"list value {bad[0]!r} cannot be written in LadybugDB's CSV "
                              "list syntax (letters, digits and _.:/#- only)")
        return "[" + ",".join(value) + "]"
    if isinstance(value, bool):
        return "true" if value else "false"
    return repr(value) if isinstance(value, float) else str(value)




def write_csvs(graph: PropertyGraph, folder: Path) -> list[tuple[str, str, dict[str, str]]]:
    """Write one CSV per label and per (edge type, source label, target label) into ``folder``.

    Returns
    -------
    list of (table, file name relative to ``folder``, COPY options)
        In loading order: node tables first.
    """
    folder.mkdir(parents=True, exist_ok=True)
    loads: list[tuple[str, str, dict[str, str]]] = []
    by_label: dict[str, list] = defaultdict(list)
    for n in graph.nodes:
        by_label[n.label].append(n)
    for label, nodes in sorted(by_label.items()):
        schema = list(graph.node_schema[label])
        rows = ([_cell(dict(n.properties).get(k)) for k in schema] for n in nodes)
        name = f"node_{label}.csv"
        (folder / name).write_bytes(csv_bytes(schema, rows))
        loads.append((label, name, {}))
    label_of = {n.id: n.label for n in graph.nodes}
    by_rel: dict[tuple[str, str, str], list] = defaultdict(list)
    for e in graph.edges:
        by_rel[(e.type, label_of[e.source], label_of[e.target])].append(e)
    for (kind, src, dst), edges in sorted(by_rel.items()):
        schema = list(graph.edge_schema[kind])
        rows = ([e.source, e.target] + [_cell(dict(e.properties).get(k)) for k in schema]
                for e in edges)
        name = f"rel_{kind}__{src}__{dst}.csv"
        (folder / name).write_bytes(csv_bytes(["from", "to", *schema], rows))
        loads.append((kind, name, {"from": src, "to": dst}))
    return loads


def copy_statements(loads: list[tuple[str, str, dict[str, str]]], folder: Path | str) -> list[str]:
    """``COPY table FROM "file" (...)`` for each CSV of :func:`write_csvs`.

    ``parallel=false`` because quoted fields may hold newlines.
    """
    out = []
    for table, name, options in loads:
        opts = ", ".join(["header=true", "parallel=false",
                          *(f'{k}="{v}"' for k, v in options.items())])
        path = str(Path(folder) / name).replace("\\", "/").replace('"', '\\"')
        out.append(f'COPY {ident(table)} FROM "{path}" ({opts});')
    return out


def _connect(path: Path):  # noqa: ANN202 - ladybug types stay internal
    try:
        import ladybug
    except ImportError:
        raise ExportError("the LadybugDB export needs the Python package ladybug: "
                          "pip install ladybug") from None
    database = ladybug.Database(str(path))
    return database, ladybug.Connection(database)


def load_csvs(database_path: Path, statements: list[str]) -> float:
    """Run DDL and COPY ``statements`` in a new database at ``database_path``; seconds taken."""
    started = time.perf_counter()
    database, connection = _connect(database_path)
    try:
        for statement in statements:
            try:
                connection.execute(statement)
            except RuntimeError as exc:
                raise ExportError(f"{database_path}: LadybugDB refused {statement[:120]!r}: "
                                  f"{exc}") from None
    finally:
        connection.close()
        database.close()
    return time.perf_counter() - started


def write_ladybug(store: ox.Store, out: Path, *, plans: Sequence[str] | None = None,
                  graph: PropertyGraph | None = None) -> ExportResult:
    """Create a LadybugDB database of the projection of ``store`` in the directory ``out``.

    Parameters
    ----------
    store : pyoxigraph.Store
        The graph store.
    out : Path
        The directory to create (replaced as a whole, all-or-nothing); the database is
        ``out / "policykg.lbug"``.
    plans : sequence of str, optional
        Only these plans (and the shared graphs).
    graph : PropertyGraph, optional
        An already computed projection of ``store``.

    Returns
    -------
    ExportResult
        ``counts`` has ``nodes`` and ``edges``.

    Examples
    --------
    >>> import ladybug, pyoxigraph as ox, tempfile, pathlib
    >>> out = pathlib.Path(tempfile.mkdtemp()) / "lbug"
    >>> write_ladybug(ox.Store(), out).files
    ('policykg.lbug', 'schema.cypher')
    """
    pg = graph if graph is not None else project(store, plans=plans)
    out = Path(out).absolute()
    try:
        with atomic_dir(out, format="ladybug") as tmp:
            loads = write_csvs(pg, tmp / "csv")
            ddl = schema_statements(pg)
            load_csvs(tmp / DATABASE_FILE, ddl + copy_statements(loads, tmp / "csv"))
            (tmp / "schema.cypher").write_text(
                "// Rebuild policykg.lbug from the CSVs: run from this directory.\n"
                + "\n".join(ddl + copy_statements(loads, "csv")) + "\n", encoding="utf-8")
            written = sorted(str(p.relative_to(tmp)) for p in tmp.rglob("*") if p.is_file())
    except OSError as exc:
        raise ExportError(f"{out}: cannot write the LadybugDB export: {exc}") from None
    counts = {"nodes": len(pg.nodes), "edges": len(pg.edges)}
    log.info("wrote %s (%s)", out, counts)
    return ExportResult(format="ladybug", path=out, counts=counts, files=tuple(written))
