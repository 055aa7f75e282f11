"""kg.query on one-line inputs: tokenizer, SERVICE/UPDATE refusal, VALUES binding, errors, CLI."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pyoxigraph as ox
import pytest

from kg.errors import QueryError
from kg.query import (ParamKind, bind_params, check_read_only, find_query, load_library,
                      make_term, param_pairs, parse_header, query_form, remote_services,
                      result_table, run_query, serialize_result, syntax_error, tokenize)

W3C = Path(__file__).resolve().parents[3] / "shared" / "w3c" / "sparql" / "sparql11"
EX = "http://example.org/"


def test_keywords_inside_strings_iris_names_and_comments_are_not_keywords() -> None:
    text = ('PREFIX SERVICE: <http://e/SERVICE> SELECT ?SERVICE WHERE { '
            '?x SERVICE:SERVICE "SERVICE" ; <http://e/p> """a\nSERVICE""" ; '
            "<http://e/q> 'SERVICE'@en } # SERVICE <http://nowhere/>")
    assert remote_services(text) == []
    assert [t.kind for t in tokenize('?s ex:p "x"@zh-Hans .')] == \
        ["var", "pname", "string", "langtag", "punct"]


def test_every_w3c_federated_query_is_detected() -> None:
    paths = sorted((W3C / "service").glob("*.rq")) + sorted((W3C / "syntax-fed").glob("*.rq"))
    assert len(paths) == 10
    for path in paths:
        text = path.read_text(encoding="utf-8")
        assert remote_services(text), path.name
        with pytest.raises(QueryError, match="SERVICE .* is refused"):
            check_read_only(text, name=path.name)


def test_service_written_with_a_unicode_escape_is_detected() -> None:
    assert remote_services("SELECT * { \\u0053ERVICE <http://e/> { ?s ?p ?o } }") == \
        ["<http://e/>"]


@pytest.mark.parametrize("update", ["LOAD <http://e/x.ttl>", "CLEAR ALL",
                                    "PREFIX e: <http://e/> INSERT DATA { e:a e:b e:c }",
                                    "DROP GRAPH <http://e/g>", "WITH <http://e/g> DELETE "
                                    "{ ?s ?p ?o } WHERE { ?s ?p ?o }"])
def test_updates_are_refused(update: str) -> None:
    with pytest.raises(QueryError, match="read-only"):
        check_read_only(update)


def test_query_form() -> None:
    assert query_form("BASE <http://e/> PREFIX a: <http://a/> ask {}") == "ASK"
    assert query_form("# c\nDESCRIBE <http://e/>") == "DESCRIBE"


def _store() -> ox.Store:
    store = ox.Store()
    g = ox.NamedNode(EX + "g")
    for name, iri in (("马兰花计划", "a"), ('引号"与}括号', "b")):
        store.add(ox.Quad(ox.NamedNode(EX + iri), ox.NamedNode(EX + "label"),
                          ox.Literal(name, language="zh"), g))
    return store


def test_values_binding_cannot_break_out_of_the_query() -> None:
    store = _store()
    hostile = '"@zh } } ; DROP ALL ; SELECT * WHERE { ?s ?p ?o #'
    q = "SELECT ?s WHERE { GRAPH ?g { ?s <http://example.org/label> ?name } }"
    text = bind_params(q, {"name": [make_term(hostile, ParamKind.ZH)]})
    assert query_form(text) == "SELECT" and remote_services(text) == []
    assert list(store.query(text)) == []  # no label equals the hostile string
    text = bind_params(q, {"name": [make_term('引号"与}括号', ParamKind.ZH)]})
    assert [r["s"].value for r in store.query(text)] == [EX + "b"]


def test_values_go_into_the_where_group_even_after_a_construct_template() -> None:
    q = "CONSTRUCT { ?s <http://e/p> ?o } WHERE { ?s ?p ?o }"
    bound = bind_params(q, {"o": [ox.Literal("x")]})
    assert bound.index("VALUES ?o") > bound.index("WHERE")
    with pytest.raises(QueryError, match="short form"):
        bind_params("CONSTRUCT WHERE { ?s ?p ?o }", {"o": [ox.Literal("x")]})


@pytest.mark.parametrize("value,kind", [("not an iri", ParamKind.IRI),
                                        ("http://e/<x>", ParamKind.IRI),
                                        ("12a", ParamKind.INTEGER),
                                        ("NaN", ParamKind.DECIMAL)])
def test_bad_parameter_values_are_refused(value: str, kind: ParamKind) -> None:
    with pytest.raises(QueryError, match="not a valid"):
        make_term(value, kind, name="p")


def test_several_values_make_several_rows() -> None:
    store = _store()
    result = run_query(store, "SELECT ?s WHERE { GRAPH ?g { ?s ?p ?label } } ORDER BY ?s",
                       params={"s": [EX + "a", EX + "b"]})
    assert [r["s"].value for r in result] == [EX + "a", EX + "b"]
    assert param_pairs(["a=1", "a=2=3"]) == {"a": ["1", "2=3"]}


def test_syntax_error_points_at_line_and_column() -> None:
    text = "SELECT ?s WHERE {\n  ?s ?p \n}"
    with pytest.raises(SyntaxError) as info:
        ox.Store().query(text)
    err = syntax_error(info.value, text)
    # Oxigraph reports "error at 3:2": the column just past the token where it stopped
    assert "error at 3:2" in str(info.value)
    assert err.lineno == 3 and err.offset == 2
    lines = str(err).splitlines()
    assert lines[1] == "  }" and lines[2] == "   ^"


def test_header_parsing_and_errors() -> None:
    title_zh, title_en, answers, params = parse_header(
        "# title-zh: 甲\n# title-en: A\n# answers: what\n#   and more\n"
        "# param: ?x zh required  The x.\nSELECT * {}", name="t")
    assert (title_zh, title_en, answers) == ("甲", "A", "what and more")
    assert params[0].name == "x" and params[0].kind is ParamKind.ZH and params[0].required
    with pytest.raises(QueryError, match="lacks title-en"):
        parse_header("# title-zh: 甲\n# answers: a\nSELECT * {}", name="t")
    with pytest.raises(QueryError, match="unknown kind"):
        parse_header("# title-zh: 甲\n# title-en: A\n# answers: a\n# param: ?x colour optional"
                     "\nSELECT * {}", name="t")


def test_the_library_has_at_least_15_documented_queries_that_parse() -> None:
    library = load_library()
    assert len(library) >= 15
    for name, q in library.items():
        assert q.title_zh and q.title_en and q.answers, name
        assert any("\u4e00" <= ch <= "\u9fff" for ch in q.title_zh), name
        check_read_only(q.text, name=name)
        values = {p.name: [make_term({"iri": "http://e/x", "integer": "1", "decimal": "1"}.get(
            p.kind.value, "文本"), p.kind)] for p in q.params}
        ox.Store().query(bind_params(q.text, values))  # parses (and runs on nothing)


def test_unknown_query_names_suggest_close_ones() -> None:
    with pytest.raises(QueryError, match="did you mean entities_shared, programs_shared"):
        find_query("shared")


def test_required_and_unknown_parameters() -> None:
    q = load_library()["entity_mentions"]
    with pytest.raises(QueryError, match="needs --param name="):
        run_query(ox.Store(), q)
    with pytest.raises(QueryError, match="has no parameter 'colour'"):
        run_query(ox.Store(), q, params={"name": ["x"], "colour": ["red"]})
    with pytest.raises(QueryError, match="'plans' has no parameter 'plan' .it takes: none"):
        run_query(ox.Store(), load_library()["plans"], params={"plan": ["http://e/p"]})


def test_formats() -> None:
    store = _store()
    sel = "SELECT ?s ?label WHERE { GRAPH ?g { ?s ?p ?label } } ORDER BY ?s"
    assert serialize_result(run_query(store, sel), "csv").decode().splitlines()[1] == \
        f"{EX}a,马兰花计划"
    assert json.loads(serialize_result(run_query(store, sel), "json"))["head"]["vars"] == \
        ["s", "label"]
    header, rows = result_table(run_query(store, sel))
    assert header == ["s", "label"] and rows[0] == [EX + "a", "马兰花计划"]
    con = "CONSTRUCT { ?s ?p ?label } WHERE { GRAPH ?g { ?s ?p ?label } }"
    assert b"@zh" in serialize_result(run_query(store, con), "turtle")
    with pytest.raises(QueryError, match="cannot be written as csv"):
        serialize_result(run_query(store, con), "csv")
    with pytest.raises(QueryError, match="cannot be written as turtle"):
        serialize_result(run_query(store, sel), "turtle")


# ---------------------------------------------------------------------------------------
# The CLI
# ---------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def small_store(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("q") / "store"
    store = ox.Store(str(path))
    store.extend(_store())
    store.flush()
    del store
    return path


def _kg(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "kg.cli", *args], capture_output=True,
                          text=True, timeout=120)


def test_cli_syntax_error_shows_a_caret_and_exits_2(small_store: Path) -> None:
    out = _kg("query", "--store", str(small_store), "-e", "SELECT * WHERE {\n ?s ?p }")
    assert out.returncode == 2, out
    assert out.stdout == ""
    assert "line 2, column" in out.stderr and "?s ?p }" in out.stderr
    caret_line = [ln for ln in out.stderr.splitlines() if ln.strip() == "^"]
    assert caret_line and "Traceback" not in out.stderr


def test_cli_formats_and_params(small_store: Path) -> None:
    out = _kg("query", "--store", str(small_store), "-f", "csv", "-p", f"s={EX}a", "-e",
              "SELECT ?label WHERE { ?s ?p ?label }")
    assert out.returncode == 0, out.stderr
    assert out.stdout.splitlines() == ["label", "马兰花计划"]
    out = _kg("query", "--store", str(small_store), "-e", "SELECT ?label WHERE "
              "{ ?s ?p ?label } ORDER BY ?label")
    assert out.returncode == 0 and "马兰花计划" in out.stdout and "2 rows" in out.stderr
    out = _kg("query", "--store", str(small_store), "-f", "ntriples", "-e",
              "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }")
    assert len(list(ox.parse(out.stdout.encode(), format=ox.RdfFormat.N_TRIPLES))) == 2


def test_cli_list_and_errors(small_store: Path, tmp_path: Path) -> None:
    out = _kg("query", "--list")
    assert out.returncode == 0
    for name, q in load_library().items():
        assert name in out.stdout
    out = _kg("query", "--store", str(tmp_path / "none"), "plans")
    assert out.returncode == 2 and "no graph store there" in " ".join(out.stderr.split())
    out = _kg("query", "--store", str(small_store), "-e",
              "SELECT * { SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }")
    assert out.returncode == 2 and "refused" in out.stderr
