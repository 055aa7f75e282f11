"""Session fixtures for the structure tests: every seed read and structured once."""

from __future__ import annotations

import re
import unicodedata
from functools import cache
from pathlib import Path

import pytest

from extract.model import PlanDocument
from extract.read import read
from extract.structure import structure

SAMPLE_TXT = Path(__file__).resolve().parents[2].parent / "shared" / "samples" / \
    "yunnan-10th-general-fyp.txt"
SAMPLE_PDF = SAMPLE_TXT.with_suffix(".pdf")

_QUOTES = re.compile(r"[\"'“”‘’「」『』〝〞《》〈〉]")
_TABLE = str.maketrans({"〔": "(", "〕": ")", "【": "(", "】": ")", "[": "(", "]": ")",
                        "‐": "-", "‑": "-", "‒": "-", "–": "-", "—": "-", "―": "-", "−": "-",
                        "・": "·", "•": "·", "‧": "·"})


def norm(s: str | None) -> str | None:
    """The gold README's string normalisation (NFKC, no whitespace, no quotes, one bracket
    style, one dash, lower case)."""
    if s is None:
        return None
    s = unicodedata.normalize("NFKC", s)
    s = re.sub(r"\s+", "", s)
    s = _QUOTES.sub("", s)
    return s.translate(_TABLE).lower()


@cache
def _structured(path: str) -> PlanDocument:
    # cached per process: each test module imports these fixtures, and an imported fixture
    # is a fixture of that module, so the cache (not the fixture scope) makes it once
    return structure(read(path))


@pytest.fixture(scope="session")
def plans(seed_paths: list[Path]) -> dict[str, PlanDocument]:
    """The five seeds, read and structured, keyed by file stem (``000_7e43…``)."""
    return {p.stem: _structured(str(p)) for p in seed_paths}


@pytest.fixture(scope="session")
def by_prefix(plans: dict[str, PlanDocument]) -> dict[str, PlanDocument]:
    """The same plans keyed by their three-digit prefix (``000`` … ``004``)."""
    return {k[:3]: v for k, v in plans.items()}


@pytest.fixture(scope="session")
def yunnan_txt() -> PlanDocument:
    assert SAMPLE_TXT.is_file(), f"{SAMPLE_TXT} is missing (../shared/samples/)"
    return _structured(str(SAMPLE_TXT))


@pytest.fixture(scope="session")
def yunnan_pdf() -> PlanDocument:
    assert SAMPLE_PDF.is_file(), f"{SAMPLE_PDF} is missing (../shared/samples/)"
    return _structured(str(SAMPLE_PDF))
