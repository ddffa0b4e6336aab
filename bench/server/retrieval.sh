#!/usr/bin/env bash
# helix serve on a store of 100k+ chunks: how long until /health answers after launch, and what
# retrieval adds to a chat call (the user's question looked up in the store and the context
# injected), against the same stand-in upstream called directly, alternating in one run.
#
# Usage: bench/server/retrieval.sh        (COPIES=8 copies of the bench/store corpus; DURATION=10s;
#                                          ROUNDS=3; CONNECTIONS=1 and 8)
# The store is built once under $BENCH_WORK (default /tmp/helix-bench-retrieval) and kept; its
# vectors are off ([store] embeddings = false): computing 100k of them takes over 20 minutes here,
# so the figures are for lexical retrieval.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
HERE="$ROOT/bench/server"
WORK="${BENCH_WORK:-/tmp/helix-bench-retrieval}"
COPIES="${COPIES:-8}"
DURATION="${DURATION:-10s}"
ROUNDS="${ROUNDS:-3}"
export JAVA_HOME="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"
JAVA="$JAVA_HOME/bin/java"
command -v wrk >/dev/null || { echo "retrieval.sh: needs wrk (apt-get install wrk)" >&2; exit 2; }
cd "$ROOT"
mkdir -p "$WORK/jars" "$WORK/corpus"
PIDS=()
trap 'for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done' EXIT

# The corpus of bench/store: four real sources jars from Maven Central, copied COPIES times.
for artifact in com.google.guava:guava:33.3.1-jre com.fasterxml.jackson.core:jackson-core:2.18.2 \
    com.fasterxml.jackson.core:jackson-databind:2.18.2 io.netty:netty-common:4.1.115.Final; do
  IFS=: read -r group name version <<<"$artifact"
  jar="$WORK/jars/$name-$version-sources.jar"
  [[ -f "$jar" ]] || ./mvnw -q -B dependency:copy -Dartifact="$artifact:jar:sources" -DoutputDirectory="$WORK/jars" >&2
  [[ -d "$WORK/corpus/$name" ]] || { mkdir -p "$WORK/corpus/$name" && (cd "$WORK/corpus/$name" && unzip -q "$jar"); }
done
if [[ ! -d "$WORK/tree" ]]; then
  for ((i = 1; i <= COPIES; i++)); do mkdir -p "$WORK/tree/copy$i" && cp -r "$WORK/corpus/." "$WORK/tree/copy$i/"; done
fi
cat > "$WORK/helix.toml" <<TOML
[server]
port = 0
upstream = "http://127.0.0.1:UPSTREAM_PORT"
[store]
path = "$WORK/store"
embeddings = false
TOML

./helix --version >/dev/null
(./mvnw -o -q -B test-compile >&2)
CP="$ROOT/target/test-classes:$(ls -td "$ROOT"/.helix/app/*/ | head -n1)lib/*"

echo "bench: ingesting $WORK/tree (kept between runs; a re-run finds it unchanged)" >&2
HELIX_HOME="$WORK/home" ./helix ingest --config "$WORK/helix.toml" --json "$WORK/tree" > "$WORK/ingest.json"
chunks="$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["store"]["chunks"])' "$WORK/ingest.json")"
echo "bench: store of $chunks chunks" >&2

wait_port() { # file pattern
  for _ in $(seq 1 600); do
    if grep -qE "$2" "$1" 2>/dev/null; then grep -oE "$2" "$1" | head -n1 | grep -oE '[0-9]+$'; return 0; fi
    sleep 0.05
  done
  echo "bench: no port in $1" >&2; cat "$1" >&2; return 1
}
"$JAVA" -cp "$CP" dev.helix.testing.StandInUpstream --no-record > "$WORK/standin.out" 2> "$WORK/standin.err" &
PIDS+=($!)
UP_PORT="$(wait_port "$WORK/standin.out" 'listening [0-9]+')"
sed -i "s/UPSTREAM_PORT/$UP_PORT/; s/127.0.0.1:[0-9]*\"/127.0.0.1:$UP_PORT\"/" "$WORK/helix.toml"

start_helix() {
  : > "$WORK/helix.err"
  local t0; t0=$(date +%s%N)
  HELIX_HOME="$WORK/home" ./helix serve --config "$WORK/helix.toml" 2> "$WORK/helix.err" &
  HELIX_PID=$!
  HELIX_PORT="$(wait_port "$WORK/helix.err" 'listening on http://[^:]+:[0-9]+')"
  until curl -fsS "http://127.0.0.1:$HELIX_PORT/health" >/dev/null 2>&1; do sleep 0.01; done
  HEALTH_MS=$(( ($(date +%s%N) - t0) / 1000000 ))
}
health=()
for i in 1 2 3 4; do
  start_helix
  health+=("$HEALTH_MS")
  if ((i < 4)); then kill "$HELIX_PID"; wait "$HELIX_PID" 2>/dev/null || true; sleep 1; fi
done
PIDS+=("$HELIX_PID")
# The first start may rebuild or train ./helix's start-up cache: the last three are the figure.
echo "bench: /health after launch on $chunks chunks: ${health[*]} ms (first one untimed)" >&2

QUESTION="how does the reference count of a ByteBuf get released when the last owner is done"
cat > "$WORK/chat.lua" <<LUA
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer sk-bench"
wrk.body = '{"model":"stand-in","messages":[{"role":"system","content":"be brief"},{"role":"user","content":"$QUESTION"}]}'
LUA
tail -n +6 "$HERE/chat.lua" >> "$WORK/chat.lua"
verdict="$(curl -s -D - -o /dev/null -H 'Content-Type: application/json' \
  -d "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"$QUESTION\"}]}" \
  "http://127.0.0.1:$HELIX_PORT/v1/chat/completions" | tr -d '\r' | grep -i '^x-helix-' | tr '\n' ' ')"
echo "bench: helix answers the bench question with: $verdict" >&2

wrk -t1 -c1 -d5s -s "$WORK/chat.lua" "http://127.0.0.1:$HELIX_PORT/v1/chat/completions" >/dev/null
results="$WORK/results.txt"; : > "$results"
for round in $(seq 1 "$ROUNDS"); do
  for c in 1 8; do
    for route in direct helix; do
      port=$([[ $route == direct ]] && echo "$UP_PORT" || echo "$HELIX_PORT")
      line="$(wrk -t1 -c"$c" -d"$DURATION" -s "$WORK/chat.lua" "http://127.0.0.1:$port/v1/chat/completions" | grep '^RESULT')"
      echo "$route c=$c $line" | tee -a "$results" >&2
    done
  done
done

python3 - "$results" "$chunks" "${health[1]}" "${health[2]}" "${health[3]}" "$verdict" <<'PY'
import re, statistics, sys
rows = {}
for line in open(sys.argv[1]):
    route, c = line.split()[:2]
    m = dict(re.findall(r'(\w+)=([\d.]+)', line))
    rows.setdefault((route, c), []).append(m)
chunks, health, verdict = sys.argv[2], sorted(int(x) for x in sys.argv[3:6]), sys.argv[6]
print(f"store: {chunks} chunks (lexical); /health after launch: {health} ms, median {health[1]} ms (target 1500)")
print(f"bench question answered with: {verdict}")
print("| route | connections | req/s | p50 ms | p90 ms | p99 ms | errors |")
print("|---|---|---|---|---|---|---|")
med = {}
for (route, c), ms in sorted(rows.items(), key=lambda kv: (int(kv[0][1].split('=')[1]), kv[0][0])):
    f = lambda k: statistics.median(float(m[k]) for m in ms)
    med[(route, c)] = f('p50_us') / 1000
    print(f"| {route} | {c.split('=')[1]} | {f('rps'):.0f} | {f('p50_us')/1000:.2f} | {f('p90_us')/1000:.2f} | {f('p99_us')/1000:.2f} | {int(f('errors'))} |")
for c in ("c=1", "c=8"):
    added = med[("helix", c)] - med[("direct", c)]
    print(f"{c}: retrieval and injection add {added:.2f} ms to p50 (target <= 15 ms: {'met' if added <= 15 else 'NOT met'})")
PY
