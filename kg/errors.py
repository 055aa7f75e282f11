"""The exceptions PolicyKG raises: one root, one subclass per thing the user must fix."""

from __future__ import annotations

__all__ = [
    "PolicyKGError",
    "InputFileError",
    "RecordError",
    "QueryError",
    "StoreError",
    "StoreLockedError",
    "ConfigError",
    "ExportError",
]


class PolicyKGError(Exception):
    """Root of every error PolicyKG raises on purpose.

    The message is written for the user: it names the file (or query, or store), says what
    is wrong and, where there is one, what to do about it. The CLI prints it without a
    traceback and exits non-zero.
    """


class InputFileError(PolicyKGError):
    """A plan file cannot be read: empty, binary, truncated, encrypted, too large …

    Parameters
    ----------
    path : str
        The file, as the user named it.
    problem : str
        What is wrong with it, in a sentence.
    """

    def __init__(self, path: str, problem: str) -> None:
        self.path = str(path)
        self.problem = problem
        super().__init__(f"{self.path}: {problem}")


class RecordError(PolicyKGError):
    """An extraction record does not follow the interchange format (DESIGN.md)."""


class QueryError(PolicyKGError):
    """A SPARQL query is malformed or cannot run; carries line and column when known."""

    def __init__(self, message: str, *, lineno: int | None = None, offset: int | None = None,
                 query: str | None = None) -> None:
        self.lineno = lineno
        self.offset = offset
        self.query = query
        super().__init__(message)


class StoreError(PolicyKGError):
    """The graph store cannot be opened or written (missing, read-only, full …)."""


class StoreLockedError(StoreError):
    """Another process holds the store; wait for it or point at another store."""


class ConfigError(PolicyKGError):
    """An option or a data file in ontology/ is invalid."""


class ExportError(PolicyKGError):
    """An export or a push to another system failed."""
