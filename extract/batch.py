"""Run the extraction stages over many plan files: read → structure → extract, in order.

Extraction is a pure function from one file to one record, so a batch may spread files over
processes (``jobs``). This process then reads and structures the files (stages that need no
spaCy) while the workers start, which is mostly importing spaCy (``extract.workers``), and
hands each structured document to a worker that builds the pipeline once and extracts.
Records come back in input order, byte-identical to a one-process run. A file that cannot
be read becomes a ``Failure`` and the batch goes on.
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


def _failure(path: str, exc: Exception) -> Failure:
    """The ``Failure`` for an error met on ``path``; a defect is logged with its traceback
    (and raised again under ``POLICYKG_DEBUG``)."""
    if isinstance(exc, InputFileError):
        return Failure(path, str(exc))
    if isinstance(exc, PolicyKGError):
        return Failure(path, f"{path}: {exc}", kind=type(exc).__name__)
    if os.environ.get("POLICYKG_DEBUG"):
        raise exc
    log.error("internal error on %s", path, exc_info=exc)
    return Failure(path, f"{path}: internal error ({type(exc).__name__}: {exc}); run "
                         "again with POLICYKG_DEBUG=1 for a traceback and report it",
                   kind=type(exc).__name__)


def _structured(path: str) -> PlanDocument | Failure:
    """Read and structure one file (the stages that need no spaCy)."""
    try:
        return structure_document(read(path))
    except Exception as exc:  # noqa: BLE001 - one bad file must not stop a batch
        return _failure(path, exc)


def _extracted(path: str, plan: PlanDocument, with_text: bool) -> Record | Failure:
    """Extract one structured document."""
    from extract.pipeline import extract

    try:
        record = extract(plan)
    except Exception as exc:  # noqa: BLE001 - one defect must not stop a batch of files
        return _failure(path, exc)
    if with_text:
        record = dataclasses.replace(record, text=plan.document.text)
    return record


def _as_line(result: Record | Failure) -> RecordLine | Failure:
    if isinstance(result, Failure):
        return result
    return RecordLine(result.source, result.warnings, result.dumps())


def _extracted_line(path: str, plan: PlanDocument, with_text: bool) -> RecordLine | Failure:
    return _as_line(_extracted(path, plan, with_text))


def _init_worker() -> None:
    from extract.pipeline import make_nlp

    make_nlp()  # once per process


def _ready() -> None:
    """A task that only makes the pool start a worker (see ``_run``)."""


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
    yield from _run(_extracted, plan_files(paths), jobs=jobs, with_text=with_text)


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
    yield from _run(_extracted_line, plan_files(paths), jobs=jobs, with_text=with_text)


# Documents read and structured ahead of the ones being extracted, at most: enough to keep
# the parent busy while the workers start (≈ 0.6 s: importing spaCy, building the pipeline),
# few enough to bound memory on a large batch.
_AHEAD = 64


def _run(extracted: Callable[[str, PlanDocument, bool], Any], files: list[str], *, jobs: int,
         with_text: bool) -> Iterator[tuple[str, Any]]:
    """Read and structure each file here, extract it here or in ``jobs`` workers, and yield
    the results in input order.

    With workers, this process reads and structures while the workers start: a thread asks
    the pool for its workers (which waits for the fork server to import spaCy), and the
    documents structured meanwhile are handed over as soon as the workers are there.
    """
    if jobs <= 1 or len(files) <= 1:
        for path in files:
            plan = _structured(path)
            yield path, plan if isinstance(plan, Failure) else extracted(path, plan, with_text)
        return
    import threading
    from collections import deque
    from concurrent.futures import Future, ProcessPoolExecutor
    from concurrent.futures.process import BrokenProcessPool

    from extract.workers import worker_context

    workers = min(jobs, len(files))
    ahead = max(_AHEAD, 4 * workers)
    with ProcessPoolExecutor(max_workers=workers, mp_context=worker_context(),
                             initializer=_init_worker) as pool:

        def start_workers() -> None:
            try:
                for _ in range(workers):
                    pool.submit(_ready)
            except Exception:  # noqa: BLE001, S110 - the next submit meets it again and says so
                pass

        starting = threading.Thread(target=start_workers, name="policykg-start-workers",
                                    daemon=True)
        starting.start()
        # Each entry: [path, Failure | PlanDocument (not yet handed over) | Future].
        order: deque[list[Any]] = deque()

        def hand_over() -> None:
            for entry in order:
                if isinstance(entry[1], PlanDocument):
                    try:
                        entry[1] = pool.submit(extracted, entry[0], entry[1], with_text)
                    except BrokenProcessPool:
                        entry[1] = _died(entry[0])

        def first_result() -> tuple[str, Any]:
            if isinstance(order[0][1], PlanDocument):
                starting.join()
                hand_over()
            path, item = order.popleft()
            if isinstance(item, Future):
                try:
                    return path, item.result()
                except BrokenProcessPool:
                    return path, _died(path)
            return path, item

        try:
            for path in files:
                while len(order) >= ahead:
                    yield first_result()
                order.append([path, _structured(path)])
                if not starting.is_alive():
                    hand_over()
            while order:
                yield first_result()
        finally:  # a consumer that stops early (`kg extract … | head`) leaves nothing queued
            pool.shutdown(wait=True, cancel_futures=True)


def _died(path: str) -> Failure:
    return Failure(path, f"{path}: the worker process died (out of memory?); run again "
                         "with -j 1", kind="WorkerError")
