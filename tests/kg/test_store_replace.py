"""GraphStore: replacing a named graph keeps every literal exactly, touches no other graph."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest

from kg.store import GraphStore

NASTY = 'Q "双引号" \\ 反斜杠\n换行\t制表 <script> 😀 & \'单\' \r \x00 \u2028'


def _q(s: str, o: ox.Literal | ox.NamedNode, g: str) -> ox.Quad:
    return ox.Quad(ox.NamedNode(s), ox.NamedNode("urn:p"), o, ox.NamedNode(g))


def test_replace_graph_round_trips_literals_and_spares_other_graphs(tmp_path: Path) -> None:
    with GraphStore(tmp_path / "s") as gs:
        gs.replace_graph("urn:other", [_q("urn:x", ox.Literal("留着"), "urn:other")])
        gs.replace_graph("urn:g", [_q("urn:a", ox.Literal("旧"), "urn:g")])
        new = [_q("urn:b", ox.Literal(NASTY, language="zh"), "urn:g"),
               _q("urn:b", ox.Literal(NASTY), "urn:g"),
               _q("urn:b", ox.Literal("1.50", datatype=ox.NamedNode(
                   "http://www.w3.org/2001/XMLSchema#decimal")), "urn:g")]
        gs.replace_graph("urn:g", new)  # an existing graph: DROP + INSERT DATA, one update
        got = sorted(map(str, gs.graph_quads("urn:g")))
        assert got == sorted([*map(str, new[:2]),
                              '<urn:b> <urn:p> "1.5"^^<http://www.w3.org/2001/XMLSchema#decimal>'
                              ' <urn:g>'])
        # a new graph (Store.extend, not an update) holds the same canonical form, so a
        # graph's bytes do not depend on whether it is written first or replaced
        gs.replace_graph("urn:h", [_q("urn:b", new[2].object, "urn:h")])
        assert [q.object.value for q in gs.graph_quads("urn:h")] == ["1.5"]
        assert [q.object.value for q in gs.graph_quads("urn:other")] == ["留着"]


def test_also_drop_and_drop_graphs(tmp_path: Path) -> None:
    with GraphStore(tmp_path / "s") as gs:
        gs.replace_graph("urn:old-base", [_q("urn:a", ox.Literal("a"), "urn:old-base")])
        gs.replace_graph("urn:new-base", [_q("urn:a", ox.Literal("a"), "urn:new-base")],
                         also_drop=["urn:old-base"])
        assert sorted(g.value for g in gs.ox.named_graphs()) == ["urn:new-base"]
        gs.drop_graphs(["urn:new-base"])
        assert list(gs.ox.named_graphs()) == []


def test_quads_of_another_graph_are_refused(tmp_path: Path) -> None:
    with GraphStore(tmp_path / "s") as gs, pytest.raises(ValueError, match="not in graph"):
        gs.replace_graph("urn:g", [_q("urn:a", ox.Literal("a"), "urn:h")])


def test_graph_writer_writes_in_order_and_reports_each_graph(tmp_path: Path) -> None:
    from kg.store import GraphWriter

    with GraphStore(tmp_path / "s") as gs:
        with GraphWriter(gs) as writer:
            for i in range(5):
                writer.submit(f"k{i}", f"urn:g{i}", [_q(f"urn:s{i}", ox.Literal(str(i)),
                                                        f"urn:g{i}")])
        assert writer.finished() == [f"k{i}" for i in range(5)]
        assert sorted(g.value for g in gs.ox.named_graphs()) == [f"urn:g{i}" for i in range(5)]
        # an existing graph is replaced (DROP + INSERT), not added to
        with GraphWriter(gs) as writer:
            writer.submit("again", "urn:g0", [_q("urn:t", ox.Literal("新"), "urn:g0")])
        assert [q.object.value for q in gs.graph_quads("urn:g0")] == ["新"]


def test_graph_writer_failure_is_raised_and_stops_later_writes(tmp_path: Path) -> None:
    from kg.store import GraphWriter

    with GraphStore(tmp_path / "s") as gs:
        writer = GraphWriter(gs)
        writer.submit("ok", "urn:a", [_q("urn:x", ox.Literal("a"), "urn:a")])
        writer.submit("bad", "urn:b", [_q("urn:x", ox.Literal("b"), "urn:elsewhere")])
        with pytest.raises(ValueError, match="not in graph"):
            # raised by a later submit or by close, whichever comes first
            writer.submit("after", "urn:c", [_q("urn:x", ox.Literal("c"), "urn:c")])
            writer.close()
        writer.close()
        assert writer.finished() == ["ok"]
        assert sorted(g.value for g in gs.ox.named_graphs()) == ["urn:a"]


def test_graph_writer_leaves_no_write_running_when_the_caller_fails(tmp_path: Path) -> None:
    from kg.store import GraphWriter

    with GraphStore(tmp_path / "s") as gs:
        big = [_q(f"urn:s{i}", ox.Literal("值" * 50), "urn:big") for i in range(20_000)]
        with pytest.raises(KeyError):
            with GraphWriter(gs) as writer:
                writer.submit("big", "urn:big", big)
                raise KeyError("the build failed while the graph was being written")
        # the with block waited: the graph is there, whole
        assert not writer._thread.is_alive()
        assert len(gs.graph_quads("urn:big")) == 20_000
