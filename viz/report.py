"""The comparison report: one self-contained HTML page (heatmap and bars in HTML/CSS, print
stylesheet), every claim linked to the sentence it came from; optionally a PDF through
headless Chromium.

The page carries no script at all, and its Content-Security-Policy forbids scripts and any
network request: whatever a plan's text contains, the report cannot run it. Every text goes
through Jinja's autoescaping; matplotlib charts, when embedded, are ``data:`` images, so an
SVG cannot inject markup either.
"""

from __future__ import annotations

import base64
import os
import shutil
import subprocess
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kg.errors import ConfigError, ExportError
from viz._html import asset_text, environment, inline_code, write_atomic

__all__ = ["SourceIndex", "report_context", "comparison_figures", "write_charts",
           "report_html", "write_report", "write_pdf"]

_TYPE_TITLES = {
    "Program": "项目 Programs",
    "TargetGroup": "目标群体 Target groups",
    "Theme": "主题 Themes (shared and divergent)",
    "PolicyDocument": "政策文件 Cited policies",
    "Institution": "机构 Institutions",
    "Event": "活动 Events",
    "Region": "地区 Regions",
    "Indicator": "指标 Indicators (shared and divergent)",
}
_SET_ORDER = ("Theme", "Program", "TargetGroup", "PolicyDocument", "Institution", "Event",
              "Indicator")
_COUNT_COLUMNS = (("Program", "项目"), ("TargetGroup", "目标群体"), ("PolicyDocument", "政策文件"),
                  ("Institution", "机构"))
_MAX_CHART_INDICATORS = 12


@dataclass
class SourceIndex:
    """Numbers every cited mention once (``src-1``, ``src-2`` … in plan and text order)."""

    plan_names: dict[str, str]
    _ids: dict[tuple[str, int, int], str] = field(default_factory=dict)
    _evidence: dict[str, Any] = field(default_factory=dict)

    def ref(self, ev: Any) -> str | None:
        """The anchor of a piece of evidence (``None`` when there is none)."""
        if ev is None:
            return None
        key = (ev.plan, ev.start, ev.end)
        if key not in self._ids:
            self._ids[key] = ""  # numbered in order at the end
            self._evidence[key] = ev
        return f"__src__{ev.plan}\x00{ev.start}\x00{ev.end}"

    def finish(self, plan_order: list[str]) -> tuple[dict[str, str], list[dict[str, Any]]]:
        rank = {p: i for i, p in enumerate(plan_order)}
        keys = sorted(self._evidence, key=lambda k: (rank.get(k[0], 1 << 30), k[1], k[2]))
        names = {}
        rows = []
        for n, key in enumerate(keys, 1):
            ev = self._evidence[key]
            anchor = f"src-{n}"
            names[f"__src__{key[0]}\x00{key[1]}\x00{key[2]}"] = anchor
            sentence = ev.sentence
            at = sentence.find(ev.snippet) if ev.snippet else -1
            if at < 0:
                before, mark, after = "", sentence, ""
            else:
                before, mark = sentence[:at], ev.snippet
                after = sentence[at + len(ev.snippet):]
            rows.append({"id": anchor, "plan": self.plan_names.get(ev.plan, ev.plan),
                         "section": ev.section, "start": ev.start, "end": ev.end,
                         "before": before, "mark": mark, "after": after})
        return names, rows


def _extremes(pairs: list[tuple[str, str, float]], short: dict[str, str]) -> dict[str, str]:
    """The most and the least alike pair of plans, as text (empty with fewer than 2 plans)."""
    if not pairs:
        return {}
    (a, b, hi), (c, d, lo) = pairs[0], pairs[-1]
    return {"most": f"{short[a]} – {short[b]} ({hi:.2f})",
            "least": f"{short[c]} – {short[d]} ({lo:.2f})"}


def _fmt(x: float | None, digits: int = 2) -> str:
    if x is None:
        return "—"
    if float(x).is_integer():
        return f"{int(x):,}"
    return f"{x:,.{digits}f}".rstrip("0").rstrip(".")


_BLUES = ((0.0, (247, 251, 255)), (0.5, (107, 174, 214)), (1.0, (8, 48, 107)))


def _blue(v: float) -> str:
    """The colour of a heatmap cell for a value in [0, 1] (white → dark blue)."""
    v = min(max(v, 0.0), 1.0)
    for (a, ca), (b, cb) in zip(_BLUES, _BLUES[1:]):
        if v <= b:
            t = (v - a) / (b - a)
            rgb = (round(x + (y - x) * t) for x, y in zip(ca, cb))
            return "#{:02x}{:02x}{:02x}".format(*rgb)
    return "#08306b"


def _data_uri(svg: bytes) -> str:
    return "data:image/svg+xml;base64," + base64.b64encode(svg).decode("ascii")


def report_context(comparison: Any, *, charts: bool = False) -> dict[str, Any]:
    """Everything the report template shows, as plain values (anchors resolved).

    The heatmap and the bars are drawn in HTML and CSS (text stays text: searchable,
    printable, escaped like the rest). ``charts=True`` embeds the matplotlib figures of
    :mod:`viz.charts` as well (SVG ``data:`` images; about a second more).

    Parameters
    ----------
    comparison : kg.analysis.Comparison
    charts : bool
        Also embed the matplotlib heatmap, theme and indicator charts.
    """
    f = comparison.facts
    short = {p.key: p.short for p in f.plans}
    order = list(f.plan_keys)
    index = SourceIndex(plan_names={p.key: p.title for p in f.plans})

    top_themes: dict[str, list[str]] = {}
    prof = comparison.themes_by_facts
    for p in order:
        row = prof.shares.get(p, {})
        top_themes[p] = [prof.labels[t] for t, v in sorted(row.items(), key=lambda kv: -kv[1])
                         if v > 0][:3]
    plans = []
    for p in f.plans:
        counts = [sum(1 for m in f.memberships if m.plan == p.key and f.items[m.item].type == t)
                  for t, _ in _COUNT_COLUMNS]
        counts.append(sum(1 for t in f.targets if t.plan == p.key))
        counts.append(sum(len(comparison.sets[t].divergent.get(p.key, ()))
                          for t, _ in _COUNT_COLUMNS if t in comparison.sets))
        plans.append({"key": p.key, "title": p.title, "short": p.short, "region": p.region or "—",
                      "level": p.admin_level or "—", "period": p.period or "—",
                      "counts": counts, "themes": top_themes[p.key]})

    facet_names = [("programs", "项目"), ("target-groups", "目标群体"), ("indicators", "指标"),
                   ("themes", "主题")]
    pairs = []
    for a, b, w in comparison.similarity.pairs():
        cells = []
        for facet, _ in facet_names:
            j = comparison.facet_similarity[("jaccard", facet)][(a, b)]
            c = comparison.facet_similarity[("cosine", facet)][(a, b)]
            cells.append(f"{j:.2f} / {c:.2f}")
        pairs.append({"a": short[a], "b": short[b], "overall": f"{w:.2f}", "facets": cells})

    sim = comparison.similarity
    heat = [{"label": short[p],
             "cells": [{"text": f"{v:.2f}", "bg": _blue(v), "fg": "#ffffff" if v > 0.55
                        else "#1d2733"} for v in sim.values[i]]}
            for i, p in enumerate(sim.plans)]

    text_prof = comparison.themes_by_text
    theme_sets = comparison.sets.get("Theme")
    theme_src: dict[tuple[str, str], Any] = {}
    if theme_sets is not None:
        for presence in (*theme_sets.shared,
                         *(x for v in theme_sets.divergent.values() for x in v)):
            for plan, ev in zip(presence.plans, presence.evidence):
                theme_src[(plan, presence.item.iri)] = ev
    for m in f.memberships:
        if f.items[m.item].type == "Theme":
            theme_src.setdefault((m.plan, m.item), m.evidence)
    theme_rows = []
    for t in prof.themes:
        cells = []
        for p in order:
            by_f = prof.shares.get(p, {}).get(t, 0.0)
            by_t = text_prof.shares.get(p, {}).get(t, 0.0)
            cells.append({"text": f"{100 * by_f:.0f}% / {100 * by_t:.0f}%",
                          "bar": round(100 * by_f, 1),
                          "src": index.ref(theme_src.get((p, t)))})
        theme_rows.append({"label": prof.labels[t], "cells": cells})

    def presence_rows(presences: Any) -> list[dict[str, Any]]:
        return [{"label": x.item.label,
                 "badges": [{"plan": short[p], "src": index.ref(ev)}
                            for p, ev in zip(x.plans, x.evidence)]} for x in presences]

    def divergent_rows(comp: Any) -> list[dict[str, Any]]:
        return [{"plan": short[p],
                 "entries": [{"label": x.item.label, "src": index.ref(x.evidence[0])}
                           for x in comp.divergent.get(p, ())]} for p in order]

    sets = []
    for kind in _SET_ORDER:
        comp = comparison.sets.get(kind)
        if comp is None:
            continue
        sets.append({"anchor": f"set-{kind.lower()}", "title": _TYPE_TITLES.get(kind, kind),
                     "shared": presence_rows(comp.shared), "divergent": divergent_rows(comp)})
    per_theme = [{"title": label, "shared": presence_rows(comp.shared),
                  "divergent": divergent_rows(comp)}
                 for label, comp in comparison.theme_sets.items()]

    indicators = []
    for ic in comparison.indicators:
        rows = []
        top = max((abs(r.annual) for r in ic.targets if r.comparable and r.annual is not None),
                  default=0.0) or 1.0
        for r in ic.targets:
            t = r.target
            change = "—"
            if r.change is not None:
                change = _fmt(r.change) + (" 个百分点" if (ic.unit or "").endswith("%") else "")
                if r.change_pct is not None:
                    change += f" ({r.change_pct:+.1f}%)"
            attribute = {"Expected": "预期性", "Binding": "约束性"}.get(t.attribute or "",
                                                                   t.attribute or "—")
            rows.append({"plan": short[t.plan], "src": index.ref(t.evidence),
                         "text": " ".join(x for x in (t.value_text or _fmt(t.value), t.unit or "")
                                          if x),
                         "cumulative": f"是 yes ({r.years} 年)" if t.cumulative else "否 no",
                         "annual": _fmt(r.annual), "total": _fmt(r.period_total),
                         "bar": round(100 * abs(r.annual) / top, 1)
                         if r.comparable and r.annual is not None else 0.0,
                         "baseline": _fmt(r.baseline) if r.baseline is not None
                         else (t.baseline_text or "—"),
                         "change": change, "attribute": attribute,
                         "authority": t.authority or "—"})
        indicators.append({"label": ic.indicator.label, "unit": ic.unit or "", "rows": rows})

    heatmap = theme_chart = indicator_chart = None
    if charts:
        from viz.charts import figure_bytes

        figures = comparison_figures(comparison)
        heatmap = _data_uri(figure_bytes(figures["similarity"], "svg"))
        if "themes" in figures:
            theme_chart = _data_uri(figure_bytes(figures["themes"], "svg"))
        if "indicators" in figures:
            indicator_chart = _data_uri(figure_bytes(figures["indicators"], "svg"))

    names, sources = index.finish(order)

    def resolve(value: Any) -> Any:
        if isinstance(value, str) and value.startswith("__src__"):
            return names[value]
        if isinstance(value, dict):
            return {k: resolve(v) for k, v in value.items()}
        if isinstance(value, list):
            return [resolve(v) for v in value]
        return value

    return resolve({
        "plans": plans,
        "count_columns": [{"label": label} for _, label in _COUNT_COLUMNS]
        + [{"label": "指标目标"}, {"label": "独有条目"}],
        "extremes": _extremes(comparison.similarity.pairs(), short),
        "facet_columns": [label for _, label in facet_names],
        "pairs": pairs, "heat": heat, "theme_rows": theme_rows, "sets": sets,
        "theme_sets": per_theme,
        "indicators": indicators, "k": comparison.k,
        "heatmap": heatmap, "theme_chart": theme_chart, "indicator_chart": indicator_chart,
    }) | {"sources": sources}


def comparison_figures(comparison: Any) -> dict[str, Any]:
    """The matplotlib figures of a comparison: ``similarity`` (heatmap), ``themes`` (theme
    profile by facts, when there are themes) and ``indicators`` (shared indicators per year,
    when there are some)."""
    from viz import charts as ch

    short = {p.key: p.short for p in comparison.facts.plans}
    sim = comparison.similarity
    figures = {"similarity": ch.similarity_heatmap(sim.values, [short[p] for p in sim.plans])}
    profile = comparison.themes_by_facts
    if profile.themes:
        figures["themes"] = ch.theme_profile_chart(profile.by_label(), short)
    shared = [ic for ic in comparison.indicators if len(ic.plans) >= 2]
    if shared:
        bars = {f"{ic.indicator.label}（{ic.unit or '—'}，年均）":
                [ch.IndicatorBar(plan=short[r.plan], value=r.annual,
                                 text=r.target.value_text or _fmt(r.target.value))
                 for r in ic.targets if r.comparable]
                for ic in shared[:_MAX_CHART_INDICATORS]}
        figures["indicators"] = ch.indicator_chart(bars)
    return figures


def write_charts(comparison: Any, folder: str | os.PathLike[str]) -> list[Path]:
    """Write :func:`comparison_figures` as ``<name>.png`` and ``<name>.svg`` into ``folder``."""
    from viz.charts import save_figure

    out: list[Path] = []
    for name, fig in comparison_figures(comparison).items():
        out += save_figure(fig, Path(folder) / name)
    return out


def report_html(comparison: Any, *, title: str | None = None, charts: bool = False) -> str:
    """The comparison report as one self-contained HTML page.

    Parameters
    ----------
    comparison : kg.analysis.Comparison
    title : str, optional
        Default ``规划对比报告 Plan comparison``.
    charts : bool
        Also embed the matplotlib charts (default: HTML heatmap and bars only).

    Returns
    -------
    str
        The same comparison gives the same bytes.
    """
    context = report_context(comparison, charts=charts)
    template = environment().get_template("report.html")
    return template.render(title=title or "规划对比报告 Plan comparison",
                           css=inline_code(asset_text("report.css")), **context)


def write_report(comparison: Any, path: str | os.PathLike[str], *, title: str | None = None,
                 charts: bool = False) -> Path:
    """Write :func:`report_html` to ``path`` atomically and return the path."""
    return write_atomic(path, report_html(comparison, title=title, charts=charts))


def _chromium() -> str:
    for name in ("chromium", "chromium-browser", "google-chrome"):
        found = shutil.which(name)
        if found:
            return found
    raise ConfigError("a PDF report needs headless Chromium: install Debian's chromium "
                      "(apt-get install chromium) or drop --pdf and print the HTML report")


def write_pdf(html_path: str | os.PathLike[str], pdf_path: str | os.PathLike[str], *,
              timeout: float = 120.0) -> Path:
    """Print an HTML report to PDF with headless Chromium (its print stylesheet applies).

    Raises
    ------
    ConfigError
        When Chromium is not installed.
    ExportError
        When Chromium fails or produces no PDF.
    """
    binary = _chromium()
    source = Path(html_path).resolve()
    target = Path(pdf_path)
    target.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="policykg-pdf-") as tmp:
        out = Path(tmp) / "report.pdf"
        cmd = [binary, "--headless", "--no-sandbox", "--disable-gpu", "--no-pdf-header-footer",
               f"--user-data-dir={tmp}/profile", f"--print-to-pdf={out}", source.as_uri()]
        try:
            proc = subprocess.run(cmd, capture_output=True, timeout=timeout, check=False)
        except subprocess.TimeoutExpired:
            raise ExportError(f"{target}: Chromium did not finish printing the report within "
                              f"{timeout:.0f} s") from None
        if proc.returncode != 0 or not out.is_file() or out.stat().st_size == 0:
            detail = proc.stderr.decode("utf-8", "replace").strip().splitlines()[-1:]
            raise ExportError(f"{target}: Chromium could not print {source} to PDF "
                              f"(exit {proc.returncode}{': ' + detail[0] if detail else ''})")
        return write_atomic(target, out.read_bytes())
