"""Import spaCy without its command-line package.

``import spacy`` runs ``from .cli.info import info``, which imports every ``spacy`` command
and with them weasel, requests, httpx, typer and rich: about a third of spaCy's import time
(≈ 0.3 s of 0.9 s here), paid by every ``kg extract`` and by every worker process, for
code PolicyKG never calls. :func:`import_spacy` imports spaCy with a stand-in for
``spacy.cli`` and ``spacy.cli.info`` whose ``info`` imports the real one when called, then
takes the stand-ins out again, so a later ``import spacy.cli`` gets the real package.

If a spaCy version needs more of ``spacy.cli`` while importing, the import is simply done
again the ordinary way (``tests/extract/test_spacy_import.py`` says so when it happens).
"""

from __future__ import annotations

import importlib.abc
import importlib.machinery
import sys
import types
from typing import Any

__all__ = ["import_spacy"]

_STAND_INS = ("spacy.cli", "spacy.cli.info")


def _info(*args: Any, **kwargs: Any) -> Any:
    """``spacy.info``: spaCy's own, imported on first call."""
    from spacy.cli.info import info

    return info(*args, **kwargs)


class _StandIns(importlib.abc.MetaPathFinder, importlib.abc.Loader):
    """Finds and fills the stand-in modules; every other name is left to the usual finders."""

    def find_spec(self, fullname: str, path: Any = None,
                  target: types.ModuleType | None = None) -> importlib.machinery.ModuleSpec | None:
        if fullname not in _STAND_INS:
            return None
        return importlib.machinery.ModuleSpec(fullname, self, is_package=fullname == "spacy.cli")

    def create_module(self, spec: importlib.machinery.ModuleSpec) -> None:
        return None  # the default module object

    def exec_module(self, module: types.ModuleType) -> None:
        module.__dict__["_policykg_stand_in"] = True
        if module.__name__ == "spacy.cli":
            module.__path__ = []  # no submodule but the stand-in below
        else:
            module.__dict__["info"] = _info


def _is_stand_in(module: object) -> bool:
    return getattr(module, "_policykg_stand_in", False) is True


def _remove_stand_ins() -> None:
    for name in _STAND_INS:
        if _is_stand_in(sys.modules.get(name)):
            del sys.modules[name]
    spacy = sys.modules.get("spacy")
    if spacy is not None and _is_stand_in(getattr(spacy, "cli", None)):
        del spacy.cli


def import_spacy() -> types.ModuleType:
    """Import spaCy (once per process) without ``spacy.cli``; return the ``spacy`` module.

    Examples
    --------
    >>> spacy = import_spacy()
    >>> spacy.blank("zh").lang
    'zh'
    """
    if "spacy" in sys.modules:
        return sys.modules["spacy"]
    finder = _StandIns()
    sys.meta_path.insert(0, finder)
    try:
        import spacy
    except ImportError:
        # This spaCy needs more of its CLI at import time: forget the half-done import and
        # do it the ordinary way.
        for name in [n for n in sys.modules if n == "spacy" or n.startswith("spacy.")]:
            del sys.modules[name]
    finally:
        sys.meta_path.remove(finder)
        _remove_stand_ins()
    import spacy

    return spacy
