"""Tricky terms: the W3C RDF 1.1 Turtle, TriG, N-Quads and N-Triples tests survive every
RDF export.

Manifest-driven, read from ../shared/w3c/rdf/rdf11/ (never copied): each evaluation test's
input (Turtle/TriG eval tests; N-Quads and N-Triples positive syntax tests, whose expected
result is the input itself) is loaded into a store, exported in each RDF format, read back, and compared
with the expected result as a canonicalised dataset (blank nodes relabelled canonically,
language tags compared case-insensitively). Turtle and N-Triples exports hold the union of
the graphs, so they are compared with the union of the expected graphs.

Oxigraph's store keeps numbers by value, not by lexical form: ``01``, ``+1`` and ``1``
(xsd:integer) come out as ``1``, and ``1.0e0``/``1E0`` become one ``"1"^^xsd:double``. The
tests whose inputs hold such literals are listed by name in ``STORE_CANONICALISES_NUMBERS``;
for them the export is compared with the expected result as the store holds it (the
expected quads put through an Oxigraph store), and for every other test with the expected
result itself. Either way the export loses nothing the store holds.
"""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest
import rdflib

from kg.export import FORMATS, export
from kg.export.rdf import RDF_FORMATS

# rdflib's own parsers use its deprecated ConjunctiveGraph API internally.
pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning:rdflib")

SUITES = Path(__file__).resolve().parents[3] / "shared" / "w3c" / "rdf" / "rdf11"
MF = "http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#"
RDFT = "http://www.w3.org/ns/rdftest#"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"

# suite folder → (input format, test types whose result is compared)
_SUITES = {
    "rdf-turtle": (ox.RdfFormat.TURTLE, ("TestTurtleEval",)),
    "rdf-trig": (ox.RdfFormat.TRIG, ("TestTrigEval",)),
    "rdf-n-quads": (ox.RdfFormat.N_QUADS, ("TestNQuadsPositiveSyntax",)),
    "rdf-n-triples": (ox.RdfFormat.N_TRIPLES, ("TestNTriplesPositiveSyntax",)),
}


def _cases() -> list[pytest.param]:
    assert SUITES.is_dir(), f"{SUITES} is missing: the W3C suites live in ../shared/w3c/"
    cases = []
    for folder, (fmt, kinds) in _SUITES.items():
        manifest = SUITES / folder / "manifest.ttl"
        graph = ox.Dataset(ox.parse(path=str(manifest), format=ox.RdfFormat.TURTLE,
                                    base_iri=manifest.as_uri()))
        # N-Quads has no relative IRIs, and its manifest no mf:assumedTestBase
        base = next((q.object.value for q in graph.quads_for_predicate(
            ox.NamedNode(MF + "assumedTestBase"))),
            f"https://w3c.github.io/rdf-tests/rdf/rdf11/{folder}/")
        for kind in kinds:
            for q in sorted(graph.quads_for_object(ox.NamedNode(RDFT + kind)),
                            key=lambda q: q.subject.value):
                if q.predicate.value != RDF_TYPE:
                    continue
                test = q.subject
                action = _one(graph, test, MF + "action")
                result = _one(graph, test, MF + "result") or action
                name = _one(graph, test, MF + "name") or test.value
                cases.append(pytest.param(
                    folder, fmt, SUITES / folder / Path(action).name,
                    SUITES / folder / Path(result).name, base + Path(action).name,
                    id=f"{folder}/{name}"))
    return cases


def _one(graph: ox.Dataset, subject: ox.NamedNode, predicate: str) -> str | None:
    for q in graph.quads_for_subject(subject):
        if q.predicate.value == predicate:
            return q.object.value
    return None


def _result_format(path: Path) -> ox.RdfFormat:
    return ox.RdfFormat.N_QUADS if path.suffix == ".nq" else ox.RdfFormat.N_TRIPLES


def _norm_term(term):  # noqa: ANN001, ANN202
    if isinstance(term, ox.Literal) and term.language:
        return ox.Literal(term.value, language=term.language.lower())
    return term


def _canonical(quads, *, union: bool) -> set[ox.Quad]:  # noqa: ANN001
    dataset = ox.Dataset()
    for q in quads:
        graph = ox.DefaultGraph() if union else q.graph_name
        dataset.add(ox.Quad(q.subject, q.predicate, _norm_term(q.object), graph))
    dataset.canonicalize(ox.CanonicalizationAlgorithm.UNSTABLE)
    return set(dataset)


def _from_rdflib(term):  # noqa: ANN001, ANN202
    if isinstance(term, rdflib.BNode):
        return ox.BlankNode("b" + str(term).encode("utf-8").hex())
    if isinstance(term, rdflib.URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, rdflib.Literal):
        if term.language:
            return ox.Literal(str(term), language=term.language)
        if term.datatype:
            return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype)))
        return ox.Literal(str(term))
    raise AssertionError(f"unexpected rdflib term {term!r}")


_RDFLIB_FORMAT = {"turtle": "turtle", "trig": "trig", "ntriples": "nt", "nquads": "nquads",
                  "jsonld": "json-ld"}


def _rdflib_quads(path: Path, fmt: str) -> list[ox.Quad]:
    ds = rdflib.Dataset()
    ds.parse(str(path), format=_RDFLIB_FORMAT[fmt])
    quads = []
    for s, p, o, g in ds.quads((None, None, None, None)):
        graph = ox.DefaultGraph() if g is None or g == rdflib.graph.DATASET_DEFAULT_GRAPH_ID \
            else _from_rdflib(g)
        quads.append(ox.Quad(_from_rdflib(s), _from_rdflib(p), _from_rdflib(o), graph))
    return quads


@pytest.fixture(autouse=True)
def _keep_lexical_forms(monkeypatch: pytest.MonkeyPatch) -> None:
    # rdflib rewrites "01"^^xsd:integer as "1" unless told not to.
    monkeypatch.setattr(rdflib, "NORMALIZE_LITERALS", False)
    monkeypatch.setattr(rdflib.term, "_NORMALIZE_LITERALS", False, raising=False)


CASES = _cases()

#: Tests whose expected results spell numbers in a non-canonical lexical form.
STORE_CANONICALISES_NUMBERS = frozenset({
    "bareword_decimal", "bareword_double", "double_lower_case_e", "numeric_with_leading_0",
    "positive_numeric", "turtle-subm-11", "turtle-subm-17", "turtle-subm-19",
    "turtle-subm-20", "turtle-subm-26", "trig-subm-11", "trig-subm-17", "trig-subm-19",
    "trig-subm-20", "trig-subm-26", "nt-syntax-datatypes-01",
})


def _as_stored(quads: list[ox.Quad]) -> list[ox.Quad]:
    store = ox.Store()
    store.extend(quads)
    return list(store)


def test_the_suites_are_all_there() -> None:
    by_suite = {f: sum(1 for c in CASES if c.values[0] == f) for f in _SUITES}
    # Counts of the manifests at the pinned commit (see ../shared/w3c/README.md).
    assert by_suite == {"rdf-turtle": 145, "rdf-trig": 143, "rdf-n-quads": 53,
                        "rdf-n-triples": 41}, by_suite


@pytest.mark.slow
@pytest.mark.parametrize("fmt", list(RDF_FORMATS))
@pytest.mark.parametrize(("suite", "in_format", "action", "result", "base"), CASES)
def test_w3c_round_trip(suite: str, in_format: ox.RdfFormat, action: Path, result: Path,
                        base: str, fmt: str, tmp_path: Path) -> None:
    assert FORMATS[fmt].kind == "rdf"
    store = ox.Store()
    store.load(path=str(action), format=in_format, base_iri=base)
    out = tmp_path / f"export{FORMATS[fmt].suffix}"
    export(store, out, format=fmt)
    union = not RDF_FORMATS[fmt].supports_datasets
    expected_quads = list(ox.parse(path=str(result), format=_result_format(result),
                                   base_iri=base))
    expected = _canonical(expected_quads, union=union)
    if action.stem in STORE_CANONICALISES_NUMBERS:
        assert _canonical(_as_stored(expected_quads), union=union) != expected, (
            f"{action.stem} is listed as changed by the store but is not: unlist it")
        expected = _canonical(_as_stored(expected_quads), union=union)
    got = _canonical(ox.parse(path=str(out), format=RDF_FORMATS[fmt]), union=union)
    assert got == expected, f"{fmt} export of {action.name} read back by pyoxigraph differs"
    by_rdflib = _canonical(_rdflib_quads(out, fmt), union=union)
    assert by_rdflib == expected, f"{fmt} export of {action.name} read back by rdflib differs"
