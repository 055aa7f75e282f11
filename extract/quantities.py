"""Parsing of the quantities printed in indicator cells and target sentences.

Pure functions on strings: a value cell (``【 65 】``, ``3以内``, ``≥90``, ``5左右``,
``13:41:46``, ``--``) becomes a :class:`Quantity`; a row label
(``1. 城镇新增就业人数（万人）**``) becomes a :class:`Label` (name, unit, authority
mark); a column header (``2025年目标``, ``“十三五” 规划目标``) yields its year.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from enum import StrEnum

__all__ = [
    "Comparator",
    "Quantity",
    "Label",
    "parse_quantity",
    "parse_label",
    "is_unit",
    "header_year",
    "period_years",
    "compact",
]


class Comparator(StrEnum):
    """How a target value binds (the closed set of the interchange format)."""

    EQ = "="
    LT = "<"
    LE = "<="
    GT = ">"
    GE = ">="
    APPROX = "~"


@dataclass(frozen=True, slots=True)
class Quantity:
    """A parsed value cell.

    Attributes
    ----------
    text : the cell as printed, whitespace removed and trailing remarks dropped
        (``[37.5]`` from ``[37.5](新口径)``); ``None`` for an empty cell.
    value : the number, ``None`` for an empty cell, a placeholder (``--``, ``待定``),
        a ratio (``13:41:46``) or a cell with no single number.
    comparator : ``None`` when ``value`` is ``None``.
    cumulative : the value is bracketed (``[ ]``, ``【 】``, ``〔 〕``): a five-year total.
    placeholder : the cell says explicitly that there is no value (``--``, ``待定``).
    ratio : the cell is a ratio such as ``13:41:46``.
    remark : the trailing remark that was dropped (``新口径``), if any.
    """

    text: str | None
    value: float | None = None
    comparator: Comparator | None = None
    cumulative: bool = False
    placeholder: bool = False
    ratio: bool = False
    remark: str | None = None


@dataclass(frozen=True, slots=True)
class Label:
    """A parsed row label: ``name`` without serial number, unit or marks."""

    name: str
    unit: str | None = None
    mark: str | None = None  # authority mark as printed: "*", "**", "△" …
    serial: str | None = None


# --------------------------------------------------------------------------- patterns

# A number, with an optional sign and decimals: "37.5", "-0.5", "1,200".
NUMBER = re.compile(r"[-+]?\d+(?:,\d{3})*(?:\.\d+)?")
# A ratio of two or more numbers: "13:41:46", "7.4:38:54.6".
RATIO = re.compile(r"^\d+(?:\.\d+)?(?::\d+(?:\.\d+)?)+$")
# A cell that says "no value": "--", "-----", "—", "/", "无", "待定", "暂无", "…".
PLACEHOLDER = re.compile(r"^(?:[-—–―‐‑~～/／\\*…·.]+|待定|暂无|无|不适用|待核定|待测算|N/?A)$",
                         re.IGNORECASE)
# Brackets that mark a five-year cumulative value: "[37.5]", "【65】", "〔12〕".
CUMULATIVE = re.compile(r"^[\[【〔](.*)[\]】〕]$")
# The same with a comparator word or sign outside the brackets: "≥[20000]", "[5]以上"
CUMULATIVE_WORDED = re.compile(r"^([^\[【〔\d]{1,4})?[\[【〔]([^\[\]【】〔〕]*\d[^\[\]【】〔〕]*)[\]】〕]"
                               r"([^\[\]【】〔〕\d]{1,3})?$")
# A trailing remark in parentheses without digits: "[37.5](新口径)", "95（预计）".
TRAILING_REMARK = re.compile(r"[（(]([^（）()\d]*)[）)]$")
# A leading serial number of a row label: "1.", "1、", "12．", "(3)", "（3）", "一、".
SERIAL = re.compile(r"^\s*(?:(\d+)\s*[.、．,，]|[（(](\d+)[）)]|([一二三四五六七八九十]+)\s*、)\s*")
# Authority marks printed after a label: "**", "*", "※", "△", "▲", "#".
MARK = re.compile(r"\s*([*＊※△▲☆★#＃]+)\s*$")
# A trailing parenthesised group of a label: "城镇新增就业人数（万人）".
TRAILING_PAREN = re.compile(r"\s*[（(]([^（）()]*)[）)]\s*$")
# A unit: optional magnitude then a unit word, or a per-unit form ("元/月", "人/万人").
UNIT = re.compile(
    r"^(?:%|‰|‱|"
    r"(?:[十百千万亿]+)?(?:人次|人年|人|户|个工作日|工作日|个月|个|家|元|美元|张|次|件|项|所|座|套|名|岁"
    r"|年|月|周|天|日"
    r"|小时|平方米|平方公里|亩|公里|千米|米|吨|标准煤|场|期|班|批|台|辆|床|间|册|本|部|条|笔|份|元/人|"
    r"元/月|元/年)"
    r"(?:/(?:[十百千万亿]+)?(?:人|户|年|月|日|天|人·月|人·年|万人|平方米))?)$")

# Comparator words and signs. Prefixes: "≥90", "不低于60". Suffixes: "3以内", "95以上".
_PREFIX_COMPARATORS: tuple[tuple[str, Comparator | None], ...] = (
    ("≥", Comparator.GE), (">=", Comparator.GE), ("≧", Comparator.GE),
    ("≤", Comparator.LE), ("<=", Comparator.LE), ("≦", Comparator.LE),
    ("不低于", Comparator.GE), ("不少于", Comparator.GE), ("不小于", Comparator.GE),
    ("大于等于", Comparator.GE), ("高于", Comparator.GT), ("大于", Comparator.GT),
    ("超过", Comparator.GT), ("多于", Comparator.GT),
    ("不高于", Comparator.LE), ("不超过", Comparator.LE), ("不大于", Comparator.LE),
    ("不多于", Comparator.LE), ("小于等于", Comparator.LE), ("低于", Comparator.LT),
    ("小于", Comparator.LT), ("控制在", None), ("保持在", None), ("稳定在", None),
    ("达到", None), ("约", Comparator.APPROX), (">", Comparator.GT), ("<", Comparator.LT),
    ("~", Comparator.APPROX), ("≈", Comparator.APPROX),
)
_SUFFIX_COMPARATORS: tuple[tuple[str, Comparator], ...] = (
    ("以内", Comparator.LE), ("以下", Comparator.LE), ("之内", Comparator.LE),
    ("以上", Comparator.GE), ("及以上", Comparator.GE),
    ("左右", Comparator.APPROX), ("上下", Comparator.APPROX),
)

_PERIOD = re.compile(r"([一二三四五六七八九十]+)五")
_YEAR = re.compile(r"((?:19|20)\d{2})\s*年?")
_CN_DIGITS = {"一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}


def compact(text: str) -> str:
    """``text`` in NFKC form with all whitespace removed (``【 65 】`` → ``【65】``).

    NFKC maps full-width letters, digits and signs to ASCII (``＞`` → ``>``) but leaves
    ``【】``, ``≥`` and CJK text as they are.

    Examples
    --------
    >>> compact("【 65 】"), compact("５ 左右"), compact("＞９０")
    ('【65】', '5左右', '>90')
    """
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))


def parse_quantity(cell: str | None) -> Quantity:
    """Parse a value cell as printed.

    Parameters
    ----------
    cell : str or None
        The cell text; ``None`` or blank is an empty cell.

    Returns
    -------
    Quantity
        With ``text`` the cell without whitespace and trailing remarks, the number,
        the comparator (``=`` for a bare number), the bracket flag and what kind of
        non-value it is.

    Examples
    --------
    >>> q = parse_quantity("【 65 】")
    >>> q.text, q.value, q.comparator.value, q.cumulative
    ('【65】', 65.0, '=', True)
    >>> q = parse_quantity("[37.5](新口径)")
    >>> q.text, q.value, q.remark
    ('[37.5]', 37.5, '新口径')
    >>> [parse_quantity(s).comparator.value for s in ("3以内", "≥90", "5左右", "<4", "95以上")]
    ['<=', '>=', '~', '<', '>=']
    >>> q = parse_quantity("≥[20000]")
    >>> q.value, q.comparator.value, q.cumulative
    (20000.0, '>=', True)
    >>> parse_quantity("13:41:46").value is None, parse_quantity("--").placeholder
    (True, True)
    """
    if cell is None:
        return Quantity(text=None)
    text = re.sub(r"\s+", "", cell)
    if not text:
        return Quantity(text=None)
    remark = None
    m = TRAILING_REMARK.search(text)
    if m and m.start() > 0:
        remark = m.group(1) or None
        text = text[: m.start()]
    flat = compact(text)
    if PLACEHOLDER.match(flat):
        return Quantity(text=text, placeholder=True, remark=remark)
    cumulative = False
    inner = flat
    m = CUMULATIVE.match(flat) or CUMULATIVE_WORDED.match(flat)
    if m:
        # the brackets mark a five-year total; a comparator may stand outside them
        cumulative = True
        inner = "".join(g for g in m.groups() if g)
    if RATIO.match(inner.replace("：", ":")):
        return Quantity(text=text, cumulative=cumulative, ratio=True, remark=remark)
    numbers = NUMBER.findall(inner)
    if len(numbers) != 1:
        return Quantity(text=text, cumulative=cumulative, remark=remark)
    number = numbers[0]
    value = float(number.replace(",", ""))
    head, _, tail = inner.partition(number)
    comparator = _comparator(head, tail)
    if number.startswith(("+", "-")) and head == "" and comparator is None:
        comparator = Comparator.EQ
    return Quantity(text=text, value=value, comparator=comparator or Comparator.EQ,
                    cumulative=cumulative, remark=remark)


def _comparator(head: str, tail: str) -> Comparator | None:
    found: Comparator | None = None
    head = head.strip()
    for word, comp in _PREFIX_COMPARATORS:
        if head.endswith(word):
            found = comp
            break
    tail = tail.strip()
    for word, comp in _SUFFIX_COMPARATORS:  # after the unit: "95%以上", "70岁左右"
        if tail.endswith(word):
            return comp
    return found


def is_unit(text: str) -> bool:
    """Whether ``text`` reads as a unit of measure (``万人``, ``%``, ``万人次``, ``元/月``).

    Examples
    --------
    >>> is_unit("万人次"), is_unit("%"), is_unit("新口径"), is_unit("后")
    (True, True, False, False)
    """
    return bool(UNIT.match(compact(text)))


def parse_label(cell: str) -> Label:
    """Split a row label into serial number, name, unit and authority mark.

    The unit is the trailing parenthesised group when it reads as a unit; a group that
    is part of the name (``博士（后）人才引进数``) stays.

    Examples
    --------
    >>> parse_label("1. 城镇新增就业人数（万人）**")
    Label(name='城镇新增就业人数', unit='万人', mark='**', serial='1')
    >>> parse_label("13. 博士（后）人才引进数（人）")
    Label(name='博士（后）人才引进数', unit='人', mark=None, serial='13')
    >>> parse_label("15. 高、中、初级专业技术人才比例*")
    Label(name='高、中、初级专业技术人才比例', unit=None, mark='*', serial='15')
    """
    text = cell.strip()
    serial = None
    m = SERIAL.match(text)
    if m and m.end() < len(text):
        serial = m.group(1) or m.group(2) or m.group(3)
        text = text[m.end():]
    marks: list[str] = []
    unit = None
    for _ in range(2):  # "名称（单位）**" and "名称**（单位）"
        m = MARK.search(text)
        if m and m.start() > 0:
            marks.append(m.group(1))
            text = text[: m.start()]
        m = TRAILING_PAREN.search(text)
        if m and m.start() > 0 and unit is None and is_unit(m.group(1)):
            unit = compact(m.group(1))
            text = text[: m.start()]
    mark = unicodedata.normalize("NFKC", "".join(marks)) or None
    name = re.sub(r"\s+", "", text)
    return Label(name=name, unit=unit, mark=mark, serial=serial)


def header_year(header: str) -> int | None:
    """The year a column header names (``2025年目标`` → 2025, ``2020 年末`` → 2020).

    Examples
    --------
    >>> header_year("2025年目标"), header_year("2020 年末 完成情况"), header_year("属性")
    (2025, 2020, None)
    """
    m = _YEAR.search(header)
    return int(m.group(1)) if m else None


def period_years(label: str) -> tuple[int, int] | None:
    """First and last year of a five-year-plan period named in ``label``.

    From the third plan (1966–1970) on, the N-th plan starts in 1966 + 5 (N − 3).

    Examples
    --------
    >>> period_years("“十三五”规划目标"), period_years("十四五"), period_years("属性")
    ((2016, 2020), (2021, 2025), None)
    """
    m = _PERIOD.search(label)
    if not m:
        return None
    n = _cn_number(m.group(1))
    if n is None or n < 3:
        return None
    start = 1966 + 5 * (n - 3)
    return start, start + 4


def _cn_number(text: str) -> int | None:
    if text == "十":
        return 10
    if text.startswith("十"):
        return 10 + _CN_DIGITS.get(text[1:], 0) if len(text) == 2 else None
    if len(text) == 1:
        return _CN_DIGITS.get(text)
    if len(text) == 2 and text[1] == "十":
        return _CN_DIGITS.get(text[0], 0) * 10
    if len(text) == 3 and text[1] == "十":
        return _CN_DIGITS.get(text[0], 0) * 10 + _CN_DIGITS.get(text[2], 0)
    return None
