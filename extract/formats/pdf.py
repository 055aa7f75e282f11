"""Read the text layer of a ``.pdf``: text lines and ruled tables in reading order.

pdfplumber (MIT) finds the tables and the text lines outside them; PDFium (through
pypdfium2, Apache-2.0/BSD, which pdfplumber already depends on) opens the file first: it
tells an encrypted or damaged file apart, and it rewrites a file with a broken cross-reference
table (common in PDFs exported by document viewers) so that pdfplumber can read it. When
pdfminer cannot map a font's glyphs to characters (``(cid:N)``, seen with encrypted CID
fonts), the text comes from PDFium instead, without table cells.
PyMuPDF reads such files too but is AGPL-licensed, so it is not used.

Table rows become lines of tab-separated cells; a cell covered by a merged cell (a category
spanning several rows) is left out, as in the plain-text plans. Lines that repeat at the top
or bottom of most pages (running headers and footers, page numbers) are dropped. A line
indented from the page's left edge, or set further below the line before than the usual
line pitch, opens a paragraph: a blank line before it tells ``extract.normalise`` not to
join it to the line above.
"""

from __future__ import annotations

import io
import logging
import re
from collections import Counter
from typing import TYPE_CHECKING

from kg.errors import InputFileError

if TYPE_CHECKING:
    import pdfplumber
    import pypdfium2
    from pdfplumber.page import Page

__all__ = ["pdf_text"]

log = logging.getLogger(__name__)

_DIGITS = re.compile(r"\d+")
_REPEAT_SHARE = 0.5  # a header/footer line repeats on at least this share of pages …
_REPEAT_MIN = 3  # … and on at least this many pages
_INDENT = 1.5  # a line indented by this many line heights opens a paragraph
_CID_GARBAGE = 5  # more "(cid:N)" glyph codes than this: pdfminer could not read the font
_GAP = 1.4  # so does a line this many times the usual line pitch below the one before


def _open_pdfium(data: bytes, source: str) -> pypdfium2.PdfDocument:
    import pypdfium2 as pdfium

    try:
        return pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        message = str(exc)
        if "password" in message.lower():
            raise InputFileError(source, "is an encrypted PDF that needs a password to open; "
                                         "save an unprotected copy and try again") from None
        raise InputFileError(source, f"is not a readable PDF ({message}); the file is "
                                     "damaged or truncated") from None


def _rewrite(data: bytes, source: str) -> bytes:
    """The PDF saved again by PDFium, with a clean cross-reference table."""
    doc = _open_pdfium(data, source)
    buf = io.BytesIO()
    try:
        doc.save(buf)
    finally:
        doc.close()
    return buf.getvalue()


def _open_plumber(data: bytes, source: str) -> pdfplumber.PDF:
    import pdfplumber

    try:
        pdf = pdfplumber.open(io.BytesIO(data))
        _ = pdf.pages  # parses the page tree
        return pdf
    except Exception:  # noqa: BLE001 - pdfminer raises many kinds; PDFium repairs below
        log.info("%s: pdfminer cannot parse the file as it is; rewriting it with PDFium", source)
    try:
        pdf = pdfplumber.open(io.BytesIO(_rewrite(data, source)))
        _ = pdf.pages
        return pdf
    except InputFileError:
        raise
    except Exception as exc:  # noqa: BLE001
        raise InputFileError(source, f"is not a readable PDF ({type(exc).__name__}: "
                                     f"{exc}); the file is damaged") from None


def _pdfium_pages(data: bytes, source: str) -> list[list[_Line]]:
    doc = _open_pdfium(data, source)
    try:
        pages = []
        for page in doc:
            text = page.get_textpage().get_text_range()
            pages.append([(line, False) for line in text.replace("\r\n", "\n").split("\n")
                          if line.strip()])
        return pages
    finally:
        doc.close()


def _cell(text: str | None) -> str:
    return " ".join((text or "").split())


_Line = tuple[str, bool]  # a line's text, and whether it opens a paragraph


def _page_items(page: Page) -> list[tuple[float, float, list[_Line]]]:
    """(top, x0, lines) of the text lines and tables of one page."""
    tables = page.find_tables()
    boxes = [t.bbox for t in tables]

    def outside(obj: dict) -> bool:
        if obj.get("object_type") != "char":
            return True
        cx = (obj["x0"] + obj["x1"]) / 2
        cy = (obj["top"] + obj["bottom"]) / 2
        return not any(x0 <= cx <= x1 and top <= cy <= bottom
                       for x0, top, x1, bottom in boxes)

    text_page = page.filter(outside) if boxes else page
    lines = [line for line in text_page.extract_text_lines(return_chars=False)
             if line["text"].strip()]
    items: list[tuple[float, float, list[_Line]]] = []
    if lines:
        left = min(line["x0"] for line in lines)
        pitches = sorted(b["top"] - a["top"] for a, b in zip(lines, lines[1:])
                         if b["top"] > a["top"])
        pitch = pitches[len(pitches) // 2] if pitches else 0.0
        for k, line in enumerate(lines):
            height = max(line["bottom"] - line["top"], 1.0)
            indented = line["x0"] - left > _INDENT * height
            spaced = k > 0 and pitch > 0 and line["top"] - lines[k - 1]["top"] > _GAP * pitch
            items.append((line["top"], line["x0"], [(line["text"], indented or spaced)]))
    for table in tables:
        rows = []
        for row in table.extract():
            cells = [_cell(c) for c in row if c is not None]
            if any(cells):
                rows.append(("\t".join(cells), False))
        if rows:
            items.append((table.bbox[1], table.bbox[0], rows))
    items.sort(key=lambda item: (round(item[0], 1), item[1]))
    return items


def pdf_text(data: bytes, *, source: str, warnings: list[str] | None = None) -> str:
    """The text layer of a PDF: one line per text line, one line per table row.

    Parameters
    ----------
    data : bytes
        The file's content.
    source : str
        The file name, for error messages.
    warnings : list of str, optional
        Non-fatal problems are appended to it (a reading that had to leave tables out).

    Returns
    -------
    str
        The pages' lines in reading order (top to bottom), joined by line feeds; table
        cells joined by tabs. ``extract.normalise`` then re-joins the hard-wrapped lines.

    Raises
    ------
    InputFileError
        When the file is truncated, encrypted with a password, or damaged beyond repair.

    Examples
    --------
    >>> import io
    >>> from reportlab.pdfbase import pdfmetrics
    >>> from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    >>> from reportlab.pdfgen import canvas
    >>> pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    >>> buf = io.BytesIO(); page = canvas.Canvas(buf, invariant=True)
    >>> page.setFont("STSong-Light", 12); page.drawString(72, 720, "一、总体要求")
    >>> page.save()
    >>> pdf_text(buf.getvalue(), source="plan.pdf")
    '一、总体要求'
    """
    if b"%%EOF" not in data[-4096:]:
        raise InputFileError(source, "is a truncated PDF (it has no %%EOF end marker); "
                                     "download or export it again")
    _open_pdfium(data, source).close()  # refuses encrypted and damaged files early
    pdf = _open_plumber(data, source)
    pages: list[list[_Line]] = []
    with pdf:
        try:
            for page in pdf.pages:
                lines: list[_Line] = []
                for _top, _x0, item_lines in _page_items(page):
                    lines.extend(item_lines)
                pages.append(lines)
                page.close()
        except InputFileError:
            raise
        except Exception as exc:  # noqa: BLE001 - pdfminer's many error kinds
            raise InputFileError(source, f"is a damaged PDF: page {len(pages) + 1} cannot be "
                                         f"read ({type(exc).__name__}: {exc})") from None
    if sum(text.count("(cid:") for page in pages for text, _ in page) > _CID_GARBAGE:
        # pdfminer could not map the font's glyphs to characters (seen with encrypted
        # CID fonts); PDFium can: take its plain text, without table cells
        log.warning("%s: pdfminer left unmapped glyphs; reading the text with PDFium", source)
        pages = _pdfium_pages(data, source)
        if warnings is not None:
            warnings.append("the PDF's fonts could not be read for table cells; its text "
                            "was read without table structure")
    out: list[str] = []
    for page_lines in _drop_running_lines(pages):
        for text, opens_paragraph in page_lines:
            if opens_paragraph and out and out[-1]:
                out.append("")  # a blank line: extract.normalise does not join across it
            out.append(text)
    return "\n".join(out)


def _drop_running_lines(pages: list[list[_Line]]) -> list[list[_Line]]:
    """Drop lines that repeat at the top or bottom of most pages (headers, footers), except
    on the first page, where a running header usually repeats the title."""
    if len(pages) < _REPEAT_MIN:
        return pages

    def key(line: _Line) -> str:
        return _DIGITS.sub("#", line[0].replace(" ", ""))

    edges: Counter[str] = Counter()
    for lines in pages:
        edges.update({key(line) for line in lines[:2] + lines[-2:]})
    threshold = max(_REPEAT_MIN, _REPEAT_SHARE * len(pages))
    running = {k for k, n in edges.items() if n >= threshold and k}
    if not running:
        return pages
    out = [pages[0]]  # the first page keeps its lines: a plan's title opens it
    for lines in pages[1:]:
        n = len(lines)
        out.append([line for i, line in enumerate(lines)
                    if not ((i < 2 or i >= n - 2) and key(line) in running)])
    return out
