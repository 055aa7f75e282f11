"""Normalise decoded plan text, recording every edit in an ``OffsetMap``.

What normalisation changes (everything else is kept exactly, Chinese punctuation such as
``，。（）“”《》`` included):

* **Line ends.** CRLF and lone CR become LF; form feeds, vertical tabs and the Unicode line
  and paragraph separators become LF.
* **Invisible characters.** Zero-width spaces and joiners, stray BOMs and C0 control
  characters other than tab and LF are dropped.
* **Full-width ASCII.** Full-width letters and digits (``２０２１``, ``ＧＤＰ``) become
  half-width; a full-width full stop between two digits (spaces around it aside) becomes
  ``.``. Full-width punctuation and the full-width space are kept (the space is then
  subject to the whitespace rules below).
* **Document-number brackets.** In a 文号 (``湘政发„2020‟12 号``) mangled bracket glyphs
  (quote marks such as ``„‟`` that PDF extraction leaves in place of ``〔〕``) become
  ``〔〕``: ``湘政发〔2020〕12号``.
* **Whitespace.** Leading and trailing spaces of every line are dropped (tabs are kept:
  they separate table cells), and so are spaces around a tab. Inside a line, one space
  between two CJK characters (CJK punctuation included) is dropped, and so is a run of one
  or two spaces between a CJK character and a digit or ASCII punctuation (``80 万人次`` →
  ``80万人次``, ``“青苗 2035”`` → ``“青苗2035”``, ``【 65 】`` → ``【65】``,
  ``本地区 , 我省`` → ``本地区,我省``),
  spaces just inside brackets are dropped (``[ 37.5 ]`` → ``[37.5]``), spaces
  between single digits are dropped (``2 0 0 5年`` → ``2005年``), and so is a space
  between a number and ``%`` or a decimal point. Runs of three or more spaces (layout)
  and spaces next to Latin letters (``and``, ``GDP 2020``) are kept.
* **Tables laid out with spaces keep their layout.** A line with two gaps of two or more
  spaces (three cells: a table row as ``pdftotext -layout`` writes one) keeps its
  indentation and every gap of two or more spaces, and an indented fragment right below
  such a row (the rest of a cell wrapped in its column) keeps its indentation: the
  columns are read from where the characters stand (``extract.tables``). Such lines are
  never joined to a neighbour, so normalising twice changes nothing.
* **Page-number lines** (``－3－``, ``- 3 -``, ``第 3 页``, ``第3页 共28页``) are dropped.
* **Hard-wrapped lines are re-joined.** A line that starts with punctuation that cannot
  open a line (``，。、；：）》”`` …) is joined to the line before it. In a hard-wrapped
  document (text pulled out of a PDF: most lines have the same display width) a line of
  full width, or one that ends with ``，`` ``,`` or ``、``, is joined to the next line
  unless it ends a sentence (``。！？``), either line is a table row (tabs, or cells
  aligned with runs of spaces; such rows do not set the page width), or the next line
  opens a heading, a numbered item, a 专栏, a table or a note (``第X章``, ``一、``, ``（一）``,
  ``1.``, ``专栏``, ``表1``, ``附件``, ``注：``). Page-number lines and blank lines
  between the two halves go with the join. Two Latin letters that meet at a join are
  separated by one space; anything else is joined directly.
* **Blank lines.** Blank lines at the start and end are dropped; a run of blank lines
  becomes one blank line. In a hard-wrapped document a blank line ends a paragraph (no
  join across it), unless the extraction put a blank line after at least half of the
  lines: then blank lines carry no meaning and are dropped.

Offsets: 1:1 substitutions leave the map alone; every dropped span starts a new run of
the map, so ``OffsetMap.to_original`` gives, for each character of the normalised text,
the position in the decoded original it came from. A space that replaces a line break at a
join maps to the first character of the span it replaces.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections import Counter
from collections.abc import Iterable

from extract.model import OffsetMap

__all__ = ["normalise", "HEADING_START", "PAGE_NUMBER_LINE"]

# --------------------------------------------------------------------------- patterns

_CJK = (
    "\u2e80-\u2fff"  # radicals, Kangxi
    "\u3000-\u303f"  # CJK symbols and punctuation (、。〈〉《》「」【】〔〕 …)
    "\u3040-\u30ff"  # kana (・ …)
    "\u3100-\u31ff"
    "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"  # ideographs
    "\ufe30-\ufe4f"  # CJK compatibility forms (﹝﹞ …)
    "\uff01-\uff0f\uff1a-\uff20\uff3b-\uff40\uff5b-\uff65"  # full-width punctuation
    "\u2010-\u2027"  # dashes, curly quotes, ellipsis
    "\u2030-\u203b"  # ‰ and friends
    "\u2460-\u24ff"  # circled numbers ①
    "\u2500-\u257f\u25a0-\u25ff"  # box drawing, geometric shapes ■ ○
)
# non-letter neighbours that may lose an adjacent space when the other side is CJK
_NUMERIC = r"0-9%.,;:!?()\[\]<>=+\-*/~\"'#&"

_SP = "[ \u3000\u00a0]"
_CJK_CHAR = re.compile(f"[{_CJK}]")
_NON_LETTER = frozenset("0123456789%.,;:!?()[]<>=+-*/~\"'#&")

# A run of spaces inside a line; each is judged by its neighbours (see ``_space_edit``).
# sample: "80 万人次" -> "80万人次"; "【 65 】" -> "【65】"; "本地区 , 我省" -> "本地区,我省"
SPACE_RUN = re.compile(f"{_SP}+")
# Single digits separated by single spaces. sample: "2 0 0 5年" -> "2005年"
SPACED_DIGITS = re.compile(r"\d(?: \d)+")
_OPENERS = frozenset("([（【〔［﹝")
_CLOSERS_BRACKET = frozenset(")]）】〕］﹞")
_NUMBER_TAIL = frozenset("%％‰")

# A document number with mangled brackets. sample: "湘政发„2020‟12 号"
DOC_NUMBER = re.compile(
    rf"(?P<open>[„‟‚‛“”\"'〝〞«»‹›<>(（\[［【〔﹝]){_SP}*(?:19|20)\d\d{_SP}*"
    rf"(?P<close>[„‟‚‛“”\"'〝〞«»‹›<>)）\]］】〕﹞]){_SP}*\d{{1,5}}{_SP}*号"
)
_BRACKETS = set("(（[［【〔﹝)）]］】〕﹞")

# A line that is only a page number. samples: "－3－", "- 3 -", "第 3 页", "第3页 共28页"
PAGE_NUMBER_LINE = re.compile(
    r"[-－—–―~～]\s*\d{1,4}\s*[-－—–―~～]"
    r"|第\s*\d{1,4}\s*页(?:\s*[，,/]?\s*共\s*\d{1,4}\s*页)?"
    r"|[-－—–―]?\s*[Pp]age\s*\d{1,4}(?:\s*of\s*\d{1,4})?\s*[-－—–―]?"
)
# The start of a line that opens a heading, numbered item, box, table or note; a
# hard-wrapped line is never joined onto such a line.
# samples: "第三章 …", "第二节 …", "一、…", "（一）…", "(1)…", "1.…", "1、…", "专栏3 …",
# "表1 …", "附件", "附表2", "注：…", "①…", "01 …"
HEADING_START = re.compile(
    r"第[一二三四五六七八九十百零〇○\d]+[章节篇部条]"
    r"|[一二三四五六七八九十]+[、.．]"
    r"|[（(][一二三四五六七八九十\d]+[)）]"
    r"|\d{1,2}[.．、](?!\d)"
    r"|0\d\s"
    r"|专栏|表\s*\d|附\s*[件表录]|注\s*[:：]|[①-⑳]"
)
# Punctuation that cannot begin a line: such a line continues the one before.
# sample: ", 城乡居民收入持续增长" after "…就业形势总体稳定"
CONTINUATION_START = re.compile(r"[，。、；：？！,;:?!）)》」』”’〕】%％…]")
_SENTENCE_END = frozenset("。！？!?")
_CLAUSE_END = frozenset("，,、")  # a line ending so is cut mid-sentence
_LATIN = re.compile(r"[A-Za-z]")
# A paragraph line at least this long that stops inside a sentence (on an ideograph or an
# opening mark) was cut by a stray line break: 推动甘肃某某职业技 / 术学院 …
_CUT_MIN = 40
_CUT_LAST = re.compile(r"[\u4e00-\u9fff“‘《（(]")
_CUT_FIRST = re.compile(r"[\u4e00-\u9fff”’》）)]")
_PROSE_MARKS = frozenset("，。；、")

# 1:1 character substitutions (offsets unchanged)
_CHAR_TABLE = {0xFF10 + i: 0x30 + i for i in range(10)}
_CHAR_TABLE.update({0xFF21 + i: 0x41 + i for i in range(26)})
_CHAR_TABLE.update({0xFF41 + i: 0x61 + i for i in range(26)})
_CHAR_TABLE.update({ord(c): 0x0A for c in "\r\f\v\u2028\u2029\x85"})
_SUBSTITUTED = re.compile("[\uff10-\uff19\uff21-\uff3a\uff41-\uff5a\r\f\v\u2028\u2029\x85]+")
# dropped characters: zero-width, BOM, C0 controls other than \t \n (\r handled above)
# dropped first: CR of CRLF, zero-width characters, BOMs, C0 controls other than \t \n
_DROP = re.compile("[\r\u200b\u200c\u200d\u2060\ufeff\x00-\x08\x0e-\x1f\x7f]")
# (spaces of one or two between it and a digit are stray and go too: 1． 1 → 1.1)
_FULLWIDTH_STOP = re.compile(r"(?:(?<=\d)|(?<=\d )|(?<=\d  ))．(?=(?: {1,2})?\d)")
_CLOSERS = "”’」』）)》〕】"

# hard-wrap detection
_MIN_WRAP_LINES = 10
_MIN_WRAP_SHARE = 0.4
_MIN_WRAP_WIDTH = 12
_BLANK_NOISE = 0.5  # blank lines after at least this share of lines carry no meaning
_WRAP_SLACK = 0.1  # a full line may be this share of the page width narrower (an indent) …
_WRAP_SLACK_MIN = 3.0  # … and at least this many characters

Edit = tuple[int, int, str]

# Two gaps of layout spaces inside a line (three cells): a table row aligned with spaces,
# which is never joined and does not count towards the page width of a hard-wrapped text
_SPACED_GAP = re.compile(r"\S(?: {2,}|[ \u3000]*\u3000[ \u3000]*)(?=\S)")


def _spaced_row(line: str) -> bool:
    if "  " not in line and "\u3000" not in line:  # most lines: no gap at all
        return False
    return len(_SPACED_GAP.findall(line)) >= 2


def _width(s: str) -> float:
    """Display width in CJK cells: ASCII characters count half."""
    return len(s) - 0.5 * len(s.encode("ascii", "ignore"))


def _wrap_width(lines: list[tuple[int, int]], text: str) -> float | None:
    """The page width of a hard-wrapped text, or ``None`` when it is not hard-wrapped."""
    widths = []
    for cs, ce in lines:
        if ce - cs < 8 or "\t" in text[cs:ce] or _spaced_row(text[cs:ce]):
            continue
        widths.append(round(_width(text[cs:ce])))
    if len(widths) < _MIN_WRAP_LINES:
        return None
    counts = Counter(widths)
    mode, _ = max(counts.items(), key=lambda kv: (kv[1] + counts[kv[0] - 1] + counts[kv[0] + 1],
                                                   kv[0]))
    share = (counts[mode - 1] + counts[mode] + counts[mode + 1]) / len(widths)
    if share < _MIN_WRAP_SHARE or mode < _MIN_WRAP_WIDTH:
        return None
    return float(mode)


def _line_spans(text: str) -> Iterable[tuple[int, int, int, int]]:
    """(line start, line end, content start, content end) of every line of ``text``."""
    n = len(text)
    start = 0
    strip = " \u3000\u00a0"
    while start <= n:
        end = text.find("\n", start)
        if end < 0:
            end = n
        cs, ce = start, end
        while cs < ce and text[cs] in strip:
            cs += 1
        while ce > cs and text[ce - 1] in strip:
            ce -= 1
        yield start, end, cs, ce
        start = end + 1


def _merge(edits: list[Edit]) -> list[Edit]:
    """Sort edits and merge overlapping ones (a replacement keeps its text), in place."""
    edits.sort(key=lambda e: (e[0], -len(e[2]), e[1]))
    k = -1
    for edit in edits:
        if k >= 0 and edit[0] < edits[k][1]:
            ps, pe, pr = edits[k]
            edits[k] = (ps, max(pe, edit[1]), pr or edit[2])
        else:
            k += 1
            edits[k] = edit
    del edits[k + 1:]
    return edits


def _apply(text: str, edits: list[Edit]) -> tuple[str, OffsetMap]:
    """Apply sorted, non-overlapping edits; build the run-based offset map."""
    chunks: list[str] = []  # joined every few thousand pieces: small peak memory
    out: list[str] = []
    starts = [0]
    origins = [0]
    pos = 0
    npos = 0
    for s, e, r in edits:
        out.append(text[pos:s])
        npos += s - pos
        if r:
            out.append(r)
            npos += len(r)
        pos = e
        if len(r) != e - s:
            if starts[-1] == npos:
                origins[-1] = e
            else:
                starts.append(npos)
                origins.append(e)
        if len(out) >= 8192:
            chunks.append("".join(out))
            out.clear()
    out.append(text[pos:])
    npos += len(text) - pos
    chunks.append("".join(out))
    del out
    result = "".join(chunks)
    del chunks
    if len(starts) > 1 and starts[-1] >= npos:  # a run that starts at the very end
        starts.pop()
        origins.pop()
    return result, OffsetMap(starts=tuple(starts), origins=tuple(origins), length=npos,
                             original_length=len(text))


def normalise(raw: str) -> tuple[str, OffsetMap]:
    """Normalise decoded plan text; return it with the map back to ``raw``.

    The module docstring lists every change. Runs in linear time: a six-million-character
    line costs a few regex passes, and the offset map holds one run per dropped span.

    Parameters
    ----------
    raw : str
        The decoded text of a plan file (or the text a format reader produced).

    Returns
    -------
    text : str
        The normalised text; every offset in PolicyKG indexes it.
    offsets : OffsetMap
        ``offsets.to_original(i)`` is the position in ``raw`` of ``text[i]``.

    Examples
    --------
    >>> text, m = normalise("湘政发„2020‟12 号\\r\\n\\r\\n新增 80 万人次，占【 65 】。\\r\\n")
    >>> text
    '湘政发〔2020〕12号\\n\\n新增80万人次，占【65】。'
    >>> raw = "新增 80 万人次"
    >>> t, m = normalise(raw)
    >>> raw[m.to_original(t.index("万"))]
    '万'
    """
    dropped = [(m.start(), m.end(), "") for m in _DROP.finditer(raw)
               if raw[m.start()] != "\r" or raw[m.end():m.end() + 1] == "\n"]
    if dropped:  # a first pass, so that the rules below see the characters around them
        mid, first = _apply(raw, _merge(dropped))
        text, second = _normalise(mid)
        return text, _compose(second, first)
    return _normalise(raw)


def _normalise(raw: str) -> tuple[str, OffsetMap]:
    # 1:1 substitutions, only where needed (str.translate of a whole text is slow)
    text = _SUBSTITUTED.sub(lambda m: m.group().translate(_CHAR_TABLE), raw)
    edits: list[Edit] = []
    if "．" in text:
        edits.extend((m.start(), m.end(), ".") for m in _FULLWIDTH_STOP.finditer(text))
    for m in DOC_NUMBER.finditer(text):
        # the issuing office's abbreviation must stand right before the bracket
        before = text[max(0, m.start() - 2):m.start()].rstrip(" \u3000\u00a0")
        if not before or not "\u4e00" <= before[-1] <= "\u9fff":
            continue
        for group, repl in (("open", "〔"), ("close", "〕")):
            if text[m.start(group)] not in _BRACKETS:
                edits.append((m.start(group), m.end(group), repl))
        edits.extend((s.start() + m.start(), s.end() + m.start(), "")
                     for s in SPACE_RUN.finditer(m.group()))
        if m.start() - 2 >= 0 and len(before) == 1 and text[m.start() - 1] in " \u3000\u00a0":
            edits.append((m.start() - 1, m.start(), ""))

    # lines: content spans, page numbers, blank lines
    kept: list[tuple[int, int, int]] = []  # (content start, content end, line end)
    starts: list[int] = []  # where each kept line starts (its indentation included)
    page_breaks: set[int] = set()  # indexes of kept lines followed by a page-number line
    for ls, le, cs, ce in _line_spans(text):
        if cs == ce:
            continue
        content = text[cs:ce]
        if not content.strip():  # only tabs and other white space
            continue
        if len(content) <= 24 and PAGE_NUMBER_LINE.fullmatch(content.strip()):
            page_breaks.add(len(kept) - 1)
            continue
        kept.append((cs, ce, le))
        starts.append(ls)
    # rows of a table aligned with spaces keep their layout: the indentation that puts a
    # row's first cell in its column, and the gaps between cells; so does an indented
    # fragment under a row (the rest of a cell wrapped in its column)
    rows = [_spaced_row(text[cs:ce]) and "\t" not in text[cs:ce] for cs, ce, _ in kept]
    laid_out = [row or (k > 0 and rows[k - 1] and starts[k] < cs and "\t" not in text[cs:ce]
                        and _fragment(text[cs:ce]))
                for k, (row, (cs, ce, _)) in enumerate(zip(rows, kept, strict=True))]
    in_row = [(cs, ce) for (cs, ce, _), row in zip(kept, rows, strict=True) if row]

    wrap = _wrap_width([(cs, ce) for cs, ce, _ in kept], text)

    # inside lines: stray spaces (line-edge spaces go with the line breaks below)
    n = len(text)
    row_starts = [cs for cs, _ in in_row]
    for m in SPACE_RUN.finditer(text):
        s, e = m.span()
        if in_row and (e - s >= 2 or "\u3000" in text[s:e]):
            # a gap between the cells of a row (what _spaced_row counts) is no stray space
            k = bisect_right(row_starts, s) - 1
            if k >= 0 and s < in_row[k][1]:
                continue
        if s and e < n and _stray(text, s, e):
            edits.append((s, e, ""))
    for m in SPACED_DIGITS.finditer(text):
        s, e = m.span()
        if (s and (text[s - 1].isdigit() or text[s - 1] == ".")) or (
                e < n and (text[e].isdigit() or text[e] == ".")):
            continue
        edits.extend((k, k + 1, "") for k in range(s + 1, e, 2))

    # between kept lines: join, one line break, or one blank line
    if kept:
        edits.append((0, starts[0] if laid_out[0] else kept[0][0], ""))
        edits.append((kept[-1][1], len(text), ""))
    pairs = list(zip(kept, kept[1:]))
    # a blank line around a page number is a page break, not a paragraph break
    blank_after = [k not in page_breaks and text.count("\n", ce, ncs) >= 2
                   and _has_blank_line(text, le, ncs)
                   for k, ((cs, ce, le), (ncs, _, _)) in enumerate(pairs)]
    # blank lines mark paragraphs unless, as in some PDF extractions, they follow every line
    blanks_mean_paragraphs = wrap is None or sum(blank_after) < _BLANK_NOISE * len(pairs)
    for k, (((cs, ce, le), (ncs, nce, _nle)), blank) in enumerate(
            zip(pairs, blank_after, strict=True)):
        nxt = text[ncs:nce]
        indent = starts[k + 1] if laid_out[k + 1] else ncs  # where the next line's text begins
        blank = blank and blanks_mean_paragraphs
        # a row laid out with spaces is never joined to a neighbour (nor one to it): its
        # layout is read by column, and joining would change what the next pass keeps
        fixed = laid_out[k] or laid_out[k + 1]
        join = CONTINUATION_START.match(nxt) is not None and "\t" not in nxt and not fixed
        if not join and wrap is not None and not blank:
            line = text[cs:ce]
            # full by display width (a PDF's digits are half-width) or by characters (a
            # text wrapped at a character count, digits counting whole)
            join = ((max(_width(line), len(line)) >= wrap - max(_WRAP_SLACK_MIN,
                                                                _WRAP_SLACK * wrap)
                     or line[-1] in _CLAUSE_END)
                    and line.rstrip(_CLOSERS)[-1:] not in _SENTENCE_END
                    and "\t" not in line and "\t" not in nxt
                    and not _spaced_row(line) and not _spaced_row(nxt)
                    and HEADING_START.match(nxt) is None)
        if not join and wrap is None:
            join = (_cut_mid_sentence(text[cs:ce], nxt)
                    and not rows[k] and not laid_out[k + 1])
        if join:
            latin = _LATIN.match(text[ce - 1]) and _LATIN.match(nxt[0])
            edits.append((ce, ncs, " " if latin else ""))
            continue
        # keep the first line break; keep one blank line if the gap had one
        first = le  # the "\n" that ends this line
        edits.append((ce, first, ""))
        if blank:
            second = text.find("\n", first + 1, ncs)
            edits.append((first + 1, second, ""))
            edits.append((second + 1, indent, ""))
        else:
            edits.append((first + 1, indent, ""))
    if not kept:
        edits.append((0, len(text), ""))
    edits = [e for e in edits if e[1] > e[0] or e[2]]
    return _apply(text, _merge(edits))


def _fragment(content: str) -> bool:
    """A short piece of text with no sentence punctuation (the rest of a table cell)."""
    return 0 < len(content) <= 20 and not any(p in content for p in "。；;，,：:")


def _cut_mid_sentence(line: str, nxt: str) -> bool:
    """Whether a paragraph line of a text that is not hard-wrapped was cut inside a
    sentence by a stray line break (or a page break), so that ``nxt`` continues it: the
    line is long prose that stops on an ideograph or an opening mark, and ``nxt`` goes on
    with an ideograph or a closing mark and opens no heading, item, box or table."""
    return (len(line) >= _CUT_MIN and "\t" not in line and "\t" not in nxt
            and _CUT_LAST.match(line[-1]) is not None and _CUT_FIRST.match(nxt) is not None
            and any(c in _PROSE_MARKS for c in line) and HEADING_START.match(nxt) is None)


def _compose(outer: OffsetMap, inner: OffsetMap) -> OffsetMap:
    """The map of two passes: ``outer`` maps text → mid, ``inner`` mid → original."""
    starts: list[int] = []
    origins: list[int] = []
    n_outer = len(outer.starts)
    for k in range(n_outer):
        pos = outer.starts[k]
        stop = outer.starts[k + 1] if k + 1 < n_outer else outer.length
        base = outer.origins[k] - pos
        j = bisect_right(inner.starts, outer.origins[k]) - 1
        while pos < stop:
            mid = base + pos
            origin = inner.origins[j] + (mid - inner.starts[j])
            if not starts or origin - origins[-1] != pos - starts[-1]:
                starts.append(pos)
                origins.append(origin)
            run_end = inner.starts[j + 1] if j + 1 < len(inner.starts) else inner.length
            pos += max(1, min(stop - pos, run_end - mid))
            j += 1
    if not starts:
        starts, origins = [0], [0]
    return OffsetMap(starts=tuple(starts), origins=tuple(origins), length=outer.length,
                     original_length=inner.original_length)


def _stray(text: str, s: int, e: int) -> bool:
    """Whether the run of spaces ``text[s:e]`` (inside a line) is stray."""
    a, b = text[s - 1], text[e]
    if a == "\n" or b == "\n":
        return False  # a line edge: handled with the line breaks
    if a == "\t" or b == "\t" or a in _OPENERS or b in _CLOSERS_BRACKET:
        return True
    if e - s <= 2:
        a_cjk = _CJK_CHAR.match(a) is not None
        b_cjk = _CJK_CHAR.match(b) is not None
        if a_cjk and b_cjk:
            return e - s == 1  # two spaces between CJK may be a column gap
        if (a_cjk and b in _NON_LETTER) or (b_cjk and a in _NON_LETTER):
            return True
    if a.isdigit() and (b in _NUMBER_TAIL or (b == "." and text[e + 1:e + 2].isdigit())):
        return True
    return b.isdigit() and a == "." and text[s - 2:s - 1].isdigit()


def _has_blank_line(text: str, first: int, stop: int) -> bool:
    """Whether the gap after the line break at ``first`` holds an empty line (not only a
    dropped page-number line)."""
    pos = first
    while True:
        nxt = text.find("\n", pos + 1, stop)
        if nxt < 0:
            return False
        if not text[pos + 1:nxt].strip(" \u3000\u00a0\t"):
            return True
        pos = nxt
