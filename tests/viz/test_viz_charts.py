"""Static charts: Chinese labels drawn with a real Chinese font, deterministic files."""

from __future__ import annotations

import warnings
from pathlib import Path

import numpy as np
import pytest

from kg.errors import ConfigError
from viz import charts

ARTIFACTS = Path(__file__).resolve().parent.parent / "artifacts" / "viz"
LABEL = "高校毕业生"          # a target group every seed plan names
NO_GLYPH = "\U0010fffd"       # plane-16 private use: no font has a glyph for it
NO_GLYPH_2 = "\U0010fffc"


def _raster(text: str) -> np.ndarray:
    """The text alone, drawn as the charts draw it, as a grey-level array."""
    with charts.chart_style(), warnings.catch_warnings():
        warnings.simplefilter("ignore")  # the missing-glyph reference warns, on purpose
        fig = charts._figure(1.0, 1.0)
        fig.text(0.5, 0.5, text, ha="center", va="center", fontsize=48)
        fig.canvas.draw()
        rgba = np.asarray(fig.canvas.buffer_rgba())
    return rgba[..., :3].mean(axis=2)


def test_font_file_is_debian_noto_cjk() -> None:
    path = charts.cjk_font_path()
    assert Path(path).is_file(), path
    assert "NotoSansCJK" in Path(path).name, (
        f"{path}: expected Debian's {charts.CJK_FONT_PACKAGE}; run bash .ci/system-deps")


def test_chinese_label_glyphs_are_not_the_missing_glyph_box() -> None:
    fig = charts.similarity_heatmap([[1.0, 0.4], [0.4, 1.0]], [LABEL, "退役军人"])
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        fig.canvas.draw()
    missing = [str(w.message) for w in caught if "missing from" in str(w.message)]
    assert not missing, missing
    labels = [t for t in fig.axes[0].get_xticklabels() if t.get_text() == LABEL]
    assert labels, "the heatmap lost its Chinese tick label"
    from matplotlib import font_manager

    with charts.chart_style():
        used = font_manager.findfont(labels[0].get_fontproperties())
    assert Path(used).name == Path(charts.cjk_font_path()).name
    box = _raster(NO_GLYPH)
    # the reference really is "the box": two different missing characters draw the same
    assert np.array_equal(box, _raster(NO_GLYPH_2))
    assert box.min() < 250, "the missing-glyph reference drew nothing at all"
    for ch in LABEL:
        glyph = _raster(ch)
        assert not np.array_equal(glyph, box), f"{ch!r} is drawn as the missing-glyph box"
        assert glyph.min() < 128, f"{ch!r} drew no ink"
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    charts.save_figure(fig, ARTIFACTS / "heatmap-label")


def test_charts_are_deterministic_png_and_svg(tmp_path) -> None:
    fig = charts.theme_profile_chart({"a": {"就业创业": 0.6, "社会保险": 0.4},
                                      "b": {"就业创业": 0.2, "人才队伍": 0.8}},
                                     {"a": "甲市", "b": "乙市"})
    for fmt in ("png", "svg"):
        assert charts.figure_bytes(fig, fmt) == charts.figure_bytes(fig, fmt)
    svg = charts.figure_bytes(fig, "svg").decode()
    assert "<dc:date>" not in svg and "<text" not in svg  # text drawn as paths
    written = charts.save_figure(fig, tmp_path / "themes")
    assert [p.name for p in written] == ["themes.png", "themes.svg"]
    assert written[0].read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_indicator_chart_draws_every_panel() -> None:
    fig = charts.indicator_chart({
        "城镇新增就业人数（万人，年均）": [charts.IndicatorBar("甲市", 1.2, "[6]"),
                                       charts.IndicatorBar("乙市", 5.0, "50000")],
        "城镇登记失业率（%，年均）": [charts.IndicatorBar("甲市", 3.0, "3以内")]})
    assert len(fig.axes) == 2
    assert [t.get_text() for t in fig.axes[0].get_yticklabels()] == ["甲市", "乙市"]


def test_heatmap_rejects_a_matrix_of_the_wrong_shape() -> None:
    with pytest.raises(ValueError, match="does not match 3 labels"):
        charts.similarity_heatmap([[1.0, 0.0], [0.0, 1.0]], ["a", "b", "c"])


def test_missing_font_names_the_package(monkeypatch) -> None:
    from matplotlib import font_manager

    charts._registered_family.cache_clear()
    try:
        monkeypatch.delenv(charts.FONT_ENV, raising=False)
        monkeypatch.setattr(font_manager.fontManager, "ttflist", [])
        monkeypatch.setattr(charts, "_DEBIAN_FONT_FILES", ("/nonexistent/font.ttc",))
        monkeypatch.setattr(font_manager, "findSystemFonts", lambda *a, **k: [])
        with pytest.raises(ConfigError, match="fonts-noto-cjk"):
            charts.cjk_font_path()
        charts._registered_family.cache_clear()
        monkeypatch.setenv(charts.FONT_ENV, "/nonexistent/other.ttf")
        with pytest.raises(ConfigError, match="POLICYKG_CJK_FONT=/nonexistent/other.ttf"):
            charts.cjk_font_path()
    finally:
        monkeypatch.undo()
        charts._registered_family.cache_clear()
    assert "NotoSansCJK" in charts.cjk_font_path()
