"""Run the extraction stages over many plan files: read → structure → extract, in order.

Extraction is a pure function from one file to one record, so a batch may spread files over
processes (``jobs``): each worker builds the spaCy pipeline once, and records come back in
input order, byte-identical to a one-process run. A file that cannot be read becomes a
``Failure`` and the batch goes on.
"""

from __future__ import annotations

import dataclasses
import logging
import os
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from extract.model import Document, PlanDocument, Record
from extract.files import plan_files
from extract.read import read
from kg.errors import InputFileError, PolicyKGError

__all__ = ["Failure", "RecordLine", "plan_files", "structure_document", "extract_file",
           "extract_paths", "extract_lines"]

log = logging.getLogger(__name__)


@dataclasses.dataclass(frozen=True, slots=True)
class Failure:
    """A file the batch could not turn into a record: its path and what went wrong.

    ``kind`` is the name of the error class (``InputFileError`` for bad input; another
    name for a defect in PolicyKG, which ``message`` says how to report).
    """

    path: str
    message: str
    kind: str = "InputFileError"

    @property
    def is_input_error(self) -> bool:
        return self.kind == "InputFileError"


@dataclasses.dataclass(frozen=True, slots=True)
class RecordLine:
    """A record already serialised as its JSON Lines line, with what a caller printing it
    still needs: the source and the warnings. Workers hand these back instead of records,
    so the parent process only writes text (unpickling and serialising a record in the
    parent would put 8–9 ms per document on the serial path)."""

    source: str
    warnings: tuple[str, ...]
    line: str


def structure_document(document: Document) -> PlanDocument:
    """The structure stage (``extract.structure.structure``): metadata, sections, tables,
    专栏 boxes, and the ``not a plan document`` warning for a document that is none."""
    from extract.structure import structure

    return structure(document)


def extract_file(path: str | os.PathLike[str], *, with_text: bool = False) -> Record:
    """Read, structure and extract one plan file.

    Parameters
    ----------
    path : str or path-like
        A plan file.
    with_text : bool, keyword-only
        Put the normalised text in the record (``Record.text``), so that
        ``text[start:end]`` can be checked for every offset.

    Returns
    -------
    Record

    Raises
    ------
    InputFileError
        When the file cannot be read (see ``extract.read.read``).
    """
    from extract.pipeline import extract

    document = read(path)
    record = extract(structure_document(document))
    if with_text:
        record = dataclasses.replace(record, text=document.text)
    return record


def _one(path: str, with_text: bool) -> Record | Failure:
    try:
        return extract_file(path, with_text=with_text)
    except InputFileError as exc:
        return Failure(path, str(exc))
    except PolicyKGError as exc:
        return Failure(path, f"{path}: {exc}", kind=type(exc).__name__)
    except Exception as exc:  # noqa: BLE001 - one defect must not stop a batch of files
        if os.environ.get("POLICYKG_DEBUG"):
            raise
        log.exception("internal error on %s", path)
        return Failure(path, f"{path}: internal error ({type(exc).__name__}: {exc}); run "
                             "again with POLICYKG_DEBUG=1 for a traceback and report it",
                       kind=type(exc).__name__)


def _one_line(path: str, with_text: bool) -> RecordLine | Failure:
    result = _one(path, with_text)
    if isinstance(result, Failure):
        return result
    return RecordLine(result.source, result.warnings, result.dumps())


def _init_worker() -> None:
    from extract.pipeline import make_nlp

    make_nlp()  # once per process


def extract_paths(paths: Iterable[str | os.PathLike[str]], *, jobs: int = 1,
                  with_text: bool = False) -> Iterator[tuple[str, Record | Failure]]:
    """Extract every plan file of ``paths``; yield ``(path, Record or Failure)`` in order.

    Parameters
    ----------
    paths : iterable of str or path-like
        Files and directories (a directory means every plan file in it, sorted).
    jobs : int, keyword-only
        Worker processes; 1 runs in this process. Output is the same for every value.
    with_text : bool, keyword-only
        Add the normalised text to each record.

    Yields
    ------
    tuple of (str, Record or Failure)
        One per file, in input order; a file that cannot be read yields a ``Failure``
        and the batch goes on.

    Raises
    ------
    InputFileError
        When a directory holds no plan file.

    Examples
    --------
    >>> from kg.resources import corpus_dir
    >>> path, rec = next(extract_paths([corpus_dir() / "003_9aec27e272238e9b.txt"]))
    >>> rec.doc_id
    '003_9aec27e272238e9b'
    """
    yield from _run(_one, plan_files(paths), jobs=jobs, with_text=with_text)


def extract_lines(paths: Iterable[str | os.PathLike[str]], *, jobs: int = 1,
                  with_text: bool = False) -> Iterator[tuple[str, RecordLine | Failure]]:
    """Like :func:`extract_paths`, but each record comes as its JSON Lines line.

    This is what ``kg extract --format json`` prints; with several ``jobs`` the workers
    serialise, so the parent only writes.

    Examples
    --------
    >>> from kg.resources import corpus_dir
    >>> path, rec = next(extract_lines([corpus_dir() / "003_9aec27e272238e9b.txt"]))
    >>> rec.line.startswith('{"boxes":')
    True
    """
    yield from _run(_one_line, plan_files(paths), jobs=jobs, with_text=with_text)


def _worker_context():  # noqa: ANN202 - a multiprocessing context
    """Where worker processes come from. A fork server that has imported spaCy and
    registered the components once (``forkserver``: it starts clean, with none of this
    process's threads or locks), so each worker is forked ready and only builds its
    pipeline; ``spawn`` where there is no fork server (Windows), each worker then importing
    spaCy itself."""
    import multiprocessing

    if "forkserver" in multiprocessing.get_all_start_methods():
        context = multiprocessing.get_context("forkserver")
        context.set_forkserver_preload(["extract.components"])
        return context
    return multiprocessing.get_context("spawn")


def _run(one: Callable[[str, bool], Any], files: list[str], *, jobs: int,
         with_text: bool) -> Iterator[tuple[str, Any]]:
    if jobs <= 1 or len(files) <= 1:
        for path in files:
            yield path, one(path, with_text)
        return
    from concurrent.futures import ProcessPoolExecutor
    from concurrent.futures.process import BrokenProcessPool

    context = _worker_context()
    with ProcessPoolExecutor(max_workers=min(jobs, len(files)), mp_context=context,
                             initializer=_init_worker) as pool:
        futures = [pool.submit(one, path, with_text) for path in files]
        for path, future in zip(files, futures, strict=True):
            try:
                yield path, future.result()
            except BrokenProcessPool:
                yield path, Failure(path, f"{path}: the worker process died (out of "
                                          "memory?); run again with -j 1", kind="WorkerError")
