"""Neo4j export: neo4j-admin import CSVs, a cypher-shell script, and Turtle for n10s.

One directory, three routes into Neo4j (docs/export.md gives the commands):

* ``nodes/<Label>.csv`` + ``relationships/<TYPE>.csv`` and ``import.sh`` for
  ``neo4j-admin database import full`` (the fastest route, into an empty database);
* ``policykg.cypher`` for ``cypher-shell -f`` (constraints first, then batched ``UNWIND``);
* ``n10s/policykg.ttl`` and ``n10s/load.cypher`` for the neosemantics RDF importer, which
  keeps the RDF model instead of the property-graph projection.
"""

from __future__ import annotations

import logging
import shlex
from collections import defaultdict
from collections.abc import Sequence
from pathlib import Path

import pyoxigraph as ox

from kg.errors import ExportError
from kg.export import ExportResult
from kg.export._common import atomic_dir, csv_bytes, ontology_prefixes
from kg.export.cypher import script_lines
from kg.export.propgraph import PropertyGraph, PropType, Value, project
from kg.export.rdf import write_rdf

__all__ = ["write_neo4j", "node_header", "edge_header", "ARRAY_DELIMITER", "NEO4J_TYPES"]

log = logging.getLogger(__name__)

#: neo4j-admin's default array delimiter; ``import.sh`` passes it explicitly.
ARRAY_DELIMITER = ";"

#: Property type → neo4j-admin header type.
NEO4J_TYPES: dict[PropType, str] = {
    PropType.STRING: "string", PropType.INT: "long", PropType.FLOAT: "double",
    PropType.BOOLEAN: "boolean", PropType.DATE: "date", PropType.STRING_LIST: "string[]",
}


def node_header(label: str, schema: dict[str, PropType]) -> list[str]:
    """The header of a node file: ``iri:ID``, typed properties, ``:LABEL``.

    Examples
    --------
    >>> node_header("Plan", {"iri": PropType.STRING, "startYear": PropType.INT})
    ['iri:ID', 'startYear:long', ':LABEL']
    """
    return ["iri:ID"] + [f"{name}:{NEO4J_TYPES[kind]}" for name, kind in schema.items()
                         if name != "iri"] + [":LABEL"]


def edge_header(schema: dict[str, PropType]) -> list[str]:
    """The header of a relationship file: ``:START_ID``, ``:END_ID``, ``:TYPE``, properties.

    Examples
    --------
    >>> edge_header({"plan": PropType.STRING, "start": PropType.INT})
    [':START_ID', ':END_ID', ':TYPE', 'plan:string', 'start:long']
    """
    return [":START_ID", ":END_ID", ":TYPE"] + [
        f"{name}:{NEO4J_TYPES[kind]}" for name, kind in schema.items()]


def _cell(value: Value | None) -> str:
    if value is None:
        return ""  # an empty field: no property
    if isinstance(value, tuple):
        bad = [v for v in value if ARRAY_DELIMITER in v]
        if bad:
            raise ExportError(f"list value {bad[0]!r} contains the neo4j-admin array "
                              f"delimiter {ARRAY_DELIMITER!r}; it cannot be imported as is")
        return ARRAY_DELIMITER.join(value)
    if isinstance(value, bool):
        return "true" if value else "false"
    return repr(value) if isinstance(value, float) else str(value)




def _file_name(name: str) -> str:
    return name + ".csv"  # labels and types are identifiers already (propgraph._ident)


def _import_script(node_files: list[str], edge_files: list[str]) -> str:
    args = [f"--nodes={f}" for f in node_files] + [f"--relationships={f}" for f in edge_files]
    lines = [
        "#!/bin/sh",
        "# Load this export into a Neo4j 5 database with neo4j-admin (the database must be",
        "# stopped, and is replaced). Usage: sh import.sh [DATABASE]   (default: neo4j)",
        "set -eu",
        'cd "$(dirname "$0")"',
        "neo4j-admin database import full --overwrite-destination \\",
        f"  --multiline-fields=true --array-delimiter={shlex.quote(ARRAY_DELIMITER)} \\",
        *(f"  {shlex.quote(a)} \\" for a in args),
        '  "${1:-neo4j}"',
        "",
    ]
    return "\n".join(lines)


def _n10s_script(ttl: Path, prefixes: dict[str, str]) -> str:
    from kg.export.cypher import literal

    lines = [
        "// Load n10s/policykg.ttl with neosemantics (n10s) into an empty Neo4j database:",
        "//   cypher-shell -u neo4j -p PASSWORD -f n10s/load.cypher",
        "CREATE CONSTRAINT n10s_unique_uri IF NOT EXISTS FOR (r:Resource) "
        "REQUIRE r.uri IS UNIQUE;",
        'CALL n10s.graphconfig.init({handleVocabUris: "SHORTEN", handleMultival: "ARRAY", '
        'keepLangTag: true, handleRDFTypes: "LABELS"});',
    ]
    for name, iri in prefixes.items():
        if name:
            lines.append(f"CALL n10s.nsprefixes.add({literal(name, PropType.STRING)}, "
                         f"{literal(iri, PropType.STRING)});")
    lines.append(f"CALL n10s.rdf.import.fetch({literal(ttl.as_uri(), PropType.STRING)}, "
                 '"Turtle");')
    return "\n".join(lines) + "\n"


def write_neo4j(store: ox.Store, out: Path, *, plans: Sequence[str] | None = None,
                graph: PropertyGraph | None = None) -> ExportResult:
    """Write the three Neo4j routes for ``store`` into the directory ``out``.

    Parameters
    ----------
    store : pyoxigraph.Store
        The graph store.
    out : Path
        The directory to create (replaced as a whole, all-or-nothing).
    plans : sequence of str, optional
        Only these plans (and the shared graphs).
    graph : PropertyGraph, optional
        An already computed projection of ``store``.

    Returns
    -------
    ExportResult
        ``counts`` has ``nodes``, ``edges`` and ``triples`` (of the n10s Turtle);
        ``files`` lists what was written.

    Examples
    --------
    >>> import pyoxigraph as ox, tempfile, pathlib
    >>> out = pathlib.Path(tempfile.mkdtemp()) / "neo4j"
    >>> write_neo4j(ox.Store(), out).files
    ('import.sh', 'n10s/load.cypher', 'n10s/policykg.ttl', 'policykg.cypher')
    """
    pg = graph if graph is not None else project(store, plans=plans)
    out = Path(out).absolute()
    written: list[str] = []
    try:
        with atomic_dir(out, format="neo4j") as tmp:
            (tmp / "nodes").mkdir()
            (tmp / "relationships").mkdir()
            by_label: dict[str, list[list[str]]] = defaultdict(list)
            for n in pg.nodes:
                props = dict(n.properties)
                schema = pg.node_schema[n.label]
                by_label[n.label].append(
                    [n.id] + [_cell(props.get(k)) for k in schema if k != "iri"] + [n.label])
            node_files = []
            for label, rows in sorted(by_label.items()):
                name = f"nodes/{_file_name(label)}"
                header = node_header(label, pg.node_schema[label])
                (tmp / name).write_bytes(csv_bytes(header, rows))
                node_files.append(name)
            by_type: dict[str, list[list[str]]] = defaultdict(list)
            for e in pg.edges:
                props = dict(e.properties)
                by_type[e.type].append([e.source, e.target, e.type] + [
                    _cell(props.get(k)) for k in pg.edge_schema[e.type]])
            edge_files = []
            for kind, rows in sorted(by_type.items()):
                name = f"relationships/{_file_name(kind)}"
                (tmp / name).write_bytes(csv_bytes(edge_header(pg.edge_schema[kind]), rows))
                edge_files.append(name)
            (tmp / "import.sh").write_text(_import_script(node_files, edge_files),
                                           encoding="utf-8")
            (tmp / "import.sh").chmod(0o755)
            with (tmp / "policykg.cypher").open("w", encoding="utf-8") as handle:
                for line in script_lines(pg):
                    handle.write(line + "\n")
            (tmp / "n10s").mkdir()
            prefixes = ontology_prefixes()
            rdf = write_rdf(store, tmp / "n10s" / "policykg.ttl", format=ox.RdfFormat.TURTLE,
                            plans=plans, prefixes=prefixes)
            (tmp / "n10s" / "load.cypher").write_text(
                _n10s_script(out / "n10s" / "policykg.ttl", prefixes), encoding="utf-8")
            written = sorted(str(p.relative_to(tmp)) for p in tmp.rglob("*") if p.is_file())
    except OSError as exc:
        raise ExportError(f"{out}: cannot write the Neo4j export: {exc}") from None
    counts = {"nodes": len(pg.nodes), "edges": len(pg.edges),
              "triples": rdf.counts.get("triples", 0)}
    log.info("wrote %s (%s)", out, counts)
    return ExportResult(format="neo4j", path=out, counts=counts, files=tuple(written))
