"""Session-wide fixtures: where the seeds, gold labels and shared test material are."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
CORPUS = ROOT / "data"
GOLD = SHARED / "gold"
SEEDS = sorted(CORPUS.glob("*.txt"))


def pytest_configure(config: pytest.Config) -> None:
    if not SHARED.is_dir():
        raise pytest.UsageError(
            f"{SHARED} is missing: the tests read the gold labels and the W3C suites from "
            "../shared/ beside the checkout")


@pytest.fixture(scope="session")
def seed_paths() -> list[Path]:
    """The five plans of the embedded corpus, in file-name order."""
    assert len(SEEDS) == 5, SEEDS
    return SEEDS


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    return SHARED


@pytest.fixture(scope="session")
def gold() -> dict[str, dict]:
    """Gold labels keyed by the seed's file stem (``000_7e436999a8e03779``)."""
    return {p.stem: json.loads(p.read_text(encoding="utf-8")) for p in sorted(GOLD.glob("*.json"))}
