"""The comparison pages of ``kg serve``: ``/compare`` (the report) and ``/graph`` (the graph).

Both are the self-contained pages of :mod:`viz` (``kg report`` and ``kg viz`` write the same
bytes), computed with :mod:`kg.analysis` in a thread pool on the snapshot being served and
kept per snapshot (a least-recently-used set of pages; the backend's switch to a new snapshot
after a build starts a fresh one), so a repeated request costs a dictionary lookup. Each page
is sent with a Content-Security-Policy header equal to the page's own ``<meta>`` policy
(plus ``base-uri``, ``frame-ancestors``, ``form-action``): the report runs no script; the graph
page runs its two inlined scripts, allowed by their SHA-256 only.
"""

from __future__ import annotations

import asyncio
import html
import logging
import re
import threading
from collections import OrderedDict
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from starlette.requests import Request as HttpRequest
from starlette.responses import HTMLResponse, Response

from kg.errors import StoreError
from kg.serve.ui import PREFIXES, UiError, h, page, select

__all__ = ["ComparePages", "BadParameter", "names_param", "page_csp", "MAX_NAMES",
           "MAX_NAME_CHARS"]

log = logging.getLogger(__name__)

#: At most this many names in ``plans`` or ``types``, each at most this long.
MAX_NAMES = 100
MAX_NAME_CHARS = 200
#: Pages and fact sets kept per snapshot (least recently used dropped first).
CACHE_ENTRIES = 24
#: Added to a page's own policy: no <base>, no framing, no form posts anywhere.
_CSP_EXTRA = "base-uri 'none'; frame-ancestors 'none'; form-action 'none'"
# <meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src …">
_META_CSP = re.compile(
    r'<meta\s+http-equiv="Content-Security-Policy"\s+content="([^"]*)"\s*/?>', re.IGNORECASE)

# every plan with the names a ``plans`` value may use (doc id, IRI, region, title)
_PLAN_NAMES = PREFIXES + """
SELECT ?plan ?doc ?title ?region WHERE {
  GRAPH ?g { ?plan a pkg:Plan ; pkg:docId ?doc .
    OPTIONAL { ?plan dcterms:title ?title } OPTIONAL { ?plan pkg:region/rdfs:label ?region } }
}"""


class BadParameter(ValueError):
    """A query parameter of a comparison page is wrong (shown as a 400 page)."""


def names_param(request: HttpRequest, name: str) -> list[str]:
    """The values of a repeated and/or comma-separated parameter, stripped, in order, once.

    Raises
    ------
    BadParameter
        More than :data:`MAX_NAMES` values, or one longer than :data:`MAX_NAME_CHARS`.

    Examples
    --------
    ``?plans=甲市,乙市&plans=甲市`` gives ``["甲市", "乙市"]``.
    """
    out = list(dict.fromkeys(v.strip() for value in request.query_params.getlist(name)
                             for v in value.split(",") if v.strip()))
    if len(out) > MAX_NAMES:
        raise BadParameter(f"{name}: {len(out)} values; at most {MAX_NAMES} are accepted")
    for v in out:
        if len(v) > MAX_NAME_CHARS:
            raise BadParameter(f"{name}: the value {v[:40]!r}… is longer than "
                               f"{MAX_NAME_CHARS} characters")
    return out


def page_csp(doc: str) -> str:
    """The Content-Security-Policy header for a self-contained page: its ``<meta>`` policy
    (``default-src 'none'`` when it has none) plus base-uri, frame-ancestors, form-action."""
    found = _META_CSP.search(doc)
    policy = html.unescape(found.group(1)).strip().rstrip(";") if found else "default-src 'none'"
    return f"{policy}; {_CSP_EXTRA}"


def _standalone(doc: str, *, hit: bool) -> Response:
    return HTMLResponse(doc, headers={
        "Content-Security-Policy": page_csp(doc), "X-Content-Type-Options": "nosniff",
        "Referrer-Policy": "no-referrer", "X-Cache": "hit" if hit else "miss"})


class _Snapshot:
    """What is kept for one snapshot: a read-only store handle and the computed values."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.memo: OrderedDict[tuple[Any, ...], asyncio.Future[Any]] = OrderedDict()
        self._store: Any = None
        self._lock = threading.Lock()

    def store(self) -> Any:
        """The snapshot opened read-only (once; called from the worker threads)."""
        with self._lock:
            if self._store is None:
                import pyoxigraph

                try:
                    self._store = pyoxigraph.Store.read_only(str(self.folder))
                except OSError as exc:
                    raise StoreError(f"cannot open the served snapshot {self.folder}: "
                                     f"{exc}") from None
            return self._store


class ComparePages:
    """The ``/compare`` and ``/graph`` handlers of one backend, with their cache.

    Parameters
    ----------
    backend : kg.serve.backend.Backend
        Its ``serving`` folder is read-only for the life of the snapshot.
    threads : int
        Comparisons computed at once (each holds a CPU while it runs).
    entries : int
        Cached values per snapshot.
    """

    def __init__(self, backend: Any, *, threads: int = 1, entries: int = CACHE_ENTRIES) -> None:
        self.backend = backend
        self.entries = entries
        self._executor = ThreadPoolExecutor(max_workers=threads,
                                            thread_name_prefix="kg-compare")
        self._snapshot: _Snapshot | None = None

    def _current(self) -> _Snapshot:
        folder = self.backend.serving
        if folder is None:
            raise UiError("the server is not serving a store yet")
        if self._snapshot is None or self._snapshot.folder != folder:
            self._snapshot = _Snapshot(folder)  # the old one goes with its last computation
        return self._snapshot

    async def _memo(self, key: tuple[Any, ...], compute: Callable[[Any], Any]
                    ) -> tuple[Any, bool]:
        """``compute(store)`` in the thread pool, once per key and snapshot; (value, hit)."""
        snap = self._current()
        future = snap.memo.get(key)
        hit = future is not None
        if future is None:
            loop = asyncio.get_running_loop()
            future = loop.run_in_executor(self._executor, lambda: compute(snap.store()))
            snap.memo[key] = future
            while len(snap.memo) > self.entries:
                snap.memo.popitem(last=False)
        else:
            snap.memo.move_to_end(key)
        try:
            # shielded: a client that goes away does not cancel it for the others waiting
            value = await asyncio.shield(future)
        except BaseException:
            if snap.memo.get(key) is future and future.done():
                del snap.memo[key]  # an error is not cached
            raise
        return value, hit

    async def _plans(self, names: list[str]) -> tuple[str, ...]:
        """Doc ids of the plans ``names`` choose, ``()`` for all of them.

        Raises
        ------
        BadParameter
            When a name matches no plan (the message lists the plans there are).
        """
        from kg.analysis.facts import PlanInfo, select_plans

        infos: dict[str, PlanInfo] = {}
        for r in await select(self.backend, _PLAN_NAMES):
            old = infos.get(r["doc"])
            region = r.get("region")
            if old is not None and (old.region or "") <= (region or ""):
                continue
            infos[r["doc"]] = PlanInfo(key=r["doc"], iri=r["plan"], graph="",
                                       title=r.get("title") or r["doc"], region=region)
        if not infos:
            raise UiError("the store holds no plan; build it with `kg build`")
        if not names:
            return ()
        try:
            chosen = select_plans(sorted(infos.values(), key=lambda p: p.key), names)
        except StoreError as exc:
            raise BadParameter(f"plans: {exc}") from None
        keys = tuple(p.key for p in chosen)
        return () if len(keys) == len(infos) else keys

    async def _facts(self, plans: tuple[str, ...]) -> Any:
        from kg.analysis import load_facts

        facts, _ = await self._memo(("facts", plans),
                                    lambda store: load_facts(store, plans=list(plans) or None))
        return facts

    async def report(self, request: HttpRequest) -> Response:
        """``/compare``: the comparison report of all plans or of ``plans`` (``k`` sets what
        "shared" means: in at least k plans, default 2)."""
        from kg.analysis import compare_facts
        from viz.report import report_html

        raw_k = request.query_params.get("k", "2").strip()
        if not raw_k.isdigit() or not 2 <= int(raw_k) <= 1000:
            raise BadParameter(f"k: {raw_k[:40]!r} is not a whole number from 2 to 1000")
        k = int(raw_k)
        plans = await self._plans(names_param(request, "plans"))
        facts = await self._facts(plans)
        back = ("<style>.kg-serve-nav{margin:0 0 8px;font-size:14px}"
                "@media print{.kg-serve-nav{display:none}}</style>"
                f'<nav class="kg-serve-nav"><a href="/">← PolicyKG</a> · '
                f'<a href="{h(_url("/graph", plans))}">图谱 Graph</a></nav>')

        def render(store: Any) -> str:
            return report_html(compare_facts(facts, k=k)).replace("<body>", "<body>\n" + back, 1)

        doc, hit = await self._memo(("report", plans, k), render)
        return _standalone(doc, hit=hit)

    async def graph(self, request: HttpRequest) -> Response:
        """``/graph``: the interactive graph of plans and what they mention, of all plans or
        of ``plans``, with every entity type or only ``types``."""
        from kg.analysis.facts import ENTITY_TYPES

        types = names_param(request, "types")
        unknown = [t for t in types if t not in ENTITY_TYPES]
        if unknown:
            raise BadParameter(f"types: unknown type(s) {', '.join(unknown)}; expected some of "
                               f"{', '.join(ENTITY_TYPES)}")
        wanted = tuple(sorted(types)) if types and set(types) != set(ENTITY_TYPES) else ()
        plans = await self._plans(names_param(request, "plans"))
        facts = await self._facts(plans)
        back = (f'<a href="/">← PolicyKG</a> <a href="{h(_url("/compare", plans))}">'
                "对比报告 Compare</a>")

        def render(store: Any) -> str:
            from kg.analysis import bipartite_graph
            from viz.graph import graph_page

            doc = graph_page(bipartite_graph(facts, types=list(wanted) or None),
                             title="PolicyKG 规划图谱")
            return doc.replace("<header>", "<header>" + back, 1)

        doc, hit = await self._memo(("graph", plans, wanted), render)
        return _standalone(doc, hit=hit)


def _url(path: str, plans: tuple[str, ...]) -> str:
    return path + ("?" + urlencode({"plans": ",".join(plans)}) if plans else "")


def bad_request(exc: BadParameter) -> Response:
    """The 400 page for a bad parameter (in the UI's layout; the message escaped)."""
    return page("请求有误 Bad request", f'<p class="error">{h(exc)}</p>'
                '<p><a href="/compare">全部规划对比 Compare all plans</a> · '
                '<a href="/graph">全部规划图谱 Graph of all plans</a></p>', status=400)
