"""``policykg_resolve``: settle overlapping candidates into the entity mentions of a Doc,
and name each program once when a plan prints it two ways."""

from __future__ import annotations

import bisect
from collections.abc import Iterable

from spacy.language import Language
from spacy.tokens import Doc, Span

from extract.components._shared import CANDIDATE_KEYS, ENTITY_KEY, info_of

__all__ = ["Resolver", "settle", "program_aliases"]


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


def program_aliases(names: Iterable[str], *, heads: dict[str, str],
                    glosses: Iterable[str]) -> dict[str, str]:
    """Program names of one plan that are a longer way of printing another of its names.

    A name *brand + glosses + head* is an alias of *brand + head'* when the plan also
    prints the latter: the glosses say what the program does (创业培训, 技能提升 …) and
    both heads are interchangeable kinds (``heads`` maps each such head word to its kind,
    e.g. 计划 and 项目). The shorter name attests the brand, so two programs that merely
    share a generic beginning (全民健身计划, 全民技能提升计划) stay apart: neither is
    *brand + head* for the other's brand.

    Examples
    --------
    >>> program_aliases(["AB创业培训项目", "AB计划", "CD计划"], heads={"计划": "计划",
    ...                 "项目": "项目"}, glosses=["创业", "培训"])
    {'AB创业培训项目': 'AB计划'}
    """
    by_length = sorted(heads, key=lambda w: (-len(w), w))
    gloss_words = sorted(set(glosses), key=lambda w: (-len(w), w))

    def split(name: str) -> str | None:
        for w in by_length:
            if name.endswith(w) and len(name) > len(w):
                return name[: -len(w)]
        return None

    def all_glosses(rest: str) -> bool:
        while rest:
            word = next((w for w in gloss_words if rest.startswith(w)), None)
            if word is None:
                return False
            rest = rest[len(word):]
        return True

    unique = set(names)
    brands: dict[str, str] = {}  # brand → its shortest name printed as brand + head
    for n in sorted(unique, key=lambda n: (len(n), n)):
        body = split(n)
        if body is not None and len(body) >= 2:
            brands.setdefault(body, n)
    out: dict[str, str] = {}
    for n in sorted(unique):
        body = split(n)
        if body is None:
            continue
        for i in range(len(body), 1, -1):  # the longest attested brand first
            target = brands.get(body[:i])
            if target is not None and target != n and all_glosses(body[i:]):
                out[n] = target
                break
    # a target may itself be an alias of a shorter brand's name; every step shortens the
    # brand (or, for one brand, goes to its first name), so this ends
    for n, target in out.items():
        while target in out:
            target = out[target]
        out[n] = target
    return out


def quoted_tail_aliases(names: Iterable[str], *, min_length: int = 4) -> dict[str, str]:
    """Unquoted program names of one plan that are the tail of exactly one quoted name.

    A plan that names “某某”英才汇聚工程 and elsewhere (a heading, a summary) says just
    英才汇聚工程 means the one program: the bare name is what follows the quotation. Two
    quoted names with the same tail (“甲”人才工程, “乙”人才工程) leave it alone.

    Examples
    --------
    >>> quoted_tail_aliases(["“某某”返乡创业工程", "返乡创业工程", "技能提升工程"])
    {'返乡创业工程': '“某某”返乡创业工程'}
    >>> quoted_tail_aliases(["“甲”人才工程", "“乙”人才工程", "人才工程"])
    {}
    """
    unique = set(names)
    by_tail: dict[str, list[str]] = {}
    for n in unique:
        close = n.rfind("”")
        if 0 < close < len(n) - 1:
            by_tail.setdefault(n[close + 1:], []).append(n)
    return {n: by_tail[n][0] for n in sorted(unique)
            if "“" not in n and len(n) >= min_length and len(by_tail.get(n, ())) == 1}


class Resolver:
    """Merge every finder's candidates into ``doc.spans[ENTITY_KEY]``; a program printed
    under a longer descriptive name takes the plan's shorter name (:func:`program_aliases`),
    and a bare name that ends one quoted name takes that name (:func:`quoted_tail_aliases`)."""

    def __init__(self, name: str, *, nest: dict[str, list[str]], heads: str, glosses: str,
                 alias_kinds: str) -> None:
        from extract.lexicon import load_lexicon

        self.name = name
        self.nest = {k: tuple(v) for k, v in nest.items()}
        lexicon = load_lexicon()
        kinds = {w for c in lexicon.scheme(alias_kinds) for w in c.alts}
        self.alias_heads = {w: c.pref for c in lexicon.scheme(heads) if c.pref in kinds
                            for w in c.alts}
        self.glosses = tuple(w for c in lexicon.scheme(glosses) for w in c.alts)

    def __call__(self, doc: Doc) -> Doc:
        spans = [s for key in CANDIDATE_KEYS.values() if key in doc.spans
                 for s in doc.spans[key]]
        kept = settle(spans, doc, nest=self.nest)
        names = [s.kb_id_ for s in kept if s.label_ == "Program"]
        aliases = program_aliases(names, heads=self.alias_heads, glosses=self.glosses)
        tails = quoted_tail_aliases(names)
        aliases.update((n, aliases.get(t, t)) for n, t in tails.items() if n not in aliases)
        if aliases:
            kept = [Span(doc, s.start, s.end, label=s.label_, kb_id=aliases[s.kb_id_])
                    if s.label_ == "Program" and s.kb_id_ in aliases else s for s in kept]
        doc.spans[ENTITY_KEY] = kept
        return doc


@Language.factory(
    "policykg_resolve",
    default_config={
        "nest": {
            "Policy": ["Program"],
            "Program": ["Region", "Institution"],
            "Institution": ["Region"],
            "TargetGroup": ["Region"],
            "Region": [],
        },
        "heads": "program-heads",
        "glosses": "program-glosses",
        "alias_kinds": "program-alias-kinds",
    },
    assigns=["doc.spans"],
    requires=["doc.spans"],
)
def make_resolver(nlp: Language, name: str, nest: dict[str, list[str]], heads: str,
                  glosses: str, alias_kinds: str) -> Resolver:
    """Build the resolver; ``nest`` maps a type to the types allowed inside it; ``heads``,
    ``glosses`` and ``alias_kinds`` name schemes of ``ontology/lexicon.ttl`` (the last: the
    program kinds whose heads name one branded program interchangeably)."""
    return Resolver(name, nest=nest, heads=heads, glosses=glosses, alias_kinds=alias_kinds)
