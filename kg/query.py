"""SPARQL over the graph: the query library, safe parameter binding, running and formatting.

Every query is evaluated by Oxigraph (pyoxigraph). Library queries live in ``queries/*.rq``;
each starts with a header of ``# key: value`` comment lines::

    # title-zh: 各规划的项目
    # title-en: Programs per plan
    # answers: Which programs does each plan name, and how often?
    # param: ?plan iri optional  Only this plan (its IRI); every plan when omitted.

Parameters are bound by injecting a ``VALUES`` block at the start of the query's WHERE
group; each value becomes an RDF term built and serialised by pyoxigraph (IRIs validated,
literals escaped), so user input is never pasted into the query text.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from kg.errors import QueryError, StoreError
from kg.resources import queries_dir

if TYPE_CHECKING:  # pragma: no cover
    import pyoxigraph

__all__ = [
    "Token",
    "tokenize",
    "query_form",
    "remote_services",
    "check_read_only",
    "ParamKind",
    "Param",
    "LibraryQuery",
    "parse_header",
    "load_library",
    "find_query",
    "make_term",
    "bind_params",
    "syntax_error",
    "open_store",
    "execute",
    "ResultFormat",
    "serialize_result",
    "result_table",
    "run_query",
    "param_pairs",
]

log = logging.getLogger(__name__)

# --------------------------------------------------------------------------------------
# A SPARQL tokenizer: just enough of the grammar (SPARQL 1.1 §19.8) to know which words are
# keywords. Strings, IRIs, prefixed names, variables and comments are whole tokens, so a
# keyword inside them (``"SERVICE"``, ``ex:SERVICE``, ``?service``) is never mistaken for one.
# --------------------------------------------------------------------------------------

_TOKEN = re.compile(
    r"""
      (?P<ws>\s+)
    | (?P<comment>\#[^\r\n]*)                                   # # a comment
    | (?P<iri><[^<>"{}|^`\\\x00-\x20]*>)                        # <http://example.org/>
    | (?P<string>'''(?:(?:'|'')?(?:[^'\\]|\\.))*'''            # '''long'''
               |\"\"\"(?:(?:"|"")?(?:[^"\\]|\\.))*\"\"\"        # \"\"\"long\"\"\"
               |'(?:[^'\\\n\r]|\\.)*'                           # 'short'
               |"(?:[^"\\\n\r]|\\.)*")                          # "short"
    | (?P<var>[?$][\w\u00B7]+)                                  # ?plan $plan
    | (?P<langtag>@[A-Za-z]+(?:-[A-Za-z0-9]+)*)                 # @zh-Hans
    | (?P<pname>_:[\w\-]+(?:\.[\w\-]+)*                         # _:b0
               |(?:[^\W\d_][\w\-]*(?:\.[\w\-]+)*)?:             # pkg:  :
                (?:[\w\-:%]|\\[^\s]|\.(?=[\w\-:%]))*)           # pkg:Plan_1
    | (?P<word>[^\W\d][\w]*)                                    # SELECT a true
    | (?P<number>[0-9]*\.?[0-9]+(?:[eE][+-]?[0-9]+)?)           # 12 3.5 1e3
    | (?P<punct>\^\^|\|\||&&|!=|<=|>=|.)                        # { } ( ) . ; ^^
    """,
    re.VERBOSE | re.DOTALL,
)

# \u0053ERVICE: SPARQL processes code point escapes before parsing (§19.2)
_UNICODE_ESCAPE = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")

_QUERY_FORMS = frozenset({"SELECT", "ASK", "CONSTRUCT", "DESCRIBE"})
_UPDATE_WORDS = frozenset({"INSERT", "DELETE", "LOAD", "CLEAR", "DROP", "CREATE", "ADD",
                           "MOVE", "COPY", "WITH"})


class Token(NamedTuple):
    """One token of a SPARQL text: its kind (``word``, ``iri``, ``var`` …), text and offset."""

    kind: str
    text: str
    start: int


def _unescape(text: str) -> str:
    return _UNICODE_ESCAPE.sub(lambda m: chr(int(m.group(1) or m.group(2), 16)), text)


def tokenize(text: str) -> list[Token]:
    """Split a SPARQL text into tokens, dropping white space and comments.

    Parameters
    ----------
    text : str
        A SPARQL query or update (``\\u`` escapes are decoded first, as the spec does).

    Returns
    -------
    list of Token

    Examples
    --------
    >>> [t.text for t in tokenize('SELECT * { ?s ex:SERVICE "SERVICE" } # SERVICE')]
    ['SELECT', '*', '{', '?s', 'ex:SERVICE', '"SERVICE"', '}']
    """
    text = _unescape(text)
    out: list[Token] = []
    for match in _TOKEN.finditer(text):
        kind = match.lastgroup or "punct"
        if kind in ("ws", "comment"):
            continue
        out.append(Token(kind, match.group(), match.start()))
    return out


def query_form(text: str) -> str | None:
    """The operation's first keyword after the prologue, upper-cased.

    ``SELECT``, ``ASK``, ``CONSTRUCT`` or ``DESCRIBE`` for a query; an update keyword
    (``INSERT``, ``LOAD`` …) for an update; ``None`` when there is none.

    Examples
    --------
    >>> query_form('PREFIX ex: <http://e/> construct { ?s ?p ?o } WHERE { ?s ?p ?o }')
    'CONSTRUCT'
    >>> query_form('LOAD <http://example.org/data.ttl>')
    'LOAD'
    """
    toks = tokenize(text)
    i = 0
    while i < len(toks):
        word = toks[i].text.upper() if toks[i].kind == "word" else ""
        if word == "BASE":
            i += 2
        elif word == "PREFIX":
            i += 3
        elif word:
            return word
        else:
            return None
    return None


def remote_services(text: str) -> list[str]:
    """The targets of every ``SERVICE`` clause in a SPARQL text (IRIs or variables).

    Examples
    --------
    >>> remote_services('SELECT * { SERVICE SILENT <http://e/sparql> { ?s ?p ?o } }')
    ['<http://e/sparql>']
    >>> remote_services('SELECT ?service { ?x <http://e/service> "SERVICE" }')
    []
    """
    toks = tokenize(text)
    found: list[str] = []
    for i, tok in enumerate(toks):
        if tok.kind == "word" and tok.text.upper() == "SERVICE":
            j = i + 1
            if j < len(toks) and toks[j].kind == "word" and toks[j].text.upper() == "SILENT":
                j += 1
            found.append(toks[j].text if j < len(toks) else "")
    return found


def check_read_only(text: str, *, name: str = "query") -> None:
    """Refuse, before anything runs, a text that would write or reach another server.

    SPARQL Update (``INSERT``, ``LOAD`` …) and federated ``SERVICE`` clauses are refused:
    PolicyKG answers from its own store only and never opens an outbound connection.

    Raises
    ------
    QueryError
        With a message naming the refused operation.

    Examples
    --------
    >>> check_read_only('SELECT * { ?s ?p ?o }')
    >>> check_read_only('SELECT * { SERVICE <http://e/> { ?s ?p ?o } }')
    Traceback (most recent call last):
    ...
    kg.errors.QueryError: query: SERVICE <http://e/> is refused: ...
    """
    form = query_form(text)
    if form in _UPDATE_WORDS:
        raise QueryError(f"{name}: SPARQL Update ({form}) is refused: the graph is read-only "
                         "here; rebuild it with `kg build` to change it", query=text)
    services = remote_services(text)
    if services:
        raise QueryError(f"{name}: SERVICE {services[0]} is refused: federated queries would "
                         "contact another server, and PolicyKG answers from its own store "
                         "only; copy the remote data into the store instead", query=text)


# --------------------------------------------------------------------------------------
# The library
# --------------------------------------------------------------------------------------


class ParamKind(StrEnum):
    """What a query parameter's value is, and so which RDF term it becomes."""

    IRI = "iri"  # <http://…>
    STRING = "string"  # "…" (xsd:string)
    ZH = "zh"  # "…"@zh
    INTEGER = "integer"  # "2025"^^xsd:integer
    DECIMAL = "decimal"  # "3.5"^^xsd:decimal


@dataclass(frozen=True)
class Param:
    """A declared parameter of a library query."""

    name: str
    kind: ParamKind
    required: bool
    description: str


@dataclass(frozen=True)
class LibraryQuery:
    """A ready analyst query from ``queries/*.rq``."""

    name: str
    path: Path
    title_zh: str
    title_en: str
    answers: str
    params: tuple[Param, ...]
    text: str = field(repr=False)

    @property
    def title(self) -> str:
        """``中文 / English`` title."""
        return f"{self.title_zh} / {self.title_en}"

    def param(self, name: str) -> Param:
        """The declared parameter ``name`` (without ``?``)."""
        for p in self.params:
            if p.name == name:
                return p
        known = ", ".join(p.name for p in self.params) or "none"
        raise QueryError(f"query {self.name!r} has no parameter {name!r} (it takes: {known})")


# param: ?plan iri optional  The plan's IRI
_PARAM_LINE = re.compile(r"^\?(?P<name>\w+)\s+(?P<kind>\w+)\s+(?P<req>required|optional)"
                         r"\s*(?P<desc>.*)$")
# title-zh: 各规划的项目
_HEADER_LINE = re.compile(r"^#\s?(?P<key>[\w-]+):\s*(?P<value>.*)$")


def parse_header(text: str, *, name: str) -> tuple[str, str, str, tuple[Param, ...]]:
    """Read the header comment of a library query: titles, what it answers, parameters.

    Parameters
    ----------
    text : str
        The ``.rq`` file's text.
    name : str
        The query's name, for error messages.

    Returns
    -------
    tuple
        ``(title_zh, title_en, answers, params)``.

    Raises
    ------
    QueryError
        When a title, the ``answers`` line or a parameter declaration is missing or malformed.

    Examples
    --------
    >>> parse_header('# title-zh: 项目\\n# title-en: Programs\\n# answers: Which.\\n'
    ...              '# param: ?plan iri optional  A plan.\\nSELECT * {}', name='x')[3]
    (Param(name='plan', kind=<ParamKind.IRI: 'iri'>, required=False, description='A plan.'),)
    """
    fields_: dict[str, str] = {}
    params: list[Param] = []
    last = ""
    for line in text.splitlines():
        if not line.startswith("#"):
            if line.strip():
                break
            continue
        m = _HEADER_LINE.match(line)
        if m is None:
            continue_text = line.lstrip("#").strip()
            if last and continue_text and last != "param":
                fields_[last] = f"{fields_[last]} {continue_text}"
            continue
        key, value = m.group("key"), m.group("value").strip()
        last = key
        if key == "param":
            pm = _PARAM_LINE.match(value)
            if pm is None:
                raise QueryError(f"{name}: bad parameter declaration {value!r}; write "
                                 "`# param: ?name KIND required|optional  description` with "
                                 f"KIND one of {', '.join(k.value for k in ParamKind)}")
            try:
                kind = ParamKind(pm.group("kind"))
            except ValueError:
                raise QueryError(f"{name}: parameter ?{pm.group('name')} has unknown kind "
                                 f"{pm.group('kind')!r}; use one of "
                                 f"{', '.join(k.value for k in ParamKind)}") from None
            params.append(Param(pm.group("name"), kind, pm.group("req") == "required",
                                pm.group("desc").strip()))
        else:
            fields_[key] = value
    missing = [k for k in ("title-zh", "title-en", "answers") if not fields_.get(k)]
    if missing:
        raise QueryError(f"{name}: the header lacks {', '.join(missing)}; every library query "
                         "starts with `# title-zh:`, `# title-en:` and `# answers:` lines")
    return fields_["title-zh"], fields_["title-en"], fields_["answers"], tuple(params)


def load_library(folder: Path | None = None) -> dict[str, LibraryQuery]:
    """Load every ``*.rq`` of the query library, keyed by file stem, in name order.

    Parameters
    ----------
    folder : Path, optional
        Where the queries are; :func:`kg.resources.queries_dir` by default.

    Returns
    -------
    dict of str to LibraryQuery

    Raises
    ------
    QueryError
        When a query's header is malformed.

    Examples
    --------
    >>> lib = load_library()
    >>> all(q.title_zh and q.title_en for q in lib.values())
    True
    """
    folder = queries_dir() if folder is None else folder
    out: dict[str, LibraryQuery] = {}
    for path in sorted(folder.glob("*.rq")):
        text = path.read_text(encoding="utf-8")
        title_zh, title_en, answers, params = parse_header(text, name=path.name)
        out[path.stem] = LibraryQuery(path.stem, path, title_zh, title_en, answers, params, text)
    return out


def find_query(name_or_path: str, *, library: Mapping[str, LibraryQuery] | None = None
               ) -> LibraryQuery:
    """A library query by name, or any ``.rq`` file by path (its header is optional).

    Raises
    ------
    QueryError
        When neither a library query nor a readable file has that name.
    """
    library = load_library() if library is None else library
    if name_or_path in library:
        return library[name_or_path]
    path = Path(name_or_path)
    if path.is_file():
        text = path.read_text(encoding="utf-8")
        try:
            title_zh, title_en, answers, params = parse_header(text, name=str(path))
        except QueryError:
            title_zh = title_en = path.stem
            answers, params = "", ()
        return LibraryQuery(path.stem, path, title_zh, title_en, answers, params, text)
    close = [n for n in library if name_or_path.lower() in n.lower()]
    hint = f"; did you mean {', '.join(close)}?" if close else "; `kg query --list` shows them"
    raise QueryError(f"no library query or file named {name_or_path!r}{hint}")


# --------------------------------------------------------------------------------------
# Parameter binding by VALUES injection
# --------------------------------------------------------------------------------------


def make_term(value: str, kind: ParamKind, *, name: str = "value") -> pyoxigraph.NamedNode | pyoxigraph.Literal:
    """Turn a user's string into the RDF term a parameter of ``kind`` takes.

    The term is built by pyoxigraph, which validates IRIs and escapes literals when it
    writes them, so the value can never change the query's structure.

    Raises
    ------
    QueryError
        When the value is not a valid IRI or number.

    Examples
    --------
    >>> str(make_term('春晖" } ; DROP ALL #', ParamKind.ZH))
    '"春晖\\\\" } ; DROP ALL #"@zh'
    >>> str(make_term('42', ParamKind.INTEGER))
    '"42"^^<http://www.w3.org/2001/XMLSchema#integer>'
    """
    import pyoxigraph as ox

    xsd = "http://www.w3.org/2001/XMLSchema#"
    try:
        if kind is ParamKind.IRI:
            if not re.match(r"^[A-Za-z][A-Za-z0-9+.\-]*:", value):
                raise ValueError("not an absolute IRI")
            return ox.NamedNode(value)
        if kind is ParamKind.STRING:
            return ox.Literal(value)
        if kind is ParamKind.ZH:
            return ox.Literal(value, language="zh")
        if kind is ParamKind.INTEGER:
            return ox.Literal(str(int(value)), datatype=ox.NamedNode(xsd + "integer"))
        if kind is ParamKind.DECIMAL:
            from decimal import Decimal, InvalidOperation

            try:
                number = Decimal(value)
            except InvalidOperation:
                raise ValueError("not a decimal number") from None
            if not number.is_finite():
                raise ValueError("not a finite number")
            return ox.Literal(format(number, "f"), datatype=ox.NamedNode(xsd + "decimal"))
    except ValueError as exc:
        raise QueryError(f"parameter {name}={value!r} is not a valid {kind.value} ({exc})"
                         ) from None
    raise AssertionError(kind)  # pragma: no cover


def _where_brace(toks: Sequence[Token], text: str) -> int:
    """Offset just after the ``{`` that opens the query's WHERE group."""
    form_at = next((i for i, t in enumerate(toks)
                    if t.kind == "word" and t.text.upper() in _QUERY_FORMS), None)
    if form_at is None:
        raise QueryError("cannot bind parameters: the text is not a SELECT, ASK, CONSTRUCT or "
                         "DESCRIBE query", query=text)
    i = form_at + 1
    if toks[form_at].text.upper() == "CONSTRUCT":
        if i < len(toks) and toks[i].kind == "word" and toks[i].text.upper() == "WHERE":
            raise QueryError("cannot bind parameters into the short form CONSTRUCT WHERE { … }; "
                             "write CONSTRUCT { template } WHERE { … }", query=text)
        depth = 0
        while i < len(toks):  # skip the template
            if toks[i].text == "{":
                depth += 1
            elif toks[i].text == "}":
                depth -= 1
                if depth == 0:
                    i += 1
                    break
            i += 1
    while i < len(toks) and toks[i].text != "{":
        i += 1
    if i >= len(toks):
        raise QueryError("cannot bind parameters: the query has no WHERE { … } group",
                         query=text)
    return toks[i].start + 1


def _values_slots(toks: Sequence[Token], name: str) -> list[tuple[int, int]]:
    """Spans inside the braces of every ``VALUES ?name { … }`` block (one variable)."""
    slots = []
    for i, tok in enumerate(toks[:-2]):
        if (tok.kind == "word" and tok.text.upper() == "VALUES" and toks[i + 1].kind == "var"
                and toks[i + 1].text[1:] == name and toks[i + 2].text == "{"):
            j = i + 3
            while j < len(toks) and toks[j].text != "}":
                j += 1
            if j < len(toks):
                slots.append((toks[i + 2].start + 1, toks[j].start))
    return slots


def bind_params(text: str, values: Mapping[str, Sequence[Any]]) -> str:
    """Bind variables by ``VALUES`` blocks: in the query's own slots, else at the WHERE.

    A query says where a parameter belongs with a block ``VALUES ?name { UNDEF }`` (valid
    SPARQL, and "any value" while unbound) — for instance inside a sub-select, which a
    block in the outer WHERE cannot reach; binding replaces that block's contents. A
    parameter without such a slot gets ``VALUES ?name { … }`` at the start of the WHERE.

    Parameters
    ----------
    text : str
        The query.
    values : mapping of str to sequence of pyoxigraph terms
        Variable name (without ``?``) → the terms it may take (several → several rows).

    Returns
    -------
    str
        The query with the terms in place.

    Examples
    --------
    >>> import pyoxigraph as ox
    >>> print(bind_params('SELECT ?s WHERE { ?s ?p ?o }', {'o': [ox.Literal('a"b')]}))
    SELECT ?s WHERE {
      VALUES ?o { "a\\"b" }
     ?s ?p ?o }
    >>> bind_params('SELECT * { { SELECT ?s { VALUES ?o { UNDEF } ?s ?p ?o } } }',
    ...             {'o': [ox.NamedNode('http://e/x')]})
    'SELECT * { { SELECT ?s { VALUES ?o { <http://e/x> } ?s ?p ?o } } }'
    """
    if not values:
        return text
    for name in values:
        if not re.fullmatch(r"\w+", name):
            raise QueryError(f"bad parameter name {name!r}: use letters, digits and _")
    # offsets of tokenize() index the escape-decoded text; bind into that same text
    decoded = _unescape(text)
    toks = tokenize(decoded)
    edits: list[tuple[int, int, str]] = []
    inject = []
    for name in sorted(values):
        terms = " ".join(str(t) for t in values[name])
        slots = _values_slots(toks, name)
        if slots:
            edits += [(a, b, f" {terms} ") for a, b in slots]
        else:
            inject.append(f"\n  VALUES ?{name} {{ {terms} }}")
    if inject:
        at = _where_brace(toks, decoded)
        edits.append((at, at, "".join(inject) + "\n"))
    for a, b, new in sorted(edits, reverse=True):
        decoded = decoded[:a] + new + decoded[b:]
    return decoded


def _library_values(query: LibraryQuery, params: Mapping[str, Sequence[str]]
                    ) -> dict[str, list[Any]]:
    declared = {p.name: p for p in query.params}
    documented = bool(declared or query.title_zh)  # a library query: only its parameters
    out: dict[str, list[Any]] = {}
    for key, raw_values in params.items():
        name = key.lstrip("?$")
        if documented:
            kind = query.param(name).kind
        else:  # an ad-hoc query: strings, or IRIs when they look like one
            kind = ParamKind.STRING
        out[name] = [make_term(v, (ParamKind.IRI if not declared and _looks_like_iri(v)
                                    else kind), name=name) for v in raw_values]
    missing = [p.name for p in query.params if p.required and p.name not in out]
    if missing:
        raise QueryError(f"query {query.name!r} needs --param {missing[0]}=VALUE "
                         f"({query.param(missing[0]).description})")
    return out


def _looks_like_iri(value: str) -> bool:
    return bool(re.match(r"^(https?|urn|file):", value))


# --------------------------------------------------------------------------------------
# Running and formatting
# --------------------------------------------------------------------------------------

# error at 2:9: expected one of …
_OX_POSITION = re.compile(r"^error at (\d+):(\d+):\s*(.*)$", re.DOTALL)


def syntax_error(exc: SyntaxError, text: str, *, name: str = "query") -> QueryError:
    """Turn pyoxigraph's SyntaxError into a QueryError showing the line and a caret.

    Examples
    --------
    >>> import pyoxigraph as ox
    >>> try:
    ...     ox.Store().query('SELECT * {\\n ?s ?p }')
    ... except SyntaxError as exc:
    ...     err = syntax_error(exc, 'SELECT * {\\n ?s ?p }')
    >>> err.lineno
    2
    """
    message = str(exc.msg if getattr(exc, "msg", None) else exc)
    m = _OX_POSITION.match(message)
    if m is None:
        return QueryError(f"{name}: SPARQL syntax error: {message}", query=text)
    lineno, col, detail = int(m.group(1)), int(m.group(2)), m.group(3)
    lines = text.splitlines() or [""]
    line = lines[min(lineno, len(lines)) - 1]
    caret_at = max(0, min(col - 1, len(line)))
    # wide (CJK) characters take two columns on a terminal
    pad = sum(2 if ord(ch) > 0x2E80 else 1 for ch in line[:caret_at])
    detail = detail.split("\n")[0]
    if len(detail) > 200:
        detail = detail[:200] + " …"
    msg = (f"{name}: SPARQL syntax error at line {lineno}, column {col}: {detail}\n"
           f"  {line}\n  {' ' * pad}^")
    return QueryError(msg, lineno=lineno, offset=col, query=text)


def open_store(path: str | Path) -> pyoxigraph.Store:
    """Open an on-disk Oxigraph store read-only.

    Raises
    ------
    StoreError
        When the folder does not exist or holds no store.
    """
    import pyoxigraph as ox

    p = Path(path)
    if not (p / "CURRENT").is_file():
        raise StoreError(f"{p}: no graph store there; build one with `kg build` or pass "
                         "--store DIR")
    try:
        return ox.Store.read_only(str(p))
    except OSError as exc:
        raise StoreError(f"{p}: cannot open the store read-only ({exc})") from None


def execute(store: pyoxigraph.Store, text: str, *, name: str = "query",
            use_default_graph_as_union: bool = False,
            default_graph: Sequence[str] | None = None,
            named_graphs: Sequence[str] | None = None,
            prefixes: Mapping[str, str] | None = None) -> Any:
    """Run a read-only SPARQL query on a pyoxigraph store.

    Parameters
    ----------
    store : pyoxigraph.Store
    text : str
        The query (parameters already bound).
    name : str
        How to name the query in errors.
    use_default_graph_as_union : bool
        Query the union of all graphs when a pattern names no graph.
    default_graph, named_graphs : sequence of str, optional
        IRIs of graphs of the store making up the dataset (SPARQL Protocol).
    prefixes : mapping of str to str, optional
        Prefixes the query may use without declaring them.

    Returns
    -------
    pyoxigraph.QuerySolutions or pyoxigraph.QueryBoolean or pyoxigraph.QueryTriples

    Raises
    ------
    QueryError
        On a syntax error (with line and column), an update, a ``SERVICE`` clause or an
        evaluation error.
    """
    import pyoxigraph as ox

    check_read_only(text, name=name)
    kwargs: dict[str, Any] = {"prefixes": dict(prefixes) if prefixes else None}
    if default_graph is not None or named_graphs is not None:
        kwargs["default_graph"] = [ox.NamedNode(g) for g in (default_graph or [])]
        kwargs["named_graphs"] = [ox.NamedNode(g) for g in (named_graphs or [])]
    elif use_default_graph_as_union:
        kwargs["use_default_graph_as_union"] = True
    try:
        return store.query(text, **kwargs)
    except SyntaxError as exc:
        raise syntax_error(exc, text, name=name) from None
    except (OSError, ValueError, RuntimeError) as exc:
        raise QueryError(f"{name}: the query failed: {exc}", query=text) from None


class ResultFormat(StrEnum):
    """Output formats of ``kg query``."""

    TABLE = "table"
    CSV = "csv"
    TSV = "tsv"
    JSON = "json"
    XML = "xml"
    TURTLE = "turtle"
    NTRIPLES = "ntriples"


def serialize_result(result: Any, fmt: ResultFormat | str) -> bytes:
    """Serialise a query result with Oxigraph's writers.

    SELECT and ASK results take ``csv``, ``tsv``, ``json`` (SPARQL JSON) or ``xml``;
    CONSTRUCT and DESCRIBE results take ``turtle``, ``ntriples`` or ``json`` (JSON-LD).

    Raises
    ------
    QueryError
        When the format does not fit the kind of result, or evaluation fails.
    """
    import pyoxigraph as ox

    fmt = ResultFormat(fmt)
    try:
        if isinstance(result, ox.QueryTriples):
            rdf = {ResultFormat.TURTLE: ox.RdfFormat.TURTLE,
                   ResultFormat.NTRIPLES: ox.RdfFormat.N_TRIPLES,
                   ResultFormat.JSON: ox.RdfFormat.JSON_LD}.get(fmt)
            if rdf is None:
                raise QueryError(f"a CONSTRUCT/DESCRIBE result cannot be written as {fmt}; "
                                 "use --format turtle, ntriples or json (JSON-LD)")
            return result.serialize(format=rdf)
        tab = {ResultFormat.CSV: ox.QueryResultsFormat.CSV,
               ResultFormat.TSV: ox.QueryResultsFormat.TSV,
               ResultFormat.JSON: ox.QueryResultsFormat.JSON,
               ResultFormat.XML: ox.QueryResultsFormat.XML}.get(fmt)
        if tab is None:
            raise QueryError(f"a SELECT/ASK result cannot be written as {fmt}; use --format "
                             "table, csv, tsv, json or xml")
        return result.serialize(format=tab)
    except (OSError, RuntimeError) as exc:
        raise QueryError(f"the query failed while its results were written: {exc}") from None


def _display(term: Any) -> str:
    import pyoxigraph as ox

    if term is None:
        return ""
    if isinstance(term, ox.Literal):
        return term.value
    if isinstance(term, ox.NamedNode):
        return term.value
    return str(term)


def result_table(result: Any) -> tuple[list[str], list[list[str]]]:
    """A query result as a header and rows of display strings (for a table on screen).

    SELECT: one column per variable (literals shown by their lexical value, IRIs bare);
    ASK: one ``boolean`` column; CONSTRUCT/DESCRIBE: subject, predicate, object.

    Raises
    ------
    QueryError
        When evaluation fails while the rows are read.
    """
    import pyoxigraph as ox

    try:
        if isinstance(result, ox.QueryBoolean):
            return ["boolean"], [["true" if bool(result) else "false"]]
        if isinstance(result, ox.QueryTriples):
            return (["subject", "predicate", "object"],
                    [[_display(t.subject), _display(t.predicate), _display(t.object)]
                     for t in result])
        names = [v.value for v in result.variables]
        return names, [[_display(sol[n]) for n in names] for sol in result]
    except (OSError, RuntimeError) as exc:
        raise QueryError(f"the query failed while its results were read: {exc}") from None


def run_query(store: pyoxigraph.Store, query: LibraryQuery | str, *,
              params: Mapping[str, Sequence[str]] | None = None,
              use_default_graph_as_union: bool = True) -> Any:
    """Bind a query's parameters and run it: the one call behind ``kg query``.

    Parameters
    ----------
    store : pyoxigraph.Store
        An open store (see :func:`open_store`).
    query : LibraryQuery or str
        A library query, or SPARQL text.
    params : mapping of str to sequence of str, optional
        ``name → values`` as the user typed them; each value becomes an RDF term of the
        parameter's declared kind.
    use_default_graph_as_union : bool
        Patterns outside ``GRAPH`` match every graph (the default graph of a PolicyKG
        store is empty). The PolicyKG prefixes (``pkg:``, ``skos:`` …) are predeclared.

    Returns
    -------
    pyoxigraph.QuerySolutions or pyoxigraph.QueryBoolean or pyoxigraph.QueryTriples

    Raises
    ------
    QueryError
        On an unknown or invalid parameter, a syntax error, an update or ``SERVICE``.

    Examples
    --------
    >>> import pyoxigraph as ox
    >>> store = ox.Store()
    >>> store.add(ox.Quad(ox.NamedNode('http://e/a'), ox.NamedNode('http://e/label'),
    ...                   ox.Literal('春晖', language='zh')))
    >>> result = run_query(store, 'SELECT ?s ?label WHERE { ?s ?p ?label }',
    ...                    params={'p': ['http://e/label']})
    >>> [(r['s'].value, r['label'].value) for r in result]
    [('http://e/a', '春晖')]
    """
    if isinstance(query, str):
        query = LibraryQuery("query", Path("-"), "", "", "", (), query)
    values = _library_values(query, params or {})
    text = bind_params(query.text, values)
    from kg.vocab import PREFIXES

    return execute(store, text, name=query.name, prefixes=PREFIXES,
                   use_default_graph_as_union=use_default_graph_as_union)


def param_pairs(pairs: Iterable[str]) -> dict[str, list[str]]:
    """Parse ``name=value`` strings (``--param``) into ``name → [values]``.

    Examples
    --------
    >>> param_pairs(['plan=http://e/p1', 'plan=http://e/p2', 'name=春晖'])
    {'plan': ['http://e/p1', 'http://e/p2'], 'name': ['春晖']}
    """
    out: dict[str, list[str]] = {}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        if not sep or not name.strip():
            raise QueryError(f"--param {pair!r}: write NAME=VALUE")
        out.setdefault(name.strip().lstrip("?$"), []).append(value)
    return out
