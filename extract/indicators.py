"""Indicator targets: rows of a plan's indicator tables and quantified goals in its prose.

``extract_indicators(plan)`` reads every table of a :class:`~extract.model.PlanDocument`,
decides from its title and column headers whether it is the plan's own target table
(kind ``target``), the previous period's results table (kind ``past``) or something else
(an annex breaking targets down by county or year, a task list), and turns each data row
of the first two into an :class:`~extract.model.IndicatorRow`. Quantified goals stated in
the goal sections' prose (``到2025年，…就业率达到95%以上``) become rows with
``table=None``. Indicator names map to the concepts of ``ontology/indicators.ttl``.
"""

from __future__ import annotations

import logging
import re
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from enum import StrEnum
from functools import lru_cache

from extract.model import IndicatorRow, PlanDocument, Row, Section, Table
from extract.quantities import (
    Quantity,
    compact,
    header_year,
    parse_label,
    parse_quantity,
    period_years,
)

__all__ = [
    "IndicatorKind",
    "ColumnRole",
    "TableLayout",
    "PlanContext",
    "column_role",
    "table_layouts",
    "canonical_indicator",
    "table_indicators",
    "prose_indicators",
    "extract_indicators",
]

log = logging.getLogger(__name__)


class IndicatorKind(StrEnum):
    """Whose values a row holds: the plan's own goals or the previous period's results."""

    TARGET = "target"
    PAST = "past"


class ColumnRole(StrEnum):
    """What an indicator-table column holds, read from its header."""

    NAME = "name"            # 指标名称, 指标, 分类、指标
    CATEGORY = "category"    # 指标类别, 类型, 领域
    UNIT = "unit"            # 单位
    SERIAL = "serial"        # 序号
    BASE = "base"            # 2020年基数, 2015年(基数)
    TARGET = "target"        # 2025年目标, “十四五”规划目标, 十三五计划数
    ACHIEVED = "achieved"    # 2020年完成数, 2020年末完成情况, 2020年(完成)
    ATTRIBUTE = "attribute"  # 属性
    YEAR = "year"            # a bare year: 2020年, 2021
    OTHER = "other"          # 完成规划目标(%), 备注 …


# Header words, tested on the header without spaces or quote marks.
# "完成“十三五”规划目标(%)": a completion ratio, not a value column.
_COMPLETION_RATIO = re.compile(r"完成.*(?:目标|规划|计划)|完成(?:率|比例|程度|进度)")
_ACHIEVED = re.compile(r"完成|实际|实绩|实现值|达到值|现状值")
_BASE = re.compile(r"基数|基期|基准|基础值|基线|现状|起点")
_TARGET = re.compile(r"目标|计划|规划|预期值|预计|指标值")
_ATTRIBUTE = re.compile(r"属性|性质|类型.*(?:预期|约束)")
_UNIT_HEADER = re.compile(r"^(?:计量)?单位$")
_SERIAL_HEADER = re.compile(r"^(?:序号|编号|序)$")
_CATEGORY = re.compile(r"类别|类型|领域|方面|板块|分类$|^分类$|^类$")
_NAME = re.compile(r"指标|名称|项目$")
_BARE_YEAR = re.compile(r"^(?:19|20)\d{2}年?(?:末|底)?$")
# Headers of annex tables that break targets down by place: "地区 \ 年度", "县（市、区）".
_PLACE_HEADER = re.compile(r"地区|区域|县|板块|镇|街道|单位名称")
# A category row printed inside the name column: "一、就业创业", "（二）社会保障".
_CATEGORY_ROW = re.compile(
    r"^\s*(?:[一二三四五六七八九十]+\s*[、.．]|[（(][一二三四五六七八九十]+[）)])\s*")
# A table note that defines an authority mark: "**为省厅指标", "*为某市局指标",
# "带*的为省下达指标", "标*号指标为省考核指标", "带“*”的指标为省考核指标".
_MARK_NOTE = re.compile(
    r"([*＊※△▲☆★#＃]+)[”\"’'」』]?\s*[号的者指标]{0,4}\s*(?:为|是|表示|系)\s*([^，,；;。*＊]+?)"
    r"(?:指标|确定|下达|考核)")
# A table note that marks five-year totals: "带△指标为五年累计数", "*为“十四五”累计值".
_CUMULATIVE_MARK_NOTE = re.compile(
    r"([*＊※△▲☆★#＃]+)[^，,；;。*＊]{0,6}?(?:为|是|表示|系)[^，,；;。]{0,10}?累计")
# Runs of one mark character: "△**" → "△", "**".
_MARK_RUN = re.compile(r"\*+|※+|△+|▲+|☆+|★+|#+")
_UNMARKED_NOTE = re.compile(
    r"无(?:标识|标记|标注|符号)(?:的)?(?:为|是|表示|系)\s*([^，,；;。]+?)(?:指标|确定)")
_QUOTES = re.compile(r"[\"'“”‘’「」『』〝〞《》〈〉]")
_ATTR_VALUES = (("约束", "约束性"), ("预期", "预期性"))


@dataclass(frozen=True, slots=True)
class TableLayout:
    """How to read an indicator table: the role of each column and what the table is.

    Attributes
    ----------
    kind : target or past.
    roles : one role per column, in column order.
    headers : the column headers as printed.
    target_year : the year the target column aims at (``2025年目标`` → 2025).
    base_year : the year of the baseline column (target tables) or of the achieved
        column (past tables).
    target_col, base_col : the columns read as the target and as the baseline (the
        achieved value in a past table).
    """

    kind: IndicatorKind
    roles: tuple[ColumnRole, ...]
    headers: tuple[str, ...]
    target_year: int | None = None
    base_year: int | None = None
    target_col: int | None = None
    base_col: int | None = None

    def index(self, role: ColumnRole) -> int | None:
        """The first column with ``role``, or ``None``."""
        try:
            return self.roles.index(role)
        except ValueError:
            return None


def _flat(text: str) -> str:
    return _QUOTES.sub("", compact(text))


def column_role(header: str) -> ColumnRole:
    """The role of a column from its header text.

    Examples
    --------
    >>> [column_role(h).value for h in ("指标类别", "分类、指标", "单位", "2025年目标",
    ...  "2020年 基数", "2020年12月完成数", "完成“十三五”规划目标(%)", "属性", "2020年")]
    ['category', 'name', 'unit', 'target', 'base', 'achieved', 'other', 'attribute', 'year']
    """
    h = _flat(header)
    if not h:
        return ColumnRole.OTHER
    if _SERIAL_HEADER.match(h):
        return ColumnRole.SERIAL
    if _UNIT_HEADER.match(h):
        return ColumnRole.UNIT
    if _ATTRIBUTE.search(h) and not _NAME.search(h.replace("指标属性", "")):
        return ColumnRole.ATTRIBUTE
    if _COMPLETION_RATIO.search(h):
        return ColumnRole.OTHER
    if _ACHIEVED.search(h):
        return ColumnRole.ACHIEVED
    if _BASE.search(h):
        return ColumnRole.BASE
    if _TARGET.search(h):
        return ColumnRole.TARGET
    if _BARE_YEAR.match(h):
        return ColumnRole.YEAR
    if _CATEGORY.search(h) and not (_NAME.search(h) and not h.startswith("指标类")
                                    and "类别" not in h and "类型" not in h):
        return ColumnRole.CATEGORY
    if _NAME.search(h):
        return ColumnRole.NAME
    return ColumnRole.OTHER


def _two_level_header(table: Table) -> tuple[str, ...] | None:
    """The headers of a table whose header takes two rows of the same width, read down
    each column (“十三五” over 规划目标 and 完成情况 → “十三五”规划目标, “十三五”完成情况);
    an empty upper cell right of a filled one over two filled lower cells is the same
    upper cell spanning both. ``None`` for a table without such a header."""
    rows = table.rows
    if len(rows) < 3 or not (rows[0].header and rows[1].header) \
            or len(rows[0].cells) != len(rows[1].cells):
        return None
    upper = [c.text for c in rows[0].cells]
    lower = [c.text for c in rows[1].cells]
    if not any(lower):
        return None
    out, carried = [], ""
    for i, (u, lo) in enumerate(zip(upper, lower, strict=True)):
        if u:
            carried = u
        elif not (i and lo and lower[i - 1] and carried):
            carried = ""
        out.append(((u or carried) + lo) if lo else u)
    return tuple(out)


def _header_cells(table: Table) -> tuple[str, ...]:
    """The column headers: those of a two-level header read down each column, or
    ``table.columns``, if they name an indicator column, else the first header row (or,
    with none marked, one of the first rows) that does."""
    two_level = _two_level_header(table)
    candidates = [two_level] if two_level else []
    candidates += [tuple(table.columns)] if table.columns else []
    candidates += [tuple(c.text for c in r.cells) for r in table.rows if r.header][:2]
    candidates += [tuple(c.text for c in r.cells) for r in table.rows[:3]]
    for texts in candidates:
        roles = [column_role(t) for t in texts]
        if ColumnRole.NAME in roles or (roles and roles[0] is ColumnRole.CATEGORY):
            return texts
    return candidates[0] if candidates else ()


def table_layouts(table: Table, *, plan_period: tuple[int, int] | None = None,
                  title: str | None = None) -> tuple[TableLayout, ...]:
    """Read a table's header and title: how to read it as an indicator table.

    An indicator table has a name column and a target (or achieved) column. A table
    whose columns are years or places (an annex breaking targets down by county or by
    year), that has no value column, or whose value cells are sentences is not one: the
    result is empty. A table is ``past`` when its target column aims before the plan's
    period (``十三五计划数``, ``2020年(目标)`` in a 2021–2025 plan) or, where the columns
    say no year, when its title or columns report completion (``完成情况``, ``完成数``).
    A combined table (previous targets, results and the plan's own targets side by side)
    gives one layout of each kind.

    Parameters
    ----------
    table : the table.
    plan_period : first and last year of the plan (``(2021, 2025)``).
    title : the table's title if ``table.title`` is empty (a 专栏 box's title).

    Returns
    -------
    tuple of TableLayout
        Empty, one layout, or a past and a target layout.
    """
    headers = _header_cells(table)
    if len(headers) < 2:
        return ()
    roles = [column_role(h) for h in headers]
    if roles.count(ColumnRole.YEAR) >= 3 or any(
            _PLACE_HEADER.search(_flat(h)) for h, r in zip(headers, roles, strict=True)
            if r in (ColumnRole.OTHER, ColumnRole.CATEGORY)):
        return ()  # a breakdown by year or by place
    if ColumnRole.NAME not in roles:
        # "指标" may be written in the first column only through a category header.
        if roles[0] is ColumnRole.CATEGORY and roles.count(ColumnRole.CATEGORY) == 1 and \
                len(roles) > 1 and roles[1] is ColumnRole.OTHER:
            roles[1] = ColumnRole.NAME
        else:
            return ()
    label = compact(" ".join(t for t in (table.label, table.title, title) if t))
    title_period = period_years(label)
    start_year, end_year = plan_period if plan_period else (None, None)
    # Bare year columns: before the plan starts they are a baseline, else a target.
    years = [header_year(h) for h in headers]
    bare = {i for i, r in enumerate(roles) if r is ColumnRole.YEAR}
    for i, r in enumerate(roles):
        if r is ColumnRole.YEAR:
            y = years[i]
            roles[i] = (ColumnRole.BASE if start_year and y is not None and y < start_year
                        and ColumnRole.BASE not in roles else ColumnRole.TARGET)
    if ColumnRole.TARGET not in roles and ColumnRole.ACHIEVED not in roles:
        return ()
    if not _values_are_quantities(table, headers, roles):
        return ()  # a task list: "主要任务 … “十四五”目标" holds sentences

    def aim(i: int) -> int | None:  # the year a value column refers to
        if years[i] is not None:
            return years[i]
        p = period_years(headers[i])
        return p[1] if p else None

    def cols(role: ColumnRole) -> list[int]:
        return [i for i, r in enumerate(roles) if r is role]

    def first(xs: list[int]) -> int | None:
        return xs[0] if xs else None

    targets, achieved, bases = (cols(ColumnRole.TARGET), cols(ColumnRole.ACHIEVED),
                                cols(ColumnRole.BASE))
    aims = {i: aim(i) for i in targets}
    before = [i for i in targets if start_year and (y := aims[i]) is not None and y < start_year]
    own = [i for i in targets if start_year and (y := aims[i]) is not None and y >= start_year]
    layouts: list[TableLayout] = []
    if before and own:  # combined: previous targets, results, own targets
        ach = first(achieved) if achieved else first(bases)
        layouts.append(_layout(IndicatorKind.PAST, roles, headers, before[0], ach, aim))
        base = first(bases) if bases else first(achieved)
        layouts.append(_layout(IndicatorKind.TARGET, roles, headers, own[-1], base, aim,
                               default_year=end_year))
        return tuple(layouts)
    if before:
        kind = IndicatorKind.PAST
    elif own:
        kind = IndicatorKind.TARGET
    elif achieved or "完成" in label or (title_period and start_year
                                        and title_period[1] < start_year):
        kind = IndicatorKind.PAST
    else:
        kind = IndicatorKind.TARGET
    if kind is IndicatorKind.PAST:
        default = (title_period[1] if title_period and title_period[1] != end_year
                   else (start_year - 1 if start_year else None))
        target = first(before) or first(targets)
        if not achieved and target is not None:
            # 2005年 | “十一五”目标 | 2010年: a bare year column after the previous target,
            # for the year that target aims at, reports what was achieved
            achieved = [i for i in targets if i in bare and i > target
                        and aims[i] is not None and aims[i] == aims[target]]
            for i in achieved:
                roles[i] = ColumnRole.ACHIEVED
        return (_layout(kind, roles, headers, target, first(achieved), aim,
                        default_year=default),)
    default = (title_period[1] if title_period else None) or end_year
    base = first(bases) if bases else first(achieved)
    target = own[-1] if own else (targets[-1] if targets else None)
    return (_layout(kind, roles, headers, target, base, aim, default_year=default),)


def _layout(kind: IndicatorKind, roles: Sequence[ColumnRole], headers: Sequence[str],
            target: int | None, base: int | None, aim: Callable[[int], int | None], *,
            default_year: int | None = None) -> TableLayout:
    target_year = (aim(target) if target is not None else None) or default_year
    base_year = aim(base) if base is not None else None
    if base_year is None and kind is IndicatorKind.PAST and base is not None:
        base_year = target_year
    return TableLayout(kind=kind, roles=tuple(roles), headers=tuple(headers),
                       target_year=target_year, base_year=base_year,
                       target_col=target, base_col=base)


def _values_are_quantities(table: Table, headers: Sequence[str],
                           roles: Sequence[ColumnRole]) -> bool:
    """Most value cells of an indicator table are short quantities, not sentences."""
    value_cols = [i for i, r in enumerate(roles)
                  if r in (ColumnRole.TARGET, ColumnRole.ACHIEVED, ColumnRole.BASE)]
    short = long = 0
    flat_heads = [_flat(h) for h in headers]
    for row in table.rows:
        texts = [c.text for c in row.cells]
        if row.header or [_flat(t) for t in texts] == flat_heads:
            continue
        for i in value_cols:
            if i < len(texts) and texts[i].strip():
                if len(compact(texts[i])) <= 16:
                    short += 1
                else:
                    long += 1
    return short >= long


# --------------------------------------------------------------------------- concepts


# Words that qualify when or how often without changing what is measured:
# "劳动人事争议案件每年结案率", "高技能人才占技能劳动者的比例".
_FILLER = re.compile(r"每年|年度|全年|的")


def _key(name: str) -> str:
    s = unicodedata.normalize("NFKC", name)
    s = _QUOTES.sub("", s)
    s = re.sub(r"[\s、，,.。·()（）\[\]【】〔〕]", "", s)
    return _FILLER.sub("", s).lower()


@lru_cache(maxsize=1)
def _concept_index() -> dict[str, str]:
    from extract.lexicon import load_lexicon

    index: dict[str, str] = {}
    for concept in load_lexicon().scheme("indicator"):
        if not concept.broader:  # the top concepts are groups, not indicators
            continue
        for label in concept.labels:
            index.setdefault(_key(label), concept.pref)
    return index


# Qualifiers that narrow an indicator to a place or a scope without changing what it
# measures: "全市", "本区", "某某籍" (…籍 = registered in …), "户籍".
_SCOPE_PREFIX = re.compile(
    r"^(?:全|本|我)(?:省|市|区|县|镇)|^[\u4e00-\u9fff]{1,4}籍(?=[\u4e00-\u9fff]{3})")


def canonical_indicator(name: str, *, region: str | None = None) -> str | None:
    """The indicator concept (its preferred label) that ``name`` denotes, or ``None``.

    Matching is on the label with spaces, quotes, brackets and list commas removed;
    a scope qualifier in front (``全市``, ``…籍``, the plan's region) is tried off.

    Examples
    --------
    >>> canonical_indicator("城镇新增就业"), canonical_indicator("社会保障卡持卡率")
    ('城镇新增就业人数', '社会保障卡持卡人口覆盖率')
    >>> canonical_indicator("全市城镇调查失业率"), canonical_indicator("不存在的指标")
    ('城镇调查失业率', None)
    """
    index = _concept_index()
    key = _key(name)
    if key in index:
        return index[key]
    stripped = key
    if region:
        short = re.sub(r"(?:市|区|县|省|自治区|自治州|特别行政区)$", "", region)
        for prefix in (region, short):
            if prefix and stripped.startswith(prefix) and len(stripped) > len(prefix) + 2:
                stripped = stripped[len(prefix):]
                break
        stripped = stripped.removeprefix("籍")
    stripped = _SCOPE_PREFIX.sub("", stripped)
    if stripped in index:
        return index[stripped]
    # "处理劳动人事争议案件结案率": an action verb in front of the measured object
    return index.get(re.sub(r"^(?:处理|办理|开展|实现|完成)", "", stripped))


# --------------------------------------------------------------------------- tables


@dataclass(frozen=True, slots=True)
class PlanContext:
    """What the table reader needs to know of the plan: its region, level and period."""

    region: str | None
    admin_level: str | None
    parents: tuple[str, ...]
    period: tuple[int, int] | None


def _mark_notes(table: Table, ctx: PlanContext) -> tuple[dict[str, str], str | None,
                                                         frozenset[str]]:
    """What the table's notes say marks mean: mark → admin level of the authority that
    set the target, the level of unmarked rows, and the marks of five-year totals."""
    marks: dict[str, str] = {}
    unmarked: str | None = None
    cumulative: set[str] = set()
    for note in table.notes:
        text = unicodedata.normalize("NFKC", note.text)
        for m in _CUMULATIVE_MARK_NOTE.finditer(text):
            cumulative.add(m.group(1))
        for m in _MARK_NOTE.finditer(text):
            level = _level_of(m.group(2), ctx)
            if level and m.group(1) not in cumulative:
                marks[m.group(1)] = level
        un = _UNMARKED_NOTE.search(text)
        if un:
            unmarked = _level_of(un.group(1), ctx)
    return marks, unmarked, frozenset(cumulative)


def _level_of(body: str, ctx: PlanContext) -> str | None:
    """The admin level of the body that set a target: 国家/部 → national, the plan's
    own region → its level, a parent region → that region's level, else the suffix."""
    body = body.strip()
    if re.match(r"^(?:国家|中央|全国|人社部|人力资源和?社会保障部)", body):
        return "national"
    if ctx.region and body.startswith(re.sub(r"(?:市|区|县)$", "", ctx.region)):
        return ctx.admin_level
    levels = _parent_levels(ctx)
    for parent, level in zip(ctx.parents, levels, strict=True):
        if body.startswith(re.sub(r"(?:省|市|区|县|自治区)$", "", parent)):
            return level
    if re.match(r"^[\u4e00-\u9fff]{0,6}省|^省", body):
        return "province"
    if re.match(r"^[\u4e00-\u9fff]{0,6}市|^市", body):
        return "prefecture-city"
    if re.match(r"^[\u4e00-\u9fff]{0,6}县|^县", body):
        return "county"
    if re.match(r"^[\u4e00-\u9fff]{0,6}区|^区", body):
        return "district"
    return None


def _parent_levels(ctx: PlanContext) -> list[str]:
    # Parents are nearest first and end at the province (or a municipality).
    levels = []
    for i, parent in enumerate(ctx.parents):
        last = i == len(ctx.parents) - 1
        if parent.endswith(("省", "自治区")) or (last and parent.endswith("市")
                                                 and ctx.admin_level == "district"
                                                 and len(ctx.parents) == 1):
            levels.append("province")
        else:
            levels.append("prefecture-city")
    return levels


def _attribute(text: str | None) -> str | None:
    if not text or not text.strip():
        return None
    flat = compact(text)
    for word, value in _ATTR_VALUES:
        if word in flat:
            return value
    return flat


def _category(text: str | None) -> str | None:
    if not text:
        return None
    flat = _CATEGORY_ROW.sub("", compact(text))
    flat = re.sub(r"\s+", "", flat)
    return flat or None


def _cell(row_texts: Sequence[str | None], index: int | None) -> str | None:
    if index is None or index >= len(row_texts):
        return None
    return row_texts[index]


def _aligned(row: Row, layout: TableLayout) -> list[str | None]:
    """The row's cell texts, one per column; a row missing its leading category cell
    (printed without the empty cell) is shifted right so its label meets the name column."""
    texts: list[str | None] = [c.text for c in row.cells]
    n = len(layout.roles)
    name_i = layout.index(ColumnRole.NAME) or 0
    missing = n - len(texts)
    if 0 < missing <= name_i and all(
            r in (ColumnRole.CATEGORY, ColumnRole.SERIAL) for r in layout.roles[:missing]):
        first = (texts[0] or "").strip() if texts else ""
        if first and parse_label(first).serial is not None:
            texts = [*(None for _ in range(missing)), *texts]
    return texts


def _is_header_repeat(texts: Sequence[str | None], layout: TableLayout) -> bool:
    flat = [_flat(t or "") for t in texts]
    heads = [_flat(h) for h in layout.headers]
    same = sum(1 for a, b in zip(flat, heads, strict=False) if a and a == b)
    return same >= max(2, len([h for h in heads if h]) - 1)


def table_indicators(table: Table, layout: TableLayout, *, ctx: PlanContext | None = None,
                     section: str | None = None) -> tuple[list[IndicatorRow], list[str]]:
    """The indicator rows of one indicator table, and warnings about it.

    Parameters
    ----------
    table : the table.
    layout : one of its layouts (:func:`table_layouts`).
    ctx : the plan's region and period (authority marks, scope prefixes).
    section : the section id the rows are given.

    Returns
    -------
    (rows, warnings)
        One row per data row; a row without a value (``--``, ``待定``, empty) is kept
        with ``target_value=None`` and reported in one warning per table.
    """
    ctx = ctx or PlanContext(None, None, (), None)
    label = table.label or table.title or table.id
    marks, unmarked, total_marks = _mark_notes(table, ctx)
    col = layout.index
    name_i = col(ColumnRole.NAME)
    target_i = layout.target_col
    base_i = layout.base_col
    value_cols = [i for i, r in enumerate(layout.roles)
                  if r in (ColumnRole.TARGET, ColumnRole.BASE, ColumnRole.ACHIEVED)]
    rows: list[IndicatorRow] = []
    empty: list[str] = []
    unknown_marks: set[str] = set()
    carried: str | None = None
    for row in table.rows:
        if row.header:
            continue
        texts = _aligned(row, layout)
        if _is_header_repeat(texts, layout):
            continue
        cat_cell = _cell(texts, col(ColumnRole.CATEGORY))
        if cat_cell and cat_cell.strip():
            carried = _category(cat_cell)
        name_cell = (_cell(texts, name_i) or "").strip()
        values_empty = all(not (_cell(texts, i) or "").strip() for i in value_cols)
        if not name_cell:
            continue
        if values_empty and (_CATEGORY_ROW.match(name_cell) or
                             parse_label(name_cell).serial is None):
            carried = _category(name_cell)  # a category line: "一、就业创业"
            continue
        lab = parse_label(name_cell)
        unit_cell = _cell(texts, col(ColumnRole.UNIT))
        unit = compact(unit_cell) if unit_cell and unit_cell.strip() else lab.unit
        target = parse_quantity(_cell(texts, target_i)) if target_i is not None else Quantity(None)
        base = parse_quantity(_cell(texts, base_i)) if base_i is not None else Quantity(None)
        if target.value is None and not target.ratio:
            empty.append(lab.name)
        runs = _MARK_RUN.findall(lab.mark or "")
        authority = next((marks[r] for r in runs if r in marks),
                         unmarked if not [r for r in runs if r not in total_marks] else None)
        # A mark the notes explain as "five-year total" is understood but, like a total
        # stated in the prose, does not set ``cumulative``: that flag is the brackets.
        unknown_marks.update(r for r in runs if r not in marks and r not in total_marks)
        category = _category(row.category) if row.category else carried
        rows.append(IndicatorRow(
            name=lab.name,
            canonical=canonical_indicator(lab.name, region=ctx.region),
            unit=unit or None,
            target_text=target.text,
            target_value=target.value,
            comparator=target.comparator.value if target.comparator else None,
            cumulative=target.cumulative,
            baseline_text=None if base.placeholder else base.text,
            baseline_value=base.value,
            attribute=_attribute(_cell(texts, col(ColumnRole.ATTRIBUTE))),
            kind=layout.kind.value,
            table=label,
            start=row.start,
            end=row.end,
            category=category,
            authority=authority,
            base_year=layout.base_year if base.text else None,
            target_year=layout.target_year,
            section=section or table.section,
        ))
    warnings: list[str] = []
    if empty:
        warnings.append(f"{label}: {len(empty)} row(s) without a target value kept with "
                        f"value null: {', '.join(empty)}")
    if unknown_marks:
        warnings.append(f"{label}: authority mark(s) {', '.join(sorted(unknown_marks))} "
                        "not explained by a note under the table")
    return rows, warnings


# --------------------------------------------------------------------------- prose

# A quantified goal: verb, optional comparator, number, unit, optional suffix.
# "就业率达到95%以上", "城镇调查失业率控制在5.5%以内", "每万名劳动力中高技能人才数达到796人".
# "…年均增长8%左右": a growth verb is part of what is measured.
_PROSE_GOAL = re.compile(
    r"(?P<verb>达到|保持在|控制在|稳定在|提高到|提升到|提高至|提升至|增加到|增长到|降到|降至|"
    r"下降到|降低到|不低于|不少于|低于|不超过|超过|力争达到|达(?=\s?\d)|保持(?=\s?\d)|"
    r"(?P<growth>年均增长|年均提高|年均增加|年均递增|增长))"
    r"\s?(?P<cmp>≥|≤|>|<)?\s?(?P<num>\d+(?:\.\d+)?)\s?"
    r"(?P<unit>[%％‰]|[十百千万亿]*(?:人次|人|个|家|元|张|户|项|所|名|次|岁|平方米|公里|小时|天|年))"
    r"\s?(?P<suffix>以上|以内|以下|左右)?")
# A goal name ends with a measurable head: "…率", "…人数", "…总量", "…人次" …
_MEASURE_HEAD = re.compile(
    r"(?:率|人数|人次|总量|数量|规模|比例|比重|占比|水平|收入|标准|[^万]数)$")
# Words that open a goal clause without being part of the name.
_CLAUSE_LEAD = re.compile(
    r"^(?:到|至|在)?(?:(?:19|20)\d{2}年(?:末|底)?|“?十[一二三四五六七八九]?五”?(?:期末|期间|时期|末)?)|"
    r"^(?:力争|确保|争取|其中|全年|每年|年均|累计|实现|使|推动|保持|期末|末)|"
    r"^\d{1,2}\s*[.、．]\s*|^(?:全|本|我)(?:省|市|区|县|镇)")
# Adverbs between a goal's name and its verb: "签订率持续保持98%以上".
_CLAUSE_TAIL = re.compile(r"(?:持续|继续|始终|稳定|逐步|力争|将|要|均)$")
_CLAUSE_BREAK = re.compile(r"[，,。；;：:！!？?、\n]")
_YEAR_IN = re.compile(r"((?:19|20)\d{2})年")


def _goal_sections(plan: PlanDocument) -> list[Section]:
    return [s for s in plan.sections
            if "目标" in s.title and s.kind not in ("table", "box", "annex")]


def prose_indicators(plan: PlanDocument, *, region: str | None = None,
                     skip: Sequence[tuple[int, int]] = ()) -> list[IndicatorRow]:
    """Quantified goals in the plan's goal sections, as rows with ``table=None``.

    Only sections whose title names goals (``发展目标``, ``主要目标``) are read, outside
    the spans in ``skip`` (the tables); a goal's name must end in a measurable head
    (``…率``, ``…人数``, ``…总量``) or be a known indicator concept.

    Returns
    -------
    list of IndicatorRow
        kind ``target``, ``table`` None, the target year from ``到2025年`` in the same
        sentence or the plan's end year.
    """
    text = plan.text
    end_year = plan.metadata.end_year
    rows: list[IndicatorRow] = []
    seen: set[tuple[int, int]] = set()
    for sec in _goal_sections(plan):
        body_start = sec.title_end
        for m in _PROSE_GOAL.finditer(text, body_start, sec.end):
            if any(a <= m.start() < b for a, b in skip) or (m.start(), m.end()) in seen:
                continue
            # The clause before the verb holds the name.
            clause_start = m.start("verb")
            lo = max(body_start, clause_start - 40)
            chunk = text[lo:clause_start]
            brk = [b.end() for b in _CLAUSE_BREAK.finditer(chunk)]
            name_start = lo + (brk[-1] if brk else 0)
            name = text[name_start:clause_start]
            if m.group("growth"):
                name += m.group("growth")
            stripped = name
            for _ in range(4):
                new = _CLAUSE_LEAD.sub("", stripped)
                if new == stripped:
                    break
                stripped = new
            name_start += len(name) - len(stripped)
            name = _CLAUSE_TAIL.sub("", re.sub(r"\s+", "", stripped))
            if name_start >= m.start("verb"):
                continue
            if not (2 <= len(name) <= 30) or not re.search(r"[\u4e00-\u9fff]", name):
                continue
            canonical = canonical_indicator(name, region=region)
            if canonical is None and not m.group("growth") and not _MEASURE_HEAD.search(name):
                continue
            sentence_start = max(text.rfind("。", body_start, m.start()) + 1, body_start)
            years = [int(y) for y in _YEAR_IN.findall(text, sentence_start, m.start())]
            cell = "".join(m.group(g) or "" for g in ("cmp", "num", "unit", "suffix"))
            q = parse_quantity(cell)
            comparator = q.comparator.value if q.comparator else None
            verb = m.group("verb")
            if not m.group("cmp") and not m.group("suffix"):
                comparator = {"不低于": ">=", "不少于": ">=", "低于": "<", "不超过": "<=",
                              "超过": ">"}.get(verb, comparator)
            seen.add((m.start(), m.end()))
            rows.append(IndicatorRow(
                name=name, canonical=canonical, unit=compact(m.group("unit")),
                target_text=cell,
                target_value=q.value, comparator=comparator, cumulative=False,
                baseline_text=None, baseline_value=None, attribute=None,
                kind=IndicatorKind.TARGET.value, table=None,
                start=name_start, end=m.end(), category=None, authority=None,
                base_year=None, target_year=years[-1] if years else end_year,
                section=sec.id))
    return rows


# --------------------------------------------------------------------------- driver


def _box_titles(plan: PlanDocument) -> dict[str, str]:
    return {b.id: f"{b.label} {b.title}" for b in plan.boxes}


def extract_indicators(plan: PlanDocument) -> tuple[tuple[IndicatorRow, ...], tuple[str, ...]]:
    """Every indicator row of a plan: its target and past tables, then its prose goals.

    Parameters
    ----------
    plan : PlanDocument
        The structured plan (``extract.structure.structure``).

    Returns
    -------
    (rows, warnings)
        Rows in document order: one per data row of each target or past table (kind
        ``target``/``past``, ``table`` its label) and one per quantified goal in the goal
        sections' prose that no table row already states (``table`` None). Warnings name
        the table and rows without a value or with an unexplained authority mark.

    Examples
    --------
    >>> from extract.model import Document, Metadata, PlanDocument
    >>> doc = Document(text="", source="empty.txt", sha256="0")
    >>> extract_indicators(PlanDocument(document=doc, metadata=Metadata()))
    ((), ())
    """
    md = plan.metadata
    period = (md.start_year, md.end_year) if md.start_year and md.end_year else (
        period_years(md.period) if md.period else None)
    ctx = PlanContext(region=md.region, admin_level=md.admin_level,
                   parents=tuple(md.parent_regions), period=period)
    boxes = _box_titles(plan)
    rows: list[IndicatorRow] = []
    warnings: list[str] = []
    previous: tuple[Table, tuple[TableLayout, ...]] | None = None
    for table in plan.tables:
        box_title = boxes.get(table.box) if table.box else None
        layouts = table_layouts(table, plan_period=period, title=box_title)
        if not layouts and previous is not None:
            layouts = _continuation(table, *previous)
        if not layouts:
            log.debug("%s: table %s is not an indicator table", plan.document.source,
                      table.label or table.id)
            previous = None
            continue
        if table.label is None and box_title:
            table = _with_label(table, box_title.split(" ", 1)[0])
        for layout in layouts:
            found, notes = table_indicators(table, layout, ctx=ctx)
            rows.extend(found)
            warnings.extend(notes)
        previous = (table, layouts)
    spans = [(t.start, t.end) for t in plan.tables]
    covered = {(r.canonical or _key(r.name), r.target_year)
               for r in rows if r.kind == IndicatorKind.TARGET}
    for r in prose_indicators(plan, region=md.region, skip=spans):
        key = (r.canonical or _key(r.name), r.target_year)
        if key in covered:
            continue
        covered.add(key)
        rows.append(r)
    rows.sort(key=lambda r: (r.start, r.end))
    return tuple(rows), tuple(warnings)


def _continuation(table: Table, prev: Table,
                  layouts: tuple[TableLayout, ...]) -> tuple[TableLayout, ...]:
    """A headerless table right after an indicator table with as many columns whose
    rows read as numbered indicator rows continues it (a table split by a blank line
    or a page break)."""
    if table.label or any(r.header for r in table.rows):
        return ()
    if table.start - prev.end > 200:
        return ()
    data = [r for r in table.rows if r.cells]
    if not data:
        return ()
    layout = layouts[0]
    name_i = layout.index(ColumnRole.NAME) or 0
    ok = 0
    for r in data:
        if abs(len(r.cells) - len(layout.roles)) > 1:
            return ()
        cells = [c.text for c in r.cells]
        probe = cells[name_i] if name_i < len(cells) else cells[0]
        if parse_label(probe or "").serial is not None or parse_label(cells[0]).serial:
            ok += 1
    return layouts if ok * 2 >= len(data) else ()


def _with_label(table: Table, label: str) -> Table:
    from dataclasses import replace

    return replace(table, label=label)

