"""The one loader of the SKOS lexicons in ``ontology/`` that extraction is configured from."""

from __future__ import annotations

import logging
from collections import defaultdict
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from kg.errors import ConfigError

__all__ = ["LEXICON_FILES", "Concept", "Lexicon", "load_lexicon"]

log = logging.getLogger(__name__)

#: The Turtle files read by :func:`load_lexicon`, relative to ``ontology/``.
LEXICON_FILES = ("lexicon.ttl", "target_groups.ttl", "themes.ttl", "indicators.ttl")

_SKOS = "http://www.w3.org/2004/02/skos/core#"
_RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"


@dataclass(frozen=True, slots=True)
class Concept:
    """One SKOS concept: its IRI, scheme, labels (Chinese) and broader concepts.

    ``key`` is the last segment of the IRI (``graduates``); ``scheme`` the key of its
    scheme (``target-group/scheme`` → ``scheme`` is ambiguous, so schemes are keyed by the
    IRI's last two segments joined with ``:`` when the last one is ``scheme``).
    """

    iri: str
    key: str
    scheme: str
    pref: str
    pref_en: str | None
    alts: tuple[str, ...]
    hidden: tuple[str, ...]
    broader: tuple[str, ...]
    notation: str | None = None

    @property
    def labels(self) -> tuple[str, ...]:
        """The preferred label first, then the other labels (no keywords)."""
        return (self.pref, *(a for a in self.alts if a != self.pref))


def _scheme_key(iri: str) -> str:
    # https://w3id.org/policykg/lexicon/program-heads -> program-heads
    # https://w3id.org/policykg/target-group/scheme  -> target-group
    parts = iri.rstrip("/#").replace("#", "/").split("/")
    return parts[-2] if parts[-1] == "scheme" else parts[-1]


@dataclass(frozen=True, slots=True)
class Lexicon:
    """All concepts of the extraction lexicons, grouped by scheme."""

    schemes: dict[str, tuple[Concept, ...]]

    def scheme(self, name: str) -> tuple[Concept, ...]:
        """The concepts of scheme ``name`` in file order; ``ConfigError`` if unknown."""
        try:
            return self.schemes[name]
        except KeyError:
            raise ConfigError(
                f"lexicon scheme {name!r} is not defined in ontology/ "
                f"({', '.join(LEXICON_FILES)}); known schemes: "
                f"{', '.join(sorted(self.schemes))}") from None

    def words(self, name: str) -> tuple[str, ...]:
        """Every label (preferred, alternative) of scheme ``name``, longest first."""
        seen = {w for c in self.scheme(name) for w in (c.pref, *c.alts)}
        return tuple(sorted(seen, key=lambda w: (-len(w), w)))

    def label_index(self, name: str, *, hidden: bool = False) -> dict[str, Concept]:
        """Map every label of scheme ``name`` (and its keywords if ``hidden``) to its
        concept; a label shared by two concepts goes to the first one."""
        index: dict[str, Concept] = {}
        for c in self.scheme(name):
            for w in (c.pref, *c.alts, *(c.hidden if hidden else ())):
                index.setdefault(w, c)
        return index


def _read(paths: tuple[Path, ...]) -> Lexicon:
    import pyoxigraph as ox

    props: dict[str, dict[str, list[tuple[str, str | None]]]] = defaultdict(
        lambda: defaultdict(list))
    order: dict[str, int] = {}
    for path in paths:
        try:
            for t in ox.parse(path=str(path), format=ox.RdfFormat.TURTLE):
                s = t.subject.value
                order.setdefault(s, len(order))
                o = t.object
                lang = getattr(o, "language", None)
                props[s][t.predicate.value].append((o.value, lang))
        except OSError as exc:
            raise ConfigError(f"lexicon file {path} cannot be read ({exc}); "
                              "reinstall PolicyKG or restore ontology/") from None
        except SyntaxError as exc:
            raise ConfigError(f"lexicon file {path} is not valid Turtle: {exc}") from None
    by_scheme: dict[str, list[Concept]] = defaultdict(list)
    concept_type = _SKOS + "Concept"
    for s in sorted(props, key=order.__getitem__):
        p = props[s]
        if (concept_type, None) not in p.get(_RDF_TYPE, []):
            continue

        def zh(pred: str, p: dict = p) -> list[str]:
            return [v for v, lang in p.get(_SKOS + pred, []) if lang == "zh"]

        prefs = zh("prefLabel")
        schemes = [v for v, _ in p.get(_SKOS + "inScheme", [])]
        if len(prefs) != 1 or not schemes:
            raise ConfigError(f"lexicon concept <{s}> needs exactly one skos:prefLabel@zh and "
                              "a skos:inScheme; fix the Turtle file in ontology/")
        en = [v for v, lang in p.get(_SKOS + "prefLabel", []) if lang == "en"]
        notation = [v for v, _ in p.get(_SKOS + "notation", [])]
        key = s.rstrip("/").replace("#", "/").rsplit("/", 1)[-1]
        by_scheme[_scheme_key(schemes[0])].append(Concept(
            iri=s, key=key, scheme=_scheme_key(schemes[0]), pref=prefs[0],
            pref_en=en[0] if en else None, alts=tuple(zh("altLabel")),
            hidden=tuple(zh("hiddenLabel")),
            broader=tuple(v for v, _ in p.get(_SKOS + "broader", [])),
            notation=notation[0] if notation else None))
    return Lexicon(schemes={k: tuple(v) for k, v in by_scheme.items()})


@lru_cache(maxsize=4)
def load_lexicon(directory: str | None = None) -> Lexicon:
    """Load the extraction lexicons (``LEXICON_FILES``) once per process.

    Parameters
    ----------
    directory : the folder holding the Turtle files; ``None`` for the shipped
        ``ontology/`` (``kg.resources.ontology_dir()``).

    Returns
    -------
    Lexicon
        Concepts by scheme key (``program-heads``, ``target-group``, ``theme`` …).

    Raises
    ------
    kg.errors.ConfigError
        When a file is missing or not valid Turtle, naming the file.

    Examples
    --------
    >>> lex = load_lexicon()
    >>> lex.label_index("target-group")["登记失业人员"].pref
    '失业人员'
    """
    from kg.resources import ontology_dir

    folder = Path(directory) if directory else ontology_dir()
    lex = _read(tuple(folder / f for f in LEXICON_FILES))
    log.debug("loaded %d lexicon schemes from %s", len(lex.schemes), folder)
    return lex
