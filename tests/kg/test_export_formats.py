"""Every registered export format, on the crafted store and on the built embedded corpus.

RDF exports are read back by rdflib and by Debian's ``rapper`` and must hold as many quads
(triples, for the formats without named graphs) as the store, with the same named graphs;
property-graph exports are read back by their consumers (networkx, lxml against the GEXF
1.3 XSD, LadybugDB). Formats come from the registry, so a new format is tested the day it
is registered.
"""

from __future__ import annotations

import csv
import os
import re
from pathlib import Path

import networkx as nx
import pyoxigraph as ox
import pytest
import rdflib
from lxml import etree

from conftest_export import NASTY, crafted_store, open_seed_store, rapper_count, rapper_quads
from kg.errors import ConfigError, ExportError
from kg.export import FORMATS, ExportFormat, export, formats, get_exporter
from kg.export.propgraph import project
from kg.export.rdf import RDF_FORMATS

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning:rdflib")

GEXF_XSD = Path(__file__).resolve().parents[3] / "shared" / "gexf" / "specs" / "1.3" / "gexf.xsd"

RDFLIB = {"turtle": "turtle", "trig": "trig", "ntriples": "nt", "nquads": "nquads",
          "jsonld": "json-ld"}
# rapper's input syntax per format; raptor2 has no JSON-LD parser (its "json" is RDF/JSON)
RAPPER = {"turtle": "turtle", "trig": "trig", "ntriples": "ntriples", "nquads": "nquads"}


@pytest.fixture(scope="module",
                params=["crafted", pytest.param("seeds", marks=pytest.mark.slow)])
def store(request: pytest.FixtureRequest) -> ox.Store:
    if request.param == "crafted":
        return crafted_store()
    return open_seed_store()


def _expected(store: ox.Store, fmt: str) -> int:
    if RDF_FORMATS[fmt].supports_datasets:
        return len(store)
    return len({q.triple for q in store})


def test_registry_matches_the_format_enum() -> None:
    assert formats() == [f.value for f in ExportFormat]
    for name, exporter in FORMATS.items():
        assert callable(exporter.load()), name
        assert exporter.kind in ("rdf", "property-graph")
        assert exporter.output in ("file", "directory")


def test_unknown_format_names_the_valid_ones() -> None:
    with pytest.raises(ConfigError, match=r"unknown export format 'owl'.*turtle, trig"):
        get_exporter("owl")


@pytest.mark.parametrize("fmt", [f for f, e in FORMATS.items() if e.kind == "rdf"])
def test_rdf_export_round_trip(store: ox.Store, fmt: str, tmp_path: Path) -> None:
    out = tmp_path / f"graph{FORMATS[fmt].suffix}"
    result = export(store, out, format=fmt)
    expected = _expected(store, fmt)
    assert sum(result.counts.values()) == expected

    ds = rdflib.Dataset()
    ds.parse(str(out), format=RDFLIB[fmt])
    assert len(list(ds.quads((None, None, None, None)))) == expected, "rdflib count"

    named = {g.value for g in store.named_graphs()}
    if RDF_FORMATS[fmt].supports_datasets:
        got = {str(c.identifier) for c in ds.graphs()
               if c.identifier != rdflib.graph.DATASET_DEFAULT_GRAPH_ID and len(c)}
        assert got == named, "rdflib sees other named graphs"
    if fmt in RAPPER:
        assert rapper_count(out, RAPPER[fmt]) == expected, "rapper count"
    if fmt in ("trig", "nquads"):
        graphs = {q.graph_name.value for q in rapper_quads(out, RAPPER[fmt])
                  if isinstance(q.graph_name, ox.NamedNode)}
        assert graphs == named, "rapper sees other named graphs"
    # Nothing lost or changed: the export read back is the store's content.
    back = set(ox.parse(path=str(out), format=RDF_FORMATS[fmt]))
    if RDF_FORMATS[fmt].supports_datasets:
        assert back == set(store)
    else:
        assert {q.triple for q in back} == {q.triple for q in store}


@pytest.mark.parametrize("fmt", [f for f, e in FORMATS.items() if e.kind == "rdf"])
def test_rdf_export_of_one_plan(fmt: str, tmp_path: Path) -> None:
    store = crafted_store()
    out = tmp_path / f"alpha{FORMATS[fmt].suffix}"
    export(store, out, format=fmt, plans=["alpha"])
    back = list(ox.parse(path=str(out), format=RDF_FORMATS[fmt]))
    text = out.read_bytes()
    assert b"/graph/plan/beta" not in text and b"/plan/beta" not in text
    if RDF_FORMATS[fmt].supports_datasets:
        graphs = {q.graph_name.value for q in back}
        assert graphs == {"https://policykg.org/graph/plan/alpha",
                          "https://policykg.org/graph/canonical",
                          "https://policykg.org/graph/ontology"}


def test_turtle_uses_the_ontology_prefixes(tmp_path: Path) -> None:
    out = tmp_path / "g.ttl"
    export(crafted_store(), out, format="turtle")
    head = out.read_text(encoding="utf-8")
    assert "@prefix pkg: <https://policykg.org/ontology#> ." in head
    assert "@prefix skos: <http://www.w3.org/2004/02/skos/core#> ." in head
    assert "pkg:Plan" in head


@pytest.mark.parametrize("fmt", list(FORMATS))
def test_same_store_same_bytes(fmt: str, tmp_path: Path) -> None:
    # Two on-disk stores (what `kg build` writes) filled in opposite orders. (pyoxigraph's
    # in-memory store iterates in insertion order; the on-disk one in key order.)
    quads = list(crafted_store())
    first, second = ox.Store(str(tmp_path / "s1")), ox.Store(str(tmp_path / "s2"))
    first.extend(quads)
    second.extend(reversed(quads))
    a, b = tmp_path / "a", tmp_path / "b"
    export(first, a, format=fmt)
    export(second, b, format=fmt)

    def files(root: Path) -> dict[str, bytes]:
        if root.is_file():
            return {"": root.read_bytes()}
        # the LadybugDB file carries its own internal ids; its CSVs and DDL are the content
        return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*"))
                if p.is_file() and p.suffix != ".lbug" and p.name != "load.cypher"}

    assert files(a) == files(b)


def test_unknown_plan_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match=r"no plan 'gamma' in the store; it holds: alpha, beta"):
        export(crafted_store(), tmp_path / "x.trig", format="trig", plans=["gamma"])


def test_a_failed_export_leaves_the_old_file(tmp_path: Path) -> None:
    out = tmp_path / "x.trig"
    out.write_text("old", encoding="utf-8")
    with pytest.raises(ConfigError):
        export(crafted_store(), out, format="trig", plans=["gamma"])
    assert out.read_text(encoding="utf-8") == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["x.trig"]


@pytest.mark.parametrize("fmt", ["trig", "neo4j"])
def test_output_gets_the_usual_permissions(fmt: str, tmp_path: Path) -> None:
    # not the private 0600/0700 of a temporary file: a neo4j user must read the import
    out = tmp_path / f"x{FORMATS[fmt].suffix}"
    export(crafted_store(), out, format=fmt)
    mask = os.umask(0o022)
    os.umask(mask)
    expected = (0o777 if out.is_dir() else 0o666) & ~mask
    assert out.stat().st_mode & 0o777 == expected


def test_file_format_refuses_a_directory(tmp_path: Path) -> None:
    with pytest.raises(ExportError, match="is a directory"):
        export(crafted_store(), tmp_path, format="turtle")


@pytest.mark.parametrize("fmt", [f for f, e in FORMATS.items() if e.output == "directory"])
def test_directory_formats_replace_only_their_own_output(fmt: str, tmp_path: Path) -> None:
    foreign = tmp_path / "mine"
    foreign.mkdir()
    (foreign / "notes.txt").write_text("keep me", encoding="utf-8")
    with pytest.raises(ExportError, match="is a directory of other files"):
        export(crafted_store(), foreign, format=fmt)
    assert [p.name for p in foreign.iterdir()] == ["notes.txt"]
    out = tmp_path / "export"
    export(crafted_store(), out, format=fmt)
    plans_csv = next(p for p in out.rglob("*.csv") if p.stem in ("Plan", "node_Plan"))
    assert "/plan/alpha" in plans_csv.read_text(encoding="utf-8")
    export(crafted_store(), out, format=fmt, plans=["beta"])  # an earlier export: replaced
    assert "/plan/alpha" not in plans_csv.read_text(encoding="utf-8")
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")], "temporary left"


# ---------------------------------------------------------------- property-graph formats


def test_graphml_read_back_by_networkx(store: ox.Store, tmp_path: Path) -> None:
    pg = project(store)
    out = tmp_path / "g.graphml"
    result = export(store, out, format="graphml")
    g = nx.read_graphml(out, force_multigraph=True)
    assert (g.number_of_nodes(), g.number_of_edges()) == (len(pg.nodes), len(pg.edges))
    assert result.counts == {"nodes": len(pg.nodes), "edges": len(pg.edges)}
    types = {d["type"] for _, _, d in g.edges(data=True)}
    assert types == set(pg.edge_schema)


def test_gexf_validates_against_the_13_schema(store: ox.Store, tmp_path: Path) -> None:
    assert GEXF_XSD.is_file(), f"{GEXF_XSD} is missing (../shared/gexf/)"
    schema = etree.XMLSchema(etree.parse(str(GEXF_XSD)))
    out = tmp_path / "g.gexf"
    export(store, out, format="gexf")
    doc = etree.parse(str(out))
    assert schema.validate(doc), schema.error_log.filter_from_errors()[:5]
    ns = {"g": "http://gexf.net/1.3"}
    pg = project(store)
    assert len(doc.findall(".//g:node", ns)) == len(pg.nodes)
    assert len(doc.findall(".//g:edge", ns)) == len(pg.edges)
    back = nx.read_gexf(out)  # a second reader: networkx's GEXF importer
    assert (back.number_of_nodes(), back.number_of_edges()) == (len(pg.nodes), len(pg.edges))
    # every node is coloured, and by its type: one colour per label
    colours: dict[str, set[tuple[str, str, str]]] = {}
    type_attr = doc.find(".//g:attributes[@class='node']/g:attribute[@title='type']", ns).get("id")
    for node in doc.findall(".//g:node", ns):
        colour = node.find("g:color", ns)
        assert colour is not None, node.get("id")
        label = node.find(f"g:attvalues/g:attvalue[@for='{type_attr}']", ns).get("value")
        colours.setdefault(label, set()).add((colour.get("r"), colour.get("g"), colour.get("b")))
    assert all(len(c) == 1 for c in colours.values())
    assert len({next(iter(c)) for c in colours.values()}) == len(colours)


# Documented neo4j-admin header grammar (Neo4j 5 operations manual, "Import" → "CSV header
# format"): a field is name[:type][[]] or one of the special fields.
_NEO4J_TYPES = ("int", "long", "float", "double", "boolean", "byte", "short", "char", "string",
                "point", "date", "localtime", "time", "localdatetime", "datetime", "duration")
_FIELD = re.compile(r"(?P<name>[A-Za-z_][A-Za-z0-9_]*)?:(?P<type>ID|LABEL|START_ID|END_ID|TYPE|"
                    r"IGNORE|(?:" + "|".join(_NEO4J_TYPES) + r")(?:\[\])?)(?:\((?P<space>\w+)\))?")


def _check_header(header: list[str], *, nodes: bool) -> None:
    kinds = []
    for field in header:
        m = _FIELD.fullmatch(field)
        assert m, f"header field {field!r} is not in neo4j-admin's format"
        kinds.append(m.group("type"))
    if nodes:
        assert kinds.count("ID") == 1 and kinds.count("LABEL") == 1, header
        assert not {"START_ID", "END_ID", "TYPE"} & set(kinds), header
    else:
        assert [kinds.count(k) for k in ("START_ID", "END_ID", "TYPE")] == [1, 1, 1], header
        assert "ID" not in kinds, header


def test_neo4j_csv_headers_follow_the_neo4j_admin_format(store: ox.Store,
                                                         tmp_path: Path) -> None:
    out = tmp_path / "neo4j"
    result = export(store, out, format="neo4j")
    pg = project(store)
    node_files = sorted((out / "nodes").glob("*.csv"))
    edge_files = sorted((out / "relationships").glob("*.csv"))
    assert [f.stem for f in node_files] == pg.labels()
    assert [f.stem for f in edge_files] == pg.edge_types()
    nodes = edges = 0
    for path in node_files:
        with path.open(encoding="utf-8", newline="") as handle:
            rows = list(csv.reader(handle))
        _check_header(rows[0], nodes=True)
        assert all(r[-1] == path.stem for r in rows[1:])  # :LABEL column
        nodes += len(rows) - 1
    for path in edge_files:
        with path.open(encoding="utf-8", newline="") as handle:
            rows = list(csv.reader(handle))
        _check_header(rows[0], nodes=False)
        assert all(r[2] == path.stem for r in rows[1:])  # :TYPE column
        edges += len(rows) - 1
    assert (nodes, edges) == (len(pg.nodes), len(pg.edges)) == \
        (result.counts["nodes"], result.counts["edges"])
    script = (out / "import.sh").read_text(encoding="utf-8")
    assert "neo4j-admin database import full" in script
    assert "--multiline-fields=true" in script
    for f in node_files + edge_files:
        assert str(f.relative_to(out)) in script
    n10s = (out / "n10s" / "load.cypher").read_text(encoding="utf-8")
    assert (out / "n10s" / "policykg.ttl").as_uri() in n10s
    assert rapper_count(out / "n10s" / "policykg.ttl", "turtle") == result.counts["triples"]


def _ladybug_rows(connection, query: str) -> list[list]:  # noqa: ANN001
    result = connection.execute(query)
    rows = []
    while result.has_next():
        rows.append(result.get_next())
    return rows


def test_cypher_script_runs_in_ladybugdb(store: ox.Store, tmp_path: Path) -> None:
    import ladybug

    from kg.export.ladybug import schema_statements

    out = tmp_path / "neo4j"
    export(store, out, format="neo4j")
    pg = project(store)
    db = ladybug.Database(str(tmp_path / "script.lbug"))
    conn = ladybug.Connection(db)
    for statement in schema_statements(pg):
        conn.execute(statement)
    lines = (out / "policykg.cypher").read_text(encoding="utf-8").splitlines()
    statements = [line for line in lines if line and not line.startswith("//")]
    constraints = [s for s in statements if s.startswith("CREATE CONSTRAINT")]
    assert len(constraints) == len(pg.labels())
    assert statements[:len(constraints)] == constraints, "constraints come first"
    for statement in statements[len(constraints):]:
        assert statement.startswith("UNWIND ") and statement.endswith(";")
        conn.execute(statement)  # Neo4j-only constraint DDL aside, LadybugDB runs it all
    nodes = _ladybug_rows(conn, "MATCH (n) RETURN count(n)")[0][0]
    edges = _ladybug_rows(conn, "MATCH ()-[r]->() RETURN count(r)")[0][0]
    assert (nodes, edges) == (len(pg.nodes), len(pg.edges))
    _same_labels(conn, pg)
    conn.close()
    db.close()


def test_ladybug_export_counts(store: ox.Store, tmp_path: Path) -> None:
    import ladybug

    out = tmp_path / "lbug"
    result = export(store, out, format="ladybug")
    pg = project(store)
    db = ladybug.Database(str(out / "policykg.lbug"), read_only=True)
    conn = ladybug.Connection(db)
    for label in pg.labels():
        n = _ladybug_rows(conn, f"MATCH (n:`{label}`) RETURN count(n)")[0][0]
        assert n == sum(1 for x in pg.nodes if x.label == label), label
    for kind in pg.edge_types():
        n = _ladybug_rows(conn, f"MATCH ()-[r:`{kind}`]->() RETURN count(r)")[0][0]
        assert n == sum(1 for x in pg.edges if x.type == kind), kind
    assert result.counts == {"nodes": len(pg.nodes), "edges": len(pg.edges)}
    _same_labels(conn, pg)
    conn.close()
    db.close()


def _same_labels(conn, pg) -> None:  # noqa: ANN001
    """Every node's Chinese and English labels came through unchanged."""
    for label in pg.labels():
        got = {tuple(r) for r in _ladybug_rows(
            conn, f"MATCH (n:`{label}`) RETURN n.`iri`, n.`label_zh`, n.`label_en`")} \
            if {"label_zh", "label_en"} <= set(pg.node_schema[label]) else None
        if got is None:
            continue
        want = {(n.id, n.get("label_zh"), n.get("label_en")) for n in pg.nodes
                if n.label == label}
        assert got == want, label


# ---------------------------------------------------------------- hostile labels


@pytest.mark.parametrize("fmt", list(FORMATS))
def test_hostile_label_survives(fmt: str, tmp_path: Path) -> None:
    """Quotes, a backslash, a newline, <script>, an emoji and & come back unchanged."""
    store = crafted_store()
    out = tmp_path / f"x{FORMATS[fmt].suffix}"
    export(store, out, format=fmt)
    found = _labels_read_back(fmt, out)
    assert NASTY in found, f"{fmt}: the hostile label did not come back intact"


def _labels_read_back(fmt: str, out: Path) -> set[str]:
    if FORMATS[fmt].kind == "rdf":
        ds = rdflib.Dataset()
        ds.parse(str(out), format=RDFLIB[fmt])
        labels = {str(o) for _, _, o, _ in ds.quads((None, None, None, None))
                  if isinstance(o, rdflib.Literal)}
        # and rapper reads it identically (it re-serialises as N-Triples, escaped)
        if fmt in RAPPER:
            by_rapper = {q.object.value for q in rapper_quads(out, RAPPER[fmt])
                         if isinstance(q.object, ox.Literal)}
            assert NASTY in by_rapper, f"{fmt}: rapper read the label differently"
        return labels
    if fmt == "graphml":
        g = nx.read_graphml(out, force_multigraph=True)
        return {v for _, d in g.nodes(data=True) for v in d.values() if isinstance(v, str)} | \
            {v for _, _, d in g.edges(data=True) for v in d.values() if isinstance(v, str)}
    if fmt == "gexf":
        doc = etree.parse(str(out))
        return {e.get("value") for e in doc.iter("{http://gexf.net/1.3}attvalue")} | \
            {e.get("label") for e in doc.iter("{http://gexf.net/1.3}node")}
    if fmt == "neo4j":
        found: set[str] = set()
        for path in out.rglob("*.csv"):
            with path.open(encoding="utf-8", newline="") as handle:
                found |= {cell for row in csv.reader(handle) for cell in row}
        return found
    if fmt == "ladybug":
        import ladybug

        db = ladybug.Database(str(out / "policykg.lbug"), read_only=True)
        conn = ladybug.Connection(db)
        found = {r[0] for r in _ladybug_rows(conn, "MATCH (n:`Program`) RETURN n.`label_zh`")}
        found |= {r[0] for r in _ladybug_rows(conn, "MATCH ()-[r:`MENTIONS`]->() "
                                                    "RETURN r.`snippet`")}
        conn.close()
        db.close()
        return found
    raise AssertionError(f"no reader for {fmt}: add one when registering a format")
