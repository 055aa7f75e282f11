"""Small helpers shared by the HTML writers: escaping, JSON islands, atomic writes."""

from __future__ import annotations

import json
import os
import tempfile
from functools import cache
from pathlib import Path
from typing import Any

from markupsafe import Markup

from kg.errors import ConfigError, ExportError

__all__ = ["ASSETS", "asset_text", "json_island", "inline_code", "environment", "write_atomic",
           "vis_network_dir"]

ASSETS = Path(__file__).resolve().parent / "assets"


def asset_text(name: str) -> str:
    """The text of a file shipped in ``viz/assets``."""
    path = ASSETS / name
    try:
        return path.read_text(encoding="utf-8")
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read a viz asset ({exc.strerror}); reinstall "
                          "policykg") from None


def json_island(value: Any) -> Markup:
    """JSON safe to place inside ``<script type="application/json">``.

    ``<``, ``>`` and ``&`` become ``\\u003c`` … so no string in the data can close the
    script element or open a comment, whatever it contains.

    Examples
    --------
    >>> str(json_island({"a": "</script>"}))
    '{"a":"\\\\u003c/script\\\\u003e"}'
    """
    text = json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    text = (text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
            .replace("\u2028", "\\u2028").replace("\u2029", "\\u2029"))
    return Markup(text)


def inline_code(text: str) -> Markup:
    """A trusted script or stylesheet to inline; refuses one that could end its element."""
    lowered = text.lower()
    if "</script" in lowered or "</style" in lowered:
        raise ConfigError("an asset to inline contains '</script' or '</style'; it cannot be "
                          "inlined safely")
    return Markup(text)


@cache
def environment():
    """The Jinja environment of ``viz/assets``: autoescaping on for every template."""
    import jinja2

    env = jinja2.Environment(loader=jinja2.FileSystemLoader(str(ASSETS)),
                             autoescape=True, undefined=jinja2.StrictUndefined,
                             keep_trailing_newline=True, trim_blocks=True,
                             lstrip_blocks=True)
    return env


def vis_network_dir() -> Path:
    """The folder of the vis-network build that pyvis ships (JS and CSS)."""
    import pyvis

    root = Path(pyvis.__file__).resolve().parent
    for folder in (root / "templates" / "lib", root / "lib"):
        found = sorted(folder.glob("vis-*/vis-network.min.js"))
        if found:
            return found[-1].parent
    raise ConfigError(f"{root}: pyvis does not ship vis-network.min.js there; reinstall "
                      "pyvis (pip install 'pyvis>=0.3.2')")


def write_atomic(path: str | os.PathLike[str], data: str | bytes) -> Path:
    """Write ``data`` to ``path`` all-or-nothing (temp file in the same folder, then
    ``os.replace``); raises ``ExportError`` naming the path when it cannot."""
    target = Path(path)
    payload = data.encode("utf-8") if isinstance(data, str) else data
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", dir=target.parent)
        try:
            with os.fdopen(fd, "wb") as fh:
                fh.write(payload)
            os.chmod(tmp, 0o644)
            os.replace(tmp, target)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
    except OSError as exc:
        raise ExportError(f"{target}: cannot write ({exc.strerror or exc}); check the folder "
                          "exists and is writable") from None
    return target
