"""The graph page as data and bytes (the browser tests are in test_viz_browser.py)."""

from __future__ import annotations

import json
import re

import networkx as nx
from compare_fixtures import XSS, mini_store

from kg.analysis import bipartite_graph, load_facts
from viz._html import json_island
from viz.graph import BIG_GRAPH, Physics, graph_data, graph_page, seed_layout


def _graph():
    return bipartite_graph(load_facts(mini_store()))


def test_nodes_carry_type_plans_degree_and_provenance() -> None:
    data = graph_data(_graph())
    by_label = {n["label"]: n for n in data["nodes"]}
    grads = by_label["高校毕业生"]
    assert grads["type"] == "TargetGroup"
    assert grads["plans"] == ["plan_a", "plan_b", "plan_xss"]
    assert grads["degree"] == 3
    assert grads["snippet"] == "实施青年启航计划，帮扶高校毕业生和退役军人就业。"
    assert grads["source"].startswith("甲市 · 第一章 就业创业 · ")
    # sized by degree: the item of three plans is bigger than an item of one
    assert grads["size"] > by_label["灵活就业人员"]["size"]
    assert {t["name"] for t in data["types"]} == {"Plan", "Program", "TargetGroup", "Theme",
                                                  "Indicator"}
    assert [p["key"] for p in data["plans"]] == ["plan_a", "plan_b", "plan_xss"]


def test_same_graph_same_bytes_and_nothing_loaded_from_outside() -> None:
    page = graph_page(_graph(), title="图谱")
    assert page == graph_page(_graph(), title="图谱")
    assert not re.search(r"<(script|link|img)[^>]+(src|href)=", page, re.I)
    assert "default-src 'none'" in page


def test_json_island_cannot_close_its_script() -> None:
    island = str(json_island({"label": XSS, "x": "&<!--"}))
    assert "<" not in island and ">" not in island and "&" not in island
    assert json.loads(island) == {"label": XSS, "x": "&<!--"}


def test_small_graphs_simulate_big_graphs_start_laid_out() -> None:
    assert Physics.for_size(BIG_GRAPH).iterations > 0
    assert Physics.for_size(BIG_GRAPH + 1).iterations == 0
    g = nx.path_graph(BIG_GRAPH + 50)
    nx.set_node_attributes(g, "Program", "type")
    data = graph_data(g)
    assert data["options"]["physics"]["enabled"] is False
    assert all("x" in n and "y" in n for n in data["nodes"])
    assert data["options"]["layout"]["improvedLayout"] is False


def test_seed_layout_is_deterministic_and_places_every_node() -> None:
    g = _graph()
    one, two = seed_layout(g), seed_layout(g)
    assert one == two and set(one) == set(g.nodes)
    plans = [v for v, d in g.nodes(data=True) if d["type"] == "Plan"]
    assert len({one[p] for p in plans}) == len(plans)  # anchors apart
    assert len(set(one.values())) == g.number_of_nodes()
