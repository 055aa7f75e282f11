"""Where the shipped data lives: the ontology, the query library and the embedded corpus."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

__all__ = ["ontology_dir", "queries_dir", "corpus_dir", "ONTOLOGY_FILES"]

#: Turtle files of ``ontology/`` loaded into a store's ontology graph, in this order.
ONTOLOGY_FILES = ("policykg.ttl", "lexicon.ttl", "target_groups.ttl", "themes.ttl",
                  "indicators.ttl", "resolution.ttl")

_CHECKOUT = Path(__file__).resolve().parent.parent


def _find(folder: str, package: str) -> Path:
    # A source checkout or an editable install keeps the folders beside kg/;
    # a wheel carries them inside kg (pyproject.toml maps them there).
    here = _CHECKOUT / folder
    if here.is_dir():
        return here
    return Path(str(resources.files(package)))


def ontology_dir() -> Path:
    """The folder of Turtle files: OWL classes, SKOS schemes, SHACL shapes, lexicons."""
    return _find("ontology", "kg.ontology")


def queries_dir() -> Path:
    """The folder of ready analyst queries (``*.rq``)."""
    return _find("queries", "kg.queries")


def corpus_dir() -> Path:
    """The embedded default corpus: the five seed plans and their manifest."""
    return _find("data", "kg.corpus")
