"""``policykg_relations``: relations between the settled entities, each with its offsets."""

from __future__ import annotations

import re
from enum import StrEnum

from spacy.language import Language
from spacy.tokens import Doc, Span

from extract.components._shared import CANDIDATE_KEYS, ENTITY_KEY, text_of

__all__ = ["RelationFinder", "RelationType", "SENTENCE_END", "LEAD", "IMPLEMENT"]


class RelationType(StrEnum):
    """The relation types the pipeline asserts (head → tail)."""

    CITES = "cites"            # plan → policy
    COMMITS_TO = "commitsTo"   # plan → program
    TARGETS = "targets"        # program → target group
    LED_BY = "ledBy"           # program → institution
    INVOLVES = "involves"      # program → institution
    IMPLEMENTS = "implements"  # program → policy
    HAS_THEME = "hasTheme"     # entity → theme
    PART_OF = "partOf"         # region → region

#: Where a sentence (or a list item) ends: 。；！？ or a line break.
SENTENCE_END = re.compile(r"[。；！？\n]")
#: An institution leads what follows it: 由X牵头, X负责
LEAD = re.compile(r"\s*(?:牵头|负责|主导|主办|承办)")
#: A verb that puts a program under a cited policy: 落实《…》, 根据某部《…》
IMPLEMENT = re.compile(r"(?:落实|贯彻|依据|根据|按照|依照)[^，。；《]{0,15}《")


class RelationFinder:
    """Relations, each carrying the span of the evidence (a mention or a sentence).

    plan —cites→ policy and plan —commitsTo→ program at every first mention;
    program —targets→ target group when the group is named in the program's name or in
    the same sentence; program —ledBy→ institution when the sentence says the body leads
    (牵头/负责), otherwise —involves→; program —implements→ policy when the sentence puts
    the program under the cited title (落实《…》); region —partOf→ region for the
    division's parents that the plan also names.
    """

    def __init__(self, nlp: Language, name: str) -> None:
        self.name = name

    def __call__(self, doc: Doc) -> Doc:
        from extract.regions import load_divisions

        text = text_of(doc)
        spans = list(doc.spans[ENTITY_KEY]) if ENTITY_KEY in doc.spans else []
        rels = list(doc._.policykg_relations or ())
        first: dict[tuple[str, str], Span] = {}
        for s in spans:
            first.setdefault((s.label_, s.kb_id_), s)
        for (label, name), s in first.items():
            if label == "Policy":
                rels.append((RelationType.CITES, None, (label, name), s.start_char, s.end_char))
            elif label == "Program":
                rels.append((RelationType.COMMITS_TO, None, (label, name), s.start_char, s.end_char))
        bounds = [0, *(m.end() for m in SENTENCE_END.finditer(text)), len(text)]
        by_sentence: dict[int, list[Span]] = {}
        import bisect
        for s in spans:
            i = bisect.bisect_right(bounds, s.start_char) - 1
            by_sentence.setdefault(i, []).append(s)
        for i, group in by_sentence.items():
            a, b = bounds[i], bounds[min(i + 1, len(bounds) - 1)]
            programs = [s for s in group if s.label_ == "Program"]
            for p in programs:
                head = ("Program", p.kb_id_)
                for o in group:
                    tail = (o.label_, o.kb_id_)
                    if o.label_ == "TargetGroup":
                        rels.append((RelationType.TARGETS, head, tail, a, b))
                    elif o.label_ == "Institution" and not text.startswith("《", o.end_char):
                        # (an institution right before 《…》 issued that document)
                        kind = (RelationType.LED_BY if LEAD.match(text, o.end_char)
                                else RelationType.INVOLVES)
                        rels.append((kind, head, tail, a, b))
                    elif o.label_ == "Policy" and IMPLEMENT.search(
                            text, a, o.start_char + 1) and not (
                            o.start_char <= p.start_char < o.end_char):
                        rels.append((RelationType.IMPLEMENTS, head, tail, a, b))
        # a group named inside a program's name (高校毕业生就业启航行动) is its target even
        # though the name, not the group, is the settled mention there
        key = CANDIDATE_KEYS["TargetGroup"]
        groups = [(g.start_char, g.end_char, g.kb_id_) for g in doc.spans[key]] \
            if key in doc.spans else []
        for p in (s for s in spans if s.label_ == "Program"):
            for a, b, name in groups:
                if p.start_char <= a and b <= p.end_char:
                    rels.append((RelationType.TARGETS, ("Program", p.kb_id_), ("TargetGroup", name),
                                 p.start_char, p.end_char))
        table = load_divisions()
        regions = {s.kb_id_: s for s in spans if s.label_ == "Region"}
        codes = {}
        info = doc._.policykg_info or {}
        for s in regions.values():
            i = info.get(("Region", s.start_char, s.end_char))
            if i is not None and i.concept:
                codes[s.kb_id_] = i.concept
        for name, code in codes.items():
            for parent in table.ancestors(code):
                if parent.name in regions:
                    s = regions[name]
                    rels.append((RelationType.PART_OF, ("Region", name), ("Region", parent.name),
                                 s.start_char, s.end_char))
                    break
        doc._.policykg_relations = rels
        return doc


@Language.factory(
    "policykg_relations",
    default_config={},
    assigns=["doc._.policykg_relations"],
    requires=["doc.spans"],
)
def make_relation_finder(nlp: Language, name: str) -> RelationFinder:
    """Build the relation finder (it reads the settled entities of ``policykg_resolve``)."""
    return RelationFinder(nlp, name)
