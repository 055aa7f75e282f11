"""The IRIs of a store's nodes and graphs: slugs, short hashes, node kinds.

Kept apart from :mod:`kg.rdf` (which turns records into quads) because a rebuild with
nothing changed needs only these names, not the RDF generation or the resolver.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from enum import StrEnum
from functools import lru_cache
from typing import TYPE_CHECKING

from kg.errors import ConfigError
from kg.vocab import DEFAULT_BASE

if TYPE_CHECKING:
    from kg.resolve import Resolution

__all__ = ["Kind", "slug", "short_hash", "plan_slug", "Iris"]

# ASCII runs kept in slugs: "12345", "PK"
_SLUG_JUNK = re.compile(r"[^a-z0-9]+")
_SAFE_ID = re.compile(r"^[a-z0-9][a-z0-9_-]*$")


class Kind(StrEnum):
    """Kinds of canonical nodes; the value is the IRI path segment."""

    PROGRAM = "program"
    EVENT = "event"
    INSTITUTION = "institution"
    POLICY = "policy"
    TARGET_GROUP = "target-group"
    THEME = "theme"
    REGION = "region"
    INDICATOR = "indicator"


@lru_cache(maxsize=65536)
def slug(text: str, *, max_len: int = 40) -> str:
    """A readable ASCII slug: pinyin of Chinese characters (run together), ASCII letters and
    digits lower-cased, anything else ``-``; at most ``max_len`` characters.

    Examples
    --------
    >>> slug("“银发人才”回流计划")
    'yinfarencai-huiliujihua'
    >>> slug("12345 热线")
    '12345-rexian'
    """
    from pypinyin import Style, lazy_pinyin

    text = unicodedata.normalize("NFKC", text).lower()
    parts = lazy_pinyin(text, style=Style.NORMAL, errors=lambda s: s)
    out = _SLUG_JUNK.sub("-", "".join(parts)).strip("-")
    return out[:max_len].rstrip("-") or "x"


def short_hash(key: str) -> str:
    """First 8 hex digits of the SHA-256 of ``key`` (UTF-8).

    Examples
    --------
    >>> short_hash("abc")
    'ba7816bf'
    """
    return hashlib.sha256(key.encode("utf-8")).hexdigest()[:8]


def plan_slug(doc_id: str) -> str:
    """The slug of a plan: its doc_id when that is already ``[a-z0-9_-]``, else slug + hash.

    Examples
    --------
    >>> plan_slug("000_7e436999a8e03779")
    '000_7e436999a8e03779'
    >>> plan_slug("徐州规划")
    'xuzhouguihua-78cf479a'
    """
    if _SAFE_ID.match(doc_id) and len(doc_id) <= 80:
        return doc_id
    return f"{slug(doc_id)}-{short_hash(doc_id)}"


class Iris:
    """The IRIs of one store under one base IRI (docs/graph-model.md, "IRIs").

    Examples
    --------
    >>> Iris().plan("000_x")
    'https://policykg.org/plan/000_x'
    """

    __slots__ = ("base",)

    def __init__(self, base: str = DEFAULT_BASE) -> None:
        if not re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]*://[^\s<>\"{}|\\^`]*[/#]$", base):
            raise ConfigError(f"base IRI {base!r} is not an absolute IRI ending in '/' or '#'; "
                              "give e.g. --base https://example.org/policykg/")
        self.base = base

    def plan(self, pslug: str) -> str:
        return f"{self.base}plan/{pslug}"

    def plan_graph(self, pslug: str) -> str:
        return f"{self.base}graph/plan/{pslug}"

    def graph(self, name: str) -> str:
        return f"{self.base}graph/{name}"

    def node(self, kind: Kind | str, key: str, name: str) -> str:
        """A canonical node: ``{base}{kind}/{slug(name)}-{hash(key)}``."""
        return f"{self.base}{kind}/{slug(name)}-{short_hash(f'{kind}|{key}')}"

    def region(self, code: str | None, key: str, name: str) -> str:
        if code:
            return f"{self.base}region/{code}-{slug(name)}"
        return self.node(Kind.REGION, key, name)

    def resolved(self, r: Resolution) -> str:
        if r.kind is Kind.REGION:
            return self.region(r.code, r.key, r.label or r.name)
        return self.node(r.kind, r.key, r.key if r.kind is Kind.INSTITUTION else
                         (r.label or r.key))
