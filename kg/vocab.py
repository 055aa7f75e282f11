"""Namespaces and terms of the PolicyKG graph model (see docs/graph-model.md)."""

from __future__ import annotations

from typing import Final

__all__ = [
    "DEFAULT_BASE",
    "Vocabulary",
    "PKG",
    "RDF",
    "RDFS",
    "OWL",
    "XSD",
    "SKOS",
    "DCTERMS",
    "PROV",
    "ORG",
    "QB",
    "OA",
    "SH",
    "PREFIXES",
    "sparql_prefixes",
    "graph_iri",
    "plan_graph_iri",
    "CANONICAL_GRAPH",
    "ONTOLOGY_GRAPH",
    "ADMIN_LEVELS",
    "COMPARATORS",
]

#: The base IRI of data nodes when the user gives no ``--base``.
DEFAULT_BASE: Final = "https://policykg.org/"


class Vocabulary:
    """A closed namespace: ``PKG.Plan`` is an IRI string; a misspelt term fails at once.

    Parameters
    ----------
    iri : str
        The namespace IRI (ends with ``#`` or ``/``).
    terms : iterable of str
        Every local name the namespace defines.

    Examples
    --------
    >>> v = Vocabulary("http://example.org/ns#", ["Thing"])
    >>> v.Thing
    'http://example.org/ns#Thing'
    >>> v.Thnig
    Traceback (most recent call last):
    ...
    AttributeError: 'Thnig' is not a term of http://example.org/ns#
    """

    __slots__ = ("iri", "terms", "_iris")

    def __init__(self, iri: str, terms: tuple[str, ...] | list[str]) -> None:
        object.__setattr__(self, "iri", iri)
        object.__setattr__(self, "terms", frozenset(terms))
        # one string object per term: its hash is computed once (RDF generation looks
        # terms up tens of thousands of times per plan)
        object.__setattr__(self, "_iris", {t: iri + t for t in terms})

    def __getattr__(self, name: str) -> str:
        try:
            return self._iris[name]
        except KeyError:
            raise AttributeError(f"{name!r} is not a term of {self.iri}") from None

    def __getitem__(self, name: str) -> str:
        return self.__getattr__(name)

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError("a Vocabulary is immutable")

    def __contains__(self, iri: object) -> bool:
        return isinstance(iri, str) and iri.startswith(self.iri) and \
            iri[len(self.iri):] in self.terms

    def __repr__(self) -> str:
        return f"Vocabulary({self.iri!r}, {len(self.terms)} terms)"


#: The PolicyKG ontology (ontology/policykg.ttl). Fixed: ``--base`` moves data, not terms.
PKG: Final = Vocabulary("https://policykg.org/ontology#", (
    # classes
    "Plan", "Section", "Mention", "Program", "Event", "Institution", "PolicyDocument",
    "TargetGroup", "Theme", "Region", "Indicator", "IndicatorObservation",
    "IndicatorTarget", "IndicatorResult", "Relation", "IndicatorAttribute",
    # individuals
    "Expected", "Binding",
    # plan metadata
    "docId", "sha256", "buildKey", "textLength", "region", "adminLevel", "period",
    "startYear", "endYear", "issuer",
    # plan → facts
    "mentions", "hasSection", "hasIndicatorTarget", "hasIndicatorResult", "hasRelation",
    # sections
    "inPlan", "sectionKind", "number", "level", "sectionPath",
    # mentions (provenance)
    "evidence", "section", "start", "end", "snippet", "context",
    # entities
    "surface", "programKind", "concept", "planCount", "mentionCount", "divisionCode", "partOf",
    # indicator observations
    "indicator", "rowName", "unit", "value", "valueText", "comparator", "cumulative",
    "baselineValue", "baselineText", "baseYear", "targetYear", "attribute", "authority",
    "category", "table",
    # relations
    "relationType", "head", "tail",
    # canonical graph bookkeeping
    "derivedFrom",
))

RDF: Final = Vocabulary("http://www.w3.org/1999/02/22-rdf-syntax-ns#",
                        ("type", "Property", "langString", "subject", "predicate", "object"))
RDFS: Final = Vocabulary("http://www.w3.org/2000/01/rdf-schema#",
                         ("label", "comment", "subClassOf", "subPropertyOf", "domain",
                          "range", "Class", "Literal", "seeAlso", "isDefinedBy"))
OWL: Final = Vocabulary("http://www.w3.org/2002/07/owl#",
                        ("Ontology", "Class", "ObjectProperty", "DatatypeProperty",
                         "FunctionalProperty", "NamedIndividual", "versionInfo", "imports"))
XSD: Final = Vocabulary("http://www.w3.org/2001/XMLSchema#",
                        ("string", "integer", "decimal", "boolean", "date", "gYear",
                         "double", "nonNegativeInteger"))
SKOS: Final = Vocabulary("http://www.w3.org/2004/02/skos/core#",
                         ("Concept", "ConceptScheme", "prefLabel", "altLabel", "hiddenLabel",
                          "broader", "narrower", "inScheme", "exactMatch", "closeMatch",
                          "notation", "definition", "topConceptOf", "hasTopConcept"))
DCTERMS: Final = Vocabulary("http://purl.org/dc/terms/",
                            ("title", "identifier", "issued", "source", "isPartOf",
                             "hasPart", "publisher", "creator", "subject", "spatial",
                             "temporal", "Location", "BibliographicResource"))
PROV: Final = Vocabulary("http://www.w3.org/ns/prov#",
                         ("Entity", "wasDerivedFrom", "hadPrimarySource", "value"))
ORG: Final = Vocabulary("http://www.w3.org/ns/org#",
                        ("Organization", "FormalOrganization", "subOrganizationOf"))
QB: Final = Vocabulary("http://purl.org/linked-data/cube#",
                       ("Observation", "MeasureProperty", "AttributeProperty",
                        "DimensionProperty"))
OA: Final = Vocabulary("http://www.w3.org/ns/oa#",
                       ("TextPositionSelector", "TextQuoteSelector", "start", "end",
                        "exact", "Selector"))
SH: Final = Vocabulary("http://www.w3.org/ns/shacl#", ("NodeShape", "PropertyShape"))

#: Prefix → namespace IRI, for SPARQL headers and Turtle output.
PREFIXES: Final[dict[str, str]] = {
    "pkg": PKG.iri,
    "rdf": RDF.iri,
    "rdfs": RDFS.iri,
    "owl": OWL.iri,
    "xsd": XSD.iri,
    "skos": SKOS.iri,
    "dcterms": DCTERMS.iri,
    "prov": PROV.iri,
    "org": ORG.iri,
    "qb": QB.iri,
    "oa": OA.iri,
    "sh": SH.iri,
}

#: The closed set of ``pkg:adminLevel`` values (DESIGN.md).
ADMIN_LEVELS: Final = ("national", "province", "prefecture-city", "county-level-city",
                       "county", "district")

#: The closed set of ``pkg:comparator`` values.
COMPARATORS: Final = ("=", "<", "<=", ">", ">=", "~")


def sparql_prefixes(*, base: str = DEFAULT_BASE) -> str:
    """The PREFIX header of every PolicyKG namespace, plus ``base:`` for data IRIs.

    Examples
    --------
    >>> "PREFIX pkg: <https://policykg.org/ontology#>" in sparql_prefixes()
    True
    """
    lines = [f"PREFIX {p}: <{iri}>" for p, iri in PREFIXES.items()]
    lines.append(f"PREFIX base: <{base}>")
    return "\n".join(lines) + "\n"


def graph_iri(name: str, *, base: str = DEFAULT_BASE) -> str:
    """IRI of a store-wide named graph (``canonical`` or ``ontology``) under ``base``.

    Examples
    --------
    >>> graph_iri("canonical")
    'https://policykg.org/graph/canonical'
    """
    return f"{base}graph/{name}"


def plan_graph_iri(plan_slug: str, *, base: str = DEFAULT_BASE) -> str:
    """IRI of one plan's named graph, from the plan's slug (see ``kg.rdf.plan_slug``).

    Examples
    --------
    >>> plan_graph_iri("000_7e436999a8e03779")
    'https://policykg.org/graph/plan/000_7e436999a8e03779'
    """
    return f"{base}graph/plan/{plan_slug}"


#: Graph IRIs under the default base (use :func:`graph_iri` for another base).
CANONICAL_GRAPH: Final = graph_iri("canonical")
ONTOLOGY_GRAPH: Final = graph_iri("ontology")
