"""Plan metadata: title, issuer, 文号, issue date, region with parents and level, period, years.

Read from the front matter (the covering notice and the title, everything before the first
section heading) by patterns; the region comes from the division table
(:mod:`extract.regions`), the period years by arithmetic on the plan's number.
"""

from __future__ import annotations

import re

from extract.model import AdminLevel, Metadata
from extract.regions import Divisions, load_divisions, region_path

__all__ = [
    "extract_metadata",
    "parse_date",
    "period_years",
    "period_label",
    "cn_number",
    "DOC_NUMBER",
    "DATE",
    "CN_DATE",
    "PRINTED_DATE",
    "PERIOD_QUOTED",
    "PERIOD_ORDINAL",
]

# 文号: 吴政办〔2021〕144号 / 苏府〔2011〕203 号 / 国发[2021]14号
DOC_NUMBER = re.compile(r"[\u4e00-\u9fff]{1,10}\s*[〔\[［(（【]\s*(?:19|20)\d{2}\s*[〕\]］)）】]"
                        r"\s*\d{1,4}\s*号")
# A date: 2021年12月23日
DATE = re.compile(r"((?:19|20)\d{2})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日")
# A date in Chinese numerals: 二○一一年十一月十日
CN_DATE = re.compile(r"([〇○零O0一二三四五六七八九]{4})\s*年\s*([一二三四五六七八九十]{1,3})\s*月"
                     r"\s*([一二三四五六七八九十]{1,3})\s*日")
# The print date at the foot of an official document: 2021年8月11日印发
PRINTED_DATE = re.compile(r"((?:19|20)\d{2})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日\s*印\s*发")
# A period in quotes: “十四五” / "十五" / “九五”
PERIOD_QUOTED = re.compile(r"[“\"'‘「]\s*((?:[一二三]?十)?[一二三四五六七八九]?)\s*五\s*[”\"'’」]")
# An unquoted period before what it qualifies: 十四五规划 / 十三五时期
PERIOD_BARE = re.compile(r"((?:[一二三]?十)[一二三四五六七八九]?)五\s*(?=规划|计划|时期|期间|末)")
# A period by its ordinal: 第十四个五年规划 / 第十个五年计划
PERIOD_ORDINAL = re.compile(r"第\s*([一二三四五六七八九十]{1,3})\s*个\s*五\s*年\s*(?:规划|计划)")
# A year span: 2021～2025年 / (2001-2005年) / 2021—2025
YEAR_SPAN = re.compile(r"((?:19|20)\d{2})\s*年?\s*[-—–～~至到]\s*((?:19|20)\d{2})\s*年?")
# What a plan's title ends with.
_PLAN_WORD = re.compile(r"(?:规划|计划|纲要|方案)"
                        r"(?:\s*[（(]\s*(?:草案|征求意见稿|\d{4}\s*[-—–～~至]\s*\d{4}\s*年?)\s*[)）])?$")
# A notice line that hands the plan over: 现将《…》印发给你们 / 关于印发…的通知
# The first half of a title broken over two lines: 云南省国民经济和社会发展
_TITLE_HEAD = re.compile(r"[\u4e00-\u9fff“”\"]{4,30}")
_NOTICE_VERB = re.compile(r"印发|批转|转发|发布|现将|已经")
_QUOTED_TITLE = re.compile(r"《\s*([^《》]{4,80}?)\s*》")
_NOTICE_TITLE = re.compile(r"关于(?:印发|批转|转发)(.{4,80}?)的通知")
# The issuing body on a header line: 广州市天河区人民政府办公室文件
_HEADER_ISSUER = re.compile(r"(.{2,30}?)\s*文\s*件$")
# An office name (signature line): 长沙市人民政府办公室 / 长沙市人力资源和社会保障局
_OFFICE = re.compile(r"[\u4e00-\u9fff（）()]{2,40}(?:人民政府|政府|办公室|办公厅|委员会|人大常委会|"
                     r"政协|局|厅|部|委|署|院|中心)$")
# A notice issued by 市政府/区政府办公室 (no region named): expanded with the plan's region.
_SHORT_ISSUER = re.compile(r"^(省|市|区|县|州|盟|旗)(?:人民)?政府(办公室|办公厅)?关于")
# A nationwide plan names the country, not a place: 国家…规划 / 全国…规划
_NATIONAL = re.compile(r"^(?:国家|全国|中华人民共和国|中国)")
_WS = re.compile(r"\s+")
# Most characters of front matter read, and longest line of it looked at.
_FRONT_MAX = 20000
_LINE_MAX = 1000

_CN_DIGIT = {"〇": 0, "○": 0, "零": 0, "O": 0, "0": 0, "一": 1, "二": 2, "三": 3, "四": 4,
             "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}


def cn_number(s: str) -> int | None:
    """Value of a Chinese numeral up to 99 (``十四`` → 14, ``二十三`` → 23, ``十`` → 10).

    Examples
    --------
    >>> cn_number("十四"), cn_number("二十三"), cn_number("十"), cn_number("九")
    (14, 23, 10, 9)
    """
    if not s:
        return None
    if "十" in s:
        tens, _, ones = s.partition("十")
        t = _CN_DIGIT.get(tens) if tens else 1
        o = _CN_DIGIT.get(ones) if ones else 0
        if t is None or o is None:
            return None
        return t * 10 + o
    if len(s) == 1 and s in _CN_DIGIT:
        return _CN_DIGIT[s]
    return None


def _cn_numeral(n: int) -> str:
    digits = "〇一二三四五六七八九"
    if n < 10:
        return digits[n]
    tens, ones = divmod(n, 10)
    return ("" if tens == 1 else digits[tens]) + "十" + (digits[ones] if ones else "")


def period_years(n: int) -> tuple[int, int]:
    """First and last year of the n-th five-year plan.

    The 1st plan ran 1953–1957 and the 2nd 1958–1962; after three years of readjustment the
    3rd began in 1966, and every plan since has followed the last.

    Examples
    --------
    >>> period_years(14), period_years(10), period_years(12), period_years(1)
    ((2021, 2025), (2001, 2005), (2011, 2015), (1953, 1957))
    """
    start = 1953 + 5 * (n - 1) if n <= 2 else 1966 + 5 * (n - 3)
    return start, start + 4


def period_label(n: int) -> str:
    """The short label of the n-th plan: 14 → ``十四五``, 10 → ``十五``.

    Examples
    --------
    >>> period_label(14), period_label(10), period_label(9)
    ('十四五', '十五', '九五')
    """
    return _cn_numeral(n) + "五"


def parse_date(s: str) -> str | None:
    """``YYYY-MM-DD`` from ``2021年12月23日`` or ``二○一一年十一月十日``, else ``None``.

    Examples
    --------
    >>> parse_date("2021年8月11日印发"), parse_date("二○一一年十一月十日")
    ('2021-08-11', '2011-11-10')
    """
    m = DATE.search(s)
    if m:
        y, mo, d = int(m.group(1)), int(m.group(2)), int(m.group(3))
    else:
        m = CN_DATE.search(s)
        if not m:
            return None
        y = int("".join(str(_CN_DIGIT[c]) for c in m.group(1)))
        mo_n, d_n = cn_number(m.group(2)), cn_number(m.group(3))
        if mo_n is None or d_n is None:
            return None
        mo, d = mo_n, d_n
    if not (1 <= mo <= 12 and 1 <= d <= 31):
        return None
    return f"{y:04d}-{mo:02d}-{d:02d}"


def _find_period(*texts: str) -> int | None:
    for t in texts:
        if not t:
            continue
        for pattern in (PERIOD_QUOTED, PERIOD_ORDINAL, PERIOD_BARE):
            for m in pattern.finditer(t):
                prefix = m.group(1)
                n = cn_number(prefix) if pattern is PERIOD_ORDINAL else \
                    (cn_number(prefix) if prefix else None)
                if n is not None and 1 <= n <= 30:
                    return n
    return None


def _title(front_lines: list[str]) -> str | None:
    # the plan as the covering notice names it: 现将《…规划》印发给你们
    joined = "\n".join(front_lines)
    for line in front_lines:
        if _NOTICE_VERB.search(line):
            for m in _QUOTED_TITLE.finditer(line):
                inner = _WS.sub("", m.group(1))
                if _PLAN_WORD.search(inner):
                    return inner
    # the title line, with the line above it when the title was broken in two
    for i, line in enumerate(front_lines):
        s = _WS.sub("", line)
        if 6 <= len(s) <= 80 and _PLAN_WORD.search(s) and "关于" not in s and "通知" not in s \
                and not s.startswith(("《", "根据", "经")) and "。" not in s:
            if i > 0:
                above = _WS.sub("", front_lines[i - 1])
                if (_TITLE_HEAD.fullmatch(above) and len(above) + len(s) <= 80
                        and not _OFFICE.fullmatch(above) and not above.endswith("文件")):
                    return above + s
            return s
    m = _NOTICE_TITLE.search(_WS.sub("", joined))
    if m:
        return m.group(1)
    return None


def _issuer(front_lines: list[str], date_line: int | None, foot_lines: list[str]) -> str | None:
    # the office that signs the notice: the line above the date
    if date_line is not None:
        for line in reversed(front_lines[max(0, date_line - 3):date_line]):
            s = _WS.sub("", line)
            if s and _OFFICE.fullmatch(s):
                return s
            if s:
                break
    for line in front_lines[:6]:
        if len(line) > 60:
            continue
        m = _HEADER_ISSUER.search(_WS.sub("", line))
        if m and _OFFICE.fullmatch(m.group(1)):
            return m.group(1)
    # the office named beside the print date at the foot
    for i, line in enumerate(foot_lines):
        if PRINTED_DATE.search(line):
            s = _WS.sub("", PRINTED_DATE.sub("", line))
            if s and _OFFICE.fullmatch(s):
                return s
            for prev in reversed(foot_lines[max(0, i - 3):i]):
                p = _WS.sub("", prev)
                if p and _OFFICE.fullmatch(p):
                    return p
                if p:
                    break
    return None


def extract_metadata(text: str, *, body_start: int, divisions: Divisions | None = None
                     ) -> tuple[Metadata, list[str]]:
    """Read a plan's metadata.

    Parameters
    ----------
    text : the normalised text.
    body_start : offset where the plan's body begins (its first section heading or table of
        contents); the covering notice and the title stand before it.
    divisions : the division table (default: the shipped one).

    Returns
    -------
    (Metadata, warnings)
    """
    table = divisions or load_divisions()
    warnings: list[str] = []
    # the covering notice and the title fit in the first pages; lines of prose are not read
    front = text[:min(body_start, _FRONT_MAX)] if body_start > 0 else text[:3000]
    front_lines = [ln.strip(" \t\r\u3000") for ln in front.split("\n")]
    front_lines = [ln for ln in front_lines if ln and len(ln) <= _LINE_MAX]
    foot_lines = [ln.strip(" \t\r\u3000") for ln in text[-3000:].split("\n")]
    foot_lines = [ln for ln in foot_lines if ln]

    title = _title(front_lines)

    # the date under the signature: a line that is nothing but a full date, or the
    # signature and its date run together on one line (某市人民政府办公室 2021年12月29日)
    issue_date = None
    date_line = None
    signed_by = None
    for i, line in enumerate(front_lines):
        s = _WS.sub("", line)
        m = DATE.fullmatch(s) or CN_DATE.fullmatch(s)
        if m:
            issue_date, date_line = parse_date(s), i
            break
        m = DATE.search(s) or CN_DATE.search(s)
        if m and m.end() == len(s) and _OFFICE.fullmatch(s[:m.start()]):
            issue_date, signed_by = parse_date(m.group(0)), s[:m.start()]
            break
    if issue_date is None:
        printed = list(PRINTED_DATE.finditer(text))
        if printed:
            issue_date = parse_date(printed[-1].group(0))

    doc_number = None
    m = DOC_NUMBER.search(front[:4000] if front else text[:4000])
    if m:
        doc_number = _WS.sub("", m.group(0))

    issuer = signed_by or _issuer(front_lines, date_line, foot_lines)

    # region: the path of division names the title opens with, else the issuer's
    context = text[:20000]
    chain = region_path(title, context=context, divisions=table) if title else ()
    if not chain and issuer:
        chain = region_path(issuer, context=context, divisions=table)
    region = parents_names = admin_level = code = None
    # nationwide: the title names the country, or an office signs it that names no place
    # (a ministry or the central government's general office)
    national = bool((title and _NATIONAL.match(title)) or (issuer and _NATIONAL.match(issuer))
                    or (issuer and not chain))
    if chain:
        d = chain[-1]
        region, code, admin_level = d.name, d.code, d.level
        parents_names = tuple(a.name for a in table.ancestors(d.code))
    elif national:
        region, admin_level = "全国", AdminLevel.NATIONAL.value

    if issuer is None and region is not None:
        for line in front_lines:
            sm = _SHORT_ISSUER.match(_WS.sub("", line))
            if sm:
                issuer = region + "人民政府" + (sm.group(2) or "")
                break

    n = _find_period(title or "", front, text[:20000])
    start_year = end_year = None
    period = None
    if n is not None:
        period = period_label(n)
        start_year, end_year = period_years(n)
    else:
        m = YEAR_SPAN.search(title or "") or YEAR_SPAN.search(front)
        if m:
            start_year, end_year = int(m.group(1)), int(m.group(2))
            if end_year - start_year == 4 and start_year >= 1966 and (start_year - 1966) % 5 == 0:
                period = period_label((start_year - 1966) // 5 + 3)

    if title is None and period is None:
        warnings.append("not a plan document: no plan title and no five-year period found")
        return Metadata(), warnings
    return Metadata(title=title, region=region, parent_regions=parents_names or (),
                    admin_level=admin_level, region_code=code, period=period,
                    start_year=start_year, end_year=end_year, doc_number=doc_number,
                    issuer=issuer, issue_date=issue_date), warnings
