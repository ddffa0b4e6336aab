#!/usr/bin/env bash
# Launcher start-up benchmark: how long `./helix up` takes until the dashboard AND the server answer,
# against `./helix serve` alone (until /health answers), measured alternately in the same run.
# Usage: bench/launcher/run.sh [ROUNDS]   (default 5). Writes nothing but a temp dir; prints a table.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
ROUNDS="${1:-5}"
WORK="$(mktemp -d)"
trap 'HELIX_HOME="$WORK/home" "$ROOT/helix" down --config "$WORK/helix.toml" >/dev/null 2>&1 || true; rm -rf "$WORK"' EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }
SERVER_PORT="$(free_port)"; LAUNCHER_PORT="$(free_port)"; HEADROOM_PORT="$(free_port)"
cat > "$WORK/helix.toml" <<TOML
[server]
port = $SERVER_PORT
[launcher]
port = $LAUNCHER_PORT
[headroom]
port = $HEADROOM_PORT
TOML
export HELIX_HOME="$WORK/home"
CONFIG=(--config "$WORK/helix.toml")

now_ms() { date +%s%3N; }
answers() { curl -fsS -o /dev/null --max-time 1 "$1" 2>/dev/null; }
wait_for() { # deadline_ms url...
  local deadline="$1"; shift
  for url in "$@"; do
    until answers "$url"; do
      (( $(now_ms) < deadline )) || { echo "timed out waiting for $url" >&2; return 1; }
      sleep 0.02
    done
  done
}

stop() { # pid: SIGTERM (what Ctrl-C or systemd sends), then wait at most 30 s
  kill -TERM "$1" 2>/dev/null || true
  for _ in $(seq 300); do kill -0 "$1" 2>/dev/null || { wait "$1" 2>/dev/null || true; return 0; }; sleep 0.1; done
  kill -KILL "$1" 2>/dev/null || true; wait "$1" 2>/dev/null || true
}

echo "building (if needed) and warming up..." >&2
"$ROOT/helix" --version >/dev/null
# An existing store: one serve run creates it, and records the class-data archive ./helix uses.
"$ROOT/helix" serve "${CONFIG[@]}" 2>/dev/null & pid=$!
wait_for $(( $(now_ms) + 60000 )) "http://127.0.0.1:$SERVER_PORT/health"
stop $pid

serve_times=(); up_times=()
for ((i = 1; i <= ROUNDS; i++)); do
  t0=$(now_ms)
  "$ROOT/helix" serve "${CONFIG[@]}" 2>/dev/null & pid=$!
  wait_for $(( t0 + 60000 )) "http://127.0.0.1:$SERVER_PORT/health"
  serve_times+=( $(( $(now_ms) - t0 )) )
  stop $pid

  t0=$(now_ms)
  "$ROOT/helix" up "${CONFIG[@]}" >/dev/null 2>"$WORK/up.err" & pid=$!
  wait_for $(( t0 + 60000 )) "http://127.0.0.1:$LAUNCHER_PORT/" "http://127.0.0.1:$SERVER_PORT/health"
  up_times+=( $(( $(now_ms) - t0 )) )
  stop $pid
  echo "round $i: serve ${serve_times[-1]} ms, up ${up_times[-1]} ms" >&2
done

median() { printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : int((a[NR/2]+a[NR/2+1])/2))}'; }
ms=$(median "${serve_times[@]}"); mu=$(median "${up_times[@]}")
echo
echo "| measure (median of $ROUNDS, ms) | ./helix serve | ./helix up (dashboard + server) | ratio up/serve |"
echo "|---|---|---|---|"
echo "| until ready | $ms | $mu | $(awk -v a="$mu" -v b="$ms" 'BEGIN {printf "%.2f", a/b}') |"
echo
echo "all rounds: serve ${serve_times[*]} ms; up ${up_times[*]} ms"
echo "target: up within 2000 ms -> $([[ $mu -le 2000 ]] && echo met || echo NOT met)"
