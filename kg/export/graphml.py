"""GraphML export of the property-graph projection (networkx, yEd, Cytoscape, Gephi)."""

from __future__ import annotations

import logging
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path

import pyoxigraph as ox

from kg.errors import ExportError
from kg.export import ExportResult
from kg.export import _xml as xml
from kg.export._common import atomic_file
from kg.export.propgraph import PropertyGraph, PropType, Value, project

__all__ = ["write_graphml", "generate_graphml", "LIST_DELIMITER", "merged_schema"]

log = logging.getLogger(__name__)

#: GraphML has no list type: a list property (``plans``) is written joined by this.
LIST_DELIMITER = ";"

_GRAPHML_TYPE = {
    PropType.STRING: "string", PropType.DATE: "string", PropType.STRING_LIST: "string",
    PropType.INT: "long", PropType.FLOAT: "double", PropType.BOOLEAN: "boolean",
}


def merged_schema(schema: Mapping[str, Mapping[str, PropType]]) -> dict[str, PropType]:
    """One type per property name across labels; a name typed differently becomes a string."""
    merged: dict[str, PropType] = {}
    for props in schema.values():
        for name, kind in props.items():
            if merged.setdefault(name, kind) != kind:
                merged[name] = PropType.STRING
    return dict(sorted(merged.items()))


def _value(value: Value, kind: PropType) -> str:
    if isinstance(value, tuple):
        return LIST_DELIMITER.join(value)
    if isinstance(value, bool):
        return "true" if value else "false"
    if kind == PropType.STRING:
        return str(value)
    return repr(value) if isinstance(value, float) else str(value)


def generate_graphml(graph: PropertyGraph) -> Iterator[str]:
    """The lines of a GraphML document for ``graph`` (pure: no file).

    Node keys are ``type`` (the node's label) and every node property; edge keys ``type``
    and every edge property. Node ids are IRIs; edge ids ``e0``, ``e1`` …
    """
    node_keys = {"type": PropType.STRING, **merged_schema(graph.node_schema)}
    edge_keys = {"type": PropType.STRING, **merged_schema(graph.edge_schema)}
    node_id = {name: f"n{i}" for i, name in enumerate(node_keys)}
    edge_id = {name: f"e{i}" for i, name in enumerate(edge_keys)}
    yield '<?xml version="1.0" encoding="UTF-8"?>\n'
    yield ('<graphml xmlns="http://graphml.graphdrawing.org/xmlns" '
           'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
           'xsi:schemaLocation="http://graphml.graphdrawing.org/xmlns '
           'http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd">\n')
    for domain, keys, ids in (("node", node_keys, node_id), ("edge", edge_keys, edge_id)):
        for name, kind in keys.items():
            yield (f'  <key id="{ids[name]}" for="{domain}" attr.name="{xml.attr(name)}" '
                   f'attr.type="{_GRAPHML_TYPE[kind]}"/>\n')
    yield '  <graph id="policykg" edgedefault="directed">\n'
    for n in graph.nodes:
        yield f'    <node id="{xml.attr(n.id)}">\n'
        yield f'      <data key="{node_id["type"]}">{xml.text(n.label)}</data>\n'
        for name, value in n.properties:
            yield (f'      <data key="{node_id[name]}">'
                   f'{xml.text(_value(value, node_keys[name]))}</data>\n')
        yield '    </node>\n'
    for i, e in enumerate(graph.edges):
        yield (f'    <edge id="e{i}" source="{xml.attr(e.source)}" '
               f'target="{xml.attr(e.target)}">\n')
        yield f'      <data key="{edge_id["type"]}">{xml.text(e.type)}</data>\n'
        for name, value in e.properties:
            yield (f'      <data key="{edge_id[name]}">'
                   f'{xml.text(_value(value, edge_keys[name]))}</data>\n')
        yield '    </edge>\n'
    yield '  </graph>\n</graphml>\n'


def write_graphml(store: ox.Store, out: Path, *, plans: Sequence[str] | None = None,
                  graph: PropertyGraph | None = None) -> ExportResult:
    """Write the property-graph projection of ``store`` as GraphML to ``out``.

    Parameters
    ----------
    store : pyoxigraph.Store
        The graph store.
    out : Path
        The ``.graphml`` file (all-or-nothing).
    plans : sequence of str, optional
        Only these plans (and the shared graphs).
    graph : PropertyGraph, optional
        An already computed projection of ``store`` (saves projecting twice).

    Returns
    -------
    ExportResult
        ``counts`` has ``nodes`` and ``edges``.

    Examples
    --------
    >>> import networkx as nx, pyoxigraph as ox, tempfile, pathlib
    >>> out = pathlib.Path(tempfile.mkdtemp()) / "g.graphml"
    >>> write_graphml(ox.Store(), out).counts
    {'nodes': 0, 'edges': 0}
    >>> nx.read_graphml(out).number_of_nodes()
    0
    """
    pg = graph if graph is not None else project(store, plans=plans)
    try:
        with atomic_file(out) as handle:
            buffer: list[str] = []
            for line in generate_graphml(pg):
                buffer.append(line)
                if len(buffer) >= 4096:
                    handle.write("".join(buffer).encode("utf-8"))
                    buffer.clear()
            handle.write("".join(buffer).encode("utf-8"))
    except OSError as exc:
        raise ExportError(f"{out}: cannot write the GraphML export: {exc}") from None
    counts = {"nodes": len(pg.nodes), "edges": len(pg.edges)}
    log.info("wrote %s (%s)", out, counts)
    return ExportResult(format="graphml", path=out, counts=counts)
