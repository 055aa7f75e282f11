"""``policykg_policies``: every cited document title in 《…》, with its kind."""

from __future__ import annotations

import re

from spacy.language import Language
from spacy.tokens import Doc

from extract.components._shared import CANDIDATE_KEYS, SpanInfo, add_candidate, plan_of, text_of
from extract.lexicon import load_lexicon

__all__ = ["PolicyFinder", "TITLE", "policy_kind"]

#: A title in 《…》 on one line: 《就业促进法》 (two characters are a back-reference: 《纲要》)
TITLE = re.compile(r"《([^《》\n]{3,120})》")
#: A line that holds only a title (after whitespace is removed): the plan's own heading.
_WS = re.compile(r"\s+")


def policy_kind(title: str, endings: tuple[tuple[str, str], ...]) -> str:
    """The kind of a cited document from the ending of its title (``其他`` if none).

    A title that ends in a bracketed remark (``…方案（2019—2021年）``) is judged by the
    text before the brackets.
    """
    core = re.sub(r"[（(][^（）()]*[）)]\s*$", "", title).strip()
    for ending, kind in endings:
        if core.endswith(ending):
            return kind
    return "其他"


def _key(s: str) -> str:
    return _WS.sub("", s).replace("“", "").replace("”", "").replace('"', "")


class PolicyFinder:
    """Find 《…》 titles; skip the plan's own title (metadata title or heading line)."""

    def __init__(self, nlp: Language, name: str, *, scheme: str, confidence: float) -> None:
        self.name = name
        lexicon = load_lexicon()
        pairs = [(w, c.pref) for c in lexicon.scheme(scheme) for w in (c.pref, *c.alts)]
        self.endings = tuple(sorted(set(pairs), key=lambda p: (-len(p[0]), p)))
        self.confidence = confidence

    def own_titles(self, doc: Doc) -> set[str]:
        """Normalised forms of the plan's own title: from metadata, and any 《…》 title
        that also stands alone on a line of the text (the heading)."""
        own: set[str] = set()
        plan = plan_of(doc)
        if plan is not None and plan.metadata.title:
            own.add(_key(plan.metadata.title))
        lines = {_key(line) for line in text_of(doc).splitlines() if 0 < len(line) <= 160}
        for m in TITLE.finditer(text_of(doc)):
            if _key(m.group(1)) in lines:
                own.add(_key(m.group(1)))
        return own

    def __call__(self, doc: Doc) -> Doc:
        key = CANDIDATE_KEYS["Policy"]
        doc.spans[key] = []
        own = self.own_titles(doc)
        for m in TITLE.finditer(text_of(doc)):
            title = m.group(1)
            if _key(title) in own or not _key(title):
                continue
            add_candidate(doc, key, m.start(1), m.end(1), label="Policy", name=title.strip(),
                          info=SpanInfo(kind=policy_kind(title, self.endings),
                                        confidence=self.confidence, rule="title"))
        return doc


@Language.factory(
    "policykg_policies",
    default_config={"scheme": "policy-kinds", "confidence": 1.0},
    assigns=["doc.spans", "doc._.policykg_info"],
    requires=[],
)
def make_policy_finder(nlp: Language, name: str, scheme: str, confidence: float) -> PolicyFinder:
    """Build the cited-policy finder; ``scheme`` names the policy-kind lexicon."""
    return PolicyFinder(nlp, name, scheme=scheme, confidence=confidence)
