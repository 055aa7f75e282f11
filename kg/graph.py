"""Incremental build: plan files (or records) → plan graphs, canonical graph, ontology graph."""

from __future__ import annotations

import dataclasses
import hashlib
import logging
import time
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from kg.errors import PolicyKGError, RecordError, StoreError
from kg.iris import Iris, plan_slug
from kg.resources import ONTOLOGY_FILES
from kg.store import GraphStore, GraphWriter, PlanVersion, build_lock
from kg.vocab import DEFAULT_BASE, PKG, RDFS

if TYPE_CHECKING:
    from extract.model import Record
    from kg.resolve import Resolver

# The RDF generation (kg.rdf), the resolver (kg.resolve) and extraction are imported only
# once a plan has to be (re)built: a rebuild with nothing changed never loads them.

__all__ = ["BuildReport", "Progress", "build", "build_records", "build_key", "plan_files",
           "DEFAULT_STORE", "file_sha256", "read_records"]

log = logging.getLogger(__name__)

#: Where ``kg build`` writes when no ``--store`` is given.
DEFAULT_STORE = "policykg.store"
# Bump when the graph layout changes: every plan graph is rebuilt.
_SCHEMA_VERSION = "1"

#: progress(stage, name, done, total); stage ∈ start, skip, extract, write, prune,
#: canonical, done.
Progress = Callable[[str, str, int, int], None]


@dataclass(frozen=True, slots=True)
class BuildReport:
    """What a build did.

    Attributes
    ----------
    store : the store directory.
    built : doc_ids whose plan graph was (re)written.
    skipped : doc_ids left as they were (same sha256 and build key).
    pruned : doc_ids whose graph was dropped (``prune``).
    stale : doc_ids in the store that this build had no file for (kept).
    failed : (file or doc_id, message) for every input that could not be built.
    quads : quads written by this build.
    seconds : wall time.
    """

    store: str
    built: tuple[str, ...] = ()
    skipped: tuple[str, ...] = ()
    pruned: tuple[str, ...] = ()
    stale: tuple[str, ...] = ()
    failed: tuple[tuple[str, str], ...] = ()
    quads: int = 0
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        """True when every input was built or skipped."""
        return not self.failed


def file_sha256(path: str | Path) -> str:
    """Hex SHA-256 of a file's bytes (what ``Document.sha256`` holds)."""
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def _code_fingerprint() -> str:
    h = hashlib.sha256()
    root = Path(__file__).resolve().parent.parent
    files = sorted((root / "extract").rglob("*.py"))
    files += [root / "kg" / n for n in ("rdf.py", "resolve.py", "vocab.py")]
    for f in files:
        try:
            h.update(f.name.encode() + b"\0" + f.read_bytes())
        except OSError:
            continue
    return h.hexdigest()


def build_key(*, base: str, ontology: Path) -> str:
    """Fingerprint of what, besides a file's bytes, shapes its plan graph: the graph layout
    version, the base IRI, the ontology files and the extraction and graph code."""
    h = hashlib.sha256(f"{_SCHEMA_VERSION}\0{base}\0".encode())
    for f in sorted(ontology.glob("*.ttl")) + [ontology / "divisions.tsv"]:
        if f.exists():
            h.update(f.name.encode() + b"\0" + f.read_bytes())
    h.update(_code_fingerprint().encode())
    return h.hexdigest()[:16]


def plan_files(paths: Iterable[str | Path] | None) -> list[Path]:
    """The plan files named by ``paths`` (a directory means every plan file in it), in
    order; ``None`` means the embedded corpus (``kg.resources.corpus_dir()``).

    Raises
    ------
    kg.errors.InputFileError
        When a path does not exist or a directory holds no plan file.
    """
    from extract.files import plan_files as expand
    from kg.errors import InputFileError
    from kg.resources import corpus_dir

    given = [Path(p) for p in paths] if paths is not None else [corpus_dir()]
    for p in given:
        if not p.exists():
            raise InputFileError(str(p), "no such file or directory")
    return [Path(f) for f in dict.fromkeys(expand(given))]


def _extract(path: Path) -> Record:
    """One file → its record with its normalised text (``extract.batch.extract_file``)."""
    from extract.batch import extract_file

    return extract_file(path, with_text=True)


@dataclass(frozen=True, slots=True)
class _Source:
    name: str          # what the user knows it by: the file path, or the doc_id
    doc_id: str
    sha256: str
    load: Callable[[], Record]


def build(paths: Iterable[str | Path] | None = None, *, store: str | Path = DEFAULT_STORE,
          base: str = DEFAULT_BASE, prune: bool = False, wait: bool = True,
          force: bool = False, progress: Progress | None = None,
          on_wait: Callable[[str], None] | None = None) -> BuildReport:
    """Build (or bring up to date) the knowledge graph of plan files in an Oxigraph store.

    Each plan's named graph is replaced in one transaction together with its build record
    (sha256 and build key); a file whose sha256 and build key are unchanged is skipped.
    The canonical graph (labels, aliases, regions) and the ontology graph follow.

    Parameters
    ----------
    paths : plan files or directories; ``None`` for the embedded corpus.
    store : the store directory (created if missing).
    base : the base IRI of data nodes.
    prune : drop the graphs of plans that have no file among ``paths``.
    wait : if another build holds the store, wait for it (else raise).
    force : rebuild every plan, even those whose file and build key are unchanged.
    progress : called as work advances (see :data:`Progress`).
    on_wait : told once when the build has to wait for another one.

    Returns
    -------
    BuildReport
        ``report.failed`` lists the files that could not be built (the others are).

    Raises
    ------
    kg.errors.StoreError, kg.errors.StoreLockedError
        When the store cannot be opened or written; the store is then unchanged.

    Examples
    --------
    >>> import tempfile, kg
    >>> report = kg.build(store=tempfile.mkdtemp() + "/s")  # doctest: +SKIP
    >>> len(report.built)  # doctest: +SKIP
    5
    """
    files = plan_files(paths)
    sources = []
    failed: list[tuple[str, str]] = []
    seen: dict[str, Path] = {}
    for f in files:
        doc_id = f.stem
        if doc_id in seen:
            failed.append((str(f), f"has the same document id {doc_id!r} as {seen[doc_id]}; "
                                   "rename one of the files"))
            continue
        seen[doc_id] = f
        try:
            sha = file_sha256(f)
        except OSError as exc:
            failed.append((str(f), f"cannot be read ({exc.strerror})"))
            continue
        sources.append(_Source(str(f), doc_id, sha, lambda f=f: _extract(f)))
    return _build(sources, store=store, base=base, prune=prune, wait=wait, force=force,
                  progress=progress, on_wait=on_wait, failed=failed)


def build_records(records: Iterable[Record], *, store: str | Path = DEFAULT_STORE,
                  base: str = DEFAULT_BASE, prune: bool = False, wait: bool = True,
                  force: bool = False, progress: Progress | None = None,
                  on_wait: Callable[[str], None] | None = None,
                  failed: Iterable[tuple[str, str]] = ()) -> BuildReport:
    """Like :func:`build`, from extraction records (with their text) instead of files.

    Records whose ``doc_id`` is already in the store with the same sha256 and build key
    are skipped. ``failed`` carries failures met before (e.g. by :func:`read_records`)
    into the report.
    """
    sources = []
    failed = list(failed)
    seen: set[str] = set()
    for rec in records:
        if rec.doc_id in seen:
            failed.append((rec.doc_id, "appears twice in this build; give each record once"))
            continue
        seen.add(rec.doc_id)
        sources.append(_Source(rec.doc_id, rec.doc_id, rec.sha256, lambda rec=rec: rec))
    return _build(sources, store=store, base=base, prune=prune, wait=wait, force=force,
                  progress=progress, on_wait=on_wait, failed=failed)


def read_records(paths: Iterable[str | Path]) -> tuple[list[Record], list[tuple[str, str]]]:
    """Read JSON Lines files of extraction records (``kg extract --format json --with-text``).

    Returns
    -------
    (records, failures)
        The records that parse, and ``(file:line, message)`` for every line that does not
        (a missing key, an unknown entity type …; the message names the document).
    """
    import json

    from extract.model import Record

    records: list[Record] = []
    failures: list[tuple[str, str]] = []
    for path in map(Path, paths):
        try:
            lines = path.read_text(encoding="utf-8").splitlines()
        except OSError as exc:
            failures.append((str(path), f"cannot be read ({exc.strerror})"))
            continue
        except UnicodeDecodeError:
            failures.append((str(path), "is not UTF-8 JSON Lines"))
            continue
        for lineno, line in enumerate(lines, start=1):
            if not line.strip():
                continue
            where = f"{path}:{lineno}"
            try:
                data = json.loads(line)
                if not isinstance(data, dict):
                    raise RecordError("a record must be a JSON object")
                records.append(Record.from_json(data))
            except json.JSONDecodeError as exc:
                failures.append((where, f"not valid JSON ({exc.msg} at column {exc.colno})"))
            except RecordError as exc:
                failures.append((where, str(exc)))
    return records, failures


def _noop(stage: str, name: str, done: int, total: int) -> None:
    return None


def _build(sources: Sequence[_Source], *, store: str | Path, base: str, prune: bool,
           wait: bool, force: bool, progress: Progress | None,
           on_wait: Callable[[str], None] | None,
           failed: list[tuple[str, str]]) -> BuildReport:
    from kg.resources import ontology_dir

    t0 = time.perf_counter()
    tell = progress or _noop
    iris = Iris(base)
    ontology = ontology_dir()
    resolver = _LazyResolver(ontology)
    key = build_key(base=base, ontology=ontology)
    built: list[str] = []
    skipped: list[str] = []
    with build_lock(store, wait=wait, on_wait=on_wait), GraphStore(store) as gs:
        versions = gs.plan_versions()
        total = len(sources)
        tell("start", str(store), 0, total)
        with GraphWriter(gs) as writer:  # plan i is written while plan i+1 is made
            written = _refresh_ontology(gs, writer, iris=iris, ontology=ontology)
            written += _write_plans(sources, versions, writer, iris=iris, resolver=resolver,
                                   key=key, force=force, tell=tell, built=built,
                                   skipped=skipped, failed=failed)
        wanted = {s.doc_id for s in sources}
        stale = sorted(set(versions) - wanted)
        pruned: list[str] = []
        if prune and stale:
            tell("prune", f"{len(stale)} plan graph(s)", total, total)
            gs.drop_graphs(versions[d].graph for d in stale)
            pruned, stale = stale, []
        tell("canonical", "canonical graph", total, total)
        written += _refresh_canonical(gs, iris=iris, resolver=resolver)
        # a store rebuilt under another --base: drop the old base's store-wide graphs
        gs.drop_graphs(g.value for g in gs.ox.named_graphs()
                       if g.value.rsplit("graph/", 1)[-1] in ("canonical", "ontology")
                       and not g.value.startswith(iris.base))
    report = BuildReport(store=str(store), built=tuple(built), skipped=tuple(skipped),
                         pruned=tuple(pruned), stale=tuple(stale), failed=tuple(failed),
                         quads=written, seconds=time.perf_counter() - t0)
    tell("done", str(store), len(sources), len(sources))
    return report


def _write_plans(sources: Sequence[_Source], versions: dict[str, PlanVersion],
                 writer: GraphWriter, *, iris: Iris, resolver: _LazyResolver, key: str,
                 force: bool, tell: Progress, built: list[str], skipped: list[str],
                 failed: list[tuple[str, str]]) -> int:
    """Make and submit the graph of every source that changed; return the quads written.

    ``built`` gets each doc_id once its graph is in the store, in order, and ``tell`` hears
    ``built`` then (from this thread: a progress callback need not be thread-safe)."""
    total = len(sources)
    pending: dict[str, tuple[str, int]] = {}
    written = 0

    def report_written() -> None:
        for doc_id in writer.finished():
            if doc_id == _ONTOLOGY_KEY:
                continue
            name, i = pending.pop(doc_id)
            built.append(doc_id)
            tell("built", name, i, total)

    for i, src in enumerate(sources, start=1):
        old = versions.get(src.doc_id)
        target_graph = iris.plan_graph(plan_slug(src.doc_id))
        if not force and old and old.sha256 == src.sha256 and old.build_key == key \
                and old.graph == target_graph:
            skipped.append(src.doc_id)
            log.info("%s: unchanged (sha256 %s…), skipped", src.name, src.sha256[:12])
            tell("skip", src.name, i, total)
            continue
        tell("extract", src.name, i - 1, total)
        try:
            record = src.load()
            if record.doc_id != src.doc_id:
                record = dataclasses.replace(record, doc_id=src.doc_id)
            pg = _plan_graph(record, iris=iris, resolver=resolver(), build_key=key)
        except StoreError:
            raise
        except PolicyKGError as exc:
            failed.append((src.name, str(exc)))
            log.error("%s: %s", src.name, exc)
            tell("fail", src.name, i, total)
            continue
        except Exception as exc:  # noqa: BLE001 - a batch goes on past a bad file
            log.exception("%s: extraction failed", src.name)
            failed.append((src.name, f"could not be processed ({type(exc).__name__}: "
                                     f"{exc}); run with POLICYKG_DEBUG=1 for details"))
            tell("fail", src.name, i, total)
            continue
        report_written()
        tell("write", src.name, i - 1, total)
        pending[src.doc_id] = (src.name, i)
        writer.submit(src.doc_id, pg.graph, pg.quads, also_drop=[old.graph] if old else [])
        written += len(pg.quads)
    writer.close()
    report_written()
    return written


# the writer's key for the ontology graph: no file stem can be it
_ONTOLOGY_KEY = "\0ontology"


class _LazyResolver:
    """The resolver of ``ontology``, loaded on first call (a no-change rebuild needs none)."""

    __slots__ = ("ontology", "_resolver")

    def __init__(self, ontology: Path) -> None:
        self.ontology = ontology
        self._resolver: Resolver | None = None

    def __call__(self) -> Resolver:
        if self._resolver is None:
            from kg.resolve import load_resolver

            self._resolver = load_resolver(self.ontology)
        return self._resolver


def _plan_graph(record: Record, **options):
    from kg.rdf import plan_graph

    return plan_graph(record, **options)


def _refresh_ontology(gs: GraphStore, writer: GraphWriter, *, iris: Iris,
                      ontology: Path) -> int:
    """Submit the ontology graph to ``writer`` unless the store has it from the same
    ontology files; return the quads submitted."""
    h = hashlib.sha256()
    for name in ONTOLOGY_FILES:
        f = ontology / name
        if f.exists():
            h.update(name.encode() + b"\0" + f.read_bytes())
    fingerprint = h.hexdigest()
    g = iris.graph("ontology")
    if gs.literal(g, g, PKG.derivedFrom) == fingerprint:
        return 0
    import pyoxigraph as ox

    from kg.rdf import ontology_quads

    quads = ontology_quads(ontology, iris=iris)
    quads.append(ox.Quad(ox.NamedNode(g), ox.NamedNode(PKG.derivedFrom), ox.Literal(fingerprint),
                         ox.NamedNode(g)))
    writer.submit(_ONTOLOGY_KEY, g, quads)
    return len(quads)


_ENTRIES = f"""
SELECT ?g ?e ?cls ?label ?concept ?code WHERE {{
  GRAPH ?g {{
    ?plan a <{PKG.Plan}> .
    {{ ?plan <{PKG.mentions}> ?e . ?e a ?cls ; <{RDFS.label}> ?label }}
    UNION {{ ?plan <{PKG.hasIndicatorTarget}>|<{PKG.hasIndicatorResult}> ?o .
            ?o <{PKG.indicator}> ?e . ?e a ?cls ; <{RDFS.label}> ?label }}
    UNION {{ ?plan <{PKG.region}> ?e . ?e <{RDFS.label}> ?label .
            BIND(<{PKG.Region}> AS ?cls) }}
    OPTIONAL {{ ?e <{PKG.concept}> ?concept }}
    OPTIONAL {{ ?e <{PKG.divisionCode}> ?code }}
  }}
}}"""


_SURFACES = f"""
SELECT DISTINCT ?e ?cls ?surface WHERE {{
  GRAPH ?g {{ ?plan a <{PKG.Plan}> ; <{PKG.mentions}> ?e . ?e a ?cls ; <{PKG.surface}> ?surface }}
}}"""

# quotation marks and spaces around or inside a printed name: “春晖计划” → 春晖计划
_PRINT_MARKS = str.maketrans("", "", "“”‘’「」『』\"' \u3000")


def _refresh_canonical(gs: GraphStore, *, iris: Iris, resolver: _LazyResolver) -> int:
    versions = gs.plan_versions()
    h = hashlib.sha256()
    for doc in sorted(versions):
        v = versions[doc]
        h.update(f"{doc}\0{v.sha256}\0{v.build_key}\0{v.graph}\n".encode())
    fingerprint = h.hexdigest()
    g = iris.graph("canonical")
    if gs.literal(g, g, PKG.derivedFrom) == fingerprint:
        return 0
    from kg.rdf import CanonicalEntry, canonical_quads

    names: dict[tuple[str, str], dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    plans: dict[tuple[str, str], set[str]] = defaultdict(set)
    concept: dict[tuple[str, str], str] = {}
    code: dict[tuple[str, str], str] = {}
    for row in gs.ox.query(_ENTRIES):
        k = (row["e"].value, row["cls"].value)
        graph = row["g"].value
        names[k][row["label"].value].add(graph)
        plans[k].add(graph)
        if row["concept"] is not None:
            concept[k] = row["concept"].value
        if row["code"] is not None:
            code[k] = row["code"].value
    printed: dict[tuple[str, str], set[str]] = defaultdict(set)
    for row in gs.ox.query(_SURFACES):  # names as printed, found by search too
        k = (row["e"].value, row["cls"].value)
        form = row["surface"].value.translate(_PRINT_MARKS)
        if k in names and form and form not in names[k]:
            printed[k].add(form)
    entries = [CanonicalEntry(iri=e, cls=cls, names={n: len(gs_) for n, gs_ in
                                                     names[(e, cls)].items()},
                              plans=len(plans[(e, cls)]), concept=concept.get((e, cls)),
                              code=code.get((e, cls)),
                              printed=tuple(sorted(printed.get((e, cls), ()))))
               for (e, cls) in sorted(names)]
    lexicon = resolver().lexicon
    labels = {c.iri: c.pref for concepts in lexicon.schemes.values() for c in concepts}
    quads = canonical_quads(entries, iris=iris, resolver=resolver(), concept_labels=labels,
                            derived_from=fingerprint)
    gs.replace_graph(g, quads)
    return len(quads)
