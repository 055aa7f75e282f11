"""What the comparisons read from the store: plans, who mentions what, indicator targets.

One SPARQL query per kind of fact (pyoxigraph, ``GRAPH`` patterns over the plan graphs,
labels from the canonical graph), turned into frozen dataclasses. Everything else in
``kg.analysis`` is a pure function of a :class:`Facts` value: nothing re-reads a document.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from kg.errors import StoreError
from kg.vocab import sparql_prefixes

__all__ = [
    "PlanInfo",
    "Evidence",
    "Item",
    "Membership",
    "ThemeSection",
    "ThemeLink",
    "TargetFact",
    "Facts",
    "QUERIES",
    "open_store",
    "load_facts",
    "select_plans",
]

log = logging.getLogger(__name__)

#: Entity types a plan ``pkg:mentions`` (local names of ``pkg:`` classes) plus Indicator,
#: which a plan reaches through its indicator targets.
ENTITY_TYPES = ("Program", "Event", "Institution", "PolicyDocument", "TargetGroup", "Theme",
                "Region", "Indicator")


@dataclass(frozen=True, slots=True)
class PlanInfo:
    """A plan as the store describes it (``key`` is its ``pkg:docId``)."""

    key: str
    iri: str
    graph: str
    title: str
    region: str | None = None
    admin_level: str | None = None
    period: str | None = None
    start_year: int | None = None
    end_year: int | None = None
    text_length: int | None = None

    @property
    def short(self) -> str:
        """A short label for charts: the region, else the title."""
        return self.region or self.title

    @property
    def years(self) -> int:
        """Length of the plan period in years (5 when the store does not say)."""
        if self.start_year and self.end_year and self.end_year >= self.start_year:
            return self.end_year - self.start_year + 1
        return 5


@dataclass(frozen=True, slots=True)
class Evidence:
    """Where a plan says something: the mention's span, its section path, its sentence."""

    plan: str
    start: int
    end: int
    snippet: str
    context: str | None = None
    section: str | None = None
    mention: str | None = None
    section_iri: str | None = None

    @property
    def sentence(self) -> str:
        """The sentence around the mention when the store has it, else the mention."""
        return self.context or self.snippet


@dataclass(frozen=True, slots=True)
class Item:
    """A canonical entity (program, target group, theme, indicator …)."""

    iri: str
    type: str
    label: str


@dataclass(frozen=True, slots=True)
class Membership:
    """Plan ``plan`` mentions item ``item`` ``count`` times, first at ``evidence``."""

    plan: str
    item: str
    count: int
    evidence: Evidence | None = None


@dataclass(frozen=True, slots=True)
class ThemeSection:
    """A theme is mentioned in section ``section`` (spanning ``start``–``end``) of ``plan``."""

    plan: str
    theme: str
    section: str
    start: int
    end: int

    @property
    def length(self) -> int:
        return max(self.end - self.start, 0)


@dataclass(frozen=True, slots=True)
class ThemeLink:
    """Plan ``plan`` files item ``item`` under theme ``theme`` (a ``hasTheme`` relation)."""

    plan: str
    item: str
    theme: str


@dataclass(frozen=True, slots=True)
class TargetFact:
    """One plan's target for one indicator (a row of its target table), as stored."""

    plan: str
    iri: str
    indicator: str
    row_name: str
    unit: str | None = None
    value: float | None = None
    value_text: str | None = None
    comparator: str | None = None
    cumulative: bool = False
    baseline_value: float | None = None
    baseline_text: str | None = None
    base_year: int | None = None
    target_year: int | None = None
    attribute: str | None = None
    authority: str | None = None
    category: str | None = None
    table: str | None = None
    evidence: Evidence | None = None


@dataclass(frozen=True, slots=True)
class Facts:
    """Everything the comparisons need, read once from the store.

    ``plans`` are sorted by key; ``items`` maps an IRI to its canonical item;
    ``memberships`` (plan, item) pairs sorted; ``targets`` indicator targets sorted by plan
    and row position; ``theme_sections`` the sections in which each theme is mentioned;
    ``theme_links`` the items each plan files under a theme (``hasTheme`` relations).
    """

    plans: tuple[PlanInfo, ...]
    items: dict[str, Item] = field(default_factory=dict)
    memberships: tuple[Membership, ...] = ()
    targets: tuple[TargetFact, ...] = ()
    theme_sections: tuple[ThemeSection, ...] = ()
    theme_links: tuple[ThemeLink, ...] = ()

    @property
    def plan_keys(self) -> tuple[str, ...]:
        return tuple(p.key for p in self.plans)

    def plan(self, key: str) -> PlanInfo:
        for p in self.plans:
            if p.key == key:
                return p
        raise KeyError(key)

    def items_of(self, plan: str, *, types: Iterable[str] | None = None) -> set[str]:
        """IRIs of the items ``plan`` mentions (optionally of some types only)."""
        wanted = None if types is None else set(types)
        return {m.item for m in self.memberships if m.plan == plan
                and (wanted is None or self.items[m.item].type in wanted)}


# --------------------------------------------------------------------------- queries

_PLANS = """
SELECT ?plan ?g ?doc ?title ?region ?regionName ?level ?period ?sy ?ey ?len WHERE {
  GRAPH ?g {
    ?plan a pkg:Plan ; pkg:docId ?doc .
    OPTIONAL { ?plan dcterms:title ?title }
    OPTIONAL { ?plan pkg:adminLevel ?level }
    OPTIONAL { ?plan pkg:period ?period }
    OPTIONAL { ?plan pkg:startYear ?sy }
    OPTIONAL { ?plan pkg:endYear ?ey }
    OPTIONAL { ?plan pkg:textLength ?len }
    OPTIONAL { ?plan pkg:region ?region . OPTIONAL { ?region rdfs:label ?regionName } }
  }
}
"""

# Who mentions what: the (graph, entity) pairs of pkg:mentions, and each plan graph's typed
# entity nodes with their number of evidence links. Two scans the store answers from its
# indexes, joined in Python; one query joining pkg:mentions, rdf:type and pkg:evidence
# with a variable type took 20× longer on a 500-plan store. Entity IRIs come concatenated
# per graph (IRIs hold no space): half the time of one Python row per pair.
_MENTIONS = """
SELECT ?g (GROUP_CONCAT(STR(?e); separator=" ") AS ?es) WHERE {
  GRAPH ?g { ?plan pkg:mentions ?e }
} GROUP BY ?g
"""

# the same without the evidence counts, for set measures (Jaccard) only: 4× cheaper
_TYPED_SETS = """
SELECT ?g ?type (GROUP_CONCAT(STR(?e); separator=" ") AS ?es) WHERE {
  VALUES ?type { pkg:Program pkg:Event pkg:Institution pkg:PolicyDocument pkg:TargetGroup
                 pkg:Theme pkg:Region }
  GRAPH ?g { ?e a ?type }
} GROUP BY ?g ?type
"""

_TYPED = """
SELECT ?g ?e ?type (COUNT(?m) AS ?n) WHERE {
  VALUES ?type { pkg:Program pkg:Event pkg:Institution pkg:PolicyDocument pkg:TargetGroup
                 pkg:Theme pkg:Region }
  GRAPH ?g { ?e a ?type ; pkg:evidence ?m }
} GROUP BY ?g ?e ?type
"""

_INDICATOR_MEMBERSHIPS = """
SELECT ?doc ?e (COUNT(DISTINCT ?t) AS ?n) WHERE {
  GRAPH ?g { ?plan a pkg:Plan ; pkg:docId ?doc ; pkg:hasIndicatorTarget ?t . ?t pkg:indicator ?e }
} GROUP BY ?doc ?e
"""

# The first mention of each (plan, entity): the sentence a claim links to.
_EVIDENCE = """
SELECT ?doc ?e ?m ?start ?end ?snippet ?context ?sec ?path WHERE {
  { SELECT ?g ?doc ?e (MIN(?s0) AS ?start) WHERE {
      GRAPH ?g { ?plan a pkg:Plan ; pkg:docId ?doc ; pkg:mentions ?e .
                 ?e pkg:evidence ?m0 . ?m0 pkg:start ?s0 }
    } GROUP BY ?g ?doc ?e }
  GRAPH ?g {
    ?e pkg:evidence ?m . ?m pkg:start ?start ; pkg:end ?end ; pkg:snippet ?snippet .
    OPTIONAL { ?m pkg:context ?context }
    OPTIONAL { ?m pkg:section ?sec . ?sec pkg:sectionPath ?path }
  }
}
"""

_TARGETS = """
SELECT ?doc ?t ?ind ?row ?unit ?value ?valueText ?cmp ?cum ?bv ?bt ?by ?ty ?attr ?auth ?cat
       ?table ?m ?start ?end ?snippet ?context ?sec ?path WHERE {
  GRAPH ?g {
    ?plan a pkg:Plan ; pkg:docId ?doc ; pkg:hasIndicatorTarget ?t .
    ?t pkg:indicator ?ind ; pkg:rowName ?row .
    OPTIONAL { ?t pkg:cumulative ?cum }
    OPTIONAL { ?t pkg:unit ?unit }
    OPTIONAL { ?t pkg:value ?value }
    OPTIONAL { ?t pkg:valueText ?valueText }
    OPTIONAL { ?t pkg:comparator ?cmp }
    OPTIONAL { ?t pkg:baselineValue ?bv }
    OPTIONAL { ?t pkg:baselineText ?bt }
    OPTIONAL { ?t pkg:baseYear ?by }
    OPTIONAL { ?t pkg:targetYear ?ty }
    OPTIONAL { ?t pkg:attribute ?attr }
    OPTIONAL { ?t pkg:authority ?auth }
    OPTIONAL { ?t pkg:category ?cat }
    OPTIONAL { ?t pkg:table ?table }
    OPTIONAL { ?t pkg:evidence ?m . ?m pkg:start ?start ; pkg:end ?end ; pkg:snippet ?snippet .
               OPTIONAL { ?m pkg:context ?context }
               OPTIONAL { ?m pkg:section ?sec . ?sec pkg:sectionPath ?path } }
  }
}
"""

_THEME_SECTIONS = """
SELECT DISTINCT ?doc ?e ?sec ?s ?t WHERE {
  GRAPH ?g {
    ?plan a pkg:Plan ; pkg:docId ?doc ; pkg:mentions ?e .
    ?e a pkg:Theme ; pkg:evidence ?m . ?m pkg:section ?sec . ?sec pkg:start ?s ; pkg:end ?t .
  }
}
"""

_THEME_LINKS = """
SELECT DISTINCT ?g ?h ?t WHERE {
  GRAPH ?g { ?r pkg:relationType "hasTheme" ; pkg:head ?h ; pkg:tail ?t . ?t a pkg:Theme }
}
"""

# Display names: the canonical graph's prefLabel (the ontology graph's concepts have one too,
# harmless); for an entity without one, the smallest name a plan prints.
_LABELS = """
SELECT ?e ?label WHERE { GRAPH ?cg { ?e skos:prefLabel ?label } }
"""

# the names plans print for the entities listed in VALUES (those without a prefLabel)
_NAMES = """
SELECT ?e (MIN(?name) AS ?label) WHERE {
  VALUES ?e { %s }
  GRAPH ?g { ?e rdfs:label ?name }
} GROUP BY ?e
"""

#: Every query this module runs, by name (what ``bench/bench_compare.py`` times).
QUERIES: dict[str, str] = {
    "plans": _PLANS,
    "mentions": _MENTIONS,
    "typed": _TYPED,
    "typed_sets": _TYPED_SETS,
    "indicator_memberships": _INDICATOR_MEMBERSHIPS,
    "evidence": _EVIDENCE,
    "targets": _TARGETS,
    "theme_sections": _THEME_SECTIONS,
    "theme_links": _THEME_LINKS,
    "labels": _LABELS,
    "names": _NAMES,
}


def open_store(store: Any) -> Any:
    """A ``pyoxigraph.Store`` from a store, a path to one, or an object holding one.

    A path is opened read-only the way ``kg.open`` opens it (several readers may share a
    store; one being built right now is refused rather than read half-way).

    Raises
    ------
    StoreError
        When the path is not an Oxigraph store (names the path and what to run).
    StoreLockedError
        When ``kg build`` is writing the store at this moment.
    """
    import pyoxigraph

    if isinstance(store, pyoxigraph.Store):
        return store
    for attr in ("store", "_store", "ox"):
        inner = getattr(store, attr, None)
        if isinstance(inner, pyoxigraph.Store):
            return inner
    if isinstance(store, (str, os.PathLike)):
        from kg.api import KnowledgeGraph

        return KnowledgeGraph(Path(store), read_only=True).store
    raise StoreError(f"cannot read a graph store from a {type(store).__name__}; pass a path, "
                     "a pyoxigraph.Store or the value kg.open() returns")


def _rows(ox: Any, name: str, prefixes: str, *fill: str) -> Iterable[Any]:
    text = QUERIES[name] % fill if fill else QUERIES[name]
    try:
        return ox.query(prefixes + text)
    except SyntaxError as exc:  # a bug here, not the user's: say which query
        raise StoreError(f"analysis query {name!r} failed to parse: {exc}") from None
    except OSError as exc:
        raise StoreError(f"reading the graph store failed in query {name!r}: {exc}") from None


def _v(term: Any) -> Any:
    return None if term is None else term.value


def _int(term: Any) -> int | None:
    return None if term is None else int(float(term.value))


def _float(term: Any) -> float | None:
    return None if term is None else float(term.value)


def _local(iri: str) -> str:
    return iri.rsplit("#", 1)[-1].rsplit("/", 1)[-1]


def _evidence(doc: str, sol: Any) -> Evidence | None:
    if sol["start"] is None:
        return None
    return Evidence(plan=doc, start=_int(sol["start"]) or 0, end=_int(sol["end"]) or 0,
                    snippet=_v(sol["snippet"]) or "", context=_v(sol["context"]),
                    section=_v(sol["path"]), mention=_v(sol["m"]), section_iri=_v(sol["sec"]))


def select_plans(plans: Sequence[PlanInfo], wanted: Sequence[str] | None) -> list[PlanInfo]:
    """The plans named in ``wanted`` (doc id, plan IRI, region or a title substring).

    Raises
    ------
    StoreError
        When a name matches no plan (lists the plans there are).
    """
    if not wanted:
        return list(plans)
    chosen: dict[str, PlanInfo] = {}
    for name in wanted:
        hits = [p for p in plans if name in (p.key, p.iri, p.region) or name in p.title]
        if not hits:
            known = ", ".join(f"{p.key} ({p.title})" for p in plans) or "none"
            raise StoreError(f"no plan matches {name!r} in the store; plans there: {known}")
        chosen.update((p.key, p) for p in hits)
    return sorted(chosen.values(), key=lambda p: p.key)


def load_facts(store: Any, *, plans: Sequence[str] | None = None, evidence: bool = True,
               targets: bool = True, themes: bool = True, counts: bool = True) -> Facts:
    """Read the facts of (some of) the plans in ``store``.

    Parameters
    ----------
    store : path, pyoxigraph.Store or the graph ``kg.open`` returns
    plans : plan names (doc id, IRI, region or part of the title); default all
    evidence : also read the first mention of each (plan, item) — the report needs it,
        the similarity matrix does not
    targets, themes : also read indicator targets / the sections themes are mentioned in
    counts : count each item's mentions per plan (cosine similarity and theme profiles by
        mentions need them); ``False`` gives every membership a count of 1, enough for
        Jaccard similarity and shared/divergent sets, and reads the store 4× faster

    Returns
    -------
    Facts

    Raises
    ------
    StoreError
        When the store cannot be read, holds no plan, or a plan name matches nothing.

    Notes
    -----
    The queries name no data IRI (graphs are ``GRAPH ?g`` variables), so a store built
    with another ``--base`` reads the same.
    """
    ox = open_store(store)
    prefixes = sparql_prefixes()
    all_plans: dict[str, PlanInfo] = {}
    for sol in _rows(ox, "plans", prefixes):
        doc = _v(sol["doc"])
        old = all_plans.get(doc)
        if old is not None and (old.region or "") <= (_v(sol["regionName"]) or ""):
            continue
        all_plans[doc] = PlanInfo(
            key=doc, iri=_v(sol["plan"]), graph=_v(sol["g"]),
            title=_v(sol["title"]) or doc, region=_v(sol["regionName"]),
            admin_level=_v(sol["level"]), period=_v(sol["period"]),
            start_year=_int(sol["sy"]), end_year=_int(sol["ey"]), text_length=_int(sol["len"]))
    if not all_plans:
        raise StoreError("the graph store holds no plan; build it first with `kg build`")
    chosen = select_plans(sorted(all_plans.values(), key=lambda p: p.key), plans)
    keep = {p.key for p in chosen}

    # hot loops over tens of thousands of rows: unpack solutions (2.5× faster than by name)
    doc_of = {p.graph: p.key for p in chosen}
    mentioned = {(doc_of[g.value], e) for g, es in _rows(ox, "mentions", prefixes)
                 if g.value in doc_of for e in es.value.split(" ")}
    types: dict[str, str] = {}
    found: dict[tuple[str, str], int] = {}
    if counts:
        for g, e, kind, n in _rows(ox, "typed", prefixes):
            key = (doc_of.get(g.value), e.value)
            if key in mentioned:
                types[key[1]] = _local(kind.value)
                found[key] = int(n.value)
    else:
        for g, kind, es in _rows(ox, "typed_sets", prefixes):
            doc, local = doc_of.get(g.value), _local(kind.value)
            for e in es.value.split(" "):
                if (doc, e) in mentioned:
                    types[e] = local
                    found[(doc, e)] = 1
    for key in mentioned:  # a mention without evidence breaks the model, not the analysis
        if key[1] in types:
            found.setdefault(key, 0)
    for doc_term, e, n in _rows(ox, "indicator_memberships", prefixes):
        if doc_term.value in keep:
            types[e.value] = "Indicator"
            found[(doc_term.value, e.value)] = int(n.value) if counts else 1

    labels: dict[str, str] = {}
    for e, label_term in _rows(ox, "labels", prefixes):
        iri = e.value
        if iri in types:
            label = label_term.value
            labels[iri] = min(labels.get(iri, label), label)
    unnamed = sorted(set(types) - set(labels))  # entities the canonical graph does not name
    if unnamed:
        values = " ".join(f"<{iri}>" for iri in unnamed)
        for e, label_term in _rows(ox, "names", prefixes, values):
            labels[e.value] = label_term.value
    items = {iri: Item(iri=iri, type=kind, label=labels.get(iri, _local(iri)))
             for iri, kind in sorted(types.items())}

    first: dict[tuple[str, str], Evidence] = {}
    if evidence:
        for sol in _rows(ox, "evidence", prefixes):
            doc, iri = _v(sol["doc"]), _v(sol["e"])
            if (doc, iri) not in found:
                continue
            ev = _evidence(doc, sol)
            old = first.get((doc, iri))
            if ev is not None and (old is None or (ev.end, ev.section or "", ev.context or "")
                                   < (old.end, old.section or "", old.context or "")):
                first[(doc, iri)] = ev

    target_facts: list[TargetFact] = []
    if targets:
        by_iri: dict[str, TargetFact] = {}
        for sol in _rows(ox, "targets", prefixes):
            doc = _v(sol["doc"])
            if doc not in keep:
                continue
            iri = _v(sol["t"])
            ev = _evidence(doc, sol)
            old = by_iri.get(iri)
            if old is not None:
                if ev is not None and (old.evidence is None or ev.start < old.evidence.start):
                    by_iri[iri] = replace(old, evidence=ev)
                continue
            cum = _v(sol["cum"])
            attr = _v(sol["attr"])
            by_iri[iri] = TargetFact(
                plan=doc, iri=iri, indicator=_v(sol["ind"]), row_name=_v(sol["row"]),
                unit=_v(sol["unit"]), value=_float(sol["value"]),
                value_text=_v(sol["valueText"]), comparator=_v(sol["cmp"]),
                cumulative=cum in ("true", "1"), baseline_value=_float(sol["bv"]),
                baseline_text=_v(sol["bt"]), base_year=_int(sol["by"]),
                target_year=_int(sol["ty"]),
                attribute=_local(attr) if attr and attr.startswith("http") else attr,
                authority=_v(sol["auth"]), category=_v(sol["cat"]), table=_v(sol["table"]),
                evidence=ev)
        target_facts = sorted(by_iri.values(), key=lambda t: (
            t.plan, t.evidence.start if t.evidence else 0, t.iri))

    sections: list[ThemeSection] = []
    links: set[ThemeLink] = set()
    if themes:
        for sol in _rows(ox, "theme_sections", prefixes):
            doc = _v(sol["doc"])
            if doc in keep:
                sections.append(ThemeSection(plan=doc, theme=_v(sol["e"]),
                                             section=_v(sol["sec"]), start=_int(sol["s"]) or 0,
                                             end=_int(sol["t"]) or 0))
        sections.sort(key=lambda s: (s.plan, s.theme, s.start, s.section))
        for g, head, theme in _rows(ox, "theme_links", prefixes):
            doc = doc_of.get(g.value)
            if doc is not None and head.value in types and theme.value in types:
                links.add(ThemeLink(plan=doc, item=head.value, theme=theme.value))

    for t in target_facts:  # an indicator's evidence is its first target row
        if t.evidence is not None and (t.plan, t.indicator) not in first:
            first[(t.plan, t.indicator)] = t.evidence
    memberships = tuple(Membership(plan=doc, item=iri, count=n, evidence=first.get((doc, iri)))
                        for (doc, iri), n in sorted(found.items()))
    log.debug("facts: %d plans, %d items, %d memberships, %d targets", len(chosen),
              len(items), len(memberships), len(target_facts))
    return Facts(plans=tuple(chosen), items=items, memberships=memberships,
                 targets=tuple(target_facts), theme_sections=tuple(sections),
                 theme_links=tuple(sorted(links, key=lambda x: (x.plan, x.theme, x.item))))
