"""What PolicyKG's components share: span keys, Doc extensions and span helpers."""

from __future__ import annotations

import re
from dataclasses import dataclass

from spacy.tokens import Doc, Span

from extract.model import PlanDocument

__all__ = [
    "CANDIDATE_KEYS",
    "ENTITY_KEY",
    "SPAN_KEYS",
    "SpanInfo",
    "register_extensions",
    "plan_of",
    "text_of",
    "add_candidate",
    "info_of",
    "CJK",
    "QUOTED",
    "NAME_CHAR",
    "BRACKETED",
    "name_start",
]

#: doc.spans keys of the candidates each finder writes, by entity type.
CANDIDATE_KEYS = {
    "Policy": "policykg_policy",
    "Program": "policykg_program",
    "Institution": "policykg_institution",
    "TargetGroup": "policykg_target_group",
    "Region": "policykg_region",
}
#: doc.spans key of the settled entity mentions (written by ``policykg_resolve``).
ENTITY_KEY = "policykg_entities"
SPAN_KEYS = (*CANDIDATE_KEYS.values(), ENTITY_KEY)

#: One CJK ideograph (the basic block and extension A).
CJK = "[\u3400-\u4dbf\u4e00-\u9fff]"
#: A “…” quotation of up to 30 characters without a line break: “护航计划”
QUOTED = re.compile(r"“([^“”\n]{1,30})”")


@dataclass(frozen=True, slots=True)
class SpanInfo:
    """What a finder knows about one candidate beyond its label and canonical name."""

    kind: str | None = None
    confidence: float | None = None
    rule: str = ""
    concept: str | None = None  # a lexicon concept's IRI, or a region's division code


def register_extensions() -> None:
    """Declare the ``Doc`` extensions once (idempotent)."""
    if not Doc.has_extension("policykg_plan"):
        # The PlanDocument the Doc was made from (sections, boxes, tables, metadata).
        Doc.set_extension("policykg_plan", default=None)
    if not Doc.has_extension("policykg_info"):
        # (label, start_char, end_char) -> SpanInfo of every candidate.
        Doc.set_extension("policykg_info", default=None)
    if not Doc.has_extension("policykg_relations"):
        # (type, head, tail, start, end): head/tail are (label, name) keys; head None = the plan.
        Doc.set_extension("policykg_relations", default=None)
    if not Doc.has_extension("policykg_themes"):
        # theme concept IRI -> (theme name, [(start, end) of the text it was assigned from]).
        Doc.set_extension("policykg_themes", default=None)


register_extensions()


def text_of(doc: Doc) -> str:
    """``doc.text``, built once per Doc (spaCy rebuilds it from the tokens on every access,
    which costs as much as tokenising again)."""
    text = doc.user_data.get("policykg_text")
    if text is None:
        text = doc.text
        doc.user_data["policykg_text"] = text
    return text


def plan_of(doc: Doc) -> PlanDocument | None:
    """The PlanDocument attached to ``doc`` (``None`` for a bare text)."""
    return doc._.policykg_plan


def info_of(doc: Doc, span: Span) -> SpanInfo:
    """The SpanInfo recorded for ``span`` (an empty one if none was)."""
    info = doc._.policykg_info or {}
    return info.get((span.label_, span.start_char, span.end_char), SpanInfo())


#: A quoted five-year-plan label: it dates what follows (“十四五”公共…), it names nothing
PERIOD_QUOTE = re.compile(r"“十[一二三四五六七八九]五”")

#: Half-width punctuation between ideographs (or quotation marks) in a name
_ASCII_PUNCT = re.compile(r"(?<=[\u3400-\u9fff“”])[,;:!?](?=[\u3400-\u9fff“”])")
_FULL_WIDTH = {",": "，", ";": "；", ":": "：", "!": "！", "?": "？"}


def uniform_name(name: str) -> str:
    """A name with the punctuation inside it full-width, as Chinese names print it: one
    plan may print “某某,某某” once and “某某，某某” elsewhere, and both are one name.

    >>> uniform_name("“不怕难,敢担当”青年行动")
    '“不怕难，敢担当”青年行动'
    """
    return _ASCII_PUNCT.sub(lambda m: _FULL_WIDTH[m.group()], name)


def add_candidate(doc: Doc, key: str, start: int, end: int, *, label: str, name: str,
                  info: SpanInfo) -> Span | None:
    """Add a candidate span over characters ``[start, end)`` to ``doc.spans[key]``,
    named ``name`` (made uniform: :func:`uniform_name`).

    Surrounding whitespace is trimmed; a span that does not align with tokens is widened
    to the tokens it touches. Returns the span, or ``None`` when nothing is left.
    """
    name = uniform_name(name)
    text = text_of(doc)
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if end <= start:
        return None
    span = doc.char_span(start, end, label=label, kb_id=name, alignment_mode="expand")
    if span is None:
        return None
    if key not in doc.spans:
        doc.spans[key] = []
    doc.spans[key].append(span)
    if doc._.policykg_info is None:
        doc._.policykg_info = {}
    doc._.policykg_info[(label, span.start_char, span.end_char)] = info
    return span


#: A character that may stand in a proper name: 某某“双百”行动计划, “某区人社”微信公众号
NAME_CHAR = re.compile(rf"(?:{CJK}|[0-9A-Za-z·+＋“”])")
#: A short bracketed place inside a name, ending where a backward scan stands:
#: 中国（某市）(人力资源服务产业园)
BRACKETED = re.compile(rf"[（(]{CJK}{{2,6}}[）)]\Z")


def name_start(text: str, end: int, max_length: int) -> int:
    """Walk back from ``end`` over name characters and return where the run begins.

    Inside a “…” quotation every character but a line break or a title bracket belongs
    to the name; outside, name characters do, and so does a short bracketed place
    (``中国（某市）…``). The walk stops after ``max_length`` characters.
    """
    pos, inside = end, False
    limit = max(0, end - max_length)
    while pos > limit:
        ch = text[pos - 1]
        if ch == "”":
            inside = True
        elif ch == "“":
            inside = False
        elif inside and ch not in "\n《》":
            pass
        elif ch in "）)":
            m = BRACKETED.search(text, max(0, pos - 10), pos)
            if m is None:
                break
            pos = m.start()
            continue
        elif not NAME_CHAR.match(ch):
            break
        pos -= 1
    return pos
