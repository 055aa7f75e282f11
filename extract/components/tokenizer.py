"""``policykg.CharTokenizer``: one token per character, whitespace runs as tokens (fast, exact)."""

from __future__ import annotations

import re
from collections.abc import Callable

from spacy.language import Language
from spacy.tokens import Doc
from spacy.util import registry
from spacy.vocab import Vocab

__all__ = ["CharTokenizer", "TOKEN", "create_char_tokenizer"]

#: A token: a run of whitespace, or any other single character.
TOKEN = re.compile(r"\s+|\S")


class CharTokenizer:
    """Split a text into characters, as spaCy's ``zh`` character segmenter does, but with
    one C-level regex scan instead of a Python alignment loop (about 4× faster on plans).

    Every non-space character is a token, so a span of characters is always a span of
    tokens and offsets stay exact; a run of whitespace is one token of its own.

    Examples
    --------
    >>> import spacy
    >>> cfg = {"nlp": {"tokenizer": {"@tokenizers": "policykg.CharTokenizer"}}}
    >>> nlp = spacy.blank("zh", config=cfg)
    >>> [t.text for t in nlp("实施“英才 2035”计划")][:6]
    ['实', '施', '“', '英', '才', ' ']
    """

    def __init__(self, vocab: Vocab) -> None:
        self.vocab = vocab

    def __call__(self, text: str) -> Doc:
        words = TOKEN.findall(text)
        return Doc(self.vocab, words=words, spaces=[False] * len(words))

    # spaCy serialises the tokenizer with the pipeline; this one has no state to save
    def to_bytes(self, **kwargs: object) -> bytes:
        return b""

    def from_bytes(self, data: bytes, **kwargs: object) -> CharTokenizer:
        return self

    def to_disk(self, path: object, **kwargs: object) -> None:
        return None

    def from_disk(self, path: object, **kwargs: object) -> CharTokenizer:
        return self


@registry.tokenizers("policykg.CharTokenizer")
def create_char_tokenizer() -> Callable[[Language], CharTokenizer]:
    """The registered factory: ``[nlp.tokenizer] @tokenizers = "policykg.CharTokenizer"``."""

    def make(nlp: Language) -> CharTokenizer:
        return CharTokenizer(nlp.vocab)

    return make
