"""Entity and relation extraction: a PlanDocument through PolicyKG's spaCy pipeline to a Record."""

from __future__ import annotations

import bisect
import hashlib
import logging
from collections.abc import Iterable, Iterator
from functools import lru_cache
from typing import TYPE_CHECKING

from extract.model import (
    Entity,
    EntityType,
    IndicatorRow,
    Mention,
    PlanDocument,
    Record,
    Relation,
)

if TYPE_CHECKING:  # spaCy is imported on first use: `import extract.pipeline` stays cheap
    from spacy.language import Language
    from spacy.tokens import Doc

__all__ = ["PIPELINE", "TOKENIZER", "make_nlp", "extract", "extract_many", "entity_id"]

log = logging.getLogger(__name__)

#: The components of the pipeline, in order (factories of ``extract.components``).
PIPELINE = (
    "policykg_policies",
    "policykg_programs",
    "policykg_institutions",
    "policykg_target_groups",
    "policykg_regions",
    "policykg_resolve",
    "policykg_themes",
    "policykg_relations",
)

#: The attribute that carries what an entity is linked to: a lexicon concept's IRI, or for
#: a region its 6-digit division code (ontology/divisions.tsv).
_ATTR = {"Region": "division_code"}

#: The registered tokenizer (``extract.components.tokenizer``).
TOKENIZER = "policykg.CharTokenizer"

_PREFIX = {
    EntityType.PROGRAM: "prg",
    EntityType.POLICY: "pol",
    EntityType.INSTITUTION: "ins",
    EntityType.TARGET_GROUP: "tg",
    EntityType.REGION: "reg",
    EntityType.THEME: "thm",
    EntityType.EVENT: "evt",
}


def entity_id(type_: str, name: str) -> str:
    """A deterministic id for the entity of type ``type_`` named ``name`` in a record.

    Examples
    --------
    >>> entity_id("Program", "青年就业启航计划")
    'prg-6fb9afc7ad'
    """
    digest = hashlib.sha1(f"{type_}\x1f{name}".encode()).hexdigest()[:10]
    return f"{_PREFIX[EntityType(type_)]}-{digest}"


@lru_cache(maxsize=2)
def make_nlp(*, max_length: int = 20_000_000) -> Language:
    """Build PolicyKG's pipeline once per process: ``spacy.blank("zh")`` with the
    character tokenizer ``policykg.CharTokenizer`` (one token per character, so offsets
    stay exact; 3× faster than spaCy's own character segmenter, and jieba would cost 3.75×
    more and cut names at word boundaries: docs/BENCHMARKS.md) and the ``policykg_*``
    components.

    Parameters
    ----------
    max_length : the longest text, in characters, the pipeline accepts.

    Returns
    -------
    spacy.language.Language
        The pipeline; the same object on every call with the same arguments.

    Examples
    --------
    >>> nlp = make_nlp()
    >>> nlp.pipe_names[0]
    'policykg_policies'
    """
    import extract.components  # noqa: F401  (registers the factories; imports spaCy)
    from extract._spacy import import_spacy

    spacy = import_spacy()

    nlp = spacy.blank("zh", config={"nlp": {"tokenizer": {"@tokenizers": TOKENIZER}}})
    nlp.max_length = max_length
    for name in PIPELINE:
        nlp.add_pipe(name)
    return nlp


def _indicators(plan: PlanDocument) -> tuple[tuple[IndicatorRow, ...], tuple[str, ...]]:
    from extract.indicators import extract_indicators

    return extract_indicators(plan)


def _make_doc(nlp: Language, plan: PlanDocument) -> Doc:
    doc = nlp.make_doc(plan.text)
    doc._.policykg_plan = plan
    doc.user_data["policykg_text"] = plan.text  # see extract.components._shared.text_of
    return doc


def _record(plan: PlanDocument, doc: Doc) -> Record:
    from extract.components import ENTITY_KEY, info_of

    doc_id = plan.document.doc_id
    section = _Sections(plan)
    groups: dict[tuple[str, str], list] = {}
    for span in doc.spans[ENTITY_KEY]:
        groups.setdefault((span.label_, span.kb_id_), []).append(span)
    entities: list[Entity] = []
    for (type_, name), spans in groups.items():
        infos = [info_of(doc, s) for s in spans]
        confs = [i.confidence for i in infos if i.confidence is not None]
        kinds = sorted({i.kind for i in infos if i.kind})
        concept = next((i.concept for i in infos if i.concept), None)
        mentions = tuple(sorted(
            {Mention(s.start_char, s.end_char, section(s.start_char)) for s in spans},
            key=lambda m: (m.start, m.end)))
        entities.append(Entity(
            id=entity_id(type_, name), type=type_, name=name,
            surface=tuple(sorted({s.text for s in spans})), mentions=mentions,
            kind=kinds[0] if kinds else None,
            confidence=max(confs) if confs and max(confs) < 1.0 else None,
            attrs=((_ATTR.get(type_, "concept"), concept),) if concept else ()))
    entities.extend(_themes(plan, doc, section))
    entities.sort(key=lambda e: (e.type, e.name, e.id))
    relations = _relations(doc_id, doc, {(e.type, e.name): e.id for e in entities})
    rows, row_warnings = _indicators(plan)
    warnings = (*plan.document.warnings, *plan.warnings, *row_warnings)
    return Record(doc_id=doc_id, source=plan.document.source, sha256=plan.document.sha256,
                  metadata=plan.metadata, entities=tuple(entities), indicators=tuple(rows),
                  relations=relations, warnings=tuple(warnings), sections=plan.sections,
                  tables=plan.tables, boxes=plan.boxes)


class _Sections:
    """``plan.section_at(offset).id`` for many offsets: the innermost section of each
    elementary interval between section boundaries, found once, then a bisection."""

    def __init__(self, plan: PlanDocument) -> None:
        cuts = sorted({0, len(plan.text), *(b for s in plan.sections for b in (s.start, s.end))})
        self.bounds = cuts
        self.ids: list[str | None] = []
        for a in cuts:
            s = plan.section_at(a)
            self.ids.append(s.id if s is not None else None)

    def __call__(self, offset: int) -> str | None:
        return self.ids[bisect.bisect_right(self.bounds, offset) - 1]


def _themes(plan: PlanDocument, doc: Doc, section: _Sections) -> list[Entity]:
    """Theme entities: one per theme the pipeline assigned, mentioned by the section
    headings (or table categories) it was assigned from."""
    found = doc._.policykg_themes or {}
    entities = []
    for key in sorted(found):
        name, mentions = found[key]
        entities.append(Entity(
            id=entity_id("Theme", name), type="Theme", name=name,
            surface=tuple(sorted({plan.text[a:b] for a, b in mentions})),
            mentions=tuple(Mention(a, b, section(a)) for a, b in sorted(mentions)),
            attrs=(("concept", key),)))
    return entities


def _relations(doc_id: str, doc: Doc, ids: dict[tuple[str, str], str]) -> tuple[Relation, ...]:
    out: set[Relation] = set()
    for type_, head, tail, start, end in doc._.policykg_relations or ():
        h = doc_id if head is None else ids.get(head)
        t = ids.get(tail)
        if h and t and h != t:
            out.add(Relation(str(type_), h, t, start, end))
    return tuple(sorted(out, key=lambda r: (r.type, r.head, r.tail, r.start or -1,
                                            r.end or -1)))


def extract(plan: PlanDocument, *, nlp: Language | None = None) -> Record:
    """Extract the entities, relations and indicator rows of one plan.

    Parameters
    ----------
    plan : the structured plan (``extract.structure.structure(read(path))``).
    nlp : a pipeline from :func:`make_nlp`; built (once per process) if omitted.

    Returns
    -------
    Record
        The interchange record: entities with their mentions, relations with offsets,
        indicator rows and warnings; entities sorted by type and name.

    Examples
    --------
    >>> from extract.model import Document, Metadata, PlanDocument
    >>> text = "根据《某省就业促进条例》，深入实施返乡创业启航计划，帮扶农民工创业。"
    >>> plan = PlanDocument(Document(text=text, source="x.txt", sha256="0"), Metadata())
    >>> sorted((e.type, e.name) for e in extract(plan).entities if e.type != "Theme")
    [('Policy', '某省就业促进条例'), ('Program', '返乡创业启航计划'), ('TargetGroup', '农民工')]
    """
    return next(extract_many([plan], nlp=nlp))


def extract_many(plans: Iterable[PlanDocument], *, nlp: Language | None = None,
                 batch_size: int = 8) -> Iterator[Record]:
    """Extract many plans with ``nlp.pipe``; yields one Record per plan, in order.

    Parameters
    ----------
    plans : structured plans.
    nlp : a pipeline from :func:`make_nlp`; built (once per process) if omitted.
    batch_size : documents per ``nlp.pipe`` batch.
    """
    nlp = nlp or make_nlp()
    plans = list(plans)
    docs = nlp.pipe((_make_doc(nlp, p) for p in plans), batch_size=batch_size)
    for plan, doc in zip(plans, docs, strict=True):
        yield _record(plan, doc)
