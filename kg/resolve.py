"""Cross-plan resolution: one canonical key (and so one IRI) per real-world thing."""

from __future__ import annotations

import logging
import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from extract.model import Entity, EntityType, IndicatorRow, Metadata, Record
from kg.errors import ConfigError
from kg.iris import Kind
from kg.evaluate import norm  # the one name normalisation (the gold matching rules)

__all__ = [
    "Kind",
    "KIND_OF_TYPE",
    "Resolution",
    "PlanContext",
    "Resolver",
    "load_resolver",
    "Merge",
    "Apart",
    "ResolutionReport",
    "resolution_report",
]

log = logging.getLogger(__name__)


#: Entity type of the interchange format → kind of canonical node.
KIND_OF_TYPE: dict[str, Kind] = {
    EntityType.PROGRAM: Kind.PROGRAM,
    EntityType.EVENT: Kind.EVENT,
    EntityType.INSTITUTION: Kind.INSTITUTION,
    EntityType.POLICY: Kind.POLICY,
    EntityType.TARGET_GROUP: Kind.TARGET_GROUP,
    EntityType.THEME: Kind.THEME,
    EntityType.REGION: Kind.REGION,
}

# A place qualifier in front of a group: 吴中籍高校毕业生 → 高校毕业生
_NATIVE_OF = re.compile(r"^[\u4e00-\u9fff]{1,6}籍(?=[\u4e00-\u9fff]{2})")

_RESOLUTION_FILE = "resolution.ttl"
_SKOS = "http://www.w3.org/2004/02/skos/core#"
_RES = "https://w3id.org/policykg/resolution/"


@dataclass(frozen=True, slots=True)
class Resolution:
    """Where one printed name resolves to.

    Attributes
    ----------
    kind : the kind of canonical node.
    key : the resolution key: two names with the same kind and key are one thing.
    name : the name as the plan prints it.
    label : the preferred label a lexicon gives (concept prefLabel, division name), if any.
    concept : the lexicon concept IRI matched, if any.
    code : the 6-digit division code (regions), if known.
    reasons : the rules applied, in order, in words (for ``kg resolve --report``).
    """

    kind: Kind
    key: str
    name: str
    label: str | None = None
    concept: str | None = None
    code: str | None = None
    reasons: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class PlanContext:
    """What resolution needs to know about the plan a name comes from: its region chain
    (the plan's region first, then the enclosing ones), as (code or None, name) pairs."""

    chain: tuple[tuple[str | None, str], ...] = ()

    @property
    def scope(self) -> str | None:
        """The key prefix of the plan's own region (its code, else its name)."""
        if not self.chain:
            return None
        code, name = self.chain[0]
        return code or norm(name)

    @property
    def region_names(self) -> tuple[str, ...]:
        return tuple(n for _, n in self.chain)


@dataclass(frozen=True, slots=True)
class _Rules:
    level_words: tuple[tuple[str, str], ...]   # (word, suffix it refers to), longest first
    not_level: frozenset[str]
    abbreviations: tuple[tuple[str, str], ...]  # (form, shortest form), longest form first
    national: tuple[str, ...]


def _read_rules(path: Path) -> _Rules:
    import pyoxigraph as ox

    try:
        quads = list(ox.parse(path=str(path), format=ox.RdfFormat.TURTLE))
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read the resolution rules ({exc}); "
                          "reinstall PolicyKG or restore ontology/") from None
    except SyntaxError as exc:
        raise ConfigError(f"{path}: not valid Turtle ({exc}); fix the file") from None
    props: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    for q in quads:
        props[q.subject.value][q.predicate.value].append(q.object.value)
    by_scheme: dict[str, list[dict[str, list[str]]]] = defaultdict(list)
    for s in sorted(props):
        for scheme in props[s].get(_SKOS + "inScheme", []):
            by_scheme[scheme.removeprefix(_RES)].append(props[s])
    try:
        level = [(w, c[_SKOS + "notation"][0]) for c in by_scheme["level-words"]
                 for w in c[_SKOS + "altLabel"]]
        not_level = frozenset(w for c in by_scheme["not-level-words"]
                              for w in c[_SKOS + "altLabel"])
        abbrev = []
        for c in by_scheme["abbreviations"]:
            forms = {*c[_SKOS + "prefLabel"], *c.get(_SKOS + "altLabel", [])}
            short = min(forms, key=lambda f: (len(f), f))
            abbrev.extend((f, short) for f in forms if f != short)
        national = tuple(w for c in by_scheme["national-marks"] for w in c[_SKOS + "altLabel"])
    except (KeyError, IndexError) as exc:
        raise ConfigError(f"{path}: scheme or label {exc} missing; the file needs the schemes "
                          "level-words, not-level-words, abbreviations, national-marks") from None
    return _Rules(
        level_words=tuple(sorted(level, key=lambda p: (-len(p[0]), p[0]))),
        not_level=not_level,
        abbreviations=tuple(sorted(abbrev, key=lambda p: (-len(p[0]), p[0]))),
        national=tuple(sorted(national, key=lambda w: (-len(w), w))),
    )


class Resolver:
    """Resolves printed names to canonical keys, from the lexicons in ``ontology/``.

    Built once (:func:`load_resolver`) and pure afterwards: a key depends on the name, its
    type, its plan's region and the lexicons, never on other plans, so one plan's graph
    can be rebuilt alone.
    """

    def __init__(self, directory: Path) -> None:
        from extract.lexicon import load_lexicon
        from extract.regions import load_divisions

        self.directory = directory
        self.lexicon = load_lexicon(str(directory))
        self.divisions = load_divisions(directory / "divisions.tsv")
        self.rules = _read_rules(directory / _RESOLUTION_FILE)
        self._abbrev = re.compile("|".join(re.escape(f) for f, _ in self.rules.abbreviations))
        self._abbrev_map = dict(self.rules.abbreviations)
        self._national = tuple(sorted({self._abbreviate(norm(m)) for m in self.rules.national},
                                      key=lambda w: (-len(w), w)))
        self._index = {scheme: self._label_index(scheme)
                       for scheme in ("target-group", "theme", "indicator")}

    def _label_index(self, scheme: str) -> dict[str, tuple[str, str]]:
        """norm(label) → (concept IRI, prefLabel); the first concept keeps a shared label."""
        index: dict[str, tuple[str, str]] = {}
        try:
            concepts = self.lexicon.scheme(scheme)
        except ConfigError:
            log.warning("lexicon scheme %r not found in %s; no aliases for it",
                        scheme, self.directory)
            return index
        for c in concepts:
            for label in (c.pref, *c.alts):
                index.setdefault(norm(label), (c.iri, c.pref))
        return index

    # ------------------------------------------------------------------ plan context
    def context(self, metadata: Metadata) -> PlanContext:
        """The region chain of a plan, from its metadata (code when the table knows it)."""
        if not metadata.region:
            return PlanContext(())
        from extract.regions import find_region

        division = None
        if metadata.region_code and metadata.region_code in self.divisions.by_code:
            division = self.divisions.by_code[metadata.region_code]
        else:
            division = find_region(metadata.region, context=list(metadata.parent_regions),
                                   divisions=self.divisions)
            if division is not None and metadata.parent_regions:
                names = {a.name for a in self.divisions.ancestors(division.code)}
                if not names & set(metadata.parent_regions):
                    division = None
        if division is None:
            return PlanContext(((None, metadata.region),
                                *((None, p) for p in metadata.parent_regions)))
        chain = [(division.code, division.name)]
        chain += [(a.code, a.name) for a in self.divisions.ancestors(division.code)]
        return PlanContext(tuple(chain))

    # ------------------------------------------------------------------ entities
    def entity(self, entity: Entity, ctx: PlanContext) -> Resolution:
        """Resolve one entity of a record (see :class:`Resolution`).

        Examples
        --------
        >>> r = load_resolver()
        >>> from extract.model import Entity
        >>> e = Entity("p1", "Program", "省“银发人才”回流计划", (), ())
        >>> r.entity(e, PlanContext()).key
        '银发人才回流计划'
        """
        kind = KIND_OF_TYPE[EntityType(entity.type)]
        name = entity.name
        if kind in (Kind.PROGRAM, Kind.EVENT):
            return self._named(kind, name, strip_level=True)
        if kind is Kind.POLICY:
            return self._named(kind, name, strip_level=False)
        if kind is Kind.TARGET_GROUP:
            return self._concept(kind, "target-group", name, narrow=True)
        if kind is Kind.THEME:
            return self._concept(kind, "theme", name, narrow=False)
        if kind is Kind.REGION:
            return self.region(name, ctx)
        return self._institution(name, ctx)

    def _strip_level(self, n: str) -> tuple[str, str | None]:
        for word, _suffix in self.rules.level_words:
            if n.startswith(word) and len(n) - len(word) >= 2:
                if len(word) == 1 and n[:2] in self.rules.not_level:
                    continue
                return n[len(word):], word
        return n, None

    def _named(self, kind: Kind, name: str, *, strip_level: bool) -> Resolution:
        n = norm(name)
        reasons = []
        if n != name:
            reasons.append("normalised (quotes, spaces, width)")
        if strip_level:
            rest, word = self._strip_level(n)
            if word:
                reasons.append(f"level word {word} dropped")
                n = rest
        return Resolution(kind, n, name, reasons=tuple(reasons))

    def _concept(self, kind: Kind, scheme: str, name: str, *, narrow: bool) -> Resolution:
        index = self._index[scheme]
        n = norm(name)
        reasons: list[str] = []
        hit = index.get(n)
        if hit is None and narrow:
            m = _NATIVE_OF.match(n)
            if m:
                rest = n[m.end():]
                if rest in index:
                    hit = index[rest]
                    reasons.append(f"place qualifier {m.group()} dropped")
            if hit is None:
                for i in range(1, len(n) - 1):
                    if n[i:] in index:
                        hit = index[n[i:]]
                        reasons.append(f"narrowed form of {hit[1]} (qualifier {n[:i]})")
                        break
        if hit is None:
            return Resolution(kind, n, name,
                              reasons=("normalised",) if n != name else ())
        iri, pref = hit
        if not reasons and norm(pref) != n:
            reasons.append(f"alias of {pref} in the {scheme} scheme")
        return Resolution(kind, norm(pref), name, label=pref, concept=iri,
                          reasons=tuple(reasons))

    def _abbreviate(self, n: str) -> str:
        return self._abbrev.sub(lambda m: self._abbrev_map[m.group()], n)

    def _institution(self, name: str, ctx: PlanContext) -> Resolution:
        from extract.regions import region_path, short_name

        n = norm(name)
        reasons: list[str] = []
        forms = sorted({m.group() for m in self._abbrev.finditer(n)}) \
            if self.rules.abbreviations else []
        if forms:
            n = self._abbreviate(n)
            reasons.append("abbreviation " + ", ".join(
                f"{f} ≡ {self._abbrev_map[f]}" for f in forms))
        for mark in self._national:
            if n.startswith(mark):
                reasons.append(f"national body ({mark})")
                return Resolution(Kind.INSTITUTION, f"national:{n}", name,
                                  reasons=tuple(reasons))
        chain = region_path(n, context=ctx.region_names, divisions=self.divisions)
        if chain:
            consumed = 0
            for d in chain:  # walk the names region_path matched
                found = self.divisions.name_at(n, consumed)
                consumed += len(found) if found else 0
            rest = n[consumed:]
            if len(rest) >= 2:
                d = chain[-1]
                if consumed != len(d.name) or n[:consumed] != d.name:
                    reasons.append(f"region prefix {n[:consumed]} read as {d.name}")
                return Resolution(Kind.INSTITUTION, f"{d.code}:{rest}", name,
                                  reasons=tuple(reasons))
        for word, suffix in self.rules.level_words:
            if not n.startswith(word) or len(n) - len(word) < 2:
                continue
            # 省级/市级… grade a body (省级创业示范基地 is one of many), they do not name it
            if suffix == "国" or word.endswith("级"):
                break
            if len(word) == 1 and n[:2] in self.rules.not_level:
                continue
            for code, rname in ctx.chain:
                if rname.endswith(suffix) or short_name(rname) == rname and suffix == "市":
                    reasons.append(f"level word {word} read as {rname}")
                    return Resolution(Kind.INSTITUTION, f"{code or norm(rname)}:{n[len(word):]}",
                                      name, reasons=tuple(reasons))
            break
        scope = ctx.scope
        if scope is None:
            return Resolution(Kind.INSTITUTION, f"unscoped:{n}", name, reasons=tuple(reasons))
        reasons.append(f"scoped to the plan's region {ctx.chain[0][1]}")
        return Resolution(Kind.INSTITUTION, f"{scope}:{n}", name, reasons=tuple(reasons))

    def region(self, name: str, ctx: PlanContext) -> Resolution:
        """Resolve a region name (full, short or a path) to a division when the table
        knows it, settled by the plan's own region chain."""
        from extract.regions import resolve_mention

        d = resolve_mention(name, context=ctx.region_names, divisions=self.divisions)
        if d is None:
            n = norm(name)
            return Resolution(Kind.REGION, n, name, reasons=("not in the division table",))
        reasons = () if d.name == name else (f"division {d.name} ({d.code})",)
        return Resolution(Kind.REGION, d.code, name, label=d.name, code=d.code,
                          reasons=reasons)

    # ------------------------------------------------------------------ indicators
    def indicator(self, row: IndicatorRow) -> Resolution:
        """Resolve an indicator row to its indicator concept: the row's ``canonical``
        name, then the indicator scheme's labels."""
        index = self._index["indicator"]
        reasons: list[str] = []
        for cand, why in ((row.canonical, "the extractor's canonical name"),
                          (row.name, None)):
            if not cand:
                continue
            hit = index.get(norm(cand))
            if hit:
                iri, pref = hit
                if norm(pref) != norm(row.name):
                    reasons.append(f"alias of {pref} in the indicator scheme")
                return Resolution(Kind.INDICATOR, norm(pref), row.name, label=pref,
                                  concept=iri, reasons=tuple(reasons))
        if row.canonical and norm(row.canonical) != norm(row.name):
            return Resolution(Kind.INDICATOR, norm(row.canonical), row.name,
                              label=row.canonical,
                              reasons=(f"{row.canonical} is the extractor's canonical name",))
        return Resolution(Kind.INDICATOR, norm(row.name), row.name)


@lru_cache(maxsize=4)
def _load(directory: str) -> Resolver:
    return Resolver(Path(directory))


def load_resolver(directory: str | Path | None = None) -> Resolver:
    """The resolver of the lexicons in ``directory`` (default: the shipped ``ontology/``),
    built once per process.

    Raises
    ------
    kg.errors.ConfigError
        When a lexicon file is missing or invalid, naming it.
    """
    from kg.resources import ontology_dir

    return _load(str(Path(directory) if directory else ontology_dir()))


# ---------------------------------------------------------------------- the report


@dataclass(frozen=True, slots=True)
class Merge:
    """Several printed names that resolved to one canonical node."""

    kind: Kind
    key: str
    names: tuple[tuple[str, str, tuple[str, ...]], ...]  # (name, doc_id, reasons), sorted


@dataclass(frozen=True, slots=True)
class Apart:
    """One printed name kept as several nodes (e.g. same-named bodies of two regions)."""

    kind: Kind
    name: str
    keys: tuple[tuple[str, str], ...]  # (key, doc_id), sorted


@dataclass(frozen=True, slots=True)
class ResolutionReport:
    merges: tuple[Merge, ...] = ()
    apart: tuple[Apart, ...] = ()
    counts: dict[str, tuple[int, int]] = field(default_factory=dict)  # kind → (names, nodes)


def resolution_report(records: Sequence[Record], *,
                      resolver: Resolver | None = None) -> ResolutionReport:
    """Every merge (two different printed names → one node) and every split (one printed
    name → several nodes) across ``records``, with the reasons.

    Parameters
    ----------
    records : the extraction records of the plans.
    resolver : the resolver to use (default: :func:`load_resolver`).
    """
    resolver = resolver or load_resolver()
    by_key: dict[tuple[Kind, str], set[tuple[str, str, tuple[str, ...]]]] = defaultdict(set)
    by_name: dict[tuple[Kind, str], set[tuple[str, str]]] = defaultdict(set)
    for rec in records:
        ctx = resolver.context(rec.metadata)
        items: Iterable[Resolution] = [resolver.entity(e, ctx) for e in rec.entities]
        items = [*items, *(resolver.indicator(row) for row in rec.indicators)]
        for r in items:
            by_key[(r.kind, r.key)].add((r.name, rec.doc_id, r.reasons))
            by_name[(r.kind, norm(r.name))].add((r.key, rec.doc_id))
    merges = []
    for (kind, key), names in sorted(by_key.items()):
        if len({n for n, _, _ in names}) > 1:
            merges.append(Merge(kind, key, tuple(sorted(names))))
    apart = []
    for (kind, name), keys in sorted(by_name.items()):
        if len({k for k, _ in keys}) > 1:
            apart.append(Apart(kind, name, tuple(sorted(keys))))
    counts: dict[str, tuple[int, int]] = {}
    for kind in Kind:
        names_n = sum(1 for (k, _n) in by_name if k is kind)
        nodes_n = sum(1 for (k, _key) in by_key if k is kind)
        if names_n:
            counts[kind.value] = (names_n, nodes_n)
    return ResolutionReport(tuple(merges), tuple(apart), counts)
