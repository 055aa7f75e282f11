"""What every exporter shares: all-or-nothing writes, graph selection, ontology prefixes."""

from __future__ import annotations

import contextlib
import csv
import functools
import io
import os
import shutil
import tempfile
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO

import pyoxigraph as ox

from kg.errors import ConfigError, ExportError
from kg.resources import ontology_dir

__all__ = ["csv_bytes", "atomic_file", "atomic_dir", "MARKER", "Selection", "select_graphs",
           "ontology_prefixes", "as_store"]


def csv_bytes(header: list[str], rows: Iterable[list[str]]) -> bytes:
    """A CSV file's bytes (UTF-8, ``\\n`` line ends): the header, then the rows."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue().encode("utf-8")


def as_store(source: object) -> ox.Store:
    """The pyoxigraph store behind ``source``: a ``pyoxigraph.Store`` or an open
    ``kg.KnowledgeGraph`` (anything with a ``store`` attribute holding one)."""
    if isinstance(source, ox.Store):
        return source
    inner = getattr(source, "store", None)
    if isinstance(inner, ox.Store):
        return inner
    raise TypeError(f"expected a pyoxigraph.Store or kg.open(...), got {type(source).__name__}")


@functools.cache
def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def _publish_mode(path: Path, *, directory: bool) -> None:
    """Give a temporary file or directory the mode a plain ``open``/``mkdir`` would have
    (mkstemp and mkdtemp make them private to the user, 0600/0700)."""
    os.chmod(path, (0o777 if directory else 0o666) & ~_umask())


def _parent(path: Path) -> Path:
    parent = path.parent
    try:
        parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ExportError(f"{path}: cannot create the folder {parent}: {exc.strerror}; "
                          "choose another --out") from None
    return parent


@contextlib.contextmanager
def atomic_file(path: Path) -> Iterator[IO[bytes]]:
    """Open a temporary file beside ``path``; on success it replaces ``path`` atomically.

    If the body raises, the temporary file is removed and ``path`` is left as it was.
    """
    path = Path(path)
    if path.is_dir():
        raise ExportError(f"{path} is a directory; this format writes one file: "
                          "give a file name to --out")
    parent = _parent(path)
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=parent)
    except OSError as exc:
        raise ExportError(f"{path}: cannot write in {parent}: {exc.strerror}") from None
    try:
        with os.fdopen(fd, "wb") as handle:
            yield handle
        _publish_mode(Path(tmp), directory=False)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


#: The file that marks a directory as written by ``kg export`` (and safe to replace).
MARKER = ".policykg-export"


@contextlib.contextmanager
def atomic_dir(path: Path, *, format: str) -> Iterator[Path]:
    """Fill a temporary directory beside ``path``; on success it takes ``path``'s place.

    ``path`` may exist only as an empty directory or as an earlier export (it holds the
    :data:`MARKER` file): a directory of other files is never replaced. On failure the
    temporary directory is removed and ``path`` is left as it was.
    """
    path = Path(path)
    if path.exists() and not path.is_dir():
        raise ExportError(f"{path} is a file; this format writes a directory: "
                          "give a directory name to --out")
    if path.is_dir() and any(path.iterdir()) and not (path / MARKER).is_file():
        raise ExportError(f"{path} is a directory of other files, not an earlier export; "
                          "it is left alone: give a new directory name to --out")
    parent = _parent(path)
    try:
        tmp = Path(tempfile.mkdtemp(prefix=f".{path.name}.", suffix=".tmp", dir=parent))
    except OSError as exc:
        raise ExportError(f"{path}: cannot write in {parent}: {exc.strerror}") from None
    try:
        yield tmp
        (tmp / MARKER).write_text(f"{format}\n", encoding="utf-8")
        _publish_mode(tmp, directory=True)
        if path.exists():
            old = Path(tempfile.mkdtemp(prefix=f".{path.name}.", suffix=".old", dir=parent))
            os.replace(path, old / "previous")
            os.replace(tmp, path)
            shutil.rmtree(old, ignore_errors=True)
        else:
            os.replace(tmp, path)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise


GraphName = ox.NamedNode | ox.BlankNode | ox.DefaultGraph


@dataclass(frozen=True, slots=True)
class Selection:
    """The graphs of a store an export covers.

    Attributes
    ----------
    graphs : tuple
        Every graph to write (plan graphs, then shared graphs), in a stable order.
    everything : bool
        True when no plan filter was given: the whole store is written.
    """

    graphs: tuple[GraphName, ...]
    everything: bool


def _sort_key(term: GraphName) -> tuple[int, str]:
    if isinstance(term, ox.DefaultGraph):
        return (0, "")
    return (1 if isinstance(term, ox.NamedNode) else 2, term.value)


def select_graphs(store: ox.Store, plans: Sequence[str] | None) -> Selection:
    """The graphs to export: all of them, or the named plans' graphs plus the shared ones.

    A plan is named by its graph IRI, its plan IRI or its document id (the last path segment
    of either). Shared graphs (canonical labels, taxonomies, ontology) are always included,
    so that every exported node keeps its labels.

    Raises
    ------
    ConfigError
        If a name matches no plan; the message lists the plans the store holds.
    """
    from kg.export import _model

    names = sorted(store.named_graphs(), key=_sort_key)
    has_default = next(iter(store.quads_for_pattern(None, None, None, ox.DefaultGraph())), None)
    default: tuple[GraphName, ...] = (ox.DefaultGraph(),) if has_default is not None else ()
    if not plans:
        return Selection(graphs=default + tuple(names), everything=True)
    plan_graphs = _model.plan_graphs(store)
    chosen: list[GraphName] = []
    for wanted in plans:
        hits = [g for g, ref in plan_graphs.items() if wanted in ref.names]
        if not hits:
            known = ", ".join(sorted(ref.id for ref in plan_graphs.values()))
            raise ConfigError(f"no plan {wanted!r} in the store; it holds: {known or 'none'}")
        chosen.extend(h for h in hits if h not in chosen)
    shared = [g for g in names if g not in plan_graphs]
    return Selection(graphs=tuple(sorted(chosen, key=_sort_key)) + default + tuple(shared),
                     everything=False)


@functools.cache
def ontology_prefixes() -> dict[str, str]:
    """The prefixes of the graph model (``kg.vocab.PREFIXES``) and of ``ontology/*.ttl``.

    The model's prefixes come first; then the files' ``@prefix`` declarations in file-name
    order. The first binding of a prefix name wins, and a namespace already bound to
    another name is not bound twice.
    """
    from kg.vocab import PREFIXES

    prefixes: dict[str, str] = dict(PREFIXES)
    for path in sorted(ontology_dir().glob("*.ttl")):
        try:
            with path.open("rb") as handle:
                parser = ox.parse(handle, format=ox.RdfFormat.TURTLE)
                for _ in parser:
                    pass
                declared = parser.prefixes
        except (SyntaxError, OSError) as exc:
            raise ConfigError(f"{path}: cannot read its prefixes: {exc}") from None
        for name, iri in sorted(declared.items()):
            if name not in prefixes and iri not in prefixes.values():
                prefixes[name] = iri
    return dict(sorted(prefixes.items()))
