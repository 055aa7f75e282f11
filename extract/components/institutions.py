"""``policykg_institutions``: named bodies, schools, parks, platforms, systems and accounts."""

from __future__ import annotations

import re

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

__all__ = ["InstitutionFinder", "HOTLINE", "COPY_TO", "LEVEL", "OWN_LEVEL"]

#: A named economic area that qualifies a body as a region does: 淮海经济区(创业服务平台)
AREA = re.compile(rf"^{CJK}{{2,4}}(?:经济区|经济带|都市圈|城市群|示范区)")
#: Issuers listed right before a cited title: 省政府办公厅、财政厅《…》
ISSUER_END = re.compile(r"(?:中央|院|部|委|厅|局|办公厅)$")
#: A verb of issuing between a body and the title it issues: 国务院(印发的)《…》
ISSUED = re.compile(r"(?:印发|出台|发布|颁布|制定|下发)了?的?")
#: A division that signs an agreement with the plan's region: 与杭州市西湖区签订《…》
COUNTERPARTY = re.compile(rf"与(?P<name>{CJK}{{2,12}}?)(?:签订|签署)")
#: A count right after a name: (市高技能人才培养基地) 20 个 — a category being counted
COUNT_AFTER = re.compile(r"\s*[\d一二三四五六七八九十百千]+\s*(?:个|家|所|座|处|项)")
#: A quotation inside a name: “某区人社”(微信公众号)
QUOTED_PART = re.compile(r"“[^“”]*”")
#: A government service hotline number: 12345, 12348
HOTLINE = re.compile(r"(?<![\d.])123\d{2}(?![\d.])")
#: The 抄送 (copy-to) paragraph of a notice: its recipients are not cited institutions.
COPY_TO = re.compile(r"^\s*抄\s*送\s*[:：][^\n]*", re.M)
#: A level prefix that qualifies a body: 省(人社厅), 全省(…平台), 市(精英周落户联盟),
#: 中国(…科学院) — but not 中国特色 / 中国式, which describe rather than name
LEVEL = re.compile(r"^(?:全国|全省|国家|中央|中国(?!特色|式)|省部共建|省|市|区|县)"
                   r"(?![级场域内外直属])")
#: A party or mass organisation before the division it belongs to: (中共)某市委宣传部,
#: (共青团)某省委 — part of the name, not a word to cut
ORG_PREFIX = re.compile(r"^(?:中国共产党|中共|共青团|中国国民党革命委员会|民盟)")
#: An alias the plan defines: 某市科学技术局（以下简称某科技局） / （简称“某联盟”）
DEFINED = re.compile(r"[（(]\s*(?:以下)?简称\s*[:：]?\s*[“\"]?"
                     r"(?P<short>[^（）()“”\"，,。；;、\n]{2,20}?)[”\"]?\s*[）)]")
#: A time phrase before a name: (到2025年)零工市场…, (每年12月底前向)… — not part of it
TIME_BEFORE = re.compile(r"(?:到|至|截至|截止)?\s*(?:(?:19|20)\d{2}\s*年(?:底|末)?"
                         r"|(?:(?:19|20)\d{2}\s*年)?\d{1,2}\s*月(?:底|末|初)?(?:前|后|起)?)"
                         r"(?:向|对|由)?")
#: A level prefix that stands for the plan's own division of that level: 全省(…平台)
OWN_LEVEL = re.compile(r"^全?(?P<suffix>省|市|区|县)(?![级场域内外直属])")
#: A park before its managing committee: (…港务区)管委会
PARK_COMMITTEE = re.compile(r"(?<=[区园])(?:管委会|管理委员会)$")
#: A collective prefix: (全市)中职学校 is all of them, not one body; so is a tier of
#: levels: (县乡两级)…平台, (县乡村三级)…平台
COLLECTIVE = re.compile(r"^(?:全市|全区|全县|[省市区县乡镇村街]{2,4}[两二三四五]级)")
#: A separator between two listed names: 甲产业园区、(乙产业园区)
LISTED = re.compile(r"[、和与及]")
#: School suffixes whose names may start with a proper name that is no division: 某某大学
SCHOOL_SUFFIXES = ("大学", "学院")
#: The proper part of a school's name: two to four ideographs (某邑大学)
SCHOOL_NAME = re.compile(rf"{CJK}{{2,4}}")
#: A count before a name: 10个(人才工作站)
COUNTED = re.compile(r"[\d一二三四五六七八九十两]+(?:个|家|所|项|批|类|大)")


def _in_division_name(text: str, i: int) -> bool:
    """Whether ``text[i]`` is inside a division's name after its first character (the 和
    of 太和); at a name's start it stays a conjunction (甲局和县乙局, not 和县)."""
    from extract.regions import load_divisions

    table = load_divisions()
    for k in range(1, 4):
        name = table.name_at(text, i - k) if i - k >= 0 else None
        if name and i < i - k + len(name):
            return True
    return False


class InstitutionFinder:
    """Find institution names by their type suffix and a qualifier that makes them proper.

    The name ends with a suffix of the ``suffixes`` scheme; it starts after the nearest
    launch verb or particle before it (as for programs). It is kept only when something
    names one organisation: a division name (``extract.regions``), the plan's own region,
    a level prefix, a quotation, Latin letters or digits. Department suffixes (局/厅/部/委
    …) also need a portfolio word (``agency`` scheme: 人力资源和社会保障, 财政 …). Type
    words alone (``generic`` scheme) and the 抄送 paragraph are skipped. Abbreviated
    department names resolve to the full form printed in the same plan (人社局 ≡
    人力资源和社会保障局).
    """

    def __init__(self, nlp: Language, name: str, *, suffixes: str, agency: str, generic: str,
                 verbs: list[str], abbreviations: str, designations: str,
                 continuations: str, school_types: str, areas: str, max_length: int,
                 province_names: str = "province-short-names",
                 hubs: str = "hub-words", program_heads: str = "program-heads",
                 false_endings: str = "department-false-endings") -> None:
        self.name = name
        lexicon = load_lexicon()
        self.suffix_type: dict[str, tuple[str, bool]] = {}
        self.division_only: set[str] = set()  # suffixes named by a division, not a level
        self.level_named: set[str] = set()  # suffixes a level word alone qualifies (市+总工会)
        for c in lexicon.scheme(suffixes):
            for w in c.alts:  # the preferred label names the type, the others end names
                self.suffix_type.setdefault(w, (c.pref, c.notation == "department"))
                if c.notation == "division":
                    self.division_only.add(w)
                if c.notation == "level":
                    self.level_named.add(w)
        self.false_endings = lexicon.words(false_endings)
        ordered = sorted(self.suffix_type, key=lambda w: (-len(w), w))
        self.suffix_re = re.compile("|".join(map(re.escape, ordered)))
        words = lexicon.words(agency)
        # a portfolio word with 和 is printed without it too: 发展和改革 / 发展改革
        plain = [w.replace("和", "") for w in words if "和" in w]
        self.agency = tuple(sorted(set(words) | set(plain), key=lambda w: (-len(w), w)))
        self.generic = frozenset(lexicon.words(generic))
        words = sorted({w for v in verbs for w in lexicon.words(v)}, key=lambda w: (-len(w), w))
        self.verb_re = re.compile("|".join(map(re.escape, words)))
        self.designations = lexicon.words(designations)
        self.agency_re = re.compile("|".join(map(re.escape, self.agency)))
        self.agency_end_re = re.compile("(?:" + self.agency_re.pattern + ")$")
        self.designation_re = re.compile("|".join(map(re.escape, self.designations)))
        self.compound_and = tuple(a for a in self.agency if re.search("[和与及]", a))
        self.abbreviations = tuple(
            (alt, c.pref) for c in lexicon.scheme(abbreviations) for alt in c.alts)
        self.continuations = lexicon.words(continuations)
        self.school_types = lexicon.words(school_types)
        self.areas = lexicon.words(areas)
        self.province_short = {c.pref: tuple(c.alts) for c in lexicon.scheme(province_names)}
        self.hubs = lexicon.words(hubs)
        # a program's head after a quotation makes the quoted words its name: “…进园区”(活动)
        self.program_after = re.compile("|".join(map(re.escape, lexicon.words(program_heads))))
        self.max_length = max_length

    def _proper_school(self, text: str, start: int, core: str) -> bool:
        """Whether ``core`` before 大学/学院 is a school's proper name though no division:
        two to four ideographs, no school-type word (老年, 职业, 师范 … in the
        ``school_types`` scheme) and nothing of the name before it (the name starts after
        punctuation, a conjunction or a verb)."""
        if not SCHOOL_NAME.fullmatch(core) or any(w in core for w in self.school_types):
            return False
        if start == 0 or not NAME_CHAR.match(text[start - 1]) or LISTED.match(text, start - 1):
            return True
        return any(v.end() == start for v in self.verb_re.finditer(text, max(0, start - 4), start))

    def _plain_department(self, surface: str, suffix: str, own: tuple[str, ...]) -> bool:
        """Whether ``surface`` names a department whose portfolio is no word of the
        ``agency`` scheme (市招商服务局, 某某县口岸管理局): a level word or the plan's own
        division, then two to six ideographs, then the suffix, the last of them not an
        ordinary word ending so (发展格局, 基层干部: ``false_endings`` scheme)."""
        name = re.sub(r"\s+", "", surface)
        party = ORG_PREFIX.match(name)  # 中共某市委办公室: the party committee's office
        if party:
            name = name[party.end():]
        opener = OWN_LEVEL.match(name)
        rest = name[opener.end():] if opener else None
        if rest is None:
            form = next((o for o in own if o and name.startswith(o)), None)
            rest = name[len(form):] if form else None
        if rest is None or not rest.endswith(suffix):
            return False
        core = rest[: len(rest) - len(suffix)]
        if not re.fullmatch(rf"{CJK}{{{1 if party else 2},6}}", core):
            return False
        return not any((core + suffix).endswith(w) for w in self.false_endings)

    def _start(self, text: str, end: int) -> int:
        """Where a name ending at ``end`` begins: back over name characters (quotations
        and a bracketed place included), then after the last verb, particle, count or
        conjunction that is not part of a portfolio word."""
        from extract.regions import load_divisions

        pos = name_start(text, end, self.max_length)
        window = text[pos:end]
        cut = 0
        portfolio = self.agency_end_re.search(window)  # (组织)部, (宣传)部: not a verb
        for m in self.verb_re.finditer(window):
            if self.suffix_re.match(text, pos + m.start()):
                continue  # 开发(区): the start of a type word, not a verb
            if portfolio and m.start() >= portfolio.start():
                continue
            if window.count("“", 0, m.start()) == window.count(
                    "”", 0, m.start()):
                cut = max(cut, m.end())
        for m in re.finditer(r"的|(?<![高中初同平对])等(?!级)", window):
            cut = max(cut, m.end())
        for m in TIME_BEFORE.finditer(window):
            cut = max(cut, m.end())
        # two bodies printed side by side (joint issuers, the space between them gone):
        # 中共某市委办公室|某市人民政府办公室 — a name ends where a division's name begins
        for m in self.suffix_re.finditer(window):
            if m.end() < len(window) and m.end() > cut and (
                    ORG_PREFIX.match(window, m.end())
                    or load_divisions().full_name_at(window, m.end())):
                cut = m.end()
        for m in COUNTED.finditer(window):
            if m.end() < len(window):
                cut = max(cut, m.end())
        # 和/与/及/、 join two names unless inside a portfolio word (人力资源和社会保障)
        inside = [False] * len(window)
        for a in self.compound_and:
            for m in re.finditer(re.escape(a), window):
                for i in range(m.start(), m.end()):
                    inside[i] = True
        for m in re.finditer(r"[和与及]", window):
            if not inside[m.start()] and not _in_division_name(window, m.start()) and \
                    window.count("“", 0, m.start()) == window.count("”", 0, m.start()):
                cut = max(cut, m.end())
        return pos + cut

    def _qualified(self, name: str, own: tuple[str, ...], *, division_only: bool = False) -> bool:
        from extract.regions import load_divisions

        name = ORG_PREFIX.sub("", PERIOD_QUOTE.sub("", name))
        if COLLECTIVE.match(name):
            return False
        # Latin letters or digits in the name proper (not an ASCII type word at its end:
        # 手机APP is no named app)
        if not division_only and ("“" in name or re.search(r"[0-9A-Za-z]|互联网\+",
                                                           re.sub(r"[A-Za-z]+$", "", name))
                                  or LEVEL.match(name) or AREA.match(name)
                                  or name.startswith(self.areas)):
            return True
        if any(o and name.startswith(o) and (len(o) > 1 or not division_only) for o in own):
            return True  # (a one-character province name does not name a 驿站)
        table = load_divisions()
        inner = re.search(r"[（(]([^（）()]{2,6})[）)]", name)
        if inner and (inner.group(1) in table.by_name or inner.group(1) in table.by_short):
            return True
        for n in range(min(len(name) - 1, 10), 1, -1):
            if name[:n] in table.by_name:
                return True
            # a short form names a province or a prefecture (四川大学, 厦门大学); county
            # short forms are too often ordinary words (资源, 工农)
            if any(d.level in ("province", "prefecture-city") or len(name[:n]) > 2
                   for d in table.by_short.get(name[:n], ())):
                return True
        return False

    @staticmethod
    def _listed(text: str, named: list[tuple[int, int, str]],
                unqualified: list[tuple[int, int, str, str]]) -> list[tuple[int, int, str, str]]:
        """Names listed right next to a named body with the same ending (甲市某产业园区、
        乙冶金产业园区) that start with the short form of a division too ambiguous to
        qualify a name on its own (a two-character county form): the list settles it."""
        from extract.regions import load_divisions

        table = load_divisions()
        ends = {(e, suffix) for _, e, suffix in named}
        starts = {(s, suffix) for s, _, suffix in named}
        out = []
        for start, end, surface, suffix in unqualified:
            before = start > 0 and LISTED.match(text, start - 1) and (start - 1, suffix) in ends
            after = LISTED.match(text, end) and (end + 1, suffix) in starts
            if (before or after) and any(surface[:n] in table.by_short for n in (2, 3)):
                out.append((start, end, surface, suffix))
        return out

    def _issuers(self, text: str) -> list[tuple[int, int, str, str]]:
        """Bodies listed right before a cited title (省政府办公厅、财政厅《…》), or before a
        verb of issuing it (国务院印发(的)《…》): each item ends like a government body and
        holds no verb."""
        out = []
        for m in re.finditer("《", text):
            end = m.start()
            issued = ISSUED.search(text, max(0, end - 6), end)
            if issued and issued.end() == end:
                end = issued.start()
            while True:
                start = end
                while start > 0 and re.match(CJK, text[start - 1]):
                    start -= 1
                item = text[start:end]
                cut = max((v.end() for v in self.verb_re.finditer(item)), default=0)
                name = item[cut:]
                if not (3 <= len(name) <= 12 and ISSUER_END.search(name)) or \
                        name in self.generic or LEVEL.match(name) and len(name) <= 3:
                    break
                out.append((start + cut, end, name, "政府机构"))
                if cut or start == 0 or text[start - 1] != "、":
                    break
                end = start - 1
        return out

    def _counterparties(self, text: str) -> list[tuple[int, int, str, str]]:
        """Divisions that sign an agreement (与杭州市西湖区签订): parties, not just places."""
        from extract.regions import region_path

        out = []
        for m in COUNTERPARTY.finditer(text):
            name = m.group("name")
            chain = region_path(name)
            if chain and name.endswith(chain[-1].name):
                out.append((m.start("name"), m.end("name"), name, "政府机构"))
        return out

    def _canonical(self, name: str, text: str, regions: tuple[str, ...]) -> str:
        """The name an institution goes by in this plan: without a trailing 管委会 after a
        park, without enclosing quotes, its level prefix replaced by the plan's own
        division of that level (全省X → 浙江省X; 省X only when the plan also prints
        浙江省X) and its abbreviations expanded (人社局 → 人力资源和社会保障局) when the plan
        prints that fuller form."""
        name = PARK_COMMITTEE.sub("", re.sub(r"\s+", "", name))
        whole = QUOTED_PART.fullmatch(name)
        if whole:
            name = name[1:-1]
        level = OWN_LEVEL.match(name)
        if level:
            rest = name[level.end():]
            fuller = [rest.replace(short, full, 1) for short, full in self.abbreviations
                      if short in rest and full not in rest]
            for r in regions:  # 全省 always means the plan's province; 省 alone when printed
                if not r.endswith(level.group("suffix")):
                    continue
                if name.startswith("全") or r + rest in text:
                    name = r + rest
                    break
                # a level-prefixed short form (level + 人社局) where the plan prints only
                # its division's fuller name: that body, not the tail of its name
                printed = next((r + f for f in fuller if r + f in text), None)
                if printed:
                    return printed
        for short, full in self.abbreviations:
            if short in name and full not in name:
                longer = name.replace(short, full, 1)
                if longer in text:
                    return longer
        return name

    def __call__(self, doc: Doc) -> Doc:
        key = CANDIDATE_KEYS["Institution"]
        doc.spans[key] = []
        text = text_of(doc)
        plan = plan_of(doc)
        own: tuple[str, ...] = ()
        if plan is not None and plan.metadata.region:
            from extract.regions import short_name
            own = (plan.metadata.region, short_name(plan.metadata.region))
        regions = ((plan.metadata.region, *plan.metadata.parent_regions)
                   if plan is not None and plan.metadata.region else ())
        # the one-character short name of the plan's province (赣 in a 江西 plan)
        own += tuple(a for r in regions for a in self.province_short.get(r, ()))
        if plan is not None and plan.metadata.region_code:
            # the plan's own counties and districts by short name (什邡 in a 德阳 plan),
            # which alone would be too often ordinary words to qualify a name
            from extract.regions import load_divisions, short_name
            own += tuple(short_name(d.name) for d in
                         load_divisions().children(plan.metadata.region_code))
        skip = [m.span() for m in COPY_TO.finditer(text)]
        flat = re.sub(r"\s+", "", text)
        named: list[tuple[int, int, str]] = []
        unqualified: list[tuple[int, int, str, str]] = []
        found: list[tuple[int, int, str, SpanInfo]] = []
        for m in self.suffix_re.finditer(text):
            hs, he = m.span()
            if any(a <= hs < b for a, b in skip):
                continue
            if any(v.end() > hs for v in self.verb_re.finditer(text, max(0, hs - 3), hs + 1)
                   if v.start() < hs):
                continue  # (扩)大学前教育: a verb ends inside the suffix, which is no suffix
            if any(len(c) > len(m.group()) for c in self.continuations
                   if text.startswith(c, hs)) or COUNT_AFTER.match(text, he) or \
                    text.startswith("化", he) or hs > 0 and text[hs - 1:he] in self.continuations:
                continue  # (人才市场)化, (平台)化: a manner, not a body
            start = self._start(text, hs)
            if self.suffix_type[m.group()][1] and not self.agency_re.search(
                    text, max(0, hs - self.max_length), he) and not self._plain_department(
                    text[start:he], m.group(), own):
                continue  # a department suffix (部, 局 …) with no portfolio word before it
            end = he
            if text.startswith("”", he):
                # the suffix closes a quotation: “9号智慧招聘平台”(…)
                q = text.rfind("“", max(0, hs - self.max_length), hs)
                if q < 0 or "”" in text[q:hs] or "\n" in text[q:hs] or \
                        self.program_after.match(text, he + 1):
                    continue  # (a quoted name before 活动 names a program)
                start, end = q, he + 1
            surface = text[start:end]
            if surface.count("“") != surface.count("”"):
                q = surface.rfind("“")
                if surface.count("“", 0, q) != surface.count("”", 0, q):
                    continue
                start, surface = start + q, surface[q:]
                if surface.count("“") != surface.count("”"):
                    continue
            while surface.startswith("”"):
                start, surface = start + 1, surface[1:]
            if re.search(r"[、，,；]", surface):
                continue  # a quoted slogan or a list, not a name
            if HOTLINE.match(re.sub(r"\s+", "", surface)):
                continue  # 12348(法律服务热线): a hotline goes by its number (see below)
            type_, department = self.suffix_type[m.group()]
            core = surface.removesuffix("”")[: len(surface.removesuffix("”")) - len(m.group())]
            bare = LEVEL.sub("", re.sub(r"[“”\s]", "", surface))
            if (len(re.sub(r"[“”\s]", "", core)) < 2 and not (
                    m.group() in self.level_named and OWN_LEVEL.fullmatch(core))) \
                    or bare in self.generic:
                continue  # (市 + 总工会: a level word alone names the plan's own one)
            if department and not self.agency_re.search(re.sub(r"[“”\s]", "", surface)) \
                    and not self._plain_department(surface, m.group(), own):
                continue  # (the portfolio word may run into the suffix: 退役军人事务局)
            whole = QUOTED_PART.fullmatch(surface)
            plain = surface[1:-1] if whole else QUOTED_PART.sub("", surface)
            if self.designation_re.search(re.sub(r"(?<=[高中初同平对])等", "", plain)):
                continue  # (高等 is part of 高等专科学校, not the plural 等)
            if m.group() in ("系统", "平台", "服务平台", "服务体系") and \
                    self.agency_end_re.search(core):
                continue  # 人社系统: the whole sector, not one (信息)系统
            if m.group() == "中心" and core.endswith(self.hubs):
                continue  # (区域性金融)中心: a role the area aims at, not a body
            national = department and re.sub(r"\s+", "", core) in self.agency
            division_only = m.group() in self.division_only
            rule = "suffix"
            if not national and not self._qualified(re.sub(r"\s+", "", surface), own,
                                                    division_only=division_only):
                # the name starts at its qualifier: (被)宁波市就业局, (建有)省部共建…创业园
                for i in range(1, min(5, len(surface) - len(m.group()) - 1)):
                    rest = re.sub(r"\s+", "", surface[i:])
                    if (COLLECTIVE.match(surface) or ORG_PREFIX.match(surface)
                            or LEVEL.match(rest) and len(LEVEL.match(rest).group()) == 1
                            or any(surface[i - 1:i + 1] in a for a in self.agency)):
                        continue
                    if self._qualified(rest, own, division_only=division_only):
                        start, surface = start + i, surface[i:]
                        break
                else:
                    if m.group() in SCHOOL_SUFFIXES and self._proper_school(
                            text, start, re.sub(r"[“”\s]", "", core)):
                        rule = "school"  # 某邑大学: a proper name, though no division
                    else:
                        if not COLLECTIVE.match(surface) and not division_only:
                            unqualified.append((start, end, surface, m.group()))
                        continue
            named.append((start, end, m.group()))
            found.append((start, end, self._canonical(surface, flat, regions),
                          SpanInfo(kind=type_, rule=rule,
                                   confidence=0.8 if rule == "school" else None)))
        for start, end, surface, suffix in self._listed(text, named, unqualified):
            found.append((start, end, self._canonical(surface, flat, regions),
                          SpanInfo(kind=self.suffix_type[suffix][0], rule="listed",
                                   confidence=0.8)))
        for start, end, name, kind in self._issuers(text) + self._counterparties(text):
            if not any(a <= start < b for a, b in skip):
                found.append((start, end, name,
                              SpanInfo(kind=kind, rule="issuer", confidence=0.8)))
        for m in HOTLINE.finditer(text):
            if not any(a <= m.start() < b for a, b in skip):
                found.append((m.start(), m.end(), m.group(),
                              SpanInfo(kind="平台", rule="hotline")))
        for start, end, name, info in self._defined(text, found, skip):
            add_candidate(doc, key, start, end, label="Institution", name=name, info=info)
        return doc

    @staticmethod
    def _defined(text: str, found: list[tuple[int, int, str, SpanInfo]],
                 skip: list[tuple[int, int]]) -> list[tuple[int, int, str, SpanInfo]]:
        """The candidates, with the aliases the plan defines applied: after
        ``某市科学技术局（以下简称某科技局）`` every 某科技局 is that body, by its
        full name, whether or not its short form would be found on its own."""
        ends: dict[int, tuple[int, str]] = {}  # where a name ends → the longest: start, name
        for start, end, name, _ in found:
            e = end
            while e < len(text) and text[e] in " \u3000":
                e += 1
            if e not in ends or start < ends[e][0]:
                ends[e] = (start, name)
        alias: dict[str, tuple[str, str]] = {}
        for m in DEFINED.finditer(text):
            full = ends[m.start()][1] if m.start() in ends else None
            short = re.sub(r"\s+", "", m.group("short"))
            if full and short != full and short not in alias:
                alias[short] = (full, next(i.kind for _, _, n, i in found if n == full))
        if not alias:
            return found
        out = []
        taken = set()
        for start, end, name, info in found:
            surface = re.sub(r"[“”\s]", "", text[start:end])
            if surface in alias:
                name = alias[surface][0]
            out.append((start, end, name, info))
            taken.add((start, end))
        for short, (full, kind) in alias.items():
            for m in re.finditer(re.escape(short), text):
                if m.span() not in taken and not any(a <= m.start() < b for a, b in skip):
                    out.append((m.start(), m.end(), full,
                                SpanInfo(kind=kind, rule="defined alias")))
        return out


@Language.factory(
    "policykg_institutions",
    default_config={
        "suffixes": "institution-suffixes",
        "agency": "agency-words",
        "generic": "generic-institutions",
        "verbs": ["launch-verbs", "institution-verbs"],
        "abbreviations": "name-abbreviations",
        "designations": "institution-designations",
        "continuations": "institution-continuations",
        "school_types": "school-type-words",
        "areas": "named-areas",
        "province_names": "province-short-names",
        "hubs": "hub-words",
        "program_heads": "program-heads",
        "false_endings": "department-false-endings",
        "max_length": 30,
    },
    assigns=["doc.spans", "doc._.policykg_info"],
    requires=[],
)
def make_institution_finder(nlp: Language, name: str, suffixes: str, agency: str,
                            generic: str, verbs: list[str], abbreviations: str,
                            designations: str, continuations: str, school_types: str,
                            areas: str, max_length: int,
                            province_names: str, hubs: str,
                            program_heads: str, false_endings: str) -> InstitutionFinder:
    """Build the institution finder; each option names a scheme of ``ontology/lexicon.ttl``
    (``verbs`` a list of them) except ``max_length``, the longest name in characters."""
    return InstitutionFinder(nlp, name, suffixes=suffixes, agency=agency, generic=generic,
                             verbs=verbs, abbreviations=abbreviations,
                             designations=designations, continuations=continuations,
                             school_types=school_types, areas=areas, max_length=max_length,
                             province_names=province_names, hubs=hubs,
                             program_heads=program_heads, false_endings=false_endings)
