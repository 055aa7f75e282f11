"""The offline graph browser: a networkx graph as one self-contained vis-network page.

pyvis ships the vis-network build this page inlines, but its own template is not used:
every pyvis mode loads Bootstrap from a CDN, renders without autoescaping and shows a title
containing ``href`` through ``innerHTML``. Here the template autoescapes, the data travels
as a JSON island, every text reaches the page through ``textContent`` (tooltips are DOM
elements built from text), and a Content-Security-Policy forbids any network request and
lets only the two inlined scripts run (by their SHA-256), never an inline handler.
pyvis's ``Network`` is not used to assemble the data either: its ``add_edge`` scans every
edge already added, which is quadratic on the 2,000-node graphs this page must carry.
"""

from __future__ import annotations

import base64
import hashlib
import math
import os
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from viz._html import (asset_text, environment, inline_code, json_island, vis_network_dir,
                       write_atomic)

__all__ = ["TYPE_STYLE", "BIG_GRAPH", "Physics", "seed_layout", "graph_data", "graph_page",
           "write_graph_page"]

# type -> (label shown in the legend, fill colour, border colour)
TYPE_STYLE: dict[str, tuple[str, str, str]] = {
    "Plan": ("规划 Plan", "#1f3b73", "#0f1f3d"),
    "Program": ("项目 Program", "#e15759", "#a33b3d"),
    "PolicyDocument": ("政策文件 Policy", "#76b7b2", "#4f8a85"),
    "Policy": ("政策文件 Policy", "#76b7b2", "#4f8a85"),
    "Institution": ("机构 Institution", "#59a14f", "#3c7034"),
    "TargetGroup": ("目标群体 Target group", "#f28e2b", "#b5661a"),
    "Region": ("地区 Region", "#9c755f", "#6d5141"),
    "Theme": ("主题 Theme", "#b07aa1", "#7d5572"),
    "Indicator": ("指标 Indicator", "#4e79a7", "#35557a"),
    "Event": ("活动 Event", "#edc948", "#b39529"),
}
_FALLBACK = ("#bab0ac", "#8a817d")

# Above this many nodes the page switches to the settings that keep big graphs usable.
BIG_GRAPH = 300


@dataclass(frozen=True, slots=True)
class Physics:
    """Layout settings for vis-network.

    Attributes
    ----------
    solver : ``barnesHut`` (small graphs) or ``forceAtlas2Based`` (big ones).
    iterations : stabilisation iterations before the first draw; the layout then freezes
        (physics off) so dragging and zooming stay smooth. 0: no simulation at all, the
        nodes keep the positions :func:`seed_layout` gives them (the page's "physics"
        switch runs it on demand).
    improved_layout : vis-network's Kamada–Kawai seeding, quadratic: only for small graphs.
    """

    solver: str = "barnesHut"
    iterations: int = 200
    improved_layout: bool = True

    @classmethod
    def for_size(cls, n_nodes: int) -> Physics:
        """The settings this page uses for a graph of ``n_nodes`` nodes: a simulated layout
        up to :data:`BIG_GRAPH` nodes, the precomputed one above."""
        if n_nodes <= BIG_GRAPH:
            return cls()
        return cls(solver="forceAtlas2Based", iterations=0, improved_layout=False)

    def options(self, n_nodes: int) -> dict[str, Any]:
        big = n_nodes > BIG_GRAPH
        solver_opts: dict[str, Any]
        if self.solver == "forceAtlas2Based":
            solver_opts = {"gravitationalConstant": -60, "centralGravity": 0.01,
                           "springLength": 70, "springConstant": 0.08, "avoidOverlap": 0}
        else:
            solver_opts = {"gravitationalConstant": -9000, "springLength": 170,
                           "springConstant": 0.03, "avoidOverlap": 0.4}
        return {
            "autoResize": True,
            "layout": {"randomSeed": 7, "improvedLayout": self.improved_layout},
            "nodes": {"shape": "dot", "borderWidth": 1,
                      "font": {"size": 13, "face": "Noto Sans CJK SC, sans-serif"}},
            "edges": {"smooth": False, "color": {"color": "#c3ccd6", "highlight": "#34495e",
                                                  "inherit": False}},
            "interaction": {"hover": not big, "tooltipDelay": 150, "hideEdgesOnDrag": big,
                            "hideEdgesOnZoom": big, "navigationButtons": False},
            "physics": {"enabled": self.iterations > 0, "solver": self.solver,
                        self.solver: solver_opts,
                        "minVelocity": 1.0, "maxVelocity": 60,
                        "stabilization": {"enabled": True, "iterations": self.iterations,
                                          "updateInterval": max(self.iterations, 1),
                                          "fit": True}},
        }


_GOLDEN = math.pi * (3 - math.sqrt(5))


def seed_layout(graph: Any) -> dict[Any, tuple[float, float]]:
    """Deterministic positions in linear time, good enough to show a big graph at once.

    Anchors (the ``Plan`` nodes, else the ⌈√n⌉ nodes of highest degree) sit on a circle;
    every other node sits on a sunflower spiral around the mean position of the anchors it
    is linked to (an item of one plan beside that plan, an item of several between them);
    nodes linked to no anchor go on an outer ring.
    """
    nodes = sorted(graph.nodes, key=str)
    n = len(nodes)
    if n == 0:
        return {}
    anchors = [v for v in nodes if graph.nodes[v].get("type") == "Plan"]
    if not anchors:
        by_degree = sorted(nodes, key=lambda v: (-graph.degree(v), str(v)))
        anchors = sorted(by_degree[:max(1, math.isqrt(n - 1) + 1)], key=str)
    radius = 40.0 * math.sqrt(n)
    pos: dict[Any, tuple[float, float]] = {}
    for k, v in enumerate(anchors):
        a = 2 * math.pi * k / len(anchors)
        pos[v] = (radius * math.cos(a), radius * math.sin(a))
    anchor_set = set(anchors)
    groups: dict[tuple[Any, ...], list[Any]] = {}
    loose = []
    for v in nodes:
        if v in anchor_set:
            continue
        linked = tuple(sorted((u for u in graph[v] if u in anchor_set), key=str))
        if linked:
            groups.setdefault(linked, []).append(v)
        else:
            loose.append(v)
    for linked, members in groups.items():
        cx = sum(pos[u][0] for u in linked) / len(linked)
        cy = sum(pos[u][1] for u in linked) / len(linked)
        if len(linked) == 1:  # push an anchor's own items outwards, away from the centre
            cx, cy = cx * 1.12, cy * 1.12
        for k, v in enumerate(members, 1):
            r = 14.0 * math.sqrt(k)
            pos[v] = (cx + r * math.cos(k * _GOLDEN), cy + r * math.sin(k * _GOLDEN))
    for k, v in enumerate(loose):
        a = 2 * math.pi * k / max(1, len(loose))
        pos[v] = (1.35 * radius * math.cos(a), 1.35 * radius * math.sin(a))
    return {v: (round(x, 1), round(y, 1)) for v, (x, y) in pos.items()}


def _text(value: Any) -> str:
    return "" if value is None else str(value)


def graph_data(graph: Any, *, plans: Mapping[str, str] | None = None,
               physics: Physics | None = None) -> dict[str, Any]:
    """The JSON the page carries: nodes, edges, types, plans and vis-network options.

    Parameters
    ----------
    graph : networkx.Graph
        Node attributes read: ``label``, ``type``, ``plans`` (plan keys the node belongs
        to), ``snippet`` (the provenance sentence), ``source`` (plan · section · offsets),
        ``iri``. Edge attribute ``weight`` (default 1) sets the width.
    plans : mapping, optional
        Plan key → label for the plan filter; default ``graph.graph["plans"]`` or the keys.
    physics : Physics, optional
        Default ``Physics.for_size(number of nodes)``.

    Returns
    -------
    dict
        Deterministic: nodes sorted by id, edges by their endpoints.
    """
    ids = sorted(graph.nodes, key=str)
    index = {node: i for i, node in enumerate(ids)}
    phys = physics or Physics.for_size(len(ids))
    layout = seed_layout(graph) if phys.iterations == 0 else {}
    degree = dict(graph.degree())
    max_degree = max(degree.values(), default=0) or 1
    type_count: Counter[str] = Counter()
    seen_plans: set[str] = set()
    nodes = []
    for node in ids:
        attrs = graph.nodes[node]
        kind = _text(attrs.get("type")) or "Other"
        type_count[kind] += 1
        node_plans = sorted({_text(p) for p in attrs.get("plans") or ()})
        seen_plans.update(node_plans)
        d = degree.get(node, 0)
        row: dict[str, Any] = {
            "id": index[node],
            "iri": _text(attrs.get("iri") or node),
            "label": _text(attrs.get("label") or node),
            "type": kind,
            "plans": node_plans,
            "degree": d,
            "size": round(7 + 23 * math.sqrt(d / max_degree), 2),
            "snippet": _text(attrs.get("snippet")),
            "source": _text(attrs.get("source")),
        }
        if node in layout:
            row["x"], row["y"] = layout[node]
        nodes.append(row)
    edges = sorted(
        (min(index[u], index[v]), max(index[u], index[v]), float(w))
        for u, v, w in graph.edges(data="weight", default=1.0))
    max_w = max((w for *_, w in edges), default=1.0) or 1.0
    edge_rows = [{"from": u, "to": v, "width": round(1 + 3 * w / max_w, 2)}
                 for u, v, w in edges]
    plan_labels = dict(plans if plans is not None else graph.graph.get("plans") or {})
    plan_rows = [{"key": k, "label": _text(plan_labels.get(k) or k)}
                 for k in sorted(seen_plans | set(plan_labels))]
    order = list(TYPE_STYLE)
    types = []
    for name in sorted(type_count, key=lambda t: (order.index(t) if t in order else 99, t)):
        label, color, border = TYPE_STYLE.get(name, (name, *_FALLBACK))
        types.append({"name": name, "label": label, "color": color, "border": border,
                      "count": type_count[name]})
    return {"nodes": nodes, "edges": edge_rows, "plans": plan_rows, "types": types,
            "options": phys.options(len(nodes))}


def graph_page(graph: Any, *, title: str = "PolicyKG", plans: Mapping[str, str] | None = None,
               physics: Physics | None = None) -> str:
    """One self-contained HTML page showing ``graph`` (vis-network inlined, no network).

    Parameters
    ----------
    graph : networkx.Graph
        See :func:`graph_data` for the attributes read.
    title : str
        Page heading (escaped).
    plans, physics
        As in :func:`graph_data`.

    Returns
    -------
    str
        The page; the same graph gives the same bytes.

    Examples
    --------
    >>> import networkx as nx
    >>> g = nx.Graph()
    >>> g.add_node("p", label="<b>规划</b>", type="Plan", plans=["p"])
    >>> "<b>规划</b>" in graph_page(g)
    False
    """
    vis_dir = vis_network_dir()
    data = graph_data(graph, plans=plans, physics=physics)
    vis_js = (vis_dir / "vis-network.min.js").read_text(encoding="utf-8")
    page_js = asset_text("graph.js")
    template = environment().get_template("graph.html")
    return template.render(
        title=title,
        # only these two scripts may run: no inline handler, no injected <script>
        script_hashes=" ".join(_csp_hash(js) for js in (vis_js, page_js)),
        data=json_island(data),
        vis_css=inline_code((vis_dir / "vis-network.css").read_text(encoding="utf-8")),
        vis_js=inline_code(vis_js),
        page_css=inline_code(asset_text("graph.css")),
        page_js=inline_code(page_js),
    )


def _csp_hash(script: str) -> str:
    digest = hashlib.sha256(script.encode("utf-8")).digest()
    return f"'sha256-{base64.b64encode(digest).decode('ascii')}'"


def write_graph_page(graph: Any, path: str | os.PathLike[str], *, title: str = "PolicyKG",
                     plans: Mapping[str, str] | None = None,
                     physics: Physics | None = None) -> Path:
    """Write :func:`graph_page` to ``path`` atomically and return the path."""
    return write_atomic(path, graph_page(graph, title=title, plans=plans, physics=physics))


