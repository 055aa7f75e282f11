"""The lines of a normalised text, with their offsets: what the structure readers walk."""

from __future__ import annotations

import re
from typing import NamedTuple

__all__ = ["Line", "split_lines", "strip_span", "nonblank_after", "nonblank_before"]

# Whitespace at either end of a line or cell, full-width space included.
_LEAD = re.compile(r"[ \t\r\u3000\xa0]*")
_WS = " \t\r\u3000\xa0"


class Line(NamedTuple):
    """One line of the text: ``text == source[start:end]`` (no newline), plus the span of its
    content without surrounding whitespace (``lo``/``hi``; equal, and ``blank`` set, when the
    line is blank)."""

    index: int
    start: int
    end: int
    lo: int
    hi: int
    text: str
    blank: bool = False

    @property
    def content(self) -> str:
        """The line without surrounding whitespace."""
        return self.text[self.lo - self.start:self.hi - self.start]


def strip_span(text: str, start: int, end: int) -> tuple[int, int]:
    """Shrink ``[start, end)`` so it neither starts nor ends with whitespace.

    Examples
    --------
    >>> strip_span("a  bc \\t", 1, 7)
    (3, 5)
    """
    m = _LEAD.match(text, start, end)
    lo = m.end() if m else start
    hi = end
    while hi > lo and text[hi - 1] in " \t\r\u3000\xa0":
        hi -= 1
    return lo, hi


def split_lines(text: str) -> list[Line]:
    """Every line of ``text`` with its offsets (one pass of ``str.split``).

    Examples
    --------
    >>> [(ln.start, ln.end, ln.content) for ln in split_lines("ab\\n  c \\n")]
    [(0, 2, 'ab'), (3, 7, 'c'), (8, 8, '')]
    """
    out: list[Line] = []
    pos = 0
    for i, raw in enumerate(text.split("\n")):
        end = pos + len(raw)
        right = raw.rstrip(_WS)
        lo = pos + len(right) - len(right.lstrip(_WS))
        hi = pos + len(right)
        out.append(Line(i, pos, end, lo, hi, raw, lo == hi))
        pos = end + 1
    return out


def nonblank_after(lines: list[Line], index: int, *, limit: int = 3) -> Line | None:
    """The first non-blank line after line ``index``, looking at most ``limit`` lines on."""
    for ln in lines[index + 1:index + 1 + limit]:
        if not ln.blank:
            return ln
    return None


def nonblank_before(lines: list[Line], index: int, *, limit: int = 3) -> Line | None:
    """The nearest non-blank line before line ``index``, looking at most ``limit`` back."""
    for ln in reversed(lines[max(0, index - limit):index]):
        if not ln.blank:
            return ln
    return None
