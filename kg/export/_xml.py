"""Escaping for the XML formats (GraphML, GEXF): any label survives the round trip."""

from __future__ import annotations

import re

__all__ = ["text", "attr", "INVALID_XML"]

# Characters XML 1.0 cannot carry at all, even as references: C0 controls other than
# tab, LF and CR, lone surrogates and U+FFFE/U+FFFF. "a\x01b" → "a\ufffdb".
INVALID_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")

_TEXT = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", "\r": "&#13;"})
# In an attribute a parser turns raw tab, LF and CR into spaces: write them as references.
_ATTR = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;",
                       "\t": "&#9;", "\n": "&#10;", "\r": "&#13;"})


def text(value: str) -> str:
    """Escape ``value`` for element content.

    Examples
    --------
    >>> text('<script>"x" & y\\r')
    '&lt;script&gt;"x" &amp; y&#13;'
    """
    return INVALID_XML.sub("\ufffd", value).translate(_TEXT)


def attr(value: str) -> str:
    """Escape ``value`` for a double-quoted attribute, keeping newlines and tabs.

    Examples
    --------
    >>> attr('a "b"\\nc')
    'a &quot;b&quot;&#10;c'
    """
    return INVALID_XML.sub("\ufffd", value).translate(_ATTR)
