"""Tables in a normalised plan text: tab-separated rows, their captions, header rows and notes.

The readers write every table row as one line with tab-separated cells (a PDF's text layer,
.docx and .html tables alike), so a table is a run of tab lines; a text may also carry
tables whose columns are aligned with spaces, or separated by ``|`` (a Markdown or
plain-text table, its ``| --- |`` rule line under the header kept out of the rows). A run may be broken by blank
lines and still be one table when the page break repeated the header, the row numbers go on
(``13.`` → ``14.``) or the next row continues a category column. The caption (``表2 …``,
``专栏1 …``, ``附表``) is the line before the rows (or, failing that, after them); notes
(``注：…``) are the lines right below.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from extract.lines import Line, nonblank_after, nonblank_before, strip_span
from extract.model import Cell, Row, Table

__all__ = ["TableBlock", "find_table_blocks", "build_table", "CAPTION", "NOTE"]

# Table caption: 表1 “十三五”规划主要指标完成情况 / 表2：… / 表 3 / 续表1 / 表二
CAPTION = re.compile(r"(?:续)?表\s*(\d{1,3}|[一二三四五六七八九十]{1,3})(?![\d年])"
                     r"\s*[：:．.、]?\s*")
# Box label used as a caption: 专栏 1 “十三五”时期…主要指标完成情况
BOX_CAPTION = re.compile(r"专栏\s*(\d{1,3}|[一二三四五六七八九十]{1,3})\s*[：:．.、]?\s*")
# Annex table label: 附表 / 附表1 / 附表：…
ANNEX_CAPTION = re.compile(r"附\s*表\s*(\d{1,3}|[一二三四五六七八九十]{1,3})?\s*[：:．.、]?\s*")
# A note under a table: 注：[]内数据表示五年累计数 / 备注：[]为五年累计数。
NOTE = re.compile(r"(?:注|备注|说明|资料来源|数据来源)\s*\d?\s*[：:]")
# A numbered continuation line of a note: 1. … / ① …
_NOTE_ITEM = re.compile(r"(?:\d{1,2}\s*[.．、]|[①-⑩])")
# A value cell: 7.5 / [37.5] / 【 65 】 / <4 / ≥90 / 3以内 / 5 左右 / 95以上 / 138.26% / 约 5
_VALUE = re.compile(
    r"[\[【(（]?\s*(?:[<>≤≥＜＞]=?|约|不低于|不高于|不超过|不少于)?\s*[-+]?\d+(?:\.\d+)?\s*"
    r"[%‰％]?\s*(?:以内|以上|以下|左右)?\s*[\]】)）]?\s*(?:[%‰％]|\s*[(（][^)）]{1,8}[)）])?")
# A ratio cell: 13:41:46 / 6:30:64 / 1 9 ∶4 3 ∶3 8
_RATIO = re.compile(r"\d+(?:\.\d+)?(?:\s*[:：∶]\s*\d+(?:\.\d+)?)+")
# A placeholder cell: -- / ----- / —
_DASHES = re.compile(r"[-—－─–]{1,6}")
# A year (header cells of breakdown tables): 2021 / 2025年
_YEAR = re.compile(r"(?:19|20)\d{2}\s*年?")
# A numbered row label: 1.城镇新增就业人数 / 10. 人才总量 / 1、…
_NUMBERED = re.compile(r"(\d{1,3})\s*[.．、]\s*(?!\d)")
# Leading numbering of a category row: 一、就业创业 / （二）社会保障
_CATEGORY_NUMBER = re.compile(r"(?:[一二三四五六七八九十]{1,3}\s*[、.．]"
                              r"|[（(]\s*[一二三四五六七八九十]{1,3}\s*[）)])\s*")
# Header of a category column: 指标类别 / 类型 / 分类 / 领域
_CATEGORY_HEADER = re.compile(r"(?:指标)?(?:类别|类型|分类|领域|方面)")
_WS = re.compile(r"\s+")
_SPACE = " \t\r\u3000\xa0"
# More cells than any printed table has: such a line is tab-riddled text, not a row.
_MAX_CELLS = 200
# Columns aligned with spaces instead of tabs (a table exported from a PDF or a word
# processor): two or more spaces, or ideographic spaces, between two cells.
_SPACED = re.compile(r"(?<=\S)(?: {2,}|[ \u3000]*\u3000[ \u3000]*)(?=\S)")
# Such a row has three cells at least (name, unit or value, value), and such a table three
# rows at least: a heading or a sentence with wide spaces is neither.
_MIN_SPACED_CELLS = 3
# The widest line read by column positions (characters): a page laid out in text
_MAX_LAYOUT_WIDTH = 1000
_MIN_SPACED_ROWS = 3
# Columns separated by vertical bars: | 指标 | 2020年 | 2025年 | (the outer bars optional).
_BAR = "|｜"
# The rule under a header of such a table: | --- | :---: | (or +----+----+)
_BAR_RULE = re.compile(r"[|｜+]?(?:\s*:?[-—=]{3,}:?\s*[|｜+])+\s*(?::?[-—=]{3,}:?\s*)?")


@dataclass(slots=True)
class TableBlock:
    """A table found in the text, before it becomes a :class:`~extract.model.Table`."""

    rows: list[Line]
    caption: Line | None = None
    label: str | None = None
    title_span: tuple[int, int] | None = None
    notes: list[Line] = field(default_factory=list)
    label_line: Line | None = None  # a bare label line above a title-only caption (附表)
    box_caption: bool = False
    spans: list[list[tuple[int, int]]] = field(default_factory=list)  # cell spans per row
    continued: list[Line] = field(default_factory=list)  # 续表N captions of merged parts
    rules: list[Line] = field(default_factory=list)  # | --- | lines of a |-table
    # the lines that continue a row's cells (a label wrapped in its column), and for each
    # row index the parts they add: (column, start, end)
    wrapped: list[Line] = field(default_factory=list)
    wraps: dict[int, list[tuple[int, int, int]]] = field(default_factory=dict)

    @property
    def start(self) -> int:
        """Where the table begins: its caption line (or bare label line) when that stands
        above the rows (a 专栏 label that captions the table included), else the first row."""
        if self.caption is not None and self.caption.lo < self.rows[0].lo:
            first = self.label_line or self.caption
            return min(first.lo, self.caption.lo)
        return self.rows[0].start  # a row spans its whole line (a leading empty cell too)

    @property
    def end(self) -> int:
        row = self.rows[-1]  # a row spans its whole line (trailing empty cells included)
        if self.wrapped and self.wrapped[-1].start > row.start:
            row = self.wrapped[-1]
        last = row.end - 1 if row.text.endswith("\r") else row.end
        if self.notes:
            last = max(last, self.notes[-1].hi)
        if self.caption is not None and self.caption.lo > self.rows[-1].lo:
            last = max(last, self.caption.hi)
        return last

    def line_indexes(self) -> set[int]:
        """Every line the table occupies (rows, caption, label, notes)."""
        out = {ln.index for ln in self.rows} | {ln.index for ln in self.notes}
        if self.caption is not None and not self.box_caption:
            out.add(self.caption.index)
        if self.label_line is not None:
            out.add(self.label_line.index)
        out.update(ln.index for ln in self.continued)
        out.update(ln.index for ln in self.rules)
        out.update(ln.index for ln in self.wrapped)
        return out


def _spaced_cells(line: Line) -> list[tuple[int, int]] | None:
    """Cell spans of a line whose columns are aligned with spaces, or ``None`` when it has
    fewer than three such cells."""
    if "\t" in line.text or line.blank:
        return None
    spans, pos = [], line.lo
    for m in _SPACED.finditer(line.text, line.lo - line.start, line.hi - line.start):
        spans.append((pos, line.start + m.start()))
        pos = line.start + m.end()
    spans.append((pos, line.hi))
    return spans if len(spans) >= _MIN_SPACED_CELLS else None


def _is_bar_rule(line: Line) -> bool:
    """The ``| --- | --- |`` line under the header of a ``|``-table."""
    return "\t" not in line.text and bool(_BAR_RULE.fullmatch(line.content))


def _bar_cells(line: Line) -> list[tuple[int, int]] | None:
    """Cell spans of a row whose cells are separated by ``|`` (outer bars dropped), each
    stripped of spaces; ``None`` unless the line has two bars and three cells at least."""
    if "\t" in line.text or line.blank:
        return None
    content = line.content
    if sum(content.count(b) for b in _BAR) < 2:
        return None
    lo, hi = line.lo, line.hi
    text = line.text
    off = line.start
    if text[lo - off] in _BAR:
        lo += 1
    if hi > lo and text[hi - 1 - off] in _BAR:
        hi -= 1
    spans, pos = [], lo
    for i in range(lo, hi + 1):
        if i == hi or text[i - off] in _BAR:
            cell = text[pos - off:i - off]
            left = len(cell) - len(cell.lstrip(_SPACE))
            right = len(cell.rstrip(_SPACE))
            spans.append((pos + left, pos + max(left, right)))
            pos = i + 1
    return spans if len(spans) >= _MIN_SPACED_CELLS else None


def _kind(line: Line) -> str | None:
    """How a line's cells are separated: ``tab``, ``bar`` (``|``), ``spaced`` (aligned with
    spaces), or ``None`` for a line that is no table row (a caption, prose)."""
    if _is_caption(line):
        return None
    if "\t" in line.text:
        return "tab" if line.text.count("\t") < _MAX_CELLS else None
    if _is_bar_rule(line) or _bar_cells(line) is not None:
        return "bar"
    if _spaced_cells(line) is not None:
        return "spaced"
    return None


def _cells(text: str, line: Line) -> list[tuple[int, int]]:
    """Cell spans of a tab line (or of a line aligned with spaces or separated by ``|``),
    each stripped of surrounding spaces; an empty cell is an empty span at its place."""
    if "\t" not in line.text:
        return _bar_cells(line) or _spaced_cells(line) or [(line.lo, line.hi)]
    spans = []
    pos = line.start
    for part in line.text.split("\t"):
        right = part.rstrip(_SPACE)
        spans.append((pos + len(right) - len(right.lstrip(_SPACE)), pos + len(right)))
        pos += len(part) + 1
    return spans


def _key(text: str, spans: list[tuple[int, int]]) -> tuple[str, ...]:
    return tuple("".join(text[a:b].split()) for a, b in spans)


def is_value(cell: str) -> bool:
    """Whether a cell holds a value (number, bracketed total, comparator, ratio, dash)."""
    if not cell:
        return False
    if _YEAR.fullmatch(cell):
        return False
    return bool(_VALUE.fullmatch(cell) or _RATIO.fullmatch(cell) or _DASHES.fullmatch(cell))


def _header_like(cells: list[str]) -> bool:
    filled = [c for c in cells if c]
    if len(filled) < 2:
        return False
    if _NUMBERED.match(filled[0]) or (len(filled) > 1 and _NUMBERED.match(filled[1])):
        return False
    return not any(is_value(c) for c in filled)


def _row_number(cells: list[str]) -> int | None:
    for c in cells[:2]:
        if c:
            m = _NUMBERED.match(c)
            return int(m.group(1)) if m else None
    return None


def _is_caption(line: Line) -> bool:
    c = line.content
    return bool(CAPTION.match(c) or BOX_CAPTION.match(c) or ANNEX_CAPTION.match(c))


def _is_filler(cells: list[str]) -> bool:
    """A row whose cells all repeat one short token (``0001 0001 …``): an extraction
    artefact, not data."""
    filled = [c for c in cells if c]
    return len(filled) >= 3 and len(set(filled)) == 1 and len(filled) == len(cells)


def find_table_blocks(text: str, lines: list[Line], *,
                      skip: set[int] | frozenset[int] = frozenset(),
                      warnings: list[str] | None = None) -> list[TableBlock]:
    """Find the tables of a text.

    Parameters
    ----------
    text : the normalised text.
    lines : ``split_lines(text)``.
    skip : indexes of lines that cannot be table rows (a table of contents).
    warnings : where to append what a user should know (rows dropped as artefacts).

    Returns
    -------
    list of TableBlock, in text order.
    """
    runs: list[list[Line]] = []
    current: list[Line] = []
    kind: str | None = None  # how the current run's cells are separated
    gap = 0
    for ln in lines:
        if ln.index in skip:
            if current:
                runs.append(current)
                current = []
            continue
        if ln.blank:
            gap += 1
            continue
        k = _kind(ln)
        if k is None and current and kind == "spaced" and (
                _category_line(ln) or _wrapped_cell_line(ln)):
            # 一、就业创业 between rows aligned with spaces: a category row; an indented
            # fragment under a cell: the rest of a label wrapped in its column
            k = "spaced"
        if k is None or (current and k != kind):
            if current:  # prose ends a table; so does a change of separator
                runs.append(current)
                current = []
            if k is None:
                gap = 0
                continue
        kind = k
        if current and gap and not _continues(text, current, ln):
            runs.append(current)
            current = []
        current.append(ln)
        gap = 0
    if current:
        runs.append(current)

    blocks = []
    for run in runs:
        kind = _kind(run[0])
        rules = [ln for ln in run if _is_bar_rule(ln)] if kind == "bar" else []
        if rules:
            run = [ln for ln in run if not _is_bar_rule(ln)]
        if kind == "spaced":
            run = _spaced_run(run)
        if not run:
            continue
        spans = [_cells(text, ln) for ln in run]
        wraps: dict[int, list[tuple[int, int, int]]] = {}
        wrapped: list[Line] = []
        if kind == "spaced":
            columns = _column_spans(run)
            if columns is not None:  # every cell in its column, wrapped labels re-joined
                spans = columns
                run, spans, wraps, wrapped = _fold_wrapped(text, run, spans)
            else:  # rows under a blank category cell: put their cells back
                spans = _aligned(text, run, spans)
        if kind != "tab":  # a category row spans the table: pad it to its width
            width = max(len(sp) for sp in spans)
            spans = [sp + [(sp[-1][1], sp[-1][1])] * (width - len(sp)) for sp in spans]
        keep = [not _is_filler([text[a:b] for a, b in sp]) for sp in spans]
        kept = [ln for ln, k in zip(run, keep, strict=True) if k]
        if len(kept) < len(run) and warnings is not None:
            warnings.append(f"dropped {len(run) - len(kept)} table row(s) of repeated filler "
                            f"cells at offset {run[0].start} (an extraction artefact)")
        if len(kept) < 2:  # one tab line is a stray tab in prose, not a table
            continue
        block = TableBlock(rows=kept, spans=[sp for sp, k in zip(spans, keep, strict=True) if k],
                           rules=rules, wrapped=wrapped,
                           wraps={kept.index(run[i]): parts for i, parts in wraps.items()
                                  if keep[i]})
        _attach_caption(text, lines, block)
        _attach_notes(lines, block)
        prev = blocks[-1] if blocks else None
        if prev is not None and block.label and block.label == f"续{prev.label}":
            # 续表2 after 表2: the same table, cut by a page break
            prev.rows += block.rows
            prev.spans += block.spans
            prev.notes += block.notes
            prev.rules += block.rules
            if block.caption is not None:
                prev.continued.append(block.caption)
            continue
        blocks.append(block)
    return blocks


def _aligned(text: str, run: list[Line],
             spans: list[list[tuple[int, int]]]) -> list[list[tuple[int, int]]]:
    """Rows of a table aligned with spaces whose first column is a category column (类别,
    领域 …) filled only on a group's first row: the other rows, one cell short, get their
    empty category cell back. The fallback for lines not read by column position
    (:func:`_column_spans`: fewer than three shared columns, or lines too wide)."""
    width = max(len(sp) for sp in spans)
    head = spans[0]
    if len(head) != width or not _CATEGORY_HEADER.fullmatch(text[head[0][0]:head[0][1]]):
        return spans
    return [[(ln.lo, ln.lo), *sp] if len(sp) == width - 1 and len(sp) >= 2 else sp
            for ln, sp in zip(run, spans, strict=True)]


def _width(ch: str) -> int:
    """Display width of a character in a monospaced layout: ideographs and full-width
    forms take two cells."""
    return 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1


def _column_spans(run: list[Line]) -> list[list[tuple[int, int]]] | None:
    """Cell spans of a table aligned with spaces, read by column: a column is a stretch of
    display positions (ideographs two wide) that some line prints on, and the gaps that
    no line prints on separate the columns. So a row keeps an empty cell where it has
    none (no unit, a category printed on the group's first row only) and a header word
    spaced out (类  别) is one cell. ``None`` when the lines share fewer than three
    columns (then the spaces of each line are read as separators on their own)."""
    if any(len(ln.text) > _MAX_LAYOUT_WIDTH for ln in run):
        return None  # no table is laid out that wide: leave such lines to the gap reading
    placed: list[list[tuple[int, int, int]]] = []  # per line: (display pos, width, offset)
    width = 0
    for ln in run:
        pos, chars = 0, []
        for i, ch in enumerate(ln.text):
            w = _width(ch)
            if not ch.isspace():
                chars.append((pos, w, ln.start + i))
            pos += w
        placed.append(chars)
        width = max(width, pos)
    used = [False] * (width + 1)
    for chars in placed:
        for k, (pos, w, _) in enumerate(chars):
            # one space between two printed characters belongs to the cell (GDP 2020)
            nxt = chars[k + 1][0] if k + 1 < len(chars) else pos + w
            stop = nxt if nxt - (pos + w) <= 1 else pos + w
            for c in range(pos, stop):
                used[c] = True
    columns: list[tuple[int, int]] = []
    c = 0
    while c < width:
        if used[c]:
            e = c
            while e < width and used[e]:
                e += 1
            columns.append((c, e))
            c = e
        else:
            c += 1
    if len(columns) < _MIN_SPACED_CELLS:
        return None
    out = []
    for ln, chars in zip(run, placed, strict=True):
        cells = []
        k = 0
        for lo, hi in columns:
            first = last = None
            while k < len(chars) and chars[k][0] < hi:
                if chars[k][0] >= lo:
                    first = chars[k][2] if first is None else first
                    last = chars[k][2] + 1
                k += 1
            if first is None:  # an empty cell, placed where its column starts
                at = next((ch[2] for ch in chars if ch[0] >= lo), ln.hi)
                cells.append((at, at))
            else:
                cells.append((first, last))
        out.append(cells)
    return out


def _fold_wrapped(text: str, run: list[Line], spans: list[list[tuple[int, int]]]
                  ) -> tuple[list[Line], list[list[tuple[int, int]]],
                             dict[int, list[tuple[int, int, int]]], list[Line]]:
    """Take out the lines that only continue the cells of the row above (a label wrapped
    in its column: 新引进和留本地就业创业的高校 / 毕业生): they print words, no value, in
    columns after the first where the row above prints too. Returns the rows, their
    spans, the parts each row's cells gain (row index → (column, start, end)) and the
    continuation lines."""
    rows: list[Line] = []
    out: list[list[tuple[int, int]]] = []
    wraps: dict[int, list[tuple[int, int, int]]] = {}
    wrapped: list[Line] = []
    for ln, sp in zip(run, spans, strict=True):
        filled = [i for i, (a, b) in enumerate(sp) if b > a]
        if (rows and filled and filled[0] > 0 and len(filled) <= 2
                and not any(is_value(text[sp[i][0]:sp[i][1]]) for i in filled)
                and all(out[-1][i][1] > out[-1][i][0] for i in filled)
                and not _header_like([text[a:b] for a, b in out[-1]])):
            wraps.setdefault(len(rows) - 1, []).extend((i, *sp[i]) for i in filled)
            wrapped.append(ln)
            continue
        rows.append(ln)
        out.append(sp)
    return rows, out, wraps, wrapped


def _wrapped_cell_line(line: Line) -> bool:
    """An indented short fragment with no sentence punctuation: perhaps the rest of a
    cell wrapped onto its own line (checked against the columns later)."""
    c = line.content
    return (line.lo > line.start and 0 < len(c) <= 20
            and not any(p in c for p in "。；;，,：:"))


def _category_line(line: Line) -> bool:
    """A short category line (一、就业创业 / （二）社会保障) with no cells of its own."""
    c = line.content
    return (len(c) <= 16 and bool(_CATEGORY_NUMBER.match(c))
            and not any(p in c for p in "。；，,：:"))


def _spaced_run(run: list[Line]) -> list[Line]:
    """A run of lines aligned with spaces, without trailing category lines; empty unless
    it has enough rows to be a table."""
    while run and _spaced_cells(run[-1]) is None and not (
            _wrapped_cell_line(run[-1]) and len(run) > 1
            and _spaced_cells(run[-2]) is not None):
        run = run[:-1]  # a trailing category line opens what follows (a wrapped label stays)
    rows = sum(1 for ln in run if _spaced_cells(ln) is not None)
    return run if rows >= _MIN_SPACED_ROWS else []


def _continues(text: str, run: list[Line], ln: Line) -> bool:
    """Whether tab line ``ln``, after blank lines, continues the table in ``run``."""
    new = [text[a:b] for a, b in _cells(text, ln)]
    first = [text[a:b] for a, b in _cells(text, run[0])]
    if _key(text, _cells(text, ln)) == _key(text, _cells(text, run[0])) and _header_like(first):
        return True  # the header repeated after a page break
    if _is_filler(new):
        return False
    prev = [text[a:b] for a, b in _cells(text, run[-1])]
    n_prev, n_new = _row_number(prev), _row_number(new)
    if n_prev is not None and n_new == n_prev + 1:
        return True
    # a row of a category column whose category cell is carried from above
    return bool(len(new) >= 2 and not new[0] and new[1] and len(new) == len(prev))


def _attach_caption(text: str, lines: list[Line], block: TableBlock) -> None:
    first = block.rows[0]
    before = nonblank_before(lines, first.index, limit=3)
    if before is not None and "\t" not in before.content:
        if _caption_from(text, before, block):
            return
        # a title-only line (… 重大任务清单), perhaps with a bare label line (附表) above it;
        # not a sentence, not a heading, not a lead-in ending with a colon
        c = before.content
        if len(c) <= 60 and not any(p in c for p in "。；，,") and not c.endswith(("：", ":")) \
                and not _is_heading_like(c):
            block.caption = before
            block.title_span = (before.lo, before.hi)
            above = nonblank_before(lines, before.index, limit=3)
            if above is not None:
                m = CAPTION.fullmatch(above.content) or ANNEX_CAPTION.fullmatch(above.content)
                if m:
                    block.label_line = above
                    block.label = _label(above.content, m)
            return
    # a caption below the rows, unless it heads the table that follows
    after = nonblank_after(lines, block.rows[-1].index)
    if after is not None and CAPTION.match(after.content):
        below = nonblank_after(lines, after.index)
        if below is None or "\t" not in below.text:
            _caption_from(text, after, block)


def _label(content: str, m: re.Match[str]) -> str:
    """The label as printed, without spaces or a trailing separator: 表 2： → 表2."""
    return _WS.sub("", content[:m.end()]).rstrip("：:．.、")


def _caption_from(text: str, line: Line, block: TableBlock) -> bool:
    c = line.content
    for pattern, is_box in ((CAPTION, False), (BOX_CAPTION, True), (ANNEX_CAPTION, False)):
        m = pattern.match(c)
        if m:
            block.caption = line
            block.box_caption = is_box
            block.label = _label(c, m)
            ts, te = strip_span(text, line.lo + m.end(), line.hi)
            block.title_span = (ts, te) if te > ts else None
            return True
    return False


_HEADING_START = re.compile(
    r"(?:第[一二三四五六七八九十百零〇\d]+[篇章节]|[一二三四五六七八九十]{1,3}、|"
    r"[（(]\s*[一二三四五六七八九十\d]{1,3}\s*[）)]|\d{1,2}\s*[.．、](?!\d))")


def _is_heading_like(content: str) -> bool:
    return bool(_HEADING_START.match(content))


def _attach_notes(lines: list[Line], block: TableBlock) -> None:
    idx = block.rows[-1].index
    in_notes = False
    for ln in lines[idx + 1:idx + 12]:
        if ln.blank:
            continue
        c = ln.content
        if NOTE.match(c) or (in_notes and _NOTE_ITEM.match(c) and len(c) <= 120):
            block.notes.append(ln)
            in_notes = True
            continue
        break


def build_table(text: str, block: TableBlock, *, table_id: str, section: str | None = None,
                box: str | None = None, warnings: list[str] | None = None) -> Table:
    """Turn a :class:`TableBlock` into a :class:`~extract.model.Table`: cells with exact
    offsets, header rows (also when repeated after a page break), categories carried down.

    Parameters
    ----------
    text : the normalised text.
    block : from :func:`find_table_blocks`.
    table_id : the id to give the table (``t1`` …).
    section, box : ids of the enclosing section and 专栏, if any.
    warnings : where to append what a user should know (rows with missing cells).
    """
    spans = block.spans or [_cells(text, ln) for ln in block.rows]
    texts = [[text[a:b] for a, b in sp] for sp in spans]
    keys = [_key(text, sp) for sp in spans]

    header = [False] * len(spans)
    header_key: tuple[str, ...] | None = None
    if _header_like(texts[0]):
        header[0] = True
        header_key = keys[0]
        # a second header line right below the first (two-level headers)
        if len(texts) > 2 and _header_like(texts[1]) and _row_number(texts[1]) is None \
                and not _category_row(texts[1]):
            header[1] = True
    if header_key is not None:
        for i in range(1, len(keys)):
            if keys[i] == header_key:
                header[i] = True

    # category rows (一、就业创业 with the other cells empty) head the rows below them
    cat_row = [not header[i] and _category_row(texts[i]) for i in range(len(texts))]
    categories: list[str | None] = [None] * len(texts)
    current: str | None = None
    for i, cells in enumerate(texts):
        if header[i]:
            continue
        if cat_row[i]:
            current = _CATEGORY_NUMBER.sub("", next(c for c in cells if c), count=1)
        categories[i] = current

    # a category column: the first column, empty on rows that continue the category above
    if not any(cat_row) and _has_category_column(texts, header):
        _carry_category_column(text, texts, header, categories)

    rows = []
    for i, sp in enumerate(spans):
        ln = block.rows[i]
        cells = tuple(Cell(text[a:b], a, b) for a, b in sp)
        # the whole line: a leading tab (an empty first cell) is part of the row
        end = ln.end - 1 if ln.text.endswith("\r") else ln.end
        if i in block.wraps:  # a label wrapped onto the next lines: its parts joined
            parts = block.wraps[i]
            joined = list(cells)
            for col, a, b in parts:
                cell = joined[col]
                pieces = cell.parts or ((cell.start, cell.end),)
                joined[col] = Cell(cell.text + text[a:b], cell.start, b, (*pieces, (a, b)))
            cells = tuple(joined)
            end = max(end, max(b for _, _, b in parts))
        rows.append(Row(cells=cells, start=ln.start, end=end,
                        header=header[i] or cat_row[i], category=categories[i]))

    columns: tuple[str, ...] = ()
    if header_key is not None:
        columns = tuple(texts[0])
    width = len(columns) or max(len(t) for t in texts)
    short = [i for i, t in enumerate(texts)
             if not header[i] and not cat_row[i] and len([c for c in t]) < width]
    label = block.label
    title = text[block.title_span[0]:block.title_span[1]] if block.title_span else None
    if short and warnings is not None:
        name = label or title or table_id
        warnings.append(f"table {name} ({table_id}) at offset {block.start}: "
                        f"{len(short)} row(s) have fewer cells than its {width} columns")
    notes = tuple(Cell(text[n.lo:n.hi], n.lo, n.hi) for n in block.notes)
    return Table(id=table_id, label=label, title=title, start=block.start, end=block.end,
                 columns=columns, rows=tuple(rows), notes=notes, section=section, box=box)


def _category_row(cells: list[str]) -> bool:
    filled = [c for c in cells if c]
    return (len(cells) >= 2 and len(filled) == 1 and bool(cells[0])
            and not _NUMBERED.match(cells[0]) and not is_value(cells[0]))


def _has_category_column(texts: list[list[str]], header: list[bool]) -> bool:
    data = [t for t, h in zip(texts, header, strict=True) if not h and len(t) >= 3]
    if len(data) < 2:
        return False
    head = next((t for t, h in zip(texts, header, strict=True) if h), None)
    if head and head[0] and _CATEGORY_HEADER.fullmatch(_WS.sub("", head[0])):
        return True
    empty_first = sum(1 for t in data if not t[0] and t[1])
    named_first = [t[0] for t in data if t[0]]
    return (empty_first >= 1 and bool(named_first)
            and all(not is_value(c) and not _NUMBERED.match(c) for c in named_first)
            and all(_NUMBERED.match(t[1]) for t in data if t[1]))


def _carry_category_column(text: str, texts: list[list[str]], header: list[bool],
                           categories: list[str | None]) -> None:
    current: str | None = None
    start_of: list[int] = [-1] * len(texts)  # row where the current category was printed
    begun = -1
    for i, cells in enumerate(texts):
        if header[i]:
            continue
        if cells and cells[0]:
            current = cells[0]
            begun = i
        categories[i] = current
        start_of[i] = begun
    # A merged category cell cut by a page break prints part of its name on each page
    # (人事 | header | 人才): join the parts when the joined name occurs elsewhere in the text.
    for h in range(1, len(texts)):
        if not header[h] or h == 0:
            continue
        before = next((i for i in range(h - 1, -1, -1) if not header[i]), None)
        after = next((i for i in range(h + 1, len(texts)) if not header[i]), None)
        if before is None or after is None:
            continue
        if start_of[before] != before or not texts[after][0]:
            continue
        joined = texts[before][0] + texts[after][0]
        if text.count(joined) >= 1:
            for i in range(before, len(texts)):
                if header[i]:
                    continue
                if i > after and texts[i][0]:
                    break
                categories[i] = joined
