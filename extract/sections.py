"""Headings and the section tree of a plan: 第X篇/章/节, 一、, （一）, 1., （1）, 附件, 序言.

A heading is a line that begins with a numbering pattern. Whether a numbered line is a heading
or a numbered sentence is decided by rules, not by strings: the title is the text up to the
first full stop (``（一）就业创业工作稳步推进。全区…`` → ``就业创业工作稳步推进``) and must be
short; a list whose items are mostly long sentences is a list of sentences, not of headings.
A table of contents is recognised (a ``目录`` line followed by heading-like entries, or a run
of lines ending in page numbers) and kept out of the tree.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass
from enum import StrEnum

from extract.lines import Line, nonblank_after
from extract.metadata import cn_number

__all__ = [
    "Kind",
    "Heading",
    "find_toc",
    "find_headings",
    "select_headings",
    "PART",
    "CHAPTER",
    "SECTION",
    "CN",
    "PAREN_CN",
    "ARABIC",
    "PAREN_ARABIC",
    "ANNEX",
    "PREAMBLE",
    "BOX",
    "TOC_START",
    "PAGE_REF",
    "FOOT",
]

_CN_DIGITS = "一二三四五六七八九十百零〇"

# 第一篇指导思想和发展目标 / 第一部分 发展基础
PART = re.compile(rf"第\s*([{_CN_DIGITS}]+|\d{{1,2}})\s*(?:篇|部分)")
# 第一章 发展基础和面临形势 / 第1章
CHAPTER = re.compile(rf"第\s*([{_CN_DIGITS}]+|\d{{1,3}})\s*章")
# 第一节 “十三五”期间人社事业主要成绩
SECTION = re.compile(rf"第\s*([{_CN_DIGITS}]+|\d{{1,3}})\s*节")
# 一、“十三五”期间人力资源和社会保障事业发展的主要成就 / 二．主要目标
CN = re.compile(r"([一二三四五六七八九十]{1,3})\s*(?:、|[.．](?!\d))")
# （一）就业创业工作稳步推进。 / (二) 招才引智工作量质双升。
PAREN_CN = re.compile(r"[（(]\s*([一二三四五六七八九十]{1,3})\s*[）)]")
# 1. 围绕中心、服务大局。 / 2、… (not 80.6%)
ARABIC = re.compile(r"(\d{1,2})\s*[.．、](?![\d.．%])")
# （1）… / (2) …
PAREN_ARABIC = re.compile(r"[（(]\s*(\d{1,2})\s*[）)]")
# 附件 / 附件1 / 附表：…重大任务清单
ANNEX = re.compile(r"附\s*([件表])\s*(\d{1,2}|[一二三四五六七八九十]{1,3})?"
                   r"\s*(?:[：:．.、]\s*|(?=\s)|$)")
# 序 言 / 前言 (a line of its own)
PREAMBLE = re.compile(r"([序前引])\s*言")
# 专栏 3 / 专栏3 技能培训专项行动
BOX = re.compile(r"专栏\s*(\d{1,3}|[一二三四五六七八九十]{1,3})(?![\d])\s*[：:．.、]?\s*")
# 目 录 / 目录 (possibly followed by the first entry on the same line: 目录序言)
TOC_START = re.compile(r"目\s*录")
# A table-of-contents page reference at the end of a line: \t(7) / ·····(41) / …… 12
PAGE_REF = re.compile(r"(?:\t|[.·…．•]{2,}|\s{2,})\s*[(（]?\s*\d{1,3}\s*[)）]?$")
# Last characters a line with a page reference can end with (a cheap test before PAGE_REF).
_PAGE_END = frozenset("0123456789)）")
# Where a heading can start: a line beginning with a numbering or label character (one pass
# over the text finds the lines worth trying the heading patterns on).
_CANDIDATE = re.compile(r"^[ \t\r\u3000\xa0]*[第一二三四五六七八九十（(0-9附专序前引]", re.M)
# The foot of an official document: 抄送：… / 抄报：…
FOOT = re.compile(r"(?:抄送|抄报|主送)\s*[:：]")
# Where a heading's title ends: the first full stop of the line.
_SENTENCE_END = re.compile(r"[。！？；;]")
# Where an over-long 篇/章/节 title is cut (text glued to the heading by a transcription).
_CLAUSE_END = re.compile(r"[。，,、；;]")
# A 章 or 节 glued after a 篇 or 章 heading on one line: 第三篇推进改革开放第十三章深化各项改革
_GLUED = re.compile(rf"第\s*(?:[{_CN_DIGITS}]+|\d{{1,3}})\s*[章节]")
_SEPARATORS = " \t\u3000\xa0：:、.．"
_TITLE_TRAIL = " \t\u3000\xa0：:，,；;。"

# A space that sets a title off from the body on the same line: （一）指导思想　以习近平…
_TITLE_GAP = re.compile(r"[\u3000\xa0]+| {2,}| (?=[\u4e00-\u9fff“])")
# Fewest characters of body text after such a space.
_MIN_BODY = 10

# Longest heading title (characters up to the first full stop) and longest title line.
MAX_TITLE_SENTENCE = 32
MAX_TITLE_LINE = 50


class Kind(StrEnum):
    """Kinds of section-tree nodes (``Section.kind``)."""

    PART = "part"
    CHAPTER = "chapter"
    SECTION = "section"
    CN = "cn"
    PAREN_CN = "paren_cn"
    ARABIC = "arabic"
    PAREN_ARABIC = "paren_arabic"
    BOX = "box"
    TABLE = "table"
    ANNEX = "annex"
    PREAMBLE = "preamble"


# Outline depth of each numbering style; annex and preamble stand at the top.
RANK = {Kind.PREAMBLE: -1, Kind.ANNEX: -1, Kind.PART: 0, Kind.CHAPTER: 1, Kind.SECTION: 2,
        Kind.CN: 3, Kind.PAREN_CN: 4, Kind.ARABIC: 5, Kind.PAREN_ARABIC: 6}
LIST_KINDS = frozenset({Kind.CN, Kind.PAREN_CN, Kind.ARABIC, Kind.PAREN_ARABIC})


@dataclass(frozen=True, slots=True)
class Heading:
    """A heading found on a line: its kind, number, where it starts and its title span.

    ``titled`` is False for a numbered line whose first sentence is too long to be a title
    (a numbered sentence); :func:`select_headings` decides list by list.
    """

    kind: Kind
    number: str
    start: int
    title_start: int
    title_end: int
    line: int
    titled: bool = True


def _strip_title(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start] in _SEPARATORS:
        start += 1
    while end > start and text[end - 1] in _TITLE_TRAIL:
        end -= 1
    return start, end


def _entry_key(content: str) -> str:
    return re.sub(r"\s+", "", PAGE_REF.sub("", content)).rstrip(".·…．•")


def _entry_like(content: str) -> bool:
    if PAGE_REF.search(content):
        return True
    if "。" in content:
        return False
    return bool(PART.match(content) or CHAPTER.match(content) or SECTION.match(content)
                or CN.match(content) or PAREN_CN.match(content) or ANNEX.match(content)
                or PREAMBLE.match(content) or BOX.match(content))


def _top_marker(content: str) -> tuple[str, str] | None:
    """(style, number) of a TOC entry numbered as a part, chapter or 一、, else ``None``."""
    for name, pattern in (("part", PART), ("chapter", CHAPTER), ("cn", CN)):
        m = pattern.match(content)
        if m:
            return name, m.group(1)
    return None


def find_toc(lines: list[Line]) -> range | None:
    """The lines of the table of contents, or ``None``.

    A TOC is a ``目录`` line followed by entry lines (heading-like, or ending in a page
    number); it ends at the first line that is neither, that repeats an entry, or that
    numbers a chapter (part, 一、) already listed: the body begins there, even when its
    headings are worded a little differently. Without a ``目录`` line, a run of at least
    three lines ending in page numbers is one.

    Examples
    --------
    >>> from extract.lines import split_lines
    >>> lines = split_lines("目 录\\n第一章 总则\\t(1)\\n第二章 目标\\t(3)\\n\\n第一章 总则\\n正文")
    >>> find_toc(lines)
    range(0, 3)
    """
    for i, ln in enumerate(lines):
        c = ln.content
        m = TOC_START.match(c)
        if not m or len(c) > 200:
            continue
        rest = c[m.end():].strip()
        if rest and not _entry_like(rest):
            continue
        seen: set[str] = {_entry_key(rest)} if rest else set()
        first = _top_marker(rest) if rest else None
        top: set[tuple[str, str]] = {first} if first else set()  # top-level entries listed
        top_kind = first[0] if first else None
        last = i
        for j in range(i + 1, len(lines)):
            nxt = lines[j]
            if nxt.blank:
                continue
            c = nxt.content
            key = _entry_key(c)
            # the body begins where an entry comes round again (序言 / 第一章 … once more)
            if not _entry_like(c) or key in seen:
                break
            marker = _top_marker(c)
            if marker is not None:
                top_kind = top_kind or marker[0]
                if marker[0] == top_kind and marker in top:
                    break
                top.add(marker)
            seen.add(key)
            last = nxt.index
        if last > i:
            return range(i, last + 1)
    # no 目录 line: a run of lines ending in page numbers
    run: list[int] = []
    for ln in lines:
        if ln.blank:
            continue
        if ln.hi - ln.lo <= 80 and ln.content[-1] in _PAGE_END and PAGE_REF.search(ln.content):
            run.append(ln.index)
            continue
        if len(run) >= 3:
            return range(run[0], run[-1] + 1)
        run = []
    if len(run) >= 3:
        return range(run[0], run[-1] + 1)
    return None


def _list_heading(text: str, kind: Kind, m: re.Match[str], ln: Line) -> Heading | None:
    if kind in (Kind.CN, Kind.PAREN_CN) and cn_number(m.group(1)) is None:
        return None  # 三七、… is a plant, not a number
    ts, hi = m.end(), ln.hi
    while ts < hi and text[ts] in _SEPARATORS:
        ts += 1
    if ts >= hi:
        return None
    stop = _SENTENCE_END.search(text, ts, hi)
    gap = _TITLE_GAP.search(text, ts + 2, min(hi, ts + MAX_TITLE_SENTENCE + 1))
    if gap and (stop is None or gap.start() < stop.start()) and hi - gap.end() >= _MIN_BODY:
        # a title set off from its body by a space: （一）指导思想　以习近平……
        a, b = _strip_title(text, ts, gap.start())
        return Heading(kind, m.group(1), m.start(), a, b, ln.index, True) if b > a else None
    if stop:
        te = stop.start()
        titled = 0 < te - ts <= MAX_TITLE_SENTENCE
    else:
        te = hi
        titled = te - ts <= MAX_TITLE_LINE
        if not titled:
            clause = _CLAUSE_END.search(text, ts, hi)
            te = clause.start() if clause else min(hi, ts + MAX_TITLE_LINE)
    ts, te = _strip_title(text, ts, te)
    if te <= ts:
        return None
    return Heading(kind, m.group(1), m.start(), ts, te, ln.index, titled)


def _outline_headings(text: str, kind: Kind, m: re.Match[str], ln: Line) -> list[Heading]:
    """A 篇/章/节 heading; split in two when a lower one is glued to it on the line."""
    ts, hi = m.end(), ln.hi
    if kind in (Kind.PART, Kind.CHAPTER):
        glued = _GLUED.search(text, ts, hi)
        if glued and glued.start() > ts:
            sub_kind = Kind.CHAPTER if text[glued.end() - 1] == "章" else Kind.SECTION
            sub = CHAPTER if sub_kind is Kind.CHAPTER else SECTION
            sm = sub.match(text, glued.start(), hi)
            if RANK[sub_kind] > RANK[kind] and sm is not None:
                a, b = _strip_title(text, ts, glued.start())
                return [Heading(kind, m.group(1), m.start(), a, b, ln.index),
                        *_outline_headings(text, sub_kind, sm, ln)]
    te = hi
    if te - ts > 40:
        clause = _CLAUSE_END.search(text, ts, hi)
        te = clause.start() if clause else ts + 40
    a, b = _strip_title(text, ts, te)
    return [Heading(kind, m.group(1), m.start(), a, b, ln.index)]


def _annex_heading(text: str, m: re.Match[str], ln: Line, lines: list[Line]) -> Heading | None:
    ts, te = _strip_title(text, m.end(), ln.hi)
    if te - ts > 60 or "。" in text[ts:te]:
        return None
    if te <= ts:  # a bare 附件: the title is the next short line
        nxt = nonblank_after(lines, ln.index, limit=3)
        if nxt is not None and len(nxt.content) <= 60 and "\t" not in nxt.text \
                and "。" not in nxt.content and not _starts_structure(nxt.content):
            ts, te = _strip_title(text, nxt.lo, nxt.hi)
        else:
            ts = te = ln.hi
    return Heading(Kind.ANNEX, m.group(2) or "", m.start(), ts, te, ln.index)


def _starts_structure(content: str) -> bool:
    from extract.tables import CAPTION

    return bool(CAPTION.match(content) or BOX.match(content) or CHAPTER.match(content)
                or CN.match(content) or PAREN_CN.match(content) or ANNEX.match(content))


def find_headings(text: str, lines: list[Line], *, skip: set[int] | frozenset[int] = frozenset()
                  ) -> list[Heading]:
    """Every heading candidate of the text, in order (box labels included, as ``Kind.BOX``).

    Parameters
    ----------
    text : the normalised text.
    lines : ``split_lines(text)``.
    skip : indexes of lines that are not headings (table of contents, table rows, captions).
    """
    out: list[Heading] = []
    starts = [ln.start for ln in lines]
    for cand in _CANDIDATE.finditer(text):
        ln = lines[bisect_right(starts, cand.start()) - 1]
        if ln.index in skip:
            continue
        lo, hi = ln.lo, ln.hi
        if hi - lo <= 8 and PREAMBLE.fullmatch(text, lo, hi):
            out.append(Heading(Kind.PREAMBLE, "", lo, lo, hi, ln.index))
            continue
        m = ANNEX.match(text, lo, hi)
        if m:
            a, b = _strip_title(text, m.end(), hi)
            if a == b and not m.group(2) and out and out[-1].kind is Kind.ANNEX:
                continue  # 附表：… then a bare 附表 (the annex page's own label): one annex
            h = _annex_heading(text, m, ln, lines)
            if h is not None:
                out.append(h)
                continue
        m = BOX.match(text, lo, hi)
        if m:
            ts, te = _strip_title(text, m.end(), hi)
            out.append(Heading(Kind.BOX, m.group(1), lo, ts, te, ln.index))
            continue
        for pattern, kind in ((PART, Kind.PART), (CHAPTER, Kind.CHAPTER),
                              (SECTION, Kind.SECTION)):
            m = pattern.match(text, lo, hi)
            if m:
                out.extend(_outline_headings(text, kind, m, ln))
                break
        else:
            for pattern, kind in ((CN, Kind.CN), (PAREN_CN, Kind.PAREN_CN),
                                  (PAREN_ARABIC, Kind.PAREN_ARABIC), (ARABIC, Kind.ARABIC)):
                m = pattern.match(text, lo, hi)
                if m:
                    h = _list_heading(text, kind, m, ln)
                    if h is not None:
                        out.append(h)
                    break
    return out


def parents_of(headings: list[Heading]) -> list[int | None]:
    """For each heading (boxes excluded), the index of the heading it belongs under."""
    stack: list[int] = []
    out: list[int | None] = []
    for i, h in enumerate(headings):
        r = RANK[h.kind]
        while stack and (r < 0 or headings[stack[-1]].kind is Kind.PREAMBLE
                         or RANK[headings[stack[-1]].kind] >= r):
            stack.pop()
        out.append(stack[-1] if stack else None)
        stack.append(i)
    return out


def _number(h: Heading) -> int | None:
    return int(h.number) if h.number.isdigit() else cn_number(h.number)


def select_headings(headings: list[Heading]) -> list[Heading]:
    """Keep the headings that are headings: drop numbered lists whose items are mostly
    sentences rather than titles (decided per list, i.e. per parent and numbering style),
    and a lone number that starts no list (a ``5.`` with no other item of its style under
    the same parent is a wrapped sentence's tail, not a heading)."""
    outline = [h for h in headings if h.kind != Kind.BOX]
    for _ in range(2):  # dropping a list can change the parents of what follows
        par = parents_of(outline)
        groups: dict[tuple[int | None, Kind], list[int]] = {}
        for i, h in enumerate(outline):
            if h.kind in LIST_KINDS:
                groups.setdefault((par[i], h.kind), []).append(i)
        drop: set[int] = set()
        for members in groups.values():
            titled = sum(1 for i in members if outline[i].titled)
            sentences = titled * 2 < len(members)
            stray = len(members) == 1 and _number(outline[members[0]]) not in (None, 1)
            if sentences or stray:
                drop.update(members)
        if not drop:
            break
        outline = [h for i, h in enumerate(outline) if i not in drop]
    return outline
