"""The plain values that flow through extraction: Document → PlanDocument → Record.

Every stage of PolicyKG is a function from one of these values to the next
(``read(path) -> Document``, ``structure(doc) -> PlanDocument``,
``extract(plan) -> Record``). They are frozen dataclasses: nothing downstream mutates what
an upstream stage produced, and nothing downstream re-reads a file.

All offsets (``start``, ``end``) index ``Document.text``, the *normalised* text, so that
``text[start:end]`` is exactly the item. ``Document.offsets`` maps them back to the
decoded original.
"""

from __future__ import annotations

import json
from bisect import bisect_right
from dataclasses import asdict, dataclass, field, fields
from enum import StrEnum
from typing import Any

__all__ = [
    "AdminLevel",
    "EntityType",
    "OffsetMap",
    "Document",
    "Metadata",
    "Section",
    "Cell",
    "Row",
    "Table",
    "BoxItem",
    "Box",
    "PlanDocument",
    "Mention",
    "Entity",
    "IndicatorRow",
    "Relation",
    "Record",
    "RECORD_KEYS",
]


class AdminLevel(StrEnum):
    """Administrative level of a plan's region (the closed vocabulary of DESIGN.md)."""

    NATIONAL = "national"
    PROVINCE = "province"
    PREFECTURE_CITY = "prefecture-city"
    COUNTY_LEVEL_CITY = "county-level-city"
    COUNTY = "county"
    DISTRICT = "district"


class EntityType(StrEnum):
    """Entity types of the interchange format."""

    PROGRAM = "Program"
    POLICY = "Policy"
    INSTITUTION = "Institution"
    TARGET_GROUP = "TargetGroup"
    REGION = "Region"
    THEME = "Theme"
    EVENT = "Event"


@dataclass(frozen=True, slots=True)
class OffsetMap:
    """Maps offsets in the normalised text back to offsets in the original text.

    Stored as runs: ``starts[i]`` is the normalised offset where run *i* begins and
    ``origins[i]`` the original offset it came from; inside a run both advance together.
    Characters inserted by normalisation map to the original position they stand at.
    Compact (a few runs per edited spot) even for a 6-million-character line.

    Examples
    --------
    >>> m = OffsetMap(starts=(0, 3), origins=(0, 5), length=6, original_length=8)
    >>> m.to_original(1), m.to_original(4), m.to_original(6)
    (1, 6, 8)
    """

    starts: tuple[int, ...] = (0,)
    origins: tuple[int, ...] = (0,)
    length: int = 0
    original_length: int = 0

    def to_original(self, pos: int) -> int:
        """Original offset of normalised offset ``pos`` (``0 <= pos <= length``)."""
        if pos >= self.length:
            return self.original_length
        i = bisect_right(self.starts, pos) - 1
        return self.origins[i] + (pos - self.starts[i])

    def span_to_original(self, start: int, end: int) -> tuple[int, int]:
        """Original span covering the normalised span ``[start, end)``."""
        if end <= start:
            o = self.to_original(start)
            return o, o
        return self.to_original(start), self.to_original(end - 1) + 1

    @classmethod
    def identity(cls, length: int) -> OffsetMap:
        """The map of a text that normalisation left unchanged."""
        return cls(starts=(0,), origins=(0,), length=length, original_length=length)


@dataclass(frozen=True, slots=True)
class Document:
    """A plan file, decoded and normalised: the output of ``extract.read.read``.

    Attributes
    ----------
    text : the normalised text; every offset in PolicyKG indexes it.
    source : the path as the user gave it.
    sha256 : hex digest of the file's raw bytes (what ``kg build`` compares).
    original : the decoded text before normalisation (for .docx/.pdf/.html: the text the
        format reader produced, paragraphs and table rows as lines, cells tab-separated).
    offsets : maps ``text`` offsets back to ``original`` offsets.
    encoding : the detected encoding (``utf-8``, ``gb18030``, ``utf-16`` …); for binary
        formats the container format's own.
    format : ``txt``, ``docx``, ``pdf`` or ``html``.
    warnings : non-fatal problems met while reading.
    """

    text: str
    source: str
    sha256: str
    original: str = field(repr=False, default="")
    offsets: OffsetMap = field(repr=False, default_factory=OffsetMap)
    encoding: str = "utf-8"
    format: str = "txt"
    warnings: tuple[str, ...] = ()

    @property
    def doc_id(self) -> str:
        """A stable id: the file name without extension."""
        name = self.source.replace("\\", "/").rsplit("/", 1)[-1]
        return name.rsplit(".", 1)[0] if "." in name else name


@dataclass(frozen=True, slots=True)
class Metadata:
    """Document metadata; ``None`` where the document does not state it."""

    title: str | None = None
    region: str | None = None
    parent_regions: tuple[str, ...] = ()
    admin_level: str | None = None
    region_code: str | None = None
    period: str | None = None
    start_year: int | None = None
    end_year: int | None = None
    doc_number: str | None = None
    issuer: str | None = None
    issue_date: str | None = None

    def to_json(self) -> dict[str, Any]:
        d = asdict(self)
        d["parent_regions"] = list(self.parent_regions)
        return d


@dataclass(frozen=True, slots=True)
class Section:
    """A node of the section tree.

    ``kind`` is one of ``part`` (第X篇 / 第X部分), ``chapter`` (第X章), ``section`` (第X节), ``cn`` (一、),
    ``paren_cn`` (（一）), ``arabic`` (1.), ``paren_arabic`` (（1）), ``box`` (专栏 N),
    ``table`` (表N), ``annex`` (附件 / 附表), ``preamble`` (text before the first heading).
    ``start``/``end`` cover the heading and the body up to the next heading of the same or
    a higher level; ``title_start``/``title_end`` cover the title alone.
    ``parent`` is the ``id`` of the enclosing section, ``None`` at the top.
    """

    id: str
    kind: str
    number: str
    title: str
    level: int
    start: int
    end: int
    title_start: int
    title_end: int
    parent: str | None = None


@dataclass(frozen=True, slots=True)
class Cell:
    """One table cell: ``text == document.text[start:end]``, except for a cell printed in
    pieces (a label wrapped onto the next line within its column, in a table laid out
    with spaces): then ``parts`` holds each piece's span, ``text`` is the pieces joined,
    and ``start``/``end`` run from the first piece's start to the last piece's end."""

    text: str
    start: int
    end: int
    parts: tuple[tuple[int, int], ...] | None = None


@dataclass(frozen=True, slots=True)
class Row:
    """One table row. ``header`` rows name the columns (repeated after page breaks too);
    ``category`` is the category cell that applies to this row (carried down from the
    row that printed it)."""

    cells: tuple[Cell, ...]
    start: int
    end: int
    header: bool = False
    category: str | None = None


@dataclass(frozen=True, slots=True)
class Table:
    """A table: label (``表2``), title, the column names, its rows and its notes (注：…)."""

    id: str
    label: str | None
    title: str | None
    start: int
    end: int
    columns: tuple[str, ...]
    rows: tuple[Row, ...]
    notes: tuple[Cell, ...] = ()
    section: str | None = None
    box: str | None = None

    @property
    def data_rows(self) -> tuple[Row, ...]:
        return tuple(r for r in self.rows if not r.header)


@dataclass(frozen=True, slots=True)
class BoxItem:
    """A numbered item inside a 专栏 (``01 …``, ``1. …``): its number, title and body."""

    number: str
    title: str
    start: int
    end: int
    title_start: int
    title_end: int


@dataclass(frozen=True, slots=True)
class Box:
    """A 专栏 box: label (``专栏3``), title, body span and numbered items."""

    id: str
    label: str
    title: str
    start: int
    end: int
    title_start: int
    title_end: int
    items: tuple[BoxItem, ...] = ()
    section: str | None = None


@dataclass(frozen=True, slots=True)
class PlanDocument:
    """A document with its structure: the output of ``extract.structure.structure``."""

    document: Document
    metadata: Metadata
    sections: tuple[Section, ...] = ()
    tables: tuple[Table, ...] = ()
    boxes: tuple[Box, ...] = ()
    warnings: tuple[str, ...] = ()

    @property
    def text(self) -> str:
        return self.document.text

    def section_at(self, offset: int) -> Section | None:
        """The innermost section whose span contains ``offset``."""
        best: Section | None = None
        for s in self.sections:
            if s.start <= offset < s.end and (best is None or s.level >= best.level):
                best = s
        return best


# --------------------------------------------------------------------------- records


@dataclass(frozen=True, slots=True)
class Mention:
    start: int
    end: int
    section: str | None = None


@dataclass(frozen=True, slots=True)
class Entity:
    id: str
    type: str
    name: str
    surface: tuple[str, ...]
    mentions: tuple[Mention, ...]
    kind: str | None = None
    confidence: float | None = None
    attrs: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True, slots=True)
class IndicatorRow:
    name: str
    canonical: str | None
    unit: str | None
    target_text: str | None
    target_value: float | None
    comparator: str | None
    cumulative: bool
    baseline_text: str | None
    baseline_value: float | None
    attribute: str | None
    kind: str  # "target" | "past"
    table: str | None
    start: int
    end: int
    category: str | None = None
    authority: str | None = None
    base_year: int | None = None
    target_year: int | None = None
    section: str | None = None


@dataclass(frozen=True, slots=True)
class Relation:
    type: str
    head: str
    tail: str
    start: int | None = None
    end: int | None = None


def _cell(data: dict[str, Any]) -> Cell:
    parts = data.get("parts")
    return Cell(data["text"], data["start"], data["end"],
                tuple(tuple(p) for p in parts) if parts else None)


RECORD_KEYS = ("doc_id", "source", "sha256", "metadata", "entities", "indicators",
               "relations", "warnings")


#: Optional fields left out of the JSON form while unset (most cells are one piece)
_OMITTED_WHEN_NONE = frozenset({"parts"})


def _plain(value: Any) -> Any:
    if isinstance(value, tuple):
        return [_plain(v) for v in value]
    if hasattr(value, "__dataclass_fields__"):
        return {f.name: _plain(getattr(value, f.name)) for f in fields(value)
                if not (f.name in _OMITTED_WHEN_NONE and getattr(value, f.name) is None)}
    return value


@dataclass(frozen=True, slots=True)
class Record:
    """The interchange format (DESIGN.md): one per document, JSON-serialisable.

    ``sections`` and ``tables`` are carried along for provenance and for ``kg inspect``;
    ``text`` only when asked for (``--with-text``).
    """

    doc_id: str
    source: str
    sha256: str
    metadata: Metadata
    entities: tuple[Entity, ...] = ()
    indicators: tuple[IndicatorRow, ...] = ()
    relations: tuple[Relation, ...] = ()
    warnings: tuple[str, ...] = ()
    sections: tuple[Section, ...] = ()
    tables: tuple[Table, ...] = ()
    boxes: tuple[Box, ...] = ()
    text: str | None = None

    def to_json(self) -> dict[str, Any]:
        """A plain dict with the keys of the interchange format (``text`` only if set)."""
        d = {f.name: _plain(getattr(self, f.name)) for f in fields(self)}
        d["metadata"] = self.metadata.to_json()
        for e in d["entities"]:
            e["attrs"] = dict(e["attrs"])
        if self.text is None:
            del d["text"]
        return d

    def dumps(self) -> str:
        """One line of JSON Lines, keys sorted, non-ASCII kept: same record, same bytes."""
        return json.dumps(self.to_json(), ensure_ascii=False, sort_keys=True,
                          separators=(",", ":"))

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Record:
        """Rebuild a record from its JSON form; raises ``kg.errors.RecordError`` when a
        required key is missing or an entity type is unknown, naming the document."""
        from kg.errors import RecordError

        doc = data.get("doc_id") or data.get("source") or "<unnamed record>"
        missing = [k for k in RECORD_KEYS if k not in data]
        if missing:
            raise RecordError(f"record {doc!r}: missing required key(s) {', '.join(missing)}")
        try:
            md = dict(data["metadata"] or {})
            md["parent_regions"] = tuple(md.get("parent_regions") or ())
            metadata = Metadata(**{k: md.get(k) for k in Metadata.__dataclass_fields__
                                   if k in md or k == "parent_regions"})
            valid = {t.value for t in EntityType}
            entities = []
            for e in data["entities"]:
                if e.get("type") not in valid:
                    raise RecordError(
                        f"record {doc!r}: entity {e.get('id')!r} has unknown type "
                        f"{e.get('type')!r}; expected one of {', '.join(sorted(valid))}")
                entities.append(Entity(
                    id=e["id"], type=e["type"], name=e["name"],
                    surface=tuple(e.get("surface") or ()),
                    mentions=tuple(Mention(m["start"], m["end"], m.get("section"))
                                   for m in e.get("mentions") or ()),
                    kind=e.get("kind"), confidence=e.get("confidence"),
                    attrs=tuple(sorted((e.get("attrs") or {}).items()))))
            indicators = tuple(
                IndicatorRow(**{k: i.get(k) for k in IndicatorRow.__dataclass_fields__})
                for i in data["indicators"])
            relations = tuple(Relation(r["type"], r["head"], r["tail"], r.get("start"),
                                       r.get("end")) for r in data["relations"])
            sections = tuple(Section(**s) for s in data.get("sections") or ())
            tables = tuple(
                Table(**{**t,
                         "columns": tuple(t.get("columns") or ()),
                         "rows": tuple(Row(cells=tuple(_cell(c) for c in r["cells"]),
                                           start=r["start"], end=r["end"],
                                           header=r.get("header", False),
                                           category=r.get("category"))
                                       for r in t.get("rows") or ()),
                         "notes": tuple(_cell(c) for c in t.get("notes") or ())})
                for t in data.get("tables") or ())
            boxes = tuple(
                Box(**{**b, "items": tuple(BoxItem(**it) for it in b.get("items") or ())})
                for b in data.get("boxes") or ())
        except RecordError:
            raise
        except (KeyError, TypeError, ValueError) as exc:
            raise RecordError(f"record {doc!r}: malformed ({exc})") from None
        return cls(doc_id=data["doc_id"], source=data["source"], sha256=data["sha256"],
                   metadata=metadata, entities=tuple(entities), indicators=indicators,
                   relations=relations, warnings=tuple(data["warnings"]),
                   sections=sections, tables=tables, boxes=boxes, text=data.get("text"))
