"""The browsing UI of ``kg serve``."""

from __future__ import annotations

from typing import Any

__all__ = ["routes"]


def routes(backend: Any) -> list[Any]:
    """The UI's routes."""
    return []
