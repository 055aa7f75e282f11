"""``kg serve``: a read-only SPARQL 1.1 endpoint and a browsing UI over a graph store."""

from __future__ import annotations

import importlib
from typing import Any

__all__ = ["serve", "create_app", "ServeConfig"]

_LAZY = {"serve": "kg.serve.app", "create_app": "kg.serve.app",
         "ServeConfig": "kg.serve.backend"}


def __getattr__(name: str) -> Any:
    if name not in _LAZY:
        raise AttributeError(f"module 'kg.serve' has no attribute {name!r}")
    return getattr(importlib.import_module(_LAZY[name]), name)
