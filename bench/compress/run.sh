#!/usr/bin/env bash
# Compression quality and speed on real data from this machine (see RESULTS.md for the last run).
#   bench/compress/run.sh            full run: prepares data once, then measures every kind
#   QUICK=1 bench/compress/run.sh    fewer needle trials and timing rounds, for development
#   WARMUP=300 bench/compress/run.sh 300 warm-up compressions per row instead of 15, in rounds over
#                                    all rows (a server's mix), and each row timed for 1 s at least, in
#                                    turns with the others: steady state
# Prints a markdown table on stdout; progress on stderr.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
HERE="$ROOT/bench/compress"
DATA="$HERE/.data"
JAVA_HOME="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"
export JAVA_HOME
JDK_SRC="$JAVA_HOME/lib/src.zip"
mkdir -p "$DATA"
cd "$ROOT"

say() { echo "bench: $*" >&2; }

# --- real inputs, made once (delete bench/compress/.data to make them again) ---------------------
if [[ ! -s "$DATA/log-maven-build.log" ]]; then
  say "running a Maven build of this project to get its build and test log..."
  ./mvnw -o -B -Dhelix.build.dir="$DATA/build" package -Dtest='dev.helix.compress.*Test' \
    -Dsurefire.failIfNoSpecifiedTests=false > "$DATA/log-maven-build.log" 2>&1 || true
fi
if [[ ! -s "$DATA/log-maven-debug.log" ]]; then
  say "running a Maven debug (-X) package for a long build log..."
  ./mvnw -o -B -X -Dhelix.build.dir="$DATA/build" -DskipTests package > "$DATA/log-maven-debug.log" 2>&1 || true
fi
if [[ ! -s "$DATA/diff-git-log-p.diff" ]]; then
  say "git log -p of /work/main (or of this worktree)..."
  if git -C /work/main rev-parse >/dev/null 2>&1; then
    git -C /work/main log -p > "$DATA/diff-git-log-p.diff"
  else
    git -C "$ROOT" log -p > "$DATA/diff-git-log-p.diff"
  fi
fi
if [[ ! -s "$DATA/json-npm-view-react.json" ]] && command -v npm >/dev/null; then
  say "npm view react --json..."
  npm view react --json > "$DATA/json-npm-view-react.json" 2>/dev/null || rm -f "$DATA/json-npm-view-react.json"
fi
if [[ ! -s "$DATA/json-pip-list.json" ]] && command -v pip >/dev/null; then
  pip list --format=json > "$DATA/json-pip-list.json" 2>/dev/null || rm -f "$DATA/json-pip-list.json"
fi
if [[ ! -s "$DATA/json-maven-dependency-tree.json" ]]; then
  ./mvnw -o -q -Dhelix.build.dir="$DATA/build" dependency:tree -DoutputType=json \
    -DoutputFile="$DATA/json-maven-dependency-tree.json" >/dev/null 2>&1 || true
fi
for f in java/util/HashMap.java java/util/concurrent/ConcurrentHashMap.java java/lang/String.java; do
  out="$DATA/code-$(basename "$f")"
  [[ -s "$out" ]] || unzip -p "$JDK_SRC" "java.base/$f" > "$out"
done
PY="$(ls -d "$HOME"/.pyenv/versions/3.1*/lib/python3.1* 2>/dev/null | head -n1 || true)"
if [[ -n "$PY" && ! -s "$DATA/code-argparse.py" ]]; then cp "$PY/argparse.py" "$DATA/code-argparse.py"; fi
for l in GPL-3 Apache-2.0; do
  [[ -s "$DATA/prose-$l.txt" || ! -f /usr/share/common-licenses/$l ]] || cp "/usr/share/common-licenses/$l" "$DATA/prose-$l.txt"
done

# --- build and run ---------------------------------------------------------------------------------
say "building (compile + runtime class path)..."
./mvnw -o -q -Dhelix.build.dir="$DATA/build" compile dependency:build-classpath \
  -Dmdep.outputFile="$DATA/classpath.txt" >&2
CP="$DATA/build/classes:$(cat "$DATA/classpath.txt")"
exec "$JAVA_HOME/bin/java" -Xlog:disable -cp "$CP" "$HERE/CompressBench.java" "$DATA" "${QUICK:-0}" ${WARMUP:+"$WARMUP"}
