"""Read the visible text of an ``.html`` page: blocks as lines, table rows as tab rows.

``<script>``, ``<style>``, ``<noscript>``, ``<template>``, the ``<head>`` and elements
hidden with ``hidden`` or ``display:none`` are dropped. Inline white space collapses as a
browser collapses it (``<pre>`` keeps its own). A table row becomes one line of
tab-separated cells in their columns; a cell spanned from a row above (``rowspan``) is
an empty cell, not a repeat, which is the shape of the plain-text plans (a category cell
filled on a group's first row only).
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from kg.errors import InputFileError

if TYPE_CHECKING:
    from lxml.etree import _Element

__all__ = ["html_text"]

_DROP = frozenset({"script", "style", "noscript", "template", "head", "title", "meta",
                   "link", "iframe", "object", "embed", "svg", "canvas", "button", "select",
                   "input", "textarea"})
_BLOCK = frozenset({"p", "div", "section", "article", "main", "header", "footer", "nav",
                    "aside", "h1", "h2", "h3", "h4", "h5", "h6", "li", "ul", "ol", "dl", "dt",
                    "dd", "blockquote", "pre", "center", "figure", "figcaption", "form",
                    "fieldset", "address", "caption", "hr", "body", "html"})
_CELL = frozenset({"td", "th"})
_HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.IGNORECASE)
_WS = re.compile(r"[ \t\n\r\f\v]+")
_XML_DECL = re.compile(r"^\s*<\?xml[^>]*\?>", re.IGNORECASE)


class _Lines:
    """Accumulates text into lines; a block boundary ends the current line."""

    def __init__(self) -> None:
        self.lines: list[str] = []
        self.current: list[str] = []

    def text(self, s: str | None, *, pre: bool) -> None:
        if s:
            self.current.append(s if pre else _WS.sub(" ", s))

    def newline(self) -> None:
        line = "".join(self.current).strip(" ")
        if line:
            self.lines.extend(line.split("\n"))
        self.current = []


def _visible(el: _Element) -> bool:
    return not (el.get("hidden") is not None or el.get("aria-hidden") == "true"
                or _HIDDEN_STYLE.search(el.get("style") or ""))


def _inline_text(el: _Element, *, pre: bool = False) -> str:
    """All visible text under ``el`` on one line (for a table cell)."""
    acc = _Lines()
    _walk(el, acc, pre=pre, in_cell=True)
    acc.newline()
    return " ".join(acc.lines)


def _span(td: _Element, attr: str) -> int:
    try:
        return max(1, min(int((td.get(attr) or "1").strip()), 100))
    except ValueError:
        return 1


def _grid_row(tds: list[_Element], spanned: dict[int, int]) -> list[str]:
    """A row's cells in their columns: an empty cell where a cell of a row above spans
    down (``rowspan``), as the blank category cell of a plain-text table; empty cells
    after one that spans across (``colspan``). ``spanned`` carries the row spans on."""
    cells: list[str] = []
    col = 0
    queue = list(tds)
    while queue or any(c >= col for c in spanned):
        if spanned.get(col, 0) > 0:
            cells.append("")
            spanned[col] -= 1
            col += 1
            continue
        if not queue:
            col += 1
            continue
        td = queue.pop(0)
        width, height = _span(td, "colspan"), _span(td, "rowspan")
        cells.append(_inline_text(td))
        cells.extend([""] * (width - 1))
        for c in range(col, col + width):
            if height > 1:
                spanned[c] = height - 1
        col += width
    for c in [c for c, n in spanned.items() if n <= 0]:
        del spanned[c]
    return cells


def _walk(el: _Element, acc: _Lines, *, pre: bool, in_cell: bool = False) -> None:
    tag = el.tag if isinstance(el.tag, str) else ""
    tag = tag.rsplit("}", 1)[-1].lower()
    if not tag or tag in _DROP or not _visible(el):
        if tag:  # a dropped element still has its tail
            acc.text(el.tail, pre=pre)
        return
    if tag == "table" and not in_cell:
        acc.newline()
        spanned: dict[int, int] = {}  # column -> rows still covered by a rowspan above
        for tr in el.iter("tr", "{*}tr"):
            tds = [td for td in tr if isinstance(td.tag, str)
                   and td.tag.rsplit("}", 1)[-1].lower() in _CELL and _visible(td)]
            cells = _grid_row(tds, spanned)
            if any(cells):
                acc.lines.append("\t".join(c.replace("\t", " ") for c in cells))
        acc.text(el.tail, pre=pre)
        return
    block = tag in _BLOCK or tag in ("tr", "table")
    if tag == "br":
        if in_cell:
            acc.text(" ", pre=True)
        else:
            acc.newline()
        acc.text(el.tail, pre=pre)
        return
    if block and not in_cell:
        acc.newline()
    inner_pre = pre or tag == "pre"
    acc.text(el.text, pre=inner_pre)
    for child in el:
        _walk(child, acc, pre=inner_pre, in_cell=in_cell)
    if block and not in_cell:
        acc.newline()
    elif tag in _CELL:
        acc.text(" ", pre=True)
    acc.text(el.tail, pre=pre)


def html_text(data: bytes, *, source: str) -> tuple[str, str]:
    """The visible text of an HTML page and the encoding it was decoded with.

    Parameters
    ----------
    data : bytes
        The file's content; its encoding is detected like a text file's.
    source : str
        The file name, for error messages.

    Returns
    -------
    text : str
        Block elements as lines, table rows as tab-separated cells.
    encoding : str

    Raises
    ------
    InputFileError
        When the bytes cannot be decoded or parsed as HTML.

    Examples
    --------
    >>> page = "<html><body><h1>一、目标</h1><script>x()</script>"
    >>> page += "<table><tr><td>指标</td><td>5</td></tr></table></body></html>"
    >>> html_text(page.encode(), source="p.html")
    ('一、目标\\n指标\\t5', 'utf-8')
    """
    import lxml.etree
    import lxml.html

    from extract.read import decode

    markup, encoding = decode(data, source=source)
    markup = _XML_DECL.sub("", markup, count=1)
    try:
        root = lxml.html.document_fromstring(markup)
    except (lxml.etree.ParserError, ValueError) as exc:
        raise InputFileError(source, f"is not readable HTML ({exc})") from None
    acc = _Lines()
    body = root.find("body")
    _walk(body if body is not None else root, acc, pre=False)
    acc.newline()
    return "\n".join(acc.lines), encoding
