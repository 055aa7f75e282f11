"""专栏 boxes: the label line, the title, the body and the numbered items inside.

A box runs from its label line (``专栏3 技能培训专项行动``) to the next heading that is not
one of its own items, the next box, or — in documents that open their paragraphs with a short
lead sentence (``加强就业能力培训。推行…``) — the first such paragraph after the box's own
text. Items are numbered ``01``, ``02`` … (a title line, then a body) or ``1.``, ``2.`` …
(title up to the first full stop), and the numbering must start at 1 right at the top of the
box (or after one introductory paragraph) and go on by one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from extract.lines import Line, strip_span
from extract.model import BoxItem
from extract.sections import ARABIC, PAREN_ARABIC, Heading, Kind

__all__ = ["BoxSpan", "find_boxes", "lead_style", "LEAD", "ITEM_2DIGIT"]

# Two-digit item number and title on a line of its own: 01 创业扶持项目 / 02就业帮扶…
#: A bulleted item (● 某某计划。…): numbered by its place in the box
BULLET = re.compile(r"[●■◆▲•○□◇★☆▪◎]\s*")
ITEM_2DIGIT = re.compile(r"(\d{2})[ \u3000\t]*(?=[^\d\s.．、%％])")
# Longest title line of a two-digit item (its body follows on the next lines).
_MAX_ITEM_LINE = 40
# A paragraph that opens with a short lead sentence: 加强就业能力培训。推行覆盖城乡…
LEAD = re.compile(r"[\u4e00-\u9fff]{2,20}。(?=\S)")
_SENTENCE_END = re.compile(r"[。！？；;]")
# Headings that always close a box.
_CLOSING = frozenset({Kind.PART, Kind.CHAPTER, Kind.SECTION, Kind.CN, Kind.PAREN_CN,
                      Kind.ANNEX, Kind.PREAMBLE, Kind.BOX})
# Fewest lead-sentence paragraphs that make a document's paragraph style.
_LEAD_STYLE_MIN = 3


@dataclass(slots=True)
class BoxSpan:
    """A box as found: its heading, where its body ends, its items and the item lines."""

    heading: Heading
    end: int
    items: list[BoxItem] = field(default_factory=list)
    item_lines: set[int] = field(default_factory=set)
    lines: range = range(0)


def lead_style(lines: list[Line], *, skip: set[int]) -> bool:
    """Whether the document opens paragraphs with a short lead sentence (at least three do)."""
    n = 0
    for ln in lines:
        if ln.index in skip or ln.blank:
            continue
        if LEAD.match(ln.text, ln.lo - ln.start):
            n += 1
            if n >= _LEAD_STYLE_MIN:
                return True
    return False


def _item_match(text: str, ln: Line) -> tuple[str, str, int] | None:
    """(style, number, end of the number) when the line starts with an item number."""
    m = BULLET.match(text, ln.lo, ln.hi)
    if m:
        return "bullet", "", m.end()
    for style, pattern in (("2digit", ITEM_2DIGIT), ("paren", PAREN_ARABIC), ("arabic", ARABIC)):
        m = pattern.match(text, ln.lo, ln.hi)
        if m:
            if style == "2digit" and (ln.hi - ln.lo > _MAX_ITEM_LINE
                                      or "。" in text[ln.lo:ln.hi]):
                continue
            return style, m.group(1), m.end()
    return None


def _item_title(text: str, style: str, start: int, hi: int) -> tuple[int, int]:
    while start < hi and text[start] in " \t\u3000：:、.．":
        start += 1
    end = hi
    if style != "2digit":
        stop = _SENTENCE_END.search(text, start, hi)
        if stop:
            end = stop.start()
    while end > start and text[end - 1] in " \t\u3000：:，,；;。":
        end -= 1
    return start, end


def find_boxes(text: str, lines: list[Line], headings: list[Heading], *,
               table_lines: set[int], captions: set[int], lead: bool,
               stop: int | None = None) -> list[BoxSpan]:
    """Find the extent and items of every 专栏 box.

    Parameters
    ----------
    text : the normalised text.
    lines : ``split_lines(text)``.
    headings : heading candidates (``find_headings``), box labels included.
    table_lines : lines that belong to tables (rows, notes); they stay inside a box.
    captions : lines that are table captions (``表N``); one closes a box that has text.
    lead : whether the document opens paragraphs with lead sentences (:func:`lead_style`).
    stop : where the document's foot begins (抄送：…); no box runs past it.
    """
    by_line: dict[int, Heading] = {}
    for h in headings:
        by_line.setdefault(h.line, h)
    boxes = []
    for h in headings:
        if h.kind is not Kind.BOX:
            continue
        span = BoxSpan(heading=h, end=lines[h.line].hi)
        last = lines[h.line]
        content_lines = 0
        style: str | None = None
        expect = 1
        item_starts: list[tuple[str, int, int, int]] = []  # number, start, title span
        for j in range(h.line + 1, len(lines)):  # (no slice: a copy per box adds up)
            ln = lines[j]
            if stop is not None and ln.lo >= stop:
                break
            if ln.blank:
                continue
            if ln.index in table_lines:
                last, content_lines = ln, content_lines + 1
                continue
            if ln.index in captions and content_lines:
                break
            other = by_line.get(ln.index)
            if other is not None and other.kind in _CLOSING:
                break
            item = _item_match(text, ln)
            if item is not None:
                st, number, num_end = item
                if st == "bullet":
                    number = str(expect)  # bullets count as they come
                if (int(number) == expect and (style is None or st == style)
                        and (expect > 1 or content_lines <= 1)):
                    style = st
                    expect += 1
                    ts, te = _item_title(text, st, num_end, ln.hi)
                    item_starts.append((number, ln.lo, ts, te))
                    span.item_lines.add(ln.index)
                    last, content_lines = ln, content_lines + 1
                    continue
                if other is not None:  # a numbered heading that is not our next item
                    break
            # items with title lines have bodies of their own: only a heading closes them
            if content_lines and lead and style != "2digit" and LEAD.match(text, ln.lo, ln.hi):
                break
            last, content_lines = ln, content_lines + 1
        # a table row ends with its line (trailing empty cells included)
        span.end = last.end - last.text.endswith("\r") if last.index in table_lines else last.hi
        span.lines = range(h.line, last.index + 1)
        for k, (number, start, ts, te) in enumerate(item_starts):
            nxt = item_starts[k + 1][1] if k + 1 < len(item_starts) else span.end
            _, end = strip_span(text, start, nxt)
            span.items.append(BoxItem(number=number, title=text[ts:te], start=start, end=end,
                                      title_start=ts, title_end=te))
        boxes.append(span)
    return boxes
