"""``structure(doc) -> PlanDocument``: metadata, sections, tables and 专栏 boxes, with offsets."""

from __future__ import annotations

import logging
import re
from bisect import bisect_right

from extract.boxes import BoxSpan, find_boxes, lead_style
from extract.lines import Line, split_lines
from extract.metadata import extract_metadata
from extract.model import Box, Document, PlanDocument, Section
from extract.sections import FOOT, RANK, Heading, Kind, find_headings, find_toc, select_headings
from extract.tables import TableBlock, build_table, find_table_blocks

__all__ = ["structure"]

# The number at the end of a table label: 表2 → 2, 附表1 → 1, 专栏3 → 3, 表二 → 二
_LABEL_NUMBER = re.compile(r"(\d+|[一二三四五六七八九十]+)$")

log = logging.getLogger(__name__)


def structure(doc: Document) -> PlanDocument:
    """Find a plan's metadata, section tree, tables and 专栏 boxes.

    Every offset indexes ``doc.text``: ``text[s.title_start:s.title_end]`` is a section's
    title, ``text[c.start:c.end]`` a cell, ``text[t.start:t.end]`` a whole table.

    Parameters
    ----------
    doc : a document from ``extract.read.read``.

    Returns
    -------
    PlanDocument
        ``warnings`` carries what a user should know (a table row with missing cells,
        filler rows dropped, ``not a plan document``).

    Examples
    --------
    >>> from extract.model import Document
    >>> text = "一、发展基础\\n（一）就业稳步推进。全区新增就业1万人。\\n二、主要任务\\n"
    >>> plan = structure(Document(text=text, source="p.txt", sha256=""))
    >>> [(s.id, s.title) for s in plan.sections]
    [('s1', '发展基础'), ('s1.1', '就业稳步推进'), ('s2', '主要任务')]
    """
    text = doc.text
    warnings: list[str] = []
    lines = split_lines(text)

    toc = find_toc(lines)
    toc_lines = set(toc) if toc is not None else set()

    blocks = find_table_blocks(text, lines, skip=toc_lines, warnings=warnings)
    table_lines: set[int] = set()
    caption_lines: set[int] = set()
    for b in blocks:
        table_lines |= b.line_indexes()
        if b.caption is not None and not b.box_caption:
            caption_lines.add(b.caption.index)
    row_lines = {ln.index for b in blocks for ln in b.rows} | \
        {ln.index for b in blocks for ln in b.notes}

    candidates = find_headings(text, lines, skip=toc_lines | table_lines)
    lead = lead_style(lines, skip=toc_lines | table_lines | {h.line for h in candidates})
    foot = _foot_start(lines, candidates)
    boxes = find_boxes(text, lines, candidates, table_lines=row_lines, captions=caption_lines,
                       lead=lead, stop=foot)
    in_box = {i for b in boxes for i in b.lines if i != b.heading.line}
    outline = select_headings([h for h in candidates
                               if h.kind is not Kind.BOX and h.line not in in_box])

    body_start = min([h.start for h in outline]
                     + ([lines[toc.start].lo] if toc is not None else [])
                     + [b.heading.start for b in boxes] + [len(text)])
    metadata, md_warnings = extract_metadata(text, body_start=body_start)
    warnings.extend(md_warnings)

    sections = _tree(text, outline, boxes, blocks, end=foot)
    by_id = {s.id: s for s in sections}
    box_ids = {b.heading.start: f"box{i}" for i, b in enumerate(boxes, start=1)}
    out_boxes = tuple(
        Box(id=box_ids[b.heading.start], label=f"专栏{b.heading.number}",
            title=text[b.heading.title_start:b.heading.title_end], start=b.heading.start,
            end=b.end, title_start=b.heading.title_start, title_end=b.heading.title_end,
            items=tuple(b.items), section=by_id[box_ids[b.heading.start]].parent)
        for b in boxes)
    tables = []
    for i, block in enumerate(blocks, start=1):
        tid = f"t{i}"
        parent = by_id[tid].parent
        # a table inside a 专栏 hangs under the box's section; its section is the box's host
        box = by_id[parent] if parent is not None and by_id[parent].kind == Kind.BOX else None
        if box is not None and block.box_caption:
            block.label = f"专栏{box.number}"
        tables.append(build_table(text, block, table_id=tid,
                                  section=box.parent if box is not None else parent,
                                  box=box.id if box is not None else None, warnings=warnings))
    flagged = any(w.startswith("not a plan document") for w in warnings)
    if not metadata.title and not sections and not tables and not flagged:
        warnings.append("not a plan document: no title, sections or tables found")
    log.debug("%s: %d sections, %d tables, %d boxes, %d warnings", doc.source, len(sections),
              len(tables), len(out_boxes), len(warnings))
    return PlanDocument(document=doc, metadata=metadata, sections=sections,
                        tables=tuple(tables), boxes=out_boxes, warnings=tuple(warnings))


def _foot_start(lines: list[Line], outline: list[Heading]) -> int | None:
    """Where the document's foot (抄送：…) begins, if it follows the last heading."""
    last = outline[-1].line if outline else -1
    for ln in reversed(lines):
        if ln.index <= last:
            break
        if not ln.blank and FOOT.match(ln.text, ln.lo - ln.start):
            return ln.lo
    return None


def _trim_end(text: str, start: int, end: int) -> int:
    """``end`` moved back over blank space and newlines, not before ``start`` (tabs stay:
    they are the empty trailing cells of a table row)."""
    while end > start and text[end - 1] in _BLANK:
        end -= 1
    return end


_BLANK = frozenset(" \n\r\u3000\xa0\f\v")


def _tree(text: str, outline: list[Heading], boxes: list[BoxSpan], blocks: list[TableBlock],
          *, end: int | None) -> tuple[Section, ...]:
    doc_end = len(text) if end is None else end
    # outline sections: ends, parents, ids
    n = len(outline)
    ends = [doc_end] * n
    parent: list[int | None] = [None] * n
    stack: list[int] = []
    for i, h in enumerate(outline):
        r = RANK[h.kind]
        # a preamble (序言) holds no headings; an annex (附件) closes everything before it
        while stack and (r < 0 or outline[stack[-1]].kind is Kind.PREAMBLE
                         or RANK[outline[stack[-1]].kind] >= r):
            ends[stack.pop()] = h.start
        parent[i] = stack[-1] if stack else None
        stack.append(i)
    ids: list[str] = []
    levels: list[int] = []
    counters: dict[int | None, int] = {}
    for i in range(n):
        p = parent[i]
        counters[p] = counters.get(p, 0) + 1
        ids.append(f"s{counters[p]}" if p is None else f"{ids[p]}.{counters[p]}")
        levels.append(1 if p is None else levels[p] + 1)
    out: list[Section] = []
    for i, h in enumerate(outline):
        out.append(Section(id=ids[i], kind=h.kind.value, number=h.number,
                           title=text[h.title_start:h.title_end], level=levels[i],
                           start=h.start, end=_trim_end(text, h.start, ends[i]),
                           title_start=h.title_start, title_end=h.title_end,
                           parent=None if parent[i] is None else ids[parent[i]]))

    # the text before the first heading (covering notice, title, opening paragraphs): an
    # untitled preamble ``s0``, so that whatever is found there has a section too
    if outline:
        head = text[:outline[0].start]
        # (a leading tab is an empty cell, leading spaces the layout of a first row)
        lead = len(head) - len(head.lstrip("\n\r"))
        pre_end = _trim_end(text, lead, outline[0].start)
        if pre_end > lead:
            out.insert(0, Section(id="s0", kind=Kind.PREAMBLE.value, number="", title="",
                                  level=1, start=lead, end=pre_end, title_start=lead,
                                  title_end=lead))

    outline_secs = list(out)
    in_outline = _Locator(outline_secs)
    box_secs: list[Section] = []
    for k, b in enumerate(boxes, start=1):
        h = b.heading
        host = in_outline.innermost(h.start)
        # a table that starts in the box ends in it, its caption or notes below it too
        end = max([b.end] + [blk.end for blk in blocks if h.start <= blk.rows[0].lo < b.end])
        if host is not None:
            end = min(end, max(host.end, b.end))
        box_secs.append(Section(id=f"box{k}", kind=Kind.BOX.value, number=h.number,
                                title=text[h.title_start:h.title_end],
                                level=(host.level + 1) if host else 1, start=h.start,
                                end=end, title_start=h.title_start, title_end=h.title_end,
                                parent=host.id if host else None))
    table_secs: list[Section] = []
    in_any = _Locator(outline_secs + box_secs)
    for k, blk in enumerate(blocks, start=1):
        host = in_any.innermost(blk.rows[0].lo)
        if blk.title_span is not None:
            ts, te = blk.title_span
        else:
            ts = te = blk.start
        m = _LABEL_NUMBER.search(blk.label or "")
        number = m.group(1) if m else ""
        table_secs.append(Section(id=f"t{k}", kind=Kind.TABLE.value, number=number,
                                  title=text[ts:te], level=(host.level + 1) if host else 1,
                                  start=blk.start, end=blk.end, title_start=ts, title_end=te,
                                  parent=host.id if host else None))
    allsecs = out + box_secs + table_secs
    allsecs.sort(key=lambda s: (s.start, s.level))
    return tuple(allsecs)


class _Locator:
    """The innermost of a set of nested sections at an offset, in O(log n + depth)."""

    def __init__(self, sections: list[Section]) -> None:
        self.sections = sorted(sections, key=lambda s: (s.start, s.level))
        self.starts = [s.start for s in self.sections]
        self.by_id = {s.id: s for s in sections}

    def innermost(self, pos: int) -> Section | None:
        i = bisect_right(self.starts, pos) - 1
        sec = self.sections[i] if i >= 0 else None
        while sec is not None and not sec.start <= pos < max(sec.end, sec.start + 1):
            sec = self.by_id.get(sec.parent) if sec.parent else None
        return sec
