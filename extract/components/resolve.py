"""``policykg_resolve``: settle overlapping candidates into the entity mentions of a Doc."""

from __future__ import annotations

import bisect

from spacy.language import Language
from spacy.tokens import Doc, Span

from extract.components._shared import CANDIDATE_KEYS, ENTITY_KEY, info_of

__all__ = ["Resolver", "settle"]


def settle(spans: list[Span], doc: Doc, *, nest: dict[str, tuple[str, ...]]) -> list[Span]:
    """Keep the best of overlapping candidates.

    Within one type, a candidate inside a longer one of the same type is dropped (the
    longer, more specific name wins; on equal length the more confident). Across types a
    candidate may lie inside another only where ``nest`` allows it (``nest[outer]`` lists
    the types allowed inside ``outer``: a program named inside a policy title, a target
    group inside a program's name); otherwise the longer span wins. Partial overlaps
    (neither inside the other) keep the longer span.
    """
    def rank(s: Span) -> tuple[int, float, int, str]:
        conf = info_of(doc, s).confidence
        return (-(s.end_char - s.start_char), -(conf if conf is not None else 1.0),
                s.start_char, s.label_)

    kept: list[Span] = []
    starts: list[tuple[int, int]] = []  # (start, index into kept), sorted
    longest = 0
    for s in sorted(spans, key=rank):
        ok = True
        # only spans starting within `longest` before s can overlap it
        lo = bisect.bisect_left(starts, (s.start_char - longest, -1))
        hi = bisect.bisect_left(starts, (s.end_char, -1))
        for _, j in starts[lo:hi]:
            k = kept[j]
            if s.end_char <= k.start_char or k.end_char <= s.start_char:
                continue  # disjoint
            inside = k.start_char <= s.start_char and s.end_char <= k.end_char
            if inside and s.label_ != k.label_ and s.label_ in nest.get(k.label_, ()):
                continue
            ok = False
            break
        if ok:
            bisect.insort(starts, (s.start_char, len(kept)))
            kept.append(s)
            longest = max(longest, s.end_char - s.start_char)
    return sorted(kept, key=lambda s: (s.start_char, s.end_char, s.label_))


class Resolver:
    """Merge every finder's candidates into ``doc.spans[ENTITY_KEY]``."""

    def __init__(self, name: str, *, nest: dict[str, list[str]]) -> None:
        self.name = name
        self.nest = {k: tuple(v) for k, v in nest.items()}

    def __call__(self, doc: Doc) -> Doc:
        spans = [s for key in CANDIDATE_KEYS.values() if key in doc.spans
                 for s in doc.spans[key]]
        doc.spans[ENTITY_KEY] = settle(spans, doc, nest=self.nest)
        return doc


@Language.factory(
    "policykg_resolve",
    default_config={"nest": {
        "Policy": ["Program"],
        "Program": ["Region", "Institution"],
        "Institution": ["Region"],
        "TargetGroup": ["Region"],
        "Region": [],
    }},
    assigns=["doc.spans"],
    requires=["doc.spans"],
)
def make_resolver(nlp: Language, name: str, nest: dict[str, list[str]]) -> Resolver:
    """Build the resolver; ``nest`` maps a type to the types allowed inside it."""
    return Resolver(name, nest=nest)
