#!/usr/bin/env bash
# Load test: `kg serve` against Oxigraph's own server on the same store, in the same run.
#
#   bash bench/bench_serve.sh [--store DIR] [--runs N] [--duration 30s] [--connections 16]
#
# wrk (Debian) replays the library queries (queries/*.rq, parameters bound as by kg query)
# round-robin as GET requests asking for SPARQL JSON, with 16 connections for 30 s, against
# `kg serve` (/sparql) and `oxigraph serve-read-only` (/query) in alternation, N rounds.
# Prints each round and the medians: requests/s, p50 and p99 latency, errors; and the
# throughput ratio kg serve / Oxigraph. Without --store it builds the embedded corpus.
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
PY="$ROOT/.venv/bin/python"
OXIGRAPH="$ROOT/.venv/bin/oxigraph"
STORE=""
RUNS=5
DURATION=30s
CONNECTIONS=16
THREADS=2
WORKERS=2
while [ $# -gt 0 ]; do
    case "$1" in
        --store) STORE="$2"; shift 2 ;;
        --runs) RUNS="$2"; shift 2 ;;
        --duration) DURATION="$2"; shift 2 ;;
        --connections) CONNECTIONS="$2"; shift 2 ;;
        --workers) WORKERS="$2"; shift 2 ;;
        *) echo "unknown option $1" >&2; exit 2 ;;
    esac
done
command -v wrk >/dev/null || { echo "wrk is missing: apt-get install wrk" >&2; exit 2; }

TMP="$(mktemp -d /tmp/bench-serve-XXXXXX)"
PIDS=()
cleanup() {
    for pid in "${PIDS[@]:-}"; do [ -n "$pid" ] && kill "$pid" 2>/dev/null || true; done
    wait 2>/dev/null || true
    rm -rf "$TMP"
}
trap cleanup EXIT

if [ -z "$STORE" ]; then
    STORE="$TMP/corpus.store"
    "$PY" -c "from kg.api import build; r = build(store='$STORE'); assert not r.failed" >&2
fi

# The wrk script: every library query, URL-encoded, requested in turn.
"$PY" - "$TMP/queries.lua" <<'EOF'
import sys
from urllib.parse import quote

from kg.query import _library_values, bind_params, load_library

params = {"entity_mentions": {"name": ["马兰花"]}, "region_changes": {"region": ["苏州市"]},
          "entity_search": {"q": ["malanhua"]}}
paths = []
for name, q in load_library().items():
    text = bind_params(q.text, _library_values(q, params.get(name, {})))
    paths.append("?query=" + quote(text, safe=""))
with open(sys.argv[1], "w", encoding="utf-8") as out:
    out.write("local paths = {\n")
    for p in paths:
        out.write(f'  "{p}",\n')
    out.write("}\nlocal i = 0\n")
    out.write("local prefix = os.getenv('BENCH_PREFIX')\n")
    out.write("request = function()\n  i = i + 1\n"
              "  return wrk.format('GET', prefix .. paths[(i % #paths) + 1],\n"
              "    {['Accept'] = 'application/sparql-results+json'})\nend\n")
print(f"{len(paths)} library queries", file=sys.stderr)
EOF

free_port() { "$PY" -c "import socket; s=socket.socket(); s.bind(('127.0.0.1',0)); print(s.getsockname()[1])"; }
wait_up() {  # url
    for _ in $(seq 1 300); do
        curl -sf -o /dev/null "$1" && return 0
        sleep 0.1
    done
    echo "server at $1 did not start" >&2; exit 1
}

KG_PORT="$(free_port)"
"$PY" -m kg.cli serve --store "$STORE" --port "$KG_PORT" --workers "$WORKERS" \
    >"$TMP/kg.log" 2>&1 &
PIDS+=($!)
OX_PORT="$(free_port)"
# Oxigraph reads the same folder read-only (kg serve reads its own snapshot of it)
"$OXIGRAPH" serve-read-only --location "$STORE" --bind "127.0.0.1:$OX_PORT" \
    >"$TMP/ox.log" 2>&1 &
PIDS+=($!)
wait_up "http://127.0.0.1:$KG_PORT/sparql?query=ASK%7B%7D"
wait_up "http://127.0.0.1:$OX_PORT/query?query=ASK%7B%7D"

run() {  # name base prefix -> "rps p50_ms p99_ms errors"
    local out
    out="$(BENCH_PREFIX="$3" wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" --latency \
        -s "$TMP/queries.lua" "$2" 2>&1)"
    echo "$out" >"$TMP/$1-last.txt"
    "$PY" - "$out" <<'EOF'
import re, sys
out = sys.argv[1]
def ms(text):
    v, unit = re.match(r"([\d.]+)(us|ms|s)", text).groups()
    return float(v) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]
rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
p50 = ms(re.search(r"50%\s+(\S+)", out).group(1))
p99 = ms(re.search(r"99%\s+(\S+)", out).group(1))
errors = sum(int(n) for n in re.findall(r"Non-2xx or 3xx responses: (\d+)", out))
sock = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
errors += sum(int(n) for n in sock.groups()) if sock else 0
print(f"{rps:.1f} {p50:.2f} {p99:.2f} {errors}")
EOF
}

echo "store: $STORE; wrk -t$THREADS -c$CONNECTIONS -d$DURATION; kg serve --workers $WORKERS"
printf "%-6s %-10s %10s %10s %10s %8s\n" round server req/s p50_ms p99_ms errors
KG_RESULTS=()
OX_RESULTS=()
for r in $(seq 1 "$RUNS"); do
    k="$(run kg "http://127.0.0.1:$KG_PORT" /sparql)"
    o="$(run ox "http://127.0.0.1:$OX_PORT" /query)"
    KG_RESULTS+=("$k")
    OX_RESULTS+=("$o")
    printf "%-6s %-10s %10s %10s %10s %8s\n" "$r" "kg serve" $k
    printf "%-6s %-10s %10s %10s %10s %8s\n" "$r" "oxigraph" $o
done
"$PY" - "${KG_RESULTS[@]}" -- "${OX_RESULTS[@]}" <<'EOF'
import statistics, sys
args = sys.argv[1:]
cut = args.index("--")
kg = [list(map(float, a.split())) for a in args[:cut]]
ox = [list(map(float, a.split())) for a in args[cut + 1:]]
def med(rows, i):
    return statistics.median(r[i] for r in rows)
for name, rows in (("kg serve", kg), ("oxigraph", ox)):
    print(f"median  {name:10} {med(rows, 0):10.1f} {med(rows, 1):10.2f} {med(rows, 2):10.2f} "
          f"{int(sum(r[3] for r in rows)):8d}")
ratios = [a[0] / b[0] for a, b in zip(kg, ox)]
print(f"throughput kg serve / oxigraph: median {statistics.median(ratios):.2f} "
      f"(rounds {min(ratios):.2f}–{max(ratios):.2f}; goal >= 0.5)")
EOF
