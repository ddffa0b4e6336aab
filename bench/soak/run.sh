#!/usr/bin/env bash
# Soak of a real `helix serve` behind 16 chatting clients with 5% injected upstream faults, for
# [minutes] (default 30), then a randomized run of [faults] upstream faults (default 1,000).
# Prints calls, faults, wrong answers, resident memory growth after warm-up, threads and open files.
#
#   bench/soak/run.sh [minutes] [faults]
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
MINUTES="${1:-30}"
FAULTS="${2:-1000}"
[[ "$MINUTES" =~ ^[0-9]+([.][0-9]+)?$ ]] || { echo "run.sh: minutes must be a number, but was '$MINUTES'" >&2; exit 2; }
[[ "$FAULTS" =~ ^[1-9][0-9]*$ ]] || { echo "run.sh: faults must be a positive integer, but was '$FAULTS'" >&2; exit 2; }
export JAVA_HOME="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"
cd "$ROOT"
status=0
./mvnw -o -q -B verify -Dtest=none -Dsurefire.failIfNoSpecifiedTests=false \
  -Dit.test='SoakIT,UpstreamFaultIT#randomizedFaultsAreAllClassifiedAndLeaveNoThreadOrConnectionBehind' \
  -Dhelix.soak.minutes="$MINUTES" -Dhelix.faults="$FAULTS" >&2 || status=$?
grep -h -E "^(soak:|[0-9]+ faults injected)" target/failsafe-reports/dev.helix.reliability.*-output.txt || true
exit "$status"
