#!/usr/bin/env bash
# Proxy overhead of helix against the same stand-in upstream: direct, through `helix serve` (empty
# store: the no_match path, which still parses the request and asks the store), and through nginx
# (proxy_pass with keep-alive) as the reference reverse proxy. Load: wrk, POST chat completions.
# Also: how long `helix serve` takes to answer /health after it is started.
#
# Usage: bench/server/run.sh            (DURATION=10s ROUNDS=3 CONNECTIONS=64 by default)
#        DURATION=5s bench/server/run.sh
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
HERE="$ROOT/bench/server"
DURATION="${DURATION:-10s}"
ROUNDS="${ROUNDS:-3}"
CONNECTIONS="${CONNECTIONS:-64}"
THREADS="${THREADS:-2}"
WORK="$(mktemp -d /tmp/helix-bench-server.XXXXXX)"
PIDS=()
cleanup() {
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  [[ -f "$WORK/nginx.pid" ]] && kill "$(cat "$WORK/nginx.pid")" 2>/dev/null || true
  rm -rf "$WORK"
}
trap cleanup EXIT

need=()
command -v nginx >/dev/null 2>&1 || [[ -x /usr/sbin/nginx ]] || need+=(nginx)
command -v wrk >/dev/null 2>&1 || need+=(wrk)
if ((${#need[@]})); then
  echo "bench: installing ${need[*]}" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >&2
  apt-get install -y -qq --no-install-recommends "${need[@]}" >&2
fi
NGINX="$(command -v nginx || echo /usr/sbin/nginx)"

JAVA_HOME="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"
export JAVA_HOME
JAVA="$JAVA_HOME/bin/java"
echo "bench: building the application and the stand-in upstream" >&2
(cd "$ROOT" && ./mvnw -o -q -B package -DskipTests -DskipITs >&2 && ./mvnw -o -q -B test-compile >&2)
"$ROOT/helix" --version >/dev/null # builds ./helix's own copy of the application when the sources changed
APP="$ROOT/target/app"

# A port printed by a child on a line "…listening… PORT" / "listening on http://host:PORT".
wait_port() { # file pattern
  for _ in $(seq 1 600); do
    if grep -qE "$2" "$1" 2>/dev/null; then grep -oE "$2" "$1" | head -n1 | grep -oE '[0-9]+$'; return 0; fi
    sleep 0.05
  done
  echo "bench: no port in $1:" >&2; cat "$1" >&2; return 1
}

# The stand-in upstream (JDK HttpServer, canned answers, recording off).
"$JAVA" -cp "$ROOT/target/test-classes:$APP/lib/*" dev.helix.testing.StandInUpstream --no-record \
  > "$WORK/standin.out" 2> "$WORK/standin.err" &
UP_PORT_PID=$!
PIDS+=($!)
UP_PORT="$(wait_port "$WORK/standin.out" 'listening [0-9]+')"

# helix serve, timed from launch to its first /health answer.
cat > "$WORK/helix.toml" <<TOML
[server]
port = 0
upstream = "http://127.0.0.1:$UP_PORT"
[store]
path = "$WORK/store"
TOML
# `./helix serve` as users and the launcher start it (class-data sharing included). The first start
# builds the application if needed and records the class-data archive; the second one is timed.
start_helix() {
  : > "$WORK/helix.err"
  HELIX_HOME="$WORK/home" "$ROOT/helix" serve --config "$WORK/helix.toml" 2> "$WORK/helix.err" &
  HELIX_PID=$!
  HELIX_PORT="$(wait_port "$WORK/helix.err" 'listening on http://[^:]+:[0-9]+')"
  until curl -fsS "http://127.0.0.1:$HELIX_PORT/health" >/dev/null 2>&1; do sleep 0.01; done
}
start_helix
kill "$HELIX_PID"; wait "$HELIX_PID" 2>/dev/null || true
sleep 1
start_ns=$(date +%s%N)
start_helix
health_ms=$(( ($(date +%s%N) - start_ns) / 1000000 ))
PIDS+=("$HELIX_PID")
# CPU the server used until then (user + system): what start-up costs without the machine's load.
health_cpu_ms=$(awk -v hz="$(getconf CLK_TCK)" '{print int(($14 + $15) * 1000 / hz)}' "/proc/$HELIX_PID/stat")

# nginx as the reference proxy: keep-alive to the upstream, no buffering, no logs.
NGINX_PORT="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')"
cat > "$WORK/nginx.conf" <<CONF
daemon on;
user root;
worker_processes $THREADS;
pid $WORK/nginx.pid;
error_log $WORK/nginx.err warn;
events { worker_connections 4096; }
http {
  access_log off;
  client_body_temp_path $WORK/nginx-body;
  proxy_temp_path $WORK/nginx-proxy;
  upstream standin { server 127.0.0.1:$UP_PORT; keepalive 128; }
  server {
    listen 127.0.0.1:$NGINX_PORT;
    location / {
      proxy_pass http://standin;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_buffering off;
    }
  }
}
CONF
"$NGINX" -c "$WORK/nginx.conf" -p "$WORK" 2>&1 >&2
until curl -fsS "http://127.0.0.1:$NGINX_PORT/v1/models" >/dev/null 2>&1; do sleep 0.05; done

# CPU (user + system, ms) used so far by the processes that serve a route: the proxy's own cost per
# request, which the machine's load does not inflate the way it does wall-clock latency.
cpu_ms() { # pid...
  local total=0 pid
  for pid in "$@"; do
    total=$(( total + $(awk -v hz="$(getconf CLK_TCK)" '{print int(($14 + $15) * 1000 / hz)}' "/proc/$pid/stat") ))
  done
  echo "$total"
}
route_pids() { # name
  case "$1" in
    helix) echo "$HELIX_PID" ;;
    nginx) echo "$(cat "$WORK/nginx.pid") $(pgrep -P "$(cat "$WORK/nginx.pid")" | tr '\n' ' ')" ;;
    *) echo "$UP_PORT_PID" ;;
  esac
}
load() { # name url connections duration
  local out before after
  local threads=$(( $3 < THREADS ? $3 : THREADS ))
  # shellcheck disable=SC2046
  before=$(cpu_ms $(route_pids "${1%% *}"))
  out="$(wrk -t"$threads" -c"$3" -d"$4" -s "$HERE/chat.lua" "$2/v1/chat/completions" | grep '^RESULT')"
  # shellcheck disable=SC2046
  after=$(cpu_ms $(route_pids "${1%% *}"))
  echo "$1 $out cpu_ms=$(( after - before ))"
}

echo "bench: warming up (JIT) for 20 s" >&2
wrk -t"$THREADS" -c"$CONNECTIONS" -d5s -s "$HERE/chat.lua" "http://127.0.0.1:$UP_PORT/v1/chat/completions" >/dev/null
wrk -t"$THREADS" -c"$CONNECTIONS" -d10s -s "$HERE/chat.lua" "http://127.0.0.1:$HELIX_PORT/v1/chat/completions" >/dev/null
wrk -t"$THREADS" -c"$CONNECTIONS" -d5s -s "$HERE/chat.lua" "http://127.0.0.1:$NGINX_PORT/v1/chat/completions" >/dev/null

# Rounds alternate the three routes, so a burst of load from elsewhere on the machine hits all of
# them alike; the report takes each figure's median over the rounds.
results="$WORK/results.txt"
for round in $(seq 1 "$ROUNDS"); do
  for c in 1 "$CONNECTIONS"; do
    echo "bench: round $round, $c connection(s), $DURATION each" >&2
    load "direct c=$c" "http://127.0.0.1:$UP_PORT" "$c" "$DURATION" | tee -a "$results" >&2
    load "helix c=$c" "http://127.0.0.1:$HELIX_PORT" "$c" "$DURATION" | tee -a "$results" >&2
    load "nginx c=$c" "http://127.0.0.1:$NGINX_PORT" "$c" "$DURATION" | tee -a "$results" >&2
  done
done

python3 - "$results" "$health_ms" "$CONNECTIONS" "$DURATION" "$health_cpu_ms" "$ROUNDS" > "$WORK/run.md" <<'PY'
import re, sys, datetime, os, platform, statistics
runs = {}
for line in open(sys.argv[1]):
    name, c, rest = line.split(" ", 2)
    runs.setdefault((name, c), []).append({k: float(v) for k, v in re.findall(r"(\w+)=([\d.]+)", rest)})
rows = {key: {k: statistics.median(r[k] for r in rs) for k in rs[0]} for key, rs in runs.items()}
health_ms, conns, duration, health_cpu_ms, rounds = int(sys.argv[2]), sys.argv[3], sys.argv[4], int(sys.argv[5]), sys.argv[6]
cpus = os.cpu_count()
mem = round(os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30)
load = open("/proc/loadavg").read().split()[:3]
out = []
out.append(f"## Run of {datetime.datetime.now(datetime.timezone.utc):%Y-%m-%d %H:%M} UTC\n")
out.append(f"- command: `bench/server/run.sh` (DURATION={duration}, ROUNDS={rounds}, CONNECTIONS={conns}, wrk -t2, POST /v1/chat/completions); figures are medians over the rounds")
out.append(f"- machine: {cpus} cores, {mem} GiB, {platform.system()} {platform.release()}; load average at the end {' '.join(load)}"
           " (the machine is shared with other builds: absolute figures are noisy, compare within the run)")
out.append("- upstream: the stand-in (`dev.helix.testing.StandInUpstream`, JDK HttpServer, canned JSON); "
           "helix with an empty store (no_match path); nginx `proxy_pass` with upstream keep-alive\n")
out.append("| route | connections | req/s | p50 ms | p90 ms | p99 ms | errors | CPU µs per request |")
out.append("|---|---|---|---|---|---|---|---|")
cpu_us = {key: statistics.median(r["cpu_ms"] * 1000 / r["requests"] for r in rs) for key, rs in runs.items()}
for (name, c), r in rows.items():
    out.append(f"| {name} | {c.split('=')[1]} | {r['rps']:.0f} | {r['p50_us']/1000:.3f} | {r['p90_us']/1000:.3f} | {r['p99_us']/1000:.3f} | {int(r['errors'])} | {cpu_us[(name, c)]:.0f} |")
out.append("")
out.append("CPU per request is the user + system time of the process(es) serving the route (direct: the stand-in; "
           "helix: its JVM; nginx: master and workers) over the run, divided by the requests answered: "
           "the serving cost itself, which the machine's load inflates far less than latency.")
out.append("")
verdicts = []
for c in ("c=1", f"c={conns}"):
    d, h, n = rows[("direct", c)], rows[("helix", c)], rows[("nginx", c)]
    added_h = (h["p50_us"] - d["p50_us"]) / 1000
    added_n = (n["p50_us"] - d["p50_us"]) / 1000
    ratio = added_h / added_n if added_n > 0 else float("inf")
    tput = h["rps"] / d["rps"]
    out.append(f"**{c}**: helix adds {added_h:.3f} ms to p50 (nginx adds {added_n:.3f} ms; helix/nginx = {ratio:.2f}x); "
               f"helix throughput = {tput:.0%} of direct (nginx: {n['rps']/d['rps']:.0%}); "
               f"CPU per request helix {cpu_us[('helix', c)]:.0f} µs, nginx {cpu_us[('nginx', c)]:.0f} µs "
               f"({cpu_us[('helix', c)] / cpu_us[('nginx', c)]:.2f}x).\n")
    if c != "c=1":
        verdicts = [("added p50 <= 0.5 ms", added_h <= 0.5), ("added p50 <= 2x nginx", ratio <= 2),
                    ("throughput >= 70% of direct", tput >= 0.7)]
out.append(f"`./helix serve` (second start, class-data archive recorded by the first) answered /health {health_ms} ms after launch (target: 1500 ms), having used {health_cpu_ms} ms of CPU by then.\n")
verdicts.append(("/health within 1.5 s of start", health_ms <= 1500))
out.append("Targets at %s connections: " % conns + "; ".join(f"{n}: {'met' if ok else 'NOT met'}" for n, ok in verdicts) + ".\n")
out.append("How to read this: the load generator, the stand-in, the proxy and the other builds on this "
           "machine share 2 cores, so at 64 connections every route is CPU-bound and its p50 is mostly "
           "queueing; the proxied routes pay for a second server process on the same cores, so neither "
           "nginx nor helix can come near 70% of direct here (on real deployments the LLM, not the proxy, "
           "is the bottleneck). The 1-connection rows show the per-request cost.\n")
print("\n".join(out))
PY
# The newest run goes on top; earlier runs stay below it, so a run never erases the record.
{
  echo "# helix server: proxy overhead"
  echo
  echo "Newest run first. Retrieval on a 100k-chunk store: \`bench/server/retrieval.sh\`, results in [RETRIEVAL.md](RETRIEVAL.md)."
  echo
  cat "$WORK/run.md"
  if [[ -f "$HERE/RESULTS.md" ]]; then
    sed -e '1{/^# helix server: proxy overhead$/d}' -e '/^Newest run first\./d' "$HERE/RESULTS.md"
  fi
} > "$WORK/RESULTS.md"
mv "$WORK/RESULTS.md" "$HERE/RESULTS.md"
cat "$WORK/run.md"
