#!/usr/bin/env bash
# kill -9 of a real `helix ingest` at N random points (default 100), checking after each kill that
# Lucene's CheckIndex is clean, every file an earlier finished ingest acknowledged is still stored,
# no chunk is stored twice; then a re-run completes. CI runs the same test with 8 kills.
#
#   bench/durability/run.sh [kills] [seed]
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
KILLS="${1:-100}"
SEED="${2:-7}"
[[ "$KILLS" =~ ^[1-9][0-9]*$ ]] || { echo "run.sh: kills must be a positive integer, but was '$KILLS'" >&2; exit 2; }
export JAVA_HOME="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"
cd "$ROOT"
./mvnw -o -q -B verify -Dtest=none -Dsurefire.failIfNoSpecifiedTests=false -Dit.test=DurabilityIT \
  -Dhelix.kills="$KILLS" -Dhelix.seed="$SEED" >&2
grep -h "^durability:" target/failsafe-reports/dev.helix.reliability.DurabilityIT-output.txt
