"""Pictures of the graph: the offline pyvis browser, static charts and the comparison report.

Each module turns plain values (a networkx graph, a similarity matrix, a
``kg.analysis.Comparison``) into bytes: ``viz.graph`` an HTML page, ``viz.charts`` PNG and
SVG figures, ``viz.report`` a self-contained HTML report. Nothing here reads the store.
"""

from __future__ import annotations

__all__: list[str] = []
