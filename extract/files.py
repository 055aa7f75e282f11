"""Which files a batch reads: the expansion of the paths a user gave.

Apart from :mod:`extract.batch` so that listing files (as a no-change ``kg build`` does)
loads nothing of reading or extraction.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path

from kg.errors import InputFileError

__all__ = ["PLAN_SUFFIXES", "plan_files"]

PLAN_SUFFIXES = (".txt", ".docx", ".pdf", ".html", ".htm")
"""The file name endings a directory is searched for (reading itself sniffs the content)."""


def plan_files(paths: Iterable[str | os.PathLike[str]]) -> list[str]:
    """Expand the paths a user gave: a directory means every plan file directly in it.

    Plan files are the ones named ``*.txt``, ``*.docx``, ``*.pdf``, ``*.html`` or
    ``*.htm`` (any case), hidden files excluded, sorted by name; files named explicitly are
    kept whatever their name (reading recognises the format from the content), in the
    order given.

    Examples
    --------
    >>> from kg.resources import corpus_dir
    >>> [Path(p).name for p in plan_files([corpus_dir()])][:2]
    ['000_7e436999a8e03779.txt', '001_22cd41b2f7035d09.txt']
    """
    out: list[str] = []
    for path in paths:
        p = Path(path)
        if p.is_dir():
            found = sorted(str(c) for c in p.iterdir()
                           if c.is_file() and not c.name.startswith(".")
                           and c.suffix.lower() in PLAN_SUFFIXES)
            if not found:
                raise InputFileError(os.fspath(path), "is a directory with no plan files "
                                     f"({' '.join('*' + s for s in PLAN_SUFFIXES)}) in it")
            out.extend(found)
        else:
            out.append(os.fspath(path))
    return out
