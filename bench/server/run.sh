#!/usr/bin/env bash
# Proxy overhead of helix against the same stand-in upstream: direct, through `helix serve` (empty
# store: the no_match path, which still parses the request and asks the store), and through nginx
# (proxy_pass with keep-alive) as the reference reverse proxy. Load: wrk, POST chat completions.
# helix runs three times side by side, its code unchanged, on three HTTP servers behind the same
# com.sun.net.httpserver API (issue #18): the JDK's HttpServer (what ships), Jetty 12 with its
# selectors on platform threads and handlers on helix's virtual threads, and Jetty 12 with all of
# its work on helix's virtual-thread executor (the stock jetty-http-spi set-up). bench/server/jetty
# builds the two Jetty providers. Also: how long `helix serve` takes to answer /health after start.
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
# The Jetty providers and their jars (a project of its own: see bench/server/jetty/pom.xml). Offline
# first; the first run on a machine may have to fetch Jetty.
(cd "$ROOT" && { ./mvnw -o -q -B -f bench/server/jetty/pom.xml package -DskipTests >&2 2>/dev/null \
  || ./mvnw -q -B -f bench/server/jetty/pom.xml package -DskipTests >&2; })
JETTY_LIB="$HERE/jetty/target/jetty-lib"
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
kill "$HELIX_PID"; wait "$HELIX_PID" 2>/dev/null || true

# The three servers compared, each a `helix serve` started the same way (plain java with ./helix's
# JVM options, no class-data archive, a store of its own): only the HttpServerProvider differs.
JVM_OPTS=(-Xlog:disable -Xlog:all=error:stderr --enable-native-access=ALL-UNNAMED)
grep -q 'jdk\.incubator\.vector' "$JAVA_HOME/release" 2>/dev/null && JVM_OPTS+=(--add-modules=jdk.incubator.vector)
VARIANTS=(helix-jdk helix-jetty helix-jetty-allvt)
declare -A PROVIDER=([helix-jdk]="" [helix-jetty]=dev.helix.bench.jetty.VirtualThreadsJettyProvider
  [helix-jetty-allvt]=dev.helix.bench.jetty.AllVirtualJettyProvider)
declare -A VPID VPORT
for v in "${VARIANTS[@]}"; do
  sed "s|$WORK/store|$WORK/store-$v|" "$WORK/helix.toml" > "$WORK/$v.toml"
  cp="$APP/helix.jar:$APP/lib/*"
  props=()
  if [[ -n "${PROVIDER[$v]}" ]]; then
    cp="$cp:$JETTY_LIB/*"
    props=(-Dcom.sun.net.httpserver.HttpServerProvider="${PROVIDER[$v]}")
  fi
  HELIX_HOME="$WORK/home-$v" "$JAVA" "${JVM_OPTS[@]}" ${props[@]+"${props[@]}"} -Dhelix.app.dir="$APP" -cp "$cp" \
    dev.helix.cli.Main serve --config "$WORK/$v.toml" 2> "$WORK/$v.err" &
  VPID[$v]=$!
  PIDS+=($!)
  VPORT[$v]="$(wait_port "$WORK/$v.err" 'listening on http://[^:]+:[0-9]+')"
  until curl -fsS "http://127.0.0.1:${VPORT[$v]}/health" >/dev/null 2>&1; do sleep 0.01; done
  server="$(curl -fsS -o /dev/null -D - "http://127.0.0.1:${VPORT[$v]}/health" | tr -d '\r' | sed -n 's/^[Ss]erver: //p')"
  echo "bench: $v on port ${VPORT[$v]} (Server header: ${server:-none, the JDK HttpServer})" >&2
  # A Jetty route that is not served by Jetty would compare the JDK server with itself.
  if [[ -n "${PROVIDER[$v]}" && "$server" != Jetty* ]]; then
    echo "bench: $v should be served by Jetty but answers with Server '${server}'; check $JETTY_LIB" >&2
    exit 1
  fi
done

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
    helix-*) echo "${VPID[$1]}" ;;
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

load_start="$(cut -d" " -f1-3 /proc/loadavg)"
echo "bench: warming up (JIT) for 40 s" >&2
wrk -t"$THREADS" -c"$CONNECTIONS" -d5s -s "$HERE/chat.lua" "http://127.0.0.1:$UP_PORT/v1/chat/completions" >/dev/null
for v in "${VARIANTS[@]}"; do
  wrk -t"$THREADS" -c"$CONNECTIONS" -d10s -s "$HERE/chat.lua" "http://127.0.0.1:${VPORT[$v]}/v1/chat/completions" >/dev/null
done
wrk -t"$THREADS" -c"$CONNECTIONS" -d5s -s "$HERE/chat.lua" "http://127.0.0.1:$NGINX_PORT/v1/chat/completions" >/dev/null

# Rounds alternate the routes, so a burst of load from elsewhere on the machine hits all of
# them alike; the report takes each figure's median over the rounds.
results="$WORK/results.txt"
for round in $(seq 1 "$ROUNDS"); do
  for c in 1 "$CONNECTIONS"; do
    echo "bench: round $round, $c connection(s), $DURATION each" >&2
    load "direct c=$c" "http://127.0.0.1:$UP_PORT" "$c" "$DURATION" | tee -a "$results" >&2
    for v in "${VARIANTS[@]}"; do
      load "$v c=$c" "http://127.0.0.1:${VPORT[$v]}" "$c" "$DURATION" | tee -a "$results" >&2
    done
    load "nginx c=$c" "http://127.0.0.1:$NGINX_PORT" "$c" "$DURATION" | tee -a "$results" >&2
  done
done

python3 - "$results" "$health_ms" "$CONNECTIONS" "$DURATION" "$health_cpu_ms" "$ROUNDS" "$load_start" > "$WORK/run.md" <<'PY'
import re, sys, datetime, os, platform, statistics
runs = {}
for line in open(sys.argv[1]):
    name, c, rest = line.split(" ", 2)
    runs.setdefault((name, c), []).append({k: float(v) for k, v in re.findall(r"(\w+)=([\d.]+)", rest)})
rows = {key: {k: statistics.median(r[k] for r in rs) for k in rs[0]} for key, rs in runs.items()}
health_ms, conns, duration, health_cpu_ms, rounds = int(sys.argv[2]), sys.argv[3], sys.argv[4], int(sys.argv[5]), sys.argv[6]
load_start = sys.argv[7]
cpus = os.cpu_count()
mem = round(os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30)
load = " ".join(open("/proc/loadavg").read().split()[:3])
servers = {"helix-jdk": "JDK HttpServer (what ships)",
           "helix-jetty": "Jetty 12.1.14, selectors on platform threads, handlers on virtual threads",
           "helix-jetty-allvt": "Jetty 12.1.14, all of Jetty's work on helix's virtual-thread executor (stock jetty-http-spi set-up)"}
out = []
out.append(f"## Run of {datetime.datetime.now(datetime.timezone.utc):%Y-%m-%d %H:%M} UTC (helix on three HTTP servers, issue #18)\n")
out.append(f"- command: `bench/server/run.sh` (DURATION={duration}, ROUNDS={rounds}, CONNECTIONS={conns}, wrk -t2, POST /v1/chat/completions); figures are medians over the rounds")
out.append(f"- machine: {cpus} cores, {mem} GiB, {platform.system()} {platform.release()}; load average {load_start} at the start, {load} at the end"
           " (the machine is shared with other builds: absolute figures are noisy, compare within the run)")
out.append("- upstream: the stand-in (`dev.helix.testing.StandInUpstream`, JDK HttpServer, canned JSON); "
           "helix with an empty store (no_match path), its code unchanged, started three times with plain `java` "
           "and ./helix's JVM options, differing only in `-Dcom.sun.net.httpserver.HttpServerProvider`; "
           "nginx `proxy_pass` with upstream keep-alive")
for name, what in servers.items():
    out.append(f"- `{name}`: {what}")
out.append("")
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
added = {}
for c in ("c=1", f"c={conns}"):
    d, n = rows[("direct", c)], rows[("nginx", c)]
    added_n = (n["p50_us"] - d["p50_us"]) / 1000
    added[("nginx", c)] = added_n
    parts = [f"nginx adds {added_n:.3f} ms to p50 ({cpu_us[('nginx', c)]:.0f} µs CPU per request)"]
    for v in servers:
        h = rows[(v, c)]
        a = (h["p50_us"] - d["p50_us"]) / 1000
        added[(v, c)] = a
        ratio = a / added_n if added_n > 0 else float("inf")
        parts.append(f"{v} adds {a:.3f} ms ({ratio:.2f}x nginx; {h['rps']/d['rps']:.0%} of direct's throughput; "
                     f"{cpu_us[(v, c)]:.0f} µs CPU per request, {cpu_us[(v, c)] / cpu_us[('nginx', c)]:.2f}x nginx)")
    out.append(f"**{c}**: " + "; ".join(parts) + ".\n")
c64 = f"c={conns}"
base = added[("helix-jdk", c64)]
lines = []
for v in ("helix-jetty", "helix-jetty-allvt"):
    a = added[(v, c64)]
    cut = 1 - a / base if base > 0 else 0.0
    cpu_ratio = cpu_us[(v, c64)] / cpu_us[("helix-jdk", c64)]
    lines.append((v, a, cut, cpu_ratio))
    out.append(f"{v} vs helix-jdk at {conns} connections: added p50 {a:.3f} vs {base:.3f} ms "
               f"({'a cut of' if cut >= 0 else 'a rise of'} {abs(cut):.0%}), CPU per request {cpu_ratio:.2f}x, "
               f"throughput {rows[(v, c64)]['rps'] / rows[('helix-jdk', c64)]['rps']:.2f}x; "
               f"at 1 connection added p50 {added[(v, 'c=1')]:.3f} vs {added[('helix-jdk', 'c=1')]:.3f} ms.\n")
best = max(lines, key=lambda t: t[2])
verdict = "SWITCH" if best[2] >= 0.30 else "STAY on the JDK HttpServer"
out.append(f"**Decision rule** (switch if the alternative cuts helix's added p50 at {conns} connections by at least 30%): "
           f"best alternative {best[0]}, cut {best[2]:.0%}: **{verdict}** (this run).\n")
j = rows[("helix-jdk", c64)]
targets = [("added p50 <= 0.5 ms", base <= 0.5), ("added p50 <= 2x nginx", base <= 2 * added[("nginx", c64)]),
           ("throughput >= 70% of direct", j["rps"] / rows[("direct", c64)]["rps"] >= 0.7),
           ("/health within 1.5 s of start", health_ms <= 1500)]
out.append(f"Targets for helix as it ships (helix-jdk) at {conns} connections: "
           + "; ".join(f"{n}: {'met' if ok else 'NOT met'}" for n, ok in targets) + ".\n")
out.append(f"`./helix serve` (second start, class-data archive recorded by the first) answered /health {health_ms} ms after launch (target: 1500 ms), having used {health_cpu_ms} ms of CPU by then.\n")
out.append("How to read this: the load generator, the stand-in, the proxy and the other builds on this "
           "machine share 2 cores, so at 64 connections every route is CPU-bound and its p50 is mostly "
           "queueing; the proxied routes pay for a second server process on the same cores, and the three helix JVMs "
           "sit idle beside the one under load. The 1-connection rows show the per-request cost.\n")
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
