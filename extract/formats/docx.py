"""Read the text of a Word ``.docx``: paragraphs and tables in document order.

Table rows become lines of tab-separated cells, the shape of the plain-text plans: a cell
that continues a vertical merge (a category cell spanning several rows) is left out of the
rows below its first, and a horizontally merged cell appears once. The archive is checked
for zip bombs from its directory (declared sizes and compression ratios) before anything
is inflated.
"""

from __future__ import annotations

import io
import zipfile
import zlib
from collections.abc import Iterator
from typing import TYPE_CHECKING

from kg.errors import InputFileError

if TYPE_CHECKING:
    from lxml.etree import _Element

__all__ = ["docx_text", "MAX_INFLATED_BYTES", "MAX_XML_PART_BYTES", "MAX_RATIO",
           "MAX_MEMBERS"]

MAX_INFLATED_BYTES = 150 * 1024 * 1024
"""Refuse an archive whose members declare more than this in total once inflated."""
MAX_XML_PART_BYTES = 25 * 1024 * 1024
"""Refuse an XML part larger than this inflated (its parsed tree would not fit in memory)."""
MAX_RATIO = 200
"""Refuse a member over 1 MB inflated that is compressed more than this many times."""
MAX_MEMBERS = 10_000
"""Refuse an archive with more members than this (a Word document has a few dozen)."""

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def _check_archive(archive: zipfile.ZipFile, source: str) -> None:
    """Refuse zip bombs and archives that are not Word documents, before inflating."""
    members = archive.infolist()
    if len(members) > MAX_MEMBERS:
        raise InputFileError(source, f"is a ZIP archive of {len(members)} members (limit "
                                     f"{MAX_MEMBERS}); refused as a possible zip bomb")
    names = {m.filename for m in members}
    if "word/document.xml" not in names:
        raise InputFileError(source, "is a ZIP archive but not a Word .docx document (it has "
                                     "no word/document.xml)")
    total = sum(m.file_size for m in members)
    if total > MAX_INFLATED_BYTES:
        raise InputFileError(
            source, f"declares {total / 2**20:.0f} MB of content once inflated (limit "
                    f"{MAX_INFLATED_BYTES / 2**20:.0f} MB); refused as a possible zip bomb")
    for m in members:
        if m.file_size > 2**20 and m.file_size > MAX_RATIO * max(m.compress_size, 1):
            raise InputFileError(
                source, f"member {m.filename} inflates {m.compress_size} bytes to "
                        f"{m.file_size} bytes ({m.file_size // max(m.compress_size, 1)}:1); "
                        "refused as a possible zip bomb")
        if m.filename.endswith((".xml", ".rels")) and m.file_size > MAX_XML_PART_BYTES:
            raise InputFileError(
                source, f"member {m.filename} is {m.file_size / 2**20:.0f} MB of XML (limit "
                        f"{MAX_XML_PART_BYTES / 2**20:.0f} MB); refused")


def _cell_text(tc: _Element) -> str:
    parts = []
    for p in tc.iter(f"{_W}p"):
        parts.append("".join(_run_texts(p)))
    return " ".join(s.strip() for s in parts if s.strip())


def _run_texts(p: _Element) -> Iterator[str]:
    """The text of a paragraph element: w:t, tabs and breaks, in order."""
    for el in p.iter(f"{_W}t", f"{_W}tab", f"{_W}br", f"{_W}cr"):
        if el.tag == f"{_W}t":
            yield el.text or ""
        elif el.tag == f"{_W}tab":
            yield "\t"
        else:
            yield "\n"


def _table_lines(tbl: _Element) -> list[str]:
    lines = []
    for tr in tbl.iterchildren(f"{_W}tr"):
        cells = []
        for tc in tr.iterchildren(f"{_W}tc"):
            v_merge = tc.find(f"{_W}tcPr/{_W}vMerge")
            if v_merge is not None and v_merge.get(f"{_W}val") in (None, "continue"):
                continue  # continues the cell above: printed once, on the first row
            cells.append(_cell_text(tc).replace("\t", " ").replace("\n", " "))
        if any(cells):
            lines.append("\t".join(cells))
    return lines


def _block_lines(parent: _Element, out: list[str]) -> None:
    for child in parent.iterchildren():
        if child.tag == f"{_W}p":
            out.append("".join(_run_texts(child)))
        elif child.tag == f"{_W}tbl":
            out.extend(_table_lines(child))
        elif child.tag == f"{_W}sdt":  # a content control around blocks
            content = child.find(f"{_W}sdtContent")
            if content is not None:
                _block_lines(content, out)
        elif child.tag == f"{_W}customXml":
            _block_lines(child, out)


def docx_text(data: bytes, *, source: str) -> str:
    """The text of a ``.docx``: one line per paragraph, one line per table row.

    Parameters
    ----------
    data : bytes
        The file's content.
    source : str
        The file name, for error messages.

    Returns
    -------
    str
        Paragraphs and table rows in document order, joined by line feeds; cells of a row
        joined by tabs.

    Raises
    ------
    InputFileError
        When the archive is damaged or truncated, is not a Word document, or declares
        sizes or compression ratios of a zip bomb.

    Examples
    --------
    >>> import docx, io
    >>> d = docx.Document(); _ = d.add_paragraph("一、总体要求")
    >>> t = d.add_table(rows=1, cols=2); t.cell(0, 0).text = "指标"; t.cell(0, 1).text = "5"
    >>> buf = io.BytesIO(); d.save(buf)
    >>> docx_text(buf.getvalue(), source="plan.docx").splitlines()
    ['一、总体要求', '指标\\t5']
    """
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, OSError, ValueError):
        raise InputFileError(source, "is not a readable .docx: the ZIP archive is damaged or "
                                     "truncated; save the document again and retry") from None
    with archive:
        _check_archive(archive, source)
        try:
            import docx

            document = docx.Document(io.BytesIO(data))
        except (zipfile.BadZipFile, zlib.error, EOFError, KeyError, ValueError, OSError) as exc:
            raise InputFileError(source, f"is not a readable .docx: the archive is damaged or "
                                         f"truncated ({type(exc).__name__}: {exc}); save the "
                                         "document again and retry") from None
        except Exception as exc:  # noqa: BLE001 - lxml and python-docx raise their own kinds
            raise InputFileError(source, f"is not a readable .docx ({type(exc).__name__}: "
                                         f"{exc}); save the document again and retry") from None
    lines: list[str] = []
    _block_lines(document.element.body, lines)
    return "\n".join(lines)
