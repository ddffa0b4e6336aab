#!/usr/bin/env bash
# Upstream HTTP clients compared in one run (issue #18): helix's own proxy/UpstreamClient against
# Apache HttpClient 5 classic, the Jetty 12 client and the JDK HttpClient, all pooled, called from
# 1 and 64 virtual threads with the same ~2 KB chat completion POST, for a JSON answer and for a
# stream of 50 server-sent events, against a stand-in upstream in its own process on loopback.
# p50/p99 latency and CPU per request (the bench JVM's user + system time over the requests it
# made), median of the rounds. The harness is test code (dev.helix.bench.UpstreamClientBench).
#
# Usage: bench/upstream-client/run.sh            (SECONDS_PER_PHASE=5 ROUNDS=3 by default)
#        CLIENTS=helix,apache bench/upstream-client/run.sh
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
HERE="$ROOT/bench/upstream-client"
SECONDS_PER_PHASE="${SECONDS_PER_PHASE:-5}"
ROUNDS="${ROUNDS:-3}"
CLIENTS="${CLIENTS:-helix,apache,jetty,jdk}"
WORK="$(mktemp -d /tmp/helix-bench-client.XXXXXX)"
UP_PID=""
cleanup() {
  [[ -n "$UP_PID" ]] && kill "$UP_PID" 2>/dev/null || true
  rm -rf "$WORK"
}
trap cleanup EXIT

JAVA_HOME="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"
export JAVA_HOME
JAVA="$JAVA_HOME/bin/java"
echo "bench: compiling the harness" >&2
(cd "$ROOT" && ./mvnw -o -q -B test-compile >&2 \
  && ./mvnw -o -q -B dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile="$WORK/cp.txt" >&2)
CP="$ROOT/target/test-classes:$ROOT/target/classes:$(cat "$WORK/cp.txt")"

# The stand-in upstream, in a process of its own so that the bench JVM's CPU is the clients' alone.
"$JAVA" -cp "$CP" dev.helix.bench.BenchUpstream > "$WORK/upstream.out" 2> "$WORK/upstream.err" &
UP_PID=$!
for _ in $(seq 1 200); do grep -q '^listening ' "$WORK/upstream.out" 2>/dev/null && break; sleep 0.05; done
PORT="$(sed -n 's/^listening //p' "$WORK/upstream.out")"
[[ -n "$PORT" ]] || { echo "bench: the stand-in upstream did not start:" >&2; cat "$WORK/upstream.err" >&2; exit 1; }

load_start="$(cut -d' ' -f1-3 /proc/loadavg)"
# Default JVM settings but for a heap fixed in size, so no client pays for the heap growing mid-run.
"$JAVA" -Xms1g -Xmx1g -cp "$CP" dev.helix.bench.UpstreamClientBench "http://127.0.0.1:$PORT" \
  --seconds "$SECONDS_PER_PHASE" --rounds "$ROUNDS" --clients "$CLIENTS" > "$WORK/table.md"
load_end="$(cut -d' ' -f1-3 /proc/loadavg)"

{
  echo "## Run of $(date -u '+%Y-%m-%d %H:%M') UTC"
  echo
  echo "- command: \`bench/upstream-client/run.sh\` (SECONDS_PER_PHASE=$SECONDS_PER_PHASE, ROUNDS=$ROUNDS, CLIENTS=$CLIENTS); figures are medians over the rounds"
  echo "- machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%d GiB", $2/1048576 + 0.5}' /proc/meminfo), $(uname -sr), $("$JAVA" -version 2>&1 | head -n1); load average $load_start at the start, $load_end at the end (the machine is shared with other builds: compare within the run)"
  echo "- upstream: dev.helix.bench.BenchUpstream (JDK HttpServer on virtual threads, its own process): a 1 KB JSON answer with Content-Length, or 50 server-sent events each flushed (chunked)"
  echo "- request: POST /v1/chat/completions, 2 KB of JSON; callers are virtual threads, each sending its next request when its answer has been read to the end"
  echo
  cat "$WORK/table.md"
} > "$WORK/run.md"
{
  echo "# Upstream clients: same-run comparison"
  echo
  echo "Newest run first; the reading of these figures is in [docs/upstream-client.md](../../docs/upstream-client.md)."
  echo
  cat "$WORK/run.md"
  if [[ -f "$HERE/RESULTS.md" ]]; then
    sed -e '1{/^# Upstream clients: same-run comparison$/d}' -e '/^Newest run first;/d' "$HERE/RESULTS.md"
  fi
} > "$WORK/RESULTS.md"
mv "$WORK/RESULTS.md" "$HERE/RESULTS.md"
cat "$WORK/run.md"
