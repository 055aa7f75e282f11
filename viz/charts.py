"""Static charts (PNG and SVG) with Chinese labels: similarity heatmap, theme profiles,
indicator targets side by side.

Chinese text is drawn with Debian's ``fonts-noto-cjk`` (Noto Sans CJK SC), registered with
matplotlib's font manager on first use; when no Chinese font can be found the charts refuse
to draw (``ConfigError`` naming the package) rather than print rows of empty boxes.
Figures are built with the object API on the Agg canvas (no pyplot state), and saved
without dates or software stamps, so the same values give the same bytes.
"""

from __future__ import annotations

import io
import logging
import math
import os
from collections.abc import Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any, Iterator

from kg.errors import ConfigError
from viz._html import write_atomic

__all__ = [
    "CJK_FONT_PACKAGE",
    "CJK_FAMILY",
    "IndicatorBar",
    "cjk_font_path",
    "chart_style",
    "similarity_heatmap",
    "theme_profile_chart",
    "indicator_chart",
    "figure_bytes",
    "save_figure",
]

log = logging.getLogger(__name__)

CJK_FONT_PACKAGE = "fonts-noto-cjk"
CJK_FAMILY = "Noto Sans CJK SC"
FONT_ENV = "POLICYKG_CJK_FONT"  # path of another Chinese font file, if the user has one
_DEBIAN_FONT_FILES = (
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/opentype/noto/NotoSansCJKsc-Regular.otf",
    "/usr/share/fonts/truetype/noto/NotoSansCJK-Regular.ttc",
)
_PALETTE = ("#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f", "#edc948", "#b07aa1",
            "#ff9da7", "#9c755f", "#bab0ac")


@cache
def _registered_family() -> tuple[str, str]:
    from matplotlib import font_manager

    override = os.environ.get(FONT_ENV)
    if override:
        if not Path(override).is_file():
            raise ConfigError(f"{FONT_ENV}={override}: no such font file; unset it or point "
                              "it at a .ttf/.otf/.ttc Chinese font")
        font_manager.fontManager.addfont(override)
        name = font_manager.FontProperties(fname=override).get_name()
        return name, override
    for entry in font_manager.fontManager.ttflist:
        if entry.name == CJK_FAMILY:
            return CJK_FAMILY, entry.fname
    for path in _DEBIAN_FONT_FILES:
        if Path(path).is_file():
            font_manager.fontManager.addfont(path)
            for entry in font_manager.fontManager.ttflist:
                if entry.name == CJK_FAMILY:
                    return CJK_FAMILY, entry.fname
            return font_manager.FontProperties(fname=path).get_name(), path
    for path in font_manager.findSystemFonts():
        if "NotoSansCJK" in Path(path).name or "NotoSansSC" in Path(path).name:
            font_manager.fontManager.addfont(path)
            return font_manager.FontProperties(fname=path).get_name(), path
    raise ConfigError(
        f"no Chinese font found for the charts: install Debian's {CJK_FONT_PACKAGE} "
        f"(apt-get install {CJK_FONT_PACKAGE}) or set {FONT_ENV} to a Chinese font file; "
        "without one every Chinese label would be drawn as empty boxes")


def cjk_font_path() -> str:
    """The file of the Chinese font the charts use (registered with matplotlib).

    Raises
    ------
    ConfigError
        When neither ``$POLICYKG_CJK_FONT`` nor Debian's ``fonts-noto-cjk`` is there.
    """
    return _registered_family()[1]


@contextmanager
def chart_style() -> Iterator[None]:
    """matplotlib settings for every chart: the Chinese font first, deterministic output."""
    import matplotlib

    family, _ = _registered_family()
    with matplotlib.rc_context({
        # concrete names, not the generic "sans-serif": a text keeps them, so the figure
        # draws with the Chinese font even outside this context
        "font.family": [family, "DejaVu Sans"],
        "axes.unicode_minus": False,
        "svg.fonttype": "path",
        "svg.hashsalt": "policykg",
        "figure.dpi": 100,
        "savefig.dpi": 150,
        "axes.spines.top": False,
        "axes.spines.right": False,
    }):
        yield


def _figure(width: float, height: float) -> Any:
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    fig = Figure(figsize=(width, height), layout="constrained")
    FigureCanvasAgg(fig)
    return fig


def similarity_heatmap(matrix: Sequence[Sequence[float]], labels: Sequence[str], *,
                       title: str = "规划相似度 Plan similarity") -> Any:
    """A heatmap of a square similarity matrix, cells annotated when there are few.

    Parameters
    ----------
    matrix : n × n numbers in [0, 1]
    labels : n plan labels (Chinese text welcome)
    title : str

    Returns
    -------
    matplotlib.figure.Figure

    Examples
    --------
    >>> fig = similarity_heatmap([[1, .5], [.5, 1]], ["甲", "乙"])
    >>> len(fig.axes)
    2
    """
    import numpy as np

    values = np.asarray(matrix, dtype=float)
    n = len(labels)
    if values.shape != (n, n):
        raise ValueError(f"matrix shape {values.shape} does not match {n} labels")
    with chart_style():
        side = min(3.0 + 0.55 * n, 40.0)
        fig = _figure(side + 1.8, side)
        ax = fig.add_subplot()
        image = ax.imshow(values, cmap="Blues", vmin=0.0, vmax=1.0)
        ax.set_xticks(range(n), labels=list(labels), rotation=45, ha="right",
                      rotation_mode="anchor", fontsize=9 if n < 25 else 6)
        ax.set_yticks(range(n), labels=list(labels), fontsize=9 if n < 25 else 6)
        if n <= 15:
            for i in range(n):
                for j in range(n):
                    v = values[i, j]
                    ax.text(j, i, f"{v:.2f}", ha="center", va="center", fontsize=8,
                            color="white" if v > 0.6 else "#1d2733")
        ax.set_title(title)
        fig.colorbar(image, ax=ax, shrink=0.8)
    return fig


def theme_profile_chart(profile: Mapping[str, Mapping[str, float]],
                        plan_labels: Mapping[str, str] | None = None, *,
                        title: str = "主题分布 Theme profile", unit: str = "%") -> Any:
    """Grouped horizontal bars: one group per theme, one bar per plan.

    Parameters
    ----------
    profile : plan key → theme label → share in [0, 1]
    plan_labels : plan key → label for the legend (default the key)
    title, unit : str

    Returns
    -------
    matplotlib.figure.Figure
    """
    plans = sorted(profile)
    themes = sorted({t for row in profile.values() for t in row})
    labels = plan_labels or {}
    with chart_style():
        fig = _figure(9.0, max(2.5, 0.32 * len(themes) * max(1, len(plans)) / 2 + 1.5))
        ax = fig.add_subplot()
        height = 0.8 / max(1, len(plans))
        for k, plan in enumerate(plans):
            ys = [i + (k - (len(plans) - 1) / 2) * height for i in range(len(themes))]
            xs = [100.0 * profile[plan].get(t, 0.0) for t in themes]
            ax.barh(ys, xs, height=height, color=_PALETTE[k % len(_PALETTE)],
                    label=labels.get(plan, plan))
        ax.set_yticks(range(len(themes)), labels=themes)
        ax.invert_yaxis()
        ax.set_xlabel(f"份额 share ({unit})")
        ax.set_title(title)
        if plans:
            ax.legend(fontsize=8, loc="lower right")
    return fig


@dataclass(frozen=True, slots=True)
class IndicatorBar:
    """One plan's bar in the indicator chart: normalised value and the text as printed."""

    plan: str
    value: float | None
    text: str


def indicator_chart(indicators: Mapping[str, Sequence[IndicatorBar]], *,
                    title: str = "指标目标对比 Indicator targets") -> Any:
    """Small multiples: one panel per indicator, one bar per plan (values as normalised by
    ``kg.analysis``, the printed target as the bar's label).

    Parameters
    ----------
    indicators : indicator label (with its normalised unit) → bars
    title : str

    Returns
    -------
    matplotlib.figure.Figure
    """
    names = list(indicators)
    cols = 2 if len(names) > 1 else 1
    rows = max(1, math.ceil(len(names) / cols))
    with chart_style():
        fig = _figure(5.2 * cols, 0.6 + rows * (0.45 * max((len(v) for v in indicators.values()),
                                                             default=1) + 0.9))
        for k, name in enumerate(names):
            ax = fig.add_subplot(rows, cols, k + 1)
            bars = list(indicators[name])
            ys = range(len(bars))
            values = [b.value if b.value is not None else 0.0 for b in bars]
            ax.barh(list(ys), values, color=[_PALETTE[i % len(_PALETTE)] for i in ys])
            ax.set_yticks(list(ys), labels=[b.plan for b in bars], fontsize=8)
            ax.invert_yaxis()
            for y, b, v in zip(ys, bars, values):
                ax.annotate(b.text, (v, y), xytext=(3, 0), textcoords="offset points",
                            va="center", fontsize=7)
            ax.set_title(name, fontsize=9)
            ax.margins(x=0.35)
        fig.suptitle(title)
    return fig


def figure_bytes(fig: Any, fmt: str) -> bytes:
    """The figure as ``png`` or ``svg`` bytes, without dates or software stamps."""
    if fmt not in ("png", "svg"):
        raise ValueError(f"unknown chart format {fmt!r}; expected png or svg")
    metadata: dict[str, Any] = ({"Software": None} if fmt == "png"
                                else {"Date": None, "Creator": None})
    buffer = io.BytesIO()
    with chart_style():
        fig.savefig(buffer, format=fmt, metadata=metadata)
    return buffer.getvalue()


def save_figure(fig: Any, stem: str | os.PathLike[str], *,
                formats: Sequence[str] = ("png", "svg")) -> list[Path]:
    """Write ``stem.png`` and ``stem.svg`` atomically; return the paths written."""
    base = Path(stem)
    return [write_atomic(base.with_name(f"{base.name}.{fmt}"), figure_bytes(fig, fmt))
            for fmt in formats]
