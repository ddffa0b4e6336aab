#!/usr/bin/env bash
# Start-up time of the CLI: `./helix --version` (the script skips its start-up cache for --version) against the
# same jar started without helix's archive, and against the bare JVM (`java -version`), all measured
# in this run. Usage: bench/startup/run.sh [runs]   (default 20)
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
RUNS="${1:-20}"
cd "$ROOT"

./helix --version >/dev/null 2>&1   # build if needed, and train the start-up cache
./helix --version >/dev/null 2>&1
JAVA="$(ls -d /usr/lib/jvm/temurin-25-jdk-amd64 2>/dev/null || echo "$JAVA_HOME")/bin/java"
APP="$(ls -td "$ROOT"/.helix/app/*/ | head -n1)"

median_ms() { # command...
  local times=() i start end
  for ((i = 0; i < RUNS; i++)); do
    start=$(date +%s%N)
    "$@" >/dev/null 2>&1
    end=$(date +%s%N)
    times+=($(( (end - start) / 1000000 )))
  done
  printf '%s\n' "${times[@]}" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'
}

helix=$(median_ms ./helix --version)
plain=$(median_ms "$JAVA" -Xshare:auto -jar "$APP/helix.jar" --version)
floor=$(median_ms "$JAVA" -version)

echo "runs: $RUNS (median wall time, ms) on $(nproc) cores"
printf '%-48s %6s ms\n' "./helix --version (script; no start-up cache for --version)" "$helix"
printf '%-48s %6s ms\n' "java -jar helix.jar --version (JDK CDS only)" "$plain"
printf '%-48s %6s ms\n' "java -version (bare JVM floor)" "$floor"
awk -v h="$helix" -v p="$plain" -v f="$floor" 'BEGIN {
  printf "ratio ./helix / plain jar: %.2f   ./helix / bare JVM: %.2f\n", h / p, h / f }'
