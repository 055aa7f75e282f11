"""RDF exports (Turtle, TriG, N-Triples, N-Quads, JSON-LD) with pyoxigraph's serialisers."""

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path

import pyoxigraph as ox

from kg.errors import ExportError
from kg.export import ExportResult
from kg.export._common import Selection, atomic_file, ontology_prefixes, select_graphs

__all__ = [
    "write_rdf",
    "write_turtle",
    "write_trig",
    "write_ntriples",
    "write_nquads",
    "write_jsonld",
    "RDF_FORMATS",
]

log = logging.getLogger(__name__)

#: export format name -> pyoxigraph format
RDF_FORMATS: dict[str, ox.RdfFormat] = {
    "turtle": ox.RdfFormat.TURTLE,
    "trig": ox.RdfFormat.TRIG,
    "ntriples": ox.RdfFormat.N_TRIPLES,
    "nquads": ox.RdfFormat.N_QUADS,
    "jsonld": ox.RdfFormat.JSON_LD,
}

_PREFIXED = (ox.RdfFormat.TURTLE, ox.RdfFormat.TRIG)


class _Counter:
    """Counts the items of an iterable as a serialiser consumes it."""

    def __init__(self, items: Iterable[ox.Quad | ox.Triple]) -> None:
        self.items = items
        self.count = 0

    def __iter__(self) -> Iterator[ox.Quad | ox.Triple]:
        for item in self.items:
            self.count += 1
            yield item


def _selected_quads(store: ox.Store, selection: Selection) -> Iterator[ox.Quad]:
    for graph in selection.graphs:
        yield from store.quads_for_pattern(None, None, None, graph)


def _union_lines(store: ox.Store, selection: Selection) -> Iterator[bytes]:
    """The union of the selected graphs as N-Triples lines, each triple once.

    N-Triples writes one triple per line and the same triple as the same bytes, so a set of
    lines removes a triple stated in two graphs without building a Python term per quad.
    """
    seen: set[bytes] = set()
    for graph in selection.graphs:
        for line in store.dump(format=ox.RdfFormat.N_TRIPLES,
                               from_graph=graph).splitlines(keepends=True):
            if line not in seen:
                seen.add(line)
                yield line


def write_rdf(store: ox.Store, out: Path, *, format: ox.RdfFormat,
              plans: Sequence[str] | None = None,
              prefixes: dict[str, str] | None = None) -> ExportResult:
    """Write the selected graphs of ``store`` to ``out`` in an RDF ``format``.

    Formats with named graphs (TriG, N-Quads, JSON-LD) keep every graph; Turtle and
    N-Triples get the union of the selected graphs, each triple once.

    Parameters
    ----------
    store : pyoxigraph.Store
        The graph store.
    out : Path
        The file to write (all-or-nothing).
    format : pyoxigraph.RdfFormat
        The serialisation.
    plans : sequence of str, optional
        Only these plans' graphs (and the shared graphs).
    prefixes : dict, optional
        Prefixes for Turtle and TriG; by default those declared in ``ontology/``.

    Returns
    -------
    ExportResult
        ``counts["quads"]`` (dataset formats) or ``counts["triples"]``.

    Examples
    --------
    >>> import pyoxigraph as ox, tempfile, pathlib
    >>> store = ox.Store()
    >>> skos = "http://www.w3.org/2004/02/skos/core#"
    >>> store.add(ox.Quad(ox.NamedNode(skos + "x"), ox.NamedNode(skos + "prefLabel"),
    ...                   ox.Literal("标签", language="zh")))
    >>> out = pathlib.Path(tempfile.mkdtemp()) / "g.ttl"
    >>> write_rdf(store, out, format=ox.RdfFormat.TURTLE).counts
    {'triples': 1}
    >>> print(out.read_text(encoding="utf-8").splitlines()[-1])
    skos:x skos:prefLabel "标签"@zh .
    """
    selection = select_graphs(store, plans)
    chosen = prefixes if prefixes is not None else ontology_prefixes()
    options = {"prefixes": chosen} if format in _PREFIXED else {}
    try:
        with atomic_file(out) as handle:
            if format.supports_datasets:
                if selection.everything:
                    store.dump(handle, format, **options)
                    count = len(store)
                else:
                    counter = _Counter(_selected_quads(store, selection))
                    ox.serialize(counter, handle, format, **options)
                    count = counter.count
                counts = {"quads": count}
            else:
                if len(selection.graphs) == 1:
                    graph = selection.graphs[0]
                    store.dump(handle, format, from_graph=graph, **options)
                    count = sum(1 for _ in store.quads_for_pattern(None, None, None, graph))
                elif format == ox.RdfFormat.N_TRIPLES:
                    count = 0
                    for line in _union_lines(store, selection):
                        handle.write(line)
                        count += 1
                else:
                    lines = b"".join(_union_lines(store, selection))
                    counter = _Counter(ox.parse(lines, format=ox.RdfFormat.N_TRIPLES))
                    ox.serialize(counter, handle, format, **options)
                    count = counter.count
                counts = {"triples": count}
    except OSError as exc:
        raise ExportError(f"{out}: cannot write the {format.name} export: {exc}") from None
    log.info("wrote %s (%s)", out, counts)
    return ExportResult(format=_name(format), path=out, counts=counts)


def _name(format: ox.RdfFormat) -> str:
    return next(name for name, f in RDF_FORMATS.items() if f == format)


def write_turtle(store: ox.Store, out: Path, *, plans: Sequence[str] | None = None,
                 **options: dict[str, str]) -> ExportResult:
    """Turtle: the union of the selected graphs (see :func:`write_rdf`)."""
    return write_rdf(store, out, format=ox.RdfFormat.TURTLE, plans=plans, **options)


def write_trig(store: ox.Store, out: Path, *, plans: Sequence[str] | None = None,
               **options: dict[str, str]) -> ExportResult:
    """TriG: every selected graph kept (see :func:`write_rdf`)."""
    return write_rdf(store, out, format=ox.RdfFormat.TRIG, plans=plans, **options)


def write_ntriples(store: ox.Store, out: Path, *, plans: Sequence[str] | None = None,
                   **options: dict[str, str]) -> ExportResult:
    """N-Triples: the union of the selected graphs (see :func:`write_rdf`)."""
    return write_rdf(store, out, format=ox.RdfFormat.N_TRIPLES, plans=plans, **options)


def write_nquads(store: ox.Store, out: Path, *, plans: Sequence[str] | None = None,
                 **options: dict[str, str]) -> ExportResult:
    """N-Quads: every selected graph kept (see :func:`write_rdf`)."""
    return write_rdf(store, out, format=ox.RdfFormat.N_QUADS, plans=plans, **options)


def write_jsonld(store: ox.Store, out: Path, *, plans: Sequence[str] | None = None,
                 **options: dict[str, str]) -> ExportResult:
    """JSON-LD in expanded form, named graphs as ``@graph`` objects (see :func:`write_rdf`)."""
    return write_rdf(store, out, format=ox.RdfFormat.JSON_LD, plans=plans, **options)

