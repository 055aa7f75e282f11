"""Cypher text for the property graph: literals, identifiers and batched UNWIND statements.

The statements are the common ground of Neo4j (cypher-shell) and LadybugDB: every
identifier back-quoted, one statement per line, no ``null`` in row maps (rows are batched
by the set of properties they have) and no empty lists.
"""

from __future__ import annotations

import math
import re
from collections import defaultdict
from collections.abc import Iterator

from kg.export.propgraph import PropertyGraph, PropType, Value

__all__ = ["ident", "literal", "constraint_statements", "node_statements",
           "edge_statements", "script_lines", "BATCH"]

#: Rows per UNWIND statement.
BATCH = 500

# Characters written as \\uXXXX inside a Cypher string: controls, DEL…APC, line separators.
_ESCAPE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\\\\\"]")
_SHORT = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t"}


def ident(name: str) -> str:
    """A back-quoted identifier (label, type or property name).

    Examples
    --------
    >>> ident("end")
    '`end`'
    """
    return "`" + name.replace("`", "``") + "`"


def _string(text: str) -> str:
    return '"' + _ESCAPE.sub(
        lambda m: _SHORT.get(m.group(), f"\\u{ord(m.group()):04x}"), text) + '"'


def literal(value: Value, kind: PropType) -> str:
    """``value`` as a Cypher literal of type ``kind``.

    Examples
    --------
    >>> literal('a "b"\\n😀', PropType.STRING)
    '"a \\\\"b\\\\"\\\\n😀"'
    >>> literal("2021-09-30", PropType.DATE)
    'date("2021-09-30")'
    >>> literal(("p1", "p2"), PropType.STRING_LIST)
    '["p1", "p2"]'
    """
    if isinstance(value, tuple):
        return "[" + ", ".join(_string(v) for v in value) + "]"
    if kind == PropType.DATE:
        return f"date({_string(str(value))})"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return repr(value) if math.isfinite(value) else "null"
    if isinstance(value, int):
        return str(value)
    return _string(str(value))


def constraint_statements(graph: PropertyGraph) -> Iterator[str]:
    """Neo4j uniqueness constraints on ``iri``, one per label (first in a script)."""
    for label in graph.labels():
        yield (f"CREATE CONSTRAINT {ident(label + '_iri')} IF NOT EXISTS "
               f"FOR (n:{ident(label)}) REQUIRE n.{ident('iri')} IS UNIQUE;")


def _rows(props: tuple[tuple[str, Value], ...], schema: dict[str, PropType]) -> str:
    return "{" + ", ".join(f"{ident(k)}: {literal(v, schema[k])}" for k, v in props
                           if not (isinstance(v, tuple) and not v)) + "}"


def node_statements(graph: PropertyGraph, *, batch: int = BATCH) -> Iterator[str]:
    """``UNWIND [...] AS row CREATE (n:Label {...})``, batched by label and property set."""
    groups: dict[tuple[str, tuple[str, ...]], list[tuple[tuple[str, Value], ...]]] = \
        defaultdict(list)
    for n in graph.nodes:
        props = tuple((k, v) for k, v in n.properties if not (isinstance(v, tuple) and not v))
        groups[(n.label, tuple(k for k, _ in props))].append(props)
    for (label, keys), rows in sorted(groups.items()):
        schema = graph.node_schema[label]
        sets = ", ".join(f"{ident(k)}: row.{ident(k)}" for k in keys)
        for i in range(0, len(rows), batch):
            chunk = ", ".join(_rows(r, schema) for r in rows[i:i + batch])
            yield f"UNWIND [{chunk}] AS row CREATE (n:{ident(label)} {{{sets}}});"


def edge_statements(graph: PropertyGraph, *, batch: int = BATCH) -> Iterator[str]:
    """``UNWIND [...] AS row MATCH (a) MATCH (b) CREATE (a)-[:TYPE {...}]->(b)``, batched."""
    label = {n.id: n.label for n in graph.nodes}
    groups: dict[tuple[str, str, str, tuple[str, ...]], list[str]] = defaultdict(list)
    for e in graph.edges:
        schema = graph.edge_schema[e.type]
        props = tuple((k, v) for k, v in e.properties if not (isinstance(v, tuple) and not v))
        key = (e.type, label[e.source], label[e.target], tuple(k for k, _ in props))
        ends = f"{ident('_s')}: {_string(e.source)}, {ident('_t')}: {_string(e.target)}"
        body = _rows(props, schema)[1:-1]
        groups[key].append("{" + ends + (", " + body if body else "") + "}")
    iri = ident("iri")
    for (kind, src, dst, keys), rows in sorted(groups.items()):
        sets = ", ".join(f"{ident(k)}: row.{ident(k)}" for k in keys)
        props = f" {{{sets}}}" if sets else ""
        for i in range(0, len(rows), batch):
            chunk = ", ".join(rows[i:i + batch])
            yield (f"UNWIND [{chunk}] AS row "
                   f"MATCH (a:{ident(src)} {{{iri}: row.{ident('_s')}}}) "
                   f"MATCH (b:{ident(dst)} {{{iri}: row.{ident('_t')}}}) "
                   f"CREATE (a)-[:{ident(kind)}{props}]->(b);")


def script_lines(graph: PropertyGraph, *, batch: int = BATCH) -> Iterator[str]:
    """A whole cypher-shell script: constraints, then nodes, then relationships."""
    yield "// PolicyKG property graph for cypher-shell (Neo4j 5):"
    yield "//   cypher-shell -u neo4j -p PASSWORD -f policykg.cypher"
    yield "// One statement per line; constraints first, then batched UNWIND creation."
    yield "// constraints"
    yield from constraint_statements(graph)
    yield "// nodes"
    yield from node_statements(graph, batch=batch)
    yield "// relationships"
    yield from edge_statements(graph, batch=batch)
