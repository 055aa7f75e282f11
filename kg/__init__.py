"""PolicyKG: a knowledge graph of Chinese government plans.

The Python API is the product; the ``kg`` command line is a thin layer over it.
Names are imported on first use (PEP 562), so ``import kg`` stays cheap and a notebook
only pays for spaCy or rdflib when it calls what needs them.
"""

from __future__ import annotations

import importlib
from typing import Any

from kg.errors import (
    ConfigError,
    ExportError,
    InputFileError,
    PolicyKGError,
    QueryError,
    RecordError,
    StoreError,
    StoreLockedError,
)

__version__ = "0.1.0"

# public name -> "module:attribute", imported lazily
_LAZY: dict[str, str] = {
    "read": "extract.read:read",
    "read_bytes": "extract.read:read_bytes",
    "normalise": "extract.normalise:normalise",
    "extract_file": "extract.batch:extract_file",
    "extract_paths": "extract.batch:extract_paths",
    "extract_lines": "extract.batch:extract_lines",
    "structure": "extract.structure:structure",
    "compare": "kg.analysis.compare:compare",
    "write_report": "viz.report:write_report",
    "write_graph_page": "viz.graph:write_graph_page",
    "evaluate_paths": "kg.evaluate:evaluate_paths",
    "evaluate_records": "kg.evaluate:evaluate",
    "load_gold": "kg.evaluate:load_gold",
    "extract_indicators": "extract.indicators:extract_indicators",
    "extract": "extract.pipeline:extract",
    "extract_many": "extract.pipeline:extract_many",
    "make_nlp": "extract.pipeline:make_nlp",
    "build": "kg.api:build",
    "build_records": "kg.graph:build_records",
    "open": "kg.api:open",
    "KnowledgeGraph": "kg.api:KnowledgeGraph",
    "validate_store": "kg.validate:validate_store",
    "resolution_report": "kg.resolve:resolution_report",
    "load_library": "kg.query:load_library",
    "run_query": "kg.query:run_query",
    "export": "kg.export:export",
    "export_formats": "kg.export:formats",
    "property_graph": "kg.export.propgraph:project",
    "push": "kg.push:push",
}

__all__ = [
    "__version__",
    "PolicyKGError",
    "InputFileError",
    "RecordError",
    "QueryError",
    "StoreError",
    "StoreLockedError",
    "ConfigError",
    "ExportError",
    *sorted(_LAZY),
]


def __getattr__(name: str) -> Any:
    target = _LAZY.get(name)
    if target is None:
        raise AttributeError(f"module 'kg' has no attribute {name!r}")
    module, _, attr = target.partition(":")
    value = getattr(importlib.import_module(module), attr)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_LAZY))
