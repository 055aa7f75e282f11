"""The SPARQL 1.1 Protocol as pure functions: read an operation, negotiate a format, describe.

https://www.w3.org/TR/sparql11-protocol/ — nothing here does I/O: the web layer hands in
the method, headers, URL parameters and body, and gets back a :class:`Operation` or a
:class:`ProtocolError` carrying the HTTP status to answer with.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import parse_qsl

__all__ = [
    "ProtocolError",
    "Operation",
    "read_operation",
    "parse_accept",
    "negotiate",
    "media_types",
    "service_description",
]

FORM = "application/x-www-form-urlencoded"
SPARQL_QUERY = "application/sparql-query"
SPARQL_UPDATE = "application/sparql-update"


class ProtocolError(Exception):
    """A request the endpoint refuses, with the HTTP status and a message for the client."""

    def __init__(self, status: int, message: str, *, headers: dict[str, str] | None = None
                 ) -> None:
        self.status = status
        self.message = message
        self.headers = headers or {}
        super().__init__(f"{status}: {message}")


@dataclass(frozen=True)
class Operation:
    """A query operation read from a request (``query`` None: describe the service)."""

    query: str | None
    default_graphs: tuple[str, ...] | None
    named_graphs: tuple[str, ...] | None
    union_default_graph: bool = False


def _media_type(content_type: str | None) -> tuple[str, dict[str, str]]:
    if not content_type:
        return "", {}
    main, *rest = content_type.split(";")
    params = {}
    for part in rest:
        k, _, v = part.partition("=")
        params[k.strip().lower()] = v.strip().strip('"')
    return main.strip().lower(), params


def _decode(body: bytes, charset: str | None, what: str) -> str:
    if charset and charset.lower().replace("_", "-") not in ("utf-8", "utf8"):
        raise ProtocolError(415, f"{what} must be UTF-8 (got charset={charset})")
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ProtocolError(400, f"{what} is not valid UTF-8 ({exc.reason} at byte "
                                 f"{exc.start})") from None


def _parse_form(text: str) -> list[tuple[str, str]]:
    try:
        return parse_qsl(text, keep_blank_values=True, strict_parsing=False,
                         encoding="utf-8", errors="strict")
    except UnicodeDecodeError:
        raise ProtocolError(400, "the form body is not valid UTF-8 once percent-decoded"
                            ) from None


def read_operation(method: str, url_query: str, content_type: str | None, body: bytes
                   ) -> Operation:
    """Read a SPARQL Protocol query operation from the parts of an HTTP request.

    Parameters
    ----------
    method : str
        ``GET`` or ``POST`` (anything else is refused with 405).
    url_query : str
        The raw query string of the URL (after ``?``).
    content_type : str or None
        The request's ``Content-Type``.
    body : bytes
        The request body (empty for GET).

    Returns
    -------
    Operation

    Raises
    ------
    ProtocolError
        403 for SPARQL Update (this endpoint is read-only); 405 for another method; 415 for
        a POST body that is neither a form nor ``application/sparql-query``, or not UTF-8;
        400 for a missing, repeated or conflicting parameter.

    Examples
    --------
    >>> read_operation('GET', 'query=ASK%7B%7D&named-graph-uri=http%3A%2F%2Fe%2Fg', None, b'')
    Operation(query='ASK{}', default_graphs=(), named_graphs=('http://e/g',), union_default_graph=False)
    >>> read_operation('GET', 'update=CLEAR%20ALL', None, b'')
    Traceback (most recent call last):
    ...
    kg.serve.protocol.ProtocolError: 403: ...
    """
    if method not in ("GET", "POST", "HEAD"):
        raise ProtocolError(405, f"{method} is not a SPARQL Protocol method here: query with "
                                 "GET or POST (this endpoint is read-only)",
                            headers={"Allow": "GET, POST"})
    params = _parse_form(url_query)
    query_text: str | None = None
    if method == "POST":
        media, mparams = _media_type(content_type)
        if media == FORM:
            params += _parse_form(_decode(body, mparams.get("charset"), "the form body"))
        elif media == SPARQL_QUERY:
            query_text = _decode(body, mparams.get("charset"), "the query")
        elif media == SPARQL_UPDATE:
            raise ProtocolError(403, "SPARQL Update is refused: this endpoint is read-only "
                                     "(rebuild the store with `kg build` to change the graph)")
        elif not media:
            raise ProtocolError(415, "a POST needs a Content-Type: "
                                     f"{FORM} (query=…) or {SPARQL_QUERY} (the query itself)")
        else:
            raise ProtocolError(415, f"unsupported Content-Type {media}: POST a query as "
                                     f"{FORM} (query=…) or as {SPARQL_QUERY}")
    names = [k for k, _ in params]
    if "update" in names or "using-graph-uri" in names or "using-named-graph-uri" in names:
        raise ProtocolError(403, "SPARQL Update is refused: this endpoint is read-only "
                                 "(rebuild the store with `kg build` to change the graph)")
    queries = [v for k, v in params if k == "query"]
    if query_text is not None:
        if queries:
            raise ProtocolError(400, "the query is given twice: in the body and as a query= "
                                     "parameter; give it once")
        queries = [query_text]
    if len(queries) > 1:
        raise ProtocolError(400, f"{len(queries)} query parameters given; the protocol takes "
                                 "exactly one")
    default = tuple(v for k, v in params if k == "default-graph-uri")
    named = tuple(v for k, v in params if k == "named-graph-uri")
    union = "union-default-graph" in names
    for iri in default + named:
        if not iri or any(c in iri for c in ' <>"{}|^`\\') or ":" not in iri:
            raise ProtocolError(400, f"graph IRI {iri!r} is not an absolute IRI")
    if union and default:
        raise ProtocolError(400, "union-default-graph and default-graph-uri cannot be used "
                                 "together; give one of them")
    dataset = bool(default or named)
    return Operation(
        query=queries[0] if queries else None,
        default_graphs=default if dataset else None,
        named_graphs=named if dataset else None,
        union_default_graph=union,
    )


# --------------------------------------------------------------------------------------
# Content negotiation
# --------------------------------------------------------------------------------------

# media type -> format name, per kind of result; the first entry is the default
_SOLUTIONS = (
    ("application/sparql-results+json", "JSON"),
    ("application/sparql-results+xml", "XML"),
    ("text/csv", "CSV"),
    ("text/tab-separated-values", "TSV"),
    ("application/json", "JSON"),
    ("application/xml", "XML"),
    ("text/xml", "XML"),
    ("text/tsv", "TSV"),
)
_GRAPH = (
    ("application/n-triples", "N_TRIPLES"),
    ("text/turtle", "TURTLE"),
    ("application/ld+json", "JSON_LD"),
    ("application/rdf+xml", "RDF_XML"),
    ("application/n-quads", "N_QUADS"),
    ("application/trig", "TRIG"),
    ("text/n3", "N3"),
    ("application/x-turtle", "TURTLE"),
    ("text/plain", "N_TRIPLES"),
    ("application/json", "JSON_LD"),
)
# the media type answered for a format (aliases answer with the canonical type)
_CANONICAL = {
    "JSON": "application/sparql-results+json",
    "XML": "application/sparql-results+xml",
    "CSV": "text/csv; charset=utf-8",
    "TSV": "text/tab-separated-values; charset=utf-8",
    "N_TRIPLES": "application/n-triples",
    "TURTLE": "text/turtle",
    "JSON_LD": "application/ld+json",
    "RDF_XML": "application/rdf+xml",
    "N_QUADS": "application/n-quads",
    "TRIG": "application/trig",
    "N3": "text/n3",
}


def parse_accept(accept: str | None) -> list[tuple[str, float]]:
    """Media ranges of an ``Accept`` header with their q-values, best first (stable).

    Examples
    --------
    >>> parse_accept('text/csv;q=0.5, application/sparql-results+json')
    [('application/sparql-results+json', 1.0), ('text/csv', 0.5)]
    """
    if not accept or not accept.strip():
        return [("*/*", 1.0)]
    ranges: list[tuple[str, float, int]] = []
    for i, part in enumerate(accept.split(",")):
        media, params = _media_type(part)
        if not media:
            continue
        try:
            q = float(params.get("q", "1"))
        except ValueError:
            q = 0.0
        ranges.append((media, max(0.0, min(q, 1.0)), i))
    ranges.sort(key=lambda r: (-r[1], -_specificity(r[0]), r[2]))
    return [(m, q) for m, q, _ in ranges]


def _specificity(media: str) -> int:
    return 0 if media == "*/*" else 1 if media.endswith("/*") else 2


def media_types(kind: str) -> list[str]:
    """The media types offered for a kind of result (``solutions``, ``boolean``, ``graph``)."""
    table = _GRAPH if kind == "graph" else _SOLUTIONS
    return [m for m, _ in table]


def negotiate(accept: str | None, kind: str) -> tuple[str, object] | None:
    """Pick the answer's media type and pyoxigraph format from an ``Accept`` header.

    Parameters
    ----------
    accept : str or None
        The request's ``Accept`` header.
    kind : str
        ``solutions`` (SELECT), ``boolean`` (ASK) or ``graph`` (CONSTRUCT, DESCRIBE).

    Returns
    -------
    tuple of (str, format) or None
        The ``Content-Type`` to answer with and the ``QueryResultsFormat``/``RdfFormat``;
        None when nothing acceptable fits (answer 406).

    Examples
    --------
    >>> negotiate('text/turtle, */*;q=0.1', 'graph')[0]
    'text/turtle'
    >>> negotiate(None, 'solutions')[0]
    'application/sparql-results+json'
    >>> negotiate('text/html', 'solutions') is None
    True
    """
    import pyoxigraph as ox

    table = _GRAPH if kind == "graph" else _SOLUTIONS
    enum = ox.RdfFormat if kind == "graph" else ox.QueryResultsFormat
    refused = {m for m, q in parse_accept(accept) if q == 0.0}
    for media, q in parse_accept(accept):
        if q == 0.0:
            continue
        for offered, name in table:
            if offered in refused:
                continue
            if media == offered or media == "*/*" or (
                    media.endswith("/*") and offered.startswith(media[:-1])):
                return _CANONICAL[name], getattr(enum, name)
    return None


def service_description(endpoint: str, named_graphs: list[str], *, union_default_graph: bool
                        ) -> str:
    """A SPARQL 1.1 Service Description of this endpoint, in Turtle.

    Examples
    --------
    >>> 'sd:SPARQL11Query' in service_description('http://127.0.0.1:7878/sparql', [],
    ...                                           union_default_graph=False)
    True
    """
    formats = ["SPARQL_Results_JSON", "SPARQL_Results_XML", "SPARQL_Results_CSV",
               "SPARQL_Results_TSV", "N-Triples", "Turtle", "JSON-LD", "RDF_XML", "N-Quads",
               "TriG", "N3"]
    ep = endpoint.replace(">", "%3E").replace("<", "%3C")
    lines = [
        "@prefix sd: <http://www.w3.org/ns/sparql-service-description#> .",
        "@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .",
        "",
        "[] a sd:Service ;",
        f"    sd:endpoint <{ep}> ;",
        "    rdfs:label \"PolicyKG read-only SPARQL endpoint\"@en ;",
        "    sd:supportedLanguage sd:SPARQL10Query, sd:SPARQL11Query ;",
        *(f"    sd:resultFormat <http://www.w3.org/ns/formats/{f}> ;" for f in formats),
        *(["    sd:feature sd:UnionDefaultGraph ;"] if union_default_graph else []),
        "    sd:defaultDataset [",
        "        a sd:Dataset ;",
        "        sd:defaultGraph [ a sd:Graph ]"
        + (" ;" if named_graphs else ""),
    ]
    for i, g in enumerate(named_graphs):
        end = " ;" if i < len(named_graphs) - 1 else ""
        lines.append(f"        sd:namedGraph [ a sd:NamedGraph ; sd:name <{g}> ]{end}")
    lines += ["    ] .", ""]
    return "\n".join(line for line in lines if line != "")
