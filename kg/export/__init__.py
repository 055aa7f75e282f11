"""Export the graph: one registry mapping a format name to the function that writes it.

RDF formats (Turtle, TriG, N-Triples, N-Quads, JSON-LD) are written by pyoxigraph's own
serialisers; every other format goes through the one property-graph projection
(:func:`kg.export.propgraph.project`). A writer is imported on first use, so asking for the
list of formats costs nothing, and tests enumerate :data:`FORMATS` so that a format is
tested the day it is registered.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kg.errors import ConfigError

if TYPE_CHECKING:
    import pyoxigraph

__all__ = [
    "ExportFormat",
    "ExportKind",
    "Output",
    "Exporter",
    "ExportResult",
    "FORMATS",
    "formats",
    "get_exporter",
    "export",
]


class ExportFormat(StrEnum):
    """The formats ``kg export --format`` writes."""

    TURTLE = "turtle"
    TRIG = "trig"
    NTRIPLES = "ntriples"
    NQUADS = "nquads"
    JSONLD = "jsonld"
    GRAPHML = "graphml"
    GEXF = "gexf"
    NEO4J = "neo4j"
    LADYBUG = "ladybug"


class ExportKind(StrEnum):
    """What an exporter writes from: the RDF quads, or the property-graph projection."""

    RDF = "rdf"
    PROPERTY_GRAPH = "property-graph"


class Output(StrEnum):
    """What ``--out`` names for a format."""

    FILE = "file"
    DIRECTORY = "directory"


@dataclass(frozen=True, slots=True)
class ExportResult:
    """What an export wrote.

    Attributes
    ----------
    format : str
        The format name.
    path : Path
        The file or directory written.
    counts : dict[str, int]
        Quads (RDF formats) or nodes and edges (property-graph formats).
    files : tuple[str, ...]
        For directory formats, the files inside, relative to ``path``.
    """

    format: str
    path: Path
    counts: dict[str, int] = field(default_factory=dict)
    files: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Exporter:
    """One registered format: its name, where its writer lives and what it produces.

    The writer is ``"module:function"``; the function has the signature
    ``(store, out, *, plans=None) -> ExportResult``.
    """

    name: str
    target: str
    kind: ExportKind
    output: Output
    suffix: str
    description: str

    def load(self) -> Callable[..., ExportResult]:
        """Import and return the writer function."""
        module, _, attr = self.target.partition(":")
        return getattr(importlib.import_module(module), attr)


_RDF, _PG = ExportKind.RDF, ExportKind.PROPERTY_GRAPH
_FILE, _DIR = Output.FILE, Output.DIRECTORY

FORMATS: dict[str, Exporter] = {
    e.name: e
    for e in (
        Exporter("turtle", "kg.export.rdf:write_turtle", _RDF, _FILE, ".ttl",
                 "Turtle: the union of the selected graphs (no named graphs in Turtle)"),
        Exporter("trig", "kg.export.rdf:write_trig", _RDF, _FILE, ".trig",
                 "TriG: every named graph kept"),
        Exporter("ntriples", "kg.export.rdf:write_ntriples", _RDF, _FILE, ".nt",
                 "N-Triples: the union of the selected graphs, one triple a line"),
        Exporter("nquads", "kg.export.rdf:write_nquads", _RDF, _FILE, ".nq",
                 "N-Quads: every named graph kept, one quad a line"),
        Exporter("jsonld", "kg.export.rdf:write_jsonld", _RDF, _FILE, ".jsonld",
                 "JSON-LD: expanded form, named graphs as @graph objects"),
        Exporter("graphml", "kg.export.graphml:write_graphml", _PG, _FILE, ".graphml",
                 "GraphML for networkx, yEd, Cytoscape"),
        Exporter("gexf", "kg.export.gexf:write_gexf", _PG, _FILE, ".gexf",
                 "GEXF 1.3 for Gephi, nodes coloured by type"),
        Exporter("neo4j", "kg.export.neo4j:write_neo4j", _PG, _DIR, "",
                 "Neo4j: neo4j-admin import CSVs, a cypher-shell script and n10s Turtle"),
        Exporter("ladybug", "kg.export.ladybug:write_ladybug", _PG, _DIR, "",
                 "a LadybugDB database: a node table per class, a rel table per relation"),
    )
}


def formats() -> list[str]:
    """The registered format names, in registry order.

    Examples
    --------
    >>> "trig" in formats()
    True
    """
    return list(FORMATS)


def get_exporter(name: str) -> Exporter:
    """The exporter registered under ``name``.

    Raises
    ------
    ConfigError
        If no format of that name is registered; the message lists the valid ones.
    """
    try:
        return FORMATS[str(name).lower()]
    except KeyError:
        raise ConfigError(
            f"unknown export format {name!r}; choose one of: {', '.join(FORMATS)}") from None


def export(store: pyoxigraph.Store | Any, out: str | Path, *, format: str,
           plans: Sequence[str] | None = None, **options: Any) -> ExportResult:
    """Write the graph of ``store`` (or of the selected plans) to ``out`` in ``format``.

    Parameters
    ----------
    store : pyoxigraph.Store or kg.KnowledgeGraph
        The graph store, or the graph ``kg.open(...)`` returns.
    out : str or Path
        The file (RDF, GraphML, GEXF) or directory (neo4j, ladybug) to write. It is written
        all-or-nothing: a failed export leaves what was there before.
    format : str
        A name of :data:`FORMATS`.
    plans : sequence of str, optional
        Only these plans (plan IRIs, graph IRIs or document ids) and the shared graphs.
    **options
        Passed to the writer.

    Returns
    -------
    ExportResult

    Raises
    ------
    ConfigError
        Unknown format or plan.
    ExportError
        The output cannot be written.

    Examples
    --------
    >>> import pyoxigraph as ox, tempfile, pathlib
    >>> store = ox.Store()
    >>> ex = "https://example.org/"
    >>> store.add(ox.Quad(ox.NamedNode(ex + "a"), ox.NamedNode(ex + "p"), ox.Literal("1"),
    ...                   ox.NamedNode(ex + "g")))
    >>> out = pathlib.Path(tempfile.mkdtemp()) / "graph.nq"
    >>> export(store, out, format="nquads").counts
    {'quads': 1}
    """
    from kg.export._common import as_store

    exporter = get_exporter(format)
    return exporter.load()(as_store(store), Path(out), plans=plans, **options)
