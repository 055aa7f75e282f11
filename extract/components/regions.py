"""``policykg_regions``: places named in the text, linked to the administrative divisions."""

from __future__ import annotations

import re
from functools import cache

from spacy.language import Language
from spacy.tokens import Doc

from extract.components._shared import CANDIDATE_KEYS, SpanInfo, add_candidate, plan_of, text_of

__all__ = ["RegionFinder", "SUFFIX_CHAR", "full_names"]

#: The last character of a division's full name: 苏州市, 吴中区, 江苏省, 沛县
SUFFIX_CHAR = re.compile(r"[省市区县州旗盟]")


@cache
def full_names(min_length: int) -> tuple[frozenset[str], int]:
    """The full names of ``min_length`` or more characters, and the longest length."""
    from extract.regions import load_divisions

    names = frozenset(n for n in load_divisions().by_name if len(n) >= min_length)
    return names, max(map(len, names))


def _find_full(text: str, min_length: int) -> list[tuple[int, int]]:
    """Spans of full division names, found at each suffix character (longest first;
    a dictionary look-up, far cheaper than one alternation of 3,000 names)."""
    names, longest = full_names(min_length)
    out: list[tuple[int, int]] = []
    last = 0
    for m in SUFFIX_CHAR.finditer(text):
        end = m.end()
        for n in range(min(longest, end - last), min_length - 1, -1):
            if text[end - n:end] in names:
                out.append((end - n, end))
                last = end
                break
    return out


class RegionFinder:
    """Find division names: full names of ``min_length`` or more characters anywhere, and
    the short forms (吴中, 苏州) of the plan's own region and its parents. Each is linked
    to its division code (``extract.regions.find_region``, the text as context for
    ambiguous names such as 鼓楼区)."""

    def __init__(self, nlp: Language, name: str, *, min_length: int) -> None:
        self.name = name
        self.min_length = min_length

    def __call__(self, doc: Doc) -> Doc:
        from extract.regions import find_region, short_name

        key = CANDIDATE_KEYS["Region"]
        doc.spans[key] = []
        text = text_of(doc)
        plan = plan_of(doc)
        short: dict[str, str] = {}
        if plan is not None and plan.metadata.region:
            from extract.regions import load_divisions

            table = load_divisions()
            own = find_region(plan.metadata.region, context=plan.metadata.parent_regions)
            # the plan's own divisions, its parents and its direct children (广东省 plans
            # name their cities 广州, 深圳) by short form too
            names = [plan.metadata.region, *plan.metadata.parent_regions]
            if own is not None:
                names += [d.name for d in table.by_code.values() if d.parent == own.code]
            for full in names:
                s = short_name(full)
                if s != full and len(s) >= 2:
                    short.setdefault(s, full)
        spans = _find_full(text, self.min_length)
        if short:
            taken = {a for a, _ in spans}
            rx = re.compile("|".join(map(re.escape, sorted(short, key=len, reverse=True))))
            spans += [m.span() for m in rx.finditer(text) if m.start() not in taken
                      and not any(a <= m.start() < b for a, b in spans)]
        context = text[:4000]
        cache_: dict[str, object] = {}
        for start, end in sorted(spans):
            surface = text[start:end]
            full = short.get(surface, surface)
            if full not in cache_:
                cache_[full] = find_region(full, context=context)
            division = cache_[full]
            if division is None:
                continue
            add_candidate(doc, key, start, end, label="Region", name=division.name,
                          info=SpanInfo(kind=division.level, rule="division",
                                        concept=division.code))
        return doc


@Language.factory(
    "policykg_regions",
    default_config={"min_length": 3},
    assigns=["doc.spans", "doc._.policykg_info"],
    requires=[],
)
def make_region_finder(nlp: Language, name: str, min_length: int) -> RegionFinder:
    """Build the region finder; full names shorter than ``min_length`` are skipped."""
    return RegionFinder(nlp, name, min_length=min_length)
