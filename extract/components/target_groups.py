"""``policykg_target_groups``: population groups from the SKOS target-group scheme."""

from __future__ import annotations

import re

from spacy.language import Language
from spacy.tokens import Doc

from extract.components._shared import (
    CANDIDATE_KEYS,
    CJK,
    SpanInfo,
    add_candidate,
    plan_of,
    text_of,
)
from extract.lexicon import Concept, load_lexicon

__all__ = ["TargetGroupFinder", "NATIVE_OF"]

#: A native-place qualifier before a group noun: 吴中籍(高校毕业生), 通籍(高校毕业生)
NATIVE_OF = rf"{CJK}{{1,3}}籍"
#: Two quoted group stems sharing one head noun: 城镇“零就业”和农村“零转移”家庭
ELLIPSIS = re.compile(
    rf"(?P<a>“(?P<sa>[^“”\n]{{1,8}})”)(?:和|及|与|、)(?:{CJK}{{0,3}}?)"
    rf"(?P<b>“(?P<sb>[^“”\n]{{1,8}})”)(?P<head>家庭|人员|人才|劳动者)")


#: A level designation right before a talent noun makes it a title conferred on people,
#: not a group: 省级(领军人才), 国家级(技能大师)
CONFERRED = re.compile(r"(?:国家级|省级|市级|县级|区级)\Z")
#: A group that only narrows the group after it: 贫困家庭(中的)高校毕业生
NARROWS = re.compile(r"中的|中")


class TargetGroupFinder:
    """Find the labels of the target-group scheme, with qualified compounds as aliases.

    ``离校未就业高校毕业生`` and ``某地籍高校毕业生`` are mentions of the base group (the
    qualifiers are the ``qualifiers`` scheme and :data:`NATIVE_OF`). A group word right
    before the name of an insurance scheme (``城乡居民基本养老保险``) names the scheme, not
    a group, and is skipped (the ``scheme_words`` scheme); so is one that only modifies a
    facility or event (``大学生创业园``: the ``modified_heads`` scheme) and one inside
    a table (an indicator's name). A group that narrows the next one (``贫困家庭中的高校
    毕业生``) is the next group's qualifier, and a talent noun after a level designation
    (``省级领军人才``) is a title (:data:`CONFERRED`), not a group. Two quoted stems sharing a head noun
    (``“零就业”和“零转移”家庭``) are two groups.
    """

    def __init__(self, nlp: Language, name: str, *, scheme: str, qualifiers: str,
                 scheme_words: str, modified_heads: str) -> None:
        self.name = name
        lexicon = load_lexicon()
        self.index = lexicon.label_index(scheme)
        labels = sorted(self.index, key=lambda w: (-len(w), w))
        quals = sorted(lexicon.words(qualifiers), key=lambda w: (-len(w), w))
        alt = "|".join(map(re.escape, labels))
        qual = "|".join([*map(re.escape, quals), NATIVE_OF])
        self.pattern = re.compile(alt)
        # qualifiers read backwards from a group noun (one alternation scan, then a look
        # back, is far cheaper than trying the qualifiers at every position)
        self.qualified = re.compile(rf"(?:{qual})+\Z")
        self.max_qualifier = 3 * max(map(len, quals), default=0) + 4
        self.after = re.compile("|".join(map(re.escape, lexicon.words(scheme_words))))
        self.modifier = re.compile("|".join(map(re.escape, lexicon.words(modified_heads))))

    def __call__(self, doc: Doc) -> Doc:
        key = CANDIDATE_KEYS["TargetGroup"]
        doc.spans[key] = []
        text = text_of(doc)
        plan = plan_of(doc)
        tables = [(t.start, t.end) for t in plan.tables] if plan is not None else []
        found: list[tuple[int, int, Concept, str, SpanInfo]] = []  # …, the label printed
        for m in ELLIPSIS.finditer(text):
            for part, stem in (("a", "sa"), ("b", "sb")):
                concept = self.index.get(m.group(stem) + m.group("head"))
                if concept is None:
                    continue
                end = m.end("head") if part == "b" else m.end(part)
                found.append((m.start(part), end, concept, m.group(stem) + m.group("head"),
                              SpanInfo(confidence=0.8, rule="ellipsis", concept=concept.iri)))
        for m in self.pattern.finditer(text):
            if self.after.match(text, m.end()) or self.modifier.match(text, m.end()):
                continue
            if any(a <= m.start() < b for a, b in tables):
                continue  # an indicator's name in a table, not a measure's addressee
            narrows = NARROWS.match(text, m.end())
            if narrows and self.pattern.match(text, narrows.end()):
                continue  # 贫困家庭中的(高校毕业生): a qualifier of the group after it
            if CONFERRED.search(text, max(0, m.start() - 3), m.start()):
                continue  # 省级(领军人才): a title conferred, not a group
            concept = self.index[m.group()]
            q = self.qualified.search(text, max(0, m.start() - self.max_qualifier), m.start())
            start = q.start() if q else m.start()
            qualified = q is not None
            found.append((start, m.end(), concept, m.group(),
                          SpanInfo(confidence=0.9 if qualified else None,
                                   rule="qualified" if qualified else "label",
                                   concept=concept.iri)))
        names = _printed_names(found)
        for start, end, concept, _, info in found:
            add_candidate(doc, key, start, end, label="TargetGroup", name=names[concept.iri],
                          info=info)
        return doc


def _printed_names(found: list[tuple[int, int, Concept, str, SpanInfo]]) -> dict[str, str]:
    """The name of each group in this plan: the lexicon's preferred label when the plan
    prints it, else the label the plan prints most often (the first on a tie). A plan that
    only says 农村实用人才 names that group so, not by the wider preferred label; the
    concept (``SpanInfo.concept``) still links it to the same group in other plans."""
    counts: dict[str, dict[str, int]] = {}
    prefs: dict[str, str] = {}
    for _, _, concept, label, _ in found:
        prefs[concept.iri] = concept.pref
        seen = counts.setdefault(concept.iri, {})
        label = label.replace("“", "").replace("”", "")  # “两后生” is 两后生
        seen[label] = seen.get(label, 0) + 1
    return {iri: prefs[iri] if prefs[iri] in seen else max(seen, key=seen.__getitem__)
            for iri, seen in counts.items()}


@Language.factory(
    "policykg_target_groups",
    default_config={"scheme": "target-group", "qualifiers": "group-qualifiers",
                    "scheme_words": "scheme-words", "modified_heads": "group-modified-heads"},
    assigns=["doc.spans", "doc._.policykg_info"],
    requires=[],
)
def make_target_group_finder(nlp: Language, name: str, scheme: str, qualifiers: str,
                             scheme_words: str, modified_heads: str) -> TargetGroupFinder:
    """Build the target-group finder; each option names a SKOS scheme in ``ontology/``."""
    return TargetGroupFinder(nlp, name, scheme=scheme, qualifiers=qualifiers,
                             scheme_words=scheme_words, modified_heads=modified_heads)
