"""The notebook API: build a store, open it, query it, hand it to networkx or rdflib."""

from __future__ import annotations

import fcntl
import logging
import os
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kg.graph import DEFAULT_STORE, BuildReport
from kg.graph import build as _build
from kg.errors import QueryError, StoreError, StoreLockedError
from kg.store import LOCK_FILE, GraphStore
from kg.vocab import DCTERMS, PKG, PREFIXES, RDFS, SKOS

if TYPE_CHECKING:
    import networkx as nx
    import pyoxigraph as ox

__all__ = ["build", "open", "KnowledgeGraph", "NETWORK_KINDS"]

log = logging.getLogger(__name__)


#: Kinds of :meth:`KnowledgeGraph.to_networkx` graphs.
NETWORK_KINDS = ("plan-entity", "entity", "relation")


def build(paths: Iterable[str | Path] | None = None, *, store: str | Path = DEFAULT_STORE,
          **options: Any) -> BuildReport:
    """Build or update a store from plan files (see :func:`kg.graph.build`).

    Examples
    --------
    >>> import kg
    >>> report = kg.build(["plans/"], store="plans.store")  # doctest: +SKIP
    >>> report.built, report.skipped  # doctest: +SKIP
    """
    return _build(paths, store=store, **options)


def open(store: str | Path = DEFAULT_STORE, *, read_only: bool = True) -> KnowledgeGraph:
    """Open a store built by ``kg build``.

    Parameters
    ----------
    store : the store directory.
    read_only : open for reading only (the default); several readers may share a store.

    Raises
    ------
    kg.errors.StoreError
        When the store does not exist or cannot be opened.
    kg.errors.StoreLockedError
        When a build is writing the store right now.

    Examples
    --------
    >>> import kg
    >>> g = kg.open("policykg.store")  # doctest: +SKIP
    >>> [p["title"] for p in g.plans()]  # doctest: +SKIP
    """
    return KnowledgeGraph(store, read_only=read_only)


def _python(term: ox.NamedNode | ox.Literal | ox.BlankNode | None) -> Any:
    """A term as a plain Python value: IRIs as str, typed literals as int/float/bool/str."""
    if term is None:
        return None
    import pyoxigraph as ox

    if isinstance(term, ox.Literal):
        dt = term.datatype.value.rsplit("#", 1)[-1]
        try:
            if dt in ("integer", "int", "long", "nonNegativeInteger"):
                return int(term.value)
            if dt in ("decimal", "double", "float"):
                return float(term.value)
            if dt == "boolean":
                return term.value in ("true", "1")
        except ValueError:
            return term.value
        return term.value
    return term.value


def _term(value: Any) -> ox.NamedNode | ox.Literal:
    import pyoxigraph as ox

    if isinstance(value, (ox.NamedNode, ox.Literal, ox.BlankNode)):
        return value
    if isinstance(value, bool):
        return ox.Literal("true" if value else "false",
                          datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#boolean"))
    if isinstance(value, (int, float)):
        return ox.Literal(value)
    if isinstance(value, str):
        if value.startswith("<") and value.endswith(">"):
            return ox.NamedNode(value[1:-1])
        if value.startswith(("http://", "https://", "urn:")):
            return ox.NamedNode(value)
        return ox.Literal(value)
    raise TypeError(f"cannot bind a {type(value).__name__} into a SPARQL query")


class KnowledgeGraph:
    """An open PolicyKG store (use :func:`open`). Close it, or use it in a ``with`` block.

    Attributes
    ----------
    path : the store directory.
    store : the underlying ``pyoxigraph.Store``.
    """

    def __init__(self, path: str | Path, *, read_only: bool = True) -> None:
        self.path = Path(path)
        if not self.path.is_dir():
            raise StoreError(f"store {self.path} does not exist; build it first: "
                             f"kg build --store {self.path}")
        if read_only:
            self._refuse_if_building()
        self._gs = GraphStore(self.path, read_only=read_only, create=False)
        self.store = self._gs.ox

    def _refuse_if_building(self) -> None:
        lock = self.path / LOCK_FILE
        if not lock.exists():
            return
        fd = os.open(lock, os.O_RDONLY)
        try:
            fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
            fcntl.flock(fd, fcntl.LOCK_UN)
        except BlockingIOError:
            raise StoreLockedError(f"store {self.path} is being built right now; open it "
                                   "when the build has finished") from None
        finally:
            os.close(fd)

    def __enter__(self) -> KnowledgeGraph:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Release the store."""
        self._gs.close()

    def __repr__(self) -> str:
        return f"<KnowledgeGraph {self.path}>"

    # ------------------------------------------------------------------ SPARQL
    def query(self, sparql: str, *, union: bool = True, **params: Any) -> Any:
        """Run a SPARQL query; the PolicyKG prefixes (``pkg:``, ``skos:`` …) are predeclared.

        Parameters
        ----------
        sparql : the query.
        union : query the union of all graphs as the default graph (default true).
        **params : values bound to variables of the same name (``?plan`` ← ``plan=...``,
            by a ``VALUES`` block, :func:`kg.query.bind_params`);
            a str that starts with ``http(s)://`` (or is written ``<…>``) binds an IRI,
            other str/int/float/bool a literal.

        Returns
        -------
        list of dict, bool or list of tuple
            SELECT: one dict per row (variable → plain Python value, None if unbound);
            ASK: a bool; CONSTRUCT/DESCRIBE: (subject, predicate, object) tuples.

        Raises
        ------
        kg.errors.QueryError
            When the query is malformed (with line and column) or fails, or is an update
            or holds a ``SERVICE`` clause (refused before anything runs).

        Examples
        --------
        >>> g = kg.open()  # doctest: +SKIP
        >>> g.query("SELECT ?t WHERE { ?p a pkg:Plan ; dcterms:title ?t }")  # doctest: +SKIP
        """
        import pyoxigraph as ox

        from kg.query import bind_params, check_read_only, syntax_error

        check_read_only(sparql)  # no update, and no SERVICE: never an outbound request
        if params:
            sparql = bind_params(sparql, {k: [_term(v)] for k, v in params.items()})
        try:
            result = self.store.query(sparql, prefixes=dict(PREFIXES),
                                      use_default_graph_as_union=union)
        except SyntaxError as exc:
            raise syntax_error(exc, sparql) from None
        except (OSError, ValueError, RuntimeError) as exc:
            raise QueryError(f"query failed on store {self.path}: {exc}", query=sparql) from None
        if isinstance(result, ox.QueryBoolean):
            return bool(result)
        if isinstance(result, ox.QuerySolutions):
            names = [v.value for v in result.variables]
            return [{n: _python(row[n]) for n in names} for row in result]
        return [(t.subject.value, t.predicate.value, _python(t.object)) for t in result]

    # ------------------------------------------------------------------ conveniences
    def plans(self) -> list[dict[str, Any]]:
        """Every plan: iri, doc_id, title, region, admin_level, period, years, graph."""
        q = f"""SELECT ?plan ?graph ?doc_id ?title ?region ?admin_level ?period
                       ?start_year ?end_year ?issued ?sha256 WHERE {{
          GRAPH ?graph {{
            ?plan a <{PKG.Plan}> ; <{PKG.docId}> ?doc_id ; <{DCTERMS.title}> ?title ;
                  <{PKG.sha256}> ?sha256 .
            OPTIONAL {{ ?plan <{PKG.region}>/<{RDFS.label}> ?region }}
            OPTIONAL {{ ?plan <{PKG.adminLevel}> ?admin_level }}
            OPTIONAL {{ ?plan <{PKG.period}> ?period }}
            OPTIONAL {{ ?plan <{PKG.startYear}> ?start_year }}
            OPTIONAL {{ ?plan <{PKG.endYear}> ?end_year }}
            OPTIONAL {{ ?plan <{DCTERMS.issued}> ?issued }}
          }} }} ORDER BY ?doc_id"""
        return self.query(q, union=False)

    def entity(self, iri_or_name: str) -> dict[str, Any] | None:
        """One canonical node by IRI or by any of its names (prefLabel or altLabel).

        Returns
        -------
        dict or None
            ``iri``, ``type``, ``label``, ``aliases``, ``plans`` (doc_ids that mention it)
            and ``mentions`` (plan, section path, start, end, snippet), or None when no
            node has that IRI or name. A name shared by several nodes (two cities'
            same-named bodies) returns the first by IRI; use :meth:`query` for all.
        """
        if iri_or_name.startswith(("http://", "https://")):
            iri = iri_or_name
        else:
            rows = self.query(f"""SELECT DISTINCT ?e WHERE {{
                ?e <{SKOS.prefLabel}>|<{SKOS.altLabel}> ?l . FILTER(STR(?l) = ?name) }}
                ORDER BY ?e LIMIT 1""", name=iri_or_name)
            if not rows:
                return None
            iri = rows[0]["e"]
        info = self.query(f"""SELECT ?type ?label WHERE {{
            ?e a ?type ; <{SKOS.prefLabel}> ?label }} LIMIT 1""", e=f"<{iri}>")
        if not info:
            return None
        aliases = [r["l"] for r in self.query(
            f"SELECT ?l WHERE {{ ?e <{SKOS.altLabel}> ?l }} ORDER BY ?l", e=f"<{iri}>")]
        mentions = self.query(f"""SELECT ?doc_id ?path ?start ?end ?snippet WHERE {{
            GRAPH ?g {{ ?plan <{PKG.docId}> ?doc_id . ?e <{PKG.evidence}> ?m .
              ?m <{PKG.start}> ?start ; <{PKG.end}> ?end ; <{PKG.snippet}> ?snippet .
              OPTIONAL {{ ?m <{PKG.section}>/<{PKG.sectionPath}> ?path }} }}
            }} ORDER BY ?doc_id ?start""", union=False, e=f"<{iri}>")
        plans = sorted({r["doc_id"] for r in self.query(f"""SELECT ?doc_id WHERE {{
            GRAPH ?g {{ ?plan <{PKG.docId}> ?doc_id ;
                (<{PKG.mentions}>|(<{PKG.hasIndicatorTarget}>|<{PKG.hasIndicatorResult}>)/<{PKG.indicator}>) ?e }} }}""",
            union=False, e=f"<{iri}>")})
        return {"iri": iri, "type": info[0]["type"].rsplit("#", 1)[-1],
                "label": info[0]["label"], "aliases": aliases, "plans": plans,
                "mentions": mentions}

    def to_networkx(self, kind: str = "plan-entity") -> nx.Graph:
        """The graph as networkx.

        Parameters
        ----------
        kind : ``plan-entity`` — bipartite: plans and the entities they mention, edge
            ``weight`` = number of mentions; ``entity`` — entities linked when a plan
            mentions both, ``weight`` = number of such plans; ``relation`` — a directed
            multigraph of the relations the plans state (edge ``type``, ``plan``).

        Node attributes: ``label`` (canonical), ``type`` (class name), ``bipartite``
        (0 plans, 1 entities) for ``plan-entity``.

        Raises
        ------
        ValueError
            For an unknown ``kind``.
        """
        import networkx as nx

        if kind not in NETWORK_KINDS:
            raise ValueError(f"unknown network kind {kind!r}; expected one of "
                             f"{', '.join(NETWORK_KINDS)}")
        labels = {r["e"]: (r["label"], r["type"].rsplit("#", 1)[-1]) for r in self.query(
            f"""SELECT ?e ?label ?type WHERE {{ GRAPH ?c {{ ?e <{SKOS.prefLabel}> ?label ;
                a ?type }} FILTER(STRENDS(STR(?c), "graph/canonical")) }}""", union=False)}
        edges = self.query(f"""SELECT ?plan ?title ?e (COUNT(?m) AS ?n) WHERE {{
            GRAPH ?g {{ ?plan a <{PKG.Plan}> ; <{DCTERMS.title}> ?title ;
                             <{PKG.mentions}> ?e . ?e <{PKG.evidence}> ?m }} }}
            GROUP BY ?plan ?title ?e ORDER BY ?plan ?e""", union=False)
        if kind == "plan-entity":
            G = nx.Graph()
            for r in edges:
                G.add_node(r["plan"], label=r["title"], type="Plan", bipartite=0)
                lab, typ = labels.get(r["e"], (r["e"], "?"))
                G.add_node(r["e"], label=lab, type=typ, bipartite=1)
                G.add_edge(r["plan"], r["e"], weight=r["n"])
            return G
        if kind == "entity":
            from itertools import combinations

            by_plan: dict[str, list[str]] = {}
            for r in edges:
                by_plan.setdefault(r["plan"], []).append(r["e"])
            G = nx.Graph()
            for plan in sorted(by_plan):
                ents = sorted(set(by_plan[plan]))
                for e in ents:
                    lab, typ = labels.get(e, (e, "?"))
                    G.add_node(e, label=lab, type=typ)
                for u, v in combinations(ents, 2):
                    w = G.get_edge_data(u, v, {"weight": 0})["weight"]
                    G.add_edge(u, v, weight=w + 1)
            return G
        M = nx.MultiDiGraph()
        for r in self.query(f"""SELECT ?plan ?h ?t ?type WHERE {{ GRAPH ?g {{
                ?plan <{PKG.hasRelation}> ?r . ?r <{PKG.head}> ?h ; <{PKG.tail}> ?t ;
                <{PKG.relationType}> ?type }} }} ORDER BY ?plan ?h ?t ?type""", union=False):
            for n in (r["h"], r["t"]):
                lab, typ = labels.get(n, (n, "?"))
                M.add_node(n, label=lab, type=typ)
            M.add_edge(r["h"], r["t"], type=r["type"], plan=r["plan"])
        return M

    def rdflib(self) -> Any:
        """The store as an ``rdflib.Dataset`` (through oxrdflib), sharing this store.

        Read a named graph with ``rdflib.Graph(ds.store, identifier=URIRef(...))``; to write,
        open the store with ``read_only=False`` and address named graphs explicitly: a
        ``Graph`` opened on the store without an identifier writes into an anonymous graph.
        """
        import rdflib
        from oxrdflib import OxigraphStore

        return rdflib.Dataset(store=OxigraphStore(store=self.store))

    def stats(self) -> Any:
        """Counts per class and per plan (:class:`kg.validate.Stats`)."""
        from kg.validate import store_stats

        return store_stats(self._gs)

    def validate(self) -> Any:
        """SHACL and whole-store checks (:class:`kg.validate.ValidationReport`)."""
        from kg.validate import validate_store

        return validate_store(self._gs)



    def compare(self, *, plans: Iterable[str] | None = None, k: int = 2) -> Any:
        """What the plans share and where they diverge (:func:`kg.analysis.compare`):
        similarity matrices, theme profiles, shared and single-plan items per type and
        theme, and the indicator comparison; ``viz.report.write_report`` renders it.

        Examples
        --------
        >>> with kg.open("policykg.store") as g:  # doctest: +SKIP
        ...     c = g.compare(k=3)
        ...     c.sets["TargetGroup"].shared
        """
        from kg.analysis import compare

        return compare(self, plans=plans, k=k)
