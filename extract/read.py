"""Read a plan file (.txt, .docx, .pdf, .html) into a normalised ``Document``.

The format is recognised from the file's content, never from its name, and so is the text
encoding of a plain-text file (UTF-8 with or without BOM, UTF-16/32 with BOM, GB18030/GBK
and other legacy encodings by detection). Every problem with the input raises
``kg.errors.InputFileError`` naming the file and what is wrong with it.
"""

from __future__ import annotations

import hashlib
import logging
import os
import re
from enum import StrEnum
from pathlib import Path

from extract.files import PLAN_SUFFIXES
from extract.model import Document
from extract.normalise import normalise
from kg.errors import InputFileError

__all__ = ["Format", "read", "read_bytes", "decode", "sniff_format", "MAX_FILE_BYTES",
           "PLAN_SUFFIXES"]

log = logging.getLogger(__name__)

MAX_FILE_BYTES = 20 * 1024 * 1024
"""Files larger than this (20 MB) are refused before they are read; ``max_bytes``
overrides it. A real plan is well under 1 MB of text."""



class Format(StrEnum):
    """The input formats PolicyKG reads."""

    TXT = "txt"
    DOCX = "docx"
    PDF = "pdf"
    HTML = "html"


_BOMS = (
    (b"\xef\xbb\xbf", "utf-8-sig"),
    (b"\xff\xfe\x00\x00", "utf-32"),
    (b"\x00\x00\xfe\xff", "utf-32"),
    (b"\xff\xfe", "utf-16"),
    (b"\xfe\xff", "utf-16"),
)
# Encodings a detector may name for Chinese text that GB18030 (their superset) decodes.
_GB_FAMILY = frozenset({"gb2312", "gbk", "gb18030", "hz", "cp936", "euc_cn", "euc-cn"})
# Bytes that do not occur in text: C0 controls other than \t \n \f \r and ESC.
_CONTROL_BYTES = re.compile(rb"[\x00-\x08\x0b\x0e-\x1a\x1c-\x1f]")
# sample: b"<!DOCTYPE html>", b"<?xml version='1.0'?><html", b"<!-- saved -->\n<html>"
_HTML_START = re.compile(
    rb"\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html|head|body)\b",
    re.IGNORECASE | re.DOTALL)
_CHINESE = re.compile("[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef\u2010-\u2027]")
_SIZE_LIMIT_NOTE = ("split it, or call extract.read.read with a larger max_bytes if it "
                    "really is one plan document")


def sniff_format(data: bytes, *, source: str) -> Format:
    """Recognise the format of a file from its first bytes.

    Parameters
    ----------
    data : bytes
        The file's content.
    source : str
        The file name, for error messages only.

    Returns
    -------
    Format

    Raises
    ------
    InputFileError
        For formats PolicyKG does not read (legacy ``.doc``, RTF, other archives, images).

    Examples
    --------
    >>> sniff_format(b"%PDF-1.7 ...", source="a.pdf")
    <Format.PDF: 'pdf'>
    >>> sniff_format("十四五规划".encode(), source="a.txt")
    <Format.TXT: 'txt'>
    """
    head = data[:1024]
    if head.startswith(b"PK\x03\x04"):
        return Format.DOCX
    if b"%PDF-" in head:
        return Format.PDF
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        raise InputFileError(source, "is a legacy Word .doc (or other OLE2) file, which "
                                     "PolicyKG does not read; save it as .docx and try again")
    if head.startswith(b"{\\rtf"):
        raise InputFileError(source, "is an RTF file, which PolicyKG does not read; save it "
                                     "as .docx or .txt and try again")
    for magic, kind in ((b"\x89PNG", "a PNG image"), (b"\xff\xd8\xff", "a JPEG image"),
                        (b"GIF8", "a GIF image"), (b"\x1f\x8b", "a gzip archive"),
                        (b"7z\xbc\xaf", "a 7-Zip archive"), (b"Rar!", "a RAR archive")):
        if head.startswith(magic):
            raise InputFileError(source, f"is {kind}, not a plan document; plan files are "
                                         ".txt, .docx, .pdf or .html")
    probe = head
    for bom, encoding in _BOMS:
        if head.startswith(bom):
            probe = head.decode(encoding, errors="ignore").encode("utf-8", errors="ignore")
            break
    if _HTML_START.match(probe):
        return Format.HTML
    return Format.TXT


def decode(data: bytes, *, source: str) -> tuple[str, str]:
    """Decode the bytes of a text file by detection, not by its name.

    A byte-order mark decides first (UTF-8, UTF-16, UTF-32); NUL bytes all on even or
    all on odd positions mean UTF-16 without a BOM; then strict UTF-8; then
    GB18030 (the superset of GB2312 and GBK) if it decodes the bytes into Chinese text (at
    least 90 % of the non-ASCII characters CJK); then a detector (charset-normalizer),
    where a GB2312/GBK answer is again decoded as GB18030.

    Parameters
    ----------
    data : bytes
        The file's content.
    source : str
        The file name, for error messages only.

    Returns
    -------
    text : str
        The decoded text (a BOM is not part of it).
    encoding : str
        The encoding used (``utf-8``, ``utf-8-sig``, ``utf-16``, ``gb18030`` …).

    Raises
    ------
    InputFileError
        When the bytes are binary data or no encoding decodes them.

    Examples
    --------
    >>> decode("人力资源".encode("gbk"), source="plan.txt")
    ('人力资源', 'gb18030')
    """
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(encoding), encoding
            except UnicodeDecodeError as exc:
                raise InputFileError(
                    source, f"starts with a {encoding} byte-order mark but is not valid "
                            f"{encoding} at byte {exc.start}; re-save it as UTF-8") from None
    sample = data[:65536]
    nuls = sample.count(b"\x00")
    if nuls and nuls >= len(sample) // 20 and len(sample) % 2 == 0:  # UTF-16, no BOM?
        even = sample[0::2].count(b"\x00")
        for encoding, on_parity in (("utf-16-le", nuls - even), ("utf-16-be", even)):
            if on_parity >= 0.95 * nuls:
                try:
                    return data.decode(encoding), encoding
                except UnicodeDecodeError:
                    pass
    if nuls or len(_CONTROL_BYTES.findall(sample)) > max(8, len(sample) // 100):
        raise InputFileError(source, "is a binary file, not a text document; plan files are "
                                     ".txt, .docx, .pdf or .html")
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:  # plans are Chinese: GB18030 text that reads as Chinese is taken as such
        text = data.decode("gb18030")
    except UnicodeDecodeError:
        pass
    else:
        non_ascii = len(text) - len(text.encode("ascii", "ignore"))
        if len(_CHINESE.findall(text)) >= 0.9 * non_ascii:
            return text, "gb18030"
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    candidates: list[str] = []
    if best is not None:
        name = best.encoding.lower()
        candidates.append("gb18030" if name in _GB_FAMILY else name)
    candidates.append("gb18030")
    for encoding in dict.fromkeys(candidates):
        try:
            return data.decode(encoding), encoding
        except (UnicodeDecodeError, LookupError):
            continue
    raise InputFileError(source, "is not text in any encoding PolicyKG recognises (tried "
                                 f"{', '.join(dict.fromkeys(candidates))}); re-save it as UTF-8")


def read_bytes(data: bytes, *, source: str, format: str | None = None) -> Document:
    """Read a plan document from bytes: decode or extract its text, then normalise it.

    Parameters
    ----------
    data : bytes
        The file's content.
    source : str
        Where it came from (a path or a name); recorded in the ``Document`` and named in
        errors.
    format : str, optional
        ``txt``, ``docx``, ``pdf`` or ``html``; recognised from the content when omitted.

    Returns
    -------
    Document

    Raises
    ------
    InputFileError
        The file is empty, binary, truncated, encrypted, a zip bomb, in a format PolicyKG
        does not read, or holds no text.

    Examples
    --------
    >>> doc = read_bytes("十四五 规划\\r\\n\\r\\n目标 60 万人。".encode("gbk"), source="p.txt")
    >>> doc.text, doc.encoding
    ('十四五规划\\n\\n目标60万人。', 'gb18030')
    """
    if not data or not data.strip(b" \t\r\n\x00\xef\xbb\xbf\xff\xfe"):
        raise InputFileError(source, "is empty; give a plan document with text in it")
    fmt = Format(format) if format is not None else sniff_format(data, source=source)
    warnings: list[str] = []
    if fmt is Format.TXT:
        original, encoding = decode(data, source=source)
    elif fmt is Format.DOCX:
        from extract.formats.docx import docx_text

        original, encoding = docx_text(data, source=source), "docx"
    elif fmt is Format.PDF:
        from extract.formats.pdf import pdf_text

        original, encoding = pdf_text(data, source=source, warnings=warnings), "pdf"
    else:
        from extract.formats.html import html_text

        original, encoding = html_text(data, source=source)
    text, offsets = normalise(original)
    if not text.strip():
        what = ("has no text layer (a scanned image?); run OCR on it first"
                if fmt is Format.PDF else "contains no text")
        raise InputFileError(source, what)
    log.debug("read %s: %s, %s, %d chars", source, fmt, encoding, len(text))
    return Document(text=text, source=source, sha256=hashlib.sha256(data).hexdigest(),
                    original=original, offsets=offsets, encoding=encoding, format=str(fmt),
                    warnings=tuple(warnings))


def read(path: str | os.PathLike[str], *, max_bytes: int = MAX_FILE_BYTES) -> Document:
    """Read a plan file into a normalised ``Document``.

    Parameters
    ----------
    path : str or path-like
        A ``.txt``, ``.docx``, ``.pdf`` or ``.html`` file (recognised by content).
    max_bytes : int, keyword-only
        Files larger than this are refused before reading (default 20 MB).

    Returns
    -------
    Document
        ``text`` is the normalised text, ``original`` the decoded text before
        normalisation, ``offsets`` maps the one to the other, ``sha256`` digests the raw
        bytes.

    Raises
    ------
    InputFileError
        The file is missing, a directory, too large, or unreadable (see ``read_bytes``).

    Examples
    --------
    >>> from kg.resources import corpus_dir
    >>> doc = read(corpus_dir() / "002_b5922f56b63f245e.txt")
    >>> doc.text.splitlines()[0]
    '苏府〔2011〕203号'
    """
    source = os.fspath(path)
    p = Path(source)
    try:
        size = p.stat().st_size
    except FileNotFoundError:
        raise InputFileError(source, "no such file") from None
    except OSError as exc:
        raise InputFileError(source, f"cannot be read ({exc.strerror or exc})") from None
    if p.is_dir():
        raise InputFileError(source, "is a directory; pass the plan files in it, or give the "
                                     "directory to `kg extract`")
    if size > max_bytes:
        raise InputFileError(source, f"is {size / 2**20:.1f} MB, larger than the "
                                     f"{max_bytes / 2**20:.0f} MB limit; {_SIZE_LIMIT_NOTE}")
    try:
        data = p.read_bytes()
    except OSError as exc:
        raise InputFileError(source, f"cannot be read ({exc.strerror or exc})") from None
    return read_bytes(data, source=source)
