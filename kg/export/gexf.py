"""GEXF 1.3 export of the property-graph projection, for Gephi: nodes coloured by type."""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Iterator, Sequence
from pathlib import Path

import pyoxigraph as ox

from kg.errors import ExportError
from kg.export import ExportResult
from kg.export import _xml as xml
from kg.export._common import atomic_file
from kg.export.graphml import merged_schema
from kg.export.propgraph import PropertyGraph, PropType, Value, project

__all__ = ["write_gexf", "generate_gexf", "color_of", "TYPE_COLORS"]

log = logging.getLogger(__name__)

GEXF_NS = "http://gexf.net/1.3"

#: Node colour (r, g, b) per class of the graph model; other classes get a colour derived
#: from their name (:func:`color_of`).
TYPE_COLORS: dict[str, tuple[int, int, int]] = {
    "Plan": (31, 119, 180),
    "Program": (255, 127, 14),
    "Event": (188, 189, 34),
    "Institution": (44, 160, 44),
    "PolicyDocument": (214, 39, 40),
    "TargetGroup": (148, 103, 189),
    "Theme": (140, 86, 75),
    "Region": (227, 119, 194),
    "Indicator": (23, 190, 207),
    "IndicatorTarget": (127, 127, 127),
    "IndicatorResult": (199, 199, 199),
    "Concept": (174, 199, 232),
}

_GEXF_TYPE = {
    PropType.STRING: "string", PropType.DATE: "string", PropType.STRING_LIST: "liststring",
    PropType.INT: "long", PropType.FLOAT: "double", PropType.BOOLEAN: "boolean",
}


def color_of(label: str) -> tuple[int, int, int]:
    """The colour of nodes labelled ``label``: fixed for model classes, else from its hash.

    Examples
    --------
    >>> color_of("Program")
    (255, 127, 14)
    >>> color_of("Something") == color_of("Something")
    True
    """
    if label in TYPE_COLORS:
        return TYPE_COLORS[label]
    digest = hashlib.sha256(label.encode("utf-8")).digest()
    return (64 + digest[0] % 160, 64 + digest[1] % 160, 64 + digest[2] % 160)


def _value(value: Value) -> str:
    if isinstance(value, tuple):  # GEXF liststring: "[a, b]" is what Gephi reads back
        return "[" + ", ".join(value) + "]"
    if isinstance(value, bool):
        return "true" if value else "false"
    return repr(value) if isinstance(value, float) else str(value)


def generate_gexf(graph: PropertyGraph) -> Iterator[str]:
    """The lines of a GEXF 1.3 document for ``graph`` (pure: no file).

    Node attribute ``type`` is the node's label, edge ``label`` and attribute ``type`` the
    edge type; node ``label`` is the Chinese label (else English, else the IRI).

    Colours are ``<color r g b a>`` elements of the viz module. The GEXF 1.3 schema
    (gexf.xsd, whose viz.xsd has no target namespace of its own) declares them in the GEXF
    namespace, so that is where they are written: the file validates against the 1.3 XSD,
    and Gephi's importer matches the element by its local name, so it colours the nodes.
    """
    node_attrs = {"type": PropType.STRING, **merged_schema(graph.node_schema)}
    edge_attrs = {"type": PropType.STRING, **merged_schema(graph.edge_schema)}
    node_id = {name: str(i) for i, name in enumerate(node_attrs)}
    edge_id = {name: str(i) for i, name in enumerate(edge_attrs)}
    yield '<?xml version="1.0" encoding="UTF-8"?>\n'
    yield (f'<gexf xmlns="{GEXF_NS}" '
           'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
           f'xsi:schemaLocation="{GEXF_NS} http://gexf.net/1.3/gexf.xsd" version="1.3">\n')
    yield ('  <meta>\n    <creator>PolicyKG</creator>\n'
           '    <description>Property-graph projection of a PolicyKG store</description>\n'
           '  </meta>\n')
    yield '  <graph defaultedgetype="directed" mode="static" idtype="string">\n'
    for cls, attrs, ids in (("node", node_attrs, node_id), ("edge", edge_attrs, edge_id)):
        yield f'    <attributes class="{cls}" mode="static">\n'
        for name, kind in attrs.items():
            yield (f'      <attribute id="{ids[name]}" title="{xml.attr(name)}" '
                   f'type="{_GEXF_TYPE[kind]}"/>\n')
        yield '    </attributes>\n'
    yield f'    <nodes count="{len(graph.nodes)}">\n'
    for n in graph.nodes:
        props = dict(n.properties)
        label = props.get("label_zh") or props.get("label_en") or n.id
        yield f'      <node id="{xml.attr(n.id)}" label="{xml.attr(str(label))}">\n'
        yield '        <attvalues>\n'
        yield f'          <attvalue for="{node_id["type"]}" value="{xml.attr(n.label)}"/>\n'
        for name, value in n.properties:
            yield (f'          <attvalue for="{node_id[name]}" '
                   f'value="{xml.attr(_value(value))}"/>\n')
        yield '        </attvalues>\n'
        r, g, b = color_of(n.label)
        yield f'        <color r="{r}" g="{g}" b="{b}" a="1.0"/>\n'
        yield '      </node>\n'
    yield '    </nodes>\n'
    yield f'    <edges count="{len(graph.edges)}">\n'
    for i, e in enumerate(graph.edges):
        yield (f'      <edge id="{i}" source="{xml.attr(e.source)}" '
               f'target="{xml.attr(e.target)}" label="{xml.attr(e.type)}">\n')
        yield '        <attvalues>\n'
        yield f'          <attvalue for="{edge_id["type"]}" value="{xml.attr(e.type)}"/>\n'
        for name, value in e.properties:
            yield (f'          <attvalue for="{edge_id[name]}" '
                   f'value="{xml.attr(_value(value))}"/>\n')
        yield '        </attvalues>\n'
        yield '      </edge>\n'
    yield '    </edges>\n  </graph>\n</gexf>\n'


def write_gexf(store: ox.Store, out: Path, *, plans: Sequence[str] | None = None,
               graph: PropertyGraph | None = None) -> ExportResult:
    """Write the property-graph projection of ``store`` as GEXF 1.3 to ``out``.

    Parameters
    ----------
    store : pyoxigraph.Store
        The graph store.
    out : Path
        The ``.gexf`` file (all-or-nothing).
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
    >>> import pyoxigraph as ox, tempfile, pathlib
    >>> out = pathlib.Path(tempfile.mkdtemp()) / "g.gexf"
    >>> write_gexf(ox.Store(), out).counts
    {'nodes': 0, 'edges': 0}
    """
    pg = graph if graph is not None else project(store, plans=plans)
    try:
        with atomic_file(out) as handle:
            handle.write("".join(generate_gexf(pg)).encode("utf-8"))
    except OSError as exc:
        raise ExportError(f"{out}: cannot write the GEXF export: {exc}") from None
    counts = {"nodes": len(pg.nodes), "edges": len(pg.edges)}
    log.info("wrote %s (%s)", out, counts)
    return ExportResult(format="gexf", path=out, counts=counts)
