#!/usr/bin/env bash
# bench/workspace: live workspaces on a real `./helix serve` (watch on, embeddings off so that the
# figures are the watcher's and the lexical store's, not the vector filler's). Prints:
#   - save -> searchable latency, p50/p99 over 200 saves, on a store of ~100k chunks (COPIES=8 of
#     the bench/store Java corpus: Guava, Jackson core and databind, Netty common);
#   - a 5,000-file branch switch: time until every change is searchable, commits made, and /context
#     p99 during it against p99 just before it (same run);
#   - CPU of an idle server watching 3 roots of 20,000 files over 60 s.
# Usage: bench/workspace/run.sh     (COPIES=8 SAVES=200 SWITCH=5000 IDLE=true; BENCH_WORK=/tmp/helix-bench-workspace)
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
WORK="${BENCH_WORK:-/tmp/helix-bench-workspace}"
COPIES="${COPIES:-8}"
: "${JAVA_HOME:=/usr/lib/jvm/temurin-25-jdk-amd64}"
export JAVA_HOME PATH="$JAVA_HOME/bin:$PATH"
cd "$ROOT"

bench/java-corpus.sh "$WORK"
./mvnw -o -q -B test-compile dependency:build-classpath -Dmdep.outputFile="$WORK/cp.txt" >&2
./helix --version >/dev/null # builds ./helix's own copy of the application when the sources changed
# Fresh stores and a fresh copy of the big tree each run (the switch rewrites its files); the idle
# roots' 60,000 small files are kept, they never change.
rm -rf "$WORK"/*-store "$WORK"/*-home "$WORK/big"
echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GiB, $(uname -sr); date $(date -u +%FT%TZ); load $(cut -d' ' -f1-3 /proc/loadavg)"
java -Dbench.idle="${IDLE:-true}" -Dbench.saves="${SAVES:-200}" -Dbench.switch="${SWITCH:-5000}" -cp "target/test-classes:target/classes:$(cat "$WORK/cp.txt")" \
  dev.helix.workspace.WorkspaceBench "$ROOT/helix" "$WORK" "$WORK/corpus" "$COPIES"
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
