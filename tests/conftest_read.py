"""Builders for the reader tests: a plan's text as .docx, .pdf and .html, and bad files
(truncated, encrypted, zip bomb). Imported by tests/extract/test_read*.py,
tests/extract/test_formats*.py and tests/test_cli_extract*.py."""

from __future__ import annotations

import html
import io
import struct
import zlib

__all__ = ["blocks", "make_docx", "make_pdf", "make_html", "zip_bomb_docx",
           "encrypted_pdf", "NOT_A_PLAN_TEXT"]

# A text that is no plan: a meeting notice (no plan title, period or sections).
NOT_A_PLAN_TEXT = "各位同事：\n本周五下午三点在三楼会议室召开部门例会，请准时参加。\n办公室\n"


def blocks(text: str) -> list[tuple[str, object]]:
    """Split a plain-text plan into ("p", line), ("blank", None) and ("table", rows)
    blocks: consecutive tab-separated lines form one table."""
    out: list[tuple[str, object]] = []
    for line in text.replace("\r\n", "\n").split("\n"):
        if "\t" in line:
            cells = [c.strip() for c in line.split("\t")]
            if out and out[-1][0] == "table":
                out[-1][1].append(cells)  # type: ignore[union-attr]
            else:
                out.append(("table", [cells]))
        elif line.strip():
            out.append(("p", line.strip()))
        elif not out or out[-1][0] != "blank":
            out.append(("blank", None))
    return out


def _layout(rows: list[list[str]]) -> tuple[int, list[tuple[int, int, int, int]],
                                             list[list[str]]]:
    """Place ragged rows on a rectangular grid as a Word or PDF table would hold them.

    A row shorter than the widest is right-aligned: its missing leading cells continue the
    cell above (a category cell spanning rows, the usual reason a row is short); with no
    cell above they widen its first cell instead. Returns the width, the spans
    (col0, row0, col1, row1) and the grid of texts."""
    width = max(len(r) for r in rows)
    grid = [[""] * width for _ in rows]
    spans: list[tuple[int, int, int, int]] = []
    top = [None] * width  # row where the vertical run of each column started
    for r, cells in enumerate(rows):
        offset = width - len(cells)
        for j, text in enumerate(cells):
            grid[r][offset + j] = text
        if offset and all(top[c] is not None for c in range(offset)):
            for c in range(offset):
                spans = [s for s in spans if not (s[0] == c and s[2] == c and s[3] == r - 1)]
                spans.append((c, top[c], c, r))
        elif offset:
            grid[r][0] = grid[r][offset]
            grid[r][offset] = ""
            spans.append((0, r, offset, r))
            for c in range(offset + 1):
                top[c] = None
        for c in range(offset, width):
            top[c] = r
    return width, spans, grid


def make_docx(text: str) -> bytes:
    """A .docx with the paragraphs and tables of a plain-text plan (merged cells where a
    row is short)."""
    import docx

    document = docx.Document()
    for kind, value in blocks(text):
        if kind == "p":
            document.add_paragraph(value)
        elif kind == "blank":
            document.add_paragraph("")
        else:
            rows = value
            width, spans, grid = _layout(rows)  # type: ignore[arg-type]
            table = document.add_table(rows=len(grid), cols=width)
            table.style = "Table Grid"
            for r, row in enumerate(grid):
                for c, cell_text in enumerate(row):
                    if cell_text:
                        table.cell(r, c).text = cell_text
            for c0, r0, c1, r1 in spans:
                if (c0, r0) != (c1, r1):
                    keep = table.cell(r0, c0).text
                    merged = table.cell(r0, c0).merge(table.cell(r1, c1))
                    merged.text = keep
    buf = io.BytesIO()
    document.save(buf)
    return buf.getvalue()


def _cjk_font() -> str:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont

    if "STSong-Light" not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    return "STSong-Light"


def make_pdf(text: str, *, encrypt: object = None, header: str | None = None) -> bytes:
    """A PDF with a real text layer: paragraphs wrapped to the page width, ruled tables
    (merged cells where a row is short), page numbers `－N－` in the footer and, if given,
    a running ``header`` at the top of every page but the first."""
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

    font = _cjk_font()
    body = ParagraphStyle("body", fontName=font, fontSize=11, leading=16, wordWrap="CJK",
                          firstLineIndent=22)  # two characters, as official documents do
    cell = ParagraphStyle("cell", fontName=font, fontSize=8, leading=10, wordWrap="CJK")
    buf = io.BytesIO()

    def footer(canvas, doc) -> None:  # noqa: ANN001
        canvas.setFont(font, 9)
        canvas.drawCentredString(A4[0] / 2, 12 * mm, f"－{doc.page}－")
        if header and doc.page > 1:
            canvas.drawCentredString(A4[0] / 2, A4[1] - 12 * mm, header)

    template = SimpleDocTemplate(buf, pagesize=A4, leftMargin=20 * mm, rightMargin=20 * mm,
                                 topMargin=20 * mm, bottomMargin=22 * mm, encrypt=encrypt,
                                 title="", author="", creator="", producer="",
                                 invariant=True)
    story = []
    for kind, value in blocks(text):
        if kind == "p":
            story.append(Paragraph(html.escape(value), body))
        elif kind == "blank":
            story.append(Spacer(1, 8))
        else:
            width, spans, grid = _layout(value)  # type: ignore[arg-type]
            data = [[Paragraph(html.escape(t), cell) if t else "" for t in row]
                    for row in grid]
            style = [("GRID", (0, 0), (-1, -1), 0.5, colors.black),
                     ("VALIGN", (0, 0), (-1, -1), "TOP")]
            style += [("SPAN", (c0, r0), (c1, r1)) for c0, r0, c1, r1 in spans]
            story.append(Table(data, colWidths=[template.width / width] * width,
                               style=TableStyle(style)))
    template.build(story, onFirstPage=footer, onLaterPages=footer)
    return buf.getvalue()


def make_html(text: str) -> bytes:
    """An HTML page with the paragraphs and tables of a plain-text plan (rowspan for a
    category cell), plus a script and a style that must not be read."""
    parts = ["<!DOCTYPE html><html><head><meta charset='utf-8'><title>页面标题</title>",
             "<style>p { margin: 0 }</style><script>var x = '不应读出';</script></head><body>",
             "<nav style='display:none'>隐藏的导航</nav>"]
    for kind, value in blocks(text):
        if kind == "p":
            parts.append(f"<p>{html.escape(value)}</p>")
        elif kind == "blank":
            parts.append("<br>")
        else:
            rows = value
            width, spans, grid = _layout(rows)  # type: ignore[arg-type]
            covered = {(c, r) for c0, r0, c1, r1 in spans for c in range(c0, c1 + 1)
                       for r in range(r0, r1 + 1) if (c, r) != (c0, r0)}
            starts = {(c0, r0): (c1 - c0 + 1, r1 - r0 + 1) for c0, r0, c1, r1 in spans}
            parts.append("<table border='1'>")
            for r, row in enumerate(grid):
                parts.append("<tr>")
                for c, cell_text in enumerate(row):
                    if (c, r) in covered:
                        continue
                    colspan, rowspan = starts.get((c, r), (1, 1))
                    attrs = (f" colspan='{colspan}'" if colspan > 1 else "") + (
                        f" rowspan='{rowspan}'" if rowspan > 1 else "")
                    parts.append(f"<td{attrs}>{html.escape(cell_text)}</td>")
                parts.append("</tr>")
            parts.append("</table>")
    parts.append("<script>document.write('脚本')</script></body></html>")
    return "\n".join(parts).encode("utf-8")


def encrypted_pdf() -> bytes:
    """A one-page PDF that needs the user password ``secret`` to open."""
    from reportlab.lib import pdfencrypt

    enc = pdfencrypt.StandardEncryption("secret", ownerPassword="owner", strength=128)
    return make_pdf("一、总体要求\n坚持以人民为中心。", encrypt=enc)  # type: ignore[arg-type]


def zip_bomb_docx(*, inflated_mb: int = 400, aliases: int = 10) -> bytes:
    """A .docx-shaped ZIP of about 0.4 MB whose members inflate to gigabytes.

    One member holds ``inflated_mb`` MB of zeros (deflate compresses them ~1000:1); the
    central directory then lists that same data ``aliases`` more times under other
    names (the overlapping-entries trick), so the archive declares
    ``(aliases + 1) * inflated_mb`` MB. Built by hand: nothing is ever inflated here."""
    chunk_mb = 1
    comp = zlib.compressobj(9, zlib.DEFLATED, -15)
    piece = comp.compress(b"\0" * (chunk_mb << 20)) + comp.flush(zlib.Z_FULL_FLUSH)
    n = inflated_mb // chunk_mb
    data = piece * n + b"\x03\x00"  # an empty final block ends the stream
    crc = 0
    zeros = b"\0" * (chunk_mb << 20)
    for _ in range(n):
        crc = zlib.crc32(zeros, crc)
    size = n * (chunk_mb << 20)

    files: list[tuple[str, bytes, int, int, int]] = []  # name, stored bytes, crc, size, method
    doc_xml = (b'<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="http://schemas.'
               b'openxmlformats.org/wordprocessingml/2006/main"><w:body/></w:document>')
    files.append(("[Content_Types].xml", b"<Types/>", zlib.crc32(b"<Types/>"), 8, 0))
    files.append(("word/document.xml", doc_xml, zlib.crc32(doc_xml), len(doc_xml), 0))
    files.append(("word/media/image1.bin", data, crc, size, 8))

    out = io.BytesIO()
    central = []
    for name, stored, crc_, usize, method in files:
        offset = out.tell()
        encoded = name.encode()
        out.write(struct.pack("<IHHHHHIIIHH", 0x04034B50, 20, 0, method, 0, 0, crc_,
                              len(stored), usize, len(encoded), 0))
        out.write(encoded)
        out.write(stored)
        central.append((encoded, crc_, len(stored), usize, method, offset))
    bomb = central[-1]
    for k in range(aliases):
        central.append((f"word/media/image{k + 2}.bin".encode(), *bomb[1:]))
    cd_start = out.tell()
    for encoded, crc_, csize, usize, method, offset in central:
        out.write(struct.pack("<IHHHHHHIIIHHHHHII", 0x02014B50, 20, 20, 0, method, 0, 0,
                              crc_, csize, usize, len(encoded), 0, 0, 0, 0, 0, offset))
        out.write(encoded)
    cd_size = out.tell() - cd_start
    out.write(struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, len(central), len(central), cd_size,
                          cd_start, 0))
    return out.getvalue()
