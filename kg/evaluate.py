"""Scoring of extraction records against gold labels (the rules of ``../shared/gold/README.md``).

Pure functions over records and gold dicts: :func:`evaluate` and
:func:`evaluate_record` compare, :func:`load_gold` and :func:`evaluate_paths` add the
file reading that ``kg eval`` needs. Entities are scored per type (precision, recall, F1,
with uncertain gold items neutral and duplicates counted), indicator rows by exact match
and per field, metadata per field; per document and micro-averaged over documents.
"""

from __future__ import annotations

import json
import logging
import math
import re
import unicodedata
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from extract.model import IndicatorRow, Record
from kg.errors import InputFileError, PolicyKGError, RecordError

__all__ = [
    "ENTITY_LISTS",
    "INDICATOR_LISTS",
    "INDICATOR_FIELDS",
    "METADATA_FIELDS",
    "norm",
    "indicator_name_key",
    "EntityScore",
    "IndicatorScore",
    "FieldMismatch",
    "MetadataScore",
    "DocumentEvaluation",
    "Evaluation",
    "score_entities",
    "score_indicators",
    "score_metadata",
    "evaluate_record",
    "evaluate",
    "load_gold",
    "default_gold_dir",
    "evaluate_paths",
]

log = logging.getLogger(__name__)

#: Entity type of a record → the gold list it is scored against.
ENTITY_LISTS: dict[str, str] = {
    "Program": "programs",
    "TargetGroup": "target_groups",
    "Policy": "policies",
    "Institution": "institutions",
}
#: Indicator ``kind`` → the gold list of rows it is scored against.
INDICATOR_LISTS: dict[str, str] = {"target": "indicators", "past": "past_indicators"}
#: The fields compared on a matched indicator row; the first five (with the name) make
#: an exact match, ``baseline`` is reported but not required.
INDICATOR_FIELDS = ("target_value", "comparator", "cumulative", "unit", "attribute", "baseline")
_EXACT_FIELDS = INDICATOR_FIELDS[:5]
METADATA_FIELDS = ("title", "region", "parent_regions", "admin_level", "period",
                   "start_year", "end_year", "doc_number", "issuer", "issue_date")
# Gold lists whose strings are "A/B/C" alias notations.
_ALIAS_LISTS = frozenset({"target_groups", "institutions"})

# --------------------------------------------------------------------------- normalisation

_QUOTES = re.compile(r"[\"'“”‘’「」『』〝〞《》〈〉]")
_TABLE = str.maketrans({"〔": "(", "〕": ")", "【": "(", "】": ")", "[": "(", "]": ")",
                        "‐": "-", "‑": "-", "‒": "-", "–": "-", "—": "-", "―": "-", "−": "-",
                        "・": "·", "•": "·", "‧": "·"})


def norm(s: str) -> str:
    """The normalisation both sides go through before any string comparison.

    NFKC; whitespace removed; quote marks and title brackets removed; every bracket pair
    mapped to ``()``; dash and middle-dot variants unified; Latin letters lower-cased.

    Examples
    --------
    >>> norm("“某某计划”"), norm("某政办〔2021〕1号") == norm("某政办[2021]1号")
    ('某某计划', True)
    >>> norm("【 65 】"), norm("ＡＢ—１")
    ('(65)', 'ab-1')
    """
    s = unicodedata.normalize("NFKC", s)
    s = re.sub(r"\s+", "", s)
    s = _QUOTES.sub("", s)
    return s.translate(_TABLE).lower()


# A leading serial number ("1.", "1、", "12．") and a trailing parenthesised unit of a
# predicted indicator name ("城镇新增就业人数（万人）").
_SERIAL = re.compile(r"^\s*\d+\s*[.、．]\s*")
_TRAILING_UNIT = re.compile(r"\s*[（(][^（）()]{1,6}[）)]\s*$")


def indicator_name_key(name: str) -> str:
    """The key indicator rows are matched on: serial number and trailing unit stripped,
    then :func:`norm`.

    Examples
    --------
    >>> indicator_name_key("1. 城镇新增就业人数（万人）")
    '城镇新增就业人数'
    """
    name = _SERIAL.sub("", name)
    stripped = _TRAILING_UNIT.sub("", name)
    return norm(stripped if stripped else name)


# --------------------------------------------------------------------------- scores


def _ratio(num: int, den: int, *, empty: float = 1.0) -> float:
    return num / den if den else empty


def _f1(p: float, r: float) -> float:
    return 2 * p * r / (p + r) if p + r else 0.0


@dataclass(frozen=True, slots=True)
class EntityScore:
    """Scores of one entity type (one document, or summed over documents).

    ``duplicates`` are predictions that matched an already matched gold item;
    ``uncertain`` predictions that matched only uncertain gold items (both neutral).
    ``misses`` names the gold items not found (their first form), ``false_positives``
    the predictions that matched nothing, ``duplicated`` the predictions counted as
    duplicates (one gold item found as two entities: a plan's two printings of one thing
    that were not merged).
    """

    tp: int = 0
    fp: int = 0
    fn: int = 0
    duplicates: int = 0
    uncertain: int = 0
    misses: tuple[str, ...] = ()
    false_positives: tuple[str, ...] = ()
    duplicated: tuple[str, ...] = ()

    @property
    def precision(self) -> float:
        """TP / (TP + FP); 1.0 when nothing was predicted."""
        return _ratio(self.tp, self.tp + self.fp)

    @property
    def recall(self) -> float:
        """TP / (TP + FN); 1.0 when there is nothing to find."""
        return _ratio(self.tp, self.tp + self.fn)

    @property
    def f1(self) -> float:
        return _f1(self.precision, self.recall)

    def __add__(self, other: EntityScore) -> EntityScore:
        return EntityScore(self.tp + other.tp, self.fp + other.fp, self.fn + other.fn,
                           self.duplicates + other.duplicates,
                           self.uncertain + other.uncertain,
                           self.misses + other.misses,
                           self.false_positives + other.false_positives,
                           self.duplicated + other.duplicated)

    def to_json(self) -> dict[str, Any]:
        return {"tp": self.tp, "fp": self.fp, "fn": self.fn, "duplicates": self.duplicates,
                "uncertain": self.uncertain, "precision": self.precision,
                "recall": self.recall, "f1": self.f1, "misses": list(self.misses),
                "false_positives": list(self.false_positives),
                "duplicated": list(self.duplicated)}


@dataclass(frozen=True, slots=True)
class FieldMismatch:
    """A matched indicator row whose field differs from the gold row."""

    name: str
    field: str
    predicted: Any
    gold: Any

    def to_json(self) -> dict[str, Any]:
        return {"name": self.name, "field": self.field, "predicted": self.predicted,
                "gold": self.gold}


@dataclass(frozen=True, slots=True)
class IndicatorScore:
    """Scores of one indicator list (``target`` or ``past``).

    ``exact_rate`` is exact rows / gold rows; ``field_correct[f]`` counts matched rows
    whose field ``f`` agrees; precision and recall are over rows matched by name.
    """

    gold: int = 0
    predicted: int = 0
    matched: int = 0
    exact: int = 0
    field_correct: tuple[tuple[str, int], ...] = tuple((f, 0) for f in INDICATOR_FIELDS)
    misses: tuple[str, ...] = ()
    false_positives: tuple[str, ...] = ()
    mismatches: tuple[FieldMismatch, ...] = ()

    @property
    def exact_rate(self) -> float:
        """Exact rows / gold rows (1.0 for an empty gold list with no predictions)."""
        return _ratio(self.exact, self.gold, empty=1.0 if not self.predicted else 0.0)

    @property
    def precision(self) -> float:
        return _ratio(self.matched, self.predicted)

    @property
    def recall(self) -> float:
        return _ratio(self.matched, self.gold)

    def field_accuracy(self, name: str) -> float:
        """Share of matched rows whose field ``name`` agrees with gold."""
        return _ratio(dict(self.field_correct)[name], self.matched)

    def __add__(self, other: IndicatorScore) -> IndicatorScore:
        a, b = dict(self.field_correct), dict(other.field_correct)
        return IndicatorScore(
            self.gold + other.gold, self.predicted + other.predicted,
            self.matched + other.matched, self.exact + other.exact,
            tuple((f, a[f] + b[f]) for f in INDICATOR_FIELDS),
            self.misses + other.misses, self.false_positives + other.false_positives,
            self.mismatches + other.mismatches)

    def to_json(self) -> dict[str, Any]:
        return {"gold": self.gold, "predicted": self.predicted, "matched": self.matched,
                "exact": self.exact, "exact_rate": self.exact_rate,
                "precision": self.precision, "recall": self.recall,
                "field_accuracy": {f: self.field_accuracy(f) for f in INDICATOR_FIELDS},
                "misses": list(self.misses), "false_positives": list(self.false_positives),
                "mismatches": [m.to_json() for m in self.mismatches]}


@dataclass(frozen=True, slots=True)
class MetadataScore:
    """Per-field agreement of a document's metadata (or counts summed over documents)."""

    right: tuple[tuple[str, int], ...] = tuple((f, 0) for f in METADATA_FIELDS)
    total: tuple[tuple[str, int], ...] = tuple((f, 0) for f in METADATA_FIELDS)
    mismatches: tuple[FieldMismatch, ...] = ()

    @property
    def accuracy(self) -> float:
        """Right fields / scored fields."""
        return _ratio(sum(n for _, n in self.right), sum(n for _, n in self.total))

    def field_accuracy(self, name: str) -> float:
        return _ratio(dict(self.right)[name], dict(self.total)[name])

    def __add__(self, other: MetadataScore) -> MetadataScore:
        ra, rb, ta, tb = (dict(x) for x in (self.right, other.right, self.total, other.total))
        return MetadataScore(tuple((f, ra[f] + rb[f]) for f in METADATA_FIELDS),
                             tuple((f, ta[f] + tb[f]) for f in METADATA_FIELDS),
                             self.mismatches + other.mismatches)

    def to_json(self) -> dict[str, Any]:
        return {"accuracy": self.accuracy,
                "fields": {f: self.field_accuracy(f) for f in METADATA_FIELDS},
                "mismatches": [m.to_json() for m in self.mismatches]}


@dataclass(frozen=True, slots=True)
class DocumentEvaluation:
    """All scores of one document."""

    doc_id: str
    entities: tuple[tuple[str, EntityScore], ...]
    indicators: tuple[tuple[str, IndicatorScore], ...]
    metadata: MetadataScore

    def entity(self, entity_type: str) -> EntityScore:
        return dict(self.entities)[entity_type]

    def indicator(self, kind: str) -> IndicatorScore:
        return dict(self.indicators)[kind]

    def to_json(self) -> dict[str, Any]:
        return {"doc_id": self.doc_id,
                "entities": {t: s.to_json() for t, s in self.entities},
                "indicators": {k: s.to_json() for k, s in self.indicators},
                "metadata": self.metadata.to_json()}


@dataclass(frozen=True, slots=True)
class Evaluation:
    """Scores of a set of documents and their micro-average (counts summed first).

    ``unscored`` are records without gold labels; ``missing`` gold documents without a
    record; ``failed`` the (file, message) of inputs that could not be extracted.
    """

    documents: tuple[DocumentEvaluation, ...]
    unscored: tuple[str, ...] = ()
    missing: tuple[str, ...] = ()
    failed: tuple[tuple[str, str], ...] = ()
    micro_entities: tuple[tuple[str, EntityScore], ...] = field(init=False)
    micro_indicators: tuple[tuple[str, IndicatorScore], ...] = field(init=False)
    micro_metadata: MetadataScore = field(init=False)

    def __post_init__(self) -> None:
        ents = {t: EntityScore() for t in ENTITY_LISTS}
        inds = {k: IndicatorScore() for k in INDICATOR_LISTS}
        meta = MetadataScore()
        for d in self.documents:
            for t, es in d.entities:
                ents[t] = ents[t] + es
            for k, ks in d.indicators:
                inds[k] = inds[k] + ks
            meta = meta + d.metadata
        object.__setattr__(self, "micro_entities", tuple(ents.items()))
        object.__setattr__(self, "micro_indicators", tuple(inds.items()))
        object.__setattr__(self, "micro_metadata", meta)

    def entity(self, entity_type: str) -> EntityScore:
        """The micro-averaged score of an entity type (``Program`` …)."""
        return dict(self.micro_entities)[entity_type]

    def indicator(self, kind: str) -> IndicatorScore:
        """The micro-averaged indicator score of ``target`` or ``past`` rows."""
        return dict(self.micro_indicators)[kind]

    def to_json(self) -> dict[str, Any]:
        """A plain dict (keys stable) for ``kg eval --format json``."""
        return {
            "documents": [d.to_json() for d in self.documents],
            "micro": {"entities": {t: s.to_json() for t, s in self.micro_entities},
                      "indicators": {k: s.to_json() for k, s in self.micro_indicators},
                      "metadata": self.micro_metadata.to_json()},
            "unscored": list(self.unscored),
            "missing": list(self.missing),
            "failed": [{"file": f, "error": e} for f, e in self.failed],
        }


# --------------------------------------------------------------------------- entities


@dataclass(frozen=True, slots=True)
class _GoldItem:
    label: str
    keys: frozenset[str]
    uncertain: bool


def _gold_items(gold: Mapping[str, Any], list_name: str) -> list[_GoldItem]:
    items: list[_GoldItem] = []
    for entry in gold.get(list_name) or ():
        if isinstance(entry, str):
            forms = entry.split("/") if list_name in _ALIAS_LISTS else [entry]
            keys = frozenset(norm(f) for f in forms if norm(f))
            items.append(_GoldItem(forms[0], keys, False))
        elif isinstance(entry, Mapping):
            forms = [entry.get("name") or "", *(entry.get("surface") or ())]
            keys = frozenset(norm(f) for f in forms if f and norm(f))
            items.append(_GoldItem(forms[0] or next(iter(keys), ""), keys,
                                   bool(entry.get("uncertain"))))
    return items


def score_entities(names: Sequence[str], gold_items: Sequence[Any], *,
                   list_name: str = "programs") -> EntityScore:
    """Score predicted entity names against one gold list.

    A prediction matches a gold item when its normalised name equals one of the item's
    normalised keys. Gold items are matched one-to-one (a maximum matching, so a
    prediction that fits two items never takes the one another prediction needed);
    left-over predictions that fit a matched item are duplicates, those that fit only
    uncertain items are dropped, the rest are false positives.

    Parameters
    ----------
    names : the predicted entity names of one type.
    gold_items : the gold list (strings, or program objects with ``name``/``surface``).
    list_name : the gold list's key; ``target_groups`` and ``institutions`` split
        ``"A/B"`` into forms of one item.

    Examples
    --------
    >>> s = score_entities(["高校毕业生", "大学毕业生", "农民工", "居民"],
    ...                    ["高校毕业生/大学毕业生", "农民工", "残疾人"],
    ...                    list_name="target_groups")
    >>> s.tp, s.fp, s.fn, s.duplicates, s.false_positives, s.misses, s.duplicated
    (2, 1, 1, 1, ('居民',), ('残疾人',), ('高校毕业生',))
    """
    items = _gold_items({list_name: list(gold_items)}, list_name)
    preds = sorted(names, key=lambda n: (norm(n), n))
    keys = [norm(n) for n in preds]
    candidates = [[i for i, it in enumerate(items) if k in it.keys] for k in keys]
    certain = [[i for i in c if not items[i].uncertain] for c in candidates]
    owner: dict[int, int] = {}  # gold item index -> prediction index

    def augment(p: int, seen: set[int]) -> bool:
        for i in certain[p]:
            if i in seen:
                continue
            seen.add(i)
            if i not in owner or augment(owner[i], seen):
                owner[i] = p
                return True
        return False

    for p in range(len(preds)):
        augment(p, set())
    assigned = set(owner.values())
    fp: list[str] = []
    duplicated: list[str] = []
    duplicates = uncertain = 0
    for p, name in enumerate(preds):
        if p in assigned:
            continue
        if certain[p]:
            duplicates += 1
            duplicated.append(name)
        elif candidates[p]:
            uncertain += 1
        else:
            fp.append(name)
    misses = [it.label for i, it in enumerate(items) if not it.uncertain and i not in owner]
    return EntityScore(tp=len(owner), fp=len(fp), fn=len(misses), duplicates=duplicates,
                       uncertain=uncertain, misses=tuple(misses), false_positives=tuple(fp),
                       duplicated=tuple(duplicated))


# --------------------------------------------------------------------------- indicators


def _num_equal(a: Any, b: Any) -> bool:
    if a is None or b is None:
        return a is None and b is None
    try:
        return math.isclose(float(a), float(b), rel_tol=1e-9, abs_tol=1e-9)
    except (TypeError, ValueError):
        return False


def _opt_norm(value: Any) -> str | None:
    if value is None:
        return None
    s = norm(str(value))
    return s or None


def _field_pairs(pred: IndicatorRow, gold: Mapping[str, Any]) -> dict[str, tuple[Any, Any, bool]]:
    return {
        "target_value": (pred.target_value, gold.get("target_value"),
                         _num_equal(pred.target_value, gold.get("target_value"))),
        "comparator": (pred.comparator, gold.get("comparator"),
                       (pred.comparator or None) == (gold.get("comparator") or None)),
        "cumulative": (bool(pred.cumulative), bool(gold.get("cumulative")),
                       bool(pred.cumulative) == bool(gold.get("cumulative"))),
        "unit": (pred.unit, gold.get("unit"), _opt_norm(pred.unit) == _opt_norm(gold.get("unit"))),
        "attribute": (pred.attribute, gold.get("attribute"),
                      _opt_norm(pred.attribute) == _opt_norm(gold.get("attribute"))),
        "baseline": (pred.baseline_text, gold.get("baseline"),
                     _opt_norm(pred.baseline_text) == _opt_norm(gold.get("baseline"))),
    }


def score_indicators(predicted: Sequence[IndicatorRow],
                     gold_rows: Sequence[Mapping[str, Any]]) -> IndicatorScore:
    """Score the predicted rows of one kind against one gold list of rows.

    Rows match by :func:`indicator_name_key`; where several rows share a name they pair
    in document order. A matched row is exact when ``target_value``, ``comparator``,
    ``cumulative``, ``unit`` and ``attribute`` all agree.

    Examples
    --------
    >>> from extract.model import IndicatorRow
    >>> row = IndicatorRow(name="1.城镇登记失业率(%)", canonical=None, unit="%",
    ...     target_text="3以内", target_value=3.0, comparator="<=", cumulative=False,
    ...     baseline_text=None, baseline_value=None, attribute="预期性", kind="target",
    ...     table="表2", start=0, end=10)
    >>> gold = [{"name": "城镇登记失业率", "unit": "%", "target_value": 3,
    ...          "comparator": "<=", "cumulative": False, "attribute": "预期性"}]
    >>> s = score_indicators([row], gold)
    >>> s.exact, s.exact_rate, s.field_accuracy("unit")
    (1, 1.0, 1.0)
    """
    by_key: dict[str, list[int]] = {}
    for i, g in enumerate(gold_rows):
        by_key.setdefault(indicator_name_key(g.get("name") or ""), []).append(i)
    used: set[int] = set()
    correct = dict.fromkeys(INDICATOR_FIELDS, 0)
    exact = matched = 0
    fps: list[str] = []
    mismatches: list[FieldMismatch] = []
    for row in sorted(predicted, key=lambda r: (r.start, r.end, r.name)):
        slots = [i for i in by_key.get(indicator_name_key(row.name), ()) if i not in used]
        if not slots:
            fps.append(row.name)
            continue
        g = gold_rows[slots[0]]
        used.add(slots[0])
        matched += 1
        pairs = _field_pairs(row, g)
        for f, (p, gv, ok) in pairs.items():
            if ok:
                correct[f] += 1
            else:
                mismatches.append(FieldMismatch(g.get("name") or row.name, f, p, gv))
        if all(pairs[f][2] for f in _EXACT_FIELDS):
            exact += 1
    misses = tuple(g.get("name") or "" for i, g in enumerate(gold_rows) if i not in used)
    return IndicatorScore(gold=len(gold_rows), predicted=len(predicted), matched=matched,
                          exact=exact, field_correct=tuple(correct.items()), misses=misses,
                          false_positives=tuple(fps), mismatches=tuple(mismatches))


# --------------------------------------------------------------------------- metadata


def _meta_value(name: str, value: Any) -> Any:
    if name == "parent_regions":
        items = [norm(str(v)) for v in value or ()]
        return tuple(items) or None
    if name in ("start_year", "end_year"):
        try:
            return int(value) if value is not None else None
        except (TypeError, ValueError):
            return value
    if name == "issue_date":
        return str(value) if value else None
    return _opt_norm(value)


def score_metadata(predicted: Mapping[str, Any], gold: Mapping[str, Any]) -> MetadataScore:
    """Compare metadata field by field (strings normalised, years as integers,
    ``issue_date`` exactly, ``parent_regions`` as an ordered list); a gold ``null`` is
    matched only by a missing prediction.

    Examples
    --------
    >>> s = score_metadata({"doc_number": "某政办[2021]1号", "start_year": "2021"},
    ...                    {"doc_number": "某政办〔2021〕1号", "start_year": 2021})
    >>> s.field_accuracy("doc_number"), s.field_accuracy("start_year"), s.accuracy
    (1.0, 1.0, 1.0)
    """
    right: list[tuple[str, int]] = []
    mismatches: list[FieldMismatch] = []
    for f in METADATA_FIELDS:
        p, g = _meta_value(f, predicted.get(f)), _meta_value(f, gold.get(f))
        ok = p == g
        right.append((f, int(ok)))
        if not ok:
            mismatches.append(FieldMismatch(f, f, predicted.get(f), gold.get(f)))
    return MetadataScore(right=tuple(right), total=tuple((f, 1) for f in METADATA_FIELDS),
                         mismatches=tuple(mismatches))


# --------------------------------------------------------------------------- documents


def _as_record(record: Record | Mapping[str, Any]) -> Record:
    return record if isinstance(record, Record) else Record.from_json(dict(record))


def evaluate_record(record: Record | Mapping[str, Any],
                    gold: Mapping[str, Any]) -> DocumentEvaluation:
    """Score one record against its gold labels.

    Indicator rows with ``table`` None (goals read from the prose) are left out: the
    gold lists hold table rows only, so scoring them would count true goals as false
    positives.
    """
    rec = _as_record(record)
    entities = []
    for etype, list_name in ENTITY_LISTS.items():
        names = [e.name for e in rec.entities if e.type == etype]
        entities.append((etype, score_entities(names, gold.get(list_name) or (),
                                               list_name=list_name)))
    indicators = []
    for kind, list_name in INDICATOR_LISTS.items():
        rows = [r for r in rec.indicators if r.kind == kind and r.table is not None]
        indicators.append((kind, score_indicators(rows, gold.get(list_name) or ())))
    metadata = score_metadata(rec.metadata.to_json(), gold.get("metadata") or {})
    return DocumentEvaluation(doc_id=rec.doc_id, entities=tuple(entities),
                              indicators=tuple(indicators), metadata=metadata)


def _gold_id(key: str, gold: Mapping[str, Any]) -> set[str]:
    ids = {key}
    doc = gold.get("doc")
    if isinstance(doc, str) and doc:
        ids.add(Path(doc).stem)
    return ids


def evaluate(records: Iterable[Record | Mapping[str, Any]],
             gold: Mapping[str, Mapping[str, Any]]) -> Evaluation:
    """Score records against gold labels keyed by document id.

    Parameters
    ----------
    records : extraction records (``Record`` or their JSON dicts).
    gold : gold label dicts keyed by the seed's file stem (``load_gold``); a record
        matches the gold whose key or ``doc`` file stem equals its ``doc_id``.

    Returns
    -------
    Evaluation
        Per-document scores in ``doc_id`` order and their micro-average; records
        without gold are listed in ``unscored``, gold without a record in ``missing``.
    """
    index: dict[str, str] = {}
    for key, g in gold.items():
        for i in _gold_id(key, g):
            index.setdefault(i, key)
    docs: list[DocumentEvaluation] = []
    unscored: list[str] = []
    seen: set[str] = set()
    for r in records:
        rec = _as_record(r)
        found = index.get(rec.doc_id) or index.get(Path(rec.source).stem)
        if found is None:
            unscored.append(rec.doc_id)
            continue
        seen.add(found)
        docs.append(evaluate_record(rec, gold[found]))
    docs.sort(key=lambda d: d.doc_id)
    missing = sorted(set(gold) - seen)
    return Evaluation(documents=tuple(docs), unscored=tuple(sorted(unscored)),
                      missing=tuple(missing))


# --------------------------------------------------------------------------- files


def default_gold_dir() -> Path:
    """``../shared/gold`` beside the checkout (where the project's gold labels live)."""
    from kg.resources import corpus_dir

    return corpus_dir().resolve().parent.parent / "shared" / "gold"


def load_gold(directory: str | Path) -> dict[str, dict[str, Any]]:
    """Read every ``*.json`` gold file of ``directory``, keyed by file stem.

    Raises
    ------
    kg.errors.InputFileError
        When the directory does not exist, holds no gold file, or a file is not JSON.
    """
    folder = Path(directory)
    if not folder.is_dir():
        raise InputFileError(str(folder), "gold directory not found; pass --gold DIR "
                             "pointing at a folder of gold label files (*.json)")
    gold: dict[str, dict[str, Any]] = {}
    for path in sorted(folder.glob("*.json")):
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise InputFileError(str(path), f"not a readable JSON gold file ({exc})") from None
        if not isinstance(data, dict):
            raise InputFileError(str(path), "a gold file must hold one JSON object")
        gold[path.stem] = data
    if not gold:
        raise InputFileError(str(folder), "no gold label files (*.json) in this directory")
    return gold


def _read_records(path: Path) -> list[Record]:
    records = []
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            records.append(Record.from_json(json.loads(line)))
        except json.JSONDecodeError as exc:
            raise InputFileError(str(path), f"line {n} is not JSON ({exc.msg}); expected "
                                 "the JSON Lines of `kg extract --format json`") from None
        except RecordError as exc:
            raise InputFileError(str(path), f"line {n}: {exc}") from None
    return records


def evaluate_paths(paths: Sequence[str | Path], *, gold_dir: str | Path | None = None,
                   extract: Callable[[Path], Record] | None = None,
                   progress: Callable[[str], None] | None = None) -> Evaluation:
    """Extract the plan files that have gold labels and score them: what ``kg eval`` runs.

    Parameters
    ----------
    paths : plan files or directories (each plan file in a directory), or ``.jsonl``
        (or ``.json``) files of records written by ``kg extract --format json``; empty
        for the embedded corpus.
    gold_dir : folder of gold files; ``None`` for :func:`default_gold_dir`.
    extract : the function from a plan file to its record (default: read, structure
        and the extraction pipeline).
    progress : called with each document's name as it is scored.

    Returns
    -------
    Evaluation
        A plan file that cannot be read or extracted is listed in ``failed`` and the
        others are scored.

    Raises
    ------
    kg.errors.InputFileError
        When the gold folder is missing, none of the inputs has gold labels, or none
        could be extracted.
    """
    from kg.resources import corpus_dir

    gold = load_gold(gold_dir if gold_dir is not None else default_gold_dir())
    ids = {i: k for k, g in gold.items() for i in _gold_id(k, g)}
    files: list[Path] = []
    for p in (Path(x) for x in (paths or [corpus_dir()])):
        if p.is_dir():
            files.extend(sorted(f for f in p.iterdir()
                                if f.suffix.lower() in (".txt", ".docx", ".pdf", ".html",
                                                        ".htm", ".jsonl")))
        elif p.exists():
            files.append(p)
        else:
            raise InputFileError(str(p), "no such file or directory")
    run = extract or _extract_file
    records: list[Record] = []
    skipped: list[str] = []
    failed: list[tuple[str, str]] = []
    for f in files:
        if f.suffix.lower() in (".jsonl", ".json"):  # records of `kg extract --format json`
            records.extend(_read_records(f))
            continue
        if f.stem not in ids:
            skipped.append(f.name)
            continue
        if progress:
            progress(f.name)
        try:
            records.append(run(f))
        except PolicyKGError as exc:  # a bad file: score the others, report it
            log.warning("%s: not scored: %s", f, exc)
            failed.append((str(f), str(exc)))
    if not records and failed:
        raise InputFileError(failed[0][0], f"no plan could be extracted ({failed[0][1]})")
    result = evaluate(records, gold)
    if not result.documents:
        raise InputFileError(", ".join(str(p) for p in paths) or str(corpus_dir()),
                             f"none of these plans has gold labels in the gold folder "
                             f"(gold for: {', '.join(sorted(gold))})")
    if skipped:
        log.info("no gold labels for %s; not scored", ", ".join(skipped))
    return Evaluation(documents=result.documents,
                      unscored=tuple(sorted({*result.unscored, *skipped})),
                      missing=result.missing, failed=tuple(failed))


def _extract_file(path: Path) -> Record:
    # The same function as `kg extract`: eval scores exactly what users get.
    from extract.batch import extract_file

    return extract_file(path)
