"""``policykg_programs``: named initiatives (…计划/工程/行动/项目/活动, quoted names, brands)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from spacy.language import Language
from spacy.tokens import Doc

from extract.components._shared import (
    CANDIDATE_KEYS,
    CJK,
    NAME_CHAR,
    PERIOD_QUOTE,
    SpanInfo,
    add_candidate,
    name_start,
    plan_of,
    text_of,
)
from extract.lexicon import load_lexicon
from extract.model import PlanDocument

__all__ = ["ProgramFinder", "Candidate", "NAME_CHAR", "BOX_LABEL", "COUNTED", "LEVEL_PREFIX"]

#: A 专栏 label before a box title on the same line: 专栏1 / 专栏 12; a section label
#: run into the text: 第二十六章(保障…)
BOX_LABEL = re.compile(r"专栏\s*\d+\s*|第[一二三四五六七八九十百零\d]+[章节篇]")
#: A count before a name (where it starts): 5届(国际精英周…), 一次(大学生…大赛)
COUNTED = re.compile(r"[\d一二三四五六七八九十两]+(?:届|期|个|项|名|场|次|批|家|所|条)")
#: A count that ends a name's distinguishing part: 四项(工程), 两大(行动)
COUNTED_END = re.compile(r"[\d一二三四五六七八九十两]+(?:大|项|个)$")
#: What may stand before a name on its own line: 专栏 3 / 1. / （二） / 三、
LINE_OPENER = re.compile(
    r"\s*(?:专栏\s*\d+|\d+\s*[.、．]|0\d|[（(][一二三四五六七八九十\d]+[）)]|[一二三四五六七八九十]+、)?\s*")
#: A zero-padded item number at the start of a line (专栏 items): 01, 02
ITEM_NUMBER = re.compile(r"(?m)^\s*0\d(?=\D)")
#: A name that is one quotation: “护航计划” → 护航计划 (“春雨送岗”活动 keeps its classifier)
CLASSIFIED_QUOTE = re.compile(r"^“([^“”]+)”$")
#: A quotation anywhere: “不负韶华，职等你来”
QUOTATION = re.compile(r"“[^“”]*”")
#: A coordinating conjunction: (科技攻关)和(技术革新项目)
COORDINATION = re.compile(r"[和及与或]")
#: A conjunction before a quoted name, not part of it: 以及“才汇某城”系列活动
LEADING_CONJUNCTION = re.compile(
    r"^(?:以及|和|及|与|并|按照|按|对|向|经|将|把|由|从|为|以|被|在|于|给)(?=“)")
#: Two or more names listed before 等 and an events noun: A、B等现有人才招引活动品牌
#: (the tail after 等; the list before it is read backwards from there)
ENUMERATION_TAIL = re.compile(
    rf"等(?:现有|一系列|系列|各类)?(?:{CJK}){{0,8}}?(?:活动品牌|系列活动|品牌活动|赛事"
    rf"|(?P<brand>劳务品牌|特色品牌))")
#: Two quotations or more right before the tail: “甲”“乙”(等…)
QUOTED_RUN = re.compile(r"(?:“[^“”\n、，]{2,20}”[、和及与]?){2,}\Z")
#: The listed names before the tail: (…、)+…
ENUMERATION_ITEMS = re.compile(r"(?:[^，。；：、\n《》]{2,30}、)+[^，。；：、\n《》]{2,30}\Z")
#: Quoted names listed before a collective head: “甲”“乙”“丙”四项工程 (each one a 工程)
QUOTED_LIST = re.compile(
    r"(?P<items>(?:“[^“”\n、，]{2,12}”[、和及与]?){2,})"
    r"(?:[一二三四五六七八九十两]|\d{1,2})(?:大|项|个)?(?P<head>工程|计划|行动|活动|品牌)")
#: A five-year-plan label, never a program's distinguishing part: 十三五(计划)
#: kinds whose head noun names a program of its own, even around a declared brand's
#: quotation (“X”品牌培育行动 builds the brand “X”, “X”家政培训项目 trains for it; neither
#: is the brand)
OWN_KINDS = frozenset({"计划", "工程", "行动", "项目"})

#: What makes an event one for a group, before its head: (高校毕业生)专场(招聘会)
GROUP_EVENT = re.compile(r"(?:专场|专项|系列|主题)$")

PERIOD = re.compile(r"^“?十[一二三四五六七八九]五”?$")
#: Context after a head noun that shows a generic noun phrase: (水利工程)等领域,
#: (创业培训项目) 30 个
#: A verb and a number right after 计划 make it "plans to": (全县计划)搬迁1.8万人
PLANS_TO = re.compile(r"(?:搬迁|新增|投资|引进|招聘|转移|帮助|发放|新建|改造|吸纳|筹集|投入)"
                      r"[\d一二三四五六七八九十百千万]")
#: A count of events after an event's name: (退役军人专场招聘会)100场, (…)不少于10场
EVENT_COUNT = re.compile(
    r"\s*(?:不少于|不低于|不下|至少|超过|达到|共|累计)?\s*[\d一二三四五六七八九十百千]+\s*场")
#: What follows 工程 in the name of a field of study: 化学工程(与工艺), 软件工程(专业)
DISCIPLINE = re.compile(r"与(?:工艺|技术|管理|应用)|专业|学科")
GENERIC_AFTER = re.compile(
    r"等?(?:领域|行业|方面|施工)|\s*[\d一二三四五六七八九十百千]+\s*(?:个|家|项|批)")
#: An administrative level before a name, dropped from the canonical name: 全省(…),
#: 国家(“某某”…项目): plans print a national program with or without it
LEVEL_PREFIX = re.compile(r"^(?:全省|全市|全区|全县|全国|国家)(?=..)")
#: A quotation at the start of a name: “护航计划”, “就在某城”
LEADING_QUOTE = re.compile(r"^“([^“”]+)”")
#: A quoted numbered abbreviation, which a list before it may spell out: “三江”, “两区”
NUMBERED_ABBREVIATION = re.compile(r"“[一二三四五六七八九十两百千万\d]")


@dataclass(frozen=True, slots=True)
class Candidate:
    """A program candidate: character span, canonical name, kind and how it was found."""

    start: int
    end: int
    name: str
    kind: str
    rule: str
    confidence: float | None = None


def _canonical(surface: str, *, own_regions: tuple[str, ...] = ()) -> str:
    """A program's name without a leading region of the plan's own chain (南通市…行动 in
    南通's plan, 甘肃省…行动 in a plan of one of its cities: the program as the region
    carries it out) or a level word."""
    name = re.sub(r"\s+", "", surface)
    m = CLASSIFIED_QUOTE.match(name)
    if m:
        name = m.group(1)
    for region in own_regions:
        if region and name.startswith(region) and len(name) > len(region) + 3:
            name = name[len(region):]
            break
    name = LEVEL_PREFIX.sub("", name)
    return name


def _division_named(core: str) -> bool:
    """Whether ``core`` opens with a division's full name (某某市…, 某某省…)."""
    from extract.regions import load_divisions

    name = load_divisions().full_name_at(core, 0)
    return name is not None and len(core) > len(name)


def _proper(name: str) -> bool:
    """Whether a listed event's name names one event, not a kind of activity (人才招聘,
    创业大赛): a quotation, a place (南通…洽谈会), digits or Latin letters in it."""
    from extract.regions import load_divisions

    return ("“" in name or bool(re.search(r"[0-9A-Za-z]", name))
            or load_divisions().name_at(name, 0) is not None)


class ProgramFinder:
    """Find program names by their head noun and the phrase before it.

    The name ends with a head noun of the ``heads`` scheme (whose concept is the kind);
    it begins after the nearest launch verb (``verbs`` scheme: 实施, 开展 …), box label,
    count or punctuation before it. A name is rejected when it is a generic phrase
    (``generic`` scheme: 各类, 创业项目 …) or too short. Heads of the weak kinds (项目,
    活动, 品牌) need a quotation or a launch verb; the others may also start a line (专栏
    titles and items). A quotation that is itself a complete name (“春雨行动”) is the
    name, whatever classifier follows it. A quotation declared a brand (“X”品牌) names
    the brand in every later “X”… mention.
    """

    def __init__(self, nlp: Language, name: str, *, heads: str, generic: str, verbs: str,
                 stops: str, continuations: str, particles: str, joined_verbs: str,
                 object_verbs: str, groups: str, max_prefix: int, max_length: int) -> None:
        self.name = name
        lexicon = load_lexicon()
        self.head_kind: dict[str, str] = {}
        self.head_rule: dict[str, str | None] = {}
        for c in lexicon.scheme(heads):
            for w in c.alts:  # the preferred label is the kind; the others end names
                self.head_kind.setdefault(w, c.pref)
                self.head_rule.setdefault(w, c.notation)
        self.heads_by_length = tuple(sorted(self.head_kind, key=lambda w: (-len(w), w)))
        self.head_re = re.compile("|".join(map(re.escape, self.heads_by_length)))
        # a name that ends before a conjunction: (…计划和)校企合作培养…计划
        self.joined_re = re.compile(f"(?:{self.head_re.pattern})[和及与、]")
        # a second verb joined to a launch verb: (巩固)和提升
        self.joined_verb_re = re.compile(
            "[和及与并](?:" + "|".join(map(re.escape, lexicon.words(joined_verbs))) + ")")
        self.generic = tuple(w for c in lexicon.scheme(generic) if c.notation != "unquoted"
                             for w in c.alts)
        self.common_nouns = tuple(w for c in lexicon.scheme(generic)
                                  if c.notation == "unquoted" for w in c.alts)
        self.stops = lexicon.words(stops)
        self.verb_re = re.compile("|".join(map(re.escape, lexicon.words(verbs))))
        # verbs that take a plan as their object (综合运用计划): such a phrase is no name
        self.verb_end_re = re.compile(
            "(?:" + "|".join(map(re.escape, lexicon.words(object_verbs))) + ")$")
        self.particle_re = re.compile("|".join(map(re.escape, lexicon.words(particles))))
        self.continuations = lexicon.words(continuations)
        # the population a program serves may open its name, however long:
        # (易地搬迁劳动力)“某某”就业工程
        self.groups = lexicon.words(groups)
        self.max_length = max_length
        self.max_prefix = max_prefix

    # -- scanning ---------------------------------------------------------------------

    def _window_start(self, text: str, end: int) -> int:
        """Walk back from ``end`` over name characters (spaces only inside quotes)."""
        return name_start(text, end, self.max_length)

    def _cut(self, text: str, start: int, head_start: int) -> tuple[int, bool]:
        """Where the name begins inside ``[start, head_start)`` and whether a launch verb
        (rather than punctuation or a line start) opens it."""
        window = text[start:head_start]
        cut, by_verb = 0, False
        if start == 0 or text[start - 1] == "\n":
            item = ITEM_NUMBER.match(window)
            cut = item.end() if item else 0
        depth = 0
        quoted = [False] * len(window)
        for i, ch in enumerate(window):
            if ch == "“":
                depth += 1
            elif ch == "”":
                depth = max(0, depth - 1)
            quoted[i] = depth > 0
        for rx in (BOX_LABEL, COUNTED, self.particle_re, self.joined_re):
            for m in rx.finditer(window):  # hard boundaries
                if not quoted[m.start()] and m.end() < len(window) and m.end() > cut:
                    # a name joined to a program before it (…计划和) shares its verb, and
                    # so does one counted right after a verb (举办一届…大赛)
                    cut, by_verb = m.end(), rx is self.joined_re or (
                        rx is COUNTED and any(v.end() == start + m.start()
                                              for v in self.verb_re.finditer(
                                                  text, max(0, start + m.start() - 4),
                                                  start + m.start())))
        # the last launch verb that leaves a name of two characters or more: in
        # 实施…创业推进行动 the name starts after 实施, not after 推进
        verbs = [m.end() for m in self.verb_re.finditer(window)
                 if not quoted[m.start()] and cut < m.end() <= len(window) - 2
                 and window[m.end():m.end() + 1] != "化"  # 组织化 is a noun, not 组织
                 and window[m.start() - 1:m.start()] != "”"]  # “某某工匠”遴选计划: one name
        if verbs:
            cut, by_verb = verbs[-1], True
        if by_verb:
            # two verbs joined: 巩固和提升 (…): the name starts after the second
            joined = self.joined_verb_re.match(window, cut)
            if joined and joined.end() < len(window):
                cut = joined.end()
        return start + cut, by_verb

    def candidates(self, text: str, *, own_regions: tuple[str, ...] = ()) -> list[Candidate]:
        """Every program candidate in ``text`` (before overlaps are settled)."""
        found: list[Candidate] = []
        for m in self.head_re.finditer(text):
            hs, he = m.span()
            if text.startswith(self.continuations, hs) or GENERIC_AFTER.match(text, he):
                continue
            if m.group() == "工程" and (DISCIPLINE.match(text, he) or text[hs - 1:hs] == "与"):
                continue  # 化学工程与工艺, 材料科学与工程: fields of study, not programs
            if m.group() == "计划" and PLANS_TO.match(text, he) and text[hs - 1:hs] != "”":
                continue  # (全县)计划(搬迁…): "plans to", not a program
            if EVENT_COUNT.match(text, he):
                clause = max(text.rfind(p, 0, hs) for p in "，。；、\n")
                if "“" not in text[clause + 1:hs]:
                    continue  # (专场招聘会)100场: a kind of event counted, unless it is named
            if text.startswith("”", he):
                # the head closes a quotation: “春雨行动”“就业帮扶月”, 推广“人社便民快办行动”
                q = text.rfind("“", max(0, hs - self.max_length), hs)
                inner = re.sub(r"\s+", "", text[q + 1:he]) if q >= 0 else ""
                if (q >= 0 and "”" not in inner and "\n" not in text[q:he] and len(inner) >= 4
                        and "、" not in inner):
                    found.append(Candidate(q, he + 1, inner, self.head_kind[m.group()], "quoted"))
                    continue
            ws = self._window_start(text, hs)
            start, by_verb = self._cut(text, ws, hs)
            end = he
            surface = text[start:end]
            if surface.count("“") > surface.count("”") and text.startswith("”", end):
                end += 1
                surface = text[start:end]
            while surface.startswith("”"):
                start += 1
                surface = surface[1:]
            q = surface.find("“")
            long_clause = q > self.max_prefix and not self._group_prefix(surface[:q])
            if long_clause or (q > 0 and text[start - 1:start] == "、"
                               and NUMBERED_ABBREVIATION.match(surface, q)):
                # a long unquoted run before the quotation is a clause, not a name; a
                # list before a numbered abbreviation (甲、乙、丙“三地”…工程) spells out
                # what it abbreviates, and its last item alone is no part of the name
                start, surface = start + q, surface[q:]
            lead = LEADING_CONJUNCTION.match(surface)
            if lead:
                start += lead.end()
                surface = surface[lead.end():]
            if surface.count("“") != surface.count("”"):
                # an unbalanced quote: keep the part after the last opening quote
                q = surface.rfind("“")
                start += q
                surface = surface[q:]
                if surface.count("“") != surface.count("”"):
                    continue
            kind = self.head_kind[m.group()]
            quote = LEADING_QUOTE.match(surface)
            inner_head = self._head_of(quote.group(1)) if quote else None
            if quote and inner_head:
                # “春雨行动”, “就业帮扶月”活动: the quotation is the complete name
                inner = re.sub(r"\s+", "", quote.group(1))
                found.append(Candidate(start, start + quote.end(), inner,
                                       self.head_kind[inner_head], "quoted"))
                continue
            # a line, or a table cell, that starts with the name
            line_start = max(text.rfind("\n", 0, start), text.rfind("\t", 0, start)) + 1
            at_line_start = (bool(LINE_OPENER.fullmatch(text, line_start, start))
                             or text[start - 1:start] == "《")  # a cited title names it
            if not self._acceptable(surface, m.group(), by_verb=by_verb,
                                    at_line_start=at_line_start):
                continue
            rule = "quoted" if "“" in surface else ("verb" if by_verb else "line")
            # an unquoted contest is named by its division (某某市青年创业大赛): keep it
            named_by = () if self.head_rule[m.group()] == "quoted" and "“" not in surface \
                else own_regions
            found.append(Candidate(start, end, _canonical(surface, own_regions=named_by),
                                   kind, rule, None if rule != "line" else 0.7))
        return found

    def _group_prefix(self, prefix: str) -> bool:
        """Whether ``prefix`` (the unquoted run before a quotation) names a population,
        with at most a short place or level word before it: 全县建档立卡贫困劳动力."""
        return any(prefix.endswith(g) and len(prefix) - len(g) <= 3 for g in self.groups)

    def _head_of(self, name: str) -> str | None:
        """The head noun ``name`` ends with, if any."""
        name = name.rstrip()
        for w in self.heads_by_length:
            if name.endswith(w):
                return w
        return None

    def _acceptable(self, surface: str, head: str, *, by_verb: bool,
                    at_line_start: bool) -> bool:
        core = re.sub(r"[“”\s]", "", surface[: len(surface) - len(head)])
        if len(core) < 2 or len(re.sub(r"[“”\s]", "", surface)) < 4 or PERIOD.match(core):
            return False
        plain = QUOTATION.sub("“”", surface)  # generic words count outside quotations only
        if any(g in plain for g in self.generic):
            return False
        if "“" not in PERIOD_QUOTE.sub("", surface) and any(g in plain for g in self.common_nouns):
            return False  # (“十二五”重点建设项目: a period's quotation names nothing)
        if any(core.endswith(s) for s in self.stops):
            return False
        if COUNTED_END.search(core):
            return False  # (“甲”“乙”)四项(工程): a collective, its items are the names
        if self.verb_end_re.search(core):
            return False  # (综合运用)计划, (完善)计划: a verb and its object, not a name
        if "、" in QUOTATION.sub("“”", surface):
            return False  # a list (甲、乙…计划); a quoted motto before a head names one
            # (“某某、某某”活动), a bare quoted one does not (see candidates)
        if "“" in PERIOD_QUOTE.sub("", surface):
            return True  # a quotation names it (“十四五” only dates it)
        rule = self.head_rule[head]
        if rule == "weak" and GROUP_EVENT.sub("", core) in self.groups:
            return False  # (退役军人专场)招聘会: a kind of event for a group, not a named one
        if rule == "quoted":
            # unquoted contests and brands are descriptions (省级职业技能大赛), unless a
            # division's full name opens them (某某市青年创业大赛)
            return by_verb and _division_named(core)
        if rule == "weak":  # 科技攻关和技术革新项目: a coordination describes
            return by_verb and len(core) >= 5 and not COORDINATION.search(core)
        return by_verb or at_line_start

    def enumerated(self, text: str) -> list[Candidate]:
        """Names listed before ``等…活动品牌`` (each item an event program) or ``等…劳务品牌``
        (each a brand)."""
        out = []
        for tail in re.finditer("等", text):
            ending = ENUMERATION_TAIL.match(text, tail.start())
            if not ending:
                continue
            kind = "品牌" if ending.group("brand") else "活动"
            quoted = QUOTED_RUN.search(text, max(0, tail.start() - 200), tail.start())
            if quoted is not None:  # “甲”“乙”等…品牌: the quotations are the items
                for q in re.finditer(r"“([^“”]+)”", quoted.group()):
                    a = quoted.start() + q.start()
                    out.append(Candidate(a, a + len(q.group()), re.sub(r"\s+", "", q.group(1)),
                                         kind, "enumerated", 0.8))
                continue
            m = ENUMERATION_ITEMS.search(text, max(0, tail.start() - 200), tail.start())
            if m is None:
                continue
            pos = m.start()
            for item in m.group().split("、"):
                a, b = pos, pos + len(item)
                pos = b + 1
                a, _ = self._cut(text, a, b) if a == m.start() else (a, False)
                while a < b and not NAME_CHAR.match(text[a]):
                    a += 1
                name = re.sub(r"\s+", "", text[a:b])
                if (len(name) >= 4 and name.count("“") == name.count("”")
                        and not any(g in name for g in self.generic) and _proper(name)):
                    out.append(Candidate(a, b, name, kind, "enumerated", 0.8))
        return out

    def quoted_list(self, text: str) -> list[Candidate]:
        """Quotations listed before a counted collective head: each names a program of
        that head's kind, by its quotation."""
        out = []
        for m in QUOTED_LIST.finditer(text):
            kind = self.head_kind[m.group("head")]
            for q in re.finditer(r"“([^“”]+)”", m.group("items")):
                a = m.start("items") + q.start()
                out.append(Candidate(a, a + len(q.group()), re.sub(r"\s+", "", q.group(1)),
                                     kind, "quoted-list", 0.8))
        return out

    def boxed(self, plan: PlanDocument | None, text: str) -> list[Candidate]:
        """专栏 titles and numbered item titles that end in a head noun name programs, as
        printed (launch verbs at the start aside): the box structure vouches for them."""
        if plan is None:
            return []
        out = []
        spans = [(b.title_start, b.title_end) for b in plan.boxes]
        spans += [(i.title_start, i.title_end) for b in plan.boxes for i in b.items]
        for a, b in spans:
            title = text[a:b]
            while b > a and (text[b - 1].isspace() or text[b - 1] in "。；;，,：:"):
                b -= 1
            if b - a < 4 or re.search(r"[，,。；;、]", text[a:b]):
                continue  # a sentence, not a title: the text finder reads it
            verb = self.verb_re.match(text, a)
            while verb and b - verb.end() >= 4:
                a = verb.end()
                verb = self.verb_re.match(text, a)
            title = text[a:b]
            head = self._head_of(title)
            if head is None or title.count("“") != title.count("”"):
                continue
            core = re.sub(r"[“”\s]", "", title[: len(title) - len(head)])
            if len(core) < 2 or any(g in QUOTATION.sub("“”", title) for g in self.generic):
                continue
            out.append(Candidate(a, b, re.sub(r"\s+", "", title), self.head_kind[head], "box"))
        return out

    def brands(self, text: str) -> dict[str, tuple[int, int]]:
        """Quoted cores declared brands: “X”品牌, “X”大赛品牌 → {X: span of the declaration}.

        “X”品牌培育工程 is no declaration: the brand is the object of a program named
        with a head noun after it (the ``continuations`` scheme holds 品牌培育 …)."""
        out: dict[str, tuple[int, int]] = {}
        for m in re.finditer(rf"“([^“”\n、，,]{{2,20}})”((?:{CJK}){{0,6}}?)品牌", text):
            if text.startswith(self.continuations, m.end() - 2):
                continue
            out.setdefault(re.sub(r"\s+", "", m.group(1)), m.span())
        return out

    def __call__(self, doc: Doc) -> Doc:
        key = CANDIDATE_KEYS["Program"]
        doc.spans[key] = []
        plan = plan_of(doc)
        own = ((plan.metadata.region, *plan.metadata.parent_regions)
               if plan is not None and plan.metadata.region else ())
        text = text_of(doc)
        brands = self.brands(text)
        cands = (self.candidates(text, own_regions=own) + self.enumerated(text)
                 + self.quoted_list(text) + self.boxed(plan, text))
        for core, (s, e) in brands.items():
            cands.append(Candidate(s, e, core, "品牌", "brand"))
        for c in cands:
            name, kind = c.name, c.kind
            surface = re.sub(r"\s+", "", text[c.start:c.end])
            for core in brands:
                if name == core or (f"“{core}”" in surface and kind not in OWN_KINDS):
                    # “X”系列活动 shows the brand; “X”遴选计划 is a program of its own
                    name, kind = core, "品牌"
                    break
            add_candidate(doc, key, c.start, c.end, label="Program", name=name,
                          info=SpanInfo(kind=kind, confidence=c.confidence, rule=c.rule))
        return doc


@Language.factory(
    "policykg_programs",
    default_config={
        "heads": "program-heads",
        "generic": "generic-modifiers",
        "verbs": "launch-verbs",
        "stops": "non-program-heads",
        "continuations": "head-continuations",
        "particles": "name-particles",
        "joined_verbs": "joined-verbs",
        "object_verbs": "object-verbs",
        "groups": "target-group",
        "max_prefix": 8,
        "max_length": 30,
    },
    assigns=["doc.spans", "doc._.policykg_info"],
    requires=[],
)
def make_program_finder(nlp: Language, name: str, heads: str, generic: str, verbs: str,
                        stops: str, continuations: str, particles: str, joined_verbs: str,
                        object_verbs: str, groups: str, max_prefix: int,
                        max_length: int) -> ProgramFinder:
    """Build the program finder; each option names a scheme of ``ontology/`` (``groups``:
    the target groups, whose names may open a program's name) except ``max_prefix``
    (unquoted characters allowed before a quotation in a name) and ``max_length`` (the
    longest name, in characters)."""
    return ProgramFinder(nlp, name, heads=heads, generic=generic, verbs=verbs, stops=stops,
                         continuations=continuations, particles=particles,
                         joined_verbs=joined_verbs, object_verbs=object_verbs,
                         groups=groups, max_prefix=max_prefix, max_length=max_length)
