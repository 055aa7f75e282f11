"""``policykg_resolve``: settle overlapping candidates into the entity mentions of a Doc,
and name each program once when a plan prints it two ways."""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable

from spacy.language import Language
from spacy.tokens import Doc, Span

from extract.components._shared import CANDIDATE_KEYS, ENTITY_KEY, info_of, plan_of
from extract.components.institutions import OWN_LEVEL
from extract.regions import short_name

#: The first quotation of a program name, its core two characters or more: “某某”
QUOTED_CORE = re.compile(r"“([^“”]{2,})”")

__all__ = ["Resolver", "settle", "program_aliases", "quoted_tail_aliases",
           "quoted_core_aliases", "bare_core_aliases", "institution_aliases"]


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


def quoted_core_aliases(names: Iterable[str], *, heads: dict[str, str]) -> dict[str, str]:
    """Program names of one plan that print one program two ways around its quotation.

    Names with the same quoted core and a head of the same kind name one program: the
    population or field before the quotation, or a gloss between it and the head, may be
    left out (高校毕业生“某某”行动 ≡ “某某”行动; “某某”英才汇聚工程 ≡ “某某”工程). The
    longest form, which says the most, is the name. ``heads`` maps head words to kinds; a
    program built on a brand (“某某”品牌培育行动, kind 行动) and the brand stay apart.

    Examples
    --------
    >>> quoted_core_aliases(["高校毕业生“某某”行动", "“某某”行动", "“某某”计划"],
    ...                     heads={"行动": "行动", "计划": "计划"})
    {'“某某”行动': '高校毕业生“某某”行动'}
    """
    by_length = sorted(heads, key=lambda w: (-len(w), w))
    groups: dict[tuple[str, str], list[str]] = {}
    for n in set(names):
        q = QUOTED_CORE.search(n)
        head = next((w for w in by_length if n.endswith(w)), None)
        if q is not None and head is not None and q.end() <= len(n) - len(head):
            groups.setdefault((q.group(1), heads[head]), []).append(n)
    out: dict[str, str] = {}
    for members in groups.values():
        if len(members) > 1:
            name = min(members, key=lambda n: (-len(n), n))
            out.update((n, name) for n in members if n != name)
    return out


def bare_core_aliases(kinds: dict[str, str | None], *, heads: Iterable[str]) -> dict[str, str]:
    """Programs named by a bare quotation that one program of the plan prints with its
    head: “某某”“某某”两项工程 lists 某某, which is “某某”工程 where the plan names it whole.

    ``kinds`` maps each program name to its kind. A bare core (no quotation marks, no head
    word at its end) goes to the one name that opens with it quoted and has the same kind;
    a brand (kind 品牌) stays itself, and so does a core that opens two names.

    Examples
    --------
    >>> bare_core_aliases({"某某": "工程", "“某某”工程": "工程", "甲乙": "品牌",
    ...                    "“甲乙”培育计划": "计划"}, heads=["工程", "计划"])
    {'某某': '“某某”工程'}
    """
    head_words = tuple(heads)
    out: dict[str, str] = {}
    for n, kind in kinds.items():
        if "“" in n or n.endswith(head_words) or kind == "品牌":
            continue
        fits = [m for m, k in kinds.items() if m.startswith(f"“{n}”") and k == kind]
        if len(fits) == 1:
            out[n] = fits[0]
    return out


def _owner_and_body(name: str, regions: tuple[str, ...]) -> tuple[str, str]:
    """Split an institution's name into whose it is and the rest: the plan's own
    divisions printed before it (江门市新会区…, 新会…) or a level word meaning one of them
    (区…); ``("", name)`` when neither opens it."""
    owner, body = "", name
    forms = sorted({(f, r) for r in regions for f in (r, short_name(r))},
                   key=lambda x: (-len(x[0]), x))
    stripped = True
    while stripped:
        stripped = False
        for form, region in forms:
            if body.startswith(form) and len(body) > len(form) + 1:
                owner, body, stripped = region, body[len(form):], True
                break
    if not owner:
        level = OWN_LEVEL.match(body)  # a level word for the plan's own division: 市(住建局)
        if level:
            suffix = level.group("suffix")
            owner = next((r for r in regions if r.endswith(suffix)), suffix)
            body = body[level.end():]
    return owner, body


_NUMERALS = frozenset("第一二三四五六七八九十百零〇")

#: Suffixes of bodies known by their own proper names, not shortened by leaving words out
_PROPER_SUFFIXES = ("大学", "学院")


def _abbreviates(short: str, full: str) -> bool:
    """Whether ``short`` is formed from ``full`` by leaving characters out, the way
    names of bodies are shortened (农业机械化服务中心 → 农机中心, 卫生健康委员会 → 卫健委):
    its characters in order, the first within the first three of ``full``, the same end."""
    if short.endswith("委") and full.endswith("委员会"):
        full = full[:-2]
    if len(short) < 3 or len(short) >= len(full) or short[-1] != full[-1]:
        return False  # 商会 is not short for 工商业联合会: two characters say too little
    if short.endswith(_PROPER_SUFFIXES):
        return False  # 某某大学 and 某某农业大学 are two universities
    if short[0] not in full[:3]:
        return False
    it = iter(full)
    if not all(ch in it for ch in short):
        return False
    # what the short form leaves out must not tell bodies apart by number or place:
    # 某某市人民医院 is not 某某市第二人民医院
    left = [ch for ch in full if ch not in short]
    return not any(ch.isdigit() or ch in _NUMERALS for ch in left)


def institution_aliases(names: Iterable[str], *, regions: tuple[str, ...] = ()) -> dict[str, str]:
    """Institution names of one plan that are a short form of exactly one fuller name.

    A body introduced by its full name is later printed shortened, often with a level
    word for the plan's own division (市医保中心 for 某某市医疗保障事业中心, 区农机局 for
    某某区农业机械管理局, 某某经开区 for 某某经济技术开发区). A short form whose
    characters appear, in order, in exactly one longer name of the same owner (the same
    division, or none) is that body; one that fits two stays apart.

    Examples
    --------
    >>> institution_aliases(["绵竹市医疗保障事业中心", "市医保中心", "市住建局",
    ...                      "绵竹市住房和城乡建设局", "市经信委",
    ...                      "绵竹市经济和信息化委员会"], regions=("绵竹市", "德阳市"))
    ... # doctest: +NORMALIZE_WHITESPACE
    {'市住建局': '绵竹市住房和城乡建设局', '市医保中心': '绵竹市医疗保障事业中心',
     '市经信委': '绵竹市经济和信息化委员会'}
    """
    unique = sorted(set(names))
    split = {n: _owner_and_body(n, regions) for n in unique}
    out: dict[str, str] = {}
    for n in unique:
        owner, body = split[n]
        fits = [m for m in unique if m != n and split[m][0] == owner
                and _abbreviates(body, split[m][1])]
        if len(fits) == 1:
            out[n] = fits[0]
    for n, target in out.items():  # each step lengthens the name, so this ends
        while target in out:
            target = out[target]
        out[n] = target
    return out


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
        self.head_kinds = {w: c.pref for c in lexicon.scheme(heads) for w in c.alts}

    def __call__(self, doc: Doc) -> Doc:
        spans = [s for key in CANDIDATE_KEYS.values() if key in doc.spans
                 for s in doc.spans[key]]
        kept = settle(spans, doc, nest=self.nest)
        names = [s.kb_id_ for s in kept if s.label_ == "Program"]
        aliases = program_aliases(names, heads=self.alias_heads, glosses=self.glosses)
        tails = quoted_tail_aliases(names)
        aliases.update((n, aliases.get(t, t)) for n, t in tails.items() if n not in aliases)
        cores = quoted_core_aliases({aliases.get(n, n) for n in names}, heads=self.head_kinds)
        aliases = {n: cores.get(t, t) for n, t in aliases.items()}
        aliases.update((n, t) for n, t in cores.items() if n not in aliases)
        kinds: dict[str, str | None] = {}
        for s in kept:
            if s.label_ == "Program":
                name = aliases.get(s.kb_id_, s.kb_id_)
                kinds[name] = kinds.get(name) or info_of(doc, s).kind
        bare = bare_core_aliases(kinds, heads=self.head_kinds)
        aliases.update((n, bare[t]) for n, t in list(aliases.items()) if t in bare)
        aliases.update((n, t) for n, t in bare.items() if n not in aliases)
        plan = plan_of(doc)
        regions = ((plan.metadata.region, *plan.metadata.parent_regions)
                   if plan is not None and plan.metadata.region else ())
        renamed = {"Program": aliases, "Institution": institution_aliases(
            (s.kb_id_ for s in kept if s.label_ == "Institution"), regions=regions)}
        if any(renamed.values()):
            kept = [Span(doc, s.start, s.end, label=s.label_,
                         kb_id=renamed[s.label_][s.kb_id_])
                    if s.kb_id_ in renamed.get(s.label_, {}) else s for s in kept]
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
